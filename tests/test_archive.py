"""The archive (issues 6 and 14): archived briefings are never lost, altered or re-created, and any
change to the archive is detected by its two chained ledgers.

Unit tests call scripts/archive_briefing.py and scripts/verify_archive.py directly on a temporary
archive; workflow tests run `snakemake archive` on a copy of the built workflow. Disk-full,
read-only, killed-run and injection cases are in tests/test_faults.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

import archive_briefing as ab
import pipeline_io
import verify_archive
from conftest import BRIEFING, OUT, PDF, PERIOD, ROOT, SNAKEMAKE, planned_jobs, run_snakemake

NEXT = "2026-12"
EARLIER = "2026-10"
#: The briefing id of the unit tests' archives: {root}/main/...
MAIN = "main"
VERSION_FILES = [f"briefing-{PERIOD}.html", f"briefing-{PERIOD}.pdf", "manifest.json"]
WORDS = ab.index_words()


# --------------------------------------------------------------------------- helpers


def make_manifest_factory(period: str, inputs: dict[str, str] | None = None):
    def make(revision, files, supersedes):
        return ab.build_manifest(
            period=period, revision=revision, files=files, inputs=inputs or {"data/sources/a.txt": "0" * 64},
            metrics=[{"metric": "tasks", "value": "86"}], metrics_sha256="1" * 64,
            packages={"snakemake": "9.27.1"}, git={"commit": None, "dirty": None},
            pipeline_version="0.1.0", supersedes=supersedes,
        )
    return make


def archive(root: Path, period: str, pdf: bytes, html: bytes, revision: bool = False, briefing: str = MAIN) -> dict:
    return ab.archive_period(root, briefing, period, pdf, html, make_manifest_factory(period),
                             revision_requested=revision, words=WORDS)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: bytes and mtime (to prove a no-op or a refusal wrote nothing)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def last_line_sha256(path: Path) -> str:
    """The head as anyone can recompute it: `tail -n 1 FILE | sha256sum`."""
    return hashlib.sha256(path.read_bytes().splitlines(keepends=True)[-1]).hexdigest()


def problems(root: Path) -> list[str]:
    return verify_archive.problems_of(verify_archive.verify(root))


def verify_cli(archive_dir: Path, *extra: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(cwd / "scripts/verify_archive.py"), "--archive-dir", str(archive_dir),
                           *extra], cwd=cwd, capture_output=True, text=True, timeout=120)


def three_versions(root: Path) -> None:
    """2026-10, then 2026-11 and its revision r2: three ledger rows, three root records."""
    archive(root, EARLIER, b"%PDF october", b"<html>october")
    archive(root, PERIOD, b"%PDF november", b"<html>november")
    archive(root, PERIOD, b"%PDF november fixed", b"<html>november fixed", revision=True)


# --------------------------------------------------------------------------- writing


def test_archive_writes_briefing_manifest_both_ledgers_and_index(tmp_path):
    receipt = archive(tmp_path, PERIOD, b"%PDF one", b"<html>one</html>")
    folder = tmp_path / MAIN / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == VERSION_FILES
    manifest = pipeline_io.read_json(folder / "manifest.json")
    assert manifest["period"] == PERIOD and manifest["revision"] == 1
    assert manifest["files"] == {f"briefing-{PERIOD}.pdf": hashlib.sha256(b"%PDF one").hexdigest(),
                                 f"briefing-{PERIOD}.html": hashlib.sha256(b"<html>one</html>").hexdigest()}

    ledger = tmp_path / MAIN / "index.csv"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",prev_sha256") and len(lines) == 2
    row = dict(zip(lines[0].split(","), lines[1].split(",")))
    assert (row["period"], row["revision"], row["pdf"]) == (PERIOD, "1", f"{PERIOD}/briefing-{PERIOD}.pdf")
    assert row["manifest_sha256"] == hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    assert row["prev_sha256"] == "0" * 64  # the genesis value
    root_lines = (tmp_path / "briefings.csv").read_text(encoding="utf-8").splitlines()
    assert root_lines[0] == "briefing,versions,head_sha256,prev_sha256"
    assert root_lines[1] == f"{MAIN},1,{last_line_sha256(ledger)},{'0' * 64}"
    assert receipt["action"] == "archived" and receipt["ledger_head"] == last_line_sha256(ledger)
    assert receipt["archive_head"] == last_line_sha256(tmp_path / "briefings.csv")

    page = (tmp_path / MAIN / "index.html").read_text(encoding="utf-8")
    en, zh = ab.index_words()["period"]
    assert f'href="{PERIOD}/briefing-{PERIOD}.pdf"' in page and en in page and zh in page
    assert hashlib.sha256(b"%PDF one").hexdigest()[:16] in page and receipt["ledger_head"] in page


def test_index_words_come_from_the_string_catalogs_in_both_languages():
    en = pipeline_io.read_yaml(ROOT / "templates/i18n/en.yaml")["archive_index"]
    zh = pipeline_io.read_yaml(ROOT / "templates/i18n/zh.yaml")["archive_index"]
    assert set(ab.INDEX_KEYS) == set(en) == set(zh)
    assert not hasattr(ab, "INDEX_WORDS")
    assert ab.index_words(script="hans")["title"] == (en["title"], "简报存档")
    assert ab.index_words(script="hans")["lang"] == "zh-Hans"


def test_manifest_records_no_clock_time(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    text = (tmp_path / MAIN / PERIOD / "manifest.json").read_text(encoding="utf-8")
    today = dt.datetime.now(dt.timezone.utc)
    assert today.strftime("%Y-%m-%d") not in text and today.strftime("%H:%M") not in text
    # Same inputs, same bytes: a second archive elsewhere gives identical manifest and ledgers.
    archive(tmp_path / "other", PERIOD, b"%PDF", b"<html>")
    for name in (f"{MAIN}/{PERIOD}/manifest.json", f"{MAIN}/index.csv", "briefings.csv"):
        assert (tmp_path / "other" / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_same_bytes_again_is_a_noop(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    before = snapshot(tmp_path)
    time.sleep(0.01)
    receipt = archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert receipt["action"] == "unchanged"
    assert snapshot(tmp_path) == before


def test_different_bytes_are_refused_then_added_as_revisions(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF v1", b"<html>v1")
    before = snapshot(tmp_path)
    with pytest.raises(ab.ArchiveConflict) as refused:
        archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1")
    message = str(refused.value)
    for needle in (PERIOD, ab.sha256_bytes(b"%PDF v1"), ab.sha256_bytes(b"%PDF v2"), "archive_revision=true",
                   "never overwritten"):
        assert needle in message, needle
    assert snapshot(tmp_path) == before

    receipt = archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1", revision=True)
    assert receipt["action"] == "revision" and receipt["revision"] == 2
    folder = tmp_path / MAIN / PERIOD
    assert (folder / f"briefing-{PERIOD}-r2.pdf").read_bytes() == b"%PDF v2"
    assert (folder / f"briefing-{PERIOD}.pdf").read_bytes() == b"%PDF v1"  # the original is untouched
    r2 = pipeline_io.read_json(folder / "manifest-r2.json")
    assert r2["revision"] == 2 and r2["supersedes"]["manifest"] == "manifest.json"
    # The latest revision is now the reference: its bytes are a no-op, with or without a revision request.
    assert archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1")["action"] == "unchanged"
    assert archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1", revision=True)["action"] == "unchanged"
    assert archive(tmp_path, PERIOD, b"%PDF v3", b"<html>v3", revision=True)["revision"] == 3
    ledger = ab.read_chain(tmp_path / MAIN / "index.csv", ab.LEDGER_FIELDS)
    assert [r["revision"] for r in ledger.rows] == ["1", "2", "3"] and ledger.problems == []
    # Each row chains to the one before: prev_sha256 is the SHA-256 of the previous line.
    lines = (tmp_path / MAIN / "index.csv").read_bytes().splitlines(keepends=True)
    for before_line, row in zip(lines[1:], ledger.rows[1:]):
        assert row["prev_sha256"] == hashlib.sha256(before_line).hexdigest()
    assert [r["versions"] for r in ab.read_chain(tmp_path / "briefings.csv", ab.ROOT_FIELDS).rows] == ["1", "2", "3"]
    assert problems(tmp_path) == []


def test_previous_manifest_is_the_latest_listed_revision_of_the_newest_earlier_period(tmp_path):
    store = tmp_path / MAIN
    assert ab.previous_manifest(store, PERIOD) is None
    archive(tmp_path, "2026-09", b"%PDF a", b"a")
    archive(tmp_path, "2026-09", b"%PDF b", b"b", revision=True)
    # 2026-10 holds a manifest no ledger row lists (a run killed before its commit): not published.
    (store / EARLIER).mkdir()
    (store / EARLIER / "manifest.json").write_text(json.dumps({"period": EARLIER, "revision": 1, "files": {}}))
    archive(tmp_path, PERIOD, b"%PDF d", b"d")
    found = ab.previous_manifest(store, PERIOD)
    assert (found["period"], found["revision"]) == ("2026-09", 2)
    assert ab.previous_manifest(store, NEXT)["period"] == PERIOD
    assert ab.previous_manifest(store, "2026-09") is None
    assert ab.previous_manifest_path(store, NEXT) == str(store / PERIOD / "manifest.json")


def test_two_briefings_share_the_root_ledger_and_are_verified_each(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF north", b"<html>north", briefing="north")
    archive(tmp_path, PERIOD, b"%PDF south", b"<html>south", briefing="south")
    root = ab.read_chain(tmp_path / "briefings.csv", ab.ROOT_FIELDS)
    assert [r["briefing"] for r in root.rows] == ["north", "south"] and root.problems == []
    ok = verify_cli(tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("every hash matches") == 2 and f"archive head sha256 {root.head}" in ok.stdout
    (tmp_path / "south" / PERIOD / f"briefing-{PERIOD}.pdf").write_bytes(b"%PDF forged")
    bad = verify_cli(tmp_path)
    assert bad.returncode == 1
    assert f"{tmp_path / 'north'}: OK" in bad.stdout and f"{tmp_path / 'south'}: 1 problem(s)" in bad.stderr
    single = verify_cli(tmp_path / "north")  # one briefing's folder, checked against the root above it
    assert single.returncode == 0 and "every hash matches" in single.stdout


def test_verify_command_line(tmp_path):
    helped = subprocess.run([sys.executable, str(ROOT / "scripts/verify_archive.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "--archive-dir" in helped.stdout and "--expect-head" in helped.stdout
    missing = verify_cli(tmp_path / "nowhere")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = verify_cli(tmp_path / "empty")
    assert empty.returncode == 0 and "nothing archived yet" in empty.stdout


# --------------------------------------------------------------------------- tampering is detected


def delete_period(root: Path, period: str = EARLIER) -> None:
    shutil.rmtree(root / MAIN / period)


def drop_last_row(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))


def edit_row(path: Path, number: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    assert old in lines[number]
    lines[number] = lines[number].replace(old, new)
    path.write_bytes(b"".join(lines))


def remove_row(path: Path, number: int) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:number] + lines[number + 1:]))


def delete_newest_version_and_its_row(root: Path) -> None:
    for name in (f"briefing-{PERIOD}-r2.pdf", f"briefing-{PERIOD}-r2.html", "manifest-r2.json"):
        (root / MAIN / PERIOD / name).unlink()
    drop_last_row(root / MAIN / "index.csv")


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))


#: id -> (what a careless or hostile user does, what verify must say).
TAMPERING = {
    "flipped-byte-in-a-pdf": (lambda r: flip_a_byte(r / MAIN / PERIOD / f"briefing-{PERIOD}.pdf"),
                              f"{MAIN}/{PERIOD}/briefing-{PERIOD}.pdf: altered"),
    "deleted-html": (lambda r: (r / MAIN / EARLIER / f"briefing-{EARLIER}.html").unlink(),
                     f"briefing-{EARLIER}.html: missing (index.csv row 1"),
    "deleted-period-folder": (delete_period, f"{EARLIER}/manifest.json: missing (index.csv row 1"),
    "deleted-period-folder-and-ledger": (lambda r: (delete_period(r), (r / MAIN / "index.csv").unlink()),
                                         f"{MAIN}/index.csv: missing ("),
    "deleted-newest-version-and-its-row": (delete_newest_version_and_its_row,
                                           "index.csv: has 2 row(s), but"),
    "deleted-whole-briefing-folder": (lambda r: shutil.rmtree(r / MAIN),
                                      f"{MAIN}: missing, the whole briefing folder"),
    "deleted-root-ledger": (lambda r: (r / "briefings.csv").unlink(), "briefings.csv: missing, but"),
    "edited-middle-row": (lambda r: edit_row(r / MAIN / "index.csv", 2, b",,,", b",abc,false,"),
                          "index.csv: row 3 (line 4) records prev_sha256"),
    "edited-last-row": (lambda r: edit_row(r / MAIN / "index.csv", 3, b",,,", b",abc,false,"),
                        "the ledger was rewritten"),
    "removed-middle-row": (lambda r: remove_row(r / MAIN / "index.csv", 2),
                           "index.csv: row 2 (line 3) records prev_sha256"),
    "edited-manifest": (lambda r: (r / MAIN / PERIOD / "manifest.json").write_text("{}"),
                        f"{PERIOD}/manifest.json: altered"),
    "edited-root-row": (lambda r: edit_row(r / "briefings.csv", 1, b"main,1,", b"main,0,"),
                        "briefings.csv: row 2 (line 3) records prev_sha256"),
    "unknown-briefing-folder": (lambda r: shutil.copytree(r / MAIN, r / "copied"),
                                "copied: not listed in briefings.csv"),
}


@pytest.mark.parametrize("tamper, expected", list(TAMPERING.values()), ids=list(TAMPERING))
def test_verify_names_every_deletion_and_edit(tmp_path, tamper, expected):
    three_versions(tmp_path)
    assert problems(tmp_path) == []
    tamper(tmp_path)
    found = problems(tmp_path)
    assert any(expected in p for p in found), found
    checked = verify_cli(tmp_path)
    assert checked.returncode == 1 and "PROBLEM:" in checked.stderr


@pytest.mark.parametrize("tamper", [v[0] for k, v in TAMPERING.items() if k != "unknown-briefing-folder"],
                         ids=[k for k in TAMPERING if k != "unknown-briefing-folder"])
def test_archiving_into_a_damaged_archive_writes_nothing(tmp_path, tamper):
    three_versions(tmp_path)
    tamper(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(ab.ArchiveDamaged, match="restore|Restore"):
        archive(tmp_path, NEXT, b"%PDF december", b"<html>december")
    assert snapshot(tmp_path) == before


def test_a_listed_period_whose_files_are_gone_is_never_republished(tmp_path):
    """Why: deleting a period's folder and archiving it again published the current build as the
    original, carrying a later revision's hashes."""
    three_versions(tmp_path)
    shutil.rmtree(tmp_path / MAIN / PERIOD)
    before = snapshot(tmp_path)
    for pdf, html, revision in ((b"%PDF november fixed", b"<html>november fixed", False),
                                (b"%PDF november", b"<html>november", False),
                                (b"%PDF newer", b"<html>newer", True)):
        with pytest.raises(ab.ArchiveDamaged) as refused:
            archive(tmp_path, PERIOD, pdf, html, revision=revision)
        message = str(refused.value)
        assert f"period {PERIOD} is listed in" in message and "never re-created from a new build" in message
        assert "from a backup" in message and "--expect-head" in message
        assert snapshot(tmp_path) == before
        assert not (tmp_path / MAIN / PERIOD).exists()


