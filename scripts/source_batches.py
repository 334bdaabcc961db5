"""Sources in stable batches: one extraction job per batch instead of one per source.

A source belongs to batch ``hash(source id) mod B`` (``B`` is the ``batches`` setting), so:

* its batch never changes when other sources come and go: adding a source reruns only its
  batch, not the others (and the combined steps);
* each job starts Python and imports the engine once for its whole batch: at 1,000 sources the
  start-up of a process per source, not the work, was most of the time (bench/RESULTS.md);
* Snakemake's DAG has at most ``B`` extraction jobs, whatever the number of sources.

Only batches that hold a source exist: the seed alone is one batch, one job.
"""

import hashlib
from typing import Iterable

#: How many batches by default; at 1,000 sources about 31 sources each (bench/RESULTS.md).
DEFAULT_BATCHES = 32


def batch_of(source_id: str, batches: int = DEFAULT_BATCHES) -> str:
    """The batch of a source: ``b`` and a number below ``batches``, stable for a given id.

    >>> batch_of("a-source", 32) == batch_of("a-source", 32), batch_of("x", 1), len(batch_of("x", 100))
    (True, 'b0', 3)
    """
    if batches < 1:
        raise ValueError(f"batches must be at least 1, not {batches}")
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    width = len(str(batches - 1))
    return f"b{int.from_bytes(digest[:8], 'big') % batches:0{width}d}"


def group(source_ids: Iterable[str], batches: int = DEFAULT_BATCHES) -> dict[str, list[str]]:
    """Batch -> its source ids (sorted), for the batches that hold a source, in batch order.

    >>> group(["a", "b", "c"], 1)
    {'b0': ['a', 'b', 'c']}
    """
    out: dict[str, list[str]] = {}
    for source_id in sorted(source_ids):
        out.setdefault(batch_of(source_id, batches), []).append(source_id)
    return dict(sorted(out.items()))


def cli(argv: list[str] | None = None) -> None:
    """Print the batch of each source id given (what `extract_figures` job reads it)."""
    import argparse

    parser = argparse.ArgumentParser(description="Print the extraction batch of each source id.")
    parser.add_argument("--batches", type=int, default=DEFAULT_BATCHES,
                        help=f"the config's `batches` setting (default {DEFAULT_BATCHES})")
    parser.add_argument("ids", nargs="+", metavar="ID", help="source ids (a file's name, without its extension)")
    args = parser.parse_args(argv)
    if args.batches < 1:
        parser.error(f"--batches must be at least 1, not {args.batches}")
    for source_id in args.ids:
        print(f"{source_id}\t{batch_of(source_id, args.batches)}")


if __name__ == "__main__":
    cli()
