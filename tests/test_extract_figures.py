"""Tests for scripts/extract_figures.py and config/metrics.yaml.

Expectations are read off the seed text (data/sources/chongqing-pilot-first-anniversary.txt)
by hand, not copied from the code's output.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import extract_figures as ef  # noqa: E402
import pipeline_io  # noqa: E402

SEED = ROOT / "data" / "sources" / "chongqing-pilot-first-anniversary.txt"
CATALOG_PATH = ROOT / "config" / "metrics.yaml"
RUBY = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü\u00e0-\u01dc]+\)")
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- helpers
def seed_normalized(date: str | None = "2022-05-17") -> dict:
    """The seed as the normalizer would give it: ruby stripped, lang per line."""
    lines = []
    for number, text in enumerate(SEED.read_text(encoding="utf-8").splitlines(), 1):
        text = RUBY.sub("", text)
        lang = None if not text.strip() else ("zh" if CJK.search(text) else "en")
        lines.append({"line": number, "lang": lang, "text": text})
    return {
        "source": "chongqing-pilot-first-anniversary",
        "path": "data/sources/chongqing-pilot-first-anniversary.txt",
        "encoding": "utf-8",
        "metadata": {"date": date, "languages": ["en", "zh-Hant"]},
        "lines": lines,
        "segments": [], "changes": [], "flags": [], "warnings": [],
    }


def one_line(text: str, lang: str | None, date: str | None = "2022-05-17") -> dict:
    return {"source": "t", "path": "t.txt", "metadata": {"date": date}, "lines": [{"line": 7, "lang": lang, "text": text}]}


@pytest.fixture(scope="module")
def catalog():
    return ef.load_catalog(CATALOG_PATH)


@pytest.fixture(scope="module")
def seed_rows(catalog):
    return ef.extract_figures(seed_normalized(), catalog)


@pytest.fixture(scope="module")
def seed_lines():
    return {entry["line"]: entry["text"] for entry in seed_normalized()["lines"]}


def figures(text, lang, catalog, date="2022-05-17"):
    return ef.extract_figures(one_line(text, lang, date), catalog)


def only(rows, match):
    found = [r for r in rows if r["match"] == match]
    assert len(found) == 1, f"expected one row matching {match!r}, got {[r['match'] for r in rows]}"
    return found[0]


def assert_row_invariants(rows, lines):
    for r in rows:
        assert list(r) == ef.COLUMNS
        text = lines[r["line"]]
        assert text[r["start"]:r["end"]] == r["match"], r
        assert r["match"] and r["match"] in r["evidence"], r
        assert r["qualifier"] in ef.QUALIFIERS
        assert r["unit"] in ef.UNITS
        assert r["lang"] in ("en", "zh")


# --------------------------------------------------------------------------- the seed, metric by metric
SEED_CASES = [
    # id, line, metric, value, qualifier, unit, match
    ("en-five-provinces", 4, "pilot_regions", "5", "eq", "", "five"),
    ("en-approval-april-2021", 4, "approval_date", "2021-04", "eq", "date", "April 2021"),
    ("en-86-tasks-overall-plan", 4, "tasks_total", "86", "eq", "", "86"),
    ("en-69-carried-out", 6, "tasks_done", "69", "eq", "", "69"),
    ("en-accounting-for-80.2%", 6, "tasks_done_share", "80.2", "eq", "%", "80.2%"),
    ("en-more-than-40-reforms", 6, "reforms", "40", "gt", "", "more than 40"),
    ("en-356-projects", 6, "projects", "356", "eq", "", "356"),
    ("en-55-policies", 6, "policies", "55", "eq", "", "55"),
    ("en-heading-69-tasks", 7, "tasks_done", "69", "eq", "", "69"),
    ("en-over-60-featured", 10, "featured_tasks", "60", "gt", "", "over 60"),
    ("en-37-innovation-cases", 10, "innovation_cases", "37", "eq", "", "37"),
    ("en-all-86-pilot-projects", 11, "tasks_total", "86", "eq", "", "86"),
    ("en-three-year-trial", 13, "duration_years", "3", "eq", "years", "three-year"),
    ("en-summary-more-than-40", 40, "reforms", "40", "gt", "", "more than 40"),
    ("zh-五個之一", 24, "pilot_regions", "5", "eq", "", "五個"),
    ("zh-去年4月-獲批", 24, "approval_date", "2021-04", "eq", "date", "去年4月"),
    ("zh-86項試點任務", 24, "tasks_total", "86", "eq", "", "86項"),
    ("zh-已實施69項", 26, "tasks_done", "69", "eq", "", "69項"),
    ("zh-實施率80.2%", 26, "tasks_done_share", "80.2", "eq", "%", "80.2%"),
    ("zh-改革探索40余項", 26, "reforms", "40", "gt", "", "40余項"),
    ("zh-356個項目", 26, "projects", "356", "eq", "", "356個"),
    ("zh-政策文件55個", 26, "policies", "55", "eq", "", "55個"),
    ("zh-heading-已實施69項", 27, "tasks_done", "69", "eq", "", "69項"),
    ("zh-60余項特色任務", 30, "featured_tasks", "60", "gt", "", "60余項"),
    ("zh-37個創新案例", 30, "innovation_cases", "37", "eq", "", "37個"),
    ("zh-86條試點任務", 31, "tasks_total", "86", "eq", "", "86條"),
    ("zh-為期三年", 33, "duration_years", "3", "eq", "years", "三年"),
    # numbers outside the catalog still appear, with metric ""
    ("en-May-17th-year-from-metadata", 6, "", "2022-05-17", "eq", "date", "May 17th"),
    ("en-1st-anniversary-ordinal", 6, "", "1", "eq", "", "1st"),
    ("en-the-only-one", 4, "", "1", "eq", "", "one"),
    ("en-three-phases", 13, "", "3", "eq", "", "three"),
    ("en-four-aspects", 14, "", "4", "eq", "", "four"),
    ("zh-5月17日", 26, "", "2022-05-17", "eq", "date", "5月17日"),
    ("zh-一周年", 26, "", "1", "eq", "years", "一周年"),
    ("zh-經過一年", 25, "", "1", "eq", "years", "一年"),
    ("zh-兩年見成效", 33, "", "2", "eq", "years", "兩年"),
    ("zh-第二年-ordinal", 34, "", "2", "eq", "", "第二年"),
    ("zh-四個方面", 34, "", "4", "eq", "", "四個"),
]


@pytest.mark.parametrize("line,metric,value,qualifier,unit,match", [c[1:] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES])
def test_seed_sentence(seed_rows, seed_lines, line, metric, value, qualifier, unit, match):
    rows = [r for r in seed_rows if r["line"] == line and r["match"] == match and r["metric"] == metric]
    assert rows, f"no row for {match!r} on line {line} (metric {metric!r})"
    row = rows[0]
    assert (row["value"], row["qualifier"], row["unit"]) == (value, qualifier, unit)
    assert seed_lines[line][row["start"]:row["end"]] == match
    assert row["lang"] == ("zh" if CJK.search(match) or line in range(24, 40) or line == 41 else "en")


# Where each metric is stated, read off the seed (en lines 2-23 and 40, zh lines 24-39 and 41).
EXPECTED_LINES = {
    "tasks_total": {"en": {4, 6, 10, 11, 40}, "zh": {24, 26, 30, 31, 41}},
    "tasks_done": {"en": {6, 7, 40}, "zh": {26, 27, 41}},
    "tasks_done_share": {"en": {6, 40}, "zh": {26, 41}},
    "reforms": {"en": {6, 40}, "zh": {26, 41}},
    "projects": {"en": {6, 40}, "zh": {26, 41}},
    "policies": {"en": {6, 40}, "zh": {26, 41}},
    "featured_tasks": {"en": {10}, "zh": {30}},
    "innovation_cases": {"en": {10}, "zh": {30}},
    "approval_date": {"en": {4}, "zh": {24}},
    "duration_years": {"en": {13}, "zh": {33}},
    "pilot_regions": {"en": {4}, "zh": {24}},
}
EXPECTED_VALUES = {
    "tasks_total": "86", "tasks_done": "69", "tasks_done_share": "80.2", "reforms": "40", "projects": "356",
    "policies": "55", "featured_tasks": "60", "innovation_cases": "37", "approval_date": "2021-04",
    "duration_years": "3", "pilot_regions": "5",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_seed_has_every_catalog_metric_in_each_language(seed_rows, catalog, lang):
    found = {r["metric"] for r in seed_rows if r["lang"] == lang and r["metric"]}
    assert found == set(catalog.metrics) == set(EXPECTED_LINES)


@pytest.mark.parametrize("metric", sorted(EXPECTED_LINES))
def test_seed_metric_lines_and_value(seed_rows, metric):
    for lang in ("en", "zh"):
        rows = [r for r in seed_rows if r["metric"] == metric and r["lang"] == lang]
        assert {r["line"] for r in rows} == EXPECTED_LINES[metric][lang]
        assert {r["value"] for r in rows} == {EXPECTED_VALUES[metric]}


def test_seed_86_every_occurrence(seed_rows, seed_lines):
    """86 is stated 10 times; each one is a tasks_total row."""
    expected = sum(text.count("86") for text in seed_lines.values())
    assert expected == 10
    rows = [r for r in seed_rows if r["value"] == "86"]
    assert len(rows) == expected
    assert {r["metric"] for r in rows} == {"tasks_total"}


def test_seed_row_invariants_and_order(seed_rows, seed_lines):
    assert_row_invariants(seed_rows, seed_lines)
    keys = [(r["line"], r["start"]) for r in seed_rows]
    assert keys == sorted(keys)
    assert {r["source"] for r in seed_rows} == {"chongqing-pilot-first-anniversary"}


# List markers "1)", "1." are skipped on purpose: (line, marker text, occurrences).
LIST_MARKERS = {6: ["1)", "2)", "3)", "4)"], 9: ["1)", "2)", "3)"], 15: ["1."], 17: ["2."], 19: ["3."], 21: ["4."],
                40: ["1)", "2)", "3)", "4)"]}


def test_seed_every_digit_is_a_figure_or_a_list_marker(seed_rows, seed_lines):
    for line, text in seed_lines.items():
        covered = set()
        for r in seed_rows:
            if r["line"] == line:
                covered.update(range(r["start"], r["end"]))
        for marker in LIST_MARKERS.get(line, []):
            for m in re.finditer(re.escape(marker), text):
                covered.update(range(m.start(), m.end()))
        missing = [(i, text[i]) for i, ch in enumerate(text) if ch.isdigit() and i not in covered]
        assert not missing, f"line {line}: digits not extracted {missing}"


def test_seed_list_markers_not_emitted(seed_rows):
    assert not [r for r in seed_rows if re.fullmatch(r"[0-9]{1,2}[.)]", r["match"])]
    assert not [r for r in seed_rows if r["match"] in ("一是", "二是", "三是", "四是", "一", "三")]


def test_seed_words_with_numerals_are_not_counts(seed_rows, seed_lines):
    """唯一 (line 24), 一帶一路 / 三峽 (line 38), 一批 (line 28): no figure there."""
    for line, word in [(24, "唯一"), (38, "一帶一路"), (38, "三峽"), (28, "一批")]:
        start = seed_lines[line].index(word)
        span = set(range(start, start + len(word)))
        assert not [r for r in seed_rows if r["line"] == line and span & set(range(r["start"], r["end"]))]


def test_seed_no_metadata_date_gives_no_invented_year(catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        rows = ef.extract_figures(seed_normalized(date=None), catalog)
    may17 = only([r for r in rows if r["line"] == 6], "May 17th")
    assert (may17["value"], may17["unit"]) == ("", "date")
    assert only([r for r in rows if r["line"] == 26], "5月17日")["value"] == ""
    assert only([r for r in rows if r["line"] == 24], "去年4月")["value"] == ""
    assert only([r for r in rows if r["line"] == 4], "April 2021")["value"] == "2021-04"  # year stated
    assert "data/sources/chongqing-pilot-first-anniversary.txt:6:" in caplog.text
    assert "no metadata date" in caplog.text


def test_seed_evidence_is_the_sentence(seed_rows):
    reforms = [r for r in seed_rows if r["metric"] == "reforms" and r["line"] == 6][0]
    assert reforms["evidence"] == "2) more than 40 pioneering and differentiated reforms have been conducted;"
    zh = [r for r in seed_rows if r["metric"] == "projects" and r["line"] == 26][0]
    # the Chinese sentence runs over several comma clauses, up to 。
    assert zh["evidence"].startswith("5月17日,") and zh["evidence"].endswith("出臺試點配套政策文件55個。")
    share = [r for r in seed_rows if r["metric"] == "tasks_done_share" and r["line"] == 40][0]
    assert share["evidence"] == ("1) Among the 86 tasks of the Overall Plan approved by the State Council, "
                                 "69 have been carried out, accounting for 80.2%;")


# --------------------------------------------------------------------------- numbers, units, qualifiers
NUMBER_CASES = [
    # id, lang, text, match, value, qualifier, unit
    ("zh-magnitude-億", "zh", "全市GDP達30278.6億元", "30278.6億", "3027860000000", "eq", ""),
    ("en-magnitude-billion", "en", "GDP reached 3,027.86 billion yuan.", "3,027.86 billion", "3027860000000", "eq", ""),
    ("en-thousands-separator", "en", "It employs 12,345 people.", "12,345", "12345", "eq", ""),
    ("en-million-decimal", "en", "Some 1.5 million visitors came.", "Some 1.5 million", "1500000", "approx", ""),
    ("zh-mixed-3萬", "zh", "吸納3萬人就業", "3萬人", "30000", "eq", ""),
    ("zh-三萬", "zh", "吸納三萬人就業", "三萬人", "30000", "eq", ""),
    ("zh-3千萬", "zh", "投資3千萬元", "3千萬", "30000000", "eq", ""),
    ("zh-一點五萬", "zh", "投資一點五萬元", "一點五萬", "15000", "eq", ""),
    ("zh-八十六", "zh", "共有八十六項任務", "八十六項", "86", "eq", ""),
    ("zh-十-alone", "zh", "新增十個項目", "十個", "10", "eq", ""),
    ("zh-兩-traditional", "zh", "兩個方面", "兩個", "2", "eq", ""),
    ("zh-两-simplified", "zh", "两个方面", "两个", "2", "eq", ""),
    ("zh-八十點二-percent-prefix", "zh", "實施率為百分之八十點二", "百分之八十點二", "80.2", "eq", "%"),
    ("en-precision-kept", "en", "It rose to 80.20% in May.", "80.20%", "80.20", "eq", "%"),
    ("en-percent-word", "en", "up by 7.5 percent this year", "7.5 percent", "7.5", "eq", "%"),
    ("en-percentage-points", "en", "The rate rose 3.5 percentage points.", "3.5 percentage points", "3.5", "eq", "pp"),
    ("zh-百分點", "zh", "提高3.5個百分點", "3.5個百分點", "3.5", "eq", "pp"),
    ("zh-百分點-no-classifier", "zh", "提高二百分點", "二百分點", "2", "eq", "pp"),
    ("en-three-year", "en", "a three-year trial", "three-year", "3", "eq", "years"),
    ("en-3-years", "en", "within 3 years of approval", "3 years", "3", "eq", "years"),
    ("zh-三年出成果", "zh", "三年出成果", "三年", "3", "eq", "years"),
    ("en-twenty-one", "en", "twenty-one cities joined", "twenty-one", "21", "eq", ""),
    ("en-ordinal-2nd", "en", "the 2nd phase", "2nd", "2", "eq", ""),
    # qualifiers
    ("en-more-than", "en", "more than 40 reforms", "more than 40", "40", "gt", ""),
    ("en-over", "en", "over 60 tasks", "over 60", "60", "gt", ""),
    ("en-at-least", "en", "at least 5 cities", "at least 5", "5", "ge", ""),
    ("en-nearly", "en", "nearly 90% of firms", "nearly 90%", "90", "lt", "%"),
    ("en-about", "en", "about 3 years later", "about 3 years", "3", "approx", "years"),
    ("en-around", "en", "around 200 firms", "around 200", "200", "approx", ""),
    ("en-approximately", "en", "approximately 1,200 firms", "approximately 1,200", "1200", "approx", ""),
    ("en-up-to", "en", "up to 20 projects", "up to 20", "20", "le", ""),
    ("en-or-more", "en", "50 or more projects", "50 or more", "50", "ge", ""),
    ("zh-逾", "zh", "逾40項改革", "逾40項", "40", "gt", ""),
    ("zh-超過", "zh", "超過40項改革", "超過40項", "40", "gt", ""),
    ("zh-餘", "zh", "改革40餘項", "40餘項", "40", "gt", ""),
    ("zh-多", "zh", "60多個項目", "60多個", "60", "gt", ""),
    ("zh-以上", "zh", "5個以上城市", "5個以上", "5", "ge", ""),
    ("zh-近", "zh", "近90%企業", "近90%", "90", "lt", "%"),
    ("zh-最近-is-not-nearly", "zh", "最近3年", "3年", "3", "eq", "years"),
    ("zh-約", "zh", "約3萬人", "約3萬人", "30000", "approx", ""),
    ("zh-左右", "zh", "100人左右", "100人左右", "100", "approx", ""),
    ("zh-余-before-magnitude", "zh", "40余萬人", "40余萬人", "400000", "gt", ""),
]


@pytest.mark.parametrize("lang,text,match,value,qualifier,unit", [c[1:] for c in NUMBER_CASES], ids=[c[0] for c in NUMBER_CASES])
def test_number(catalog, lang, text, match, value, qualifier, unit):
    rows = figures(text, lang, catalog)
    row = only(rows, match)  # the metric, if any, is the claim layer's business (tests/test_figure_context.py)
    assert (row["value"], row["qualifier"], row["unit"]) == (value, qualifier, unit)
    assert text[row["start"]:row["end"]] == match
    assert Decimal(row["value"]) == Decimal(value)


DATE_CASES = [
    ("zh-2021年4月", "zh", "2021年4月獲批", "2021年4月", "2021-04"),
    ("zh-二〇二一年四月", "zh", "二〇二一年四月獲批", "二〇二一年四月", "2021-04"),
    ("zh-2022年5月17日", "zh", "2022年5月17日舉行", "2022年5月17日", "2022-05-17"),
    ("zh-5月17日-metadata-year", "zh", "5月17日舉行", "5月17日", "2022-05-17"),
    ("zh-去年4月-metadata-year-minus-1", "zh", "去年4月獲批", "去年4月", "2021-04"),
    ("zh-今年3月", "zh", "今年3月開始", "今年3月", "2022-03"),
    ("zh-year-only", "zh", "2021年是開局之年", "2021年", "2021"),
    ("en-April-2021", "en", "approved in April 2021.", "April 2021", "2021-04"),
    ("en-May-17th-metadata-year", "en", "On May 17th, a meeting", "May 17th", "2022-05-17"),
    ("en-May-17-2021", "en", "On May 17, 2021 it began", "May 17, 2021", "2021-05-17"),
    ("en-17-May-2021", "en", "On 17 May 2021 it began", "17 May 2021", "2021-05-17"),
    ("en-Sept-abbrev", "en", "from Sept. 2020 on", "Sept. 2020", "2020-09"),
    ("en-in-2021", "en", "It was approved in 2021.", "2021", "2021"),
    ("en-iso", "en", "Published 2022-05-17 online", "2022-05-17", "2022-05-17"),
]


@pytest.mark.parametrize("lang,text,match,value", [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_date(catalog, lang, text, match, value):
    row = only(figures(text, lang, catalog), match)
    assert (row["value"], row["unit"], row["qualifier"]) == (value, "date", "eq")


def test_impossible_date_warns_and_gives_no_value(catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        row = only(figures("2月30日舉行", "zh", catalog), "2月30日")
    assert row["value"] == ""
    assert "t.txt:7: impossible-date" in caplog.text


def test_list_markers_are_skipped_but_numbers_after_them_are_not(catalog):
    rows = figures("1) 12 firms; 2) 30 parks", "en", catalog)
    assert [r["match"] for r in rows] == ["12", "30"]
    rows = figures("一是優化環境,二是建設5個園區", "zh", catalog)
    assert [r["match"] for r in rows] == ["5個"]


def test_line_without_lang_is_guessed(catalog):
    assert only(figures("共有86項任務", None, catalog), "86項")["lang"] == "zh"
    assert only(figures("There are 86 tasks", None, catalog), "86")["lang"] == "en"


# --------------------------------------------------------------------------- numerals in context
def test_sa_thirty(catalog):
    """卅 (30) and 廿 (20): our own numeral grammar reads them (cn2an did not)."""
    assert only(figures("卅個項目", "zh", catalog), "卅個")["value"] == "30"
    assert only(figures("廿項改革", "zh", catalog), "廿項")["value"] == "20"


# --------------------------------------------------------------------------- warnings
def test_metric_in_one_language_only_warns(catalog, caplog):
    doc = {"source": "s", "path": "data/sources/s.txt", "metadata": {"date": "2022-05-17"}, "lines": [
        {"line": 1, "lang": "en", "text": "We launched 356 modern service projects."},
        {"line": 2, "lang": "zh", "text": "出臺配套政策文件55個。"},
    ]}
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        ef.extract_figures(doc, catalog)
    assert "data/sources/s.txt: metric 'projects' found only in en (line 1)" in caplog.text
    assert "metric 'policies' found only in zh (line 2)" in caplog.text
    assert "tasks_total" not in caplog.text  # absent in both: nothing to compare


def test_one_language_source_does_not_warn_about_languages(catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        ef.extract_figures(one_line("We launched 356 modern service projects.", "en"), catalog)
    assert "found only" not in caplog.text


def test_number_without_context_warns(catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        rows = figures("The total was 35.", "en", catalog)
    assert only(rows, "35")["value"] == "35"
    assert "t.txt:7: number '35' without recognisable context" in caplog.text


def test_seed_has_no_context_warnings(catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="extract_figures"):
        ef.extract_figures(seed_normalized(), catalog)
    assert "without recognisable context" not in caplog.text
    assert "found only" not in caplog.text


def test_a_rate_name_does_not_claim_a_count(catalog):
    row = only(figures("an implementation rate of 69 tasks", "en", catalog), "69")
    assert row["metric"] != "tasks_done_share"


def test_shipped_catalog_shape(catalog):
    assert catalog.metrics["tasks_done_share"].share_of == {"numerator": "tasks_done", "denominator": "tasks_total"}
    for metric_id, metric in catalog.metrics.items():
        assert metric.label["en"] and CJK.search(metric.label["zh"]), metric_id
        assert metric.counts or metric.names or metric.event, metric_id


def test_raw_catalog_mapping_is_validated_on_the_fly():
    raw = pipeline_io.read_yaml(CATALOG_PATH)
    rows = ef.extract_figures(one_line("an implementation rate of 80.2%;", "en"), raw)
    assert only(rows, "80.2%")["metric"] == "tasks_done_share"


def test_bad_normalized_input(catalog):
    with pytest.raises(pipeline_io.InputError, match="lines"):
        ef.extract_figures({"source": "x", "path": "x.json"}, catalog)
    with pytest.raises(pipeline_io.InputError, match="unknown lang 'fr'"):
        ef.extract_figures({"path": "x.json", "lines": [{"line": 1, "lang": "fr", "text": "1"}]}, catalog)


# --------------------------------------------------------------------------- main()
def snakemake_stub(tmp_path, normalized_path):
    return SimpleNamespace(
        input=SimpleNamespace(normalized=str(normalized_path), catalog=str(CATALOG_PATH)),
        output=SimpleNamespace(csv=str(tmp_path / "out" / "figures.csv")),
        log=[str(tmp_path / "logs" / "figures.log")],
    )


def test_main_writes_sorted_csv(tmp_path):
    src = tmp_path / "seed.json"
    src.write_text(json.dumps(seed_normalized(), ensure_ascii=False), encoding="utf-8")
    sm = snakemake_stub(tmp_path, src)
    ef.main(sm)
    text = Path(sm.output.csv).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(ef.COLUMNS)
    keys = [(int(r["line"]), int(r["start"])) for r in rows]
    assert keys == sorted(keys)
    reforms = [r for r in rows if r["metric"] == "reforms" and r["lang"] == "zh"]
    assert [(r["line"], r["match"], r["value"], r["qualifier"]) for r in reforms] == [("26", "40余項", "40", "gt"), ("41", "40余項", "40", "gt")]
    assert Path(sm.log[0]).exists()


def test_main_empty_source_writes_header_only(tmp_path):
    src = tmp_path / "empty.json"
    src.write_text(json.dumps({"source": "empty", "path": "e.txt", "metadata": {}, "lines": []}), encoding="utf-8")
    sm = snakemake_stub(tmp_path, src)
    ef.main(sm)
    assert Path(sm.output.csv).read_text(encoding="utf-8") == ",".join(ef.COLUMNS) + "\n"


def test_main_bad_json_exits_1_with_path_in_log(tmp_path):
    src = tmp_path / "bad.json"
    src.write_text("{not json", encoding="utf-8")
    sm = snakemake_stub(tmp_path, src)
    with pytest.raises(SystemExit) as info:
        ef.main(sm)
    assert info.value.code == 1
    assert str(src) in Path(sm.log[0]).read_text(encoding="utf-8")
    assert not Path(sm.output.csv).exists()


# --------------------------------------------------------------------------- property
PIECES = ["86", "80.2", "3,027.86", "%", " ", "more than ", "over ", "nearly ", "三", "十", "八十六", "兩", "萬", "億",
          "余", "多", "項", "個", "年", "月", "日", "第", "去年", "以上", "左右", "百分之", "點", "April", "May ", "17th",
          " billion", "-year", " percentage points", "1)", "2.", "。", ";", ".", ",", "是", "一", "〇", "(", ")", "five"]
SILENT = logging.getLogger("extract_figures.silent")
SILENT.propagate = False
SILENT.addHandler(logging.NullHandler())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.text(max_size=80), st.lists(st.sampled_from(PIECES), max_size=25).map("".join)),
    lang=st.sampled_from(["en", "zh", None]),
    date=st.sampled_from([None, "2022-05-17", "garbage"]),
)
def test_property_never_crashes_and_spans_match(catalog, text, lang, date):
    rows = ef.extract_figures(one_line(text, lang, date), catalog, logger=SILENT)
    assert_row_invariants(rows, {7: text})
    for r in rows:
        if r["value"] and r["unit"] == "date":
            assert re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", r["value"])
        elif r["value"]:
            assert str(Decimal(r["value"])) and "E" not in r["value"]
    spans = sorted((r["start"], r["end"]) for r in rows)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), "overlapping claims"
