# Charts, as SVG for the PDF and PNG for previews. Each is a function of the briefing's metrics.csv
# and the string catalogs (the phases chart also shows the programme's focus areas). Charts that
# show the reporting period (progress, phases) are built per period, so a new month reruns only
# them; the outputs chart does not show it and is built once per briefing.


rule plot_progress:
    input:
        metrics=rules.reconcile.output.metrics,
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=setting("zh"),
    output:
        svg="results/{briefing}/plots/{period}/progress.svg",
        png="results/{briefing}/plots/{period}/progress.png",
    log:
        "logs/{briefing}/plot_progress/{period}.log",
    benchmark:
        "benchmarks/{briefing}/plot_progress/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_progress.py"


rule plot_phases:
    input:
        metrics=rules.reconcile.output.metrics,
        strings=I18N_FILES,
        programme=setting("programme"),
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=setting("zh"),
    output:
        svg="results/{briefing}/plots/{period}/phases.svg",
        png="results/{briefing}/plots/{period}/phases.png",
    log:
        "logs/{briefing}/plot_phases/{period}.log",
    benchmark:
        "benchmarks/{briefing}/plot_phases/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_phases.py"


rule plot_outputs:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=setting("catalog"),
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=setting("zh"),
    output:
        svg="results/{briefing}/plots/outputs.svg",
        png="results/{briefing}/plots/outputs.png",
    log:
        "logs/{briefing}/plot_outputs/outputs.log",
    benchmark:
        "benchmarks/{briefing}/plot_outputs/outputs.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_outputs.py"
