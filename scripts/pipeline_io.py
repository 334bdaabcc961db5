"""Helpers shared by every rule script: atomic writes, YAML/JSON I/O, logging, input errors.

Everything here is small and dependency-light (stdlib + PyYAML) so that per-source steps stay
cheap to start. Scripts import it as ``import pipeline_io`` (Snakemake puts ``scripts/`` on
``sys.path`` for ``script:`` rules); rules list this file under ``input.code`` so that a change
here reruns the rules that use it.
"""


import contextlib
import functools
import hashlib
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

class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser when PyYAML was built with it (10x faster; the same documents, the same
    errors), refusing a key written twice in one mapping (PyYAML would keep the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} is written twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_YAML_LOADER = _UniqueKeyLoader

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
        self.rule: str | None = None  # the schema rule that failed (check_against_schema)
        self.value: Any = None
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


class WriteError(BuildStop):
    """A file could not be written (disk full, read-only folder, no permission): names the file and
    the cause; the file's previous version, if any, is unchanged and no temporary file is left."""


#: Temporary files of :func:`atomic_write_bytes`: ``.{name}.{pid}.{8 random characters}.tmp`` (the
#: form without the pid is what earlier versions wrote).
_TEMP_TAIL_RE = re.compile(r"^(?:(?P<pid>[0-9]+)\.)?[a-z0-9_]{8}\.tmp$")
_TEMP_RE = re.compile(r"^\.(?P<target>.+?)\.(?P<tail>(?:[0-9]+\.)?[a-z0-9_]{8}\.tmp)$")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    return True


def _stale_tail(tail: str) -> bool:
    """A temporary file's tail (``{pid}.{random}.tmp``) names a writer that no longer runs."""
    match = _TEMP_TAIL_RE.match(tail)
    return bool(match) and not (match.group("pid") and _process_alive(int(match.group("pid"))))


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []


def stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Temporary files that an interrupted :func:`atomic_write_bytes` of ``path`` left behind: the
    writer's pid (in the name) no longer runs. A live writer's temporary file is never listed, so a
    dry run or a concurrent job cannot lose its file; only this exact target's temporaries are.

    >>> import tempfile, subprocess, sys
    >>> folder = Path(tempfile.mkdtemp())
    >>> gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
    ...                       text=True).stdout.strip()
    >>> names = [f".a.pdf.{gone}.abcd1234.tmp", f".a.pdf.{os.getpid()}.abcd1234.tmp", ".a.pdf.notes.txt",
    ...          f".a.pdf.html.{gone}.abcd1234.tmp"]
    >>> for name in names:
    ...     _ = (folder / name).write_bytes(b"")
    >>> [p.name == names[0] for p in stale_temporaries(folder / "a.pdf")]
    [True]
    >>> sorted(p.name for p in stale_temporaries_in(folder)) == sorted([names[0], names[3]])
    True
    >>> shutil.rmtree(folder)
    """
    path = Path(path)
    prefix = f".{path.name}."
    return [p for p in _entries(path.parent) if p.name.startswith(prefix) and _stale_tail(p.name[len(prefix):])]


def stale_temporaries_in(folder: str | os.PathLike) -> list[Path]:
    """Every stale temporary file in ``folder``, whatever its target (see :func:`stale_temporaries`)."""
    found = []
    for entry in _entries(Path(folder)):
        match = _TEMP_RE.match(entry.name)
        if match and _stale_tail(match.group("tail")):
            found.append(entry)
    return found


def remove_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Delete ``paths``, skipping any that cannot be removed (left for a later run); returns the removed."""
    removed = []
    for path in paths:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(Path(path))
    return removed


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Delete the :func:`stale_temporaries` of ``path``: a run killed with SIGKILL cannot clean up
    after itself, so the next write of the same file does."""
    return remove_files(stale_temporaries(path))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks: ``write_json``) to ``path`` through a
    temporary file in the same folder and a rename.

    A crash or a kill leaves either the old file or the new one, never half of one. Temporary files
    of the same target left by a killed writer are removed first. A write that fails (disk full,
    read-only folder) raises :class:`WriteError` naming the file and the cause, and leaves nothing.
    """
    with atomic_open(path) as handle:
        for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:
            handle.write(chunk)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike):
    """A binary file handle to write ``path`` bit by bit, with :func:`atomic_write_bytes`'s promise:
    the file appears whole when the block ends without an error, else not at all (its temporary
    file is named as :func:`stale_temporaries` finds them, so a killed writer's is removed by the next)."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def copy_verified(source: str | os.PathLike, target: str | os.PathLike, sha256: str, *,
                  unreadable: Callable[[OSError], str], altered: Callable[[str], str]) -> None:
    """Copy ``source`` to ``target`` atomically, in 1 MB chunks, checking on the way that its bytes
    still have ``sha256``. A read error stops with ``unreadable(error)``, other bytes with
    ``altered(actual sha256)`` (both :class:`BuildStop`); ``target`` is then not written."""

    def chunks():
        digest = hashlib.sha256()
        try:
            with open(source, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    yield chunk
        except OSError as exc:
            raise BuildStop(unreadable(exc)) from exc
        if digest.hexdigest() != sha256:
            raise BuildStop(altered(digest.hexdigest()))

    atomic_write_bytes(target, chunks())


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


def shown_path(path: str | os.PathLike, workflow_root: str | os.PathLike = ".") -> str:
    """How the colophon and the archive manifest name an input: a file of the workflow itself
    (under ``workflow_root``, the workflow's folder relative to the working directory) relative to
    that folder, any other (sources, catalog, programme) as the config gives it. So a briefing built
    with ``--directory`` or as a module names its inputs as a plain build does.

    >>> shown_path("../wf/templates/briefing.css", "../wf"), shown_path("config/metrics.yaml", "../wf")
    ('templates/briefing.css', 'config/metrics.yaml')
    >>> shown_path("templates/briefing.css"), shown_path("./data/sources/a.txt", ".")
    ('templates/briefing.css', 'data/sources/a.txt')
    """
    text, root = os.path.normpath(path), os.path.normpath(workflow_root)
    if root != "." and text.startswith(root + os.sep):
        text = os.path.relpath(text, root)
    return Path(text).as_posix()


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


def json_chunks(data: Any, newline: bool = False):
    """:func:`dump_json`'s text of ``data`` as UTF-8 chunks of about 64 KB (without the final newline
    unless asked): a large document is never held in memory as one string.

    >>> b"".join(json_chunks({"b": 1, "a": "é"}, newline=True)).decode() == dump_json({"b": 1, "a": "é"})
    True
    """
    pieces: list[str] = []
    size = 0
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    for piece in encoder.iterencode(data):
        pieces.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            yield "".join(pieces).encode("utf-8")
            pieces, size = [], 0
    yield ("".join(pieces) + ("\n" if newline else "")).encode("utf-8")


def write_json(path: str | os.PathLike, data: Any) -> None:
    """:func:`dump_json` to ``path`` atomically, streamed in chunks (:func:`json_chunks`): a large
    document (a 50 MB source's normalized JSON) is never held in memory as one string."""
    atomic_write_bytes(path, json_chunks(data, newline=True))


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_yaml(path: str | os.PathLike) -> Any:
    """Parse a YAML file; a syntax error becomes an :class:`InputError` with its line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(path, f"invalid YAML: {exc.problem}", line) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


@functools.lru_cache(maxsize=None)
def _schema_validator(schema_path: str):
    import fastjsonschema

    return fastjsonschema.compile(read_yaml(schema_path))


def check_against_schema(data: Any, schema_path: str | os.PathLike, path: str | os.PathLike) -> None:
    """Check parsed YAML against a JSON Schema file (draft-07, compiled once with fastjsonschema:
    ~30 ms to import, which matters in per-source jobs). A violation is an :class:`InputError`
    naming ``path``, the key and what is allowed; its ``rule`` and ``value`` say which check failed.

    >>> import tempfile
    >>> schema = Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = schema.write_text("type: object\\nproperties: {size: {enum: [small, large]}}\\n")
    >>> try:
    ...     check_against_schema({"size": "huge"}, schema, "x.yaml")
    ... except InputError as exc:
    ...     print(exc)
    x.yaml: size is 'huge'; expected one of ['small', 'large']
    """
    import fastjsonschema

    try:
        _schema_validator(str(schema_path))(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        where = ".".join(str(p) for p in exc.path[1:]) or "(top level)"
        rule, value, definition = exc.rule, exc.value, exc.definition or {}
        if rule == "const":
            message = f"{where} is {value!r}; expected {definition.get('const')!r}"
        elif rule == "enum":
            message = f"{where} is {value!r}; expected one of {definition.get('enum')}"
        elif rule == "required":
            missing = [k for k in definition.get("required", []) if not isinstance(value, dict) or k not in value]
            message = f"{where} is missing {', '.join(repr(k) for k in missing)}"
        elif rule == "additionalProperties":
            unknown = sorted(set(value) - set(definition.get("properties", {}))) if isinstance(value, dict) else []
            message = (f"{where} has unknown key(s) {unknown}; allowed: "
                       f"{', '.join(sorted(definition.get('properties', {})))}")
        elif rule == "type":
            message = f"{where} is {type(value).__name__} {value!r}; expected {definition.get('type')}"
        else:
            message = exc.message.replace("data.", "").replace("data ", "")
        error = InputError(path, message)
        error.rule, error.value = rule, value
        raise error from None


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


def load_strings(paths: list[str | os.PathLike], script: str | None = None,
                 programme: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """The bilingual string catalogs (``templates/i18n/en.yaml``, ``zh.yaml``) keyed by stem, with
    the briefing's own words (the ``en``/``zh`` sections of its programme file, read and checked by
    :mod:`programme`) laid over them.

    With ``script`` (``hant`` or ``hans``) the Chinese strings are converted to that script.
    """
    strings = {Path(p).stem: read_yaml(p) for p in paths}
    if programme:
        import programme as programme_module

        for lang, overlay in programme_module.load(programme).strings.items():
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
