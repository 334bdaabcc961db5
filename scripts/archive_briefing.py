"""Archive a period's briefing: copy the PDF and HTML to ``{archive_dir}/{briefing}/{period}/`` with a
manifest, and record the version in two chained, append-only ledgers.

The archive is the record of what was published. It never loses, alters or re-creates a published
briefing, and any change to it is detectable:

- ``{archive_dir}/{briefing}/index.csv`` is the briefing's ledger: one row per archived version
  (period, revision, file names, the SHA-256 of the PDF, the HTML and the manifest, the git
  commit) plus ``prev_sha256``, the SHA-256 of the previous row's bytes (the first row chains from
  :data:`GENESIS`). Its *head* is the SHA-256 of the last row. Rows are only appended: editing or
  removing any row breaks the chain at the row after it.
- ``{archive_dir}/briefings.csv`` is the root ledger, chained the same way: a row is appended
  each time a briefing's ledger grows, recording the briefing, its number of versions and its head.
  Removing a briefing's newest rows, its ledger or its whole folder no longer matches what the
  root recorded. The root's head (the *archive head*) commits to every ledger row, every manifest
  and every file; runs print it, and a head noted elsewhere proves a backup holds that history
  (``scripts/verify_archive.py --expect-head``).
- The archived files are *not* Snakemake outputs (Snakemake deletes a job's outputs before it
  reruns the job). The rule's only output is a receipt under ``results/{briefing}/archive/``.
- Before writing anything, a run checks both chains and every file of the briefing's archive
  against them. A version the ledger lists whose files are missing or altered stops the run with a
  message saying how to restore it from a backup: a published briefing is never re-created from a
  new build. (A missing PDF or HTML whose rebuilt bytes have exactly the recorded hash is put back:
  that is the same file.)
- Writes are atomic (temporary file, then rename). The ledger row is the commit point: files no
  row lists are leftovers of an interrupted run, replaced by the next run of their period; a run
  that fails (disk full, read-only folder) removes what it wrote and says which file and why.
- Archiving the same bytes again writes nothing. Different bytes for an archived period stop the
  run, unless a revision is asked for (``archive_revision=true``): then they are added beside the
  original as ``briefing-{period}-r2.pdf`` (``-r3``...) with ``manifest-r2.json``. A revision is
  only ever added, never substituted.

No clock time is recorded anywhere; the period is the only date. The same inputs, code, package
versions and commit give the same manifest bytes.

The renderer calls :func:`previous_manifest_path` to show changes since the last briefing.
"""


import contextlib
import csv
import fcntl
import hashlib
import html
import importlib.metadata
import os
import platform
import re
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pipeline_io
from pipeline_io import BuildStop, WriteError, sha256_file

PERIOD_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
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
MANIFEST_FORMAT = 1
I18N_DIR = Path(__file__).resolve().parent.parent / "templates" / "i18n"
#: Keys of ``archive_index`` in templates/i18n/{en,zh}.yaml: the words of index.html.
INDEX_KEYS = ("title", "intro", "period", "revision", "original", "pdf", "html", "manifest", "commit", "dirty",
              "head")

#: Packages whose versions shape the briefing's bytes (read with importlib.metadata).
PACKAGES = ("snakemake", "weasyprint", "pydyf", "fonttools", "tinycss2", "matplotlib", "numpy", "pandas",
            "jinja2", "markupsafe", "pyyaml", "jsonschema", "fastjsonschema", "opencc")


class ArchiveConflict(BuildStop):
    """The period is archived with other bytes and no revision was asked for."""


class ArchiveDamaged(BuildStop):
    """The archive no longer matches its ledgers: nothing is written until it is restored."""


RESTORE_HINT = (
    "Restore the archive from a backup: check the backup first with\n"
    "  .venv/bin/python scripts/verify_archive.py --archive-dir BACKUP --expect-head HEAD\n"
    "(HEAD: an archive head printed by an earlier run, e.g. in logs/monthly/), copy it over the archive,\n"
    "then run make verify-archive and archive again. README, 'Running monthly', explains each step."
)


# --- names and hashes ---------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    """
    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


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


