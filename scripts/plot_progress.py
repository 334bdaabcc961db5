"""Progress against the plan's target across the plan's window.

The chart is a function of a small table (``metrics.csv`` rows) and :class:`chart_style.Facts`:
the window comes from the metrics playing the catalog's roles ``start`` and ``duration``, the
target from ``target``, one point per dated figure of ``progress``. The programme's phases (any
number, any length), the even pace needed to finish on time and the reporting period are drawn;
a note says so when the newest figure is old for the period. Labels come from the bilingual
string catalogs and the catalog's metric labels.
"""


import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from matplotlib import dates as mdates

import chart_style
from chart_style import ChartInputError, add_months, months_between, parse_day  # noqa: F401 (re-exported)

#: How old (in months before the period) the newest figure may be before the chart says so.
STALE_AFTER_MONTHS = 2
#: Where a point's label may go, in order of preference (offset in points from the point).
POINT_OFFSETS = [{"position": xy, "ha": ha, "va": va} for xy, ha, va in [
    ((6, -6), "left", "top"), ((-6, 6), "right", "bottom"), ((6, 6), "left", "bottom"), ((-6, -6), "right", "top"),
    ((-4, -16), "right", "top"), ((4, -16), "left", "top"), ((4, 16), "left", "bottom"), ((-4, 16), "right", "bottom"),
]]
#: Heights (share of the target) tried for the staleness note, beside the period line.
STALE_HEIGHTS = (0.55, 0.4, 0.7, 0.25, 0.15)


@dataclass(frozen=True)
class Progress:
    window: chart_style.Window
    total: Decimal
    points: tuple[tuple[dt.date, Decimal, str], ...]  # date, value, compact label ("69", "40+")

    @property
    def start(self) -> dt.date:
        return self.window.start

    @property
    def end(self) -> dt.date:
        return self.window.end


def progress_from_metrics(rows: list[dict[str, str]], strings: dict[str, Any], facts: chart_style.Facts) -> Progress:
    """The programme window, the target and the dated points, from metrics rows."""
    window = chart_style.programme_window(rows, facts, "progress")
    total = chart_style.number(chart_style.latest(rows, facts.target, "progress", "target"))
    points = tuple((day, chart_style.number(row), chart_style.short_value(strings, row))
                   for day, row in chart_style.dated_points(rows, facts.progress))
    return Progress(window=window, total=total, points=points)


