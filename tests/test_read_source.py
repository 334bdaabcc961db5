"""Format readers (scripts/read_source.py): the seed as a saved web page with site chrome, printed
to PDF, and as a Word file gives the seed's own lines back, with where each came from; Markdown
loses its markup but keeps its line numbers; unreadable documents are errors naming the file."""

import re

import pytest

import normalize
import read_source
import sources_material as material
from pipeline_io import InputError


@pytest.fixture(scope="module")
def seed_lines():
    return material.seed_lines()


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    return material.write_seed_pdf(tmp_path_factory.mktemp("pdf") / "Seed printed.pdf").read_bytes()


# ---------------------------------------------------------------- html


def test_saved_page_keeps_every_article_line_and_drops_the_chrome(seed_lines):
    doc = read_source.read_html(material.seed_html().encode("utf-8"), "page.html")
    assert [line for line in seed_lines if line not in doc.lines] == [seed_lines[0]]  # the byline only
    assert set(doc.lines) <= set(seed_lines)
    chrome = material.MENU + material.RELATED_EN + material.RELATED_ZH + material.FOOTER + [material.SHARE]
    assert not any(piece in line for piece in chrome for line in doc.lines)


def test_saved_page_locs_are_paragraphs_of_the_article():
    doc = read_source.read_html(material.seed_html().encode("utf-8"), "page.html")
    assert doc.locs[:3] == ["p1", "p2", "p3"] and doc.numbers == list(range(1, len(doc.lines) + 1))
    assert len(set(doc.locs)) == len(doc.lines)


def test_page_metadata_is_read_without_guessing_from_the_text():
    doc = read_source.read_html(material.seed_html().encode("utf-8"), "page.html")
    assert doc.metadata == {
        "title": material.seed_lines()[1], "author": "Yang Yan", "date": "2022-05-17",
        "publisher": "Mountain City Daily Digest",
        "url": "https://news.example.org/2022/05/17/pilot-anniversary.html", "languages": ["en", "zh-Hant"]}
    bare = read_source.read_html(material.seed_html(meta=False).encode("utf-8"), "page.html")
    assert "date" not in bare.metadata and "author" not in bare.metadata  # "2022" in the footer is no date


TABLE_PAGE = """<html lang="zh-CN"><head><meta charset="gb2312"><title>進度表</title></head><body>
<nav><a href="/">首頁</a> <a href="/n">新聞 24</a></nav>
<article><h1>服務業擴大開放綜合試點進度</h1>
<p>截至五月，重慶已實施總體方案中的大部分任務，具體如下表所示，各區縣還在繼續推進其餘的任務。</p>
<table><tr><th>項目</th><th>數量</th></tr><tr><td>任務總數</td><td>86項</td></tr>
<tr><td>已實施</td><td>69項</td></tr></table>
<p>下一步將加快推動其餘任務的落實，並形成一批可複製可推廣的創新成果，服務全市高質量發展。</p>
</article><footer>版權所有 2022 熱線 023-6388 1234</footer></body></html>"""


def test_a_table_becomes_one_line_per_row_and_gb2312_reads_as_gb18030():
    raw = TABLE_PAGE.encode("gb18030")
    doc = read_source.read_html(raw, "table.html")
    rows = [(line, loc) for line, loc in zip(doc.lines, doc.locs) if loc.startswith("t")]
    assert rows == [("項目 | 數量", "t1r1"), ("任務總數 | 86項", "t1r2"), ("已實施 | 69項", "t1r3")]
    assert doc.encoding == "gb18030 (meta charset)"
    assert doc.metadata["languages"] == ["zh-Hans"]
    assert not any("023" in line for line in doc.lines)


@pytest.mark.parametrize("raw, needle", [
    (b"<html><head><meta charset='klingon-8'></head><body><p>x</p></body></html>", "klingon-8"),
    ("<html><head><meta charset='utf-8'></head><body><p>caf\xe9</p></body></html>".encode("latin-1"), "not valid utf-8"),
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no text found"),
], ids=["unknown-charset", "wrong-charset", "no-main-text"])
def test_unreadable_pages_are_errors_naming_the_file(raw, needle):
    with pytest.raises(InputError) as err:
        read_source.read_html(raw, "data/sources/Page.html")
    assert str(err.value).startswith("data/sources/Page.html") and needle in str(err.value)


