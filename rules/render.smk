# The briefing: Jinja2 templates + string catalogs -> one self-contained HTML file (stylesheet and
# charts embedded), then WeasyPrint -> archival PDF.
rule render_html:
    input:
        metrics=rules.reconcile.output.metrics,
        checks=rules.reconcile.output.checks,
        figures=expand(rules.extract_figures.output.csv, source=SOURCES),
        normalized=expand(rules.normalize.output.json, source=SOURCES),
        catalog=config["catalog"],
        charts=chart_files,
        previous=previous_briefing,
        template=BASE_TEMPLATE,
        templates=TEMPLATE_FILES,
        stylesheet=STYLESHEET,
        strings=I18N_FILES,
        code=SHARED_CODE + SCRIPT_CODE,
    params:
        version=PIPELINE_VERSION,
        zh_script=ZH_SCRIPT,
        settings={
            "sources_dir": config["sources_dir"],
            "catalog": config["catalog"],
            "resolutions": config["resolutions"],
        },
    output:
        html="results/briefing/{period}/briefing-{period}.html",
    log:
        "logs/render_html/{period}.log",
    benchmark:
        "benchmarks/render_html/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/render_html.py"


rule render_pdf:
    input:
        html=rules.render_html.output.html,
        metrics=rules.reconcile.output.metrics,
        checks=rules.reconcile.output.checks,
        code=SHARED_CODE,
    params:
        allowed_roots=["templates", "results"],
        cjk_font=FONT_FAMILY[ZH_SCRIPT],
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
