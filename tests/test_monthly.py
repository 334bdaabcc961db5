"""scripts/monthly.sh: usage, one run at a time, a stale Snakemake lock cleared safely, and the archive
verified with its head printed. Injected values: tests/test_faults.py."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BRIEFING, PERIOD, ROOT, SNAKEMAKE, run_snakemake

LOCK_BUSY = 75


def monthly(workdir: Path, *args: str, popen: dict | None = None) -> subprocess.CompletedProcess | subprocess.Popen:
    env = {**os.environ, "SNAKEMAKE": SNAKEMAKE, "CORES": "2", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PERIOD", None)
    command = [str(workdir / "scripts/monthly.sh"), *args]
    if popen is not None:
        return subprocess.Popen(command, cwd=workdir, env=env, text=True, **popen)
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


def wait_for(condition, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_help_and_bad_usage():
    helped = monthly(ROOT, "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("Usage: scripts/monthly.sh")
    assert "logs/monthly/PERIOD.log" in helped.stdout
    bad = monthly(ROOT, "2026-13")
    assert bad.returncode == 2 and "expected YYYY-MM" in bad.stderr
    assert monthly(ROOT, "--frobnicate").returncode == 2


@pytest.mark.workflow
def test_a_second_concurrent_run_exits_with_a_clear_message(built_copy):
    lock = built_copy / "logs/monthly/.lock"
    first = monthly(built_copy, PERIOD, popen={"stdout": subprocess.PIPE, "stderr": subprocess.PIPE})
    try:
        wait_for(lambda: lock.exists() and f"pid {first.pid}," in lock.read_text(), what="the first run's lock")
        second = monthly(built_copy, PERIOD)
        assert first.poll() is None, "the first run ended before the second started: the test proves nothing"
        assert second.returncode == LOCK_BUSY
        assert "another monthly run is in progress" in second.stderr and f"pid {first.pid}" in second.stderr
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, out + err
    assert "done:" in out and "ledger head sha256" in out
    # The run rechecks the whole archive and prints the archive head, to be noted elsewhere.
    head = [line for line in out.splitlines() if line.startswith("monthly.sh: verified: archive: OK")]
    assert len(head) == 1 and "archive head sha256" in head[0], out
    assert (built_copy / f"archive/{BRIEFING}/{PERIOD}/manifest.json").exists()
    log = (built_copy / f"logs/monthly/{PERIOD}.log").read_text(encoding="utf-8")
    assert f"=== monthly.sh: period {PERIOD}" in log and "archive_briefing" in log


@pytest.mark.workflow
def test_a_stale_snakemake_lock_left_by_a_crash_is_cleared(built_copy):
    # A real crash: SIGKILL Snakemake and its job mid-build, which leaves .snakemake/locks behind.
    partial = built_copy / "templates/partials/cover.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- rerender -->\n", encoding="utf-8")
    locks = built_copy / ".snakemake/locks"
    crashed = subprocess.Popen([SNAKEMAKE, "--cores", "2", "archive", "--config", f"period={PERIOD}"],
                               cwd=built_copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    wait_for(lambda: locks.is_dir() and any(locks.iterdir()) or crashed.poll() is not None, what="Snakemake's lock")
    os.killpg(crashed.pid, signal.SIGKILL)
    crashed.wait(timeout=60)
    assert any(locks.iterdir()), "the crash left no lock: the test proves nothing"
    refused = run_snakemake(built_copy, "archive", "--config", f"period={PERIOD}", check=False)
    assert refused.returncode != 0 and "LockException" in refused.stdout + refused.stderr

    done = monthly(built_copy, PERIOD)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stale Snakemake lock" in done.stdout and "snakemake --unlock" in done.stdout
    assert not locks.exists() or not any(locks.iterdir())
    assert (built_copy / f"archive/{BRIEFING}/{PERIOD}/manifest.json").exists()
    assert "Unlocked working directory" in (built_copy / f"logs/monthly/{PERIOD}.log").read_text(encoding="utf-8")


@pytest.mark.workflow
def test_a_live_snakemake_run_keeps_its_lock(built_copy):
    partial = built_copy / "templates/partials/cover.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- rerender -->\n", encoding="utf-8")
    locks = built_copy / ".snakemake/locks"
    live = subprocess.Popen([SNAKEMAKE, "--cores", "2", "--config", f"period={PERIOD}"], cwd=built_copy,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: locks.is_dir() and any(locks.iterdir()) or live.poll() is not None, what="Snakemake's lock")
        assert live.poll() is None, "the run ended before monthly.sh started: the test proves nothing"
        busy = monthly(built_copy, PERIOD)
        assert busy.returncode == LOCK_BUSY
        assert "Snakemake is running in this folder outside monthly.sh" in busy.stdout
        assert live.wait(timeout=300) == 0  # its lock was left alone
    finally:
        if live.poll() is None:
            live.kill()
