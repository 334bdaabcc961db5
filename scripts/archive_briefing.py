"""Archive a period's briefing: copy the PDF and HTML to ``{archive_dir}/{briefing}/{period}/`` with a
manifest, keep the originals it was built from, and record the version in two chained, append-only
ledgers.

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
- The originals the briefing was built from (each source document, metadata file, ``sources.yaml``,
  and for a link its copy of record, ``versions.json`` and earlier versions) are copied into
  ``{archive_dir}/{briefing}/originals/``, each named by its SHA-256 (``{sha256}.{ext}``), and listed
  in the manifest (path, name in the sources folder, role, source, hash, size, copy). The store is
  content-addressed and shared by all versions of the briefing: an unchanged source is stored once
  however many months list it, a copy is written once and never rewritten (same name, same bytes),
  and it verifies by its name alone. New copies are written before the PDF, the HTML and the
  manifest, so they fall under the same commit point; copies no listed manifest names are leftovers
  of an interrupted run, removed by the next run once its checks pass. ``scripts/restore_sources.py``
  restores a version's sources folder from them.
- Archiving the same bytes again writes nothing. Different bytes for an archived period stop the
  run, unless a revision is asked for (``archive_revision=true``): then they are added beside the
  original as ``briefing-{period}-r2.pdf`` (``-r3``...) with ``manifest-r2.json``. A revision is
  only ever added, never substituted.

No clock time is recorded anywhere; the period is the only date. The same inputs, code, package
versions and commit give the same manifest bytes.

Reading and checking the archive (the ledger format, :func:`previous_manifest_path` for the
renderer's "what changed", :func:`receipt_state` for the rule) lives in :mod:`archive_ledger`, so
that the DAG never imports this script.
"""

import contextlib
import fcntl
import html
import importlib.metadata
import os
import platform
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import pipeline_io
import source_files
from archive_ledger import (  # noqa: F401 (re-exported: the ledger's names, for tests and callers)
    BRIEFING_RE, GENESIS, INDEX_CSV, INDEX_HTML, LEDGER, LEDGER_FIELDS, LOCK_FILE, MANIFEST_RE, OLD_LEDGER_FIELDS,
    ORIGINALS_DIR, PERIOD_RE, ROOT_FIELDS, ROOT_LEDGER, SHA256_RE, Chain, VersionCheck, archive_head,
    briefings_on_disk, check_briefing_id, check_period, check_versions, file_sha256, header_bytes, manifest_inputs,
    manifest_originals, manifest_problems, manifest_revision, original_copy, parse_chain, previous_manifest,
    previous_manifest_path, read_chain, read_manifest, receipt_state, record_problems, root_records, row_bytes,
    row_problems, sha256_bytes, unrecorded_problem, version_names,
)
from contracts import LANG_TAG, font_css
from pipeline_io import BuildStop, WriteError, sha256_file


#: 2: the manifest lists the originals (``sources_dir``, ``originals``); 1 (read, never written) did not.
MANIFEST_FORMAT = 2
I18N_DIR = Path(__file__).resolve().parent.parent / "templates" / "i18n"
#: Keys of ``archive_index`` in templates/i18n/{en,zh}.yaml: the words of index.html.
INDEX_KEYS = ("title", "intro", "period", "revision", "original", "pdf", "html", "manifest", "originals", "commit",
              "dirty", "head")

