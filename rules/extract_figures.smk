# Per source: every catalog figure and every other number, with its sentence and position.


rule extract_figures:
    input:
        normalized=rules.normalize.output.json,
        catalog=config["catalog"],
        code=SHARED_CODE,
    output:
        csv="results/figures/{source}.csv",
    log:
        "logs/extract_figures/{source}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/extract_figures.py"
