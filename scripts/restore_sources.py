"""Restore the sources of an archived briefing from the archive alone: the documents under their
original names, their metadata files, ``sources.yaml`` and the links' folders of record
(``fetched/{id}/``: the copies as fetched and ``versions.json``), exactly as they were in the
sources folder when the version was archived.

Usage (no make or Snakemake needed):

    .venv/bin/python scripts/restore_sources.py [--archive-dir archive] --briefing ID --period YYYY-MM
        [--revision N] DEST

``DEST`` must be empty or absent: nothing is ever overwritten. Point ``sources_dir`` (or the
briefing's ``sources_dir``) at ``DEST``, or move it to where the manifest says the sources were
(``sources_dir`` in the manifest), check out the manifest's git commit, and build: the links are
read from their copies of record, no server is contacted, and the same inputs give the same
``metrics.csv`` (the manifest records its SHA-256) and the same PDF.

Before copying, the briefing's ledger chain is checked, the manifest against the hash its ledger row
records, and every copy against the SHA-256 its manifest entry records (as it is copied): a damaged
archive restores nothing and says what is wrong (``make verify-archive`` lists everything). Without
``--revision`` the latest revision of the period is restored. A version archived before originals
were kept (manifest format 1) has none to restore: the message says so.
"""

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive_ledger as ledger  # noqa: E402
import pipeline_io  # noqa: E402
from pipeline_io import BuildStop  # noqa: E402
from verify_archive import default_archive_dir  # noqa: E402


def find_version(chain: ledger.Chain, period: str, revision: int | None) -> dict[str, str]:
    """The ledger row of ``period`` (its latest revision, or ``revision``).

    >>> rows = [{"period": "2026-10", "revision": "1"}, {"period": "2026-11", "revision": "1"},
    ...         {"period": "2026-11", "revision": "2"}]
    >>> chain = ledger.Chain(Path("a/index.csv"), ledger.LEDGER_FIELDS, exists=True, rows=rows)
    >>> find_version(chain, "2026-11", None)["revision"], find_version(chain, "2026-11", 1)["revision"]
    ('2', '1')
    >>> find_version(chain, "2026-12", None)
    Traceback (most recent call last):
    ...
    pipeline_io.BuildStop: a/index.csv lists no version of 2026-12 (archived periods: 2026-10, 2026-11)
    """
    rows = [r for r in chain.rows if r.get("period") == period]
    if revision is not None:
        rows = [r for r in rows if r.get("revision") == str(revision)]
    if not rows:
        periods = ", ".join(sorted({r.get("period", "?") for r in chain.rows})) or "none"
        which = f"revision {revision} of {period}" if revision is not None else f"version of {period}"
        raise BuildStop(f"{chain.path} lists no {which} (archived periods: {periods})")
    return max(rows, key=lambda r: int(r["revision"]))


def archived_originals(archive: Path, period: str, revision: int | None) -> tuple[dict[str, Any], list[dict]]:
    """``(manifest, originals)`` of one archived version, after checking the ledger chain and the
    manifest's hash; :class:`BuildStop` saying what is wrong otherwise."""
    ledger.check_period(period)
    chain = ledger.read_chain(archive / ledger.LEDGER, ledger.LEDGER_FIELDS)
    if not chain.exists:
        raise BuildStop(f"{chain.path}: missing: {archive} is not a briefing's archive (or its ledger was lost)")
    if chain.problems:
        raise BuildStop(f"{chain.path} is damaged, so nothing in it can be trusted: {chain.problems[0]} "
                        "(make verify-archive lists every problem; restore the archive from a backup)")
    row = find_version(chain, period, revision)
    problems = ledger.row_problems(row, chain.rows.index(row) + 1, str(chain.path))
    path = archive / row["manifest"] if not problems else None
    if path is not None and not path.is_file():
        problems.append(f"{path}: missing")
    elif path is not None and ledger.file_sha256(path) != row["manifest_sha256"]:
        problems.append(f"{path}: altered (the ledger records sha256 {row['manifest_sha256']})")
    if problems:
        raise BuildStop(f"cannot restore {period} revision {row['revision']}: {problems[0]}")
    manifest = ledger.read_manifest(path)
    originals, problems = ledger.manifest_originals(manifest, str(path))
    if problems:
        raise BuildStop(problems[0])
    if originals is None:
        raise BuildStop(f"{path}: archived before originals were kept (manifest format "
                        f"{manifest.get('format', 1)}): it lists no source files to restore; its 'inputs' give "
                        "their SHA-256, to check sources found elsewhere")
    return manifest, originals


