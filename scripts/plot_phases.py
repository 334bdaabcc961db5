"""The plan as a timeline: its phases, the milestones, where the reporting period falls, and the
focus areas of each phase that has them.

A function of a small table (``metrics.csv`` rows) and :class:`chart_style.Facts`: the window
comes from the metrics playing the catalog's roles ``start`` and ``duration``, the phases (any
number, any length) and their focus areas from the programme file; every date a source reported
figures for is a milestone (named after the anniversary it falls on, with the progress figure if
that source gives one). Every word comes from the bilingual string catalogs (``phases_chart``),
the catalog's labels and the programme file.

The drawing works in inches: the axes cover the whole figure with limits equal to its size, so
positions, gaps and label widths are all measured in the same unit.
"""


import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import chart_style
from chart_style import ChartInputError, add_months, months_between, parse_day  # noqa: F401 (re-exported)

#: A report within this many days of an anniversary of the approval is named after it.
ANNIVERSARY_TOLERANCE_DAYS = 62

# Vertical layout, in inches from the bottom of the figure.
PANEL_BOTTOM = 0.06
PANEL_GAP = 0.12
ROW_HEIGHT = 0.2
HEADING_HEIGHT = 0.3
CONNECTOR_HEIGHT = 0.3
BAND_HEIGHT = 0.64
LEVEL_HEIGHT = 0.5
STEM_GAP = 0.12
TITLE_HEIGHT = 0.46
SIDE_MARGIN = 0.12
LABEL_GAP = 0.14  # horizontal space between labels on one level, inches
SHARED_STEM = 0.06  # stems closer than this (inches) are drawn as one


@dataclass(frozen=True)
class Report:
    day: dt.date
    done: str | None  # tasks carried out on that date, compact ("69", "40+"), if given


@dataclass(frozen=True)
class Plan:
    window: chart_style.Window
    total: Decimal | None
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class Milestone:
    day: dt.date
    kind: str  # approved | reported | window-end | period
    label: str  # English line(s), Chinese line(s), date


def plan_from_metrics(rows: list[dict[str, str]], strings: dict[str, Any], facts: chart_style.Facts) -> Plan:
    """The window, the target and one report per date that any figure is dated."""
    window = chart_style.programme_window(rows, facts, "phases")
    totals = chart_style.rows_of(rows, facts.target)
    done = {day: chart_style.short_value(strings, row) for day, row in chart_style.dated_points(rows, facts.progress)}
    days = sorted({parse_day(r["date"]) for r in rows if r.get("date")})
    return Plan(window=window, total=chart_style.number(totals[-1]) if totals else None,
                reports=tuple(Report(day, done.get(day)) for day in days))


def anniversary(window: chart_style.Window, day: dt.date) -> int | None:
    """Which anniversary of the approval ``day`` falls on (within the tolerance), if any.

    >>> w = chart_style.Window(dt.date(2021, 4, 1), dt.date(2024, 4, 1), 3, "2021-04", "2024-04")
    >>> anniversary(w, dt.date(2022, 5, 17)), anniversary(w, dt.date(2023, 1, 10))
    (1, None)
    """
    years = round(months_between(window.start, day) / 12)
    if years >= 1 and abs((day - chart_style.add_years(window.start, years)).days) <= ANNIVERSARY_TOLERANCE_DAYS:
        return years
    return None


def report_label(plan: Plan, report: Report, strings: dict[str, Any], facts: chart_style.Facts) -> str:
    lines = []
    for lang in chart_style.LANGS:
        names = strings[lang]["phases_chart"]["anniversaries"]
        nth = anniversary(plan.window, report.day)
        event = names[nth - 1] if nth and nth <= len(names) else strings[lang]["phases_chart"]["reported"]
        if report.done is not None and plan.total is not None:
            event = chart_style.text(strings, lang, "phases_chart", "progress", event=event, done=report.done,
                                     total=chart_style.plain(plan.total), progress=facts.label(facts.progress, lang))
        lines.append(event)
    return "\n".join(lines + [report.day.isoformat()])


