# Per source: every catalog figure and every other number, with its sentence and position.
# A plain command like normalize (see there).


rule extract_figures:
    input:
        normalized=rules.normalize.output.json,
        catalog=setting("catalog"),
        script="scripts/extract_figures.py",
        code=SHARED_CODE,
    output:
        csv="results/{briefing}/figures/{source}.csv",
    params:
        python=PYTHON,
    log:
        "logs/{briefing}/extract_figures/{source}.log",
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --normalized {input.normalized:q} --catalog {input.catalog:q}"
        " --output {output.csv:q} --log {log:q}"