#: Packages whose versions shape the briefing's bytes (read with importlib.metadata).
PACKAGES = ("snakemake", "weasyprint", "pydyf", "fonttools", "tinycss2", "matplotlib", "numpy",
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


def hash_inputs(paths: Iterable[str | os.PathLike], workflow_root: str = ".") -> dict[str, str]:
    """Input -> SHA-256, each named as :func:`pipeline_io.shown_path` names it."""
    return {pipeline_io.shown_path(p, workflow_root): sha256_file(p) for p in sorted({str(p) for p in paths})}


@dataclass(frozen=True)
class Original:
    """One original file a briefing is built from, as the archive keeps it."""

    file: str  # where this run reads it (relative to the working directory)
    path: str  # as the project names it (pipeline_io.shown_path), recorded in the manifest
    name: str  # inside the sources folder: where a restore writes it
    role: str  # document, metadata, links, fetch-record, earlier-version
    source: str  # its source id ("" for sources.yaml, shared by the links)
    sha256: str
    size: int

    @property
    def copy(self) -> str:
        """Its copy, relative to the briefing's archive folder: ``originals/{sha256}.{ext}``."""
        return original_copy(self.sha256, self.name)

    def entry(self) -> dict[str, Any]:
        """The manifest's entry (what :func:`archive_ledger.manifest_originals` reads)."""
        return {"bytes": self.size, "copy": self.copy, "name": self.name, "path": self.path, "role": self.role,
                "sha256": self.sha256, "source": self.source}


def plan_originals(rows: Iterable[dict[str, str]], sources_dir: str,
                   workflow_root: str = ".") -> list[Original]:
    """The originals of :func:`source_files.originals` (path, role, source, sha256), each with its
    name inside ``sources_dir`` and its size. Every original lies in the sources folder (discovery
    refuses links that leave it); one that does not stops the run rather than be archived nameless.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a b.txt").write_bytes(b"abc")
    >>> [o] = plan_originals([{"path": str(folder / "a b.txt"), "role": "document", "source": "a-b",
    ...                        "sha256": sha256_bytes(b"abc")}], str(folder))
    >>> o.name, o.size, o.copy.startswith("originals/ba7816bf"), o.copy.endswith(".txt")
    ('a b.txt', 3, True, True)
    """
    planned = []
    base = os.path.normpath(sources_dir)
    for row in rows:
        name = Path(os.path.relpath(os.path.normpath(row["path"]), base)).as_posix()
        if name.startswith("../") or name == ".." or os.path.isabs(name):
            raise BuildStop(f"{row['path']}: an original outside the sources folder {sources_dir}; it cannot be "
                            "archived with a name to restore it under")
        try:
            size = os.stat(row["path"]).st_size
        except OSError as exc:
            raise BuildStop(f"cannot read {row['path']}: {exc.strerror or exc}; nothing was archived") from exc
        planned.append(Original(file=row["path"], path=pipeline_io.shown_path(row["path"], workflow_root), name=name,
                                role=row["role"], source=row["source"], sha256=row["sha256"], size=size))
    return sorted(planned, key=lambda o: o.name)


def build_manifest(*, period: str, revision: int, files: dict[str, str], inputs: dict[str, str],
                   metrics: list[dict[str, str]], metrics_sha256: str, packages: dict[str, str | None],
                   git: dict[str, Any], pipeline_version: str | None,
                   supersedes: dict[str, Any] | None = None, originals: Iterable[Original] = (),
                   sources_dir: str = "") -> dict[str, Any]:
    """The manifest of one archived version: pure data, no clock time. ``originals`` are the files
    the briefing was built from (their copies are in ``originals/``, see :func:`archive_period`)."""
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
        "sources_dir": Path(sources_dir).as_posix() if sources_dir else "",
        "originals": [o.entry() for o in sorted(originals, key=lambda o: o.name)],
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
                   revision_requested: bool = False, words: dict[str, Any] | None = None, log=None,
                   originals: Iterable[Original] = ()) -> dict[str, Any]:
    """Archive one period's briefing into ``{root}/{briefing}/{period}/``; returns the receipt (what
    was done, where, which hashes, the ledger's and the archive's heads).

    ``make_manifest(revision, files, supersedes)`` builds the manifest of a new version (listing
    ``originals``, whose copies this run puts into ``{root}/{briefing}/originals/``); ``words`` are
    index.html's strings (:func:`index_words`).
    """
    check_period(period)
    check_briefing_id(briefing)
    root = Path(root)
    with archive_lock(root, log):
        return _archive_period(root, briefing, period, pdf, html_bytes, make_manifest, revision_requested,
                               words or index_words(), log, list(originals))


