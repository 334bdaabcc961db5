# Sources listed by URL in {sources_dir}/sources.yaml: one job per link makes sure its copy of
# record is in {sources_dir}/fetched/{source}/ (fetched the first time, or again only with
# --config refetch=true; a changed page becomes a new version, the old one kept) and writes a
# receipt naming that copy and its SHA-256, which the source's extract_figures job reads.
# The copy of record lives outside results/, so `make clean` never loses it; the receipt is the
# rule's output because Snakemake deletes a job's outputs before rerunning it.
#
# refresh (scripts/fetch_sources.py, refresh_token) is the refresh count recorded with the copies,
# plus one with refetch=true: the setting reruns each fetch job once, and no run after it fetches
# again by itself. A dry run contacts no server. A local rule: cluster nodes often have no network.


rule fetch_source:
    input:
        script=code("scripts/fetch_sources.py"),
        code=SHARED_CODE + [code("scripts/source_files.py")],
    output:
        receipt=FETCH_RECEIPT,
    params:
        python=PYTHON,
        url=lambda wildcards: link_of(wildcards).url,
        store=lambda wildcards: link_of(wildcards).store,
        refresh=lambda wildcards: refresh_token(link_of(wildcards).store, REFETCH),
        timeout=config["fetch_timeout"],
        max_bytes=int(config["max_source_mb"] * 1048576),
    log:
        "logs/{briefing}/fetch_source/{source}.log",
    localrule: True
    conda:
        "../environment.yml"
    shell:
        "{params.python:q} {input.script:q} --source {wildcards.source:q} --url {params.url:q}"
        " --store {params.store:q} --refresh {params.refresh} --timeout {params.timeout}"
        " --max-bytes {params.max_bytes} --receipt {output.receipt:q} --log {log:q}"
