#!/usr/bin/env python3
"""Benchmarks of the moments users feel, each measured side by side with its floor in one run.

  1. cold build of the seed briefing            vs  bench/floor.py (one process, same work)
  2. no-op rerun                                vs  snakemake --version   (also at N sources)
  3. template-only edit                         vs  no-op + bare WeasyPrint render of that HTML
  4. one new source added to N existing ones    (time, and the jobs that ran)
  5. cold build at N sources                    (time per source, and where it goes)

Synthetic sources come from bench/generate_sources.py (never committed). Everything runs in a
scratch copy of the workflow; nothing in the project folder is touched.

usage: .venv/bin/python bench/run_benchmarks.py [--sizes 10 100] [--repeat 3] [--period 2026-11]
Prints a Markdown report (paste into bench/RESULTS.md with the command line).
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from workflow_config import briefing_path, job_counts  # noqa: E402

BRIEFING = "chongqing-services"  # the first briefing config/config.yaml lists: the one measured
PARTS = ["Snakefile", "rules", "scripts", "templates", "config", "data", "profiles", "report", "pyproject.toml",
         "environment.yml"]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake")


def copy_workflow(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    # Measure the seed briefing alone (the floor builds it alone): the shipped config also lists a
    # second programme, which would double the work of every measured build.
    import yaml

    config_path = dest / "config/config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["briefings"] = {BRIEFING: config["briefings"][BRIEFING]}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def snakemake(work: Path, period: str, *extra: str) -> tuple[float, str]:
    return timed([SNAKEMAKE, "--cores", "2", *extra, "--config", f"period={period}"], work)


def median(values: list[float]) -> float:
    return statistics.median(values)


def rule_seconds(work: Path) -> dict[str, float]:
    """Sum of per-job wall seconds by rule, from the benchmark: files."""
    out: dict[str, float] = {}
    for tsv in (work / "benchmarks").rglob("*.tsv"):
        with open(tsv) as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        if rows:
            out[tsv.parent.name] = out.get(tsv.parent.name, 0.0) + float(rows[-1]["s"])
    return out


def add_sources(work: Path, n: int, prefix: str = "synthetic") -> None:
    subprocess.run([sys.executable, str(ROOT / "bench/generate_sources.py"), str(n), str(work / "data/sources"),
                    "--prefix", prefix], check=True, capture_output=True)


def bench_seed(tmp: Path, period: str, repeat: int) -> list[str]:
    lines = ["## Seed briefing (1 source)", ""]
    cold, floor = [], []
    for i in range(repeat):
        work = copy_workflow(tmp / f"cold-{i}")
        cold.append(snakemake(work, period)[0])
        floor.append(timed([sys.executable, str(ROOT / "bench/floor.py"), str(work), str(tmp / f"floor-{i}"),
                            "--period", period], ROOT)[0])
    lines += [f"1. cold build: pipeline {median(cold):.2f} s, floor {median(floor):.2f} s, "
              f"ratio **{median(cold) / median(floor):.2f}x** (target <= 1.5x)"]

    noop = [snakemake(work, period)[0] for _ in range(repeat)]
    version = [timed([SNAKEMAKE, "--version"], work)[0] for _ in range(repeat)]
    lines += [f"2. no-op rerun: {median(noop):.2f} s vs `snakemake --version` {median(version):.2f} s, "
              f"ratio **{median(noop) / median(version):.2f}x** (target <= 1.5x)"]

    edit, bare, ran = [], [], {}
    partial = work / "templates/partials/colophon.html.j2"
    html = work / briefing_path(BRIEFING, period, "html")
    render = ("import sys; sys.path.insert(0, 'scripts'); from weasyprint import HTML; "
              f"HTML(filename='{html}').write_pdf('{tmp}/bare.pdf', pdf_variant='pdf/a-3b', pdf_tags=True)")
    for i in range(repeat):
        partial.write_text(partial.read_text(encoding="utf-8") + f"<!-- edit {i} -->\n", encoding="utf-8")
        seconds, output = snakemake(work, period)
        edit.append(seconds)
        ran = job_counts(output)
        bare.append(timed([sys.executable, "-c", render], work)[0])
    floor3 = median(noop) + median(bare)
    lines += [f"3. template-only edit: rebuild {median(edit):.2f} s vs no-op {median(noop):.2f} s + bare WeasyPrint "
              f"render {median(bare):.2f} s = {floor3:.2f} s, ratio **{median(edit) / floor3:.2f}x** (target <= 1.3x); "
              f"jobs: {ran}"]
    pdf = work / briefing_path(BRIEFING, period, "pdf")
    bench = rule_seconds(work)
    with open(work / f"benchmarks/{BRIEFING}/render_briefing/{period}.tsv") as handle:
        rss = float(list(csv.DictReader(handle, delimiter="\t"))[-1]["max_rss"])
    lines += [f"- PDF size {pdf.stat().st_size / 1024:.0f} KB (target < 1024 KB); render_briefing peak RSS {rss:.0f} MB; "
              f"per-rule job seconds (benchmark: files): "
              + ", ".join(f"{k} {v:.2f}" for k, v in sorted(bench.items()))]
    return lines + [""], median(noop)


def bench_size(tmp: Path, period: str, n: int) -> tuple[list[str], dict]:
    work = copy_workflow(tmp / f"n{n}")
    add_sources(work, n - 1)  # plus the seed
    cold, _ = snakemake(work, period)
    noop, _ = snakemake(work, period)
    add_sources(work, 1, prefix="added")
    new, output = snakemake(work, period)
    row = {"n": n, "cold": cold, "per_source": cold / n, "noop": noop, "new": new, "jobs": job_counts(output),
           "bench": rule_seconds(work)}
    shutil.rmtree(work)
    return [], row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--skip-seed", action="store_true", help="only the many-sources part")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        print(f"# Benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]})\n")
        seed_noop = None
        if not args.skip_seed:
            lines, seed_noop = bench_seed(tmp, args.period, args.repeat)
            print("\n".join(lines))
        rows = [bench_size(tmp, args.period, n)[1] for n in args.sizes]
        if rows:
            print("## Many sources\n")
            print("| N | cold build | per source | no-op | no-op / seed no-op (target <= 2x at 1,000) | "
                  "one new source | jobs run | combined-step job seconds |")
            print("|---|---|---|---|---|---|---|---|")
            for r in rows:
                ratio = f"{r['noop'] / seed_noop:.2f}x" if seed_noop else "(seed skipped)"
                combined = ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["bench"].items()))
                print(f"| {r['n']} | {r['cold']:.1f} s | {r['per_source']:.2f} s | {r['noop']:.2f} s | {ratio} | "
                      f"{r['new']:.1f} s | {r['jobs']} | {combined} |")
            first = rows[0]
            for a, b in zip(rows, rows[1:]):
                marginal = (b["cold"] - a["cold"]) / (b["n"] - a["n"])
                print(f"\n- marginal cold-build cost per source between N={a['n']} and N={b['n']}: {marginal:.2f} s "
                      "(one extract_figures job per source, 2 cores)")
            for r in rows[1:]:
                print(f"\n- one new source at N={r['n']} vs N={first['n']}: **{r['new'] / first['new']:.2f}x** "
                      f"(target <= 2x at N=1000)")
                print(f"- no-op at N={r['n']} vs N={first['n']}: **{r['noop'] / first['noop']:.2f}x**")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
