"""End-to-end: Snakemake on a temporary copy of the workflow, the PDF read back, and the rebuild
contract read from Snakemake's dry-run job table."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import (BRIEFING, OUT, PDF, PERIOD, copy_workflow, extraction_log, figures_file, normalized_file,
                      planned_jobs, run_snakemake)

pytestmark = pytest.mark.workflow
SEED = "chongqing-pilot-first-anniversary"


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text as poppler's pdftotext reads it (installed by `make setup`; pypdf loses
    lines on pages with leaders). Pages are 1-based and inclusive."""
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Base font name -> whether the font program is embedded, over all pages."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = (target.get("/FontDescriptor") or {})
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def test_pdf_reads_back_in_both_languages(built_workflow):
    text = pdf_text(built_workflow / PDF)
    compact = "".join(text.split())
    for needle in ("86", "69", "80.2", "356", "55"):
        assert needle in text, needle
    # English and Chinese headline words from the string catalogs and the catalog labels.
    assert "Key figures" in text
    assert "主要數據" in compact
    assert "重慶服務業擴大開放綜合試點" in compact
    # Qualifiers rendered in both languages.
    assert "more than 40" in text
    assert "40餘" in compact


def test_pdf_embeds_a_cjk_font(built_workflow):
    fonts = pdf_fonts(built_workflow / PDF)
    assert fonts, "no fonts found in the PDF"
    assert all(fonts.values()), f"fonts not embedded: {[f for f, e in fonts.items() if not e]}"
    assert any("CJK" in name for name in fonts), fonts


def test_outputs_follow_the_contracts(built_workflow):
    from contracts import FIGURE_COLUMNS, METRIC_COLUMNS

    metrics = (built_workflow / f"{OUT}/metrics.csv").read_text(encoding="utf-8").splitlines()
    assert metrics[0] == ",".join(METRIC_COLUMNS) and metrics[0].startswith("metric,date,value,qualifier,unit")
    figures = (built_workflow / figures_file(SEED)).read_text(encoding="utf-8").splitlines()
    assert figures[0] == ",".join(FIGURE_COLUMNS)
    assert {"source", "lang", "metric", "value", "line", "loc", "claim", "candidate", "flags", "evidence"} <= set(
        figures[0].split(","))
    assert (built_workflow / PDF.replace(".pdf", ".html")).exists()
    for rule in ("extract_figures", "reconcile", "plot_progress_phases", "plot_outputs", "check_commentary",
                 "render_briefing"):
        assert list((built_workflow / "logs" / BRIEFING / rule).iterdir()), f"no log for {rule}"


def test_nothing_to_do_after_a_build(built_copy):
    assert planned_jobs(built_copy, "--config", f"period={PERIOD}") == {}


def test_editing_a_partial_reruns_only_rendering(built_copy):
    partial = built_copy / "templates/partials/colophon.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    assert planned_jobs(built_copy, "--config", f"period={PERIOD}") == {"render_briefing": 1, "all": 1}


def test_editing_the_stylesheet_reruns_only_rendering(built_copy):
    css = built_copy / "templates/briefing.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert planned_jobs(built_copy, "--config", f"period={PERIOD}") == {"render_briefing": 1, "all": 1}


def test_the_html_stands_alone(built_workflow):
    html = (built_workflow / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    assert 'src="data:image/svg+xml;base64,' in html and "<style>" in html
    assert 'href="../' not in html and 'src="../' not in html


def test_a_new_source_reruns_its_own_jobs_and_the_combined_steps(built_copy):
    sources = built_copy / "data/sources"
    text = (sources / f"{SEED}.txt").read_text(encoding="utf-8")
    (sources / "second-source.txt").write_text(text.replace("356", "357"), encoding="utf-8")
    jobs = planned_jobs(built_copy, "--config", f"period={PERIOD}")
    assert jobs == {
        "batch_manifest": 1, "extract_figures": 1, "reconcile": 1,
        "plot_progress_phases": 1, "plot_outputs": 1, "check_commentary": 1, "render_briefing": 1, "all": 1,
    }


def test_a_new_period_reruns_only_what_shows_the_period(built_copy):
    jobs = planned_jobs(built_copy, "--config", "period=2026-12")
    assert jobs == {"plot_progress_phases": 1, "check_commentary": 1, "render_briefing": 1, "all": 1}


@pytest.mark.parametrize(
    "setting, expected",
    [
        ("period=2026-13", ["'period'", "'2026-13'", "YYYY-MM"]),
        ("period=November", ["'period'", "'November'", "YYYY-MM"]),
        ("colour=blue", ["unknown config key 'colour'", "'blue'", "allowed keys", "period"]),
    ],
    ids=["month-13", "not-a-month", "unknown-key"],
)
def test_bad_config_stops_before_any_job(tmp_path, setting, expected):
    work = copy_workflow(tmp_path / "wf")
    proc = run_snakemake(work, "--config", setting, check=False)
    assert proc.returncode != 0
    message = proc.stdout + proc.stderr
    for needle in expected:
        assert needle in message, (needle, message)
    assert not (work / "results").exists(), "a job ran despite the bad config"


def test_lint_is_clean(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    proc = run_snakemake(work, "--lint", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Lints for" not in proc.stdout + proc.stderr


def test_a_source_without_metadata_builds_with_a_warning(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    (work / f"data/sources/{SEED}.yaml").unlink()
    proc = run_snakemake(work, normalized_file(SEED), "--config", f"period={PERIOD}", check=False)
    assert proc.returncode == 0, proc.stderr
    log = (work / extraction_log(SEED)).read_text(encoding="utf-8")
    assert "metadata" in log.lower() and f"{SEED}" in log


def test_a_source_file_name_with_spaces_and_capitals_gets_an_id(tmp_path):
    # Before issue 12 such a name was refused; now the id is derived from it (source_files.source_id).
    work = copy_workflow(tmp_path / "wf")
    shutil.copy(work / f"data/sources/{SEED}.txt", work / "data/sources/Bad Name.TXT")
    proc = run_snakemake(work, "--dry-run", figures_file("bad-name"))
    assert "data/sources/Bad Name.TXT" in proc.stdout + proc.stderr
