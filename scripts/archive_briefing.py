"""Archive a period's briefing: copy the PDF and HTML to ``{archive_dir}/{briefing}/{period}/`` with a
manifest (the rule passes the briefing's own folder as ``archive_dir``; each briefing's archive is
self-contained, with its own ledger).

The archive never loses or alters a published briefing:

- The archived files are *not* Snakemake outputs (Snakemake deletes a job's outputs before it
  reruns the job). The rule's only output is a receipt under ``results/{briefing}/archive/``; this script
  writes into the archive itself.
- Every write is atomic (temporary file, then rename). A version's manifest is written last: it
  is the commit point. Files no manifest lists are leftovers of an interrupted run and are
  replaced by the next run; files a manifest lists are never rewritten.
- Archiving the same bytes again is a no-op. Different bytes for an archived period stop with a
  message, unless a revision is asked for (``archive_revision=true``): then they are stored
  beside the original as ``briefing-{period}-r2.pdf`` (``-r3``...) with ``manifest-r2.json``.
- ``index.csv`` is the archive's ledger: rows are added, never dropped or rewritten, so that
  ``scripts/verify_archive.py`` notices a manifest that disappears or changes.
  ``index.html`` is regenerated from it.

No clock time is recorded anywhere; the period is the only date. The same inputs, code, package
versions and commit give the same manifest bytes.

The renderer can call :func:`previous_manifest` to show changes since the last briefing.
"""


import contextlib
import csv
import fcntl
import hashlib
import html
import importlib.metadata
import io
import os
import platform
import re
import signal
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterable

import pipeline_io
from pipeline_io import BuildStop, sha256_file  # noqa: F401 - sha256_file is part of this module's API

PERIOD_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
MANIFEST_RE = re.compile(r"^manifest(?:-r([2-9]|[1-9][0-9]+))?\.json$")
INDEX_CSV = "index.csv"
INDEX_HTML = "index.html"
LOCK_FILE = ".lock"
INDEX_FIELDS = ["period", "revision", "pdf", "pdf_sha256", "html", "html_sha256", "manifest",
                "manifest_sha256", "git_commit", "git_dirty"]
MANIFEST_FORMAT = 1

#: Packages whose versions shape the briefing's bytes (read with importlib.metadata).
PACKAGES = ("snakemake", "weasyprint", "pydyf", "fonttools", "tinycss2", "matplotlib", "numpy", "pandas",
            "jinja2", "markupsafe", "pyyaml", "jsonschema", "cn2an")

#: The few words of index.html, in both languages (the briefing's own strings live in templates/i18n).
INDEX_WORDS = {
    "title": ("Briefing archive", "簡報存檔"),
    "intro": ("Every published briefing, oldest first. Check the hashes with: make verify-archive",
              "所有已發佈的簡報，按時間排列。核對雜湊值：make verify-archive"),
    "period": ("Reporting period", "報告期"),
    "revision": ("Revision", "修訂版次"),
    "original": ("original", "原版"),
    "pdf": ("PDF", "PDF"),
    "html": ("HTML", "HTML"),
    "manifest": ("Manifest", "清單"),
    "sha256": ("SHA-256", "SHA-256"),
    "commit": ("Git commit", "Git 提交"),
    "dirty": ("uncommitted changes", "含未提交的修改"),
}


class ArchiveConflict(BuildStop):
    """The period is archived with other bytes and no revision was asked for."""


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


def check_archive_dir(archive_dir: str | os.PathLike, results_dir: str | os.PathLike = "results") -> Path:
    """The archive folder, refused if it lies inside ``results/`` (``make clean`` removes that)."""
    folder = Path(archive_dir)
    real, results = Path(os.path.realpath(folder)), Path(os.path.realpath(results_dir))
    if real == results or results in real.parents:
        raise BuildStop(
            f"archive_dir {str(archive_dir)!r} is inside {str(results_dir)!r}, which 'make clean' deletes; "
            "choose a folder outside it (default: archive)"
        )
    return folder


# --- reading the archive ------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = pipeline_io.read_json(path)
    except (OSError, ValueError) as exc:
        raise BuildStop(f"{path}: archived manifest cannot be read ({exc}); run make verify-archive") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise BuildStop(f"{path}: archived manifest has no 'files' table; run make verify-archive")
    return data


def manifest_paths(period_dir: Path) -> list[tuple[int, Path]]:
    """(revision, path) of every manifest in a period's folder, oldest revision first."""
    if not period_dir.is_dir():
        return []
    found = [(manifest_revision(p.name), p) for p in period_dir.iterdir() if p.is_file()]
    return sorted((rev, p) for rev, p in found if rev is not None)


