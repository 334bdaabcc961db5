# Loads and validates the configuration, finds each briefing's sources, and names the targets.
# The logic lives in scripts/workflow_config.py so that tests can call it directly.
#
# Every path carries the briefing id ({briefing}): results/{briefing}/..., logs/{briefing}/...,
# so several briefings (programmes or regions) build side by side in one DAG, in parallel.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from workflow_config import (  # noqa: E402
    ConfigError,
    briefing_path,
    cancel_idle_timers,
    check_archive_dir,
    check_briefing_files,
    commentary_paths,
    discover_sources,
    load_config,
    orphan_metadata,
    project_version,
    resolve_briefings,
    resolve_zh_script,
)
from chinese_script import FONT_FAMILY  # noqa: E402
from archive_briefing import archive_head, manifest_inputs, previous_manifest_path  # noqa: E402
from pipeline_io import SOURCE_ID_RE  # noqa: E402

# Briefing id -> settings (sources_dir, catalog, resolutions, zh_script, programme), plus the
# sources found, the Chinese script resolved for it and that script's CJK face.
try:
    config.update(load_config(config, Path(workflow.basedir) / "config" / "config.schema.yaml"))
    BRIEFINGS = resolve_briefings(config)
    check_archive_dir(config["archive_dir"], BRIEFINGS)  # before any job: never inside results/, logs/...
    for _id, _briefing in BRIEFINGS.items():
        check_briefing_files(_id, _briefing)
        _briefing["sources"] = discover_sources(_briefing["sources_dir"])
        _briefing["zh"] = resolve_zh_script(_briefing["zh_script"], _briefing["sources_dir"], _briefing["sources"])
        _briefing["cjk_font"] = FONT_FAMILY[_briefing["zh"]]
except ConfigError as exc:
    sys.exit(f"ERROR: {exc}")
for _id, _briefing in BRIEFINGS.items():
    for _orphan in orphan_metadata(_briefing["sources_dir"], _briefing["sources"]):
        print(f"WARNING: {_orphan} has no .txt source beside it; it is ignored", file=sys.stderr)

PERIOD = config["period"]
# The interpreter running Snakemake (the project's .venv) runs the plain-command rules too.
PYTHON = sys.executable
PIPELINE_VERSION = project_version(Path(workflow.basedir) / "pyproject.toml")
ARCHIVE_DIR = config["archive_dir"]

# Code every script imports besides itself: a change here reruns the rules that list it.
SHARED_CODE = ["scripts/pipeline_io.py"]
SCRIPT_CODE = ["scripts/chinese_script.py"]
# The catalog's only reader, its schema and the data contracts: every rule that reads the catalog.
CATALOG_CODE = ["scripts/catalog.py", "scripts/contracts.py", "config/catalog.schema.yaml"]
# The figure engine's layers (numbers and dates, their context), used per source and by reconcile.
ENGINE_CODE = ["scripts/numerals.py", "scripts/figure_context.py"]
CHART_CODE = ["scripts/chart_style.py"] + SCRIPT_CODE

# Rendering inputs: every template (partials included), both string catalogs, the stylesheet.
BASE_TEMPLATE = "templates/briefing.html.j2"
TEMPLATE_FILES = sorted(str(p) for p in Path("templates").rglob("*.j2"))
I18N_FILES = ["templates/i18n/en.yaml", "templates/i18n/zh.yaml"]
STYLESHEET = "templates/briefing.css"
# The archive rule's output: a receipt per briefing and period (see rules/archive.smk).
ARCHIVE_RECEIPT = "results/{briefing}/archive/{period}.json"


wildcard_constraints:
    briefing="|".join(BRIEFINGS),
    source=SOURCE_ID_RE.pattern.strip("^$"),
    period=r"[0-9]{4}-(0[1-9]|1[0-2])",


# --- input functions and params: each looks up the job's briefing --------------------------------


