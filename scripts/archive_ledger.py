"""The archive's layout and its two chained ledgers, read and checked: what every reader of the
archive needs, and what the Snakemake DAG asks before any job runs (the previous briefing's
manifest for "what changed", the files a manifest hashes, whether an archive receipt still holds,
the archive head printed at the end of a run).

Reading only: nothing here writes to the archive. :mod:`archive_briefing` (the archive rule's
script) writes versions and ledger rows; :mod:`verify_archive` rechecks everything. Keeping the
DAG's helpers here means ``rules/common.smk`` imports no rule's script. The ledger format and what
it guarantees are described in :mod:`archive_briefing`.
"""

import csv
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

import pipeline_io
from contracts import PERIOD_PATTERN
from pipeline_io import BuildStop, sha256_file

PERIOD_RE = re.compile(f"^{PERIOD_PATTERN}$")
BRIEFING_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_RE = re.compile(r"^manifest(?:-r([2-9]|[1-9][0-9]+))?\.json$")
LEDGER = "index.csv"
INDEX_CSV = LEDGER
INDEX_HTML = "index.html"
ROOT_LEDGER = "briefings.csv"
LOCK_FILE = ".lock"
#: Columns of a briefing's ledger; ``prev_sha256`` chains each row to the one before.
LEDGER_FIELDS = ["period", "revision", "pdf", "pdf_sha256", "html", "html_sha256", "manifest",
                 "manifest_sha256", "git_commit", "git_dirty", "prev_sha256"]
#: The ledger before it was chained (no migration: it is recognised and explained, not read).
OLD_LEDGER_FIELDS = LEDGER_FIELDS[:-1]
#: Columns of the root ledger: one row each time a briefing's ledger grows.
ROOT_FIELDS = ["briefing", "versions", "head_sha256", "prev_sha256"]
#: What the first row of a ledger chains from.
GENESIS = "0" * 64
#: The briefing's store of originals, shared by all its versions: ``{archive_dir}/{briefing}/originals/``.
ORIGINALS_DIR = "originals"
#: Manifest formats this version reads: 1 (no originals) and 2 (``sources_dir`` and ``originals``).
MANIFEST_FORMATS = (1, 2)
#: Keys of one entry of a format-2 manifest's ``originals``.
ORIGINAL_KEYS = ("bytes", "copy", "name", "path", "role", "sha256", "source")
#: What an original is to its source (scripts/source_files.py, ``originals``).
ORIGINAL_ROLES = ("document", "metadata", "links", "fetch-record", "earlier-version")
# --- names and hashes -------------------------------------------------------------------------

