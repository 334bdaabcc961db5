# Charts, as SVG for the PDF and PNG for previews. Each is a function of the briefing's metrics.csv,
# the catalog (which metric plays which role, their labels) and the string catalogs; the two period
# charts also draw the programme file's phases and focus areas. The two charts
# that show the reporting period (progress, phases) are drawn per period by one job, so a new month
# reruns only it; the outputs chart does not show the period and is built once per briefing. Two
# jobs rather than three: each chart job pays ~0.8 s of start-up and matplotlib import, and the two
# run side by side on two cores (bench/RESULTS.md).


rule plot_progress_phases:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=setting("catalog"),
        strings=I18N_FILES,
        programme=setting("programme"),
        code=SHARED_CODE + CHART_CODE + [code("scripts/plot_progress.py"), code("scripts/plot_phases.py")],
    params:
        zh_script=setting("zh"),
        report=report_captions,
    output:
        progress_svg=report("results/{briefing}/plots/{period}/progress.svg", caption="../report/progress.rst",
                            category="{briefing}", subcategory="Charts",
                            labels={"briefing": "{briefing}", "result": "progress", "period": "{period}"}),
        progress_png="results/{briefing}/plots/{period}/progress.png",
        phases_svg=report("results/{briefing}/plots/{period}/phases.svg", caption="../report/phases.rst",
                          category="{briefing}", subcategory="Charts",
                          labels={"briefing": "{briefing}", "result": "phases", "period": "{period}"}),
        phases_png="results/{briefing}/plots/{period}/phases.png",
    log:
        "logs/{briefing}/plot_progress_phases/{period}.log",
    benchmark:
        "benchmarks/{briefing}/plot_progress_phases/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_progress_phases.py"


rule plot_outputs:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=setting("catalog"),
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=setting("zh"),
        report=report_captions,
    output:
        svg=report("results/{briefing}/plots/outputs.svg", caption="../report/outputs.rst", category="{briefing}",
                   subcategory="Charts", labels={"briefing": "{briefing}", "result": "outputs", "period": "-"}),
        png="results/{briefing}/plots/outputs.png",
    log:
        "logs/{briefing}/plot_outputs/outputs.log",
    benchmark:
        "benchmarks/{briefing}/plot_outputs/outputs.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_outputs.py"
