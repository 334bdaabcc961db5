# Charts, as SVG for the PDF and PNG for previews. Each is a function of results/metrics.csv and
# the string catalogs. Charts that show the reporting period (progress, phases) are built per
# period, so a new month reruns only them; the outputs chart does not show it and is built once.


rule plot_progress:
    input:
        metrics=rules.reconcile.output.metrics,
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=ZH_SCRIPT,
    output:
        svg="results/plots/{period}/progress.svg",
        png="results/plots/{period}/progress.png",
    log:
        "logs/plot_progress/{period}.log",
    benchmark:
        "benchmarks/plot_progress/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_progress.py"


rule plot_phases:
    input:
        metrics=rules.reconcile.output.metrics,
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=ZH_SCRIPT,
    output:
        svg="results/plots/{period}/phases.svg",
        png="results/plots/{period}/phases.png",
    log:
        "logs/plot_phases/{period}.log",
    benchmark:
        "benchmarks/plot_phases/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_phases.py"


rule plot_outputs:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=config["catalog"],
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
    params:
        zh_script=ZH_SCRIPT,
    output:
        svg="results/plots/outputs.svg",
        png="results/plots/outputs.png",
    log:
        "logs/plot_outputs/outputs.log",
    benchmark:
        "benchmarks/plot_outputs/outputs.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/plot_outputs.py"
