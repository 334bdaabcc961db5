"""The progress chart from small tables: what is drawn, not pixels; deterministic bytes."""

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import chart_style
from pipeline_io import load_strings
from plot_progress import ChartInputError, draw_progress, progress_from_metrics

ROOT = Path(__file__).resolve().parents[1]
STRINGS = load_strings([ROOT / "templates/i18n/en.yaml", ROOT / "templates/i18n/zh.yaml"])


def metric(name, value, date="2022-05-17"):
    return {"metric": name, "date": date, "value": value}


SEED = [metric("approval_date", "2021-04"), metric("duration_years", "3"), metric("tasks_total", "86"),
        metric("tasks_done", "69")]
THREE = SEED + [metric("tasks_done", "75", "2023-01-10"), metric("tasks_done", "86", "2024-03-30")]


def texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_window_comes_from_approval_and_duration():
    progress = progress_from_metrics(SEED)
    assert (progress.start, progress.end) == (dt.date(2021, 4, 1), dt.date(2024, 4, 1))
    assert progress.total == Decimal(86)
    assert progress.points == ((dt.date(2022, 5, 17), Decimal(69)),)


def test_missing_programme_facts_are_named():
    with pytest.raises(ChartInputError, match="duration_years"):
        progress_from_metrics([metric("approval_date", "2021-04"), metric("tasks_total", "86")])


def test_seed_chart_draws_points_phases_period_and_stale_note():
    fig = draw_progress(progress_from_metrics(SEED), "2026-11", STRINGS)
    ax = fig.axes[0]
    done = next(line for line in ax.get_lines() if line.get_gid() == "tasks-done")
    assert list(done.get_ydata()) == [69.0]
    drawn = "\n".join(texts(fig))
    for phase in STRINGS["en"]["phases"] + STRINGS["zh"]["phases"]:
        assert phase in drawn
    assert "2026-11" in drawn and "報告期" in drawn
    assert "54" in drawn, "stale note gives the age of the newest figure in months"
    assert ax.get_title(loc="left").startswith("Tasks carried out of the 86")


def test_three_sources_draw_three_points_and_no_stale_note():
    fig = draw_progress(progress_from_metrics(THREE), "2024-04", STRINGS)
    ax = fig.axes[0]
    done = next(line for line in ax.get_lines() if line.get_gid() == "tasks-done")
    assert list(done.get_ydata()) == [69.0, 75.0, 86.0]
    assert not [t for t in fig.findobj() if getattr(t, "get_gid", lambda: None)() == "stale"]


def test_chart_bytes_are_deterministic_and_warning_free():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = [chart_style.render(draw_progress(progress_from_metrics(SEED), "2026-11", STRINGS), f)
                 for f in ("svg", "png")]
        second = [chart_style.render(draw_progress(progress_from_metrics(SEED), "2026-11", STRINGS), f)
                  for f in ("svg", "png")]
    assert first == second
    svg = first[0].decode()
    assert "Noto Sans CJK TC" in svg, "CJK text must name the TC face"
    assert "一年起步" in svg, "chart text stays text (svg.fonttype none)"
    assert "<dc:date>" not in svg
