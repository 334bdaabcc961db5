"""Fault injection (issue 14): full disks, read-only archives, killed runs, a misplaced archive_dir
and injected values. Each test is listed in README.md, "Reliability", with what it proves.

Real faults where the machine allows them: a small tmpfs for a full disk and a read-only bind
mount, each inside a private mount namespace (`unshare -m`, root only; the mounts vanish with the
namespace); without root, the read-only case uses file permissions and the tmpfs cases are skipped
(the simulated ENOSPC tests below still run). Tests that run Snakemake are marked `workflow`.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

import archive_briefing as ab
import pipeline_io
import verify_archive
from conftest import BRIEFING, PDF, PERIOD, ROOT, SNAKEMAKE, copy_workflow
from workflow_config import ConfigError, check_archive_dir

EARLIER = "2026-10"
MAIN = "main"
WORDS = ab.index_words()
SCRIPTS = str(ROOT / "scripts")


def _can_mount() -> bool:
    """Root with mount namespaces: a real tmpfs and a real read-only mount can be made."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "mount", "-t", "tmpfs", "-o",
                                "size=4k", "tmpfs", folder], capture_output=True, timeout=30)
    return probe.returncode == 0


CAN_MOUNT = _can_mount()
needs_mounts = pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount namespaces (unshare -m) for a real tmpfs")
#: How the read-only cases make a folder read-only: a read-only bind mount (root) or permissions.
READ_ONLY = "mount" if CAN_MOUNT else ("chmod" if os.geteuid() != 0 else None)
needs_read_only = pytest.mark.skipif(READ_ONLY is None,
                                     reason="root without mount namespaces cannot make a folder read-only")

#: Shell functions for the scripts below: make a folder read-only and writable again.
BASH_HELPERS = r"""
ro_on() {
  if [ "$READ_ONLY" = mount ]; then mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"; else chmod -R a-w "$1"; fi
}
ro_off() { if [ "$READ_ONLY" = mount ]; then umount "$1"; else chmod -R u+w "$1"; fi; }
"""


def in_namespace(script: str, cwd: Path, timeout: int = 600, **env: str) -> subprocess.CompletedProcess:
    """Run a bash script, in a private mount namespace when mounts are possible (they vanish with it)."""
    command = ["bash", "-uc", BASH_HELPERS + script]
    if CAN_MOUNT:
        command = ["unshare", "--mount", "--propagation", "private", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "READ_ONLY": READ_ONLY or "", "PYTHONDONTWRITEBYTECODE": "1", **env})


#: Archives one period the way the rule does (run_main: a BuildStop is one ERROR line and exit 1),
#: with the files named after the sizes as its originals (documents of a sources folder "src").
ARCHIVE_ONE = f"""
import sys
sys.path.insert(0, {SCRIPTS!r})
import archive_briefing as ab, pipeline_io
root, period, pdf, html, originals = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
originals = ab.plan_originals([{{"path": f, "role": "document", "source": "s", "sha256": ab.file_sha256(f)}}
                               for f in originals], "src")
def make(revision, files, supersedes):
    return ab.build_manifest(period=period, revision=revision, files=files, inputs={{}}, metrics=[],
                             metrics_sha256="0" * 64, packages={{}}, git={{}}, pipeline_version="t",
                             supersedes=supersedes, originals=originals, sources_dir="src")
pipeline_io.run_main("archive", None, lambda log: print(ab.archive_period(
    root, "main", period, period.encode() * (pdf // 7), b"<" * html, make, log=log, originals=originals)["action"]))
"""


def archive_cmd(root: str, period: str, pdf: int = 4000, html: int = 4000, originals: tuple[str, ...] = ()) -> str:
    return shlex.join([sys.executable, "-c", ARCHIVE_ONE, root, period, str(pdf), str(html), *originals])


def verify_cmd(root: str) -> str:
    return shlex.join([sys.executable, str(ROOT / "scripts/verify_archive.py"), "--archive-dir", root])


