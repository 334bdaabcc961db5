"""Several briefings from one config: the shipped Chongqing pilot (three one-year phases,
Traditional Chinese) and the Yunling roads plan (five years in four unequal phases, Simplified
Chinese, its own catalog with its own metric ids) build in one run, each from its own sources,
catalog and programme file, each with its own PDF, read back here; a change to one briefing's
inputs reruns only that briefing."""

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BRIEFING, PERIOD, SECOND, batch, copy_workflow, planned_jobs, run_snakemake
from test_workflow import pdf_fonts, pdf_text
from workflow_config import briefing_path

pytestmark = pytest.mark.workflow
#: The second briefing's sources (data/yunling/), by id: its extraction jobs are their batches.
SECOND_SOURCE_IDS = ("yunling-plan-approved", "yunling-roads-2024-mid", "yunling-roads-2025-q3",
                     "yunling-roads-2026-review")


def planned_outputs(work: Path, *args: str) -> set[str]:
    """The briefing ids whose results a dry run would write."""
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}", *args)
    paths = re.findall(r"output: (results/\S+?)[,\s]", proc.stdout + proc.stderr)
    finished = re.compile(r"results/briefing/[0-9-]+/briefing-([a-z0-9_-]+)-[0-9]{4}-[0-9]{2}\.\w+")
    return {m.group(1) if (m := finished.fullmatch(p)) else p.split("/")[1] for p in paths}


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Path:
    """The workflow with the shipped config (both briefings), planned, then built once."""
    work = copy_workflow(tmp_path_factory.mktemp("both") / "wf", both=True)
    jobs = planned_jobs(work, "--config", f"period={PERIOD}")
    assert jobs["extract_figures"] == 1 + len({batch(s) for s in SECOND_SOURCE_IDS}), jobs
    for rule in ("reconcile", "plot_progress_phases", "plot_outputs", "render_briefing"):
        assert jobs[rule] == 2, (rule, jobs)
    # Asking for one briefing's PDF plans only that briefing's jobs: no edge joins the two.
    assert planned_outputs(work, "--", briefing_path(SECOND, PERIOD)) == {SECOND}
    assert planned_outputs(work) == {BRIEFING, SECOND}
    run_snakemake(work, "--config", f"period={PERIOD}")
    return work


def test_both_programmes_build_in_one_run_and_read_back(both):
    first = " ".join(pdf_text(both / briefing_path(BRIEFING, PERIOD)).split())
    second = " ".join(pdf_text(both / briefing_path(SECOND, PERIOD)).split())
    assert "重慶服務業擴大開放綜合試點" in first and "Yunling" not in first
    assert "Yunling Rural Roads Plan" in second and "云岭农村公路五年规划" in second and "Chongqing" not in second
    assert "报告期" in second and "報告期" in first, "each in its own Chinese script"
    # The second programme's own figures and labels, from its own catalog.
    for needle in ("Road projects in", "规划公路项目数 240个", "204个", "85%", "742公里", "61座", "more than 150",
                   "150余个", "16 March 2023", "2023年3月16日"):
        assert needle in second, needle
    assert any("SC" in name for name in pdf_fonts(both / briefing_path(SECOND, PERIOD)))
    # The PDF's author is the briefing's publisher, not a source's author.
    assert PdfReader(both / briefing_path(SECOND, PERIOD)).metadata.author == "Rural Roads Briefing Desk"
    assert PdfReader(both / briefing_path(BRIEFING, PERIOD)).metadata.author == "Service-Sector Pilot Briefing Desk"
    assert planned_jobs(both, "--config", f"period={PERIOD}") == {}


