"""One batch of sources, one job: for each source, read and normalize it (:mod:`normalize`: decode,
repair, split into language segments, every change listed), then extract every catalog figure and
every other number (:mod:`extract_figures`). Three outputs per batch:

* ``results/{briefing}/figures/{batch}.csv``: every figure of the batch's sources (the figures
  contract, ``source`` first), in (source, line, start) order;
* ``results/{briefing}/normalized/{batch}.json``: ``{"sources": [...]}``, each source's normalized
  document, for inspection;
* ``results/{briefing}/sources/{batch}.json``: ``{"sources": [...]}``, what the combined steps need
  of each source (path, hash, encoding, metadata, the date its figures are placed at, repairs by
  kind, flags, warnings), so that reconcile and rendering never read the documents themselves.

Batches (:mod:`source_batches`), not one job per source, by measurement (bench/RESULTS.md): at
1,000 sources a Python start and the engine's imports per source were most of the cold build and
of every rebuild after a catalog edit. A source's batch is fixed by its id, so a new source reruns
only its batch. Run as a plain command (``shell:``, this file an input, so editing it reruns the
rule). Each source's figures are streamed to the CSV as they are found, and its document is written
and dropped before the next is read: a job holds one source at a time.

The batch is given as JSON (``--batch``, or ``--batch-file``: the ``batch_manifest`` rule's output,
as the rule runs it): a list of ``{"id", "text", "meta", "fetched", "entry"}``:
the document (a file in the sources folder) or, for a link, its fetch receipt, the metadata file
(if any) and the link's ``sources.yaml`` entry (JSON; empty for a file).
"""

import csv
import io
import json
import logging
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extract_figures  # noqa: E402
import normalize  # noqa: E402
import numerals  # noqa: E402
import pipeline_io  # noqa: E402
from contracts import FIGURE_COLUMNS  # noqa: E402


def source_summary(doc: dict) -> dict:
    """What the combined steps need of a normalized source (see the module docstring).

    >>> source_summary({"source": "s", "path": "p.txt", "sha256": "ab", "encoding": "utf-8", "metadata": {},
    ...                 "lines": [{"line": 1, "lang": "en", "text": "Issued on 2 May 2024."}],
    ...                 "changes": [{"kind": "ruby"}, {"kind": "ruby"}], "flags": [], "warnings": []})["date"]
    '2024-05-02'
    """
    meta = doc.get("metadata") or {}
    date = str(meta.get("date") or "")
    if not date:  # a source without a metadata date is placed at the first full date its text states
        stated = numerals.first_stated_date([(e["text"], e.get("lang")) for e in doc.get("lines") or []
                                             if e.get("lang") in ("en", "zh")])
        date = stated.isoformat() if stated else ""
    return {
        "source": doc["source"], "path": doc.get("path", ""), "sha256": doc.get("sha256", ""),
        "encoding": doc.get("encoding", ""), "metadata": meta, "date": date,
        "repairs": dict(sorted(Counter(c["kind"] for c in doc.get("changes", [])).items())),
        "flags": doc.get("flags", []), "warnings": doc.get("warnings", []),
        **({"url": doc["url"], "version": doc.get("version")} if doc.get("url") else {}),
    }


def run_batch(batch: list[dict], catalog_path: str, outputs: dict[str, str], logger: logging.Logger) -> dict:
    """Normalize and extract every source of ``batch``, streaming the three outputs; returns counts."""
    cat = extract_figures.load_catalog(catalog_path)
    counts = Counter()
    summaries = []
    with pipeline_io.atomic_open(outputs["figures"]) as figures, \
            pipeline_io.atomic_open(outputs["normalized"]) as normalized:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIGURE_COLUMNS, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        normalized.write(b'{\n  "sources": [\n')
        for index, item in enumerate(sorted(batch, key=lambda s: s["id"])):
            doc = normalize.normalize_job(_inputs(item), item["id"], logger)
            summaries.append(source_summary(doc))
            if index:
                normalized.write(b",\n")
            for chunk in pipeline_io.json_chunks(doc):
                normalized.write(chunk)
            lines_only = {key: value for key, value in doc.items() if key != "changes"}
            del doc  # the changes can be most of a large document; the extraction reads only the lines
            for row in extract_figures.iter_figures(lines_only, cat, logger=logger):
                writer.writerow(row)
                counts["figures"] += 1
                counts["attributed"] += bool(row["metric"])
                counts["candidates"] += bool(row["candidate"])
                if buffer.tell() >= 1 << 16:
                    figures.write(buffer.getvalue().encode("utf-8"))
                    buffer.seek(0)
                    buffer.truncate()
            counts["sources"] += 1
        figures.write(buffer.getvalue().encode("utf-8"))
        normalized.write(b"\n  ]\n}\n")
    pipeline_io.write_json(outputs["sources"], {"sources": summaries})
    return dict(counts)


def _inputs(item: dict) -> dict:
    """The inputs :func:`normalize.read_job_source` expects, for one source of the batch."""
    return {"text": [item["text"]] if item.get("text") else [], "fetched": [item["fetched"]] if item.get("fetched") else [],
            "meta": [item["meta"]] if item.get("meta") else [],
            "entry": json.loads(item["entry"]) if item.get("entry") else None}


def cli(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="Normalize a batch of sources and extract their figures (one job per batch of sources).")
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--batch", help='the batch as JSON: [{"id", "text", "meta", "fetched", "entry"}, ...]')
    given.add_argument("--batch-file", help="the same JSON in a file (the batch_manifest rule's output)")
    parser.add_argument("--catalog", required=True, help="metric catalog (config/metrics.yaml)")
    parser.add_argument("--figures", required=True, help="figures CSV to write")
    parser.add_argument("--normalized", required=True, help="normalized documents (JSON) to write")
    parser.add_argument("--sources", required=True, help="source summaries (JSON) to write")
    parser.add_argument("--log", help="log file")
    args = parser.parse_args(argv)
    try:
        batch = json.loads(args.batch if args.batch is not None else Path(args.batch_file).read_text(encoding="utf-8"))
    except OSError as exc:
        parser.error(f"--batch-file {args.batch_file}: {exc.strerror or exc}")
    except ValueError as exc:
        parser.error(f"{'--batch' if args.batch is not None else '--batch-file ' + args.batch_file} is not JSON: {exc}")
    outputs = {"figures": args.figures, "normalized": args.normalized, "sources": args.sources}

    def body(logger: logging.Logger) -> None:
        counts = run_batch(batch, args.catalog, outputs, logger)
        logger.info("%d sources: %d figures, %d attributed to catalog metrics, %d candidates",
                    counts.get("sources", 0), counts.get("figures", 0), counts.get("attributed", 0),
                    counts.get("candidates", 0))

    pipeline_io.run_main("extract_figures", args.log, body)


if __name__ == "__main__":
    cli()