def archive(root: Path, period: str, pdf: bytes, html: bytes, sources: Path | None = None) -> dict:
    """Archive a period; every file in ``sources`` is one of its originals."""
    originals = ab.plan_originals([{"path": str(f), "role": "document", "source": f.stem, "sha256": ab.file_sha256(f)}
                                   for f in sorted(sources.iterdir())], str(sources)) if sources else []

    def make(revision, files, supersedes):
        return ab.build_manifest(period=period, revision=revision, files=files, inputs={}, metrics=[],
                                 metrics_sha256="0" * 64, packages={}, git={}, pipeline_version="t",
                                 supersedes=supersedes, originals=originals, sources_dir=str(sources or ""))
    return ab.archive_period(root, MAIN, period, pdf, html, make, words=WORDS, originals=originals)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def clean(root: Path) -> tuple[list[str], list[str]]:
    reports = verify_archive.verify(root)
    return verify_archive.problems_of(reports), [n for r in reports for n in r.notes]


# --------------------------------------------------------------------------- full disk


def fail_writing(monkeypatch, name: str) -> None:
    """ENOSPC when the data of ``name`` is flushed (its temporary file is ``.{name}.{pid}.xxx.tmp``)."""
    real = os.fsync

    def fsync(fd):
        if Path(os.readlink(f"/proc/self/fd/{fd}")).name.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


#: The file whose write fails -> whether the version is committed (its ledger row written) by then.
#: "an-original" is the copy of the source file that is new in the period (named by its SHA-256).
WRITES = {"an-original": False, f"briefing-{PERIOD}.pdf": False, f"briefing-{PERIOD}.html": False,
          "manifest.json": False, "index.csv": False, "briefings.csv": True, "index.html": True}
NEW_SOURCE = "Ferry piers: 14 of 20 are open.\n"


@pytest.mark.parametrize("name, committed", list(WRITES.items()), ids=list(WRITES))
def test_a_full_disk_at_any_write_is_one_clear_error_and_leaves_no_unlisted_file(tmp_path, monkeypatch, name,
                                                                                  committed):
    root, sources = tmp_path / "arch", tmp_path / "src"
    sources.mkdir()
    (sources / "notice.txt").write_text("Harbour notice: 12 piers open.\n", encoding="utf-8")
    archive(root, EARLIER, b"%PDF october", b"<html>october", sources)
    (sources / "piers.txt").write_text(NEW_SOURCE, encoding="utf-8")  # the unchanged notice is stored already
    if name == "an-original":
        name = Path(ab.original_copy(ab.sha256_bytes(NEW_SOURCE.encode()), "piers.txt")).name
    before = {p: (root / p).read_bytes() for p in files_under(root)}
    fail_writing(monkeypatch, name)
    with pytest.raises(pipeline_io.WriteError) as failed:
        archive(root, PERIOD, b"%PDF november", b"<html>november", sources)
    message = str(failed.value)
    assert f"cannot write {root}" in message and f"/{name}: No space left on device" in message
    monkeypatch.undo()
    assert not [p for p in files_under(root) if p.endswith(".tmp")]
    if committed:
        assert "The version is archived" in message
    else:
        assert "nothing was archived" in message
        assert {p: (root / p).read_bytes() for p in files_under(root)} == before  # nothing unlisted
        assert clean(root) == ([], [])
    # With space again the next run completes the version (or archives it), and all verifies.
    assert archive(root, PERIOD, b"%PDF november", b"<html>november", sources)["action"] == \
        ("unchanged" if committed else "archived")
    assert clean(root) == ([], [])
    assert len(list((root / MAIN / "originals").iterdir())) == 2


@needs_mounts
def test_a_real_full_disk_removes_the_pdf_it_wrote(tmp_path):
    """A 256 KB tmpfs: the PDF fits, the HTML does not."""
    script = f"""
        mount -t tmpfs -o size=256k tmpfs arch
        {archive_cmd("arch", EARLIER, 40_000, 40_000)}
        {archive_cmd("arch", PERIOD, 100_000, 150_000)} && echo "rc=0" || echo "rc=$?"
        echo "--- files"; find arch -type f | sort
        echo "--- verify"; {verify_cmd("arch")}
    """
    (tmp_path / "arch").mkdir()
    done = in_namespace(script, tmp_path)
    out, err = done.stdout, done.stderr
    assert "rc=1" in out, out + err
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR archive: cannot write arch/{MAIN}/{PERIOD}/briefing-{PERIOD}.html: No space left on "
                      "device; nothing was archived (the files this run wrote were removed)"], err
    assert "Traceback" not in err
    listed = out.split("--- files")[1].split("--- verify")[0].split()
    assert not any(PERIOD in f for f in listed), listed  # no unlisted PDF left in the archive
    assert "every chain intact" in out.split("--- verify")[1], out + err


