"""The ``check_commentary`` rule: the analyst's commentary of one briefing and period, checked
against the metrics and rendered (:mod:`commentary`), written as one JSON file for
``render_briefing``. Without commentary files the JSON says so and the summary shows the sources'
own sentence."""

from pathlib import Path

import catalog as catalog_module
import commentary
import pipeline_io
import reconcile


def main(smk) -> None:
    def body(log):
        files = dict(smk.params.expected)
        present = {str(p) for p in smk.input.commentary}
        raws = {lang: Path(path).read_bytes() for lang, path in files.items() if path in present}
        res_path = smk.input.resolutions[0] if smk.input.resolutions else "data/resolutions.yaml"
        resolutions = reconcile.parse_resolutions(pipeline_io.read_yaml(res_path), res_path) if smk.input.resolutions else {}
        values = commentary.Values(
            cat=catalog_module.load(smk.input.catalog),
            metrics=pipeline_io.csv_rows(Path(smk.input.metrics).read_text(encoding="utf-8")),
            period=smk.wildcards.period,
            strings=pipeline_io.load_strings(smk.input.strings),
            script=smk.params.zh_script,
            previous=pipeline_io.read_json(smk.input.previous[0]) if smk.input.previous else None,
        )
        result = commentary.check_commentary(files, raws, values, briefing=smk.wildcards.briefing,
                                             resolutions=resolutions, resolutions_path=res_path, logger=log)
        for c in result["checks"]:
            if c["status"] != "pass":
                log.info("%s %s [%s] %s", c["severity"], c["status"], c["id"], c["message"])
        if result["written"]:
            log.info("%s: %d figures in English, %d in Chinese, %d checks", ", ".join(files.values()),
                     len(result["figures"]["en"]), len(result["figures"]["zh"]), len(result["checks"]))
        else:
            log.info("no commentary for %s (%s): the summary shows the sources' own sentence",
                     smk.wildcards.period, ", ".join(files.values()))
        pipeline_io.write_json(smk.output.json, result)

    pipeline_io.run_main("check_commentary", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