def test_restoring_from_a_backup_checked_against_a_noted_head(tmp_path):
    live, backup = tmp_path / "live", tmp_path / "backup"
    archive(live, EARLIER, b"%PDF october", b"<html>october")
    noted = archive(live, PERIOD, b"%PDF november", b"<html>november")["archive_head"]
    shutil.copytree(live, backup)
    later = archive(live, NEXT, b"%PDF december", b"<html>december")["archive_head"]
    # A head noted earlier is still in the chain of the live archive and of the backup...
    assert verify_cli(live, "--expect-head", noted).returncode == 0
    assert verify_cli(backup, "--expect-head", noted).returncode == 0
    # ...but the backup does not hold December: checking it against the later head fails.
    stale = verify_cli(backup, "--expect-head", later)
    assert stale.returncode == 1 and f"never had the noted head {later}" in stale.stderr

    shutil.rmtree(live / MAIN / PERIOD)  # lost
    assert verify_cli(live).returncode == 1
    shutil.copytree(backup / MAIN / PERIOD, live / MAIN / PERIOD)  # restored from the backup
    assert verify_cli(live, "--expect-head", later).returncode == 0
    assert archive(live, PERIOD, b"%PDF november", b"<html>november")["action"] == "unchanged"


def test_an_old_format_ledger_is_explained(tmp_path):
    store = tmp_path / MAIN
    store.mkdir()
    (store / "index.csv").write_text(",".join(ab.OLD_LEDGER_FIELDS) + "\n", encoding="utf-8")
    found = problems(tmp_path)
    assert any("old format (no prev_sha256 column" in p for p in found), found
    with pytest.raises(ab.ArchiveDamaged, match="old format"):
        archive(tmp_path, PERIOD, b"%PDF", b"<html>")