def sha256_bytes(data: bytes) -> str:
    """
    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file, read in chunks (an original may be tens of MB)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_period(period: str) -> str:
    if not PERIOD_RE.match(period or ""):
        raise BuildStop(f"period {period!r} is not allowed: expected YYYY-MM with month 01-12")
    return period


def check_briefing_id(briefing: str) -> str:
    if not BRIEFING_RE.match(briefing or "") or briefing == "briefing":
        raise BuildStop(f"briefing id {briefing!r} is not allowed: expected lower-case letters, digits, '-' or '_'")
    return briefing


def version_names(period: str, revision: int) -> dict[str, str]:
    """File names of one archived version; revision 1 is the original.

    >>> version_names("2026-11", 1)["pdf"], version_names("2026-11", 1)["manifest"]
    ('briefing-2026-11.pdf', 'manifest.json')
    >>> version_names("2026-11", 3)["html"], version_names("2026-11", 3)["manifest"]
    ('briefing-2026-11-r3.html', 'manifest-r3.json')
    """
    suffix = "" if revision == 1 else f"-r{revision}"
    return {
        "pdf": f"briefing-{period}{suffix}.pdf",
        "html": f"briefing-{period}{suffix}.html",
        "manifest": f"manifest{suffix}.json",
    }


def manifest_revision(name: str) -> int | None:
    """
    >>> manifest_revision("manifest.json"), manifest_revision("manifest-r2.json"), manifest_revision("manifest-r10.json")
    (1, 2, 10)
    >>> manifest_revision("manifest-r1.json"), manifest_revision("manifest-r02.json"), manifest_revision("x.json")
    (None, None, None)
    """
    match = MANIFEST_RE.match(name)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else 1


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = pipeline_io.read_json(path)
    except (OSError, ValueError) as exc:
        raise BuildStop(f"{path}: archived manifest cannot be read ({exc}); run make verify-archive") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise BuildStop(f"{path}: archived manifest has no 'files' table; run make verify-archive")
    return data

# --- originals ------------------------------------------------------------------------------

def original_copy(sha256: str, name: str) -> str:
    """Where an original is kept, relative to the briefing's archive folder: named by its SHA-256
    (content-addressed: the same bytes are stored once, whichever version or name lists them),
    with the original's extension in lower case when it is a plain one, so that it opens by a click.

    >>> original_copy("ab" * 32, "Press Release 2022-05.HTML") == f"originals/{'ab' * 32}.html"
    True
    >>> original_copy("ab" * 32, "fetched/pr/versions.json")[-5:], original_copy("ab" * 32, "README")[-4:]
    ('.json', 'abab')
    """
    suffix = PurePosixPath(name).suffix.lower()
    return f"{ORIGINALS_DIR}/{sha256}" + (suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else "")


def safe_name(name: Any) -> bool:
    """A path inside the sources folder that a restore may write: relative, no ``..``, no empty part.

    >>> [safe_name(n) for n in ("a b.txt", "fetched/pr/v1-abc.html", "重慶.pdf")]
    [True, True, True]
    >>> [safe_name(n) for n in ("/etc/passwd", "../x.txt", "a//b", "a/./b", "", "a\\x00b", 3)]
    [False, False, False, False, False, False, False]
    """
    if not isinstance(name, str) or not name or "\x00" in name or name.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def manifest_originals(manifest: dict[str, Any], where: str) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """``(originals, problems)`` of a manifest: its list of originals (None for a format-1 manifest,
    written before originals were kept), and what is malformed in it. Each entry names the file as
    the project did (``path``), inside the sources folder (``name``), its ``source`` and ``role``,
    its SHA-256 and size, and its ``copy`` in the briefing's archive, which must be the one its hash
    gives (so a forged entry cannot point outside ``originals/``).

    >>> entry = {"bytes": 3, "copy": original_copy("a" * 64, "a.txt"), "name": "a.txt", "path": "data/sources/a.txt",
    ...          "role": "document", "sha256": "a" * 64, "source": "a"}
    >>> manifest_originals({"format": 2, "sources_dir": "data/sources", "originals": [entry]}, "m.json")[1]
    []
    >>> manifest_originals({"format": 1}, "m.json")
    (None, [])
    >>> forged = {"format": 2, "sources_dir": "data/sources", "originals": [{**entry, "copy": "../../x"}]}
    >>> manifest_originals(forged, "m.json")[1][0][:62]
    "m.json: original 1 (data/sources/a.txt) has copy '../../x', ex"
    """
    fmt = manifest.get("format", 1)
    if fmt not in MANIFEST_FORMATS:
        return None, [f"{where}: manifest format {fmt!r}, which this version cannot read (it reads "
                      f"{', '.join(map(str, MANIFEST_FORMATS))}): verify it with the pipeline version that wrote it"]
    if fmt == 1:
        return None, []
    entries = manifest.get("originals")
    if not isinstance(entries, list) or not isinstance(manifest.get("sources_dir"), str):
        return [], [f"{where}: a format-{fmt} manifest without 'sources_dir' and a list of 'originals'"]
    problems = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or sorted(entry) != sorted(ORIGINAL_KEYS):
            problems.append(f"{where}: original {number} is not an entry with {', '.join(ORIGINAL_KEYS)}")
            continue
        label = f"{where}: original {number} ({entry['path']})"
        if not (isinstance(entry["sha256"], str) and SHA256_RE.match(entry["sha256"])):
            problems.append(f"{label} has sha256 {entry['sha256']!r}, not a SHA-256")
        elif entry["copy"] != original_copy(entry["sha256"], str(entry["name"])):
            problems.append(f"{label} has copy {entry['copy']!r}, expected "
                            f"{original_copy(entry['sha256'], str(entry['name']))!r}")
        if not safe_name(entry["name"]):
            problems.append(f"{label} has name {entry['name']!r}, not a path inside the sources folder")
        if entry["role"] not in ORIGINAL_ROLES or not isinstance(entry["bytes"], int) or entry["bytes"] < 0:
            problems.append(f"{label} has role {entry['role']!r} and bytes {entry['bytes']!r}; expected one of "
                            f"{', '.join(ORIGINAL_ROLES)} and a size")
    names = [e.get("name") for e in entries if isinstance(e, dict)]
    if len(set(names)) != len(names):
        problems.append(f"{where}: an original's name is listed twice")
    return entries, problems

# --- chained ledgers --------------------------------------------------------------------------

def row_bytes(row: dict[str, str], fields: list[str]) -> bytes:
    """One ledger row as it is stored: a CSV line ending in ``\\n``. Its SHA-256 is what the next row's
    ``prev_sha256`` records.

    >>> row_bytes({"briefing": "main", "versions": "1", "head_sha256": "ab", "prev_sha256": GENESIS}, ROOT_FIELDS)[:21]
    b'main,1,ab,00000000000'
    """
    return pipeline_io.csv_text([row], fields).split("\n", 1)[1].encode("utf-8")


def header_bytes(fields: list[str]) -> bytes:
    return (",".join(fields) + "\n").encode("utf-8")


def parse_chain(data: bytes, fields: list[str],
                where: str = "ledger") -> tuple[list[dict[str, str]], list[str], list[str]]:
    """``(rows, heads, problems)`` of a chained ledger's bytes. Pure.

    ``heads[n]`` is the SHA-256 of row n's bytes (``heads[0]`` is :data:`GENESIS`); row n's
    ``prev_sha256`` must equal ``heads[n - 1]``. Reading stops at the first malformed row.

    >>> one = {"briefing": "main", "versions": "1", "head_sha256": "a" * 64, "prev_sha256": GENESIS}
    >>> data = header_bytes(ROOT_FIELDS) + row_bytes(one, ROOT_FIELDS)
    >>> rows, heads, problems = parse_chain(data, ROOT_FIELDS)
    >>> len(rows), heads[1] == sha256_bytes(row_bytes(one, ROOT_FIELDS)), problems
    (1, True, [])
    >>> parse_chain(data.replace(b"main,1", b"main,2"), ROOT_FIELDS)[2]
    []
    >>> two = {**one, "versions": "2", "prev_sha256": heads[1]}
    >>> edited = (data + row_bytes(two, ROOT_FIELDS)).replace(b"main,1", b"main,9")
    >>> problem = parse_chain(edited, ROOT_FIELDS, "briefings.csv")[2][0]
    >>> problem.startswith("briefings.csv: row 2 (line 3) records prev_sha256"), "row 1 was edited" in problem
    (True, True)
    """
    rows: list[dict[str, str]] = []
    heads = [GENESIS]
    if not data:
        return rows, heads, [f"{where}: empty (expected the header line {','.join(fields)})"]
    lines = data.split(b"\n")
    problems = []
    if lines[-1] == b"":
        lines.pop()
    else:
        problems.append(f"{where}: the last line has no line end (a write was cut short, or the file was edited)")
    try:
        header = next(csv.reader([lines[0].decode("utf-8")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        header = None
    if header != fields:
        if header == OLD_LEDGER_FIELDS and fields == LEDGER_FIELDS:
            problems.append(f"{where}: a ledger in the old format (no prev_sha256 column, written before the ledger "
                            "was chained); this version cannot verify it. Archive into a new, empty archive_dir "
                            "(README, 'Running monthly')")
        else:
            problems.append(f"{where}: unexpected header {header}; expected {fields}")
        return rows, heads, problems
    for number, line in enumerate(lines[1:], start=1):
        try:
            values = next(csv.reader([line.decode("utf-8")]))
        except (UnicodeDecodeError, csv.Error, StopIteration):
            values = None
        if values is None or len(values) != len(fields):
            problems.append(f"{where}: row {number} (line {number + 1}) is not a row of {len(fields)} fields")
            break
        row = dict(zip(fields, values))
        if row["prev_sha256"] != heads[-1]:
            before = "the chain starts from the genesis value 000…0" if number == 1 else \
                f"row {number - 1} hashes to {heads[-1]}"
            problems.append(f"{where}: row {number} (line {number + 1}) records prev_sha256 {row['prev_sha256']}, "
                            f"but {before}: row {number - 1} was edited, or rows were removed or inserted "
                            f"before row {number}")
        rows.append(row)
        heads.append(sha256_bytes(line + b"\n"))
    return rows, heads, problems


@dataclass
class Chain:
    """A ledger file as read: its rows, the head after each row, and what is wrong with it."""

    path: Path
    fields: list[str]
    exists: bool = False
    data: bytes = b""
    rows: list[dict[str, str]] = field(default_factory=list)
    heads: list[str] = field(default_factory=lambda: [GENESIS])
    problems: list[str] = field(default_factory=list)

    @property
    def head(self) -> str:
        return self.heads[-1]


def read_chain(path: str | os.PathLike, fields: list[str]) -> Chain:
    path = Path(path)
    chain = Chain(path, fields)
    if not path.exists() and not path.is_symlink():
        return chain
    chain.exists = True
    try:
        chain.data = path.read_bytes()
    except OSError as exc:
        chain.problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return chain
    chain.rows, chain.heads, chain.problems = parse_chain(chain.data, fields, str(path))
    return chain

# --- checking a briefing's archive against its ledgers ----------------------------------------

def row_problems(row: dict[str, str], number: int, where: str) -> list[str]:
    """What is malformed in a ledger row (names, hashes); the paths must be the ones the period and
    revision give, so that a forged row cannot point outside the period's folder.

    >>> row = {"period": "2026-11", "revision": "1", "pdf": "2026-11/briefing-2026-11.pdf", "pdf_sha256": "a" * 64,
    ...        "html": "2026-11/briefing-2026-11.html", "html_sha256": "b" * 64, "manifest": "2026-11/manifest.json",
    ...        "manifest_sha256": "c" * 64, "git_commit": "", "git_dirty": ""}
    >>> row_problems(row, 1, "index.csv")
    []
    >>> row_problems({**row, "manifest": "../../x.json"}, 1, "index.csv")
    ["index.csv: row 1 names manifest '../../x.json', expected '2026-11/manifest.json'"]
    """
    if not PERIOD_RE.match(row.get("period", "")) or not re.fullmatch(r"[1-9][0-9]*", row.get("revision", "")):
        return [f"{where}: row {number} has period {row.get('period')!r} and revision {row.get('revision')!r}; "
                "expected YYYY-MM and a number from 1"]
    problems = []
    names = version_names(row["period"], int(row["revision"]))
    for kind in ("pdf", "html", "manifest"):
        expected = f"{row['period']}/{names[kind]}"
        if row[kind] != expected:
            problems.append(f"{where}: row {number} names {kind} {row[kind]!r}, expected {expected!r}")
        if not SHA256_RE.match(row[f"{kind}_sha256"]):
            problems.append(f"{where}: row {number} has {kind}_sha256 {row[f'{kind}_sha256']!r}, not a SHA-256")
    return problems


@dataclass
class VersionCheck:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Missing files whose bytes we hold with exactly the recorded hash: (path, bytes).
    restorable: list[tuple[Path, bytes]] = field(default_factory=list)
    #: Missing originals whose bytes are in a file this run holds with the recorded hash: (copy, file).
    restorable_originals: list[tuple[Path, Path]] = field(default_factory=list)
    periods: int = 0
    versions: int = 0
    files: int = 0
    #: Originals listed by the manifests (an unchanged file listed by 12 versions counts 12 times)...
    originals: int = 0
    #: ...and the distinct copies in ``originals/`` they name.
    stored: int = 0
    #: Every copy in ``originals/`` a listed manifest names (those a run may not remove).
    referenced: set[Path] = field(default_factory=set)
    #: ``(period, revision)`` -> number of originals its manifest lists; None for a format-1 manifest.
    counts: dict[tuple[str, int], int | None] = field(default_factory=dict)
    #: Listed manifests of format 1, written before originals were kept.
    legacy: list[Path] = field(default_factory=list)


def check_versions(archive: Path, chain: Chain, hold: dict[Path, bytes] | None = None,
                   held_originals: dict[str, Path] | None = None) -> VersionCheck:
    """Every version ``chain`` lists: its manifest and files exist with the recorded hashes, the
    manifest agrees with the row, and every original it lists is in ``originals/`` with its hash.
    ``hold`` maps paths to bytes this run could put back, ``held_originals`` SHA-256 to a file with
    those bytes. Files in the period folders that no row lists, and copies in ``originals/`` that no
    listed manifest names, are notes (leftovers of an interrupted run).

    Each copy is hashed once, however many versions list it (the store holds each content once).
    """
    hold = hold or {}
    result = VersionCheck()
    listed: set[Path] = set()
    latest: dict[str, int] = {}
    #: copy -> (sha256, bytes, the manifests that list it, the first entry naming it)
    copies: dict[Path, tuple[str, int, list[str], dict[str, Any]]] = {}
    for number, row in enumerate(chain.rows, start=1):
        malformed = row_problems(row, number, str(chain.path))
        if malformed:
            result.problems += malformed
            continue
        period, revision = row["period"], int(row["revision"])
        if revision != latest.get(period, 0) + 1:
            result.problems.append(
                f"{chain.path}: row {number} records {period} revision {revision} after revision "
                f"{latest.get(period, 0)}: a revision is only ever added (next: {latest.get(period, 0) + 1}), never "
                "substituted or repeated")
        latest[period] = max(latest.get(period, 0), revision)
        result.versions += 1
        where = f"{chain.path.name} row {number}, {period} revision {revision}"
        for kind in ("pdf", "html", "manifest"):
            path = archive / row[kind]
            listed.add(path)
            expected = row[f"{kind}_sha256"]
            if kind != "manifest":
                result.files += 1
            if not path.is_file():
                if kind != "manifest" and path in hold and sha256_bytes(hold[path]) == expected:
                    result.restorable.append((path, hold[path]))
                else:
                    result.problems.append(f"{path}: missing ({where}, sha256 {expected})")
                continue
            try:
                actual = sha256_file(path)
            except OSError as exc:
                result.problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
                continue
            if actual != expected:
                result.problems.append(f"{path}: altered (sha256 {actual}; {where} records {expected})")
            elif kind == "manifest":
                manifest, found = listed_manifest(path, row, period, revision)
                result.problems += found
                entries, found = manifest_originals(manifest or {}, str(path)) if manifest else (None, [])
                result.problems += found
                result.counts[(period, revision)] = None if entries is None else len(entries)
                if manifest and entries is None and not found:
                    result.legacy.append(path)
                for entry in entries or []:
                    if found:
                        break  # a malformed list names no copy to check
                    result.originals += 1
                    copy = archive / entry["copy"]
                    if copy in copies:
                        copies[copy][2].append(f"{period}/{path.name}")
                    else:
                        copies[copy] = (entry["sha256"], entry["bytes"], [f"{period}/{path.name}"], entry)
    result.periods = len(latest)
    result.referenced = set(copies)
    result.stored = len(copies)
    for copy, (sha, size, manifests, entry) in sorted(copies.items()):
        result.problems += original_problems(copy, sha, size, manifests, entry, held_originals or {}, result)
    for folder in sorted(p for p in pipeline_io._entries(archive) if p.is_dir() and PERIOD_RE.match(p.name)):
        for extra in pipeline_io._entries(folder):
            if extra in listed:
                continue
            if extra.name.startswith(".") and extra.name.endswith(".tmp"):
                result.notes.append(f"{extra}: temporary file left by an interrupted run (the next archive run "
                                    "removes it)")
            else:
                result.notes.append(f"{extra}: not published (no ledger row lists it); left by an interrupted run, "
                                    f"the next archive run of {folder.name} replaces it")
    for extra in pipeline_io._entries(archive / ORIGINALS_DIR):
        if extra in copies:
            continue
        if extra.name.startswith(".") and extra.name.endswith(".tmp"):
            result.notes.append(f"{extra}: temporary file left by an interrupted run (the next archive run "
                                "removes it)")
        else:
            result.notes.append(f"{extra}: not published (no listed manifest names it); left by an interrupted "
                                "run, the next archive run removes it")
    return result


def original_problems(copy: Path, sha: str, size: int, manifests: list[str], entry: dict[str, Any],
                      held: dict[str, Path], result: VersionCheck) -> list[str]:
    """One copy in ``originals/``: present (or restorable from a file this run holds) with the
    recorded SHA-256 and size. A problem names the original as the project knew it and the
    manifests listing it."""
    later = f" and {len(manifests) - 1} later version(s)" if len(manifests) > 1 else ""
    what = (f"original {entry['path']} ({entry['role']} of source {entry['source'] or '-'}), listed by "
            f"{manifests[0]}{later}")
    if not copy.is_file():
        if sha in held:
            result.restorable_originals.append((copy, held[sha]))
            return []
        return [f"{copy}: missing ({what}, sha256 {sha})"]
    try:
        actual_size, actual = copy.stat().st_size, file_sha256(copy)
    except OSError as exc:
        return [f"{copy}: cannot be read ({exc.strerror or exc}; {what})"]
    if actual_size != size or actual != sha:
        return [f"{copy}: altered (sha256 {actual}, {actual_size} bytes; {what}, recorded sha256 {sha}, {size} bytes)"]
    return []


def listed_manifest(path: Path, row: dict[str, str], period: str,
                    revision: int) -> tuple[dict[str, Any] | None, list[str]]:
    """A manifest with the recorded hash, read, and whether it says what the row says (it always
    does unless the row and the manifest were forged together)."""
    try:
        manifest = read_manifest(path)
    except BuildStop as exc:
        return None, [str(exc)]
    names = version_names(period, revision)
    files = {names["pdf"]: row["pdf_sha256"], names["html"]: row["html_sha256"]}
    if manifest.get("period") != period or manifest.get("revision") != revision or manifest["files"] != files:
        return manifest, [f"{path}: says period {manifest.get('period')!r} revision {manifest.get('revision')!r} with "
                          f"files {manifest['files']}, but the ledger row says {period} revision {revision} with {files}"]
    return manifest, []


def manifest_problems(path: Path, row: dict[str, str], period: str, revision: int) -> list[str]:
    """What :func:`listed_manifest` finds wrong with a listed manifest."""
    return listed_manifest(path, row, period, revision)[1]


def root_records(root_chain: Chain, briefing: str) -> list[tuple[int, int, str]]:
    """``(root row number, versions, head)`` of every root-ledger record of ``briefing``."""
    found = []
    for number, row in enumerate(root_chain.rows, start=1):
        if row.get("briefing") == briefing:
            versions = int(row["versions"]) if re.fullmatch(r"[0-9]+", row.get("versions", "")) else -1
            found.append((number, versions, row.get("head_sha256", "")))
    return found


def record_problems(root_chain: Chain, briefing: str, chain: Chain) -> tuple[list[str], int]:
    """``(problems, unrecorded)``: each root record of ``briefing`` must be a head its ledger passed
    through (rows only appended); ``unrecorded`` counts the ledger's rows after the last record."""
    problems = []
    recorded = 0
    root = root_chain.path
    records = root_records(root_chain, briefing)
    if records and not chain.exists:
        number, versions, head = records[-1]
        where = f"{root} row {number} records {versions} version(s) of {briefing} with head {head}"
        if not chain.path.parent.is_dir():
            return [f"{chain.path.parent}: missing, the whole briefing folder ({where})"], 0
        return [f"{chain.path}: missing ({where})"], 0
    for number, versions, head in records:
        where = f"{root} row {number} records {versions} version(s) of {briefing} with head {head}"
        if versions < recorded:
            problems.append(f"{where}, fewer than the {recorded} recorded before: a ledger never shrinks")
        if versions > len(chain.rows):
            problems.append(f"{chain.path}: has {len(chain.rows)} row(s), but {where}: rows were removed")
        elif chain.heads[versions] != head:
            problems.append(f"{chain.path}: its first {versions} row(s) hash to {chain.heads[versions]}, but {where}: "
                            "the ledger was rewritten")
        recorded = max(recorded, versions)
    return problems, max(len(chain.rows) - recorded, 0)


