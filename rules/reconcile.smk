# All sources: one value per metric and date, and the checks (English vs Chinese, share vs parts,
# source vs source, time series). An unresolved error stops the build here, before rendering.


rule reconcile:
    input:
        figures=expand(rules.extract_figures.output.csv, source=SOURCES),
        normalized=expand(rules.normalize.output.json, source=SOURCES),
        catalog=config["catalog"],
        resolutions=resolutions_file(),
        code=SHARED_CODE,
    output:
        metrics="results/metrics.csv",
        checks="results/checks.json",
    log:
        "logs/reconcile/reconcile.log",
    benchmark:
        "benchmarks/reconcile/reconcile.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/reconcile.py"