#: Up to this many dated reports each become a milestone; past it, only the first, the newest and
#: those on an anniversary (a timeline of 36 monthly labels is unreadable).
MAX_REPORT_MILESTONES = 4


def milestone_reports(plan: Plan) -> list[Report]:
    reports = list(plan.reports)
    if len(reports) <= MAX_REPORT_MILESTONES:
        return reports
    keep = {0, len(reports) - 1}
    closest: dict[int, tuple[int, int]] = {}  # anniversary -> (distance in days, index)
    for i, report in enumerate(reports):
        nth = anniversary(plan.window, report.day)
        if nth and nth <= plan.window.years:
            distance = abs((report.day - chart_style.add_years(plan.window.start, nth)).days)
            closest[nth] = min(closest.get(nth, (distance, i)), (distance, i))
    keep |= {i for _, i in closest.values()}
    return [r for i, r in enumerate(reports) if i in keep]


def milestones(plan: Plan, period: str, strings: dict[str, Any], facts: chart_style.Facts) -> list[Milestone]:
    """The start (labelled as the catalog labels it), each report, the end of the window and the
    reporting period, in date order."""
    window = plan.window
    start = "\n".join(facts.label(facts.start, lang) for lang in chart_style.LANGS)
    items = [Milestone(window.start, "approved", start + "\n" + window.start_text)]
    items += [Milestone(r.day, "reported", report_label(plan, r, strings, facts)) for r in milestone_reports(plan)]
    items.append(Milestone(window.end, "window-end", chart_style.bilingual(strings, "phases_chart", "window_end",
                                                                          years=window.years) + "\n" + window.end_text))
    items.append(Milestone(parse_day(period), "period",
                           chart_style.bilingual(strings, "phases_chart", "period") + "\n" + period))
    order = {"approved": 0, "reported": 1, "window-end": 2, "period": 3}
    return sorted(items, key=lambda m: (m.day, order[m.kind]))


def assign_levels(stems: list[float], widths: list[float], width: float) -> tuple[list[int], list[str]]:
    """Stack milestone labels (stem positions and label widths, inches) on few levels.

    A label sits right of its stem (``"left"`` alignment) or, when it would leave the figure,
    left of it (``"right"``). A label that reaches over another milestone's stem must sit above
    that milestone's label (stems closer than :data:`SHARED_STEM` count as one), and labels on one
    level may not overlap. Labels are levelled in dependency order, each on the lowest level
    allowed. Returns each label's level (0 = nearest the band) and alignment, in the order given.

    >>> assign_levels([1.0, 1.5, 4.0], [1.0, 1.0, 1.0], 6.0)
    ([1, 0, 0], ['left', 'left', 'left'])
    >>> assign_levels([1.0, 5.8], [1.0, 1.0], 6.0)
    ([0, 0], ['left', 'right'])
    """
    count = len(stems)
    low, high = SIDE_MARGIN / 2, width - SIDE_MARGIN / 2

    def interval(i: int, side: str) -> tuple[float, float]:
        return ((stems[i] + 0.04, stems[i] + 0.04 + widths[i]) if side == "left"
                else (stems[i] - 0.04 - widths[i], stems[i] - 0.04))

    sides = [next((side for side in ("left", "right") if low <= interval(i, side)[0] and interval(i, side)[1] <= high),
                  "left") for i in range(count)]
    spans = [interval(i, sides[i]) for i in range(count)]
    below = [{j for j in range(count) if j != i and abs(stems[i] - stems[j]) >= SHARED_STEM
              and spans[i][0] - LABEL_GAP / 2 <= stems[j] <= spans[i][1] + LABEL_GAP / 2} for i in range(count)]
    order, remaining = [], set(range(count))
    while remaining:
        ready = [i for i in remaining if not below[i] & remaining] or list(remaining)  # a cycle: accept a crossing
        pick = min(ready, key=lambda i: (stems[i], i))
        order.append(pick)
        remaining.discard(pick)
    levels: dict[int, int] = {}
    for i in order:
        level = 1 + max((levels[j] for j in below[i] if j in levels), default=-1)
        while any(levels[j] == level and spans[i][0] < spans[j][1] + LABEL_GAP and spans[j][0] - LABEL_GAP < spans[i][1]
                  for j in levels):
            level += 1
        levels[i] = level
    return [levels[i] for i in range(count)], sides


