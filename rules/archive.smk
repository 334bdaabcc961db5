# Archive: `snakemake --cores all archive --config period=YYYY-MM` copies the period's PDF and HTML
# to {archive_dir}/{period}/ with a manifest (hashes of the briefing and of every input, the
# metrics, package versions, git commit) and adds them to {archive_dir}/index.csv and index.html.
#
# Snakemake deletes a job's declared outputs before it reruns the job, so the archived files are
# deliberately NOT outputs: the rule's output is a receipt under results/archive/, and the script
# writes into the archive itself (atomically, never overwriting a published version; different
# bytes for an archived period stop the run unless archive_revision=true). The receipt check in
# params reruns the job if the archive no longer holds what the receipt recorded.
from archive_briefing import manifest_inputs, receipt_state  # noqa: E402

ARCHIVE_DIR = config["archive_dir"]
# `--config archive_revision=true` arrives as the string "true"; the schema allows only these.
ARCHIVE_REVISION = config["archive_revision"] in (True, "true")
# Every file whose hash goes into the manifest besides the briefing and the metrics: sources and
# their metadata, the catalog, the resolutions (if any), templates, string catalogs, stylesheet.
ARCHIVE_INPUTS = manifest_inputs(
    SOURCES_DIR,
    SOURCES,
    [config["catalog"], *resolutions_file(), BASE_TEMPLATE, *TEMPLATE_FILES, *I18N_FILES, STYLESHEET],
)


rule archive_briefing:
    input:
        pdf=rules.render_pdf.output.pdf,
        html=rules.render_html.output.html,
        metrics=rules.reconcile.output.metrics,
        inputs=ARCHIVE_INPUTS,
        code=SHARED_CODE,
    params:
        archive_dir=ARCHIVE_DIR,
        revision=ARCHIVE_REVISION,
        version=PIPELINE_VERSION,
        archive_state=lambda wildcards: receipt_state(f"results/archive/{wildcards.period}.json"),
    output:
        receipt="results/archive/{period}.json",
    log:
        "logs/archive/{period}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/archive_briefing.py"


rule archive:
    input:
        f"results/archive/{PERIOD}.json",