@needs_mounts
def test_a_real_full_disk_while_copying_an_original_removes_the_copies_it_wrote(tmp_path):
    """A 256 KB tmpfs: the small original fits, the large one (a scanned report, say) does not."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "notice.txt").write_bytes(b"Harbour notice: 12 piers open.\n" * 100)
    (src / "report.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 1200)  # 300 KB
    small = ab.original_copy(ab.file_sha256(src / "notice.txt"), "notice.txt")
    large = ab.original_copy(ab.file_sha256(src / "report.pdf"), "report.pdf")
    script = f"""
        mount -t tmpfs -o size=256k tmpfs arch
        {archive_cmd("arch", EARLIER, 4000, 4000)}
        {archive_cmd("arch", PERIOD, 4000, 4000, ("src/notice.txt", "src/report.pdf"))} && echo "rc=0" || echo "rc=$?"
        echo "--- files"; find arch -type f | sort
        echo "--- verify"; {verify_cmd("arch")}
    """
    (tmp_path / "arch").mkdir()
    done = in_namespace(script, tmp_path)
    out, err = done.stdout, done.stderr
    assert "rc=1" in out, out + err
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR archive: cannot write arch/{MAIN}/{large}: No space left on device; nothing was "
                      "archived (the files this run wrote were removed)"], err
    assert "Traceback" not in err
    listed = out.split("--- files")[1].split("--- verify")[0].split()
    assert f"arch/{MAIN}/{small}" not in listed and not any("originals" in f or PERIOD in f for f in listed), listed
    assert "every chain intact" in out.split("--- verify")[1], out + err


@pytest.mark.workflow
@needs_mounts
def test_a_full_disk_while_archiving_the_real_briefing(built_copy):
    pdf, html = (built_copy / PDF).stat().st_size, (built_copy / PDF.replace(".pdf", ".html")).stat().st_size
    assert html > 48 * 1024, "the HTML must not fit in what is left: the test proves nothing"
    originals = sum((p.stat().st_size // 4096 + 1) * 4096 for p in (built_copy / "data/sources").iterdir())
    fill = 4 * 1024 * 1024 - (pdf // 4096 + 1) * 4096 - originals - 32 * 1024  # room for the PDF, the originals...
    script = f"""
        mount -t tmpfs -o size=4m tmpfs arch
        head -c {fill} /dev/zero > arch/filler.bin
        {shlex.join([SNAKEMAKE, "--cores", "2", "archive", "--config", f"period={PERIOD}", "archive_dir=arch"])} \
          && echo "rc=0" || echo "rc=$?"
        echo "--- files"; find arch -type f | sort
        echo "--- verify"; {verify_cmd("arch")}
    """
    (built_copy / "arch").mkdir()
    done = in_namespace(script, built_copy)
    out = done.stdout + done.stderr
    assert "rc=0" not in done.stdout, out
    html = f"arch/{BRIEFING}/{PERIOD}/briefing-{PERIOD}.html"
    assert f"ERROR archive: cannot write {html}: No space left on device" in out
    assert "Traceback" not in out
    assert done.stdout.split("--- files")[1].split("--- verify")[0].split() == ["arch/.lock", "arch/filler.bin"]
    assert "arch: OK" in done.stdout.split("--- verify")[1], out


# --------------------------------------------------------------------------- read-only archive


@needs_read_only
@pytest.mark.parametrize("new_original", [False, True], ids=["same-sources", "a-new-source"])
def test_a_read_only_archive_is_rechecked_but_never_written(tmp_path, new_original):
    (tmp_path / "arch").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src/notice.txt").write_text("Harbour notice: 12 piers open.\n", encoding="utf-8")
    (tmp_path / "src/piers.txt").write_text("Ferry piers: 14 of 20 are open.\n", encoding="utf-8")
    kept = ab.original_copy(ab.file_sha256(tmp_path / "src/notice.txt"), "notice.txt")
    new = ab.original_copy(ab.file_sha256(tmp_path / "src/piers.txt"), "piers.txt")
    script = f"""
        {archive_cmd("arch", EARLIER, originals=("src/notice.txt",))}
        ro_on arch
        echo "--- recheck"; {archive_cmd("arch", EARLIER, originals=("src/notice.txt",))} && echo "rc=0" || echo "rc=$?"
        echo "--- new"; {archive_cmd("arch", PERIOD, originals=("src/notice.txt", "src/piers.txt")[:1 + new_original])} \
          2>&1 && echo "rc=0" || echo "rc=$?"
        echo "--- verify"; {verify_cmd("arch")}
        ro_off arch
    """
    done = in_namespace(script, tmp_path)
    recheck = done.stdout.split("--- recheck")[1].split("--- new")[0]
    new_run = done.stdout.split("--- new")[1].split("--- verify")[0]
    assert "unchanged" in recheck and "rc=0" in recheck, done.stdout + done.stderr
    assert "rc=1" in new_run and "Traceback" not in new_run + done.stderr
    errors = [line for line in new_run.splitlines() if line.startswith("ERROR")]
    first = new if new_original else f"{PERIOD}/briefing-{PERIOD}.pdf"  # the new copy is written first
    assert len(errors) == 1 and f"cannot write arch/{MAIN}/{first}: " in errors[0], new_run
    assert errors[0].split(": ")[2].split(";")[0] in (os.strerror(errno.EROFS), os.strerror(errno.EACCES))
    assert "every chain intact" in done.stdout.split("--- verify")[1]
    assert files_under(tmp_path / "arch") == [".lock", "briefings.csv", "main/2026-10/briefing-2026-10.html",
                                              "main/2026-10/briefing-2026-10.pdf", "main/2026-10/manifest.json",
                                              "main/index.csv", "main/index.html", f"main/{kept}"]


@pytest.mark.workflow
@needs_read_only
def test_snakemake_archive_on_a_read_only_archive(built_copy):
    run = shlex.join([SNAKEMAKE, "--cores", "2", "--forcerun", "archive_briefing", "archive", "--config",
                      f"period={PERIOD}"])
    pdf = f"archive/{BRIEFING}/{PERIOD}/briefing-{PERIOD}.pdf"
    seed = f"archive/{BRIEFING}/originals/{ab.file_sha256(next((built_copy / 'data/sources').glob('*.txt')))}.txt"
    script = f"""
        {shlex.join([SNAKEMAKE, "--cores", "2", "archive", "--config", f"period={PERIOD}"])} >/dev/null 2>&1
        ro_on archive
        echo "--- recheck"; {run} 2>&1 && echo "rc=0" || echo "rc=$?"
        ro_off archive; rm {pdf}; ro_on archive
        echo "--- restore"; {run} 2>&1 && echo "rc=0" || echo "rc=$?"
        ro_off archive; cp {PDF} {pdf}; rm {seed}; ro_on archive
        echo "--- original"; {run} 2>&1 && echo "rc=0" || echo "rc=$?"
        ro_off archive
    """
    done = in_namespace(script, built_copy)
    recheck = done.stdout.split("--- recheck")[1].split("--- restore")[0]
    restore = done.stdout.split("--- restore")[1].split("--- original")[0]
    original = done.stdout.split("--- original")[1]
    assert "rc=0" in recheck and "already archived with the same bytes" in recheck, recheck
    assert "rc=0" not in restore and "Traceback" not in restore
    assert f"ERROR archive: cannot write {pdf}: " in restore, restore
    # A lost copy of an original (the sources still hold its bytes) is put back, unless the archive is read-only.
    assert "rc=0" not in original and "Traceback" not in original
    assert f"ERROR archive: cannot write {seed}: " in original, original


# --------------------------------------------------------------------------- killed runs


HANGING_WRITER = f"""
import os, sys, time
sys.path.insert(0, {SCRIPTS!r})
import pipeline_io
def hang(fd):
    print("writing", flush=True)
    time.sleep(600)
