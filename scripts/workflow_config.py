"""Configuration and source discovery for the Snakefile (``rules/common.smk``).

Pure functions so that tests can call them without Snakemake. Errors are :class:`ConfigError`
with a message that names the key, the value and what is allowed.
"""


import datetime as dt
import os
import re
import threading
from pathlib import Path
from typing import Any

import jsonschema

import source_files
from contracts import PERIOD_PATTERN
from pipeline_io import InputError, read_yaml
from source_files import Source


class ConfigError(Exception):
    """A configuration or source-layout problem found before any job runs."""


def default_period(now: dt.datetime | None = None) -> str:
    """The current month in UTC as ``YYYY-MM``.

    >>> default_period(dt.datetime(2026, 1, 31, 23, 59, tzinfo=dt.timezone.utc))
    '2026-01'
    >>> default_period(dt.datetime(2026, 2, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    '2026-01'
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(dt.timezone.utc).strftime("%Y-%m")


def _describe_allowed(schema: dict, path: list) -> str:
    """The first line of the description of the key at ``path`` (``briefings.<id>.<key>`` included)."""
    prop = schema.get("properties", {}).get(str(path[0]), {}) if path else {}
    if len(path) >= 3 and path[0] == "briefings":
        prop = schema.get("$defs", {}).get("briefing", {}).get("properties", {}).get(str(path[2]), {})
        prop = schema.get("properties", {}).get(str(path[2]), prop) if "$ref" in prop else prop
    return prop.get("description", "").strip().split("\n")[0] or "see config/config.schema.yaml"


def validate_config(config: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Check ``config`` against ``schema`` and return a copy with defaults filled in.

    Raises :class:`ConfigError` naming every bad key, its value and what is allowed.
    """
    config = dict(config or {})
    allowed = sorted(schema.get("properties", {}))
    problems = []
    for key in sorted(set(config) - set(allowed)):
        problems.append(
            f"unknown config key {key!r} (value {config[key]!r}); allowed keys: {', '.join(allowed)}"
        )
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path]):
        path = list(error.path)
        key = ".".join(str(p) for p in path) or "(top level)"
        if error.validator == "additionalProperties":
            if not path:
                continue  # reported above, with the allowed keys
            problems.append(f"config key {key!r}: {error.message}; allowed keys: "
                            f"{', '.join(sorted(schema.get('$defs', {}).get('briefing', {}).get('properties', {})))}")
            continue
        if path == ["briefings"] and error.validator in ("propertyNames", "pattern", "not"):
            problems.append(f"briefing id {error.instance!r} is not allowed: expected lower-case letters, "
                            "digits, '-' or '_' (it names folders and files), and not 'briefing' "
                            "(results/briefing/ holds the finished briefings)")
            continue
        value = error.instance
        problems.append(
            f"config key {key!r} has value {value!r}, which is not allowed: "
            f"{_describe_allowed(schema, path)}"
        )
    if problems:
        raise ConfigError("invalid configuration:\n  - " + "\n  - ".join(problems))
    for key, prop in schema.get("properties", {}).items():
        if key not in config and "default" in prop:
            config[key] = prop["default"]
    return config


def load_config(config: dict[str, Any], schema_path: str | Path, now: dt.datetime | None = None) -> dict[str, Any]:
    """Validate ``config`` against the schema file and resolve the default period."""
    config = validate_config(config, read_yaml(schema_path))
    if not config.get("period"):
        config["period"] = default_period(now)
    return config


def discover_sources(sources_dir: str | Path, max_mb: float = source_files.DEFAULT_MAX_MB) -> dict[str, Source]:
    """Source id -> :class:`~source_files.Source` for every file and link in ``sources_dir``, sorted.

    The rules (formats, ids from file names, metadata beside a file, ``sources.yaml`` links, and
    the refusals: a symbolic link leaving the folder, a folder named like a source, a file over
    ``max_mb``, two files with one id) are in :mod:`source_files`. Raises :class:`ConfigError`
    if the folder is missing, has no source, or breaks a rule; the message names the file.
    """
    folder = Path(sources_dir)
    if not folder.is_dir():
        raise ConfigError(f"sources_dir {str(sources_dir)!r} is not a folder; expected a folder of sources "
                          f"({', '.join(sorted(source_files.FORMATS))}) and/or a {source_files.LINKS_FILE}")
    try:
        sources = source_files.discover(folder, max_mb)
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    if not sources:
        raise ConfigError(f"no sources in {str(sources_dir)!r}: expected at least one document "
                          f"({', '.join(sorted(source_files.FORMATS))}) or a link in {source_files.LINKS_FILE}")
    return sources


