"""Recheck the briefing archive: both ledger chains, every manifest and every file; exit 1 and name
each entry that is missing, altered or out of place.

Usage (no make or Snakemake needed):

    .venv/bin/python scripts/verify_archive.py [--archive-dir archive] [--expect-head SHA256 ...]

The archive root holds the root ledger ``briefings.csv`` and one folder per briefing
(``{archive_dir}/{briefing}/``, with its ledger ``index.csv``; see scripts/archive_briefing.py).
Checks:

- ``briefings.csv`` chains (each row's ``prev_sha256`` is the SHA-256 of the row before it), every
  briefing it lists still has its folder and ledger, and every head it recorded is one that
  briefing's ledger passed through (rows are only appended); a briefing folder it does not list is
  reported too;
- each briefing's ``index.csv`` chains, lists each revision once and in order, and for every row the
  manifest, the PDF and the HTML exist with the recorded SHA-256 and the manifest agrees with the row;
- every original a manifest lists (the source documents, metadata files, ``sources.yaml`` and fetched
  copies the briefing was built from) has its copy in ``{briefing}/originals/`` with the recorded
  SHA-256 and size; a missing or altered one is named with the file it was in the project. A manifest
  of format 1 (written before originals were kept) lists none: a note says so.

Files in a period folder that no row lists, copies in ``originals/`` that no listed manifest names
(both left by an interrupted run) and leftover temporary files are notes and do not fail the check. ``--expect-head`` takes an archive head noted earlier (each run
prints it): the check fails unless ``briefings.csv`` passed through that head, which proves this
archive (a backup, say) still holds all the history that head commits to. When all is well it prints
one line per briefing and one for the archive, ending with the archive head, and exits 0.
Pointed at one briefing's folder it checks that briefing (against the root ledger above it, if any).
"""

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive_ledger as ledger  # noqa: E402
import pipeline_io  # noqa: E402
from pipeline_io import BuildStop, read_yaml  # noqa: E402


@dataclass
class Report:
    """What the check found in one folder (a briefing's archive, or the archive root)."""

    folder: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""


