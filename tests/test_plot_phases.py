"""The phases timeline from small tables: phases, milestones, the period, the focus areas."""

import datetime as dt
import logging
import re
import warnings
from pathlib import Path

import pytest

import chart_style
from conftest import briefing_facts, briefing_strings, gid_texts, metric
from plot_phases import SHARED_STEM, ChartInputError, assign_levels, draw_phases, milestones, plan_from_metrics

ROOT = Path(__file__).resolve().parents[1]
STRINGS = briefing_strings()
FACTS = briefing_facts()
FOCUS = FACTS.phases[1].focus_areas  # the second year's four focus areas



SEED = [metric("approval_date", "2021-04"), metric("duration_years", "3"), metric("tasks_total", "86"),
        metric("tasks_done", "69"), metric("reforms", "40", qualifier="gt")]
THREE = SEED + [metric("tasks_done", "75", "2023-01-10"), metric("tasks_done", "86", "2024-03-30"),
                metric("projects", "410", "2024-03-30")]


def build(rows, period):
    return draw_phases(plan_from_metrics(rows, STRINGS, FACTS), period, STRINGS, FACTS)


pytestmark = pytest.mark.usefixtures("close_figures")


def test_milestones_of_the_seed():
    plan = plan_from_metrics(SEED, STRINGS, FACTS)
    items = milestones(plan, "2026-11", STRINGS, FACTS)
    assert [(m.day, m.kind) for m in items] == [
        (dt.date(2021, 4, 1), "approved"), (dt.date(2022, 5, 17), "reported"),
        (dt.date(2024, 4, 1), "window-end"), (dt.date(2026, 11, 1), "period")]
    approved, reported, end, period = (m.label for m in items)
    assert approved == "Pilot approved\n綜合試點獲批\n2021-04"
    assert reported == ("First anniversary: 69 of 86 (Tasks carried out)\n一周年：69／86（已實施任務數）\n2022-05-17")
    assert end == "End of the 3-year plan\n3年期滿\n2024-04"
    assert period == "Reporting period\n報告期\n2026-11"


def test_a_report_away_from_an_anniversary_is_named_generically():
    items = milestones(plan_from_metrics(THREE, STRINGS, FACTS), "2024-04", STRINGS, FACTS)
    labels = {m.day: m.label for m in items if m.kind == "reported"}
    assert labels[dt.date(2023, 1, 10)].startswith("Figures reported: 75 of 86")
    assert labels[dt.date(2024, 3, 30)].startswith("Third anniversary: 86 of 86")
    assert "公布數據：75／86" in labels[dt.date(2023, 1, 10)]


def test_a_dated_source_without_task_figures_is_still_a_milestone():
    rows = SEED[:3] + [metric("policies", "55", "2023-09-01")]
    items = milestones(plan_from_metrics(rows, STRINGS, FACTS), "2026-11", STRINGS, FACTS)
    labels = [m.label for m in items if m.kind == "reported"]
    assert labels == ["First anniversary\n一周年\n2022-05-17", "Figures reported\n公布數據\n2023-09-01"]


def test_missing_programme_facts_are_named():
    with pytest.raises(ChartInputError, match="approval_date.*role start.*phases"):
        plan_from_metrics(SEED[1:], STRINGS, FACTS)


def test_seed_chart_draws_phases_milestones_period_and_focus_areas():
    fig = build(SEED, "2026-11")
    texts = gid_texts(fig)
    assert [texts[f"phase-{y}-label"] for y in (1, 2, 3)] == [
        f"{p.name['en']}\n{p.name['zh']}" for p in FACTS.phases]
    assert texts["milestone-approved-2021-04-01"].endswith("2021-04")
    assert "First anniversary" in texts["milestone-reported-2022-05-17"]
    assert texts["milestone-period-2026-11-01"] == "Reporting period\n報告期\n2026-11"
    for index, (en, zh) in enumerate(zip(FOCUS["en"], FOCUS["zh"]), start=1):
        assert texts[f"focus-2-{index}-en"] == en and texts[f"focus-2-{index}-zh"] == zh
    assert len(FOCUS["en"]) == 4
    assert texts["focus-2-title"].startswith("Year 2: good momentum (2022-04 to 2023-04): focus areas")
    ax = fig.axes[0]
    gids = {a.get_gid() for a in ax.get_children()}
    assert {"phase-1", "phase-2", "phase-3", "focus-2-panel", "focus-2-connector", "period", "after-window"} <= gids
    assert not {"focus-1-panel", "focus-3-panel"} & gids, "only a phase with focus areas gets a panel"
    (period_line,) = [line for line in ax.get_lines() if line.get_gid() == "period"]
    (approved_text,) = [t for t in ax.texts if t.get_gid() == "milestone-approved-2021-04-01"]
    assert period_line.get_xdata()[0] > approved_text.get_position()[0], "time runs left to right"