# --------------------------------------------------------------------------- interrupted runs


def test_a_run_interrupted_before_its_ledger_row_publishes_nothing_and_the_next_completes(tmp_path, monkeypatch):
    real_append = ab.append_row

    def killed(chain, row):
        raise KeyboardInterrupt("killed before the ledger row")

    archive(tmp_path, EARLIER, b"%PDF october", b"<html>october")
    monkeypatch.setattr(ab, "append_row", killed)
    with pytest.raises(KeyboardInterrupt):
        archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    monkeypatch.setattr(ab, "append_row", real_append)
    folder = tmp_path / MAIN / PERIOD
    assert not folder.exists()  # what it wrote was removed again
    # As a SIGKILL leaves it instead: files no ledger row lists, and a temporary file.
    folder.mkdir(parents=True)
    (folder / f"briefing-{PERIOD}.pdf").write_bytes(b"%PDF half")
    (folder / "manifest.json").write_text("{}")
    (folder / f".briefing-{PERIOD}.html.999999999.x1y2z3w4.tmp").write_bytes(b"<ht")
    reports = verify_archive.verify(tmp_path)
    notes = [n for r in reports for n in r.notes]
    assert verify_archive.problems_of(reports) == []
    assert any("temporary file" in n for n in notes) and any("not published" in n for n in notes)

    assert archive(tmp_path, PERIOD, b"%PDF", b"<html>")["action"] == "archived"
    assert sorted(p.name for p in folder.iterdir()) == VERSION_FILES
    reports = verify_archive.verify(tmp_path)
    assert verify_archive.problems_of(reports) == [] and [n for r in reports for n in r.notes] == []