def archived_periods(archive_dir: str | os.PathLike) -> list[str]:
    folder = Path(archive_dir)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and PERIOD_RE.match(p.name))


def previous_manifest_path(archive_dir: str | os.PathLike, period: str) -> str | None:
    """Path of the newest archived manifest of a period strictly before ``period`` (its latest revision).

    Meant for a Snakemake input function, so that the renderer's job depends on that file.
    """
    check_period(period)
    for earlier in reversed([p for p in archived_periods(archive_dir) if p < period]):
        paths = manifest_paths(Path(archive_dir) / earlier)
        if paths:
            return str(paths[-1][1])
    return None


def previous_manifest(archive_dir: str | os.PathLike, period: str) -> dict[str, Any] | None:
    """The newest archived manifest of a period strictly before ``period`` (latest revision), or None.

    Periods with no manifest (nothing published yet) are skipped; an unreadable manifest raises
    :class:`pipeline_io.BuildStop` rather than being passed over silently.
    """
    path = previous_manifest_path(archive_dir, period)
    return read_manifest(Path(path)) if path else None


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


def conflict_message(period: str, period_dir: Path, latest: dict[str, Any], new: dict[str, str]) -> str:
    names = version_names(period, int(latest.get("revision", 1)))
    old_pdf = latest["files"].get(names["pdf"], "?")
    old_html = latest["files"].get(names["html"], "?")
    return (
        f"period {period} is already archived in {period_dir} with different content, and an archived "
        f"briefing is never overwritten.\n"
        f"  archived {names['pdf']}: sha256 {old_pdf}\n"
        f"  new build PDF:          sha256 {new['pdf']}\n"
        f"  archived {names['html']}: sha256 {old_html}\n"
        f"  new build HTML:          sha256 {new['html']}\n"
        f"If the new build is a deliberate correction, store it as a revision beside the original:\n"
        f"  snakemake --cores all archive --config period={period} archive_revision=true\n"
        f"(or scripts/monthly.sh --revision {period}). Otherwise restore the inputs the archived "
        f"version was built from (its manifest lists their hashes)."
    )


def plan(period: str, period_dir: Path, versions: list[tuple[int, dict[str, Any]]],
         new: dict[str, str], revision_requested: bool) -> tuple[str, int]:
    """What to do: ``("unchanged", n)`` when the latest archived version n has these bytes,
    ``("store", n)`` to store them as version n; :class:`ArchiveConflict` otherwise.

    >>> plan("2026-11", Path("a/2026-11"), [], {"pdf": "p", "html": "h"}, False)
    ('store', 1)
    >>> v1 = {"revision": 1, "files": {"briefing-2026-11.pdf": "p", "briefing-2026-11.html": "h"}}
    >>> plan("2026-11", Path("a/2026-11"), [(1, v1)], {"pdf": "p", "html": "h"}, False)
    ('unchanged', 1)
    >>> plan("2026-11", Path("a/2026-11"), [(1, v1)], {"pdf": "q", "html": "h"}, True)
    ('store', 2)
    """
    if not versions:
        return "store", 1
    latest_rev, latest = versions[-1]
    names = version_names(period, latest_rev)
    if latest["files"].get(names["pdf"]) == new["pdf"] and latest["files"].get(names["html"]) == new["html"]:
        return "unchanged", latest_rev
    if not revision_requested:
        raise ArchiveConflict(conflict_message(period, period_dir, latest, new))
    return "store", latest_rev + 1


def remove_temporaries(folder: Path, log=None) -> list[str]:
    """Delete temporary files an interrupted atomic write left (``.{name}.XXXX.tmp``)."""
    removed = []
    if folder.is_dir():
        for path in sorted(folder.glob(".*.tmp")):
            path.unlink(missing_ok=True)
            removed.append(path.name)
            if log:
                log.warning("removed %s, left by an interrupted run", path)
    return removed


def check_archived_files(period_dir: Path, manifest: dict[str, Any], data: dict[str, bytes], log=None) -> None:
    """Every file of an archived version still has its manifest's hash. A missing file whose bytes
    we hold (same hash) is restored; an altered one stops the run."""
    for name, expected in sorted(manifest["files"].items()):
        path = period_dir / name
        if not path.exists():
            if name in data and sha256_bytes(data[name]) == expected:
                pipeline_io.atomic_write_bytes(path, data[name])
                if log:
                    log.warning("restored missing archived file %s (its bytes match the manifest)", path)
                continue
            raise BuildStop(f"archived file {path} is missing (manifest sha256 {expected}); "
                            "restore it from a backup; make verify-archive lists every problem")
        actual = sha256_file(path)
        if actual != expected:
            raise BuildStop(f"archived file {path} was altered: manifest sha256 {expected}, file sha256 {actual}; "
                            "restore it from a backup; make verify-archive lists every problem")


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    pipeline_io.atomic_write_bytes(path, data)
    return True