def source_warnings(sources_dir: str | Path, sources: dict[str, Source]) -> list[str]:
    """What the run should say before it starts: metadata files with no source beside them (a
    misnamed source?) and files that are not a supported format (ignored)."""
    warnings = [f"{path} has no source document of the same name beside it; it is ignored"
                for path in source_files.orphan_metadata(sources_dir, sources)]
    warnings += [f"{path} is not a supported format ({', '.join(sorted(source_files.FORMATS))}); it is ignored"
                 for path in source_files.ignored_files(sources_dir)]
    return warnings


def orphan_metadata(sources_dir: str | Path, sources: dict[str, Source]) -> list[str]:
    """Metadata files (``*.yaml``) with no source document of the same name beside them."""
    return source_files.orphan_metadata(sources_dir, sources)


#: Keys a briefing may set for itself; the ones it leaves out come from the top level.
BRIEFING_KEYS = ("sources_dir", "catalog", "resolutions", "zh_script", "strict")


def resolve_briefings(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Briefing id -> its settings: its own keys, else the top-level defaults, and ``programme``
    (default ``config/programmes/{id}.yaml``). Ids are sorted so the job order is stable.

    >>> resolve_briefings({"sources_dir": "data/sources", "catalog": "c.yaml", "resolutions": "r.yaml",
    ...                    "zh_script": "source", "strict": False, "briefings": {"b": {"zh_script": "hans"}, "a": None}})["b"]
    {'sources_dir': 'data/sources', 'catalog': 'c.yaml', 'resolutions': 'r.yaml', 'zh_script': 'hans', \
'strict': False, 'programme': 'config/programmes/b.yaml'}
    """
    briefings = {}
    for briefing_id in sorted(config["briefings"]):
        own = config["briefings"][briefing_id] or {}
        settings = {key: own.get(key, config.get(key, False if key == "strict" else None)) for key in BRIEFING_KEYS}
        settings["strict"] = settings["strict"] in (True, "true")
        settings["programme"] = own.get("programme", f"config/programmes/{briefing_id}.yaml")
        briefings[briefing_id] = settings
    return briefings


def check_briefing_files(briefing_id: str, settings: dict[str, Any]) -> None:
    """The catalog and the programme file must exist and be valid, and the catalog must name the
    metrics playing the roles the briefing draws (target, progress, start, duration): say which
    briefing and key name a missing file, and which metric, role or key is wrong."""
    for key in ("catalog", "programme"):
        if not Path(settings[key]).is_file():
            raise ConfigError(
                f"briefing {briefing_id!r}: {key} {settings[key]!r} is not a file; expected "
                + ("the metric catalog (see config/metrics.yaml)" if key == "catalog" else
                   "the programme strings, a YAML file with 'en' and 'zh' sections (see config/programmes/)")
            )
    import catalog
    import pipeline_io
    import programme

    try:
        catalog.require_roles(catalog.load(settings["catalog"]))
        programme.load(settings["programme"])
    except pipeline_io.InputError as exc:
        raise ConfigError(f"briefing {briefing_id!r}: {exc}") from None


#: Folders the project or Snakemake deletes or regenerates, and why: no archive may live inside one.
GENERATED_FOLDERS = {
    "results": "the build regenerates it and 'make clean' deletes it",
    "logs": "'make clean' deletes it",
    "benchmarks": "'make clean' deletes it",
    ".snakemake": "it is Snakemake's own working folder, which 'make clean' deletes",
}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_archive_dir(archive_dir: str, briefings: dict[str, dict[str, Any]], workdir: str | Path = ".") -> None:
    """Refuse, before any job, an ``archive_dir`` (or a briefing's folder in it) that lies inside a
    folder the project or Snakemake deletes or regenerates, or inside a sources folder, or that holds
    a sources folder. Symbolic links are followed, so a link into ``results/`` is refused too.

    >>> check_archive_dir("archive", {"main": {"sources_dir": "data/sources"}})
    >>> try:
    ...     check_archive_dir("logs/arch", {"main": {"sources_dir": "data/sources"}})
    ... except ConfigError as exc:
    ...     print(str(exc).split(": ", 1)[1].split(";")[0])
    it lies inside logs/, and 'make clean' deletes it, so the archive would be lost
    """
    base = Path(workdir).resolve()
    real = Path(os.path.realpath(base / archive_dir))
    where = None
    for name, why in GENERATED_FOLDERS.items():
        if _inside(real, Path(os.path.realpath(base / name))):
            where = f"it lies inside {name}/, and {why}, so the archive would be lost"
            break
    for briefing_id, settings in sorted(briefings.items()):
        if where:
            break
        sources = Path(os.path.realpath(base / settings["sources_dir"]))
        if _inside(real, sources):
            where = (f"it lies inside the sources folder {settings['sources_dir']!r} (sources_dir of briefing "
                     f"{briefing_id!r}), whose files are read as sources")
        elif _inside(sources, real / briefing_id):
            where = (f"briefing {briefing_id!r}'s archive folder {archive_dir}/{briefing_id} would hold its sources "
                     f"folder {settings['sources_dir']!r}")
    if where:
        raise ConfigError(
            f"config key 'archive_dir' has value {archive_dir!r}, which is not allowed: {where}; choose a folder "
            "outside results/, logs/, benchmarks/, .snakemake/ and the sources folders (default: archive)"
        )


def briefing_path(briefing: str, period: str, ext: str = "pdf") -> str:
    """Where the briefing ``briefing`` for ``period`` is written: every briefing of a period side by
    side in ``results/briefing/{period}/`` (the intermediate files are in ``results/{briefing}/``).

    >>> briefing_path("chongqing-services", "2026-11")
    'results/briefing/2026-11/briefing-chongqing-services-2026-11.pdf'
    """
    if not re.fullmatch(PERIOD_PATTERN, period):
        raise ConfigError(f"period {period!r} is not allowed: expected YYYY-MM with month 01-12")
    return f"results/briefing/{period}/briefing-{briefing}-{period}.{ext}"


#: The analyst's commentary of a briefing for a period, one file per language (README, "Commentary").
COMMENTARY_FILE = "data/commentary/{briefing}/{period}.{lang}.md"


def commentary_paths(briefing: str, period: str, pattern: str = COMMENTARY_FILE) -> dict[str, str]:
    """Where the commentary of ``briefing`` for ``period`` is, per language (the files may not exist).

    >>> commentary_paths("chongqing-services", "2026-11")["zh"]
    'data/commentary/chongqing-services/2026-11.zh.md'
    """
    return {lang: pattern.format(briefing=briefing, period=period, lang=lang) for lang in ("en", "zh")}


def project_version(pyproject: str | Path) -> str:
    """The pipeline's version from ``pyproject.toml`` (shown in the colophon)."""
    import tomllib

    with open(pyproject, "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def resolve_zh_script(setting: str, sources: dict[str, Source]) -> str:
    """``hant`` or ``hans``: the setting itself, or for ``source`` what the sources' metadata says.

    Only the ``languages:`` of each metadata file (a plain text search, cheap for thousands of
    sources) or ``sources.yaml`` entry is read; sources without metadata do not vote.
    """
    import chinese_script

    if setting != "source":
        return chinese_script.resolve_script(setting, [])
    return chinese_script.resolve_script("source", [t for s in sources.values() for t in source_files.metadata_tags(s)])


def job_counts(output: str) -> dict[str, int]:
    """Rule -> job count from the "Job stats" table Snakemake prints (empty when nothing runs).

    >>> job_counts("Job stats:\\njob      count\\n-----  -----\\nrender_pdf   1\\nall   1\\ntotal   2\\n\\n")
    {'render_pdf': 1, 'all': 1}
    """
    if "Job stats:" not in output:
        return {}
    jobs: dict[str, int] = {}
    for line in output.split("Job stats:", 1)[1].strip().splitlines()[2:]:
        match = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not match:
            break
        if match.group(1) != "total":
            jobs[match.group(1)] = int(match.group(2))
    return jobs


def cancel_idle_timers() -> int:
    """Cancel pending ``threading.Timer`` threads; returns how many. Called when the run is over.

    Snakemake's scheduler rate-limits job starts (``--max-jobs-per-timespan``, default 100/1s) by
    starting a one-second ``threading.Timer`` after each round that ran jobs. Timers are not daemon
    threads, so Python waits for the last one before exiting: every run that executed a job ended
    ~0.9 s after its last job (measured with a three-job toy workflow: 2.2 s before, 1.4 s after;
    bench/RESULTS.md). A timespan below one second cannot be configured ("100ms" parses as 100
    minutes), so ``onsuccess``/``onerror`` in rules/common.smk cancel the timers instead; the
    scheduler has finished by then, so the wake-up they would deliver is not needed.
    """
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]
    for timer in timers:
        timer.cancel()
    return len(timers)
