# Per source, one job: read the document (any supported format; a link's copy of record through its
# fetch receipt), decode, repair and split into language segments, listing every change made
# (normalized JSON), then every catalog figure and every other number, with its sentence and
# position (figures CSV). One job rather than two per source, by measurement (bench/RESULTS.md).
# Run as a plain command (shell:), not script:, to keep per-source jobs cheap; the scripts are
# inputs, so editing one reruns the rule (the format readers only for sources that use them).


rule extract_figures:
    input:
        text=source_text,
        fetched=source_receipt,
        meta=source_meta,
        catalog=setting("catalog"),
        script=code("scripts/extract_source.py"),
        code=lambda wildcards: SHARED_CODE + CATALOG_CODE + ENGINE_CODE + source_code(wildcards),
    output:
        json="results/{briefing}/normalized/{source}.json",
        csv="results/{briefing}/figures/{source}.csv",
    params:
        python=PYTHON,
        entry=source_entry,
    log:
        normalize="logs/{briefing}/normalize/{source}.log",
        extract="logs/{briefing}/extract_figures/{source}.log",
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --source {wildcards.source:q} --text {input.text:q}"
        " --fetched {input.fetched:q} --entry {params.entry:q} --meta {input.meta:q}"
        " --catalog {input.catalog:q} --normalized {output.json:q} --figures {output.csv:q}"
        " --normalize-log {log.normalize:q} --extract-log {log.extract:q}"
