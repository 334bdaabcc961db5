"""Several briefings from one config: each from its own sources, catalog and programme strings,
each with its own PDF, in one DAG; a change to one briefing's inputs reruns only that briefing."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import BRIEFING, PERIOD, copy_workflow, planned_jobs, run_snakemake
from pipeline_io import read_yaml
from test_workflow import SEED, pdf_fonts, pdf_text
from workflow_config import briefing_path

SECOND = "west-demo"
SECOND_TITLE = {"en": "Western Region Demonstration Briefing", "zh": "西部地區示範簡報"}


def add_second_briefing(work: Path) -> None:
    """A second briefing: the seed copied to its own folder, Simplified Chinese, its own title."""
    sources = work / "data/west"
    sources.mkdir()
    for suffix in (".txt", ".yaml"):
        shutil.copy2(work / f"data/sources/{SEED}{suffix}", sources / f"{SEED}{suffix}")
    programme = read_yaml(work / f"config/programmes/{BRIEFING}.yaml")
    text = (work / f"config/programmes/{BRIEFING}.yaml").read_text(encoding="utf-8")
    for lang in ("en", "zh"):
        text = text.replace(programme[lang]["briefing"]["title"], SECOND_TITLE[lang])
    (work / f"config/programmes/{SECOND}.yaml").write_text(text, encoding="utf-8")
    config = work / "config/config.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f"  {SECOND}:\n    sources_dir: data/west\n    zh_script: hans\n", encoding="utf-8")


def planned_outputs(work: Path, *args: str) -> set[str]:
    """The briefing ids whose results a dry run would write."""
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}", *args)
    paths = re.findall(r"output: (results/\S+?)[,\s]", proc.stdout + proc.stderr)
    finished = re.compile(r"results/briefing/[0-9-]+/briefing-([a-z0-9_-]+)-[0-9]{4}-[0-9]{2}\.\w+")
    return {m.group(1) if (m := finished.fullmatch(p)) else p.split("/")[1] for p in paths}


@pytest.fixture(scope="module")
def two_briefings(tmp_path_factory) -> Path:
    work = copy_workflow(tmp_path_factory.mktemp("two") / "wf")
    add_second_briefing(work)
    return work


@pytest.mark.workflow
def test_one_dag_holds_both_briefings_and_neither_waits_for_the_other(two_briefings):
    jobs = planned_jobs(two_briefings, "--config", f"period={PERIOD}")
    for rule in ("extract_figures", "reconcile", "plot_progress_phases", "plot_outputs", "render_briefing"):
        assert jobs[rule] == 2, (rule, jobs)
    # Asking for one briefing's PDF plans only that briefing's jobs: no edge joins the two.
    assert planned_outputs(two_briefings, "--", briefing_path(SECOND, PERIOD)) == {SECOND}
    assert planned_outputs(two_briefings) == {BRIEFING, SECOND}


@pytest.mark.workflow
def test_each_briefing_gets_its_own_pdf_title_and_script(two_briefings):
    run_snakemake(two_briefings, "--config", f"period={PERIOD}")
    first = " ".join(pdf_text(two_briefings / briefing_path(BRIEFING, PERIOD)).split())
    second = " ".join(pdf_text(two_briefings / briefing_path(SECOND, PERIOD)).split())
    assert "重慶服務業擴大開放綜合試點" in first and SECOND_TITLE["en"] not in first
    assert SECOND_TITLE["en"] in second and "西部地区示范简报" in second  # converted to Simplified
    assert "报告期" in second and "報告期" in first
    assert any("SC" in name for name in pdf_fonts(two_briefings / briefing_path(SECOND, PERIOD)))
    assert planned_jobs(two_briefings, "--config", f"period={PERIOD}") == {}


@pytest.mark.workflow
def test_a_change_to_one_briefing_reruns_only_that_briefing(two_briefings):
    run_snakemake(two_briefings, "--config", f"period={PERIOD}")
    programme = two_briefings / f"config/programmes/{SECOND}.yaml"
    programme.write_text(programme.read_text(encoding="utf-8") + "# reworded\n", encoding="utf-8")
    assert planned_jobs(two_briefings, "--config", f"period={PERIOD}") == {
        "plot_progress_phases": 1, "render_briefing": 1, "all": 1}
    assert planned_outputs(two_briefings) == {SECOND}
    run_snakemake(two_briefings, "--config", f"period={PERIOD}")

    shutil.copy2(two_briefings / f"data/west/{SEED}.txt", two_briefings / "data/west/added.txt")
    jobs = planned_jobs(two_briefings, "--config", f"period={PERIOD}")
    assert jobs["extract_figures"] == 1 and jobs["reconcile"] == 1, jobs
    assert planned_outputs(two_briefings) == {SECOND}


@pytest.mark.workflow
def test_a_briefing_without_its_programme_file_stops_before_any_job(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    add_second_briefing(work)
    (work / f"config/programmes/{SECOND}.yaml").unlink()
    proc = run_snakemake(work, "--dry-run", "--config", f"period={PERIOD}", check=False)
    assert proc.returncode != 0
    assert f"briefing '{SECOND}': programme 'config/programmes/{SECOND}.yaml' is not a file" in proc.stderr