def _archive_period(root: Path, briefing: str, period: str, pdf: bytes, html_bytes: bytes, make_manifest,
                    revision_requested: bool, words, log, originals: list[Original]) -> dict[str, Any]:
    archive = root / briefing
    period_dir = archive / period
    store = archive / ORIGINALS_DIR
    remove_leftover_temporaries([root, archive, period_dir, store], log)

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
    checked = check_versions(archive, chain, hold, {o.sha256: Path(o.file) for o in originals})
    problems += checked.problems
    if problems:
        raise ArchiveDamaged(damaged_message(archive, period, problems, bool(rows)))

    action, revision = plan(period, period_dir, rows, new, revision_requested)
    names = version_names(period, revision)
    for path, data in checked.restorable:
        pipeline_io.atomic_write_bytes(path, data)
        if log:
            log.warning("restored missing archived file %s (the rebuilt bytes have its recorded sha256)", path)
    for copy, source in checked.restorable_originals:
        copy_original(source, copy, copy.name.split(".")[0])
        if log:
            log.warning("restored missing original %s from %s (same sha256)", copy, source)
    if chain.exists:  # then the listed manifests say which copies are published; the others are leftovers
        for path in remove_unreferenced(store, checked.referenced):
            if log:
                log.warning("removed %s: no listed manifest names it (left by an interrupted run)", path)
    counts = dict(checked.counts)
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
        stored = store_version(chain, period_dir, names, {"pdf": pdf, "html": html_bytes, "manifest": manifest_bytes},
                               manifest.get("git") or {}, log, originals, checked.referenced)
        counts[(period, revision)] = len(manifest.get("originals") or [])
        if log:
            log.info("%s: archived %s as %s in %s (%s row %d); %d original(s) listed, %d new in %s", period,
                     "a revision" if revision > 1 else "the briefing", names["manifest"], period_dir, LEDGER,
                     len(chain.rows), len(originals), stored, store)
    try:
        if unrecorded and log:
            log.warning("recording in %s the %d version(s) of %s an interrupted run left out", root_chain.path,
                        unrecorded, briefing)
        if unrecorded or action != "unchanged":
            append_row(root_chain, {"briefing": briefing, "versions": str(len(chain.rows)), "head_sha256": chain.head})
        write_if_changed(archive / INDEX_HTML, index_html(chain.rows, chain.head, words, counts).encode("utf-8"))
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


def copy_original(source: Path, target: Path, sha256: str) -> None:
    """Copy an original into the archive atomically, in chunks, checking on the way that its bytes
    still have ``sha256``: a file changed since it was hashed is never stored under that name."""

    pipeline_io.copy_verified(
        source, target, sha256,
        unreadable=lambda exc: f"cannot read {source}: {exc.strerror or exc}; nothing was archived",
        altered=lambda actual: f"{source} changed while it was being archived (sha256 {actual}, expected "
                               f"{sha256}); nothing was archived: run the archive again")


def remove_unreferenced(store: Path, referenced: set[Path]) -> list[Path]:
    """Under the archive lock, once every listed version checked out: the copies in ``originals/``
    that no listed manifest names, left by a run interrupted before its ledger row."""
    return pipeline_io.remove_files(p for p in pipeline_io._entries(store) if p not in referenced and p.is_file())


def store_version(chain: Chain, period_dir: Path, names: dict[str, str], data: dict[str, bytes],
                  git: dict[str, Any], log=None, originals: Iterable[Original] = (),
                  referenced: set[Path] = frozenset()) -> int:
    """Write a new version's originals (those not in the store yet), its files, then its ledger row
    (the commit point); returns how many originals were new. If anything fails before the row is
    written, the files this run wrote are removed again: nothing unlisted is left."""
    written = []
    store = period_dir.parent / ORIGINALS_DIR
    try:
        for original in originals:
            copy = store / Path(original.copy).name
            if copy in written or (copy.is_file() and (copy in referenced or file_sha256(copy) == original.sha256)):
                continue  # the same bytes, already stored (checked above when a listed version names it)
            if copy.exists() and log:
                log.warning("replacing %s: no listed manifest names it, and its bytes are not its name's", copy)
            copy_original(Path(original.file), copy, original.sha256)
            written.append(copy)
        new_originals = len(written)
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
        for folder in (period_dir, store):
            with contextlib.suppress(OSError):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        if isinstance(exc, WriteError):
            raise WriteError(f"{exc}; nothing was archived (the files this run wrote were removed)") from exc
        raise
    return new_originals


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


#: index.html's stylesheet: a readable column on a screen; on a narrow one, each version a block.
INDEX_CSS = """\
body { font-family: var(--cjk), sans-serif; line-height: 1.5; max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .3em .6em; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
code { font-family: var(--mono), monospace; font-size: .85em; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; box-sizing: border-box; }
  tr { border-bottom: 2px solid #999; padding: .4em 0; }
  td { border: none; padding: .1em 0; }
  td:first-child { font-weight: bold; }
}
"""
SCRIPT_OF_TAG = {tag: script for script, tag in LANG_TAG.items()}


