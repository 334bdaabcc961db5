# Loads and validates the configuration, finds the sources, and names the targets.
# The logic lives in scripts/workflow_config.py so that tests can call it directly.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from workflow_config import (  # noqa: E402
    ConfigError,
    briefing_path,
    discover_sources,
    load_config,
    orphan_metadata,
    project_version,
    resolve_zh_script,
)
from chinese_script import FONT_FAMILY  # noqa: E402
from archive_briefing import previous_manifest_path  # noqa: E402
from pipeline_io import SOURCE_ID_RE  # noqa: E402

try:
    config.update(load_config(config, Path(workflow.basedir) / "config" / "config.schema.yaml"))
    SOURCES = discover_sources(config["sources_dir"])
except ConfigError as exc:
    sys.exit(f"ERROR: {exc}")
for _orphan in orphan_metadata(config["sources_dir"], SOURCES):
    print(f"WARNING: {_orphan} has no .txt source beside it; it is ignored", file=sys.stderr)

PERIOD = config["period"]
# The interpreter running Snakemake (the project's .venv) runs the plain-command rules too.
PYTHON = sys.executable
ZH_SCRIPT = resolve_zh_script(config["zh_script"], config["sources_dir"], SOURCES)
PIPELINE_VERSION = project_version(Path(workflow.basedir) / "pyproject.toml")
SOURCES_DIR = config["sources_dir"]

# Code every script imports besides itself: a change here reruns the rules that list it.
SHARED_CODE = ["scripts/pipeline_io.py"]
SCRIPT_CODE = ["scripts/chinese_script.py"]
CHART_CODE = ["scripts/chart_style.py"] + SCRIPT_CODE

# Rendering inputs: every template (partials included), both string catalogs, the stylesheet.
BASE_TEMPLATE = "templates/briefing.html.j2"
TEMPLATE_FILES = sorted(str(p) for p in Path("templates").rglob("*.j2"))
I18N_FILES = ["templates/i18n/en.yaml", "templates/i18n/zh.yaml"]
STYLESHEET = "templates/briefing.css"


wildcard_constraints:
    source=SOURCE_ID_RE.pattern.strip("^$"),
    period=r"[0-9]{4}-(0[1-9]|1[0-2])",


def source_text(wildcards):
    return f"{SOURCES_DIR}/{wildcards.source}.txt"


def source_meta(wildcards):
    """The metadata file if there is one: a source may arrive without it."""
    path = Path(SOURCES_DIR) / f"{wildcards.source}.yaml"
    return [str(path)] if path.exists() else []


def resolutions_file():
    path = Path(config["resolutions"])
    return [str(path)] if path.exists() else []


def previous_briefing(wildcards):
    """The newest archived manifest before this period, if any: the "what changed" section."""
    path = previous_manifest_path(config["archive_dir"], wildcards.period)
    return [path] if path else []


def chart_files(wildcards):
    return [
        f"results/plots/{wildcards.period}/progress.svg",
        f"results/plots/{wildcards.period}/phases.svg",
        "results/plots/outputs.svg",
    ]


def briefing_targets():
    return [briefing_path(PERIOD, "pdf"), briefing_path(PERIOD, "html")]


onsuccess:
    pdf = Path(briefing_path(PERIOD, "pdf"))
    if pdf.exists():
        print(f"Briefing for {PERIOD}: {pdf}")
