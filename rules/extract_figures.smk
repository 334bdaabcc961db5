# Per batch of sources, one job (scripts/extract_source.py): for each source of the batch, read the
# document (any supported format; a link's copy of record through its fetch receipt), decode, repair
# and split into language segments, listing every change made, then every catalog figure and every
# other number, with its sentence and position. A source's batch is fixed by its id
# (scripts/source_batches.py, `batches` in the config), so a new source reruns only its batch.
# Batches rather than one job per source, by measurement (bench/RESULTS.md): a Python start and the
# engine's imports per source were most of the time at 1,000 sources. Run as a plain command
# (shell:), not script:, to keep jobs cheap; the scripts are inputs, so editing one reruns the rule
# (the format readers only for batches that hold a source needing them).


# The batch's sources as a file (its documents, metadata files, a link's receipt and entry), written
# inside Snakemake (run:, no process): a batch can hold thousands of sources, more than one command-
# line argument may carry. Its param is the batch itself, so adding, editing or removing a source
# rewrites only its batch's manifest and reruns only that batch's extraction.
rule batch_manifest:
    output:
        manifest="results/{briefing}/batches/{batch}.json",
    params:
        batch=batch_json,
    log:
        "logs/{briefing}/batch_manifest/{batch}.log",
    localrule: True
    run:
        write_batch_manifest(output.manifest, params.batch, log[0])


rule extract_figures:
    input:
        manifest=rules.batch_manifest.output.manifest,
        documents=batch_documents,
        catalog=setting("catalog"),
        script=code("scripts/extract_source.py"),
        code=lambda wildcards: SHARED_CODE + CATALOG_CODE + ENGINE_CODE + batch_code(wildcards),
    output:
        figures="results/{briefing}/figures/{batch}.csv",
        normalized="results/{briefing}/normalized/{batch}.json",
        sources="results/{briefing}/sources/{batch}.json",
    params:
        python=PYTHON,
    log:
        "logs/{briefing}/extract_figures/{batch}.log",
    benchmark:
        "benchmarks/{briefing}/extract_figures/{batch}.tsv"
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --batch-file {input.manifest:q} --catalog {input.catalog:q}"
        " --figures {output.figures:q} --normalized {output.normalized:q} --sources {output.sources:q}"
        " --log {log:q}"
