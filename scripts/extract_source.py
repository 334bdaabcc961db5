"""One source, one job: decode, repair and segment it (:mod:`normalize`), then extract every
catalog figure and every other number (:mod:`extract_figures`), writing both results.

Run by the ``extract_figures`` rule as a plain command (``shell:``, this file an input, so editing
it reruns the rule). One job per source rather than two, chosen by measurement
(bench/RESULTS.md): at 1,000 sources, Snakemake's time to build the DAG grows with the number of
jobs, and a second per-source job cost a second Python start. The normalized JSON is still its
own output, with its own log, for inspection and for the combined steps.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extract_figures  # noqa: E402
import normalize  # noqa: E402
import pipeline_io  # noqa: E402


def cli(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="Normalize one source to JSON, then extract its figures to CSV (one job per source).")
    parser.add_argument("--source", required=True, help="source id (the file name without .txt)")
    parser.add_argument("--text", required=True, help="the source text file")
    parser.add_argument("--meta", nargs="*", default=[], help="its metadata file, if there is one")
    parser.add_argument("--catalog", required=True, help="metric catalog (config/metrics.yaml)")
    parser.add_argument("--normalized", required=True, help="normalized JSON to write")
    parser.add_argument("--figures", required=True, help="figures CSV to write")
    parser.add_argument("--normalize-log", help="log file of the normalize step")
    parser.add_argument("--extract-log", help="log file of the extraction step")
    args = parser.parse_args(argv)
    normalize.main(pipeline_io.job({"text": args.text, "meta": args.meta}, {"json": args.normalized},
                                   args.normalize_log, {"source": args.source}))
    extract_figures.main(pipeline_io.job({"normalized": args.normalized, "catalog": args.catalog},
                                         {"csv": args.figures}, args.extract_log, {}))


if __name__ == "__main__":
    cli()
