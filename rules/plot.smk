# Charts, as SVG for the PDF and PNG for previews. Charts that show the reporting period are
# built per period, so a new month reruns only them.


rule plot_progress:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=config["catalog"],
        strings=I18N_FILES,
        code=SHARED_CODE + CHART_CODE,
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
