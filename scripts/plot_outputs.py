"""Headline outputs of the programme as labelled bars, with their qualifiers ("40+" for more
than 40).

A function of a small table (``metrics.csv`` rows) and the metric catalog: the metrics with
``role: output``, in catalog order, each with its newest figure and its catalog label in both
languages. It does not show the reporting period, so it is built once per briefing
(``results/{briefing}/plots/outputs.svg``), not per period.
"""


from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import catalog as catalog_module
import chart_style
import chinese_script
import pipeline_io
from chart_style import ChartInputError  # noqa: F401 (re-exported)


@dataclass(frozen=True)
class Output:
    metric: str
    label_en: str
    label_zh: str
    value: Decimal
    qualifier: str
    shown: str  # compact value with qualifier: "40+"
    date: str  # "" when undated


def outputs_from_metrics(rows: list[dict[str, str]], catalog: catalog_module.Catalog, strings: dict[str, Any],
                         script: str = "hant") -> list[Output]:
    """The newest figure of each output metric (``role: output``) that has one, in catalog order."""
    out = []
    for metric in catalog.outputs():
        found = chart_style.rows_of(rows, metric.id)
        if not found:
            continue
        row = found[-1]
        out.append(Output(metric=metric.id, label_en=metric.label["en"],
                          label_zh=chinese_script.convert(metric.label["zh"], script),
                          value=chart_style.number(row), qualifier=row.get("qualifier") or "eq",
                          shown=chart_style.short_value(strings, row), date=row.get("date") or ""))
    return out


def draw_outputs(outputs: list[Output], strings: dict[str, Any], script: str = "hant"):
    """The figure. Pure: same inputs, same drawing.

    One row per output: its label in both languages on a line, the bar below it, the figure (with
    its qualifier, and its date when the figures are not all of one date) at the bar's end, or
    inside the bar when there is no room after it.
    """
    chart_style.setup(script)
    colours = chart_style.PALETTE
    count = max(len(outputs), 1)
    fig, ax = chart_style.figure(0.75 + 0.44 * count)
    dates = sorted({o.date for o in outputs if o.date})
    subtitle = (chart_style.bilingual(strings, "outputs_chart", "as_of", sep="  ·  ", date=dates[0]) if len(dates) == 1
                else chart_style.bilingual(strings, "outputs_chart", "as_of_each", sep="  ·  ") if dates else "")
    fig.suptitle(chart_style.bilingual(strings, "outputs_chart", "title"), x=0.005, ha="left", fontsize=9.5,
                 linespacing=1.3)
    ax.set_title(subtitle, loc="left", fontsize=7.5, color=colours["grey"], pad=4)
    ax.set_axis_off()

    if not outputs:
        ax.text(0.5, 0.5, chart_style.bilingual(strings, "outputs_chart", "none"), transform=ax.transAxes,
                ha="center", va="center", color=colours["grey"], gid="no-outputs")
        return fig

    top = max(float(o.value) for o in outputs) or 1.0
    ax.set_xlim(0, top * 1.0)
    ax.set_ylim(-(len(outputs) - 1) - 0.35, 0.9)
    values = []
    for index, output in enumerate(outputs):
        y = -index
        value = float(output.value)
        ax.barh([y], [value], height=0.42, color=colours["blue"], gid=f"bar-{output.metric}")
        ax.text(0, y + 0.3, f"{output.label_en}    {output.label_zh}", fontsize=7.5, va="bottom",
                color="#303030", gid=f"label-{output.metric}")
        shown = output.shown if len(dates) < 2 else f"{output.shown}  ({output.date})"
        values.append(ax.annotate(shown, (value, y), textcoords="offset points", xytext=(4, 0), va="center",
                                  ha="left", fontsize=8.5, fontweight="bold", color="#1f1f1f",
                                  gid=f"value-{output.metric}"))

    qualifiers = [q for q in chart_style.QUALIFIERS if q != "eq" and any(o.qualifier == q for o in outputs)]
    if qualifiers:
        notes = []
        for qualifier in qualifiers:
            example = next(o for o in outputs if o.qualifier == qualifier)
            notes.append(chart_style.bilingual(strings, "outputs_chart", "qualifier_notes", qualifier, sep="    ",
                                               shown=example.shown, value=chart_style.plain(example.value)))
        fig.supxlabel("\n".join(notes), x=0.005, ha="left", fontsize=7, color=colours["grey"], linespacing=1.3)
        fig._supxlabel.set_gid("qualifier-notes")

    # A figure that would run past the right edge goes inside its bar, in white.
    for label in values:
        label.set_in_layout(False)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    right = ax.get_window_extent(renderer).x1
    for label in values:
        if label.get_window_extent(renderer).x1 > right:
            label.update({"position": (-4, 0), "ha": "right", "color": "white"})
    return fig


def main(smk) -> None:
    def body(log):
        strings = pipeline_io.load_strings(smk.input.strings, smk.params.zh_script)
        catalog = catalog_module.load(smk.input.catalog)
        outputs = outputs_from_metrics(chart_style.read_metrics_file(smk.input.metrics), catalog, strings,
                                       smk.params.zh_script)
        fig = draw_outputs(outputs, strings, smk.params.zh_script)
        chart_style.save(fig, smk.output.svg, smk.output.png)
        log.info("outputs chart: %s", ", ".join(f"{o.metric}={o.shown}" for o in outputs) or "no figures")

    pipeline_io.run_main("plot_outputs", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
