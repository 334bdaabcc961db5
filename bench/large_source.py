#!/usr/bin/env python3
"""Time and memory of the extraction job on one large text source (a batch of one) (issue 12, item 6).

For each size, writes the seed (data/sources/, English and Chinese, 41 lines, ~15.6 KB) repeated
to that many MB of UTF-8 in a temporary folder, then runs the per-source job as the
``extract_figures`` rule does (``scripts/extract_source.py`` in a fresh process: normalize, then
extract) and reports:

* wall time, in total and for the normalize half (until its log line "N lines, N changes");
* peak resident memory: of the whole job (the kernel's ``ru_maxrss`` for the child), and of each
  half (sampled every 0.1 s from ``/proc``), with the ratio of the job's peak to the text's size;
* the size of the intermediate files (normalized JSON, figures CSV).

The default ``max_source_mb`` (20) refuses such a source in a build; raise it to build one.

usage: bench/large_source.py [--mb 10 50] [--keep DIR]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data/sources/chongqing-pilot-first-anniversary.txt"
CATALOG = ROOT / "config/metrics.yaml"


def write_source(path: Path, mb: float) -> int:
    seed = SEED.read_bytes()
    copies = max(1, round(mb * 1_000_000 / len(seed)))
    with open(path, "wb") as handle:
        for _ in range(copies):
            handle.write(seed)
    return path.stat().st_size


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS"))
    except (OSError, StopIteration):
        return 0


def normalized_logged(log: Path) -> bool:
    """Whether the job has logged the end of normalizing (the line with "N lines, N changes")."""
    try:
        return " changes, " in log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def run(mb: float, folder: Path) -> dict:
    source = folder / f"large-{mb:g}mb.txt"
    size = write_source(source, mb)
    normalized, figures, summaries = folder / "normalized.json", folder / "figures.csv", folder / "sources.json"
    log = folder / "extract.log"
    batch = [{"id": "large", "text": str(source), "meta": "", "fetched": "", "entry": ""}]
    command = [sys.executable, str(ROOT / "scripts/extract_source.py"), "--batch", json.dumps(batch),
               "--catalog", str(CATALOG), "--normalized", str(normalized), "--figures", str(figures),
               "--sources", str(summaries), "--log", str(log)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    job = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = {"normalize": 0, "extract": 0}
    normalize_seconds = None
    while job.poll() is None:
        half = "extract" if normalized_logged(log) else "normalize"
        if half == "extract" and normalize_seconds is None:
            normalize_seconds = time.perf_counter() - start
        peaks[half] = max(peaks[half], rss_kb(job.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if job.returncode:
        raise SystemExit(f"the job failed ({job.returncode}); see {log}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise SystemExit("ru_maxrss did not rise: run each size in a fresh process (--mb one size at a time)")
    result = {"mb": size / 1e6, "seconds": seconds, "normalize_seconds": normalize_seconds or seconds,
              "peak_mb": peak / 1024, "normalize_mb": peaks["normalize"] / 1024, "extract_mb": peaks["extract"] / 1024,
              "json_mb": normalized.stat().st_size / 1e6, "csv_mb": figures.stat().st_size / 1e6}
    for path in (source, normalized, figures, summaries, log):
        path.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[10, 50], help="source sizes in MB, smallest first")
    parser.add_argument("--keep", type=Path, help="work in this folder (default: a temporary one)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="large-source-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {sys.executable}; the seed repeated")
    print("| text MB | job s | s per MB | normalize s | job peak RSS MB | peak / text | normalize peak MB "
          "| extract peak MB | normalized JSON MB | figures CSV MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mb in sorted(args.mb):
        r = run(mb, folder)
        print(f"| {r['mb']:.1f} | {r['seconds']:.0f} | {r['seconds'] / r['mb']:.2f} | {r['normalize_seconds']:.0f} | "
              f"{r['peak_mb']:.0f} | {r['peak_mb'] * 1024 * 1024 / (r['mb'] * 1e6):.1f}x | {r['normalize_mb']:.0f} | "
              f"{r['extract_mb']:.0f} | {r['json_mb']:.0f} | {r['csv_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
