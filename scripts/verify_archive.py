"""Recheck every hash in the briefing archive; exit 1 and list what is missing or altered.

Usage (no make or Snakemake needed):

    .venv/bin/python scripts/verify_archive.py [--archive-dir archive]

The archive holds one folder per briefing (``{archive_dir}/{briefing}/``); each is checked on its
own and gets its own summary line. A folder that itself holds periods is checked as one archive.
Checks, for every ``{archive_dir}/{period}/manifest*.json``: that the manifest reads, and that
each file it lists exists with the SHA-256 it records. Then, for every row of the ledger
``{archive_dir}/index.csv``: that the manifest it names still exists with the recorded hash (so a
deleted period folder or an edited manifest is caught) and agrees with the ledger's file hashes.
Leftover temporary files, files no manifest lists, and versions not yet in the ledger are
reported as notes and do not fail the check. When all is well it prints one line and exits 0.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive_briefing as ab  # noqa: E402
from pipeline_io import BuildStop, read_yaml  # noqa: E402


def default_archive_dir(config_path: str | Path = "config/config.yaml") -> str:
    """``archive_dir`` from the project's config, else ``archive``."""
    try:
        value = (read_yaml(config_path) or {}).get("archive_dir")
    except (OSError, BuildStop):
        value = None
    return str(value) if value else "archive"


def verify(archive_dir: str | Path) -> tuple[list[str], list[str], dict[str, int]]:
    """``(problems, notes, counts)`` for the archive at ``archive_dir``. Pure apart from reading files."""
    archive = Path(archive_dir)
    problems: list[str] = []
    notes: list[str] = []
    counts = {"periods": 0, "manifests": 0, "files": 0}
    if not archive.is_dir():
        return [f"{archive}: archive folder does not exist"], notes, counts

    manifests: dict[tuple[str, int], str] = {}  # (period, revision) -> sha256 of the manifest
    listed_hashes: dict[tuple[str, int], dict[str, str]] = {}
    for period in ab.archived_periods(archive):
        folder = archive / period
        counts["periods"] += 1
        listed: set[str] = set()
        for revision, path in ab.manifest_paths(folder):
            counts["manifests"] += 1
            listed.add(path.name)
            try:
                manifest = ab.read_manifest(path)
            except BuildStop as exc:
                problems.append(f"{path}: unreadable manifest ({exc})")
                continue
            manifests[(period, revision)] = ab.sha256_file(path)
            listed_hashes[(period, revision)] = manifest["files"]
            if manifest.get("period") != period or manifest.get("revision") != revision:
                problems.append(f"{path}: says period {manifest.get('period')!r} revision "
                                f"{manifest.get('revision')!r}, but is stored as {period} revision {revision}")
            for name, expected in sorted(manifest["files"].items()):
                target = folder / name
                listed.add(name)
                counts["files"] += 1
                if not target.is_file():
                    problems.append(f"{target}: missing (listed in {path.name}, sha256 {expected})")
                    continue
                actual = ab.sha256_file(target)
                if actual != expected:
                    problems.append(f"{target}: altered (sha256 {actual}, {path.name} records {expected})")
        for extra in sorted(p for p in folder.iterdir() if p.name not in listed):
            if extra.name.startswith(".") and extra.name.endswith(".tmp"):
                notes.append(f"{extra}: temporary file left by an interrupted run (the next archive run removes it)")
            else:
                notes.append(f"{extra}: not listed in any manifest (not a published file)")

    try:
        ledger = ab.read_index(archive / ab.INDEX_CSV)
    except (BuildStop, ValueError, KeyError) as exc:
        problems.append(f"{archive / ab.INDEX_CSV}: unreadable ledger ({exc})")
        ledger = []
    if not (archive / ab.INDEX_CSV).exists() and manifests:
        problems.append(f"{archive / ab.INDEX_CSV}: missing (the ledger of archived versions)")
    in_ledger = set()
    for row in ledger:
        try:
            key = (row["period"], int(row["revision"]))
        except (KeyError, ValueError):
            problems.append(f"{archive / ab.INDEX_CSV}: bad row {row}")
            continue
        in_ledger.add(key)
        where = archive / row["manifest"]
        if key not in manifests:
            if not where.exists():
                problems.append(f"{where}: missing (listed in {ab.INDEX_CSV}, sha256 {row['manifest_sha256']})")
            continue  # an unreadable manifest is reported above
        if manifests[key] != row["manifest_sha256"]:
            problems.append(f"{where}: altered (sha256 {manifests[key]}, {ab.INDEX_CSV} records {row['manifest_sha256']})")
        files = listed_hashes[key]
        for kind in ("pdf", "html"):
            name = Path(row[kind]).name
            if files.get(name) != row[f"{kind}_sha256"]:
                problems.append(f"{where}: records {name} as {files.get(name)}, {ab.INDEX_CSV} as {row[f'{kind}_sha256']}")
    for period, revision in sorted(set(manifests) - in_ledger):
        notes.append(f"{archive / period / ab.version_names(period, revision)['manifest']}: not yet in "
                     f"{ab.INDEX_CSV} (the next archive run adds it)")
    return problems, notes, counts


def plural(count: int, noun: str) -> str:
    """
    >>> plural(1, "period"), plural(2, "period")
    ('1 period', '2 periods')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(archive_dir: str | Path, problems: list[str], counts: dict[str, int]) -> str:
    """
    >>> summary("archive", [], {"periods": 2, "manifests": 3, "files": 6})
    'archive: OK, 3 archived versions of 2 periods, 6 files, every hash matches'
    """
    what = (f"{plural(counts['manifests'], 'archived version')} of {plural(counts['periods'], 'period')}, "
            f"{plural(counts['files'], 'file')}")
    if problems:
        return f"{archive_dir}: {len(problems)} problem(s) in {what}"
    return f"{archive_dir}: OK, {what}, every hash matches"


def is_archive(folder: Path) -> bool:
    """A briefing's archive: it holds period folders or a ledger."""
    return (folder / ab.INDEX_CSV).exists() or bool(ab.archived_periods(folder))


def archives_under(root: str | Path) -> list[Path]:
    """The briefing archives in ``root`` (``{archive_dir}/{briefing}/``), or ``root`` itself if it
    is one. A root that does not exist is returned as is, so that :func:`verify` reports it."""
    root = Path(root)
    if not root.is_dir() or is_archive(root):
        return [root]
    found = sorted(child for child in root.iterdir() if child.is_dir() and is_archive(child))
    return found or [root]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_archive.py",
        description="Recheck every SHA-256 in every manifest of the briefing archive and in its ledger "
                    "(index.csv). Exit status 0 when everything matches, 1 when a file is missing or altered.",
    )
    parser.add_argument("--archive-dir", default=None,
                        help="archive folder: the root holding one folder per briefing, or one briefing's folder "
                             "(default: archive_dir in config/config.yaml, else 'archive')")
    args = parser.parse_args(argv)
    failed = False
    for archive_dir in archives_under(args.archive_dir or default_archive_dir()):
        problems, notes, counts = verify(archive_dir)
        for line in notes:
            print(f"note: {line}")
        for line in problems:
            print(f"PROBLEM: {line}", file=sys.stderr)
        print(summary(archive_dir, problems, counts), file=sys.stderr if problems else sys.stdout)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
