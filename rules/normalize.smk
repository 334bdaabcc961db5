# Per source: decode, repair and split into language segments, listing every change made.
# Run as a plain command (shell:), not script:, to keep per-source jobs cheap (bench/RESULTS.md);
# the script is an input, so editing it reruns the rule.


rule normalize:
    input:
        text=source_text,
        meta=source_meta,
        script="scripts/normalize.py",
        code=SHARED_CODE,
    output:
        json="results/{briefing}/normalized/{source}.json",
    params:
        python=PYTHON,
    log:
        "logs/{briefing}/normalize/{source}.log",
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --source {wildcards.source:q} --text {input.text:q}"
        " --meta {input.meta:q} --output {output.json:q} --log {log:q}"