def restore(archive: str | Path, period: str, dest: str | Path, revision: int | None = None) -> dict[str, Any]:
    """Write the originals of one archived version into ``dest`` (empty or absent); returns what was
    restored. On any failure the files written so far are removed again."""
    archive, dest = Path(archive), Path(dest)
    manifest, originals = archived_originals(archive, period, revision)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BuildStop(f"{dest}: exists and is not an empty folder; restore into a new folder (nothing is "
                        "ever overwritten)")
    written: list[Path] = []
    try:
        for entry in originals:
            target = dest / entry["name"]
            copy_checked(archive / entry["copy"], target, entry)
            written.append(target)
    except BaseException:
        pipeline_io.remove_files(written)
        made = {folder for p in written for folder in p.parents if folder == dest or dest in folder.parents}
        for folder in sorted(made, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only the empty ones: a folder that held something before stays
        raise
    return {"manifest": manifest, "files": len(originals), "dest": dest,
            "sources": sorted({e["source"] for e in originals if e["source"]})}


def copy_checked(copy: Path, target: Path, entry: dict[str, Any]) -> None:
    """Copy one archived original to ``target`` atomically, in chunks, checking its SHA-256 on the way."""
    what = f"{entry['path']} ({entry['role']} of source {entry['source'] or '-'})"

    pipeline_io.copy_verified(
        copy, target, entry["sha256"],
        unreadable=lambda exc: f"{copy}: cannot be read ({exc.strerror or exc}), the archived copy of {what}; "
                               "nothing was restored (make verify-archive; restore the archive from a backup)",
        altered=lambda actual: f"{copy}: altered (sha256 {actual}; the manifest records {entry['sha256']} for "
                               f"{what}); nothing was restored (restore the archive from a backup)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="restore_sources.py",
        description="Restore the sources an archived briefing was built from (documents, metadata files, "
                    "sources.yaml, the links' copies of record) into an empty folder, each checked against its "
                    "SHA-256.")
    parser.add_argument("--archive-dir", default=None,
                        help="the archive root (default: archive_dir in config/config.yaml, else 'archive')")
    parser.add_argument("--briefing", required=True, help="the briefing id (a folder of the archive)")
    parser.add_argument("--period", required=True, help="the archived period, YYYY-MM")
    parser.add_argument("--revision", type=int, default=None, help="a revision of the period (default: the latest)")
    parser.add_argument("dest", help="where to write the sources: a new or empty folder")
    args = parser.parse_args(argv)
    try:
        ledger.check_briefing_id(args.briefing)
        root = Path(args.archive_dir or default_archive_dir())
        done = restore(root / args.briefing, args.period, args.dest, args.revision)
    except (BuildStop, pipeline_io.WriteError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    manifest = done["manifest"]
    revision = manifest.get("revision")
    print(f"restored {done['files']} file(s) of {len(done['sources'])} source(s) of {args.briefing} {args.period}"
          f"{'' if revision == 1 else f' revision {revision}'} into {done['dest']}, every hash checked")
    print(f"the briefing was built with sources_dir: {manifest.get('sources_dir') or '?'}, git commit "
          f"{(manifest.get('git') or {}).get('commit') or 'unknown'}; its metrics.csv had sha256 "
          f"{manifest.get('metrics_sha256')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