os.fsync = hang
pipeline_io.atomic_write_bytes(sys.argv[1], b"x" * 1000)
"""


def start_writer(target: Path) -> subprocess.Popen:
    writer = subprocess.Popen([sys.executable, "-c", HANGING_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    return writer


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_sigkilled_writer_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    target = tmp_path / "briefing.pdf"
    killed = start_writer(target)
    killed.kill()
    killed.wait(timeout=30)
    left = temporaries(tmp_path)
    assert len(left) == 1 and left[0].startswith(f".briefing.pdf.{killed.pid}.")  # a real leftover
    live = start_writer(target)  # a concurrent writer of the same file, still running
    try:
        pipeline_io.atomic_write_bytes(target, b"new")
        assert target.read_bytes() == b"new"
        assert [n.split(".")[3] for n in temporaries(tmp_path)] == [str(live.pid)]  # the live one is kept
        (tmp_path / "other.pdf").write_bytes(b"")
        pipeline_io.atomic_write_bytes(tmp_path / "other.pdf", b"x")  # another file's write touches nothing
        assert len(temporaries(tmp_path)) == 1
    finally:
        live.kill()
        live.wait(timeout=30)
    pipeline_io.atomic_write_bytes(target, b"newer")
    assert temporaries(tmp_path) == []


@pytest.mark.workflow
def test_kill_9_during_rendering_or_archiving_leaves_nothing_after_the_next_run(built_copy):
    partial = built_copy / "templates/partials/cover.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- rerender -->\n", encoding="utf-8")
    render_log = built_copy / f"logs/{BRIEFING}/render_briefing/{PERIOD}.log"
    render_log.unlink()
    proc = subprocess.Popen([SNAKEMAKE, "--cores", "2", "archive", "--config", f"period={PERIOD}"], cwd=built_copy,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: render_log.exists() or proc.poll() is not None)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # no handler runs: whatever was half-written stays
        proc.wait(timeout=60)
    # Whether or not the kill caught a write, plant what one leaves (a dead writer's temporary file)
    # in results/ and at every level of the archive, the way a killed render or archive job does.
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    store = built_copy / "archive" / BRIEFING
    seed = ab.file_sha256(next((built_copy / "data/sources").glob("*.txt")))
    for folder, name in ((built_copy / PDF).parent, Path(PDF).name), (built_copy / "archive", "briefings.csv"), \
            (store, "index.csv"), (store / PERIOD, f"briefing-{PERIOD}.pdf"), (store / "originals", f"{seed}.txt"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f".{name}.{gone}.k9k9k9k9.tmp").write_bytes(b"half")
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- again -->\n", encoding="utf-8")

    subprocess.run([SNAKEMAKE, "--unlock", "--config", f"period={PERIOD}"], cwd=built_copy, capture_output=True,
                   timeout=300, check=True)  # the lock a SIGKILL leaves (scripts/monthly.sh does the same)
    done = subprocess.run([SNAKEMAKE, "--cores", "2", "--rerun-incomplete", "archive", "--config", f"period={PERIOD}"],
                          cwd=built_copy, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    leftovers = [str(p) for base in ("results", "archive") for p in (built_copy / base).rglob("*")
                 if p.name.endswith(".tmp")]
    assert leftovers == []
    assert verify_archive.problems_of(verify_archive.verify(built_copy / "archive")) == []


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# --------------------------------------------------------------------------- archive_dir


SOURCES = {"main": {"sources_dir": "data/sources"}}


@pytest.mark.parametrize("folder, named", [
    ("results/archive", "results/"), ("results", "results/"), ("logs/arch", "logs/"), ("benchmarks/a", "benchmarks/"),
    (".snakemake/archive", ".snakemake/"), ("data/sources/arch", "sources folder 'data/sources'"),
    ("data/sources", "sources folder"), ("./logs/../logs/x", "logs/"), ("data", "would hold its sources folder"),
], ids=["in-results", "results", "in-logs", "in-benchmarks", "in-snakemake", "in-sources", "sources", "dotted",
        "holds-sources"])
def test_archive_dir_inside_a_deleted_or_regenerated_folder_is_refused(tmp_path, folder, named):
    settings = {"sources": {"sources_dir": "data/sources"}} if named.startswith("would hold") else SOURCES
    with pytest.raises(ConfigError) as refused:
        check_archive_dir(folder, settings, tmp_path)
    assert f"config key 'archive_dir' has value {folder!r}, which is not allowed" in str(refused.value)
    assert named in str(refused.value)


def test_archive_dir_through_a_symlink_into_results_is_refused_and_ordinary_folders_pass(tmp_path):
    (tmp_path / "results/x").mkdir(parents=True)
    (tmp_path / "arch").symlink_to(tmp_path / "results/x")
    with pytest.raises(ConfigError, match="inside results/"):
        check_archive_dir("arch", SOURCES, tmp_path)
    for fine in ("archive", "data/archive", "../shared-archive", str(tmp_path / "elsewhere"), "results-archive"):
        check_archive_dir(fine, SOURCES, tmp_path)


@pytest.mark.workflow
@pytest.mark.parametrize("folder", ["logs/arch", "results/archive"])
def test_snakemake_refuses_a_bad_archive_dir_before_any_job(tmp_path, folder):
    work = copy_workflow(tmp_path / "wf")
    proc = subprocess.run([SNAKEMAKE, "--cores", "2", "archive", "--config", f"period={PERIOD}",
                           f"archive_dir={folder}"], cwd=work, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and f"config key 'archive_dir' has value '{folder}'" in out
    assert "Traceback" not in out and "Job stats" not in out
    assert not (work / "results").exists() and not (work / folder).exists()  # nothing was built or archived


# --------------------------------------------------------------------------- injection


def fake_project(tmp_path: Path) -> Path:
    """The Makefile (or monthly.sh) with a stand-in .venv/bin/snakemake that records its arguments."""
    work = tmp_path / "project"
    (work / ".venv/bin").mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", work)
    shutil.copy2(ROOT / "requirements.lock", work)
    shutil.copytree(ROOT / "scripts", work / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "config", work / "config")
    fake = work / ".venv/bin/snakemake"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$FAKE_ARGS"\n'
                    '[ -z "${FAKE_ERROR:-}" ] || { printf "noise\\n%s\\nRuleException:\\n" "$FAKE_ERROR" >&2; exit 1; }\n')
    fake.chmod(0o755)
    python = work / ".venv/bin/python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    (work / ".venv/.installed").touch()
    return work


def make(work: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PERIOD", "CORES", "PYTHON", "MAKEFLAGS")}
    environment.update(FAKE_ARGS=str(work / "args.txt"), **env)
    # -o: treat the set-up steps as done (this test is about the values, not the machine).
    return subprocess.run(["make", "-s", "-o", "system-packages", "-o", ".venv/.installed", *args], cwd=work,
                          capture_output=True, text=True, timeout=120, env=environment)


INJECTED = {
    "shell-command": "2026-10; touch {marker}",
    "command-substitution": "$(touch {marker})",
    "backticks": "`touch {marker}`",
    "make-function": "$(shell touch {marker})",
    "snakemake-flag": "2026-10 --delete-all-output",
    "newline": "2026-10\ntouch {marker}",
}


@pytest.mark.parametrize("how", ["command-line", "environment"])
@pytest.mark.parametrize("value", list(INJECTED.values()), ids=list(INJECTED))
def test_make_refuses_an_injected_period_before_anything_runs(tmp_path, value, how):
    work = fake_project(tmp_path)
    marker = tmp_path / "pwned"
    period = value.format(marker=marker)
    for target in ("briefing", "monthly", "commentary"):
        if how == "command-line":
            proc = make(work, target, f"PERIOD={period}")
        else:
            proc = make(work, target, PERIOD=period)
        assert proc.returncode == 2, (target, proc.stdout, proc.stderr)
        assert "PERIOD=" in proc.stderr and "is not allowed: expected YYYY-MM" in proc.stderr
        assert not marker.exists(), "the injected command ran"
        assert not (work / "args.txt").exists(), "snakemake was started"


def test_make_passes_good_values_quoted_and_refuses_bad_cores_and_python(tmp_path):
    work = fake_project(tmp_path)
    assert make(work, "briefing", "PERIOD=2026-10", "CORES=2").returncode == 0
    assert (work / "args.txt").read_text().split("\n")[:-1] == ["--cores", "2", "--config", "period=2026-10"]
    assert make(work, "briefing").returncode == 0
    assert (work / "args.txt").read_text().split("\n")[:-1] == ["--cores", "all"]
    (work / "args.txt").unlink()
    marker = tmp_path / "pwned"
    for variable in ("CORES", "PYTHON"):
        proc = make(work, "briefing", f"{variable}=2; touch {marker}")
        assert proc.returncode == 2 and f"{variable}=" in proc.stderr and "is not allowed" in proc.stderr
    proc = make(work, "test", f"PYTEST_ARGS=--co -q scripts/pipeline_io.py; touch {marker}")
    assert proc.returncode != 0  # pytest gets the words as arguments ('touch' is no test file); no shell runs them
    assert not marker.exists() and not (work / "args.txt").exists()
    # Quotes still group words, as the README's PYTEST_ARGS="-m 'not workflow'" needs.
    listed = make(work, "test", "PYTEST_ARGS=--co -q --doctest-modules -k 'stale or csv_text' scripts/pipeline_io.py")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "pipeline_io.stale_temporaries" in listed.stdout and "pipeline_io.csv_text" in listed.stdout


def monthly(work: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PERIOD", "CORES")}
    environment.update(SNAKEMAKE=str(work / ".venv/bin/snakemake"), FAKE_ARGS=str(work / "args.txt"), **env)
    return subprocess.run([str(work / "scripts/monthly.sh"), *args], cwd=work, capture_output=True, text=True,
                          timeout=120, env=environment)


def test_monthly_sh_refuses_injected_values_and_passes_good_ones_quoted(tmp_path):
    work = fake_project(tmp_path)
    marker = tmp_path / "pwned"
    for value in INJECTED.values():
        for proc in (monthly(work, value.format(marker=marker)), monthly(work, PERIOD=value.format(marker=marker))):
            assert proc.returncode == 2, proc.stderr
    assert monthly(work, "--delete-all-output").returncode == 2
    assert monthly(work, CORES=f"2; touch {marker}").returncode == 2
    assert monthly(work, CORES="2 --delete-all-output").returncode == 2
    assert not marker.exists() and not (work / "args.txt").exists()

    (work / "archive").mkdir()
    done = monthly(work, "2026-10", CORES="2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (work / "args.txt").read_text().split("\n")[:-1] == [
        "--cores", "2", "--rerun-incomplete", "archive", "--config", "period=2026-10"]
    assert "verified: archive: OK" in done.stdout
    # A failed run shows the rule's own ERROR block, not just the end of Snakemake's output.
    failed = monthly(work, "2026-10", FAKE_ERROR="ERROR archive: the reason\n  - the detail")
    assert failed.returncode == 1 and failed.stderr == "ERROR archive: the reason\n  - the detail\n", failed.stderr


def github_workflow() -> dict:
    return yaml.safe_load((ROOT / "deploy/github/monthly-briefing.yml").read_text(encoding="utf-8"))


def test_the_github_example_checks_its_input_before_use():
    steps = github_workflow()["jobs"]["briefing"]["steps"]
    names = [s.get("name") for s in steps]
    check = steps[names.index("Check the period")]
    users = [i for i, s in enumerate(steps) if "inputs.period" in str(s.get("env", {}))]
    assert users and min(users) == names.index("Check the period"), "the input is used before it is checked"
    for step in steps:
        assert "${{" not in step.get("run", ""), f"{step.get('name')}: an expression pasted into a script"
    assert check["env"]["PERIOD"].replace(" ", "") == "${{inputs.period}}"


@pytest.mark.parametrize("value, ok", [
    ("", True), ("2026-10", True), ("2026-13", False), ("2026-10; touch {marker}", False),
    ("$(touch {marker})", False), ("2026-10 --delete-all-output", False), ("::warning::forged", False),
], ids=["empty", "good", "bad-month", "shell-command", "substitution", "snakemake-flag", "workflow-command"])
def test_the_github_input_check_itself(tmp_path, value, ok):
    steps = github_workflow()["jobs"]["briefing"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Check the period")
    marker = tmp_path / "pwned"
    period = value.format(marker=marker)
    proc = subprocess.run(["bash", "-e", "-c", script], env={**os.environ, "PERIOD": period}, capture_output=True,
                          text=True, timeout=60)
    assert (proc.returncode == 0) == ok, proc.stdout + proc.stderr
    assert not marker.exists()
    if period:
        assert period not in proc.stdout + proc.stderr  # never echoed (a :: line would be a workflow command)