def index_html(rows: list[dict[str, str]], head: str, words: dict[str, Any],
               originals: dict[tuple[str, int], int | None] | None = None) -> str:
    """A static bilingual table of every archived version (by period, then revision), with links,
    hashes, the number of originals each manifest lists (``originals``: (period, revision) -> count,
    None for a manifest written before originals were kept) and the ledger's head."""
    esc = html.escape
    zh = words["lang"]
    originals = originals or {}
    columns = ("period", "revision", "pdf", "html", "manifest", "originals", "commit")
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
        count = originals.get((row["period"], int(row["revision"])))
        cells.append("&ndash;" if count is None else str(count))
        cells.append(commit)
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title_en, title_zh = words["title"]
    intro_en, intro_zh = words["intro"]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title_en)} / {esc(title_zh)}</title>\n"
        f"<style>\n{font_css(SCRIPT_OF_TAG.get(zh, 'hant'))}{INDEX_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title_en)} <span lang=\"{zh}\">{esc(title_zh)}</span></h1>\n"
        f"<p>{esc(intro_en)}<br><span lang=\"{zh}\">{esc(intro_zh)}</span></p>\n"
        f"<table>\n<thead><tr>{head_cells}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        f"<p>{_both(words, 'head').replace('<br>', ' / ')}: <code>{esc(head)}</code></p>\n"
        "</body>\n</html>\n"
    )


# --- the rule -----------------------------------------------------------------------------------


def as_list(value) -> list[str]:
    """Snakemake gives one file as a string and several as a list.

    >>> as_list("a.txt"), as_list(["a.txt", "b.txt"])
    (['a.txt'], ['a.txt', 'b.txt'])
    """
    return [value] if isinstance(value, (str, os.PathLike)) else [str(v) for v in value]


def sources_of(listed: dict[str, dict[str, str | None]]) -> dict[str, "source_files.Source"]:
    """The briefing's sources as the DAG found them (the rule's ``sources`` param: id -> path, meta,
    url, listed_in), for :func:`source_files.originals`.

    >>> sources_of({"a": {"path": "d/a.txt", "meta": None, "url": None, "listed_in": None}})["a"].path
    'd/a.txt'
    """
    return {sid: source_files.Source(sid, path=v.get("path"), meta=v.get("meta"), url=v.get("url"),
                                     listed_in=v.get("listed_in")) for sid, v in listed.items()}


def receipts_of(paths: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The links' fetch receipts (``results/{briefing}/fetched/{id}.json``) by source id."""
    receipts = {}
    for path in paths:
        receipt = pipeline_io.read_json(path)
        receipts[receipt["source"]] = receipt
    return receipts


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through atomic writes, which delete their temporary file


def main(smk) -> None:
    def body(log):
        signal.signal(signal.SIGTERM, _raise_on_sigterm)
        period = check_period(smk.wildcards.period)
        metrics_text = Path(smk.input.metrics).read_text(encoding="utf-8")
        workflow_root = smk.params.get("workflow_root", ".")
        inputs = hash_inputs(as_list(smk.input.inputs), workflow_root)
        packages, git = package_versions(), git_state(".")
        originals = plan_originals(source_files.originals(sources_of(smk.params.sources), receipts_of(
            as_list(smk.input.receipts))), smk.params.sources_dir, workflow_root)

        def make_manifest(revision, files, supersedes):
            return build_manifest(
                period=period, revision=revision, files=files, inputs=inputs,
                metrics=pipeline_io.csv_rows(metrics_text), metrics_sha256=sha256_bytes(metrics_text.encode("utf-8")),
                packages=packages, git=git, pipeline_version=smk.params.version, supersedes=supersedes,
                originals=originals, sources_dir=pipeline_io.shown_path(smk.params.sources_dir, workflow_root),
            )

        receipt = archive_period(
            smk.params.archive_root, smk.wildcards.briefing, period, Path(smk.input.pdf).read_bytes(),
            Path(smk.input.html).read_bytes(), make_manifest, revision_requested=bool(smk.params.revision),
            words=index_words(as_list(smk.input.strings), smk.params.zh_script), log=log, originals=originals,
        )
        pipeline_io.write_json(smk.output.receipt, receipt)

    pipeline_io.run_main("archive", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
