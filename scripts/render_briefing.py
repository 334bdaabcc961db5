"""The briefing: Jinja2 templates and string catalogs to one self-contained HTML file
(:mod:`render_html`), then WeasyPrint to an archival PDF (:mod:`render_pdf`), in one job.

One job rather than one per format, chosen by measurement (bench/RESULTS.md): the two always ran
back to back (nothing but the HTML step feeds the PDF step), and a second job cost a second Python
start and Snakemake preamble on the path users wait on after a template edit. Both files are
written atomically; if the PDF step fails, Snakemake removes the HTML too, so no half-built
briefing is left.
"""

import pipeline_io
import render_html
import render_pdf


def main(smk) -> None:
    def body(log):
        html, summary = render_html.html_from_job(smk)
        pipeline_io.atomic_write_text(smk.output.html, html)
        log.info("%s: %s", smk.output.html, summary)
        data = render_pdf.pdf_from_job(smk, log)
        pipeline_io.atomic_write_bytes(smk.output.pdf, data)
        log.info("%s: %d bytes", smk.output.pdf, len(data))

    pipeline_io.run_main("render_briefing", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
