# Per source: decode, repair and split into language segments, listing every change made.


rule normalize:
    input:
        text=source_text,
        meta=source_meta,
        code=SHARED_CODE,
    output:
        json="results/normalized/{source}.json",
    log:
        "logs/normalize/{source}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/normalize.py"
