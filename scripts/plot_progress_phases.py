"""The two charts that show the reporting period, drawn in one job: progress against the plan's
target (:mod:`plot_progress`) and the plan's phases, milestones and focus areas (:mod:`plot_phases`),
with the metrics the catalog's roles name and the phases of the programme file.

One job instead of one per chart, chosen by measurement (bench/RESULTS.md): every chart job pays
for starting Python and importing matplotlib (~0.8 s before it draws anything), and on two cores
a third chart job waited for a free core. This job and ``plot_outputs`` now run side by side.
A new period reruns this job only; ``plot_outputs`` does not show the period and is kept.
"""

import catalog
import chart_style
import pipeline_io
import plot_phases
import plot_progress
import programme


def main(smk) -> None:
    def body(log):
        period, script = smk.wildcards.period, smk.params.zh_script
        strings = pipeline_io.load_strings(smk.input.strings, script, smk.input.programme)
        facts = chart_style.facts(catalog.load(smk.input.catalog), programme.load(smk.input.programme), script)
        rows = chart_style.read_metrics_file(smk.input.metrics)

        progress = plot_progress.progress_from_metrics(rows, strings, facts)
        chart_style.save(plot_progress.draw_progress(progress, period, strings, facts, script),
                         smk.output.progress_svg, smk.output.progress_png)
        log.info("progress chart: %d point(s) of %s, window %s to %s", len(progress.points), facts.progress,
                 progress.start, progress.end)

        plan = plot_phases.plan_from_metrics(rows, strings, facts)
        chart_style.save(plot_phases.draw_phases(plan, period, strings, facts, script),
                         smk.output.phases_svg, smk.output.phases_png)
        log.info("phases chart: window %s to %s, %d phase(s), %d dated report(s), period %s", plan.window.start,
                 plan.window.end, len(facts.phases), len(plan.reports), period)

    pipeline_io.run_main("plot_progress_phases", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