def default_archive_dir(config_path: str | Path = "config/config.yaml") -> str:
    """``archive_dir`` from the project's config, else ``archive``."""
    try:
        value = (read_yaml(config_path) or {}).get("archive_dir")
    except (OSError, BuildStop):
        value = None
    return str(value) if value else "archive"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """
    >>> plural(1, "period"), plural(2, "period"), plural(2, "copy", "copies")
    ('1 period', '2 periods', '2 copies')
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def temporary_notes(folder: Path) -> list[str]:
    return [f"{p}: temporary file left by an interrupted run (the next archive run removes it)"
            for p in pipeline_io._entries(folder) if p.name.startswith(".") and p.name.endswith(".tmp")]


def briefing_summary(folder: Path, problems: list[str], checked: ledger.VersionCheck, head: str) -> str:
    """
    >>> checked = ledger.VersionCheck(periods=2, versions=3, files=6, originals=12, stored=5)
    >>> briefing_summary(Path("archive/main"), [], checked, "ab" * 32).split("; ")[0]
    'archive/main: OK, 3 archived versions of 2 periods, 6 files, 12 originals (5 distinct copies), every hash matches'
    """
    what = (f"{plural(checked.versions, 'archived version')} of {plural(checked.periods, 'period')}, "
            f"{plural(checked.files, 'file')}, {plural(checked.originals, 'original')} "
            f"({plural(checked.stored, 'distinct copy', 'distinct copies')})")
    if problems:
        return f"{folder}: {len(problems)} problem(s) in {what}"
    return f"{folder}: OK, {what}, every hash matches; ledger head sha256 {head}"


def legacy_note(folder: Path, manifests: list[Path]) -> list[str]:
    """One note for the versions archived before originals were kept (manifest format 1).

    >>> legacy_note(Path("a/main"), [Path("a/main/2026-10/manifest.json")])[0].split(")")[0]
    'a/main: 1 version archived before originals were kept (manifest format 1: 2026-10/manifest.json'
    """
    if not manifests:
        return []
    shown = ", ".join(p.relative_to(folder).as_posix() if p.is_relative_to(folder) else str(p) for p in manifests[:6])
    more = f" and {len(manifests) - 6} more" if len(manifests) > 6 else ""
    return [f"{folder}: {plural(len(manifests), 'version')} archived before originals were kept (manifest format 1: "
            f"{shown}{more}); verified by their hashes, but their sources cannot be restored from the archive"]


def verify_briefing(folder: Path, root_chain: ledger.Chain | None) -> Report:
    """One briefing's archive: its chain, its rows, manifests and files, and (with the root ledger)
    that the root's records of it are heads its ledger passed through."""
    report = Report(folder)
    chain = ledger.read_chain(folder / ledger.LEDGER, ledger.LEDGER_FIELDS)
    report.problems += chain.problems
    if root_chain is not None and root_chain.exists:
        found, unrecorded = ledger.record_problems(root_chain, folder.name, chain)
        report.problems += found
        if unrecorded:
            report.problems.append(ledger.unrecorded_problem(chain, unrecorded))
    if not chain.exists and not any(str(chain.path) in p or str(folder) + ":" in p for p in report.problems):
        report.problems.append(f"{chain.path}: missing, but {folder} holds period folders: the ledger was deleted "
                               "(restore it from a backup), or a first archive run was interrupted before its row "
                               "(nothing was published; the next archive run replaces the files)")
    checked = ledger.check_versions(folder, chain)
    report.problems += checked.problems
    if not chain.exists or chain.problems:  # then "no row lists it" says nothing about the file
        checked.notes = [n for n in checked.notes if "not published" not in n]
    report.notes += temporary_notes(folder) + checked.notes + legacy_note(folder, checked.legacy)
    report.summary = briefing_summary(folder, report.problems, checked, chain.head)
    return report


def verify_root(root: Path, expect_heads: list[str] = ()) -> list[Report]:
    """Every briefing of the archive root, then the root itself (its report last)."""
    root_chain = ledger.read_chain(root / ledger.ROOT_LEDGER, ledger.ROOT_FIELDS)
    top = Report(root, problems=list(root_chain.problems), notes=temporary_notes(root))
    listed = list(dict.fromkeys(row.get("briefing", "") for row in root_chain.rows))
    on_disk = ledger.briefings_on_disk(root)
    if not root_chain.exists and on_disk:
        top.problems.append(f"{root_chain.path}: missing, but {root} holds the archive of {', '.join(on_disk)}")
    elif root_chain.exists:
        for briefing in on_disk:
            if briefing not in listed:
                top.problems.append(f"{root / briefing}: not listed in {ledger.ROOT_LEDGER} (archived outside the "
                                    f"pipeline, or {ledger.ROOT_LEDGER} lost rows)")
    reports = []
    for briefing in sorted(set(listed) | set(on_disk)):
        if not ledger.BRIEFING_RE.match(briefing):
            top.problems.append(f"{root_chain.path}: lists {briefing!r}, which is not a briefing id")
            continue
        reports.append(verify_briefing(root / briefing, root_chain))
    for expected in expect_heads:
        top.problems += expect_head_problems(root_chain, expected)
    broken = sum(bool(r.problems) for r in reports)
    if top.problems or broken:
        top.summary = (f"{root}: " + (f"{len(top.problems)} problem(s) in {ledger.ROOT_LEDGER} and the folders it lists"
                                      if top.problems else f"{ledger.ROOT_LEDGER} intact")
                       + (f"; {plural(broken, 'briefing')} with problems (above)" if broken else ""))
    elif not root_chain.exists:
        top.summary = f"{root}: OK, empty (nothing archived yet)"
    else:
        noted = ", includes the noted head(s)" if expect_heads else ""
        top.summary = (f"{root}: OK, {plural(len(listed), 'briefing')} in {ledger.ROOT_LEDGER}, "
                       f"{plural(len(root_chain.rows), 'record')}, every chain intact{noted}; "
                       f"archive head sha256 {root_chain.head}")
    return reports + [top]


