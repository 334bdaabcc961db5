# All sources: one value per metric and date, and the checks (English vs Chinese, share vs parts,
# source vs source, time series, figures flagged by the engine, numbers no metric claimed). An
# unresolved error stops the build here, before rendering. strict: a source with no figure is an error.


rule reconcile:
    input:
        figures=per_batch(rules.extract_figures.output.figures),
        sources=per_batch(rules.extract_figures.output.sources),
        catalog=setting("catalog"),
        resolutions=resolutions_file,
        code=SHARED_CODE + CATALOG_CODE + [code("scripts/numerals.py")],
    params:
        strict=setting("strict"),
        report=report_captions,
    output:
        metrics=report("results/{briefing}/metrics.csv", caption="../report/metrics.rst", category="{briefing}",
                       subcategory="Data", labels={"briefing": "{briefing}", "result": "metrics.csv"}),
        checks="results/{briefing}/checks.json",
    log:
        "logs/{briefing}/reconcile/reconcile.log",
    benchmark:
        "benchmarks/{briefing}/reconcile/reconcile.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/reconcile.py"
