"""The progress chart from small tables: what is drawn, not pixels; deterministic bytes."""

import datetime as dt
import logging
from dataclasses import replace
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import chart_style
from conftest import briefing_facts, briefing_strings, metric
from pipeline_io import InputError
from programme import Phase
from plot_progress import ChartInputError, draw_progress, progress_from_metrics, stale_months

ROOT = Path(__file__).resolve().parents[1]
STRINGS = briefing_strings()
FACTS = briefing_facts()



SEED = [metric("approval_date", "2021-04"), metric("duration_years", "3"), metric("tasks_total", "86"),
        metric("tasks_done", "69")]
THREE = SEED + [metric("tasks_done", "75", "2023-01-10"), metric("tasks_done", "86", "2024-03-30")]


def build(rows, period):
    return draw_progress(progress_from_metrics(rows, STRINGS, FACTS), period, STRINGS, FACTS)


def texts(fig):
    return [t.get_text() for t in chart_style.drawn_texts(fig)]


def by_gid(fig, gid):
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def line(fig, gid):
    return next(line for line in fig.axes[0].get_lines() if line.get_gid() == gid)


pytestmark = pytest.mark.usefixtures("close_figures")


def test_window_comes_from_approval_and_duration():
    progress = progress_from_metrics(SEED, STRINGS, FACTS)
    assert (progress.start, progress.end) == (dt.date(2021, 4, 1), dt.date(2024, 4, 1))
    assert progress.total == Decimal(86)
    assert progress.points == ((dt.date(2022, 5, 17), Decimal(69), "69"),)


def test_phases_that_do_not_last_as_long_as_the_plan_are_named():
    rows = [r if r["metric"] != "duration_years" else metric("duration_years", "5") for r in SEED]
    with pytest.raises(InputError, match=r"chongqing-services.yaml: the phases last 12 \+ 12 \+ 12 = 36 months, but "
                                         r"metrics.csv \('duration_years' of 2022-05-17\) says the plan runs 5"):
        build(rows, "2026-11")


def test_a_longer_programme_moves_the_end_and_the_pace_line():
    rows = [r if r["metric"] != "duration_years" else metric("duration_years", "5") for r in SEED]
    longer = replace(FACTS, programme=replace(FACTS.programme, phases=FACTS.phases + (
        Phase({"en": "Years 4-5", "zh": "第四至五年"}, 24),)))
    fig = draw_progress(progress_from_metrics(rows, STRINGS, longer), "2026-11", STRINGS, longer)
    pace = line(fig, "pace")
    assert list(pace.get_xdata()) == [dt.date(2021, 4, 1), dt.date(2026, 4, 1)]
    assert list(pace.get_ydata()) == [0, 86.0]


def test_missing_programme_facts_are_named():
    with pytest.raises(ChartInputError, match="'duration_years' .the catalog's role duration"):
        progress_from_metrics([metric("approval_date", "2021-04"), metric("tasks_total", "86")], STRINGS, FACTS)
    with pytest.raises(ChartInputError, match="'tasks_total' .the catalog's role target"):
        progress_from_metrics(SEED[:2], STRINGS, FACTS)


def test_seed_chart_draws_point_pace_phases_period_and_stale_note():
    fig = build(SEED, "2026-11")
    assert list(line(fig, "progress").get_ydata()) == [69.0]
    assert list(line(fig, "pace").get_ydata()) == [0, 86.0]
    assert list(line(fig, "target").get_ydata()) == [86.0, 86.0]
    assert list(line(fig, "period").get_xdata()) == [dt.date(2026, 11, 1)] * 2
    drawn = "\n".join(texts(fig))
    for phase in FACTS.phases:
        assert f"{phase.name['en']}\n{phase.name['zh']}" in drawn
    for phrase in ("a promising start", "一年起步", "good momentum", "兩年見成效", "achievements", "三年出成果"):
        assert phrase in drawn
    assert [len(by_gid(fig, f"phase-{year}")) for year in (1, 2, 3)] == [1, 1, 1]
    assert "Reporting period 2026-11" in drawn and "報告期 2026-11" in drawn
    (stale,) = by_gid(fig, "stale")
    assert "2022-05-17" in stale.get_text() and "54" in stale.get_text(), "the note gives the age in months"
    assert fig._suptitle.get_text() == "Tasks carried out against the target of 86\n已實施任務數（目標86）"
    assert fig.axes[0].get_ylabel() == "Tasks / 任務", "the target's counted noun, from the catalog"
    assert "69\n2022-05-17" in drawn
    # The x axis is labelled at the phase boundaries, derived from the approval date.
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2021-04", "2022-04", "2023-04", "2024-04"]


