"""Configuration and source discovery for the Snakefile (``rules/common.smk``).

Pure functions so that tests can call them without Snakemake. Errors are :class:`ConfigError`
with a message that names the key, the value and what is allowed.
"""


import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from pipeline_io import SOURCE_ID_RE, read_yaml


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


def _describe_allowed(schema: dict, key: str) -> str:
    prop = schema.get("properties", {}).get(key, {})
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
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.path)):
        if error.validator == "additionalProperties":
            continue  # reported above, with the allowed keys
        key = ".".join(str(p) for p in error.path) or "(top level)"
        value = error.instance
        problems.append(
            f"config key {key!r} has value {value!r}, which is not allowed: "
            f"{_describe_allowed(schema, key)}"
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


def discover_sources(sources_dir: str | Path) -> list[str]:
    """Source ids: the stems of ``*.txt`` files in ``sources_dir``, sorted.

    Raises :class:`ConfigError` if the folder is missing, empty, or a file name is not a valid id.
    """
    folder = Path(sources_dir)
    if not folder.is_dir():
        raise ConfigError(f"sources_dir {str(sources_dir)!r} is not a folder; expected a folder of *.txt sources")
    ids = sorted(p.stem for p in folder.glob("*.txt"))
    if not ids:
        raise ConfigError(f"no sources in {str(sources_dir)!r}: expected at least one *.txt file")
    bad = [i for i in ids if not SOURCE_ID_RE.match(i)]
    if bad:
        raise ConfigError(
            "source file names must be lower-case letters, digits, '-' or '_' (then .txt); "
            f"rename: {', '.join(repr(str(folder / (b + '.txt'))) for b in bad)}"
        )
    return ids


def orphan_metadata(sources_dir: str | Path, ids: Iterable[str]) -> list[str]:
    """Metadata files (``*.yaml``) with no ``.txt`` beside them: likely a misnamed source."""
    known = set(ids)
    return sorted(str(p) for p in Path(sources_dir).glob("*.yaml") if p.stem not in known)


def briefing_path(period: str, ext: str = "pdf") -> str:
    """Where the briefing for ``period`` is written.

    >>> briefing_path("2026-11")
    'results/briefing/2026-11/briefing-2026-11.pdf'
    """
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", period):
        raise ConfigError(f"period {period!r} is not allowed: expected YYYY-MM with month 01-12")
    return f"results/briefing/{period}/briefing-{period}.{ext}"


def project_version(pyproject: str | Path) -> str:
    """The pipeline's version from ``pyproject.toml`` (shown in the colophon)."""
    import tomllib

    with open(pyproject, "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def resolve_zh_script(setting: str, sources_dir: str | Path, ids: Iterable[str]) -> str:
    """``hant`` or ``hans``: the setting itself, or for ``source`` what the metadata files say.

    Only the ``languages:`` line of each ``{source}.yaml`` is read (a plain text search, cheap for
    thousands of sources); sources without a metadata file do not vote.
    """
    import chinese_script

    if setting != "source":
        return chinese_script.resolve_script(setting, [])
    tags = []
    for source in ids:
        path = Path(sources_dir) / f"{source}.yaml"
        if path.exists():
            tags += re.findall(r"\bzh(?:-[A-Za-z]+)?\b", path.read_text(encoding="utf-8", errors="replace"))
    return chinese_script.resolve_script("source", tags)


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