def briefings_on_disk(root: Path) -> list[str]:
    """Folders of ``root`` that hold a briefing's archive (a ledger or a period folder)."""
    found = []
    for folder in pipeline_io._entries(root):
        if folder.is_dir() and BRIEFING_RE.match(folder.name) and (
                (folder / LEDGER).exists() or any(PERIOD_RE.match(p.name) for p in pipeline_io._entries(folder))):
            found.append(folder.name)
    return found


def unrecorded_problem(chain: Chain, unrecorded: int) -> str:
    first = len(chain.rows) - unrecorded + 1
    return (f"{chain.path}: row(s) {first}-{len(chain.rows)} are not recorded in {ROOT_LEDGER}: a run was "
            "interrupted between the two ledgers (the next archive run records them), or rows were added by hand")

# --- what the DAG asks (rules/common.smk, rules/archive.smk) ----------------------------------

def previous_manifest_path(archive_dir: str | os.PathLike, period: str) -> str | None:
    """Path of the manifest of the newest version the ledger lists for a period strictly before
    ``period`` (its latest revision); versions whose manifest is gone are skipped.

    Meant for a Snakemake input function, so that the renderer's job depends on that file.
    """
    check_period(period)
    chain = read_chain(Path(archive_dir) / LEDGER, LEDGER_FIELDS)
    best: tuple[str, int] | None = None
    for number, row in enumerate(chain.rows, start=1):
        if row_problems(row, number, "") or row["period"] >= period:
            continue
        key = (row["period"], int(row["revision"]))
        path = Path(archive_dir) / row["period"] / version_names(*key)["manifest"]
        if path.is_file() and (best is None or key > best):
            best = key
    return str(Path(archive_dir) / best[0] / version_names(*best)["manifest"]) if best else None


