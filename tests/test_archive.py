"""The archive (issue 6): archived briefings are never lost or altered.

Unit tests call scripts/archive_briefing.py and scripts/verify_archive.py directly on a temporary
archive; workflow tests run `snakemake archive` on a copy of the built workflow.
"""

from __future__ import annotations

import datetime as dt
import json
import os
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


def archive(folder: Path, period: str, pdf: bytes, html: bytes, revision: bool = False) -> dict:
    return ab.archive_period(folder, period, pdf, html, make_manifest_factory(period), revision_requested=revision)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: bytes and mtime (to prove a no-op wrote nothing)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def verify_cli(archive_dir: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(cwd / "scripts/verify_archive.py"), "--archive-dir", str(archive_dir)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


# --------------------------------------------------------------------------- unit tests


def test_archive_writes_briefing_manifest_and_index(tmp_path):
    receipt = archive(tmp_path, PERIOD, b"%PDF one", b"<html>one</html>")
    folder = tmp_path / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == [f"briefing-{PERIOD}.html", f"briefing-{PERIOD}.pdf", "manifest.json"]
    manifest = pipeline_io.read_json(folder / "manifest.json")
    assert manifest["period"] == PERIOD and manifest["revision"] == 1
    assert manifest["files"] == {f"briefing-{PERIOD}.pdf": ab.sha256_bytes(b"%PDF one"),
                                 f"briefing-{PERIOD}.html": ab.sha256_bytes(b"<html>one</html>")}
    assert receipt["action"] == "archived" and receipt["manifest_sha256"] == ab.sha256_file(folder / "manifest.json")
    rows = ab.read_index(tmp_path / "index.csv")
    assert [(r["period"], r["revision"], r["pdf"]) for r in rows] == [(PERIOD, "1", f"{PERIOD}/briefing-{PERIOD}.pdf")]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f'href="{PERIOD}/briefing-{PERIOD}.pdf"' in page
    assert "Reporting period" in page and "報告期" in page and ab.sha256_bytes(b"%PDF one")[:16] in page


def test_manifest_records_no_clock_time(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    text = (tmp_path / PERIOD / "manifest.json").read_text(encoding="utf-8")
    today = dt.datetime.now(dt.timezone.utc)
    assert today.strftime("%Y-%m-%d") not in text and today.strftime("%H:%M") not in text
    # Same inputs, same bytes: a second archive elsewhere gives an identical manifest.
    archive(tmp_path / "other", PERIOD, b"%PDF", b"<html>")
    assert (tmp_path / "other" / PERIOD / "manifest.json").read_text(encoding="utf-8") == text


def test_same_bytes_again_is_a_noop(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    before = snapshot(tmp_path)
    time.sleep(0.01)
    receipt = archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert receipt["action"] == "unchanged"
    assert snapshot(tmp_path) == before


def test_different_bytes_are_refused_then_stored_as_revisions(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF v1", b"<html>v1")
    before = snapshot(tmp_path)
    with pytest.raises(ab.ArchiveConflict) as refused:
        archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1")
    message = str(refused.value)
    for needle in (PERIOD, ab.sha256_bytes(b"%PDF v1"), ab.sha256_bytes(b"%PDF v2"), "archive_revision=true", "never overwritten"):
        assert needle in message, needle
    assert snapshot(tmp_path) == before

    receipt = archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1", revision=True)
    assert receipt["action"] == "revision" and receipt["revision"] == 2
    folder = tmp_path / PERIOD
    assert (folder / f"briefing-{PERIOD}-r2.pdf").read_bytes() == b"%PDF v2"
    assert (folder / f"briefing-{PERIOD}.pdf").read_bytes() == b"%PDF v1"  # the original is untouched
    r2 = pipeline_io.read_json(folder / "manifest-r2.json")
    assert r2["revision"] == 2 and r2["supersedes"]["manifest"] == "manifest.json"
    # The latest revision is now the reference: its bytes are a no-op, with or without a revision request.
    assert archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1")["action"] == "unchanged"
    assert archive(tmp_path, PERIOD, b"%PDF v2", b"<html>v1", revision=True)["action"] == "unchanged"
    assert archive(tmp_path, PERIOD, b"%PDF v3", b"<html>v3", revision=True)["revision"] == 3
    assert [r["revision"] for r in ab.read_index(tmp_path / "index.csv")] == ["1", "2", "3"]
    assert verify_archive.verify(tmp_path)[0] == []


def test_previous_manifest_is_the_latest_revision_of_the_newest_earlier_period(tmp_path):
    assert ab.previous_manifest(tmp_path / "none", PERIOD) is None
    archive(tmp_path, "2026-09", b"%PDF a", b"a")
    archive(tmp_path, "2026-09", b"%PDF b", b"b", revision=True)
    archive(tmp_path, "2026-10", b"%PDF c", b"c")
    (tmp_path / "2026-10" / "manifest.json").rename(tmp_path / "2026-10-moved.json")  # 2026-10: nothing published
    archive(tmp_path, PERIOD, b"%PDF d", b"d")
    found = ab.previous_manifest(tmp_path, PERIOD)
    assert (found["period"], found["revision"]) == ("2026-09", 2)
    assert ab.previous_manifest(tmp_path, NEXT)["period"] == PERIOD
    assert ab.previous_manifest(tmp_path, "2026-09") is None
    assert ab.previous_manifest_path(tmp_path, NEXT) == str(tmp_path / PERIOD / "manifest.json")


def test_verify_catches_a_flipped_byte_and_a_deleted_file(tmp_path):
    archive(tmp_path, "2026-10", b"%PDF october", b"<html>october")
    archive(tmp_path, PERIOD, b"%PDF november", b"<html>november")
    ok = verify_cli(tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().count("\n") == 0 and "OK" in ok.stdout and "every hash matches" in ok.stdout

    pdf = tmp_path / PERIOD / f"briefing-{PERIOD}.pdf"
    data = bytearray(pdf.read_bytes())
    data[3] ^= 0x01
    pdf.write_bytes(bytes(data))
    (tmp_path / "2026-10" / "briefing-2026-10.html").unlink()
    bad = verify_cli(tmp_path)
    assert bad.returncode == 1
    assert f"{pdf}: altered" in bad.stderr
    assert "briefing-2026-10.html: missing" in bad.stderr
    assert "2 problem(s)" in bad.stderr


def test_verify_catches_a_deleted_period_and_an_edited_manifest(tmp_path):
    archive(tmp_path, "2026-10", b"%PDF october", b"<html>october")
    archive(tmp_path, PERIOD, b"%PDF november", b"<html>november")
    for path in (tmp_path / "2026-10").iterdir():
        path.unlink()
    (tmp_path / "2026-10").rmdir()
    manifest = tmp_path / PERIOD / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"revision": 1', '"revision": 1 '), encoding="utf-8")
    problems, _, _ = verify_archive.verify(tmp_path)
    assert any("2026-10/manifest.json: missing" in p for p in problems), problems
    assert any(f"{PERIOD}/manifest.json: altered" in p for p in problems), problems
    # Archiving another period keeps the lost one in the ledger, so the loss stays visible.
    archive(tmp_path, NEXT, b"%PDF december", b"<html>december")
    assert any("2026-10/manifest.json: missing" in p for p in verify_archive.verify(tmp_path)[0])


def test_verify_checks_each_briefing_folder_of_the_archive_root(tmp_path):
    archive(tmp_path / "north", PERIOD, b"%PDF north", b"<html>north")
    archive(tmp_path / "south", PERIOD, b"%PDF south", b"<html>south")
    assert verify_archive.archives_under(tmp_path) == [tmp_path / "north", tmp_path / "south"]
    assert verify_archive.archives_under(tmp_path / "north") == [tmp_path / "north"]
    ok = verify_cli(tmp_path)
    assert ok.returncode == 0 and ok.stdout.count("every hash matches") == 2, ok.stdout + ok.stderr
    (tmp_path / "south" / PERIOD / f"briefing-{PERIOD}.pdf").write_bytes(b"%PDF forged")
    bad = verify_cli(tmp_path)
    assert bad.returncode == 1
    assert f"{tmp_path / 'north'}: OK" in bad.stdout and f"{tmp_path / 'south'}: 1 problem(s)" in bad.stderr


def test_verify_command_line(tmp_path):
    helped = subprocess.run([sys.executable, str(ROOT / "scripts/verify_archive.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "--archive-dir" in helped.stdout
    missing = verify_cli(tmp_path / "nowhere")
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_an_interrupted_archive_leaves_nothing_published_and_the_next_run_completes(tmp_path, monkeypatch):
    real_write_json = pipeline_io.write_json

    def killed(path, data):
        raise KeyboardInterrupt("killed before the manifest")

    monkeypatch.setattr(pipeline_io, "write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    monkeypatch.setattr(pipeline_io, "write_json", real_write_json)
    folder = tmp_path / PERIOD
    assert not (folder / "manifest.json").exists()  # not published
    (folder / f".briefing-{PERIOD}.pdf.x1y2.tmp").write_bytes(b"%PD")  # as a kill mid-write leaves it
    problems, notes, _ = verify_archive.verify(tmp_path)
    assert problems == [] and any("temporary file" in n for n in notes) and any("not listed" in n for n in notes)

    assert archive(tmp_path, PERIOD, b"%PDF", b"<html>")["action"] == "archived"
    assert sorted(p.name for p in folder.iterdir()) == [f"briefing-{PERIOD}.html", f"briefing-{PERIOD}.pdf", "manifest.json"]
    assert verify_archive.verify(tmp_path)[:2] == ([], [])


def test_sigterm_in_the_archive_script_unwinds_atomic_writes(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        ab._raise_on_sigterm(signal.SIGTERM, None)
    assert stopped.value.code == 128 + signal.SIGTERM


def test_a_missing_archived_file_is_restored_and_an_altered_one_stops(tmp_path):
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    pdf = tmp_path / PERIOD / f"briefing-{PERIOD}.pdf"
    pdf.unlink()
    archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert pdf.read_bytes() == b"%PDF"
    pdf.write_bytes(b"%PDF edited")
    with pytest.raises(pipeline_io.BuildStop, match="was altered"):
        archive(tmp_path, PERIOD, b"%PDF", b"<html>")
    assert pdf.read_bytes() == b"%PDF edited"


def test_archive_dir_inside_results_is_refused(tmp_path):
    with pytest.raises(pipeline_io.BuildStop, match="make clean"):
        ab.check_archive_dir(tmp_path / "results" / "archive", tmp_path / "results")
    assert ab.check_archive_dir(tmp_path / "archive", tmp_path / "results") == tmp_path / "archive"


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


def test_receipt_state_notices_a_changed_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    receipt = Path("results/archive") / f"{PERIOD}.json"
    assert ab.receipt_state(receipt) == "ok"
    pipeline_io.write_json(receipt, archive(Path("archive"), PERIOD, b"%PDF", b"<html>"))
    assert ab.receipt_state(receipt) == "ok"
    Path(f"archive/{PERIOD}/briefing-{PERIOD}.html").unlink()
    assert ab.receipt_state(receipt).startswith("changed")


# --------------------------------------------------------------------------- workflow tests


def archive_args(period: str, *extra: str) -> list[str]:
    return ["archive", "--config", f"period={period}", *extra]


@pytest.mark.workflow
def test_two_periods_archived_and_a_rerun_is_a_noop(built_copy):
    run_snakemake(built_copy, *archive_args(PERIOD))
    run_snakemake(built_copy, *archive_args(NEXT))
    store = built_copy / "archive" / BRIEFING
    for period in (PERIOD, NEXT):
        folder = store / period
        assert (folder / f"briefing-{period}.pdf").read_bytes() == \
            (built_copy / PDF.replace(PERIOD, period)).read_bytes()
        assert (folder / f"briefing-{period}.html").exists()
    assert [r["period"] for r in ab.read_index(store / "index.csv")] == [PERIOD, NEXT]

    manifest = pipeline_io.read_json(store / PERIOD / "manifest.json")
    inputs = manifest["inputs"]
    for needle in ("data/sources/chongqing-pilot-first-anniversary.txt", "data/sources/chongqing-pilot-first-anniversary.yaml",
                   "config/metrics.yaml", "templates/briefing.html.j2", "templates/i18n/zh.yaml", "templates/briefing.css",
                   f"config/programmes/{BRIEFING}.yaml"):
        assert needle in inputs, needle
    assert any(k.startswith("templates/partials/") for k in inputs)
    metrics_rows = pipeline_io.csv_rows((built_copy / f"{OUT}/metrics.csv").read_text(encoding="utf-8"))
    assert manifest["metrics"] == metrics_rows and metrics_rows
    assert manifest["packages"]["snakemake"] and manifest["packages"]["weasyprint"]
    assert manifest["git"] == {"commit": None, "dirty": None}  # the test copy is not a repository
    assert ab.previous_manifest(store, NEXT)["period"] == PERIOD

    # Rerunning is a no-op: nothing planned, and even a forced archive job writes nothing.
    assert planned_jobs(built_copy, *archive_args(PERIOD)) == {}
    before = snapshot(store)
    run_snakemake(built_copy, "--forcerun", "archive_briefing", *archive_args(PERIOD))
    assert snapshot(store) == before
    checked = verify_cli(store, built_copy)
    assert checked.returncode == 0 and "2 archived versions of 2 periods" in checked.stdout


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
    assert {k: v for k, v in snapshot(store).items()} == after
    assert verify_cli(store, built_copy).returncode == 0


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
    assert verify_cli(built_copy / "archive" / BRIEFING, built_copy).returncode == 0
    receipt = json.loads((built_copy / f"{OUT}/archive/{PERIOD}.json").read_text(encoding="utf-8"))
    assert receipt["pdf_sha256"] == ab.sha256_file(pdf)
