# The briefing: Jinja2 templates + string catalogs -> HTML, then WeasyPrint -> PDF.


rule render_html:
    input:
        metrics=rules.reconcile.output.metrics,
        checks=rules.reconcile.output.checks,
        figures=expand(rules.extract_figures.output.csv, source=SOURCES),
        normalized=expand(rules.normalize.output.json, source=SOURCES),
        catalog=config["catalog"],
        progress=rules.plot_progress.output.svg,
        template=BASE_TEMPLATE,
        templates=TEMPLATE_FILES,
        strings=I18N_FILES,
        code=SHARED_CODE,
    params:
        stylesheet=STYLESHEET,
        version=PIPELINE_VERSION,
    output:
        html="results/briefing/{period}/briefing-{period}.html",
    log:
        "logs/render_html/{period}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/render_html.py"


rule render_pdf:
    input:
        html=rules.render_html.output.html,
        stylesheet=STYLESHEET,
        progress=rules.plot_progress.output.svg,
        code=SHARED_CODE,
    params:
        allowed_roots=["templates", "results"],
    output:
        pdf="results/briefing/{period}/briefing-{period}.pdf",
    log:
        "logs/render_pdf/{period}.log",
    benchmark:
        "benchmarks/render_pdf/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/render_pdf.py"
