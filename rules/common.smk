# Loads and validates the configuration, finds each briefing's sources, and names the targets.
# The logic lives in scripts/workflow_config.py so that tests can call it directly.
#
# Every path carries the briefing id ({briefing}): results/{briefing}/..., logs/{briefing}/...,
# so several briefings (programmes or regions) build side by side in one DAG, in parallel.
#
# The workflow's own files (scripts, templates, schemas, pyproject.toml) are found from this file's
# folder, so the workflow also runs with --directory and as a module of another workflow; the
# config and everything it names (sources, catalog, programme, resolutions) are relative to the
# working directory. Paths are kept relative to the working directory (os.path.relpath), so a
# copy of a built workflow plans nothing new.
import json
import os
import sys
from pathlib import Path

WORKFLOW_DIR = Path(str(workflow.current_basedir)).parent
sys.path.insert(0, str(WORKFLOW_DIR / "scripts"))


def code(path):
    """A file of the workflow itself (``scripts/...``, ``templates/...``), relative to the working directory."""
    return os.path.relpath(WORKFLOW_DIR / path)


WORKFLOW_ROOT = code(".")

from workflow_config import (  # noqa: E402
    ConfigError,
    briefing_path,
    cancel_idle_timers,
    check_archive_dir,
    check_briefing_files,
    commentary_paths,
    discover_sources,
    load_config,
    project_version,
    resolve_briefings,
    resolve_zh_script,
    source_warnings,
)
from contracts import FONT_FAMILY, PERIOD_PATTERN  # noqa: E402
from archive_ledger import archive_head, manifest_inputs, previous_manifest_path  # noqa: E402
from pipeline_io import SOURCE_ID_RE, read_yaml  # noqa: E402
from fetch_sources import refresh_token  # noqa: E402
import source_batches  # noqa: E402
import pipeline_io  # noqa: E402

# Briefing id -> settings (sources_dir, catalog, resolutions, zh_script, programme), plus the
# sources found ("files": id -> source_files.Source, a document in the folder or a link in its
# sources.yaml; "sources": their ids), the Chinese script resolved for it and that script's CJK
# face. A bad sources folder (a symbolic link leaving it, a folder named like a source, a file
# over max_source_mb, two files with one id...) stops the run here, before any job.
try:
    config.update(load_config(config, WORKFLOW_DIR / "config" / "config.schema.yaml"))
    BRIEFINGS = resolve_briefings(config)
    check_archive_dir(config["archive_dir"], BRIEFINGS)  # before any job: never inside results/, logs/...
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
PIPELINE_VERSION = project_version(WORKFLOW_DIR / "pyproject.toml")
ARCHIVE_DIR = config["archive_dir"]

# Code every script imports besides itself: a change here reruns the rules that list it.
SHARED_CODE = [code("scripts/pipeline_io.py"), code("scripts/contracts.py")]
SCRIPT_CODE = [code("scripts/chinese_script.py")]
# The catalog's only reader, its schema and the data contracts: every rule that reads the catalog.
CATALOG_CODE = [code("scripts/catalog.py"), code("config/catalog.schema.yaml")]
# The programme file's only reader and its schema: every rule that reads the programme file.
PROGRAMME_CODE = [code("scripts/programme.py"), code("config/programme.schema.yaml")]
# The figure engine's layers (numbers and dates, their context), used per source and by reconcile.
ENGINE_CODE = [code("scripts/numerals.py"), code("scripts/figure_context.py")]
CHART_CODE = [code("scripts/chart_style.py")] + SCRIPT_CODE + CATALOG_CODE + PROGRAMME_CODE

# Rendering inputs: every template (partials included), both string catalogs, the stylesheet.
BASE_TEMPLATE = code("templates/briefing.html.j2")
TEMPLATE_FILES = sorted(code(p.relative_to(WORKFLOW_DIR)) for p in (WORKFLOW_DIR / "templates").rglob("*.j2"))
I18N_FILES = [code("templates/i18n/en.yaml"), code("templates/i18n/zh.yaml")]
STYLESHEET = code("templates/briefing.css")
SCREEN_STYLESHEET = code("templates/screen.css")
# Captions of `snakemake --report` (one .rst per kind of result; the words are in the string catalogs).
REPORT_STRINGS = {Path(p).stem: read_yaml(p)["report"] for p in I18N_FILES}
# The archive rule's output: a receipt per briefing and period (see rules/archive.smk).
ARCHIVE_RECEIPT = "results/{briefing}/archive/{period}.json"
# The fetch rule's output for a source listed by URL: names its copy of record (rules/fetch_sources.smk).
FETCH_RECEIPT = "results/{briefing}/fetched/{source}.json"
# `--config refetch=true` arrives as the string "true"; the schema allows only these.
REFETCH = config["refetch"] in (True, "true")
# Code the per-source job runs for a document that is not plain text (and for every link).
READER_CODE = [code("scripts/read_source.py")]


