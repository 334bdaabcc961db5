"""Helpers shared by every rule script: atomic writes, YAML/JSON I/O, logging, input errors.

Everything here is small and dependency-light (stdlib + PyYAML) so that per-source steps stay
cheap to start. Scripts import it as ``import pipeline_io`` (Snakemake puts ``scripts/`` on
``sys.path`` for ``script:`` rules); rules list this file under ``input.code`` so that a change
here reruns the rules that use it.
"""


import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

_UMASK = os.umask(0o022)
os.umask(_UMASK)

#: Source ids become file names and wildcard values: keep them boring.
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


class BuildStop(Exception):
    """A problem a person must fix; the rule stops with this message and no traceback."""


class InputError(BuildStop):
    """Bad input a person must fix: names the file, the line (if known) and what was expected."""

    def __init__(self, path: str | os.PathLike, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def check_source_id(source_id: str, path: str | os.PathLike = "<source>") -> str:
    """Return ``source_id`` if it is a safe id, else raise :class:`InputError`.

    >>> check_source_id("chongqing-2022")
    'chongqing-2022'
    >>> check_source_id("../etc")
    Traceback (most recent call last):
    ...
    pipeline_io.InputError: <source>: source id '../etc' is not allowed: expected lower-case letters, digits, '-' or '_' (at most 100 characters, starting with a letter or digit)
    """
    if not SOURCE_ID_RE.match(source_id or ""):
        raise InputError(
            path,
            f"source id {source_id!r} is not allowed: expected lower-case letters, digits, "
            "'-' or '_' (at most 100 characters, starting with a letter or digit)",
        )
    return source_id


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A crash or a kill leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:  # or chunks: write_json
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """UTF-8, ``\\n`` line endings, atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def dump_json(data: Any) -> str:
    """Stable JSON text: sorted keys, UTF-8 kept readable, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def csv_rows(text: str) -> list[dict[str, str]]:
    """Rows of CSV text as dicts keyed by the header.

    >>> csv_rows("metric,value\\ntasks,86\\n")
    [{'metric': 'tasks', 'value': '86'}]
    """
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def csv_text(rows: Iterable[dict[str, Any]], fields: list[str]) -> str:
    """CSV with a header (always, even with no rows), ``\\n`` line ends, unknown keys refused.

    >>> csv_text([{"a": 1, "b": "x"}], ["a", "b"])
    'a,b\\n1,x\\n'
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_json(path: str | os.PathLike, data: Any) -> None:
    """:func:`dump_json` to ``path`` atomically, streamed in chunks: a large document (a 50 MB
    source's normalized JSON) is never held in memory as one string."""
    def chunks():
        pieces: list[str] = []
        size = 0
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
        for piece in encoder.iterencode(data):
            pieces.append(piece)
            size += len(piece)
            if size >= 1 << 16:
                yield "".join(pieces).encode("utf-8")
                pieces, size = [], 0
        yield ("".join(pieces) + "\n").encode("utf-8")

    atomic_write_bytes(path, chunks())


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_yaml(path: str | os.PathLike) -> Any:
    """Parse a YAML file; a syntax error becomes an :class:`InputError` with its line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(path, f"invalid YAML: {exc.problem}", line) from exc


class FontMissing(BuildStop):
    pass


def font_file(family: str) -> str:
    """Path of the font file fontconfig uses for ``family``; :class:`FontMissing` if none has it."""
    if not shutil.which("fc-match"):
        raise FontMissing("fontconfig's fc-match is not installed: run 'make setup' (Debian package fontconfig)")
    out = subprocess.run(
        ["fc-match", "--format=%{family}\n%{file}", family], capture_output=True, text=True, check=False
    ).stdout.split("\n")
    families = out[0].split(",") if out else []
    if len(out) < 2 or family not in families:
        raise FontMissing(
            f"font {family!r} is not installed (fontconfig offers {out[0]!r} instead); "
            "install Debian's fonts-noto-cjk: sudo apt-get install fonts-noto-cjk"
        )
    return out[1]


def merge_strings(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``overlay``'s keys laid over it, nested mappings merged key by key.

    >>> merge_strings({"briefing": {"page": "Page", "title": "?"}}, {"briefing": {"title": "T"}, "focus_areas": []})
    {'briefing': {'page': 'Page', 'title': 'T'}, 'focus_areas': []}
    """
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_strings(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_programme(path: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """A programme's strings (``config/programmes/{id}.yaml``): an ``en`` and a ``zh`` mapping."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(isinstance(data.get(lang), dict) for lang in ("en", "zh")):
        raise InputError(path, "expected a mapping with an 'en' and a 'zh' section (the programme's "
                         "title, subtitle, keywords and focus areas in each language)")
    return data


def load_strings(paths: list[str | os.PathLike], script: str | None = None,
                 programme: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """The bilingual string catalogs (``templates/i18n/en.yaml``, ``zh.yaml``) keyed by stem, with
    the briefing's programme strings (``programme``, see :func:`read_programme`) laid over them.

    With ``script`` (``hant`` or ``hans``) the Chinese strings are converted to that script.
    """
    strings = {Path(p).stem: read_yaml(p) for p in paths}
    if programme:
        for lang, overlay in read_programme(programme).items():
            if lang in strings:
                strings[lang] = merge_strings(strings[lang], overlay)
    if script and "zh" in strings:
        import chinese_script

        strings["zh"] = chinese_script.convert_tree(strings["zh"], script)
    return strings


def setup_logging(log_path: str | os.PathLike | None, name: str) -> logging.Logger:
    """Log to the rule's ``log:`` file and to stderr (Snakemake shows stderr on failure)."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    logger.handlers.clear()
    fmt = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(fmt)
    logger.addHandler(stream)
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
        handler.setFormatter(fmt)
        logger.addHandler(handler)
    return logger


def job(inputs: dict[str, Any], outputs: dict[str, Any], log: str | None, wildcards: dict[str, str]):
    """A stand-in for Snakemake's job object, for scripts run as plain commands (``shell:``) so that
    per-source jobs skip the ``script:`` preamble (importing Snakemake costs ~0.15 s a job)."""
    from types import SimpleNamespace

    return SimpleNamespace(input=SimpleNamespace(**inputs), output=SimpleNamespace(**outputs),
                           log=[log] if log else [], wildcards=SimpleNamespace(**wildcards))


def run_main(name: str, log_path: str | os.PathLike | None, body: Callable[[logging.Logger], Any]) -> Any:
    """Run a rule's body and return what it returns; a :class:`BuildStop` becomes a clear message
    and exit status 1."""
    logger = setup_logging(log_path, name)
    try:
        return body(logger)
    except BuildStop as exc:
        logger.error("%s", exc)
        sys.exit(1)
