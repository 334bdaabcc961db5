"""The workflow as the Snakemake ecosystem expects it: `snakemake --report` holds the briefing, its
charts and its metrics table with captions in both languages; the workflow's own files are found
from its folder, so it runs with --directory and as a module of another workflow, and each gives
the same PDF, byte for byte, as a plain build."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import BRIEFING, PDF, PERIOD, SNAKEMAKE, copy_workflow, run_snakemake

pytestmark = pytest.mark.workflow


def project(dest: Path) -> Path:
    """A project folder of one's own: its config and data only (the code stays in the workflow)."""
    work = copy_workflow(dest.parent / f"{dest.name}-source")
    dest.mkdir(parents=True)
    for part in ("config", "data"):
        shutil.move(str(work / part), dest / part)
    shutil.rmtree(work)
    return dest


def snakemake_in(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([SNAKEMAKE, "--cores", "2", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_the_report_holds_the_briefing_charts_and_metrics_with_bilingual_captions(built_copy):
    run_snakemake(built_copy, "--report", "briefing-report.zip", "--config", f"period={PERIOD}")
    with zipfile.ZipFile(built_copy / "briefing-report.zip") as report:
        names = report.namelist()
        page = report.read(next(n for n in names if n.endswith("report.html"))).decode("utf-8")
        pdf = next(n for n in names if n.endswith(f"briefing-{BRIEFING}-{PERIOD}.pdf"))
        assert report.read(pdf) == (built_copy / PDF).read_bytes()
    for chart in ("progress.svg", "phases.svg", "outputs.svg", "metrics.csv", f"briefing-{BRIEFING}-{PERIOD}.html"):
        assert any(n.endswith("/" + chart) for n in names), chart
    assert f"The bilingual briefing of {BRIEFING} for {PERIOD}" in page
    chinese = f"{BRIEFING}於{PERIOD}的雙語簡報".encode("unicode_escape").decode("ascii")
    assert f"{BRIEFING}於{PERIOD}的雙語簡報" in page or chinese in page, "the Chinese caption"


def test_the_workflow_runs_with_directory_and_gives_the_same_pdf(built_workflow, tmp_path):
    code = copy_workflow(tmp_path / "workflow")
    shutil.rmtree(code / "data")  # the sources are the project's
    proj = project(tmp_path / "project")
    snakemake_in(tmp_path, "--snakefile", str(code / "Snakefile"), "--directory", str(proj), "--config",
                 f"period={PERIOD}")
    assert (proj / PDF).read_bytes() == (built_workflow / PDF).read_bytes()
    assert not (code / "results").exists(), "results are written in the project folder, not the workflow's"


def test_the_workflow_runs_as_a_module_and_gives_the_same_pdf(built_workflow, tmp_path):
    copy_workflow(tmp_path / "workflow")  # the module's code, beside the host
    host = project(tmp_path / "host")
    (host / "Snakefile").write_text(
        'configfile: "config/config.yaml"\n\n\n'
        "module briefing:\n    snakefile:\n        \"../workflow/Snakefile\"\n    config:\n        config\n\n\n"
        "use rule * from briefing as briefing_*\n", encoding="utf-8")
    snakemake_in(host, "--config", f"period={PERIOD}")
    assert (host / PDF).read_bytes() == (built_workflow / PDF).read_bytes()
    proc = snakemake_in(host, "--dry-run", "--config", f"period={PERIOD}")
    assert "Nothing to be done" in proc.stdout + proc.stderr