wildcard_constraints:
    briefing="|".join(BRIEFINGS),
    batch=r"b[0-9]+",
    source=SOURCE_ID_RE.pattern.strip("^$"),
    period=PERIOD_PATTERN,


# --- input functions and params: each looks up the job's briefing --------------------------------


def setting(key):
    """A function of the wildcards giving the briefing's setting ``key`` (an input or a param)."""
    return lambda wildcards: BRIEFINGS[wildcards.briefing][key]


def source_of(wildcards):
    """The job's source (a source_files.Source): a document in the sources folder or a link."""
    return BRIEFINGS[wildcards.briefing]["files"][wildcards.source]


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


_BATCHES = {}


def batches_of(briefing):
    """Batch -> its source ids, for the briefing's batches that hold a source (scripts/source_batches.py).
    Computed once per briefing: the input functions of every batch job ask for it (at 1,000 sources,
    hashing every id on each call was 0.6 s of a 3.8 s no-op)."""
    if briefing not in _BATCHES:
        _BATCHES[briefing] = source_batches.group(BRIEFINGS[briefing]["sources"], config["batches"])
    return _BATCHES[briefing]


def per_batch(pattern):
    """``pattern`` (with {briefing} and {batch}) for every batch of the job's briefing."""
    return lambda wildcards: expand(pattern, briefing=wildcards.briefing, batch=list(batches_of(wildcards.briefing)))


def batch_sources(wildcards):
    """The job's batch: its sources (source_files.Source), by id."""
    files = BRIEFINGS[wildcards.briefing]["files"]
    return {sid: files[sid] for sid in batches_of(wildcards.briefing).get(wildcards.batch, [])}


def batch_documents(wildcards):
    """Every file the batch's job reads: documents, metadata files, and a link's fetch receipt."""
    out = []
    for sid, source in batch_sources(wildcards).items():
        out += [f for f in (source.path, source.meta) if f]
        if source.url:
            out.append(FETCH_RECEIPT.format(briefing=wildcards.briefing, source=sid))
    return out


def batch_json(wildcards):
    """The batch as the job's parameter: per source its files and a link's entry (a param: adding or
    editing a source reruns only its batch)."""
    items = []
    for sid, source in batch_sources(wildcards).items():
        items.append({"id": sid, "text": source.path or "", "meta": source.meta or "",
                      "fetched": FETCH_RECEIPT.format(briefing=wildcards.briefing, source=sid) if source.url else "",
                      "entry": source.entry_json() if source.url else ""})
    return json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_batch_manifest(path, batch, log_path):
    """The batch_manifest job: the batch's JSON to ``path``, atomically, and one line to its log."""
    pipeline_io.atomic_write_text(path, f"{batch}\n")
    count = len(json.loads(batch))
    pipeline_io.atomic_write_text(log_path, f"INFO batch_manifest: {path}: {count} source{'s' * (count != 1)}\n")


def batch_code(wildcards):
    """The batch job's code; the format readers only when a source of the batch is not plain text."""
    sources = batch_sources(wildcards).values()
    return [code("scripts/normalize.py"), code("scripts/extract_figures.py"), code("scripts/source_files.py"),
            code("scripts/source_batches.py")] + (
        READER_CODE if any(s.url or s.format != "txt" for s in sources) else [])


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
        [],  # the sources' files come from source_documents: they no longer follow {id}.txt
        [*source_documents(wildcards.briefing), briefing["catalog"], *resolutions_path(wildcards.briefing),
         briefing["programme"], *commentary_of(wildcards.briefing, wildcards.period), BASE_TEMPLATE,
         *TEMPLATE_FILES, *I18N_FILES, STYLESHEET, SCREEN_STYLESHEET],
    )


# The originals (README, "Running monthly"): every source document, metadata file and sources.yaml
# is copied into {archive_dir}/{briefing}/originals/ (named by SHA-256, shared by all versions) and
# listed in the manifest. A link's copy of record, its versions.json and its earlier versions are
# read through its fetch receipt, which the fetch job writes with them (as extract_figures does).
def archive_sources(wildcards):
    """The briefing's sources as the DAG found them: id -> where each of its files is."""
    return {sid: {"path": s.path, "meta": s.meta, "url": s.url, "listed_in": s.listed_in}
            for sid, s in BRIEFINGS[wildcards.briefing]["files"].items()}


def link_receipts(wildcards):
    """The fetch receipts of the briefing's links (each names its copy of record and SHA-256)."""
    return [FETCH_RECEIPT.format(briefing=wildcards.briefing, source=sid)
            for sid, s in BRIEFINGS[wildcards.briefing]["files"].items() if s.url]


def report_captions(wildcards):
    """The report captions of a job's results, in both languages (Chinese in the briefing's script)."""
    from chinese_script import convert

    script = BRIEFINGS[wildcards.briefing]["zh"]
    values = {"briefing": wildcards.briefing, "period": getattr(wildcards, "period", "")}
    return {key: {"en": text.format(**values), "zh": convert(REPORT_STRINGS["zh"][key].format(**values), script)}
            for key, text in REPORT_STRINGS["en"].items()}


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