def test_focus_areas_quote_the_seed_source():
    """The Chinese focus areas are the source's own headings (lines 35-38), pinyin ruby removed."""
    source = (ROOT / "data/sources/chongqing-pilot-first-anniversary.txt").read_text(encoding="utf-8")
    lines = source.splitlines()[34:38]
    plain = [re.sub(r"\([a-zü\u00e0-\u01dc]+\)", "", line).replace(",", "，") for line in lines]
    for ordinal, zh, line in zip("一二三四", FOCUS["zh"], plain):
        # The source writes 示范 (a conversion slip); the catalog uses the Traditional 示範.
        assert line.startswith(f"{ordinal}是{zh.replace('示範', '示范')}。"), (zh, line[:40])


@pytest.mark.parametrize("rows, period", [(SEED, "2026-11"), (SEED, "2022-11"), (SEED, "2021-02"),
                                          (SEED, "2024-04"), (THREE, "2024-04"), (THREE, "2026-11"),
                                          (THREE, "2023-01")],
                         ids=["seed-late", "seed-inside", "seed-before", "seed-end", "three-end", "three-late",
                              "three-on-a-report"])
def test_no_text_collides_leaves_the_figure_or_is_crossed_by_a_stem(rows, period):
    fig = build(rows, period)
    assert chart_style.text_overlaps(fig) == []
    assert chart_style.texts_outside(fig) == []
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid().startswith("milestone-")]
    stems = [line for line in ax.get_lines() if line.get_gid() in ("period",) or line.get_gid().startswith("stem-")]
    for label in labels:
        box = chart_style.extent(label, renderer)
        anchor = ax.transData.transform(label.get_position())[0]
        for stem in stems:
            stem_x = ax.transData.transform((stem.get_xdata()[0], 0))[0]
            if abs(stem_x - anchor) < SHARED_STEM * fig.dpi + 6:
                continue  # the label's own stem (or one drawn as the same line)
            assert not chart_style.collides(box, stem, renderer), (label.get_text(), stem.get_gid())


def test_levels_put_a_label_above_the_stems_it_reaches_over():
    levels, sides = assign_levels([1.0, 1.5, 4.0], [1.0, 1.0, 1.0], 6.0)
    assert levels == [1, 0, 0] and sides == ["left"] * 3
    levels, sides = assign_levels([1.0, 5.9], [1.0, 1.0], 6.0)
    assert sides == ["left", "right"]
    # Two stems at nearly the same place share a line: stacked, never crossing.
    levels, _ = assign_levels([3.0, 3.0 + SHARED_STEM / 2], [1.0, 1.0], 6.0)
    assert sorted(levels) == [0, 1]


def test_the_period_only_changes_the_period_marker():
    a, b = gid_texts(build(SEED, "2026-11")), gid_texts(build(SEED, "2026-12"))
    assert {k for k in a if a[k] != b.get(k)} == {"milestone-period-2026-11-01"}


def test_chart_bytes_are_deterministic_and_warning_free(caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.DEBUG, logger="matplotlib.font_manager"):
        warnings.simplefilter("error")
        first = [chart_style.render(build(THREE, "2026-11"), f) for f in ("svg", "png")]
        second = [chart_style.render(build(THREE, "2026-11"), f) for f in ("svg", "png")]
        assert chart_style.missing_glyphs(build(THREE, "2026-11")) == {}
    assert first == second
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    svg = first[0].decode()
    assert "Noto Sans CJK TC" in svg and "兩年見成效" in svg and "<dc:date>" not in svg
    for gid in ("phase-2", "focus-2-panel", "period", "milestone-reported-2023-01-10"):
        assert f'id="{gid}"' in svg, gid