def test_an_undeclared_latin1_page_is_not_read_as_chinese():
    raw = ("<html><body><article><p>Notes by Åsa Lindqvist on the Ärlanda agreement, see §Annex B. "
           "Åsa counted 86 tasks, of which 69 were done.</p></article></body></html>").encode("latin-1")
    with pytest.raises(InputError, match="not clearly Chinese"):
        read_source.read_html(raw, "a.html")
    doc = read_source.read_html(raw, "a.html", encoding="cp1252")
    assert "Åsa Lindqvist" in doc.lines[0]


@pytest.mark.parametrize("tags, expected", [
    (["en-GB"], ["en"]), (["zh-TW", "en"], ["en", "zh-Hant"]), (["zh", "zh-HK"], ["zh-Hant"]),
    (["fr", "de"], []), (["zh-Hans", "zh-Hant"], ["zh-Hant", "zh-Hans"]),
], ids=["en", "both", "script-wins", "unsupported", "both-scripts"])
def test_page_language_tags(tags, expected):
    assert read_source._ordered_tags(tags) == expected


# ---------------------------------------------------------------- pdf


def test_printed_page_gives_the_seed_paragraphs_back(seed_pdf, seed_lines):
    doc = read_source.read_pdf(seed_pdf, "Seed printed.pdf")
    assert sorted(doc.lines) == sorted(seed_lines)  # wrapped lines rejoined exactly, in both languages
    assert doc.encoding == "pdf text layer"


def test_printed_page_drops_running_heads_and_locates_paragraphs(seed_pdf, seed_lines):
    doc = read_source.read_pdf(seed_pdf, "Seed printed.pdf")
    assert not any("Mountain City" in line or re.search(r"Page \d+ of", line) for line in doc.lines)
    assert any("running head" in note and "Page # of #" in note for note in doc.notes)
    assert all(re.fullmatch(r"\d+:\d+", loc) for loc in doc.locs)
    pages = [int(loc.split(":")[0]) for loc in doc.locs]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 4
    assert doc.locs[0] == "1:1"  # the title, first line of page 1


def test_a_pdf_without_text_layer_says_ocr_is_needed(tmp_path):
    raw = material.write_scanned_pdf(tmp_path / "scan.pdf").read_bytes()
    with pytest.raises(InputError) as err:
        read_source.read_pdf(raw, "data/sources/Scan 2022.pdf")
    assert str(err.value).startswith("data/sources/Scan 2022.pdf")
    assert "no text layer" in str(err.value) and "OCR" in str(err.value) and "2 page(s)" in str(err.value)


@pytest.mark.parametrize("raw", [b"", b"%PDF-1.7\n garbage", b"<html>not a pdf</html>"], ids=["empty", "truncated", "html"])
def test_an_unreadable_pdf_names_the_file(raw):
    with pytest.raises(InputError, match=r"^data/sources/x.pdf: not a readable PDF"):
        read_source.read_pdf(raw, "data/sources/x.pdf")


@pytest.mark.parametrize("first, second, joined", [
    ("總體方案86", "項任務", "總體方案86項任務"),
    ("among the 86 tasks", "of the Overall Plan", "among the 86 tasks of the Overall Plan"),
    ("Chengdu-Chongqing Twin-", "Hub Mega-Region", "Chengdu-Chongqing Twin-Hub Mega-Region"),
    ("accounting for", "80.2%;", "accounting for 80.2%;"),
    ("實施率", "80.2%", "實施率80.2%"),
    ("the “Sci-Tech", "Cross-Border Loans”", "the “Sci-Tech Cross-Border Loans”"),
    ("重慶經驗”", "A Promising", "重慶經驗”A Promising"),
    ("the “Chongqing Experience”,", "“重慶經驗”", "the “Chongqing Experience”,“重慶經驗”"),
    ("(Chongqing)", "Science City", "(Chongqing) Science City"),
], ids=["zh-zh", "en-en", "hyphen", "number", "zh-number", "quote", "zh-then-en", "en-then-zh", "brackets"])
def test_wrapped_lines_are_joined_exactly(first, second, joined):
    assert read_source.join_wrapped(first, second) == joined


