"""The briefing read back from the PDF: content in both languages, provenance, archival
structure, attachments, determinism, the Chinese script setting and hostile source text."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BRIEFING, OUT, PERIOD, briefing_strings, copy_workflow, run_snakemake
from pipeline_io import read_yaml
from test_workflow import PDF, SEED, pdf_fonts, pdf_text

pytestmark = pytest.mark.workflow
ROOT = Path(__file__).resolve().parents[1]
# The shared catalogs with the briefing's programme strings laid over them, as the templates see them.
_STRINGS = briefing_strings()
EN, ZH = _STRINGS["en"], _STRINGS["zh"]
CATALOG = read_yaml(ROOT / "config/metrics.yaml")["metrics"]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def text(built_workflow):
    return pdf_text(built_workflow / PDF)


def test_every_section_heading_in_both_languages(text):
    for key in EN["sections"]:
        assert squeeze(EN["sections"][key]) in squeeze(text), key
        assert squeeze(ZH["sections"][key]) in squeeze(text), key


def test_key_figures_read_naturally_in_both_languages(text):
    flat = squeeze(text)
    for needle in ("morethan40", "40餘項", "356個", "55個", "80.2%", "60餘項", "37個", "April2021", "2021年4月",
                   "3years", "3年"):
        assert needle in flat, needle
    for entry in CATALOG.values():
        assert squeeze(entry["label"]["en"]) in flat and squeeze(entry["label"]["zh"]) in flat, entry["label"]


def test_provenance_quotes_the_source_sentences_with_lines(text):
    flat = squeeze(text)
    assert f"{SEED}:en:6" in flat and f"{SEED}:zh:26" in flat
    assert squeeze("69 have been carried out, accounting for 80.2%") in flat
    assert "已實施69項,實施率80.2%" in flat


def test_contents_page_numbers_and_running_footer(built_workflow, text):
    reader = PdfReader(built_workflow / PDF)
    pages = len(reader.pages)
    assert 6 <= pages <= 14
    assert f"Page 2 of {pages}" in text
    assert squeeze(f"第 2 頁，共 {pages} 頁") in squeeze(text)
    contents = pdf_text(built_workflow / PDF, 2, 2)
    lines = [line for line in contents.splitlines() if "...." in line]
    assert len(lines) == len(EN["sections"]), contents
    numbers = [int(line.split()[-1]) for line in lines]
    assert numbers == sorted(numbers) and numbers[0] == 3 and numbers[-1] <= pages, numbers


def test_archival_pdf_with_attachments_and_metadata(built_workflow):
    reader = PdfReader(built_workflow / PDF)
    assert sorted(reader.attachments) == ["checks.json", "commentary.json", "metrics.csv"]
    attached = reader.attachments["metrics.csv"][0].decode("utf-8")
    assert attached == (built_workflow / f"{OUT}/metrics.csv").read_text(encoding="utf-8")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp.replace('pdfaid:part="3"', "<pdfaid:part>3</pdfaid:part>")
    info = reader.metadata
    # The author is the briefing's publisher (its programme file), not the source's author.
    assert info.title.startswith(EN["briefing"]["title"]) and info.author == EN["briefing"]["publisher"]
    assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged PDF"
    assert str(info.get("/CreationDate", "")).startswith(f"D:{PERIOD.replace('-', '')}01")


def test_rebuild_in_a_fresh_copy_is_byte_identical(built_workflow, tmp_path):
    work = copy_workflow(tmp_path / "again")
    run_snakemake(work, "--config", f"period={PERIOD}")
    for rel in (PDF, PDF.replace(".pdf", ".html"), f"{OUT}/plots/{PERIOD}/progress.svg",
                f"{OUT}/plots/{PERIOD}/phases.svg", f"{OUT}/plots/outputs.svg", f"{OUT}/metrics.csv"):
        assert (work / rel).read_bytes() == (built_workflow / rel).read_bytes(), rel


def test_simplified_script_setting(tmp_path):
    work = copy_workflow(tmp_path / "hans")
    run_snakemake(work, "--config", f"period={PERIOD}", "zh_script=hans")
    flat = squeeze(pdf_text(work / PDF))
    assert "重庆服务业扩大开放综合试点" in flat and "主要数据" in flat, "strings converted to Simplified"
    assert "已實施69項" in flat, "quoted source sentences stay as written"
    assert any("CJK-SC" in name or "CJKsc" in name or "SC" in name for name in pdf_fonts(work / PDF))
    html = (work / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in html


def test_hostile_source_text_is_printed_not_fetched(tmp_path):
    work = copy_workflow(tmp_path / "hostile")
    source = work / f"data/sources/{SEED}.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(
        "69 have been carried out, accounting for 80.2%",
        '69 have been carried out <img src="file:///etc/passwd"> http://example.org/x.png, accounting for 80.2%'),
        encoding="utf-8")
    run_snakemake(work, "--config", f"period={PERIOD}")
    flat = squeeze(pdf_text(work / PDF))
    assert squeeze('<img src="file:///etc/passwd">') in flat
    assert "root:x:0" not in flat
    log = (work / f"logs/{BRIEFING}/render_briefing/{PERIOD}.log").read_text(encoding="utf-8")
    assert "refused" not in log or "passwd" not in log, "nothing was even attempted: it is text"


def test_changes_since_the_last_archived_briefing(tmp_path):
    work = copy_workflow(tmp_path / "changes")
    run_snakemake(work, "archive", "--config", "period=2026-10")
    html_path = work / PDF.replace(".pdf", ".html")
    run_snakemake(work, "--config", f"period={PERIOD}")
    html = html_path.read_text(encoding="utf-8")
    assert EN["changes"]["unchanged"].format(period="2026-10") in html, "same figures: said so"

    # A newer source moves tasks_done on: the next briefing lists it against the archived one.
    (work / "data/sources/second-year.txt").write_text(
        "Second year\n"
        "Among the 86 tasks of the Overall Plan approved by the State Council, 75 have been carried out, "
        "accounting for 87.2%.\n"
        "國務院批復的試點總體方案86項任務已實施75項,實施率87.2%。\n", encoding="utf-8")
    (work / "data/sources/second-year.yaml").write_text(
        "title: {en: Second year, zh: 第二年}\ndate: 2023-05-17\nlanguages: [en, zh-Hant]\n", encoding="utf-8")
    run_snakemake(work, "--config", f"period={PERIOD}")
    html = html_path.read_text(encoding="utf-8")
    section = html.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert EN["changes"]["intro"].format(period="2026-10") in section
    assert ">69<" in section and ">75<" in section and "已實施任務數" in section
