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
    check_briefing_files,
    discover_sources,
    load_config,
    project_version,
    resolve_briefings,
    resolve_zh_script,
    source_warnings,
)
from chinese_script import FONT_FAMILY  # noqa: E402
from archive_briefing import manifest_inputs, previous_manifest_path  # noqa: E402
from pipeline_io import SOURCE_ID_RE  # noqa: E402
from fetch_sources import refresh_token  # noqa: E402

# Briefing id -> settings (sources_dir, catalog, resolutions, zh_script, programme), plus the
# sources found ("files": id -> source_files.Source, a document in the folder or a link in its
# sources.yaml; "sources": their ids), the Chinese script resolved for it and that script's CJK
# face. A bad sources folder (a symbolic link leaving it, a folder named like a source, a file
# over max_source_mb, two files with one id...) stops the run here, before any job.
try:
    config.update(load_config(config, Path(workflow.basedir) / "config" / "config.schema.yaml"))
    BRIEFINGS = resolve_briefings(config)
    for _id, _briefing in BRIEFINGS.items():
        check_briefing_files(_id, _briefing)
        _briefing["files"] = discover_sources(_briefing["sources_dir"], config["max_source_mb"])
        _briefing["sources"] = list(_briefing["files"])
        _briefing["zh"] = resolve_zh_script(_briefing["zh_script"], _briefing["files"])
        _briefing["cjk_font"] = FONT_FAMILY[_briefing["zh"]]
except ConfigError as exc:
    sys.exit(f"ERROR: {exc}")
for _id, _briefing in BRIEFINGS.items():
    for _warning in source_warnings(_briefing["sources_dir"], _briefing["files"]):
        print(f"WARNING: {_warning}", file=sys.stderr)

PERIOD = config["period"]
# The interpreter running Snakemake (the project's .venv) runs the plain-command rules too.
PYTHON = sys.executable
PIPELINE_VERSION = project_version(Path(workflow.basedir) / "pyproject.toml")
ARCHIVE_DIR = config["archive_dir"]

# Code every script imports besides itself: a change here reruns the rules that list it.
SHARED_CODE = ["scripts/pipeline_io.py"]
SCRIPT_CODE = ["scripts/chinese_script.py"]
CHART_CODE = ["scripts/chart_style.py"] + SCRIPT_CODE

# Rendering inputs: every template (partials included), both string catalogs, the stylesheet.
BASE_TEMPLATE = "templates/briefing.html.j2"
TEMPLATE_FILES = sorted(str(p) for p in Path("templates").rglob("*.j2"))
I18N_FILES = ["templates/i18n/en.yaml", "templates/i18n/zh.yaml"]
STYLESHEET = "templates/briefing.css"
# The archive rule's output: a receipt per briefing and period (see rules/archive.smk).
ARCHIVE_RECEIPT = "results/{briefing}/archive/{period}.json"
# The fetch rule's output for a source listed by URL: names its copy of record (rules/fetch_sources.smk).
FETCH_RECEIPT = "results/{briefing}/fetched/{source}.json"
# `--config refetch=true` arrives as the string "true"; the schema allows only these.
REFETCH = config["refetch"] in (True, "true")
# Code the per-source job runs for a document that is not plain text (and for every link).
READER_CODE = ["scripts/read_source.py"]


wildcard_constraints:
    briefing="|".join(BRIEFINGS),
    source=SOURCE_ID_RE.pattern.strip("^$"),
    period=r"[0-9]{4}-(0[1-9]|1[0-2])",


# --- input functions and params: each looks up the job's briefing --------------------------------


def setting(key):
    """A function of the wildcards giving the briefing's setting ``key`` (an input or a param)."""
    return lambda wildcards: BRIEFINGS[wildcards.briefing][key]


def source_of(wildcards):
    """The job's source (a source_files.Source): a document in the sources folder or a link."""
    return BRIEFINGS[wildcards.briefing]["files"][wildcards.source]


def source_text(wildcards):
    """The source document if the source is a file ([] for a link)."""
    path = source_of(wildcards).path
    return [path] if path else []


def source_receipt(wildcards):
    """The fetch receipt if the source is a link ([] for a file)."""
    return [FETCH_RECEIPT.format(**wildcards)] if source_of(wildcards).url else []


def source_meta(wildcards):
    """The metadata file if there is one: a source may arrive without it."""
    meta = source_of(wildcards).meta
    return [meta] if meta else []


def source_entry(wildcards):
    """A link's sources.yaml entry as JSON (a param: editing one entry reruns only its source)."""
    return source_of(wildcards).entry_json()


def source_code(wildcards):
    """The per-source job's code; the readers only for a source that is not plain text."""
    source = source_of(wildcards)
    return ["scripts/normalize.py", "scripts/extract_figures.py", "scripts/source_files.py"] + (
        READER_CODE if source.url or source.format != "txt" else [])


def link_of(wildcards):
    source = source_of(wildcards)
    if not source.url:
        raise ValueError(f"source {wildcards.source!r} of briefing {wildcards.briefing!r} is not a link")
    return source


def source_documents(briefing):
    """Every source file of a briefing whose hash goes into the archive's manifest: documents,
    metadata files, and for links the fetch receipts (each pins its copy of record by SHA-256)
    and sources.yaml."""
    files = []
    for source_id, source in BRIEFINGS[briefing]["files"].items():
        files += [f for f in (source.path, source.meta, source.listed_in) if f]
        if source.url:
            files.append(FETCH_RECEIPT.format(briefing=briefing, source=source_id))
    return sorted(set(files))


def per_source(pattern):
    """``pattern`` (with {briefing} and {source}) for every source of the job's briefing."""
    return lambda wildcards: expand(pattern, briefing=wildcards.briefing,
                                    source=BRIEFINGS[wildcards.briefing]["sources"])


def resolutions_path(briefing):
    path = Path(BRIEFINGS[briefing]["resolutions"])
    return [str(path)] if path.exists() else []


def resolutions_file(wildcards):
    return resolutions_path(wildcards.briefing)


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
    and their metadata, the catalog, the resolutions (if any), the programme strings, templates,
    string catalogs, stylesheet."""
    briefing = BRIEFINGS[wildcards.briefing]
    return manifest_inputs(
        briefing["sources_dir"],
        [],  # sources are listed by source_documents: their files no longer follow {id}.txt
        [*source_documents(wildcards.briefing), briefing["catalog"], *resolutions_path(wildcards.briefing),
         briefing["programme"], BASE_TEMPLATE, *TEMPLATE_FILES, *I18N_FILES, STYLESHEET],
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
    cancel_idle_timers()


onerror:
    cancel_idle_timers()
