"""Where a briefing's sources come from: the files in its sources folder and the links in that
folder's ``sources.yaml``. Used before any job runs (``rules/common.smk`` through
:mod:`workflow_config`) and by the per-source job (formats, metadata files).

Rules, each checked here so that a bad folder stops the run before any job starts:

* **Formats** (:data:`FORMATS`, extension case-insensitive): ``.txt``, ``.md``/``.markdown``,
  ``.html``/``.htm``, ``.pdf``, ``.docx``. Other files are listed as ignored (a warning), as are
  hidden files (``.x``) and Word's lock files (``~$x.docx``). Sub-folders are not searched
  (``fetched/`` holds the copies of record of links; a browser's ``Page_files/`` its images),
  but a folder whose name ends like a source (``x.txt/``) is an error: it looks like a source and
  would be skipped silently otherwise.
* **Ids** (:func:`source_id`): the file name without its extension as a lower-case ASCII slug:
  accents dropped (``Å`` -> ``a``), every other run of characters becomes ``-``; a name with
  letters that have no ASCII form (Chinese) gets ``-`` and 8 hex digits of the name's SHA-256 so
  that two such names never meet. Two files giving the same id are an error naming both.
  ``sources`` is reserved (``sources.yaml`` is the list of links).
* **Metadata**: the file's name with ``.yaml`` in place of its extension
  (``Press Release 2022-05.html`` -> ``Press Release 2022-05.yaml``); optional.
* **Safety**: a symbolic link that resolves outside the sources folder, a link to nothing, a
  special file (FIFO, device) and a file over the size limit (``max_source_mb``) are errors.
* **Links**: ``sources.yaml`` holds ``sources:``, a list of entries with ``id`` and ``url`` (http or
  https) plus the keys a metadata file may hold; see :func:`read_links`.

Metadata YAML is read with :func:`read_metadata_yaml`, which keeps dates as written (a string), so
that ``date: 2022-13-45`` becomes a clear error naming the file and line rather than a traceback
from the YAML library.
"""

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline_io import SOURCE_ID_RE, InputError

#: Extension (lower case) -> format read by scripts/read_source.py (``txt`` is decoded directly).
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".docx": "docx"}
#: The list of links in a sources folder; its stem is therefore not a source id.
LINKS_FILE = "sources.yaml"
#: Sub-folder of a sources folder that keeps the fetched copies of record, one folder per link.
FETCHED_DIR = "fetched"
#: Keys of a metadata file (``{name}.yaml``) and, with ``id`` and ``url``, of a ``sources.yaml`` entry.
METADATA_KEYS = ("title", "author", "date", "publisher", "url", "languages", "encoding")
LINK_KEYS = ("id",) + METADATA_KEYS
DEFAULT_MAX_MB = 20


@dataclass(frozen=True)
class Source:
    """One source: a file in the sources folder, or a link listed in ``sources.yaml``."""

    id: str
    path: str | None = None  # the file; None for a link
    format: str | None = None  # FORMATS value; None for a link (known once fetched)
    meta: str | None = None  # the metadata file beside it, if any
    url: str | None = None  # a link's address
    entry: dict[str, Any] = field(default_factory=dict)  # a link's metadata keys (dates as written)
    lines: dict[str, int] = field(default_factory=dict)  # a link's key -> line in sources.yaml
    listed_in: str | None = None  # a link's sources.yaml

    def entry_json(self) -> str:
        """A link's entry for its per-source job (``--entry``, a rule param): its metadata keys and
        the file, as JSON; empty for a file (its metadata file is an input instead). Not the keys'
        lines: a link added above this one would change them and rerun this link's job; the
        entry was checked, with its lines, when sources.yaml was read (:func:`read_links`)."""
        if not self.url:
            return ""
        import json

        return json.dumps({"meta": self.entry, "file": self.listed_in}, sort_keys=True, ensure_ascii=False)

    @property
    def store(self) -> str | None:
        """A link's folder of fetched copies of record: ``{sources_dir}/fetched/{id}``."""
        return str(Path(self.listed_in).parent / FETCHED_DIR / self.id) if self.listed_in else None


# ---------------------------------------------------------------- metadata YAML


class _MetadataLoader(yaml.SafeLoader):
    """Safe YAML, but a date stays the string it was written as (validated by normalize.py)."""


_MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp", _MetadataLoader.construct_yaml_str)


def _compose(text: str, path: str | os.PathLike) -> tuple[Any, Any]:
    """``(data, node)``: the parsed YAML and its node tree (for line numbers)."""
    try:
        node = yaml.compose(text, Loader=_MetadataLoader)
        _refuse_repeated_keys(node, path)
        return (_MetadataLoader(text).construct_document(node) if node is not None else None), node
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(path, f"invalid YAML: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None


def parse_metadata_yaml(text: str, path: str | os.PathLike) -> tuple[Any, dict[str, int]]:
    """Parse metadata YAML text; return ``(data, key_lines)`` where ``key_lines`` maps each
    top-level key to its 1-based line. A syntax error is an :class:`InputError` with its line.

    >>> parse_metadata_yaml("title: T\\ndate: 2022-13-45\\n", "x.yaml")
    ({'title': 'T', 'date': '2022-13-45'}, {'title': 1, 'date': 2})
    """
    data, node = _compose(text, path)
    return data, _key_lines(node)


def _refuse_repeated_keys(node: Any, path: str | os.PathLike) -> None:
    """A key written twice in one mapping is an error (YAML would keep the last one silently)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise InputError(path, f"key {key.value!r} is written twice", key.start_mark.line + 1)
                seen.add(key.value)
            _refuse_repeated_keys(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_repeated_keys(item, path)


def _key_lines(node: Any) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _read_utf8(path: str | os.PathLike) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 (byte {exc.start}); save it as UTF-8") from None


def read_metadata_yaml(path: str | os.PathLike) -> tuple[Any, dict[str, int]]:
    """:func:`parse_metadata_yaml` on a file (UTF-8; a BOM is allowed)."""
    return parse_metadata_yaml(_read_utf8(path), path)


# ---------------------------------------------------------------- ids


def source_id(name: str) -> str:
    """The source id for a file name without its extension: a lower-case ASCII slug.

    >>> source_id("Chongqing Press Release 2022-05")
    'chongqing-press-release-2022-05'
    >>> source_id("H1"), source_id("Ångström_notes"), source_id("a_source")
    ('h1', 'angstrom_notes', 'a_source')
    >>> source_id("重慶新聞發布會")
    'source-b6a15427'
    >>> source_id("2022 重慶發布會")
    '2022-77aba221'
    """
    folded = unicodedata.normalize("NFKD", name)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text)
    slug = re.sub(r"[-_]*-[-_]*", "-", slug).strip("-_")
    lost = any(ch.isalnum() and not ch.isascii() and unicodedata.category(ch) != "Mn" for ch in folded)
    if lost or not slug:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:90].rstrip('-_')}-{digest}" if slug else f"source-{digest}"
    return slug[:100].rstrip("-_")


# ---------------------------------------------------------------- discovery


def _is_skipped(name: str) -> bool:
    """Hidden files and Word's lock files are never sources."""
    return name.startswith((".", "~$"))


def _check_file(path: Path, folder: Path, max_bytes: int) -> None:
    """Refuse a link that leaves the folder, a link to nothing, a special file, a file too large."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise InputError(path, f"is a symbolic link to {os.readlink(path)!r}, which does not exist")
        if not target.is_relative_to(folder.resolve()):
            raise InputError(path, f"is a symbolic link to {str(target)!r}, outside the sources folder "
                             f"{str(folder)!r}; copy the file into the folder instead")
    if path.is_dir():
        raise InputError(path, f"is a folder, but its name ends like a source ({path.suffix}); "
                         "rename or remove the folder (sub-folders are not searched for sources)")
    if not path.is_file():
        raise InputError(path, "is not a regular file (a FIFO, socket or device?); expected a source document")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(path, f"is {size / 1048576:.1f} MB, over the limit of {max_bytes / 1048576:g} MB "
                         "(config key max_source_mb); split the document or raise the limit")


def discover(sources_dir: str | os.PathLike, max_mb: float = DEFAULT_MAX_MB) -> dict[str, Source]:
    """Source id -> :class:`Source` for every file and link in ``sources_dir``, sorted by id.

    Raises :class:`InputError` for everything the module docstring lists as an error, naming the
    file (both files for a duplicate id) and what to do.
    """
    folder = Path(sources_dir)
    max_bytes = int(max_mb * 1048576)
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    names = {p.name for p in entries}
    metadata = {p.name[: -len(p.suffix)]: p for p in entries if p.suffix.lower() == ".yaml" and p.name != LINKS_FILE}
    found: dict[str, Source] = {}
    origin: dict[str, str] = {}
    for path in entries:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None or _is_skipped(path.name):
            continue
        _check_file(path, folder, max_bytes)
        stem = path.name[: -len(path.suffix)]
        sid = source_id(stem)
        if sid == "sources":
            raise InputError(path, f"the name 'sources' is reserved: {LINKS_FILE} lists links; rename the file")
        if sid in origin:
            raise InputError(path, f"gives the source id {sid!r}, as {origin[sid]!r} does; rename one of them "
                             "(ids are file names in lower-case ASCII)")
        meta = metadata.get(stem)
        if meta is not None:
            _check_file(meta, folder, max_bytes)
        found[sid] = Source(sid, str(path), fmt, str(meta) if meta else None)
        origin[sid] = str(path)
    if LINKS_FILE in names:
        links_path = folder / LINKS_FILE
        _check_file(links_path, folder, max_bytes)
        for link in read_links(links_path):
            if link.id in origin:
                raise InputError(links_path, f"link id {link.id!r} is also the id of {origin[link.id]!r}; "
                                 "rename one of them", link.lines.get("id"))
            found[link.id] = link
            origin[link.id] = f"{links_path}:{link.lines.get('id')}"
    return dict(sorted(found.items()))


def ignored_files(sources_dir: str | os.PathLike) -> list[str]:
    """Files in ``sources_dir`` that are neither a source, a metadata file nor ``sources.yaml``
    (reported as a warning, so that an unsupported ``.doc`` is not missed silently)."""
    out = []
    for path in sorted(Path(sources_dir).iterdir(), key=lambda p: p.name):
        if _is_skipped(path.name) or path.is_dir():
            continue
        if path.suffix.lower() not in FORMATS and path.suffix.lower() != ".yaml":
            out.append(str(path))
    return out


def orphan_metadata(sources_dir: str | os.PathLike, sources: dict[str, Source]) -> list[str]:
    """Metadata files (``*.yaml``) with no source file of the same name beside them."""
    stems = {Path(s.path).name[: -len(Path(s.path).suffix)] for s in sources.values() if s.path}
    return sorted(str(p) for p in Path(sources_dir).glob("*")
                  if p.suffix.lower() == ".yaml" and p.name != LINKS_FILE and not _is_skipped(p.name)
                  and p.name[: -len(p.suffix)] not in stems)


# ---------------------------------------------------------------- links


def read_links(path: str | os.PathLike) -> list[Source]:
    """The links listed in ``sources.yaml``::

        sources:
          - id: pr-2022-05
            url: https://example.org/pr.html
            date: 2022-05-17
            languages: [en, zh-Hant]

    ``id`` (a source id) and ``url`` (http or https) are required; the other keys are those of a
    metadata file, checked here with :func:`normalize.validate_metadata` (so that a bad date stops
    the run before any job, naming the line). Errors name the file and the line.
    """
    data, node = _compose(_read_utf8(path), path)
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"sources"}:
        keys = sorted(map(str, data)) if isinstance(data, dict) else type(data).__name__
        raise InputError(path, f"expected one key, 'sources' (a list of links with id and url), got {keys}")
    entries = data["sources"] or []
    if not isinstance(entries, list):
        raise InputError(path, "'sources' must be a list of links, each with 'id' and 'url'", _key_lines(node).get("sources"))
    entry_nodes = next(v for k, v in node.value if k.value == "sources").value if entries else []
    links = []
    for number, (entry, entry_node) in enumerate(zip(entries, entry_nodes, strict=True), 1):
        line = entry_node.start_mark.line + 1
        if not isinstance(entry, dict):
            raise InputError(path, f"link {number}: expected a mapping with 'id' and 'url', got {entry!r}", line)
        lines = _key_lines(entry_node)
        unknown = sorted(str(k) for k in entry if k not in LINK_KEYS)
        if unknown:
            raise InputError(path, f"link {number}: unknown key(s) {unknown}; allowed keys: {list(LINK_KEYS)}",
                             lines.get(unknown[0], line))
        sid, url = entry.get("id"), entry.get("url")
        if not isinstance(sid, str) or not SOURCE_ID_RE.match(sid) or sid == "sources":
            raise InputError(path, f"link {number}: 'id' is {sid!r}; expected a source id: lower-case letters, "
                             "digits, '-' or '_' (not 'sources')", lines.get("id", line))
        if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url.strip()):
            raise InputError(path, f"link {sid!r}: 'url' is {url!r}; expected an http:// or https:// address",
                             lines.get("url", line))
        if sid in {link.id for link in links}:
            raise InputError(path, f"link id {sid!r} is listed twice", lines.get("id", line))
        import normalize  # its metadata rules; imported here because normalize imports this module

        normalize.validate_metadata({k: v for k, v in entry.items() if k != "id"}, str(path), {**lines, "entry": line})
        links.append(Source(sid, url=url.strip(), entry={k: v for k, v in entry.items() if k != "id"},
                            lines={**lines, "entry": line}, listed_in=str(path)))
    return links


def metadata_tags(source: Source) -> list[str]:
    """The language tags a source's metadata declares (its ``languages:``), read cheaply: for a file,
    a text search of its metadata file (thousands of sources stay fast); for a link, its entry."""
    if source.url:
        value = source.entry.get("languages")
        return [str(v) for v in value] if isinstance(value, list) else []
    if not source.meta:
        return []
    text = Path(source.meta).read_text(encoding="utf-8", errors="replace")
    block = re.search(r"(?m)^languages[ \t]*:(.*(?:\n(?:[ \t]+|-).*)*)", text)  # flow or block list
    return re.findall(r"\b(?:en|zh(?:-[A-Za-z]+)?)\b", block.group(1)) if block else []


def originals(sources: dict[str, Source], receipts: dict[str, dict] | None = None) -> list[dict[str, str]]:
    """The original files a briefing is made from, for the archive: per source its document (for a
    link, the fetched copy of record named in its receipt) and its metadata file, each with its
    SHA-256, plus ``sources.yaml`` when links are used. ``receipts`` maps a link's id to its fetch
    receipt (``results/{briefing}/fetched/{id}.json``).

    A link also brings the rest of its folder of record, so that a build from restored sources reads
    the stored copy and contacts no server: ``versions.json`` (role ``fetch-record``: address,
    content type and charset of each version, which one is current) and the copies of its earlier
    versions that are there (``earlier-version``, said in the briefing as "the page changed since
    version 1")."""
    out: dict[str, dict[str, str]] = {}

    def add(source_id: str, role: str, path: str, sha256: str | None = None) -> None:
        if sha256 is None:
            with open(path, "rb") as handle:
                sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        out[path] = {"source": source_id, "role": role, "path": path, "sha256": sha256}

    for sid, source in sources.items():
        if source.path:
            add(sid, "document", source.path)
        if source.meta:
            add(sid, "metadata", source.meta)
        if source.url:
            receipt = (receipts or {}).get(sid)
            if receipt:
                add(sid, "document", receipt["file"], receipt["sha256"])
                _add_record(sid, Path(receipt["file"]).parent, out, add)
            add("", "links", source.listed_in)
    return sorted(out.values(), key=lambda r: r["path"])


#: A link's record in its folder of record (scripts/fetch_sources.py, ``RECORD``).
FETCH_RECORD = "versions.json"


def _add_record(source_id: str, store: Path, out: dict[str, dict[str, str]], add) -> None:
    """``versions.json`` of a link's folder and the earlier versions it lists that are there."""
    import json

    record_path = store / FETCH_RECORD
    if not record_path.is_file():
        return
    add(source_id, "fetch-record", record_path.as_posix())
    try:
        versions = json.loads(record_path.read_text(encoding="utf-8"))["versions"]
        files = [str(v["file"]) for v in versions]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(record_path, f"not a fetch record ({type(exc).__name__}: {exc}); restore it from a "
                         "backup of the sources folder") from None
    for name in files:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise InputError(record_path, f"names the version file {name!r}, which is not a file of this folder")
        path = (store / name).as_posix()
        if path not in out and (store / name).is_file():
            add(source_id, "earlier-version", path)