# ---------------------------------------------------------------- docx


def test_word_file_gives_every_line_with_paragraph_locs(tmp_path, seed_lines):
    import docx

    path = material.write_seed_docx(tmp_path / "Seed.docx")
    document = docx.Document(path)
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Metric", (0, 1): "Value", (1, 0): "Tasks carried out", (1, 1): "69"}.items():
        table.cell(r, c).text = text
    document.add_paragraph("")  # empty paragraphs are not counted
    document.save(path)
    doc = read_source.read_docx(path.read_bytes(), "Seed.docx")
    assert doc.lines[: len(seed_lines)] == seed_lines
    assert doc.locs[:2] == ["p1", "p2"] and doc.locs[-2:] == ["t1r1", "t1r2"]
    assert doc.lines[-1] == "Tasks carried out | 69"
    assert doc.metadata == {"title": seed_lines[1], "author": "Yang Yan"}


def test_an_old_doc_or_broken_docx_names_the_file():
    with pytest.raises(InputError, match=r"^x.docx: not a readable Word .docx file.*\.doc must be saved"):
        read_source.read_docx(b"\xd0\xcf\x11\xe0 old binary doc", "x.docx")


# ---------------------------------------------------------------- markdown


@pytest.mark.parametrize("line, text", [
    ("# The 86 tasks", "The 86 tasks"),
    ("## Progress ##", "Progress"),
    ("**69** have been carried out, *accounting* for 80.2%", "69 have been carried out, accounting for 80.2%"),
    ("See [the plan](https://example.org/plan-2021/86.pdf) and ![chart](img/356.png)", "See the plan and chart"),
    ("A [reference link][ref] here", "A reference link here"),
    ("[ref]: https://example.org/2021/04", ""),
    ("> more than 40 reforms", "more than 40 reforms"),
    ("- 55 supporting policies", "55 supporting policies"),
    ("1. First step", "1. First step"),
    ("| Tasks | 86 |", "| Tasks | 86 |"),
    ("|---|---:|", ""),
    ("---", ""),
    ("Use `snake_case` and 5 * 3 = 15", "Use snake_case and 5 * 3 = 15"),
    ("Costs rose 3\\% in Q\\_2", "Costs rose 3\\% in Q_2"),
    ("<span class='x'>356</span> projects <!-- draft -->", "356 projects "),
    ("總體方案**86項**任務", "總體方案86項任務"),
], ids=["h1", "closed-h2", "emphasis", "link-image", "reference-link", "reference-definition", "quote", "bullet",
        "ordered-kept", "table-row", "table-rule", "rule", "code-and-star", "escapes", "html", "chinese-strong"])
def test_markdown_line(line, text):
    assert read_source.markdown_line(line) == text.rstrip()


def test_markdown_keeps_line_numbers_and_reads_front_matter():
    raw = ("---\ntitle: Pilot notes\ndate: 2022-05-17\nlayout: post\n---\n# Notes\n\n"
           "Among the **86** tasks, 69 have been carried out.\n").encode("utf-8")
    doc = read_source.read_markdown(raw, "notes.md")
    assert doc.numbers == list(range(1, 9)) and doc.lines[5] == "Notes"
    assert doc.lines[7] == "Among the 86 tasks, 69 have been carried out."
    assert doc.lines[:5] == [""] * 5 and set(doc.locs) == {None}
    assert doc.metadata == {"title": "Pilot notes", "date": "2022-05-17"}


def test_markdown_through_normalize_keeps_the_files_line_numbers():
    raw = "# Title line\n\nAmong the **86** tasks of the Overall Plan, 69 have been carried out.\n".encode("utf-8")
    result = normalize.normalize_source(raw, "notes", "notes.md", None, fmt="md")
    assert [(e["line"], e["text"]) for e in result["lines"] if e["text"]] == [
        (1, "Title line"), (3, "Among the 86 tasks of the Overall Plan, 69 have been carried out.")]
    assert all("loc" not in e for e in result["lines"]) and result["format"] == "md"
