"""Tasks carried out against the plan's target across the three-year pilot.

The chart is a function of a small table (``metrics.csv`` rows): the programme window comes from
``approval_date`` and ``duration_years``, the target from ``tasks_total``, one point per dated
``tasks_done`` figure. Labels come from the bilingual string catalogs.
"""


import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pipeline_io

#: How old (in months before the period) the newest figure may be before the chart says so.
STALE_AFTER_MONTHS = 2


class ChartInputError(pipeline_io.BuildStop):
    pass


@dataclass(frozen=True)
class Progress:
    start: dt.date
    end: dt.date
    total: Decimal
    points: tuple[tuple[dt.date, Decimal], ...]


def read_metrics(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def parse_month(value: str) -> dt.date:
    """``"2021-04"`` or ``"2021-04-30"`` -> the date (first of the month when no day).

    >>> parse_month("2021-04")
    datetime.date(2021, 4, 1)
    """
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February).

    >>> add_years(dt.date(2021, 4, 1), 3)
    datetime.date(2024, 4, 1)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later``.

    >>> months_between(dt.date(2022, 5, 17), dt.date(2026, 11, 1))
    54
    """
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def progress_from_metrics(rows: list[dict[str, str]]) -> Progress:
    """The programme window, the target and the dated points, from metrics rows."""

    def latest(metric: str) -> str:
        found = sorted((r for r in rows if r["metric"] == metric), key=lambda r: r["date"])
        if not found:
            raise ChartInputError(f"metrics.csv has no {metric!r}: the progress chart needs it")
        return found[-1]["value"]

    start = parse_month(latest("approval_date"))
    end = add_years(start, int(Decimal(latest("duration_years"))))
    points = tuple(sorted(
        (parse_month(r["date"]), Decimal(r["value"]))
        for r in rows if r["metric"] == "tasks_done" and r["date"]
    ))
    return Progress(start=start, end=end, total=Decimal(latest("tasks_total")), points=points)


def bilingual(strings: dict[str, Any], *path: str, sep: str = "\n", **fmt: Any) -> str:
    """The English and Chinese strings at ``path``, formatted, joined by ``sep``."""
    out = []
    for lang in ("en", "zh"):
        node: Any = strings[lang]
        for key in path:
            node = node[key]
        out.append(str(node).format(**fmt))
    return sep.join(out)


def draw_progress(progress: Progress, period: str, strings: dict[str, Any]):
    """The figure. Pure: same inputs, same drawing."""
    import chart_style

    chart_style.setup("hant")
    colours = chart_style.PALETTE
    fig, ax = chart_style.figure(3.6)
    period_day = parse_month(period)
    right = max(progress.end, period_day)
    right = right.replace(year=right.year + (1 if right.month == 12 else 0), month=right.month % 12 + 1)

    # The three phases, one year each, shaded alternately and labelled in both languages.
    for year, label in enumerate(zip(strings["en"]["phases"], strings["zh"]["phases"])):
        left = add_years(progress.start, year)
        ax.axvspan(left, add_years(progress.start, year + 1), color=colours["sky"],
                   alpha=0.10 if year % 2 == 0 else 0.22, linewidth=0, gid=f"phase-{year + 1}")
        ax.text(add_years(progress.start, year) + dt.timedelta(days=12), float(progress.total) * 1.33,
                f"{label[0]}\n{label[1]}", fontsize=6.5, va="top", color=colours["grey"], linespacing=1.25)

    total = float(progress.total)
    ax.axhline(total, color=colours["vermillion"], linewidth=1, linestyle="--",
               label=bilingual(strings, "chart", "target", sep=" / ", total=int(progress.total)))
    ax.plot([progress.start, progress.end], [0, total], color=colours["grey"], linewidth=1, linestyle=":",
            label=bilingual(strings, "chart", "pace", sep=" / "))
    if progress.points:
        xs, ys = zip(*progress.points)
        ax.plot(xs, [float(y) for y in ys], color=colours["blue"], marker="o", linewidth=1.6,
                label=bilingual(strings, "chart", "tasks_done", sep=" / "), gid="tasks-done")
        for x, y in progress.points:
            ax.annotate(f"{y} ({x.isoformat()})", (x, float(y)), textcoords="offset points", xytext=(6, -12),
                        fontsize=7.5, color=colours["blue"])

    ax.axvline(period_day, color=colours["orange"], linewidth=1.4, gid="period")
    ax.text(period_day, total * 1.33, bilingual(strings, "chart", "period", period=period) + " ",
            fontsize=7, color=colours["orange"], va="top", ha="right" if period_day > progress.end else "left")

    if progress.points:
        newest = progress.points[-1][0]
        months = months_between(newest, period_day)
        if months > STALE_AFTER_MONTHS:
            ax.text(0.97, 0.50, bilingual(strings, "chart", "stale", date=newest.isoformat(), months=months),
                    transform=ax.transAxes, fontsize=7.5, ha="right", color=colours["vermillion"],
                    bbox={"facecolor": "white", "edgecolor": colours["vermillion"], "linewidth": 0.6}, gid="stale")

    ax.set_xlim(progress.start.replace(day=1) - dt.timedelta(days=20), right)
    ax.set_ylim(0, total * 1.36)
    ax.set_ylabel(bilingual(strings, "chart", "tasks_axis", sep=" / "))
    ax.set_title(bilingual(strings, "chart", "progress_title", total=int(progress.total)), loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(0.97, 0.02), fontsize=7, frameon=False)
    return fig


def main(smk) -> None:
    def body(log):
        import chart_style

        with open(smk.input.metrics, encoding="utf-8") as handle:
            progress = progress_from_metrics(read_metrics(handle.read()))
        strings = pipeline_io.load_strings(smk.input.strings)
        fig = draw_progress(progress, smk.wildcards.period, strings)
        chart_style.save(fig, smk.output.svg, smk.output.png)
        log.info("progress chart: %d point(s), window %s to %s", len(progress.points), progress.start, progress.end)

    pipeline_io.run_main("plot_progress", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