def tick_step(total: float) -> int:
    """A round step for the value axis: four to six ticks up to the target.

    >>> tick_step(86), tick_step(150), tick_step(12), tick_step(640)
    (20, 25, 2, 200)
    """
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if total / step <= 6:
            return step
    return max(1, int(10 ** len(str(int(total)))) // 10)


def stale_months(progress: Progress, period: str) -> int | None:
    """Months from the newest figure to the period when more than :data:`STALE_AFTER_MONTHS`, else None."""
    if not progress.points:
        return None
    months = months_between(progress.points[-1][0], parse_day(period))
    return months if months > STALE_AFTER_MONTHS else None


def x_limits(progress: Progress, period_day: dt.date) -> tuple[dt.date, dt.date]:
    return (add_months(min(progress.start, period_day), -1) - dt.timedelta(days=10),
            add_months(max(progress.end, period_day), 2))


#: Up to this many dated points each get a value label; past it, only the first and the newest
#: (a chart of 36 monthly labels is unreadable, and placing them is slow).
LABEL_ALL_POINTS = 6


def labelled(index: int, count: int) -> bool:
    """Whether point ``index`` of ``count`` carries a value label.

    >>> [labelled(i, 3) for i in range(3)], [labelled(i, 10) for i in (0, 5, 9)]
    ([True, True, True], [True, False, True])
    """
    return count <= LABEL_ALL_POINTS or index in (0, count - 1)


def draw_progress(progress: Progress, period: str, strings: dict[str, Any], facts: chart_style.Facts,
                  script: str = "hant"):
    """The figure. Pure: same inputs, same drawing."""
    chart_style.setup(script)
    colours = chart_style.PALETTE
    fig, ax = chart_style.figure(3.9)
    period_day = parse_day(period)
    left, right = x_limits(progress, period_day)
    total = float(progress.total)
    top = total * 1.45

    # The programme's phases, shaded alternately and labelled in both languages.
    for number, (phase, (begin, finish)) in enumerate(zip(facts.phases, progress.window.bounds), start=1):
        ax.axvspan(begin, finish, color=colours["sky"], alpha=0.10 if number % 2 else 0.24, linewidth=0,
                   gid=f"phase-{number}")
        ax.text(begin + dt.timedelta(days=12), top * 0.985, f"{phase.name['en']}\n{phase.name['zh']}", fontsize=7,
                va="top", color="#404040", linespacing=1.3, gid=f"phase-{number}-label")
    names = {key: {lang: facts.label(getattr(facts, key), lang) for lang in chart_style.LANGS}
             for key in ("progress", "target")}

    handles = []
    handles += ax.plot([left, right], [total, total], color=colours["vermillion"], linewidth=1, linestyle="--",
                       label=chart_style.bilingual(strings, "chart", "target", total=chart_style.plain(progress.total)),
                       gid="target")
    handles += ax.plot([progress.start, progress.end], [0, total], color=colours["grey"], linewidth=1.1,
                       linestyle=":", label=chart_style.bilingual(strings, "chart", "pace"), gid="pace")
    point_labels = []
    if progress.points:
        xs = [p[0] for p in progress.points]
        ys = [float(p[1]) for p in progress.points]
        handles += ax.plot(xs, ys, color=colours["blue"], marker="o", markersize=5, linewidth=1.6,
                           label="\n".join(names["progress"][lang] for lang in chart_style.LANGS), gid="progress")
        for index, (day, _value, label) in enumerate(progress.points):
            if not labelled(index, len(progress.points)):
                continue
            point_labels.append(ax.annotate(
                f"{label}\n{day.isoformat()}", (day, ys[index]), textcoords="offset points", xytext=(6, -6),
                va="top", fontsize=7.5, color=colours["blue"], linespacing=1.2, gid=f"point-{index + 1}"))

    # The reporting period: a line, its label at the foot, and the staleness note beside it.
    on_right = (period_day - left) > (right - left) / 2
    side = [("right", -1), ("left", 1)] if on_right else [("left", 1), ("right", -1)]
    ax.axvline(period_day, color=colours["orange"], linewidth=1.6, gid="period")
    period_label = ax.annotate(chart_style.bilingual(strings, "chart", "period", period=period),
                               (period_day, total * 0.03), textcoords="offset points", xytext=(-5, 0),
                               fontsize=7.5, color="#8a5a00", va="bottom", gid="period-label",
                               bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    months = stale_months(progress, period)
    stale = None
    if months:
        newest = progress.points[-1][0].isoformat()
        stale = ax.annotate(chart_style.bilingual(strings, "chart", "stale", date=newest, months=months),
                            (period_day, total * 0.55), textcoords="offset points", xytext=(-8, 0),
                            fontsize=7.5, color=colours["vermillion"], va="center", linespacing=1.35, gid="stale",
                            bbox={"facecolor": "white", "edgecolor": colours["vermillion"], "linewidth": 0.6,
                                  "pad": 3})

    # Phase boundaries as the labelled ticks (as precise as the approval date), years as minor ticks.
    bounds = progress.window.boundaries()
    ax.set_xticks(bounds, [progress.window.day_text(day) for day in bounds])
    ax.set_xticks([dt.date(y, 1, 1) for y in range(left.year + 1, right.year + 1)], minor=True)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlim(left, right)
    ax.set_ylim(0, top)
    ax.set_yticks(list(range(0, int(total) + 1, tick_step(total))))
    ax.set_ylabel(" / ".join(facts.noun[lang][:1].upper() + facts.noun[lang][1:] for lang in chart_style.LANGS))
    fig.suptitle("\n".join(chart_style.text(strings, lang, "chart", "progress_title", progress=names["progress"][lang],
                                            total=chart_style.plain(progress.total)) for lang in chart_style.LANGS),
                 x=0.005, ha="left", fontsize=9.5, linespacing=1.3)
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=7, frameon=False,
               handlelength=2.4, columnspacing=1.6)

    # Labels go where they touch no line and no other label, measured after the layout has run
    # (which must not depend on where they are: they are kept out of it).
    movable = point_labels + [period_label] + ([stale] if stale is not None else [])
    for label in movable:
        label.set_in_layout(False)
    fig.draw_without_rendering()
    for number, (phase, (begin, finish)) in enumerate(zip(facts.phases, progress.window.bounds), start=1):
        (label,) = [t for t in ax.texts if t.get_gid() == f"phase-{number}-label"]
        room = ax.transData.transform((mdates.date2num(finish), 0))[0] - label.get_window_extent().x0 - 4
        chart_style.fit_text(fig, label, room, chart_style.phase_wordings(phase, number))
    obstacles = list(ax.get_lines()) + [t for t in ax.texts if t.get_gid().endswith("-label")
                                         and t.get_gid().startswith("phase-")]
    shown_points = [p for i, p in enumerate(progress.points) if labelled(i, len(progress.points))]
    for label, (day, _value, shown) in zip(point_labels, shown_points):
        wordings = [f"{shown}\n{day.isoformat()}", f"{shown} ({day.isoformat()})"]  # two lines, else one
        chart_style.place(fig, label, [{**offset, "text": wording} for wording in wordings for offset in POINT_OFFSETS],
                          obstacles, within=ax)
        obstacles.append(label)
    chart_style.place(fig, period_label, [{"position": (sign * 5, 0), "ha": ha} for ha, sign in side],
                      obstacles, within=ax)
    obstacles.append(period_label)
    if stale is not None:
        wordings = [stale.get_text(), chart_style.bilingual(strings, "chart", "stale_short", date=newest, months=months)]
        chart_style.place(fig, stale, [{"text": wording, "xy": (period_day, total * share), "position": (sign * 9, 0),
                                        "ha": ha} for wording in wordings for share in STALE_HEIGHTS
                                       for ha, sign in side], obstacles, within=ax)
    return fig
