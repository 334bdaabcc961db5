# The analyst's commentary on a period: data/commentary/{briefing}/{period}.en.md and .zh.md
# (optional; both or neither). Placeholders are filled from the metrics, every number written
# literally is checked against them through the figure engine, the two languages must state the
# same figures, and each language is rendered to an HTML fragment for the summary section
# (scripts/commentary.py). An unresolved error stops the build here, before rendering.
#
# The commentary files are inputs of this rule and of the archive manifest only, so editing them
# reruns this job and render_briefing, nothing else.

# What the commentary check runs besides the shared modules: the engine's extraction layer, the
# normalization of text, reconcile's resolutions and render_html's formatting of figures.
COMMENTARY_CODE = [code(path) for path in (
    "scripts/commentary.py", "scripts/check_commentary.py", "scripts/extract_figures.py", "scripts/normalize.py",
    "scripts/reconcile.py", "scripts/render_html.py", "scripts/workflow_config.py")]


rule check_commentary:
    input:
        metrics=rules.reconcile.output.metrics,
        catalog=setting("catalog"),
        commentary=commentary_files,
        resolutions=resolutions_file,
        previous=previous_briefing,
        strings=I18N_FILES,
        code=SHARED_CODE + SCRIPT_CODE + CATALOG_CODE + ENGINE_CODE + COMMENTARY_CODE,
    params:
        expected=lambda wildcards: commentary_paths(wildcards.briefing, wildcards.period),
        zh_script=setting("zh"),
    output:
        json="results/{briefing}/commentary/{period}/commentary.json",
    log:
        "logs/{briefing}/check_commentary/{period}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/check_commentary.py"


# `make commentary` builds these, then drafts the commentary from them (scripts/draft_commentary.py).
rule commentary_inputs:
    input:
        expand(rules.reconcile.output.metrics, briefing=list(BRIEFINGS)),
