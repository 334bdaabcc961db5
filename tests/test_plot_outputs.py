"""The outputs chart from small tables, the catalog mark it reads, and the charts' rebuild rules."""

import copy
import logging
import warnings
from pathlib import Path

import pytest

import chart_style
from conftest import OUT, briefing_strings, copy_workflow, gid_texts, metric, planned_jobs, run_snakemake
from catalog import load as load_catalog
from catalog import validate as validate_catalog
from pipeline_io import InputError, read_yaml
from plot_outputs import draw_outputs, outputs_from_metrics

ROOT = Path(__file__).resolve().parents[1]
STRINGS = briefing_strings()
RAW = read_yaml(ROOT / "config/metrics.yaml")
CATALOG = load_catalog(ROOT / "config/metrics.yaml")
OUTPUTS = ["reforms", "projects", "policies", "featured_tasks", "innovation_cases"]



SEED = [metric("tasks_done", "69"), metric("reforms", "40", qualifier="gt"), metric("projects", "356"),
        metric("policies", "55"), metric("featured_tasks", "60", qualifier="gt"), metric("innovation_cases", "37")]
THREE = SEED + [metric("reforms", "52", "2023-01-10", "gt"), metric("projects", "410", "2024-03-30")]


def build(rows):
    return draw_outputs(outputs_from_metrics(rows, CATALOG, STRINGS), STRINGS)


pytestmark = pytest.mark.usefixtures("close_figures")


def test_the_catalog_marks_the_outputs_in_order():
    assert [m.id for m in CATALOG.outputs()] == OUTPUTS


def test_the_catalog_validator_knows_the_role():
    validate_catalog(RAW, "metrics.yaml")
    bad = copy.deepcopy(RAW)
    bad["metrics"]["reforms"]["role"] = "pie"
    with pytest.raises(InputError, match="reforms.role is .pie.; expected one of"):
        validate_catalog(bad, "metrics.yaml")
    old = copy.deepcopy(RAW)
    del old["metrics"]["reforms"]["role"]
    old["metrics"]["reforms"]["chart"] = "outputs"
    with pytest.raises(InputError, match="unknown key.*'chart: outputs' is now 'role: output'"):
        validate_catalog(old, "metrics.yaml")


def test_seed_outputs_with_labels_from_the_catalog_and_qualifiers():
    outputs = outputs_from_metrics(SEED, CATALOG, STRINGS)
    assert [(o.metric, o.shown) for o in outputs] == [
        ("reforms", "40+"), ("projects", "356"), ("policies", "55"), ("featured_tasks", "60+"),
        ("innovation_cases", "37")]
    fig = draw_outputs(outputs, STRINGS)
    texts = gid_texts(fig)
    for metric_id in OUTPUTS:
        label = RAW["metrics"][metric_id]["label"]
        assert label["en"] in texts[f"label-{metric_id}"] and label["zh"] in texts[f"label-{metric_id}"]
    assert texts["value-reforms"] == "40+" and texts["value-projects"] == "356"
    widths = {p.get_gid(): p.get_width() for p in fig.axes[0].patches}
    assert widths == {"bar-reforms": 40, "bar-projects": 356, "bar-policies": 55, "bar-featured_tasks": 60,
                      "bar-innovation_cases": 37}
    notes = texts["qualifier-notes"]
    assert '"40+" means more than 40' in notes and "「40+」即40餘" in notes
    assert "2022-05-17" in fig.axes[0].get_title(loc="left"), "one date for all: said once"


def test_three_sources_use_the_newest_figure_and_date_each():
    fig = build(THREE)
    texts = gid_texts(fig)
    assert texts["value-reforms"] == "52+  (2023-01-10)"
    assert texts["value-projects"] == "410  (2024-03-30)"
    assert texts["value-policies"] == "55  (2022-05-17)"


def test_no_output_figures_says_so():
    texts = gid_texts(build([metric("tasks_done", "69")]))
    assert texts["no-outputs"] == "No output figures reported yet\n尚未公布成果數據"


@pytest.mark.parametrize("rows", [SEED, THREE], ids=["seed", "three"])
def test_no_text_collides_or_leaves_the_figure(rows):
    fig = build(rows)
    assert chart_style.text_overlaps(fig) == []
    assert chart_style.texts_outside(fig) == []


def test_chart_bytes_are_deterministic_and_warning_free(caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.DEBUG, logger="matplotlib.font_manager"):
        warnings.simplefilter("error")
        first = [chart_style.render(build(SEED), f) for f in ("svg", "png")]
        second = [chart_style.render(build(SEED), f) for f in ("svg", "png")]
        assert chart_style.missing_glyphs(build(THREE)) == {}
    assert first == second
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    svg = first[0].decode()
    assert "Noto Sans CJK TC" in svg and "首創性差異化改革探索" in svg and "<dc:date>" not in svg
    assert 'id="bar-projects"' in svg


@pytest.mark.workflow
def test_a_new_period_reruns_the_period_charts_but_not_the_outputs_chart(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    charts = [f"{OUT}/plots/2026-11/progress.svg", f"{OUT}/plots/2026-11/phases.svg", f"{OUT}/plots/outputs.svg"]
    run_snakemake(work, "--config", "period=2026-11", "--", *charts)
    for chart in charts:
        assert (work / chart).stat().st_size > 0
    assert planned_jobs(work, "--config", "period=2026-11", "--", *charts) == {}
    next_month = [c.replace("2026-11", "2026-12") for c in charts]
    assert planned_jobs(work, "--config", "period=2026-12", "--", *next_month) == {"plot_progress_phases": 1}
    # A chart's own script reruns only that chart; the shared chart module reruns all three.
    script = work / "scripts/plot_outputs.py"
    script.write_text(script.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert planned_jobs(work, "--config", "period=2026-11", "--", *charts) == {"plot_outputs": 1}
    shared = work / "scripts/chart_style.py"
    shared.write_text(shared.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert planned_jobs(work, "--config", "period=2026-11", "--", *charts) == {
        "plot_progress_phases": 1, "plot_outputs": 1}