def test_three_sources_draw_three_points_and_no_stale_note():
    fig = build(THREE, "2024-04")
    assert list(line(fig, "progress").get_ydata()) == [69.0, 75.0, 86.0]
    assert [len(by_gid(fig, f"point-{i}")) for i in (1, 2, 3)] == [1, 1, 1]
    assert by_gid(fig, "stale") == []


def test_stale_threshold():
    progress = progress_from_metrics(SEED, STRINGS, FACTS)
    assert stale_months(progress, "2022-07") is None
    assert stale_months(progress, "2022-08") == 3
    assert stale_months(progress_from_metrics(SEED[:3], STRINGS, FACTS), "2026-11") is None, "no point, no note"


def test_a_qualified_figure_keeps_its_qualifier():
    fig = build(SEED[:3] + [metric("tasks_done", "69", qualifier="gt")], "2022-06")
    assert "69+\n2022-05-17" in texts(fig)


@pytest.mark.parametrize("rows, period", [(SEED, "2026-11"), (SEED, "2023-02"), (SEED, "2021-02"),
                                          (THREE, "2024-04"), (THREE, "2022-11"), (THREE, "2026-11")],
                         ids=["seed-late", "seed-stale-inside", "seed-before", "three-end", "three-inside",
                              "three-late"])
def test_no_text_collides_or_leaves_the_figure(rows, period):
    fig = build(rows, period)
    assert chart_style.text_overlaps(fig) == []
    assert chart_style.texts_outside(fig) == []


@pytest.mark.parametrize("rows, period, gids", [
    (SEED, "2023-02", ("stale", "point-1", "period-label")),
    (THREE, "2026-11", ("stale", "point-1", "point-2", "point-3", "period-label")),
], ids=["seed-stale-inside", "three-late"])
def test_notes_and_point_labels_avoid_the_lines(rows, period, gids):
    """Labels move off the pace, target, data and period lines (and off each other)."""
    fig = build(rows, period)
    renderer = fig.canvas.get_renderer()
    for gid in gids:
        (label,) = by_gid(fig, gid)
        box = chart_style.extent(label, renderer)
        hits = [line.get_gid() for line in fig.axes[0].get_lines() if chart_style.collides(box, line, renderer)]
        assert hits == [], f"{gid} crosses {hits}"


def test_chart_bytes_are_deterministic_and_warning_free(caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.DEBUG, logger="matplotlib.font_manager"):
        warnings.simplefilter("error")
        first = [chart_style.render(build(SEED, "2026-11"), f) for f in ("svg", "png")]
        second = [chart_style.render(build(SEED, "2026-11"), f) for f in ("svg", "png")]
    assert first == second
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == [], "font fallback reported"
    assert not [r for r in caplog.records if "findfont" in r.getMessage() and "not found" in r.getMessage()]
    svg = first[0].decode()
    assert "Noto Sans CJK TC" in svg, "CJK text must name the TC face"
    assert "一年起步" in svg, "chart text stays text (svg.fonttype none)"
    assert "<dc:date>" not in svg
    for gid in ("progress", "pace", "target", "period", "stale", "phase-1"):
        assert f'id="{gid}"' in svg, gid


def test_every_glyph_is_in_the_chosen_face():
    fig = build(THREE, "2026-11")
    assert chart_style.missing_glyphs(fig) == {}
    fig.axes[0].text(0, 0, "ok \u0e01", gid="thai")  # Thai: not in Noto Sans CJK
    with pytest.raises(UserWarning, match="Glyph 3585"):
        chart_style.render(fig, "png")  # matplotlib's own warning is an error once setup() ran
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert chart_style.missing_glyphs(fig) == {"ok \u0e01": "\u0e01"}
        with pytest.raises(chart_style.pipeline_io.FontMissing, match="cannot draw"):
            chart_style.check_glyphs(fig)