def setting(key):
    """A function of the wildcards giving the briefing's setting ``key`` (an input or a param)."""
    return lambda wildcards: BRIEFINGS[wildcards.briefing][key]


def source_text(wildcards):
    return f"{BRIEFINGS[wildcards.briefing]['sources_dir']}/{wildcards.source}.txt"


def source_meta(wildcards):
    """The metadata file if there is one: a source may arrive without it."""
    path = Path(BRIEFINGS[wildcards.briefing]["sources_dir"]) / f"{wildcards.source}.yaml"
    return [str(path)] if path.exists() else []


def per_source(pattern):
    """``pattern`` (with {briefing} and {source}) for every source of the job's briefing."""
    return lambda wildcards: expand(pattern, briefing=wildcards.briefing,
                                    source=BRIEFINGS[wildcards.briefing]["sources"])


def resolutions_path(briefing):
    path = Path(BRIEFINGS[briefing]["resolutions"])
    return [str(path)] if path.exists() else []


def resolutions_file(wildcards):
    return resolutions_path(wildcards.briefing)


def commentary_of(briefing, period):
    """The period's commentary files that exist (``data/commentary/{briefing}/{period}.{en,zh}.md``).
    None is not an error: the summary then says that no commentary was written."""
    return [p for p in commentary_paths(briefing, period).values() if Path(p).exists()]


def commentary_files(wildcards):
    return commentary_of(wildcards.briefing, wildcards.period)


def briefing_settings(wildcards):
    """What the colophon prints about where the briefing's inputs came from."""
    return {key: BRIEFINGS[wildcards.briefing][key] for key in ("sources_dir", "catalog", "resolutions", "programme")}


def archive_folder(briefing):
    return f"{ARCHIVE_DIR}/{briefing}"


def previous_briefing(wildcards):
    """The newest archived manifest before this period, if any: the "what changed" section."""
    path = previous_manifest_path(archive_folder(wildcards.briefing), wildcards.period)
    return [path] if path else []


def chart_files(wildcards):
    return [
        f"results/{wildcards.briefing}/plots/{wildcards.period}/progress.svg",
        f"results/{wildcards.briefing}/plots/{wildcards.period}/phases.svg",
        f"results/{wildcards.briefing}/plots/outputs.svg",
    ]


def archive_inputs(wildcards):
    """Every file whose hash goes into the manifest besides the briefing and the metrics: sources
    and their metadata, the catalog, the resolutions (if any), the programme strings, the period's
    commentary (if any), templates, string catalogs, stylesheet."""
    briefing = BRIEFINGS[wildcards.briefing]
    return manifest_inputs(
        briefing["sources_dir"],
        briefing["sources"],
        [briefing["catalog"], *resolutions_path(wildcards.briefing), briefing["programme"],
         *commentary_of(wildcards.briefing, wildcards.period), BASE_TEMPLATE, *TEMPLATE_FILES, *I18N_FILES,
         STYLESHEET],
    )


def briefing_targets():
    return [briefing_path(b, PERIOD, ext) for b in BRIEFINGS for ext in ("pdf", "html")]


def archive_targets():
    return expand(ARCHIVE_RECEIPT, briefing=list(BRIEFINGS), period=PERIOD)


# Both handlers end with cancel_idle_timers(): without it Python waits up to a second for a timer
# Snakemake's scheduler left behind (see its docstring in scripts/workflow_config.py).
onsuccess:
    for _id in BRIEFINGS:
        pdf = Path(briefing_path(_id, PERIOD, "pdf"))
        if pdf.exists():
            print(f"Briefing {_id} for {PERIOD}: {pdf}")
    _head = archive_head(ARCHIVE_DIR)  # the head to note down (README, "Running monthly")
    if _head and any(Path(ARCHIVE_RECEIPT.format(briefing=_id, period=PERIOD)).exists() for _id in BRIEFINGS):
        print(_head)
    cancel_idle_timers()


onerror:
    cancel_idle_timers()