def expect_head_problems(chain: ledger.Chain, expected: str) -> list[str]:
    """A head noted earlier must be one the ledger passed through (any row's hash, the last included).

    >>> chain = ledger.Chain(Path("briefings.csv"), ledger.ROOT_FIELDS, exists=True,
    ...                      heads=[ledger.GENESIS, "a" * 64, "b" * 64])
    >>> expect_head_problems(chain, "A" * 64), len(expect_head_problems(chain, "c" * 64))
    ([], 1)
    """
    expected = expected.strip().lower()
    if expected in chain.heads[1:]:
        return []
    return [f"{chain.path}: never had the noted head {expected}: this archive does not hold the history that head "
            "commits to (an older backup, or a rewritten archive)"]


def is_root(folder: Path) -> bool:
    """An archive root: it holds ``briefings.csv`` or briefing folders, or is empty (nothing archived
    yet); otherwise the folder is taken for one briefing's archive."""
    if (folder / ledger.ROOT_LEDGER).exists() or ledger.briefings_on_disk(folder):
        return True
    return not ((folder / ledger.LEDGER).exists()
                or any(ledger.PERIOD_RE.match(p.name) for p in pipeline_io._entries(folder)))


def verify(archive_dir: str | Path, expect_heads: list[str] = ()) -> list[Report]:
    """Reports for the archive at ``archive_dir`` (a root, or one briefing's folder)."""
    folder = Path(archive_dir)
    if not folder.is_dir():
        return [Report(folder, problems=[f"{folder}: archive folder does not exist"],
                       summary=f"{folder}: 1 problem(s): no archive here")]
    if is_root(folder):
        return verify_root(folder, expect_heads)
    parent = ledger.read_chain(folder.parent / ledger.ROOT_LEDGER, ledger.ROOT_FIELDS)
    report = verify_briefing(folder, parent if parent.exists else None)
    chain = ledger.read_chain(folder / ledger.LEDGER, ledger.LEDGER_FIELDS)
    for expected in expect_heads:
        report.problems += expect_head_problems(chain, expected)
    if expect_heads and report.problems and "problem(s)" not in report.summary:
        report.summary = f"{folder}: {len(report.problems)} problem(s)"
    return [report]


def problems_of(reports: list[Report]) -> list[str]:
    return [p for r in reports for p in r.problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_archive.py",
        description="Recheck the briefing archive: the chained ledgers (briefings.csv and each briefing's "
                    "index.csv), every manifest and every file. Exit status 0 when everything matches, 1 when "
                    "anything is missing, altered or rewritten.",
    )
    parser.add_argument("--archive-dir", default=None,
                        help="the archive root (holding briefings.csv and one folder per briefing), or one "
                             "briefing's folder (default: archive_dir in config/config.yaml, else 'archive')")
    parser.add_argument("--expect-head", action="append", default=[], metavar="SHA256",
                        help="an archive head noted earlier (printed by every archive run and by this check): fail "
                             "unless the archive still holds the history it commits to; may be repeated")
    args = parser.parse_args(argv)
    reports = verify(args.archive_dir or default_archive_dir(), args.expect_head)
    for report in reports:
        for line in report.notes:
            print(f"note: {line}")
        for line in report.problems:
            print(f"PROBLEM: {line}", file=sys.stderr)
    for report in reports:
        print(report.summary, file=sys.stderr if report.problems else sys.stdout)
    return 1 if problems_of(reports) else 0


if __name__ == "__main__":
    sys.exit(main())