# --- chained ledgers ----------------------------------------------------------------------------


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


def append_row(chain: Chain, row: dict[str, str]) -> str:
    """Append ``row`` (its ``prev_sha256`` set to the chain's head) by rewriting the file atomically
    with the old bytes unchanged in front; returns the new head."""
    row = {**row, "prev_sha256": chain.head}
    line = row_bytes(row, chain.fields)
    pipeline_io.atomic_write_bytes(chain.path, (chain.data if chain.exists else header_bytes(chain.fields)) + line)
    chain.data = (chain.data if chain.exists else header_bytes(chain.fields)) + line
    chain.exists = True
    chain.rows.append(row)
    chain.heads.append(sha256_bytes(line))
    return chain.head


# --- checking a briefing's archive against its ledgers ------------------------------------------


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
    periods: int = 0
    versions: int = 0
    files: int = 0


def check_versions(archive: Path, chain: Chain, hold: dict[Path, bytes] | None = None) -> VersionCheck:
    """Every version ``chain`` lists: its manifest and files exist with the recorded hashes, and the
    manifest agrees with the row. ``hold`` maps paths to bytes this run could put back. Files in
    the period folders that no row lists are notes (leftovers of an interrupted run)."""
    hold = hold or {}
    result = VersionCheck()
    listed: set[Path] = set()
    latest: dict[str, int] = {}
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
                result.problems += manifest_problems(path, row, period, revision)
    result.periods = len(latest)
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
    return result


def manifest_problems(path: Path, row: dict[str, str], period: str, revision: int) -> list[str]:
    """A manifest with the recorded hash must also say what the row says (it always does unless the
    row and the manifest were forged together)."""
    try:
        manifest = read_manifest(path)
    except BuildStop as exc:
        return [str(exc)]
    names = version_names(period, revision)
    files = {names["pdf"]: row["pdf_sha256"], names["html"]: row["html_sha256"]}
    if manifest.get("period") != period or manifest.get("revision") != revision or manifest["files"] != files:
        return [f"{path}: says period {manifest.get('period')!r} revision {manifest.get('revision')!r} with files "
                f"{manifest['files']}, but the ledger row says {period} revision {revision} with {files}"]
    return []


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


# --- reading the archive (the renderer and the receipt check) -----------------------------------


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


# --- building a manifest ------------------------------------------------------------------------


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_state(folder: str | os.PathLike = ".") -> dict[str, Any]:
    """``{"commit": sha or None, "dirty": bool or None}``; None when git is absent or this is no repository."""

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout if proc.returncode == 0 else None

    commit = git("rev-parse", "--verify", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None}
    status = git("--no-optional-locks", "status", "--porcelain")  # never takes .git/index.lock
    return {"commit": commit.strip(), "dirty": None if status is None else bool(status.strip())}


def manifest_inputs(sources_dir: str | os.PathLike, sources: Iterable[str], others: Iterable[str]) -> list[str]:
    """The input files a manifest hashes: each source's text and metadata (if present), then ``others``."""
    files = {f"{Path(sources_dir).as_posix()}/{s}.txt" for s in sources}
    files |= {(Path(sources_dir) / f"{s}.yaml").as_posix() for s in sources if (Path(sources_dir) / f"{s}.yaml").exists()}
    return sorted(files | {str(o) for o in others})