def test_a_run_interrupted_between_the_two_ledgers_is_reported_then_completed(tmp_path):
    archive(tmp_path, EARLIER, b"%PDF october", b"<html>october")
    root_before = (tmp_path / "briefings.csv").read_bytes()
    archive(tmp_path, PERIOD, b"%PDF november", b"<html>november")
    (tmp_path / "briefings.csv").write_bytes(root_before)  # as if killed before the root row
    found = problems(tmp_path)
    assert any("row(s) 2-2 are not recorded in briefings.csv" in p for p in found), found
    assert archive(tmp_path, PERIOD, b"%PDF november", b"<html>november")["action"] == "unchanged"
    assert problems(tmp_path) == []


def test_sigterm_in_the_archive_script_unwinds_atomic_writes():
    with pytest.raises(SystemExit) as stopped:
        ab._raise_on_sigterm(signal.SIGTERM, None)
    assert stopped.value.code == 128 + signal.SIGTERM


def test_a_missing_file_with_identical_rebuilt_bytes_is_put_back_and_an_altered_one_stops(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    pdf = tmp_path / MAIN / PERIOD / f"briefing-{PERIOD}.pdf"
    pdf.unlink()
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert pdf.read_bytes() == b"%PDF"
    pdf.write_bytes(b"%PDF edited")
    with pytest.raises(ab.ArchiveDamaged, match="altered"):
        archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert pdf.read_bytes() == b"%PDF edited"


def test_git_state_is_null_without_a_repository_or_without_git(tmp_path, monkeypatch):
    assert ab.git_state(tmp_path) == {"commit": None, "dirty": None}
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / "a.txt").write_text("a")
    subprocess.run([*git, "add", "a.txt"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a"], cwd=repo, check=True)
    state = ab.git_state(repo)
    assert len(state["commit"]) == 40 and state["dirty"] is False
    (repo / "a.txt").write_text("b")
    assert ab.git_state(repo)["dirty"] is True
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert ab.git_state(repo) == {"commit": None, "dirty": None}


def test_receipt_state_notices_any_change_to_the_briefing_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    receipt = Path("results/archive") / f"{PERIOD}.json"
    assert ab.receipt_state(receipt) == "ok"
    archive(Path("archive"), EARLIER, b"%PDF o", b"<html>o")
    pipeline_io.write_json(receipt, archive(Path("archive"), PERIOD, b"%PDF", b"<html>"))
    assert ab.receipt_state(receipt) == "ok"
    shutil.rmtree(f"archive/{MAIN}/{EARLIER}")  # another period: the job must rerun (and stop)
    assert ab.receipt_state(receipt).startswith("changed")


# --------------------------------------------------------------------------- workflow tests


def archive_args(period: str, *extra: str) -> list[str]:
    return ["archive", "--config", f"period={period}", *extra]


@pytest.mark.workflow
def test_two_periods_archived_a_rerun_is_a_noop_and_a_deleted_period_is_refused(built_copy):
    run_snakemake(built_copy, *archive_args(PERIOD))
    done = run_snakemake(built_copy, *archive_args(NEXT))
    store = built_copy / "archive" / BRIEFING
    for period in (PERIOD, NEXT):
        folder = store / period
        assert (folder / f"briefing-{period}.pdf").read_bytes() == \
            (built_copy / PDF.replace(PERIOD, period)).read_bytes()
        assert (folder / f"briefing-{period}.html").exists()
    assert [r["period"] for r in ab.read_chain(store / "index.csv", ab.LEDGER_FIELDS).rows] == [PERIOD, NEXT]
    head = last_line_sha256(built_copy / "archive/briefings.csv")
    assert f"archive head: sha256 {head}" in done.stderr  # printed by the job
    assert f"head sha256 {head}" in done.stdout  # and at the end of the run

    manifest = pipeline_io.read_json(store / PERIOD / "manifest.json")
    inputs = manifest["inputs"]
    for needle in ("data/sources/chongqing-pilot-first-anniversary.txt",
                   "data/sources/chongqing-pilot-first-anniversary.yaml", "config/metrics.yaml",
                   "templates/briefing.html.j2", "templates/i18n/zh.yaml", "templates/briefing.css",
                   f"config/programmes/{BRIEFING}.yaml", f"data/commentary/{BRIEFING}/{PERIOD}.en.md",
                   f"data/commentary/{BRIEFING}/{PERIOD}.zh.md"):
        assert needle in inputs, needle
    assert not any(k.startswith("data/commentary/") for k in
                   pipeline_io.read_json(store / NEXT / "manifest.json")["inputs"]), "no commentary for the next period"
    assert any(k.startswith("templates/partials/") for k in inputs)
    # The originals: the seed and its metadata, copied once into the briefing's store for both periods.
    seed = "data/sources/chongqing-pilot-first-anniversary"
    assert manifest["sources_dir"] == "data/sources" and [(e["path"], e["role"]) for e in manifest["originals"]] == [
        (f"{seed}.txt", "document"), (f"{seed}.yaml", "metadata")]
    assert pipeline_io.read_json(store / NEXT / "manifest.json")["originals"] == manifest["originals"]
    for entry in manifest["originals"]:
        assert (store / entry["copy"]).read_bytes() == (built_copy / entry["path"]).read_bytes()
    assert len(list((store / "originals").iterdir())) == 2
    metrics_rows = pipeline_io.csv_rows((built_copy / f"{OUT}/metrics.csv").read_text(encoding="utf-8"))
    assert manifest["metrics"] == metrics_rows and metrics_rows
    assert manifest["packages"]["snakemake"] and manifest["packages"]["weasyprint"]
    assert manifest["git"] == {"commit": None, "dirty": None}  # the test copy is not a repository
    assert ab.previous_manifest(store, NEXT)["period"] == PERIOD

    # Rerunning is a no-op: nothing planned, and even a forced archive job writes nothing.
    assert planned_jobs(built_copy, *archive_args(PERIOD)) == {}
    before = snapshot(built_copy / "archive")
    run_snakemake(built_copy, "--forcerun", "archive_briefing", *archive_args(PERIOD))
    assert snapshot(built_copy / "archive") == before
    checked = verify_cli(built_copy / "archive", cwd=built_copy)
    assert checked.returncode == 0 and "2 archived versions of 2 periods, 4 files, 4 originals (2 distinct" in checked.stdout
    assert f"archive head sha256 {head}" in checked.stdout

    # Why: a deleted period was archived again from the current build, with exit 0.
    shutil.rmtree(store / PERIOD)
    refused = run_snakemake(built_copy, *archive_args(PERIOD), check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and f"period {PERIOD} is listed in" in output and "from a backup" in output
    assert not (store / PERIOD).exists()
    # ...and with its ledger deleted too, the root ledger still knows: refused, and verify fails.
    (store / "index.csv").unlink()
    refused = run_snakemake(built_copy, *archive_args(PERIOD), check=False)
    assert refused.returncode != 0 and "index.csv: missing" in refused.stdout + refused.stderr
    assert not (store / PERIOD).exists() and not (store / "index.csv").exists()
    assert verify_cli(built_copy / "archive", cwd=built_copy).returncode == 1


@pytest.mark.workflow
def test_a_changed_input_is_refused_then_stored_as_a_revision(built_copy):
    run_snakemake(built_copy, *archive_args(PERIOD))
    store = built_copy / "archive" / BRIEFING
    before = snapshot(store)
    archived_pdf = ab.sha256_file(store / PERIOD / f"briefing-{PERIOD}.pdf")
    partial = built_copy / "templates/partials/colophon.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- corrected -->\n", encoding="utf-8")

    refused = run_snakemake(built_copy, *archive_args(PERIOD), check=False)
    assert refused.returncode != 0
    new_pdf = ab.sha256_file(built_copy / PDF)
    output = refused.stdout + refused.stderr
    for needle in (f"period {PERIOD} is already archived", archived_pdf, new_pdf, "archive_revision=true"):
        assert needle in output, needle
    assert snapshot(store) == before

    run_snakemake(built_copy, *archive_args(PERIOD, "archive_revision=true"))
    folder = store / PERIOD
    assert ab.sha256_file(folder / f"briefing-{PERIOD}-r2.pdf") == new_pdf
    assert ab.sha256_file(folder / f"briefing-{PERIOD}.pdf") == archived_pdf
    assert pipeline_io.read_json(folder / "manifest-r2.json")["revision"] == 2
    after = snapshot(store)
    run_snakemake(built_copy, *archive_args(PERIOD))  # back to the default: same bytes as r2, a no-op
    assert snapshot(store) == after
    assert verify_cli(built_copy / "archive", cwd=built_copy).returncode == 0


@pytest.mark.workflow
def test_a_run_killed_mid_render_leaves_no_partial_file_and_the_next_run_completes(built_copy):
    partial = built_copy / "templates/partials/cover.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- rerender -->\n", encoding="utf-8")
    render_log = built_copy / f"logs/{BRIEFING}/render_briefing/{PERIOD}.log"
    render_log.unlink()
    proc = subprocess.Popen([SNAKEMAKE, "--cores", "2", *archive_args(PERIOD)], cwd=built_copy,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    deadline = time.monotonic() + 120
    while not render_log.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    # As systemd or a CI timeout stops a job: SIGTERM to Snakemake and its jobs (the whole group).
    os.killpg(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=120) != 0

    leftovers = [p for base in ("results", "archive") for p in (built_copy / base).rglob("*")
                 if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not (built_copy / "archive" / BRIEFING / PERIOD / "manifest.json").exists()  # nothing was published
    assert not list(built_copy.glob(f"archive/{BRIEFING}/{PERIOD}/briefing-*"))
    pdf = built_copy / PDF
    if pdf.exists():  # rendering may have finished just before the signal: then it is whole
        assert len(PdfReader(pdf).pages) > 0

    run_snakemake(built_copy, *archive_args(PERIOD))
    assert (built_copy / f"archive/{BRIEFING}/{PERIOD}/briefing-{PERIOD}.pdf").read_bytes() == pdf.read_bytes()
    assert len(PdfReader(pdf).pages) > 0
    assert verify_cli(built_copy / "archive", cwd=built_copy).returncode == 0
    receipt = json.loads((built_copy / f"{OUT}/archive/{PERIOD}.json").read_text(encoding="utf-8"))
    assert receipt["pdf_sha256"] == ab.sha256_file(pdf)