def previous_manifest(archive_dir: str | os.PathLike, period: str) -> dict[str, Any] | None:
    """The manifest :func:`previous_manifest_path` names, or None."""
    path = previous_manifest_path(archive_dir, period)
    return read_manifest(Path(path)) if path else None


def archive_head(root: str | os.PathLike) -> str | None:
    """One line about the archive's head for the end of a run, or None when there is no archive yet."""
    chain = read_chain(Path(root) / ROOT_LEDGER, ROOT_FIELDS)
    if not chain.exists:
        return None
    state = "" if not chain.problems else f" (but {ROOT_LEDGER} is damaged: run make verify-archive)"
    return f"Archive {root}: head sha256 {chain.head}{state}"


def manifest_inputs(sources_dir: str | os.PathLike, sources: Iterable[str], others: Iterable[str]) -> list[str]:
    """The input files a manifest hashes: each source's text and metadata (if present), then ``others``."""
    files = {f"{Path(sources_dir).as_posix()}/{s}.txt" for s in sources}
    files |= {(Path(sources_dir) / f"{s}.yaml").as_posix() for s in sources if (Path(sources_dir) / f"{s}.yaml").exists()}
    return sorted(files | {str(o) for o in others})


def receipt_state(receipt: str | os.PathLike) -> str:
    """``"ok"`` unless the archive no longer matches what an existing receipt recorded.

    rules/archive.smk passes this as a ``params:`` value, so that Snakemake reruns the archive job
    (which restores an identical file, records an interrupted run, or stops and says what is wrong)
    when the briefing's archive or its ledgers changed: every row, manifest, file and original is checked.
    """
    path = Path(receipt)
    if not path.exists():
        return "ok"
    try:
        data = pipeline_io.read_json(path)
        root, briefing = Path(data["archive_root"]), data["briefing"]
        period, revision, manifest_sha = data["period"], int(data["revision"]), data["manifest_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable receipt"
    root_chain = read_chain(root / ROOT_LEDGER, ROOT_FIELDS)
    chain = read_chain(root / briefing / LEDGER, LEDGER_FIELDS)
    problems, unrecorded = record_problems(root_chain, briefing, chain)
    problems = root_chain.problems + chain.problems + problems + check_versions(root / briefing, chain).problems
    if unrecorded:
        problems.append(unrecorded_problem(chain, unrecorded))
    if not any((r.get("period"), r.get("revision"), r.get("manifest_sha256")) == (period, str(revision), manifest_sha)
               for r in chain.rows):
        problems.append(f"{chain.path} no longer lists {period} revision {revision}")
    return f"changed: {problems[0]}" if problems else "ok"