def hash_inputs(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
    return {str(Path(p).as_posix()): sha256_file(p) for p in sorted({str(p) for p in paths})}


def build_manifest(*, period: str, revision: int, files: dict[str, str], inputs: dict[str, str],
                   metrics: list[dict[str, str]], metrics_sha256: str, packages: dict[str, str | None],
                   git: dict[str, Any], pipeline_version: str | None,
                   supersedes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest of one archived version: pure data, no clock time."""
    manifest = {
        "format": MANIFEST_FORMAT,
        "period": period,
        "revision": revision,
        "files": dict(sorted(files.items())),
        "inputs": dict(sorted(inputs.items())),
        "metrics": metrics,
        "metrics_sha256": metrics_sha256,
        "packages": packages,
        "git": git,
        "pipeline_version": pipeline_version,
    }
    if supersedes:
        manifest["supersedes"] = supersedes
    return manifest


# --- deciding and writing -----------------------------------------------------------------------


def conflict_message(period: str, period_dir: Path, latest: dict[str, str], new: dict[str, str]) -> str:
    names = version_names(period, int(latest.get("revision", 1)))
    return (
        f"period {period} is already archived in {period_dir} with different content, and an archived "
        f"briefing is never overwritten.\n"
        f"  archived {names['pdf']}: sha256 {latest.get('pdf_sha256', '?')}\n"
        f"  new build PDF:          sha256 {new['pdf']}\n"
        f"  archived {names['html']}: sha256 {latest.get('html_sha256', '?')}\n"
        f"  new build HTML:          sha256 {new['html']}\n"
        f"If the new build is a deliberate correction, store it as a revision beside the original:\n"
        f"  snakemake --cores all archive --config period={period} archive_revision=true\n"
        f"(or scripts/monthly.sh --revision {period}). Otherwise restore the inputs the archived "
        f"version was built from (its manifest lists their hashes)."
    )


def plan(period: str, period_dir: Path, rows: list[dict[str, str]], new: dict[str, str],
         revision_requested: bool) -> tuple[str, int]:
    """What to do, from the ledger rows of ``period``: ``("unchanged", n)`` when the latest archived
    version n has these bytes, ``("store", n)`` to add them as version n; :class:`ArchiveConflict`
    otherwise.

    >>> plan("2026-11", Path("a/2026-11"), [], {"pdf": "p", "html": "h"}, False)
    ('store', 1)
    >>> v1 = {"revision": "1", "pdf_sha256": "p", "html_sha256": "h"}
    >>> plan("2026-11", Path("a/2026-11"), [v1], {"pdf": "p", "html": "h"}, False)
    ('unchanged', 1)
    >>> plan("2026-11", Path("a/2026-11"), [v1], {"pdf": "q", "html": "h"}, True)
    ('store', 2)
    """
    if not rows:
        return "store", 1
    latest = rows[-1]
    revision = int(latest["revision"])
    if latest["pdf_sha256"] == new["pdf"] and latest["html_sha256"] == new["html"]:
        return "unchanged", revision
    if not revision_requested:
        raise ArchiveConflict(conflict_message(period, period_dir, latest, new))
    return "store", revision + 1


def damaged_message(archive: Path, period: str, problems: list[str], period_listed: bool) -> str:
    shown = problems[:12] + ([f"... and {len(problems) - 12} more (make verify-archive lists them all)"]
                             if len(problems) > 12 else [])
    lead = (f"period {period} is listed in {archive / LEDGER}, but its archived files are missing or altered, and a "
            "published briefing is never re-created from a new build"
            if period_listed and any(f"/{period}/" in p or p.startswith(f"{archive / period}") for p in problems)
            else f"the archive {archive} does not match its ledgers")
    return (f"{lead}; nothing was written:\n" + "\n".join(f"  - {p}" for p in shown) + "\n" + RESTORE_HINT)


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    pipeline_io.atomic_write_bytes(path, data)
    return True


@contextlib.contextmanager
def archive_lock(root: Path, log=None):
    """Exclusive lock on ``{root}/.lock`` while a run reads and writes the archive, so that two
    checkouts (or two briefings' jobs) sharing an archive never interleave. A read-only archive
    cannot be written by anyone: there the lock is taken on the existing file read-only, or skipped."""
    try:
        if not root.is_dir():
            root.mkdir(parents=True)
    except OSError as exc:
        raise WriteError(f"cannot create the archive folder {root}: {exc.strerror or exc}") from exc
    lock = root / LOCK_FILE
    handle = None
    for mode in ("a+b", "rb"):
        try:
            handle = open(lock, mode)
            break
        except OSError as exc:
            reason = exc.strerror or str(exc)
    if handle is None and log:
        log.warning("%s cannot be opened (%s): the archive is read-only; checking without the lock", lock, reason)
    try:
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        if handle is not None:
            handle.close()  # releases the lock


def remove_leftover_temporaries(folders: Iterable[Path], log=None) -> list[Path]:
    """Under the archive lock: temporary files an interrupted (killed) run left in the archive."""
    removed = []
    for folder in folders:
        for path in pipeline_io.remove_files(pipeline_io.stale_temporaries_in(folder)):
            removed.append(path)
            if log:
                log.warning("removed %s, left by an interrupted run", path)
    return removed


def archive_period(root: str | os.PathLike, briefing: str, period: str, pdf: bytes, html_bytes: bytes,
                   make_manifest: Callable[[int, dict[str, str], dict[str, Any] | None], dict[str, Any]],
                   revision_requested: bool = False, words: dict[str, Any] | None = None, log=None) -> dict[str, Any]:
    """Archive one period's briefing into ``{root}/{briefing}/{period}/``; returns the receipt (what
    was done, where, which hashes, the ledger's and the archive's heads).

    ``make_manifest(revision, files, supersedes)`` builds the manifest of a new version; ``words``
    are index.html's strings (:func:`index_words`).
    """
    check_period(period)
    check_briefing_id(briefing)
    root = Path(root)
    with archive_lock(root, log):
        return _archive_period(root, briefing, period, pdf, html_bytes, make_manifest, revision_requested,
                               words or index_words(), log)


def _archive_period(root: Path, briefing: str, period: str, pdf: bytes, html_bytes: bytes, make_manifest,
                    revision_requested: bool, words, log) -> dict[str, Any]:
    archive = root / briefing
    period_dir = archive / period
    remove_leftover_temporaries([root, archive, period_dir], log)

    root_chain = read_chain(root / ROOT_LEDGER, ROOT_FIELDS)
    chain = read_chain(archive / LEDGER, LEDGER_FIELDS)
    new = {"pdf": sha256_bytes(pdf), "html": sha256_bytes(html_bytes)}
    rows = [r for r in chain.rows if r.get("period") == period]
    hold = {}
    if rows:
        names = version_names(period, int(rows[-1]["revision"]) if rows[-1]["revision"].isdigit() else 1)
        hold = {period_dir / names["pdf"]: pdf, period_dir / names["html"]: html_bytes}

    problems = root_chain.problems + chain.problems
    recorded, unrecorded = record_problems(root_chain, briefing, chain)
    problems += recorded
    if chain.rows and not root_chain.exists:
        problems.append(f"{root_chain.path}: missing, but {chain.path} lists {len(chain.rows)} version(s)")
    checked = check_versions(archive, chain, hold)
    problems += checked.problems
    if problems:
        raise ArchiveDamaged(damaged_message(archive, period, problems, bool(rows)))

    action, revision = plan(period, period_dir, rows, new, revision_requested)
    names = version_names(period, revision)
    for path, data in checked.restorable:
        pipeline_io.atomic_write_bytes(path, data)
        if log:
            log.warning("restored missing archived file %s (the rebuilt bytes have its recorded sha256)", path)
    if action == "unchanged":
        if log:
            log.info("%s: already archived with the same bytes (%s); nothing to do", period, names["manifest"])
    else:
        supersedes = None
        if rows:
            prev_rev = int(rows[-1]["revision"])
            prev_names = version_names(period, prev_rev)
            supersedes = {"revision": prev_rev, "manifest": prev_names["manifest"],
                          "files": {prev_names["pdf"]: rows[-1]["pdf_sha256"],
                                    prev_names["html"]: rows[-1]["html_sha256"]}}
        manifest = make_manifest(revision, {names["pdf"]: new["pdf"], names["html"]: new["html"]}, supersedes)
        manifest_bytes = pipeline_io.dump_json(manifest).encode("utf-8")
        store_version(chain, period_dir, names, {"pdf": pdf, "html": html_bytes, "manifest": manifest_bytes},
                      manifest.get("git") or {}, log)
        if log:
            log.info("%s: archived %s as %s in %s (%s row %d)", period,
                     "a revision" if revision > 1 else "the briefing", names["manifest"], period_dir, LEDGER,
                     len(chain.rows))
    try:
        if unrecorded and log:
            log.warning("recording in %s the %d version(s) of %s an interrupted run left out", root_chain.path,
                        unrecorded, briefing)
        if unrecorded or action != "unchanged":
            append_row(root_chain, {"briefing": briefing, "versions": str(len(chain.rows)), "head_sha256": chain.head})
        write_if_changed(archive / INDEX_HTML, index_html(chain.rows, chain.head, words).encode("utf-8"))
    except WriteError as exc:
        if action == "unchanged" and not unrecorded:
            raise
        raise WriteError(f"{exc}. The version is archived ({chain.path} row {len(chain.rows)}); the next archive "
                         f"run completes {root_chain.path.name} and {INDEX_HTML}") from exc
    if log:
        log.info("ledger head of %s: sha256 %s (%d version%s)", briefing, chain.head, len(chain.rows),
                 "" if len(chain.rows) == 1 else "s")
        log.info("archive head: sha256 %s (%s; note it down, see README 'Running monthly')", root_chain.head,
                 root_chain.path)
    row = next(r for r in reversed(chain.rows) if r["period"] == period and int(r["revision"]) == revision)
    return {
        "period": period,
        "briefing": briefing,
        "archive_root": str(root),
        "archive_dir": str(archive),
        "action": "unchanged" if action == "unchanged" else ("revision" if revision > 1 else "archived"),
        "revision": revision,
        "manifest": (period_dir / names["manifest"]).as_posix(),
        "manifest_sha256": row["manifest_sha256"],
        "pdf_sha256": new["pdf"],
        "html_sha256": new["html"],
        "ledger_head": chain.head,
        "archive_head": root_chain.head,
    }


def store_version(chain: Chain, period_dir: Path, names: dict[str, str], data: dict[str, bytes],
                  git: dict[str, Any], log=None) -> None:
    """Write a new version's files, then its ledger row (the commit point). If anything fails before
    the row is written, the files this run wrote are removed again: nothing unlisted is left."""
    written = []
    try:
        for kind in ("pdf", "html", "manifest"):
            path = period_dir / names[kind]
            if path.exists() and log:
                log.warning("replacing %s: no ledger row lists it (left by an interrupted run)", path)
            pipeline_io.atomic_write_bytes(path, data[kind])
            written.append(path)
        period = period_dir.name
        dirty = git.get("dirty")
        append_row(chain, {
            "period": period,
            "revision": str(manifest_revision(names["manifest"])),
            "pdf": f"{period}/{names['pdf']}",
            "pdf_sha256": sha256_bytes(data["pdf"]),
            "html": f"{period}/{names['html']}",
            "html_sha256": sha256_bytes(data["html"]),
            "manifest": f"{period}/{names['manifest']}",
            "manifest_sha256": sha256_bytes(data["manifest"]),
            "git_commit": git.get("commit") or "",
            "git_dirty": "" if dirty is None else str(bool(dirty)).lower(),
        })
    except BaseException as exc:
        pipeline_io.remove_files(written)
        with contextlib.suppress(OSError):
            if period_dir.is_dir() and not any(period_dir.iterdir()):
                period_dir.rmdir()
        if isinstance(exc, WriteError):
            raise WriteError(f"{exc}; nothing was archived (the files this run wrote were removed)") from exc
        raise


# --- index.html ---------------------------------------------------------------------------------


def index_words(paths: Iterable[str | os.PathLike] | None = None, script: str = "hant") -> dict[str, Any]:
    """index.html's words from the string catalogs: ``{key: (english, chinese)}`` for
    :data:`INDEX_KEYS`, plus ``"lang"``, the Chinese language tag of ``script``."""
    from chinese_script import LANG_TAG

    paths = list(paths) if paths else [I18N_DIR / "en.yaml", I18N_DIR / "zh.yaml"]
    strings = pipeline_io.load_strings(paths, script)
    words: dict[str, Any] = {key: (strings["en"]["archive_index"][key], strings["zh"]["archive_index"][key])
                             for key in INDEX_KEYS}
    words["lang"] = LANG_TAG[script]
    return words


def _both(words: dict[str, Any], key: str) -> str:
    en, zh = words[key]
    return f'{html.escape(en)}<br><span lang="{words["lang"]}">{html.escape(zh)}</span>'


def index_html(rows: list[dict[str, str]], head: str, words: dict[str, Any]) -> str:
    """A static bilingual table of every archived version (by period, then revision), with links,
    hashes and the ledger's head."""
    esc = html.escape
    zh = words["lang"]
    columns = ("period", "revision", "pdf", "html", "manifest", "commit")
    head_cells = "".join(f"<th>{_both(words, k)}</th>" for k in columns)
    body = []
    for row in sorted(rows, key=lambda r: (r["period"], int(r["revision"]))):
        rev = _both(words, "original") if row["revision"] == "1" else esc(f"r{row['revision']}")
        commit = esc(row["git_commit"][:12]) if row["git_commit"] else "&ndash;"
        if row["git_dirty"] == "true":
            commit += f" <small>({_both(words, 'dirty').replace('<br>', ' / ')})</small>"
        cells = [esc(row["period"]), rev]
        for kind in ("pdf", "html", "manifest"):
            sha = row.get(f"{kind}_sha256", "")
            cells.append(f'<a href="{esc(row[kind])}">{esc(Path(row[kind]).name)}</a>'
                         f'<br><code title="SHA-256 {esc(sha)}">{esc(sha[:16])}</code>')
        cells.append(commit)
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title_en, title_zh = words["title"]
    intro_en, intro_zh = words["intro"]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc(title_en)} / {esc(title_zh)}</title>\n"
        "<style>body{font-family:\"Noto Sans CJK TC\",sans-serif;margin:2em}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3em .6em;vertical-align:top;"
        "text-align:left}code{font-size:.85em}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title_en)} <span lang=\"{zh}\">{esc(title_zh)}</span></h1>\n"
        f"<p>{esc(intro_en)}<br><span lang=\"{zh}\">{esc(intro_zh)}</span></p>\n"
        f"<table>\n<thead><tr>{head_cells}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        f"<p>{_both(words, 'head').replace('<br>', ' / ')}: <code>{esc(head)}</code></p>\n"
        "</body>\n</html>\n"
    )