@contextlib.contextmanager
def archive_lock(archive: Path):
    """Exclusive lock on ``{archive}/.lock`` while one archive run reads and writes, so that two
    checkouts sharing an archive folder never interleave (Snakemake's lock covers one checkout)."""
    archive.mkdir(parents=True, exist_ok=True)
    with open(archive / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def archive_period(archive_dir: str | os.PathLike, period: str, pdf: bytes, html_bytes: bytes,
                   make_manifest: Callable[[int, dict[str, str], dict[str, Any] | None], dict[str, Any]],
                   revision_requested: bool = False, log=None) -> dict[str, Any]:
    """Archive one period's briefing; returns the receipt (what was done, where, which hashes).

    ``make_manifest(revision, files, supersedes)`` builds the manifest of a new version.
    """
    check_period(period)
    with archive_lock(Path(archive_dir)):
        return _archive_period(Path(archive_dir), period, pdf, html_bytes, make_manifest, revision_requested, log)


def _archive_period(archive: Path, period: str, pdf: bytes, html_bytes: bytes, make_manifest,
                    revision_requested: bool, log) -> dict[str, Any]:
    period_dir = archive / period
    remove_temporaries(period_dir, log)
    versions = [(rev, read_manifest(path)) for rev, path in manifest_paths(period_dir)]
    new = {"pdf": sha256_bytes(pdf), "html": sha256_bytes(html_bytes)}
    action, revision = plan(period, period_dir, versions, new, revision_requested)
    names = version_names(period, revision)
    if action == "unchanged":
        check_archived_files(period_dir, versions[-1][1], {names["pdf"]: pdf, names["html"]: html_bytes}, log)
        if log:
            log.info("%s: already archived with the same bytes (%s); nothing to do", period, names["manifest"])
    else:
        for kind, data in (("pdf", pdf), ("html", html_bytes)):
            path = period_dir / names[kind]
            if path.exists() and log:
                log.warning("replacing %s: no manifest lists it (left by an interrupted run)", path)
            pipeline_io.atomic_write_bytes(path, data)
        supersedes = None
        if versions:
            prev_rev, prev = versions[-1]
            supersedes = {"revision": prev_rev, "manifest": version_names(period, prev_rev)["manifest"],
                          "files": prev["files"]}
        manifest = make_manifest(revision, {names["pdf"]: new["pdf"], names["html"]: new["html"]}, supersedes)
        pipeline_io.write_json(period_dir / names["manifest"], manifest)  # last: the commit point
        if log:
            log.info("%s: archived %s as %s in %s", period, "a revision" if revision > 1 else "the briefing",
                     names["manifest"], period_dir)
    update_index(archive, log)
    manifest_path = period_dir / names["manifest"]
    return {
        "period": period,
        "archive_dir": str(archive),
        "action": "unchanged" if action == "unchanged" else ("revision" if revision > 1 else "archived"),
        "revision": revision,
        "manifest": manifest_path.as_posix(),
        "manifest_sha256": sha256_file(manifest_path),
        "pdf_sha256": new["pdf"],
        "html_sha256": new["html"],
    }


# --- the index ----------------------------------------------------------------------------------


def index_row(period: str, revision: int, manifest_path: Path) -> dict[str, str]:
    manifest = read_manifest(manifest_path)
    names = version_names(period, revision)
    git = manifest.get("git") or {}
    dirty = git.get("dirty")
    return {
        "period": period,
        "revision": str(revision),
        "pdf": f"{period}/{names['pdf']}",
        "pdf_sha256": manifest["files"].get(names["pdf"], ""),
        "html": f"{period}/{names['html']}",
        "html_sha256": manifest["files"].get(names["html"], ""),
        "manifest": f"{period}/{names['manifest']}",
        "manifest_sha256": sha256_file(manifest_path),
        "git_commit": git.get("commit") or "",
        "git_dirty": "" if dirty is None else str(bool(dirty)).lower(),
    }


def read_index(path: Path) -> list[dict[str, str]]:
    """Rows of ``index.csv``; an unreadable ledger stops the run (it is how losses are noticed)."""
    if not path.exists():
        return []
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if rows and list(rows[0]) != INDEX_FIELDS:
        raise BuildStop(f"{path}: unexpected columns {list(rows[0])}; expected {INDEX_FIELDS}")
    return rows


def merge_index(old: list[dict[str, str]], found: list[dict[str, str]]) -> list[dict[str, str]]:
    """The ledger only grows: rows already listed stay as they were; newly found versions are added.

    >>> merge_index([{"period": "2026-10", "revision": "1", "x": "old"}],
    ...             [{"period": "2026-10", "revision": "1", "x": "new"}, {"period": "2026-09", "revision": "1", "x": "n"}])
    [{'period': '2026-09', 'revision': '1', 'x': 'n'}, {'period': '2026-10', 'revision': '1', 'x': 'old'}]
    """
    rows = {(r["period"], int(r["revision"])): r for r in found}
    rows.update({(r["period"], int(r["revision"])): r for r in old})
    return [rows[key] for key in sorted(rows)]


def index_csv(rows: list[dict[str, str]]) -> str:
    return pipeline_io.csv_text(rows, INDEX_FIELDS)


def _both(key: str) -> str:
    en, zh = INDEX_WORDS[key]
    if en == zh:
        return html.escape(en)
    return f'{html.escape(en)}<br><span lang="zh-Hant">{html.escape(zh)}</span>'


def index_html(rows: list[dict[str, str]]) -> str:
    """A static bilingual table of every archived version, with links and hashes."""
    esc = html.escape
    head = "".join(f"<th>{_both(k)}</th>" for k in ("period", "revision", "pdf", "html", "manifest", "commit"))
    body = []
    for row in rows:
        rev = _both("original") if row["revision"] == "1" else esc(f"r{row['revision']}")
        commit = esc(row["git_commit"][:12]) if row["git_commit"] else "&ndash;"
        if row["git_dirty"] == "true":
            commit += f" <small>({_both('dirty').replace('<br>', ' / ')})</small>"
        cells = [esc(row["period"]), rev]
        for kind in ("pdf", "html", "manifest"):
            sha = row.get(f"{kind}_sha256", "")
            cells.append(f'<a href="{esc(row[kind])}">{esc(Path(row[kind]).name)}</a>'
                         f'<br><code title="SHA-256 {esc(sha)}">{esc(sha[:16])}</code>')
        cells.append(commit)
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title_en, title_zh = INDEX_WORDS["title"]
    intro_en, intro_zh = INDEX_WORDS["intro"]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc(title_en)} / {esc(title_zh)}</title>\n"
        "<style>body{font-family:\"Noto Sans CJK TC\",sans-serif;margin:2em}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3em .6em;vertical-align:top;"
        "text-align:left}code{font-size:.85em}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title_en)} <span lang=\"zh-Hant\">{esc(title_zh)}</span></h1>\n"
        f"<p>{esc(intro_en)}<br><span lang=\"zh-Hant\">{esc(intro_zh)}</span></p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        "</body>\n</html>\n"
    )


