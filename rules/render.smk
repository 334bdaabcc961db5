# The briefing: Jinja2 templates + string catalogs -> one self-contained HTML file (stylesheet and
# charts embedded), then WeasyPrint -> archival PDF. One job writes both (see
# scripts/render_briefing.py for why): editing a template reruns only this job.


rule render_briefing:
    input:
        metrics=rules.reconcile.output.metrics,
        checks=rules.reconcile.output.checks,
        figures=per_batch(rules.extract_figures.output.figures),
        sources=per_batch(rules.extract_figures.output.sources),
        catalog=setting("catalog"),
        charts=chart_files,
        previous=previous_briefing,
        commentary=rules.check_commentary.output.json,
        template=BASE_TEMPLATE,
        templates=TEMPLATE_FILES,
        stylesheet=STYLESHEET,
        screen_stylesheet=SCREEN_STYLESHEET,
        strings=I18N_FILES,
        programme=setting("programme"),
        code=SHARED_CODE + SCRIPT_CODE + CATALOG_CODE + PROGRAMME_CODE
        + [code("scripts/render_html.py"), code("scripts/render_pdf.py")],
    params:
        version=PIPELINE_VERSION,
        zh_script=setting("zh"),
        settings=briefing_settings,
        allowed_roots=[code("templates"), "results"],
        workflow_root=WORKFLOW_ROOT,
        cjk_font=setting("cjk_font"),
        report=report_captions,
    output:
        html=report("results/briefing/{period}/briefing-{briefing}-{period}.html", caption="../report/html.rst",
                    category="{briefing}", subcategory="Briefing",
                    labels={"briefing": "{briefing}", "result": "HTML", "period": "{period}"}),
        pdf=report("results/briefing/{period}/briefing-{briefing}-{period}.pdf", caption="../report/briefing.rst",
                   category="{briefing}", subcategory="Briefing",
                   labels={"briefing": "{briefing}", "result": "PDF", "period": "{period}"}),
    log:
        "logs/{briefing}/render_briefing/{period}.log",
    benchmark:
        "benchmarks/{briefing}/render_briefing/{period}.tsv"
    conda:
        "../environment.yml"
    script:
        "../scripts/render_briefing.py"
