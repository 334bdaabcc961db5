#!/usr/bin/env python3
"""The floor for the cold build: one Python process that imports what it needs and does the same
normalize, extract, reconcile, charts, commentary and render work with the project's own functions, writing
into a scratch folder. No Snakemake, no per-job process start-up, nothing cached between runs.

usage: bench/floor.py PROJECT_DIR OUT_DIR [--period 2026-11]
Prints the seconds spent in each stage (imports included in the first stage that needs them).
"""

import argparse
import sys
import time
from pathlib import Path


def build(project: Path, out: Path, period: str) -> dict[str, float]:
    sys.path.insert(0, str(project / "scripts"))
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - t
        t = now

    import extract_figures
    import normalize
    import pipeline_io
    import reconcile

    catalog_path = project / "config/metrics.yaml"
    catalog = extract_figures.load_catalog(catalog_path)
    sources = sorted((project / "data/sources").glob("*.txt"))
    docs, figures = [], []
    lap("imports (light)")
    for path in sources:
        meta_path = path.with_suffix(".yaml")
        meta = pipeline_io.read_yaml(meta_path) if meta_path.exists() else None
        doc = normalize.normalize_source(path.read_bytes(), path.stem, f"data/sources/{path.name}", meta)
        docs.append(doc)
        lap("normalize")
        figures.extend(extract_figures.extract_figures(doc, catalog))
        lap("extract_figures")
    metrics, checks = reconcile.reconcile(figures, docs, pipeline_io.read_yaml(catalog_path), {})
    if reconcile.blocking(checks):
        raise SystemExit(reconcile.format_blocking(reconcile.blocking(checks), "data/resolutions.yaml"))
    out.mkdir(parents=True, exist_ok=True)
    pipeline_io.atomic_write_text(out / "metrics.csv", reconcile.metrics_csv(metrics))
    pipeline_io.write_json(out / "checks.json", checks)
    lap("reconcile")

    import chart_style
    import plot_outputs
    import plot_phases
    import plot_progress

    lap("imports (matplotlib)")
    strings_paths = [project / "templates/i18n/en.yaml", project / "templates/i18n/zh.yaml"]
    programme = project / "config/programmes/chongqing-services.yaml"
    strings = pipeline_io.load_strings(strings_paths, "hant", programme)
    rows = chart_style.read_metrics_file(out / "metrics.csv")
    import catalog as catalog_module
    import programme as programme_module

    catalog = catalog_module.load(catalog_path)
    plan = programme_module.load(programme)
    facts = chart_style.facts(catalog, plan, "hant")
    charts = {}
    for name, fig in (
        ("progress", plot_progress.draw_progress(plot_progress.progress_from_metrics(rows, strings, facts), period,
                                                 strings, facts)),
        ("phases", plot_phases.draw_phases(plot_phases.plan_from_metrics(rows, strings, facts), period, strings,
                                           facts)),
        ("outputs", plot_outputs.draw_outputs(plot_outputs.outputs_from_metrics(rows, catalog, strings), strings)),
    ):
        chart_style.save(fig, out / f"{name}.svg", out / f"{name}.png")
        charts[name] = out / f"{name}.svg"
    lap("charts")

    import commentary as commentary_module

    res_path = project / "data/resolutions.yaml"
    resolutions = reconcile.parse_resolutions(pipeline_io.read_yaml(res_path), str(res_path)) if res_path.exists() else {}

    period_files = {lang: project / f"data/commentary/chongqing-services/{period}.{lang}.md" for lang in ("en", "zh")}
    values = commentary_module.Values(
        cat=catalog, metrics=pipeline_io.csv_rows((out / "metrics.csv").read_text(encoding="utf-8")), period=period,
        strings=pipeline_io.load_strings(strings_paths), script="hant", previous=None)
    checked = commentary_module.check_commentary(
        {lang: str(path) for lang, path in period_files.items()},
        {lang: path.read_bytes() for lang, path in period_files.items() if path.exists()}, values,
        briefing="chongqing-services", resolutions=resolutions, resolutions_path="data/resolutions.yaml",
        logger=__import__("logging").getLogger("floor"))
    lap("commentary")

    import render_html
    import render_pdf

    lap("imports (jinja2, weasyprint)")
    context = render_html.build_context(
        period=period, metrics=metrics, checks=checks, figures=figures, normalized=docs,
        catalog=catalog, strings=pipeline_io.load_strings(strings_paths, programme=programme), programme=plan,
        charts={k: render_html.data_uri(v.read_bytes(), "image/svg+xml") for k, v in charts.items()},
        inputs={d["path"]: d["sha256"] for d in docs}, version="floor", script="hant",
        settings={"period": period}, commentary=checked)
    context["stylesheet_css"] = (project / "templates/briefing.css").read_text(encoding="utf-8")
    context["screen_css"] = (project / "templates/screen.css").read_text(encoding="utf-8")
    html = render_html.render(project / "templates", context)
    html_path = out / f"briefing-{period}.html"
    pipeline_io.atomic_write_text(html_path, html)
    lap("render_html")
    render_pdf.check_glyphs(html, ["Noto Sans CJK TC", *render_pdf.FALLBACK_FONTS], str(html_path))
    pdf = render_pdf.render_pdf(html_path, [out], attachments=[out / "metrics.csv", out / "checks.json"],
                                period=period)
    pipeline_io.atomic_write_bytes(out / f"briefing-{period}.pdf", pdf)
    lap("render_pdf")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--period", default="2026-11")
    args = parser.parse_args()
    start = time.perf_counter()
    timings = build(args.project.resolve(), args.out.resolve(), args.period)
    for name, seconds in timings.items():
        print(f"{name:28s} {seconds:7.2f} s")
    print(f"{'total (in process)':28s} {time.perf_counter() - start:7.2f} s")


if __name__ == "__main__":
    main()