def update_index(archive: Path, log=None) -> list[dict[str, str]]:
    """Add newly archived versions to ``index.csv`` and regenerate ``index.html``."""
    old = read_index(archive / INDEX_CSV)
    found = [index_row(period, rev, path)
             for period in archived_periods(archive) for rev, path in manifest_paths(archive / period)]
    rows = merge_index(old, found)
    present = {(r["period"], int(r["revision"])) for r in found}
    for row in rows:
        if (row["period"], int(row["revision"])) not in present and log:
            log.warning("index.csv lists %s but that manifest is missing; kept in the index, "
                        "run make verify-archive", row["manifest"])
    archive.mkdir(parents=True, exist_ok=True)
    write_if_changed(archive / INDEX_CSV, index_csv(rows).encode("utf-8"))
    write_if_changed(archive / INDEX_HTML, index_html(rows).encode("utf-8"))
    return rows


# --- the receipt check used by rules/archive.smk ------------------------------------------------


def receipt_state(receipt: str | os.PathLike) -> str:
    """``"ok"`` unless an existing receipt names an archived version that is gone or changed.

    rules/archive.smk passes this as a ``params:`` value, so that Snakemake reruns the archive job
    (which restores or reports) when the archive no longer matches what the receipt recorded.
    """
    path = Path(receipt)
    if not path.exists():
        return "ok"
    try:
        data = pipeline_io.read_json(path)
        manifest = Path(data["manifest"])
        if not manifest.exists():
            return f"missing {manifest}"
        if sha256_file(manifest) != data["manifest_sha256"]:
            return f"changed {manifest}"
        files = pipeline_io.read_json(manifest)["files"]
        for name, expected in sorted(files.items()):
            target = manifest.parent / name
            if not target.exists() or sha256_file(target) != expected:
                return f"changed {target}"
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable receipt"
    return "ok"


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
        archive = check_archive_dir(smk.params.archive_dir)
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
            archive, period, Path(smk.input.pdf).read_bytes(), Path(smk.input.html).read_bytes(),
            make_manifest, revision_requested=bool(smk.params.revision), log=log,
        )
        pipeline_io.write_json(smk.output.receipt, receipt)

    pipeline_io.run_main("archive", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
