#!/usr/bin/env python3
"""The extraction job (normalize + extract, scripts/extract_source.py) on one source, this checkout
against another revision, measured side by side in one run (runs interleaved, so both see the
same machine load).

usage: .venv/bin/python bench/per_source.py [--base REV] [--runs 15] [--source data/sources/x.txt]

The base revision is checked out into a temporary git worktree (removed afterwards) and run with this
checkout's interpreter. Prints wall time min and median of each, their ratio, and peak RSS.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "data/sources/chongqing-pilot-first-anniversary"


def command(tree: Path, out: Path, source: str) -> list[str]:
    """The extraction job on one source in ``tree``: a batch of one (``--batch``), or, for a revision
    from before batches, the per-source command it had."""
    stem = Path(source).stem
    meta = Path(source).with_suffix(".yaml")
    metas = [str(tree / meta)] if (tree / meta).exists() else []
    script = tree / "scripts/extract_source.py"
    if "--batch" in script.read_text(encoding="utf-8"):
        batch = [{"id": stem, "text": str(tree / source), "meta": metas[0] if metas else "", "fetched": "", "entry": ""}]
        return [sys.executable, str(script), "--batch", json.dumps(batch), "--catalog", str(tree / "config/metrics.yaml"),
                "--normalized", str(out / f"{stem}.json"), "--figures", str(out / f"{stem}.csv"),
                "--sources", str(out / "sources.json"), "--log", str(out / "x.log")]
    return [sys.executable, str(script), "--source", stem, "--text", str(tree / source), "--meta", *metas,
            "--catalog", str(tree / "config/metrics.yaml"), "--normalized", str(out / f"{stem}.json"),
            "--figures", str(out / f"{stem}.csv"), "--normalize-log", str(out / "n.log"),
            "--extract-log", str(out / "e.log")]


def one_run(cmd: list[str]) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD~1", help="revision to compare with (default HEAD~1)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--source", default=SEED + ".txt", help="source file, relative to the project")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            out = {"this": Path(tmp) / "out-this", "base": Path(tmp) / "out-base"}
            for folder in out.values():
                folder.mkdir()
            cmds = {"this": command(ROOT, out["this"], args.source), "base": command(base, out["base"], args.source)}
            times: dict[str, list[float]] = {"this": [], "base": []}
            for name in ("this", "base"):  # warm the file cache once each
                one_run(cmds[name])
            for _ in range(args.runs):
                for name in ("this", "base"):
                    times[name].append(one_run(cmds[name])[0])
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"per-source job on {args.source}, {args.runs} interleaved runs each, this checkout vs {args.base}")
    for name in ("this", "base"):
        print(f"  {name:5} min {min(times[name]):.3f} s  median {statistics.median(times[name]):.3f} s")
    print(f"  ratio this/base: min {min(times['this']) / min(times['base']):.2f}, "
          f"median {statistics.median(times['this']) / statistics.median(times['base']):.2f}")
    print(f"  peak RSS of any run: {rss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