def test_the_second_programmes_charts_show_its_own_phases(both):
    phases = (both / f"results/{SECOND}/plots/{PERIOD}/phases.svg").read_text(encoding="utf-8")
    progress = (both / f"results/{SECOND}/plots/{PERIOD}/progress.svg").read_text(encoding="utf-8")
    for svg in (phases, progress):
        assert [int(n) for n in re.findall(r'id="phase-(\d+)"', svg)] == [1, 2, 3, 4]
        assert "第四阶段" in svg and "Year 3" not in svg and "一年起步" not in svg
    assert "The 5-year plan in 4 phases" in phases
    assert 'id="focus-2-panel"' in phases and 'id="focus-3-panel"' in phases and 'id="focus-1-panel"' not in phases
    assert "硬化通往县城的最后一批砂石路段" in phases
    # The boundaries of the unequal phases (6, 18, 24, 12 months from 16 March 2023) are the ticks.
    for tick in ("2023-03-16", "2023-09-16", "2025-03-16", "2027-03-16", "2028-03-16"):
        assert tick in progress, tick
    assert "Road projects completed against the target of 240" in progress


def test_a_change_to_one_briefing_reruns_only_that_briefing(both, tmp_path):
    work = tmp_path / "wf"
    shutil.copytree(both, work, symlinks=True)
    programme = work / f"config/programmes/{SECOND}.yaml"
    programme.write_text(programme.read_text(encoding="utf-8") + "# reworded\n", encoding="utf-8")
    assert planned_jobs(work, "--config", f"period={PERIOD}") == {
        "plot_progress_phases": 1, "render_briefing": 1, "all": 1}
    assert planned_outputs(work) == {SECOND}
    programme.write_text(programme.read_text(encoding="utf-8").replace("# reworded\n", ""), encoding="utf-8")

    shutil.copy2(work / "data/yunling/yunling-roads-2025-q3.txt", work / "data/yunling/added.txt")
    jobs = planned_jobs(work, "--config", f"period={PERIOD}")
    assert jobs["extract_figures"] == 1 and jobs["reconcile"] == 1, jobs
    assert planned_outputs(work) == {SECOND}
    # The one extraction job is the new source's batch; the batches of the other sources are kept.
    extraction = planned_paths(work, "figures")
    assert extraction == {f"results/{SECOND}/figures/{batch('added')}.csv"}, extraction
    (work / "data/yunling/added.txt").unlink()

    # A catalog edit reruns every batch of that briefing (and its combined steps), none of the other's.
    catalog = work / "config/metrics-yunling.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# reworded\n", encoding="utf-8")
    assert planned_paths(work, "figures") == {f"results/{SECOND}/figures/{batch(s)}.csv" for s in SECOND_SOURCE_IDS}
    assert planned_outputs(work) == {SECOND}


def planned_paths(work: Path, kind: str) -> set[str]:
    """The planned outputs under results/{briefing}/{kind}/ of a dry run."""
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}")
    outputs = [path for line in (proc.stdout + proc.stderr).splitlines() if line.strip().startswith("output: ")
               for path in line.strip().removeprefix("output: ").split(", ")]
    return {path for path in outputs if path.split("/")[2:3] == [kind]}


def test_a_briefing_without_its_programme_file_stops_before_any_job(tmp_path):
    work = copy_workflow(tmp_path / "wf", both=True)
    (work / f"config/programmes/{SECOND}.yaml").unlink()
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}", check=False)
    assert proc.returncode != 0
    assert f"briefing '{SECOND}': programme 'config/programmes/{SECOND}.yaml' is not a file" in proc.stderr


@pytest.mark.parametrize("edit, needles", [
    (("    role: duration\n", ""), ["briefing 'yunling-roads'", "config/metrics-yunling.yaml",
                                  "no metric has 'role: duration'"]),
    (("    role: target\n", "    role: output\n"), ["no metric has 'role: target'", "the briefing's charts"]),
], ids=["role-missing", "target-turned-output"])
def test_a_catalog_without_a_role_the_briefing_needs_stops_before_any_job(tmp_path, edit, needles):
    work = copy_workflow(tmp_path / "wf", both=True)
    path = work / "config/metrics-yunling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}", check=False)
    assert proc.returncode != 0 and not (work / "results").exists()
    for needle in needles:
        assert needle in proc.stderr, (needle, proc.stderr)
