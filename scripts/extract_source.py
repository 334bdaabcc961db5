"""One source, one job: decode, repair and segment it (:mod:`normalize`), then extract every
catalog figure and every other number (:mod:`extract_figures`), writing both results.

Run by the ``extract_figures`` rule as a plain command (``shell:``, this file an input, so editing
it reruns the rule). One job per source rather than two, chosen by measurement
(bench/RESULTS.md): at 1,000 sources, Snakemake's time to build the DAG grows with the number of
jobs, and a second per-source job cost a second Python start. The normalized JSON is still its
own output, with its own log, for inspection and for the combined steps.

The source is a file in the sources folder (``--text``, any format of
:data:`source_files.FORMATS`; ``--meta`` its metadata file, if any) or a link: ``--fetched`` names
the fetch receipt (``results/{briefing}/fetched/{source}.json``, written by
scripts/fetch_sources.py) whose copy of record is read, and ``--entry`` carries the link's
``sources.yaml`` entry as JSON (its metadata, and the file for messages).
"""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extract_figures  # noqa: E402
import normalize  # noqa: E402
import pipeline_io  # noqa: E402


def cli(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="Normalize one source to JSON, then extract its figures to CSV (one job per source).")
    parser.add_argument("--source", required=True, help="source id")
    parser.add_argument("--text", nargs="*", default=[], help="the source document, if it is a file")
    parser.add_argument("--fetched", nargs="*", default=[], help="the fetch receipt, if the source is a link")
    parser.add_argument("--entry", nargs="?", default="", const="",
                        help="a link's sources.yaml entry (JSON: meta, file); empty for a file")
    parser.add_argument("--meta", nargs="*", default=[], help="its metadata file, if there is one")
    parser.add_argument("--catalog", required=True, help="metric catalog (config/metrics.yaml)")
    parser.add_argument("--normalized", required=True, help="normalized JSON to write")
    parser.add_argument("--figures", required=True, help="figures CSV to write")
    parser.add_argument("--normalize-log", help="log file of the normalize step")
    parser.add_argument("--extract-log", help="log file of the extraction step")
    args = parser.parse_args(argv)
    inputs = {"text": [t for t in args.text if t], "fetched": [f for f in args.fetched if f],
              "meta": [m for m in args.meta if m], "entry": json.loads(args.entry) if args.entry else None}
    if len(inputs["text"]) + len(inputs["fetched"]) != 1:
        parser.error("give exactly one source: --text FILE or --fetched RECEIPT")
    result = normalize.main(pipeline_io.job(inputs, {"json": args.normalized}, args.normalize_log,
                                            {"source": args.source}))
    # The extraction reads the lines, never the changes, which can be most of the document (a 50 MB
    # source has a million ruby changes): it gets the normalized document without them, from a
    # temporary file beside the output, so that its peak memory is that of the lines and figures.
    lines_only = {key: value for key, value in result.items() if key != "changes"}
    del result
    with tempfile.TemporaryDirectory(dir=Path(args.normalized).parent, prefix=".extract-") as tmp:
        slim = Path(tmp) / "normalized.json"
        with open(slim, "w", encoding="utf-8") as handle:
            json.dump(lines_only, handle, ensure_ascii=False)
        del lines_only
        extract_figures.main(pipeline_io.job({"normalized": str(slim), "catalog": args.catalog},
                                             {"csv": args.figures}, args.extract_log, {}))


if __name__ == "__main__":
    cli()
