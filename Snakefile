# Bilingual briefing pipeline: sources -> figures -> checks -> charts (+ commentary) -> HTML -> PDF.
# Read the rule files in order; README.md explains each stage and every config key.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/fetch_sources.smk"
include: "rules/extract_figures.smk"
include: "rules/reconcile.smk"
include: "rules/plot.smk"
include: "rules/commentary.smk"
include: "rules/render.smk"
include: "rules/archive.smk"


rule all:
    default_target: True
    input:
        briefing_targets(),
