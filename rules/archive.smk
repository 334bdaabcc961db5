# Archive: `snakemake --cores all archive --config period=YYYY-MM` copies each briefing's PDF and
# HTML for the period to {archive_dir}/{briefing}/{period}/ with a manifest (hashes of the briefing
# and of every input, the metrics, package versions, git commit, the originals the briefing was
# built from, whose copies go to {archive_dir}/{briefing}/originals/), appends a row to that briefing's
# chained ledger {archive_dir}/{briefing}/index.csv and to the root ledger
# {archive_dir}/briefings.csv, and regenerates {archive_dir}/{briefing}/index.html.
#
# Snakemake deletes a job's declared outputs before it reruns the job, so the archived files are
# deliberately NOT outputs: the rule's output is a receipt under results/{briefing}/archive/, and
# the script writes into the archive itself (atomically; a published version is never overwritten
# or re-created; different bytes for an archived period stop the run unless archive_revision=true).
# The receipt check in params reruns the job if the archive or its ledgers no longer match.
# archive_dir was checked before any job (rules/common.smk): never inside results/, logs/, ...
from archive_ledger import receipt_state  # noqa: E402

# `--config archive_revision=true` arrives as the string "true"; the schema allows only these.
ARCHIVE_REVISION = config["archive_revision"] in (True, "true")


rule archive_briefing:
    input:
        pdf=rules.render_briefing.output.pdf,
        html=rules.render_briefing.output.html,
        metrics=rules.reconcile.output.metrics,
        inputs=archive_inputs,
        receipts=link_receipts,
        strings=I18N_FILES,
        code=SHARED_CODE + SCRIPT_CODE + [code("scripts/archive_ledger.py"), code("scripts/source_files.py")],
    params:
        archive_root=ARCHIVE_DIR,
        sources=archive_sources,
        sources_dir=setting("sources_dir"),
        revision=ARCHIVE_REVISION,
        version=PIPELINE_VERSION,
        zh_script=setting("zh"),
        workflow_root=WORKFLOW_ROOT,
        archive_state=lambda wildcards: receipt_state(ARCHIVE_RECEIPT.format(briefing=wildcards.briefing, period=wildcards.period)),
    output:
        receipt=ARCHIVE_RECEIPT,
    log:
        "logs/{briefing}/archive/{period}.log",
    conda:
        "../environment.yml"
    script:
        "../scripts/archive_briefing.py"


rule archive:
    input:
        archive_targets(),