# --- the receipt check used by rules/archive.smk ------------------------------------------------


def receipt_state(receipt: str | os.PathLike) -> str:
    """``"ok"`` unless the archive no longer matches what an existing receipt recorded.

    rules/archive.smk passes this as a ``params:`` value, so that Snakemake reruns the archive job
    (which restores an identical file, records an interrupted run, or stops and says what is wrong)
    when the briefing's archive or its ledgers changed: every row, manifest and file is checked.
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


# --- the rule -----------------------------------------------------------------------------------


def as_list(value) -> list[str]:
    """Snakemake gives one file as a string and several as a list.

    >>> as_list("a.txt"), as_list(["a.txt", "b.txt"])
    (['a.txt'], ['a.txt', 'b.txt'])
    """
    return [value] if isinstance(value, (str, os.PathLike)) else [str(v) for v in value]


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through atomic writes, which delete their temporary file


def main(smk) -> None:
    def body(log):
        signal.signal(signal.SIGTERM, _raise_on_sigterm)
        period = check_period(smk.wildcards.period)
        metrics_text = Path(smk.input.metrics).read_text(encoding="utf-8")
        inputs = hash_inputs(as_list(smk.input.inputs))
        packages, git = package_versions(), git_state(".")

        def make_manifest(revision, files, supersedes):
            return build_manifest(
                period=period, revision=revision, files=files, inputs=inputs,
                metrics=pipeline_io.csv_rows(metrics_text), metrics_sha256=sha256_bytes(metrics_text.encode("utf-8")),
                packages=packages, git=git, pipeline_version=smk.params.version, supersedes=supersedes,
            )

        receipt = archive_period(
            smk.params.archive_root, smk.wildcards.briefing, period, Path(smk.input.pdf).read_bytes(),
            Path(smk.input.html).read_bytes(), make_manifest, revision_requested=bool(smk.params.revision),
            words=index_words(as_list(smk.input.strings), smk.params.zh_script), log=log,
        )
        pipeline_io.write_json(smk.output.receipt, receipt)

    pipeline_io.run_main("archive", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
