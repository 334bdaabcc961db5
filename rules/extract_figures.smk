# Per source, one job: decode, repair and split into language segments, listing every change made
# (normalized JSON), then every catalog figure and every other number, with its sentence and
# position (figures CSV). One job rather than two per source, by measurement (bench/RESULTS.md).
# Run as a plain command (shell:), not script:, to keep per-source jobs cheap; the scripts are
# inputs, so editing one reruns the rule.


rule extract_figures:
    input:
        text=source_text,
        meta=source_meta,
        catalog=setting("catalog"),
        script=code("scripts/extract_source.py"),
        code=SHARED_CODE + CATALOG_CODE + ENGINE_CODE + [code("scripts/normalize.py"), code("scripts/extract_figures.py")],
    output:
        json="results/{briefing}/normalized/{source}.json",
        csv="results/{briefing}/figures/{source}.csv",
    params:
        python=PYTHON,
    log:
        normalize="logs/{briefing}/normalize/{source}.log",
        extract="logs/{briefing}/extract_figures/{source}.log",
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --source {wildcards.source:q} --text {input.text:q}"
        " --meta {input.meta:q} --catalog {input.catalog:q} --normalized {output.json:q} --figures {output.csv:q}"
        " --normalize-log {log.normalize:q} --extract-log {log.extract:q}"
