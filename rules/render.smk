# The briefing: Jinja2 templates + string catalogs -> one self-contained HTML file (stylesheet and
# charts embedded), then WeasyPrint -> archival PDF.
rule render_html:
    input:
        metrics=rules.reconcile.output.metrics,
        checks=rules.reconcile.output.checks,
        figures=per_source(rules.extract_figures.output.csv),
        normalized=per_source(rules.normalize.output.json),
        catalog=setting("catalog"),
        charts=chart_files,
        previous=previous_briefing,
        template=BASE_TEMPLATE,
        templates=TEMPLATE_FILES,
        stylesheet=STYLESHEET,
        strings=I18N_FILES,
        programme=setting("programme"),
        code=SHARED_CODE + SCRIPT_CODE,
    params:
        version=PIPELINE_VERSION,
        zh_script=setting("zh"),
        settings=briefing_settings,
    output:
        html="results/{briefing}/{period}/{briefing}-{period}.html",
    log:
        "logs/{briefing}/render_html/{period}.log",
    benchmark:
        "benchmarks/{briefing}/render_html/{period}.tsv"
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
        cjk_font=lambda wildcards: FONT_FAMILY[BRIEFINGS[wildcards.briefing]["zh"]],
    output:
        pdf="results/{briefing}/{period}/{briefing}-{period}.pdf",
    log:
        "logs/{briefing}/render_pdf/{period}.log",
    benchmark:
        "benchmarks/{briefing}/render_pdf/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/render_pdf.py"