def focus_panels(facts: chart_style.Facts) -> list[tuple[int, Any]]:
    """``(phase number, phase)`` of every phase with focus areas, in order."""
    return [(number, phase) for number, phase in enumerate(facts.phases, start=1) if phase.focus_areas]


#: Extra height of a panel heading that needs two lines (English, then Chinese).
HEADING_SECOND_LINE = 0.16


def panel_height(phase, heading_lines: int = 1) -> float:
    return HEADING_HEIGHT + HEADING_SECOND_LINE * (heading_lines - 1) + ROW_HEIGHT * len(phase.focus_areas["en"]) + 0.08


def draw_phases(plan: Plan, period: str, strings: dict[str, Any], facts: chart_style.Facts, script: str = "hant"):
    """The figure. Pure: same inputs, same drawing."""
    from matplotlib import patches
    from matplotlib import pyplot as plt

    chart_style.setup(script)
    colours = chart_style.PALETTE
    width = chart_style.A4_TEXT_WIDTH_IN
    window = plan.window
    period_day = parse_day(period)
    first = add_months(min(window.start, period_day), -1)
    last = add_months(max(window.end, period_day), 1)
    span = (last - first).days

    def x(day: dt.date) -> float:
        return SIDE_MARGIN + (day - first).days / span * (width - 2 * SIDE_MARGIN)

    fig = plt.figure(figsize=(width, 4.0))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    renderer = fig.canvas.get_renderer()

    # Milestone labels first: their widths decide how many levels the chart needs.
    items = milestones(plan, period, strings, facts)
    labels = []
    for item in items:
        colour = {"period": "#8a5a00", "reported": colours["blue"]}.get(item.kind, "#303030")
        labels.append(ax.text(x(item.day), 0, item.label, fontsize=7, linespacing=1.25, va="bottom",
                              color=colour, gid=f"milestone-{item.kind}-{item.day.isoformat()}"))
    widths = [label.get_window_extent(renderer).width / fig.dpi for label in labels]
    levels, sides = assign_levels([x(item.day) for item in items], widths, width)
    n_levels = max(levels) + 1

    # Each focus panel's heading, on one line if it fits, else English and Chinese on two.
    panels = focus_panels(facts)
    left, right = SIDE_MARGIN, width - SIDE_MARGIN
    headings = []
    for number, phase in panels:
        parts = [chart_style.text(strings, lang, "phases_chart", "focus_title", phase=phase.title(lang),
                                  start=window.phase_text(number), end=window.phase_text(number + 1))
                 for lang in chart_style.LANGS]
        heading = ax.text(left + 0.1, 0, "", fontsize=7.5, fontweight="bold", va="top", color="#303030", zorder=2,
                          gid=f"focus-{number}-title")
        chart_style.fit_text(fig, heading, (right - left - 0.2) * fig.dpi, ["    ".join(parts), "\n".join(parts)])
        headings.append(heading)
    lines = [h.get_text().count("\n") + 1 for h in headings]
    panel_top = (PANEL_BOTTOM + sum(panel_height(phase, n) for (_, phase), n in zip(panels, lines))
                 + PANEL_GAP * max(len(panels) - 1, 0))
    band_bottom = panel_top + CONNECTOR_HEIGHT if panels else PANEL_BOTTOM + 0.1
    band_top = band_bottom + BAND_HEIGHT
    height = band_top + STEM_GAP + n_levels * LEVEL_HEIGHT + TITLE_HEIGHT
    fig.set_size_inches(width, height)
    ax.set_ylim(0, height)

    # The phases as a band, one block each; a phase with focus areas stands out.
    for number, (phase, (begin, finish)) in enumerate(zip(facts.phases, window.bounds), start=1):
        ax.add_patch(patches.Rectangle((x(begin), band_bottom), x(finish) - x(begin), BAND_HEIGHT,
                                       facecolor=colours["sky"], alpha=0.38 if phase.focus_areas else 0.16,
                                       edgecolor="white", linewidth=1.5, gid=f"phase-{number}"))
        label = ax.text(x(begin) + 0.06, band_top - 0.06, "", fontsize=7, va="top", linespacing=1.25,
                        color="#303030", gid=f"phase-{number}-label")
        chart_style.fit_text(fig, label, (x(finish) - x(begin) - 0.1) * fig.dpi,
                             chart_style.phase_wordings(phase, number))
    # The timeline continues thin and dashed to a period outside the window.
    if period_day > window.end:
        ax.plot([x(window.end), x(period_day)], [band_bottom + BAND_HEIGHT / 2] * 2, color=colours["grey"],
                linewidth=1, linestyle=(0, (3, 2)), gid="after-window")
    elif period_day < window.start:
        ax.plot([x(period_day), x(window.start)], [band_bottom + BAND_HEIGHT / 2] * 2, color=colours["grey"],
                linewidth=1, linestyle=(0, (3, 2)), gid="before-window")

    # Milestones: a stem from the band to the label; the period's stem crosses the band.
    for item, label, level, side in zip(items, labels, levels, sides):
        stem_x = x(item.day)
        label_y = band_top + STEM_GAP + level * LEVEL_HEIGHT
        if item.kind == "period":
            ax.plot([stem_x, stem_x], [band_bottom - 0.06, label_y + 0.34], color=colours["orange"], linewidth=1.8,
                    solid_capstyle="butt", gid="period")
        else:
            colour = colours["blue"] if item.kind == "reported" else "#303030"
            ax.plot([stem_x, stem_x], [band_top, label_y + 0.34], color=colour, linewidth=0.7,
                    gid=f"stem-{item.kind}")
            ax.plot([stem_x], [band_top], marker="o" if item.kind == "reported" else "D", markersize=4.5,
                    color=colour, markeredgecolor="white", markeredgewidth=0.6, gid=f"marker-{item.kind}")
        label.set_position((stem_x + (0.04 if side == "left" else -0.04), label_y))
        label.set_horizontalalignment(side)

    # Each focus phase's areas, in a panel joined to its block (panels stacked in phase order; a
    # connector runs behind the panels above its own).
    top = panel_top
    for (number, phase), heading, heading_lines in zip(panels, headings, lines):
        focus_begin, focus_end = window.phase(number)
        bottom = top - panel_height(phase, heading_lines)
        ax.add_patch(patches.Polygon([(x(focus_begin), band_bottom), (x(focus_end), band_bottom), (right, top),
                                      (left, top)], closed=True, facecolor=colours["sky"], alpha=0.14,
                                     edgecolor="none", zorder=0.5, gid=f"focus-{number}-connector"))
        ax.add_patch(patches.Rectangle((left, bottom), right - left, top - bottom, facecolor="#eef6fb",
                                       edgecolor=colours["sky"], linewidth=0.8, zorder=1, gid=f"focus-{number}-panel"))
        heading.set_position((left + 0.1, top - 0.07))
        rows_top = top - HEADING_HEIGHT - HEADING_SECOND_LINE * (heading_lines - 1) - 0.02
        for index, (en, zh) in enumerate(zip(phase.focus_areas["en"], phase.focus_areas["zh"]), start=1):
            y = rows_top - (index - 1) * ROW_HEIGHT
            ax.text(left + 0.1, y, str(index), fontsize=7.5, va="top", color=colours["blue"], fontweight="bold",
                    zorder=2, gid=f"focus-{number}-{index}-number")
            ax.text(left + 0.28, y, en, fontsize=7.2, va="top", color="#303030", zorder=2,
                    gid=f"focus-{number}-{index}-en")
            ax.text(right - 0.1, y, zh, fontsize=7.2, va="top", ha="right", color="#303030", zorder=2,
                    gid=f"focus-{number}-{index}-zh")
        top = bottom - PANEL_GAP

    ax.text(SIDE_MARGIN, height - 0.06, chart_style.bilingual(strings, "phases_chart", "title", years=window.years,
                                                              phases=len(facts.phases)), fontsize=9.5,
            va="top", linespacing=1.3, gid="title")
    return fig
