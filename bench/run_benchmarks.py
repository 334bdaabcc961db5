#!/usr/bin/env python3
"""Benchmarks of the moments users feel, each measured side by side with its floor in one run.

  1. cold build of the seed briefing            vs  bench/floor.py (one process, same work)
  2. no-op rerun                                vs  snakemake --version   (also at N sources)
  3. template-only edit                         vs  no-op + bare WeasyPrint render of that HTML
  4. one new source added to N existing ones    (time, and the jobs that ran)
  5. cold build at N sources                    vs  bench/floor.py at the same N
  6. a catalog edit at N sources                vs  the floor's extraction and combined steps at N
     (and the peak RSS of any job against the floor's, for N = 10,000 too)

Synthetic sources come from bench/generate_sources.py (never committed). Everything runs in a
scratch copy of the workflow; nothing in the project folder is touched.

usage: .venv/bin/python bench/run_benchmarks.py [--sizes 10 100] [--repeat 3] [--period 2026-11] [--batches B]
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
BATCHES = None  # --batches: the `batches` setting of the measured copies (default: the shipped one)


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
    if BATCHES:
        config["batches"] = BATCHES
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


def floor_at(work: Path, out: Path, period: str) -> tuple[float, dict[str, float], float]:
    """bench/floor.py on the same sources: (wall seconds, seconds by stage, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, str(ROOT / "bench/floor.py"), str(work),
                           str(out), "--period", period], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"floor failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    stages = {}
    for line in proc.stdout.splitlines():
        name, _, seconds = line.rpartition(" ")
        if seconds == "s":
            name, _, seconds = name.rstrip().rpartition(" ")
        try:
            stages[name.strip()] = float(seconds)
        except ValueError:
            continue
    rss = float(proc.stderr.strip().splitlines()[-1]) / 1024 if proc.stderr.strip() else 0.0
    return wall, stages, rss


def edit_catalog(work: Path) -> None:
    """A catalog edit a user makes: one more noun for a metric (every source's extraction depends on it)."""
    path = work / "config/metrics.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("zh: [項目, 服務業項目, 重點項目]", "zh: [項目, 服務業項目, 重點項目, 服務項目]", 1),
                    encoding="utf-8")


def peak_rss_mb(work: Path) -> float:
    """The largest max_rss of any job (benchmark: files)."""
    peak = 0.0
    for tsv in (work / "benchmarks").rglob("*.tsv"):
        with open(tsv) as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        if rows and rows[-1].get("max_rss") not in (None, "", "-"):
            peak = max(peak, float(rows[-1]["max_rss"]))
    return peak


def bench_size(tmp: Path, period: str, n: int, catalog_edit: bool = True) -> tuple[list[str], dict]:
    work = copy_workflow(tmp / f"n{n}")
    add_sources(work, n - 1)  # plus the seed
    floor, stages, floor_rss = floor_at(work, tmp / f"floor-n{n}", period)
    cold, _ = snakemake(work, period)
    rss = peak_rss_mb(work)
    noop, _ = snakemake(work, period)
    edit = None
    if catalog_edit:
        edit_catalog(work)
        edit, _ = snakemake(work, period)
    add_sources(work, 1, prefix="added")
    new, output = snakemake(work, period)
    extraction_floor = sum(v for k, v in stages.items() if k in ("extract_figures", "reconcile", "charts",
                                                                   "render_html", "render_pdf", "imports (matplotlib)",
                                                                   "imports (jinja2, weasyprint)"))
    row = {"n": n, "cold": cold, "per_source": cold / n, "noop": noop, "new": new, "jobs": job_counts(output),
           "bench": rule_seconds(work), "floor": floor, "edit": edit, "edit_floor": extraction_floor,
           "rss": rss, "floor_rss": floor_rss}
    shutil.rmtree(work)
    return [], row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--skip-seed", action="store_true", help="only the many-sources part")
    parser.add_argument("--batches", type=int, help="the `batches` setting to measure (default: config/config.yaml's)")
    args = parser.parse_args()
    global BATCHES
    BATCHES = args.batches
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        print(f"# Benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]}"
              + (f", batches: {BATCHES}" if BATCHES else "") + ")\n")
        seed_noop = None
        if not args.skip_seed:
            lines, seed_noop = bench_seed(tmp, args.period, args.repeat)
            print("\n".join(lines))
        rows = [bench_size(tmp, args.period, n, catalog_edit=n <= 1000)[1] for n in args.sizes]
        if rows:
            print("## Many sources\n")
            print("| N | cold build | floor (same N) | cold / floor (target <= 3x at 1,000) | catalog edit | "
                  "edit / floor's extraction + combined (target <= 3x) | no-op | no-op / seed no-op (target <= 1.5x) "
                  "| one new source | jobs run | peak RSS job / floor | job seconds by rule |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in rows:
                ratio = f"{r['noop'] / seed_noop:.2f}x" if seed_noop else "(seed skipped)"
                combined = ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["bench"].items()))
                edit = (f"{r['edit']:.1f} s | **{r['edit'] / r['edit_floor']:.2f}x** (floor {r['edit_floor']:.1f} s)"
                        if r["edit"] is not None else "- | -")
                print(f"| {r['n']} | {r['cold']:.1f} s | {r['floor']:.1f} s | **{r['cold'] / r['floor']:.2f}x** | "
                      f"{edit} | {r['noop']:.2f} s | {ratio} | {r['new']:.1f} s | {r['jobs']} | "
                      f"{r['rss']:.0f} MB / {r['floor_rss']:.0f} MB | {combined} |")
            first = rows[0]
            for a, b in zip(rows, rows[1:]):
                marginal = (b["cold"] - a["cold"]) / (b["n"] - a["n"])
                print(f"\n- marginal cold-build cost per source between N={a['n']} and N={b['n']}: {marginal:.3f} s "
                      "(2 cores)")
            for r in rows[1:]:
                print(f"\n- one new source at N={r['n']} vs N={first['n']}: **{r['new'] / first['new']:.2f}x** "
                      f"(target <= 1.5x at N=1000)")
                print(f"- no-op at N={r['n']} vs N={first['n']}: **{r['noop'] / first['noop']:.2f}x**")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
