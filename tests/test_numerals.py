"""Tests for scripts/numerals.py, the figure engine's first layer: numbers and dates as people
write them in English and Chinese (both scripts).

Every example below was written for this file; expected values are read off the examples by
hand. Known failures are ``xfail(strict=True)`` so a fix is noticed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numerals import (
    arabic_value,
    first_stated_date,
    number_value,
    parse_reference,
    tokenize,
    zh_numeral_value,
)

REF = dt.date(2022, 5, 17)   # a Tuesday; relative dates below resolve against it
JAN = dt.date(2023, 1, 9)    # a reference early in the year: "last month" crosses the year


def case(id_, *values, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(*values, id=id_, marks=marks)


def quantities(text: str, lang: str, ref=REF) -> list[tuple[str, str, str]]:
    """(value, qualifier, unit) of every ``num`` token."""
    return [(t.value, t.qualifier, t.unit) for t in tokenize(text, lang, ref) if t.kind == "num"]


def dates(text: str, lang: str, ref=REF) -> list[str]:
    return [t.value for t in tokenize(text, lang, ref) if t.kind == "date"]


# ------------------------------------------------------------------------------- arabic_value
ARABIC = [
    case("plain", "245", "245", []),
    case("comma-thousands", "3,150", "3150", []),
    case("comma-millions", "2,406,118", "2406118", []),
    case("space-thousands", "3 150", "3150", []),
    case("no-break-space", "3\u00a0150", "3150", []),
    case("narrow-no-break-space", "3\u202f150", "3150", []),
    case("thin-space", "3\u2009150", "3150", []),
    case("apostrophe", "3'150", "3150", []),
    case("indian-lakh", "2,50,000", "250000", []),
    case("indian-crore", "3,45,67,890", "34567890", []),
    case("decimal-point", "12.75", "12.75", []),
    case("decimal-keeps-zeros", "64.50", "64.50", []),
    case("grouped-with-decimal", "1,234.5", "1234.5", []),
    case("decimal-comma-ambiguous", "64,5", "64.5", ["ambiguous-separator"]),
    case("point-before-three-digits-ambiguous", "2.750", "2.750", ["ambiguous-separator"]),
    case("hyphen-minus", "-4", "-4", []),
    case("unicode-minus", "\u22124.25", "-4.25", []),
]


@pytest.mark.parametrize("text,value,flags", ARABIC)
def test_arabic_value(text, value, flags):
    got, got_flags = arabic_value(text)
    assert got == Decimal(value) and str(got) == value
    assert got_flags == flags


# ------------------------------------------------------------------------------- zh_numeral_value
ZH_NUMERALS = [
    case("single", "七", "7"),
    case("zero-ling", "零", "0"),
    case("zero-circle", "〇", "0"),
    case("ten", "十", "10"),
    case("teen", "十七", "17"),
    case("tens", "九十三", "93"),
    case("hundred-zero-one", "三百零八", "308"),
    case("hundred-tens", "二百四十五", "245"),
    case("thousand-zero", "一千零五十", "1050"),
    case("liang-trad", "兩千", "2000"),
    case("liang-simp", "两百", "200"),
    case("wan-trad", "四萬二千", "42000"),
    case("wan-simp", "四万二千", "42000"),
    case("ten-wan", "十萬", "100000"),
    case("qian-wan", "五千萬", "50000000"),
    case("yi-trad", "三億零五萬", "300050000"),
    case("yi-simp", "三亿零五万", "300050000"),
    case("year-digit-by-digit", "二〇二三", "2023"),
    case("year-with-ling", "二零一九", "2019"),
    case("nian-20", "廿", "20"),
    case("nian-twenty-four", "廿四", "24"),
    case("sa-thirty-one", "卅一", "31"),
    case("decimal-trad", "六點二五", "6.25"),
    case("decimal-simp", "六点二五", "6.25"),
    case("zero-point", "零點五", "0.5"),
]


@pytest.mark.parametrize("text,value", ZH_NUMERALS)
def test_zh_numeral_value(text, value):
    assert zh_numeral_value(text) == Decimal(value)
    assert str(zh_numeral_value(text)) == value


ZH_MALFORMED = [
    case("latin", "abc"),
    case("numeral-then-latin", "八十x"),
    case("wan-alone", "萬"),
    case("wan-wan", "万万"),
    case("yi-first", "億三"),
    case("two-digits-in-positional", "十四五"),        # the 14th Five-Year Plan: not a number
    case("decimal-with-non-digit", "三點x"),
    case("decimal-with-magnitude", "三點五萬"),
    case("empty", ""),
    case("ten-ten", "十十"),
    case("hundred-hundred", "三百百"),
    case("descending-order-broken", "五十三百"),
]


@pytest.mark.parametrize("text", ZH_MALFORMED)
def test_zh_numeral_value_malformed_is_none(text):
    assert zh_numeral_value(text) is None


NUMBER_VALUE = [
    case("arabic", "1,250", "1250"),
    case("en-word", "seventeen", "17"),
    case("en-tens-hyphen", "sixty-three", "63"),
    case("en-tens-space", "forty two", "42"),
    case("en-hundred-and", "two hundred and five", "205"),
    case("en-capitalised", "Ninety", "90"),
    case("zh-trad", "一百零一", "101"),
    case("zh-simp", "四万", "40000"),
]


@pytest.mark.parametrize("text,value", NUMBER_VALUE)
def test_number_value(text, value):
    got, _ = number_value(text)
    assert got == Decimal(value)


# ------------------------------------------------------------------------------- English numbers
EN_NUMBERS = [
    case("plain", "The plan lists 245 items.", [("245", "eq", "")]),
    case("grouped", "Some 3,150 firms registered.", [("3150", "approx", "")]),
    case("indian", "Exports reached 2,50,000 units.", [("250000", "eq", "")]),
    case("thin-space", "It employs 3\u2009150 people.", [("3150", "eq", "")]),
    case("apostrophe", "It employs 3'150 people.", [("3150", "eq", "")]),
    case("decimal-comma-flagged", "a share of 64,5 % of all", [("64.5", "eq", "%")]),
    case("more-than", "more than 35 reforms", [("35", "gt", "")]),
    case("over", "over 12 cases", [("12", "gt", "")]),
    case("at-least", "at least 8 cities", [("8", "ge", "")]),
    case("no-fewer-than", "no fewer than 20 projects", [("20", "ge", "")]),
    case("nearly", "nearly 90 policies", [("90", "lt", "")]),
    case("fewer-than", "fewer than 5 cases", [("5", "lt", "")]),
    case("up-to", "up to 15 pilots", [("15", "le", "")]),
    case("approximately", "approximately 400 projects", [("400", "approx", "")]),
    case("around", "around 70 tasks", [("70", "approx", "")]),
    case("or-more", "30 or more tasks", [("30", "ge", "")]),
    case("plus-suffix", "a 30-plus list", [("30", "gt", "")]),
    case("plus-sign", "30+ tasks", [("30", "gt", "")]),
    case("word", "seventeen tasks", [("17", "eq", "")]),
    case("word-capitalised", "Twelve provinces joined.", [("12", "eq", "")]),
    case("word-hyphenated", "sixty-three tasks", [("63", "eq", "")]),
    case("word-hundred-and", "two hundred and five projects", [("205", "eq", "")]),
    case("word-more-than", "more than thirty reforms", [("30", "gt", "")]),
    case("million", "2.5 million visitors", [("2500000", "eq", "")]),
    case("billion-word", "three billion yuan", [("3000000000", "eq", "")]),
    case("percent-sign", "a rate of 64.5%", [("64.5", "eq", "%")]),
    case("percent-sign-space", "a rate of 64.5 %", [("64.5", "eq", "%")]),
    case("per-cent", "a rate of 64.5 per cent", [("64.5", "eq", "%")]),
    case("percent-word", "a rate of 64.5 percent", [("64.5", "eq", "%")]),
    case("percentage-points", "up 3 percentage points", [("3", "eq", "pp")]),
    case("pp", "up 3pp on last year", [("3", "eq", "pp")]),
    case("years", "will run for four years", [("4", "eq", "years")]),
    case("year-adjective", "a two-year trial", [("2", "eq", "years")]),
    case("minus-sign", "a change of -3 tasks", [("-3", "eq", "")]),
    case("unicode-minus", "a change of \u22123 tasks", [("-3", "eq", "")]),
    case("minus-word", "growth of minus 2 percent", [("-2", "eq", "%")]),
    case("over-means-during", "completed over three years", [("3", "eq", "years")]),
    case("odd-suffix", "forty-odd firms", [("40", "approx", "")]),
    case("thousand-then-hundred-words", "one thousand two hundred firms", [("1200", "eq", "")],
         xfail="_EN_WORD takes one magnitude: 'one thousand two hundred' gives two tokens, 1000 and 200"),
    case("leading-decimal-point", "a rise of .5 percent", [("0.5", "eq", "%")]),
]


@pytest.mark.parametrize("text,expected", EN_NUMBERS)
def test_english_numbers(text, expected):
    assert quantities(text, "en") == expected


def test_ambiguous_separator_is_flagged_on_the_token():
    (tok,) = [t for t in tokenize("a share of 64,5 % of all", "en") if t.kind == "num"]
    assert "ambiguous-separator" in tok.flags
    (tok,) = [t for t in tokenize("they spent 2.750 on it", "en") if t.kind == "num"]
    assert "ambiguous-separator" in tok.flags
    (tok,) = [t for t in tokenize("they spent 2,750 on it", "en") if t.kind == "num"]
    assert tok.flags == [] and tok.value == "2750"


# ------------------------------------------------------------------------------- Chinese numbers
# (id, text, [(value, qualifier, unit, measure word)])
ZH_NUMBERS = [
    case("hant-digits-xiang", "完成任務57項", [("57", "eq", "", "項")]),
    case("hans-digits-xiang", "完成任务57项", [("57", "eq", "", "项")]),
    case("hant-numeral", "九十三項任務", [("93", "eq", "", "項")]),
    case("hans-numeral", "九十三项任务", [("93", "eq", "", "项")]),
    case("hundred-ling-one", "一百零一個項目", [("101", "eq", "", "個")]),
    case("thousand", "一千二百家企業", [("1200", "eq", "", "家")]),
    case("wan-digits-trad", "遊客3萬人次", [("30000", "eq", "", "人")]),
    case("wan-digits-simp", "游客3万人次", [("30000", "eq", "", "人")]),
    case("yi-decimal", "投資1.5億元", [("150000000", "eq", "", "")]),
    case("liang-wan", "兩萬", [("20000", "eq", "", "")]),
    case("decimal-numeral-trad", "增長三點五", [("3.5", "eq", "", "")]),
    case("decimal-numeral-simp", "增长三点五", [("3.5", "eq", "", "")]),
    case("nian", "廿個城市", [("20", "eq", "", "個")]),
    case("sa", "卅個城市", [("30", "eq", "", "個")]),
    case("tenths", "八成企業", [("80", "eq", "%", "")]),
    case("tenths-more-than", "逾七成", [("70", "gt", "%", "")]),
    case("tenths-suffix", "六成以上", [("60", "ge", "%", "")]),
    case("tenths-you-yu", "九成有餘", [("90", "gt", "%", "")]),
    case("percent-of-hanzi", "百分之六十四點五", [("64.5", "eq", "%", "")]),
    case("percent-of-digits", "百分之64.5", [("64.5", "eq", "%", "")]),
    case("percent-ascii", "實施率64.5%", [("64.5", "eq", "%", "")]),
    case("percent-fullwidth", "实施率64.5％", [("64.5", "eq", "%", "")]),
    case("pp-trad", "提高3個百分點", [("3", "eq", "pp", "")]),
    case("pp-simp", "提高3个百分点", [("3", "eq", "pp", "")]),
    case("over-a-hundred", "逾百個項目", [("100", "gt", "", "個")]),
    case("yu-suffix-hant", "改革40餘項", [("40", "gt", "", "項")]),
    case("yu-suffix-hans", "改革40余项", [("40", "gt", "", "项")]),
    case("duo-suffix", "30多個", [("30", "gt", "", "個")]),
    case("yishang", "20項以上", [("20", "ge", "", "項")]),
    case("zuoyou", "300個左右", [("300", "approx", "", "個")]),
    case("yue-prefix-hant", "約300個", [("300", "approx", "", "個")]),
    case("yue-prefix-hans", "约300个", [("300", "approx", "", "个")]),
    case("buxiaoyu-hant", "不少於20項", [("20", "ge", "", "項")]),
    case("buxiaoyu-hans", "不少于20项", [("20", "ge", "", "项")]),
    case("jin", "近90項", [("90", "lt", "", "項")]),
    case("chaoguo-hant", "超過15個", [("15", "gt", "", "個")]),
    case("zuiduo", "最多15項", [("15", "le", "", "項")]),
    case("years-hant", "為期三年", [("3", "eq", "years", "")]),
    case("years-hans", "为期两年", [("2", "eq", "years", "")]),
    case("negative-hant", "負3", [("-3", "eq", "", "")]),
    case("negative-hans", "负3.5%", [("-3.5", "eq", "%", "")]),
    case("decimal-wan", "1.5萬", [("15000", "eq", "", "")]),
    case("wan-then-qian-digits", "1萬5千", [("15000", "eq", "", "")]),
]


@pytest.mark.parametrize("text", [
    pytest.param("兩三個城市", id="liang-san-hant"),
    pytest.param("三四十家企业", id="san-si-shi-hans"),
    pytest.param("五六百人", id="wu-liu-bai"),
])
def test_two_neighbouring_numerals_are_an_estimate_not_a_number(text):
    """"兩三個", "三四十家": two numerals side by side say "two or three", "thirty or forty"."""
    for t in tokenize(text, "zh", REF):
        assert t.value not in ("23", "34", "340", "56", "560"), t


@pytest.mark.parametrize("text,expected", ZH_NUMBERS)
def test_chinese_numbers(text, expected):
    got = [(t.value, t.qualifier, t.unit, t.classifier) for t in tokenize(text, "zh", REF) if t.kind == "num"]
    assert got == expected


# ------------------------------------------------------------------------------- dates
EN_DATES = [
    case("day-month-year", "Signed on 3 March 2021 in Xiamen.", REF, ["2021-03-03"]),
    case("month-day-comma-year", "Signed on March 3, 2021.", REF, ["2021-03-03"]),
    case("ordinal-day", "Signed on the 3rd of March 2021.", REF, ["2021-03-03"]),
    case("iso-day", "Dated 2021-03-03.", REF, ["2021-03-03"]),
    case("iso-month", "Period 2021-03.", REF, ["2021-03"]),
    case("month-year", "It was approved in March 2021.", REF, ["2021-03"]),
    case("abbrev-month", "It was approved in Sept. 2020.", REF, ["2020-09"]),
    case("bare-year", "It has grown since 2019.", REF, ["2019"]),
    case("month-without-year", "It was approved in March.", REF, ["2022-03"]),
    case("month-day-without-year", "It was approved on March 3.", REF, ["2022-03-03"]),
    case("in-april-this-year", "It was approved in April this year.", REF, ["2022-04"]),
    case("last-april", "It was approved last April.", REF, ["2021-04"]),
    case("april-last-year", "It was approved in April last year.", REF, ["2021-04"]),
    case("next-march", "It will be reviewed next March.", REF, ["2023-03"]),
    case("mid-may", "By mid-May, work had begun.", REF, ["2022-05"]),
    case("end-of-june", "It is due by the end of June.", REF, ["2022-06"]),
    case("early-month-year", "It started in early February 2020.", REF, ["2020-02"]),
    case("last-month", "Figures released last month show growth.", REF, ["2022-04"]),
    case("last-month-over-new-year", "Figures released last month show growth.", JAN, ["2022-12"]),
    case("this-month", "Work starts this month.", REF, ["2022-05"]),
    case("next-month", "Work starts next month.", REF, ["2022-06"]),
    case("month-last-year", "It was approved in December last year.", REF, ["2021-12"]),
    case("month-of-last-year", "It was approved in May of last year.", REF, ["2021-05"]),
    case("mid-month-last-year", "It was approved in mid-April last year.", REF, ["2021-04"]),
    case("month-day-last-year", "It was approved on April 23 last year.", REF, ["2021-04-23"]),
    case("day-month-last-year", "It was approved on 23 April last year.", REF, ["2021-04-23"]),
    case("bare-last-year", "It was approved last year.", REF, ["2021"]),
]


@pytest.mark.parametrize("text,ref,expected", EN_DATES)
def test_english_dates(text, ref, expected):
    assert dates(text, "en", ref) == expected
    assert quantities(text, "en", ref) == []


ZH_DATES = [
    case("full-date", "2021年3月3日發布", REF, ["2021-03-03"]),
    case("full-date-hao", "2021年3月3號發布", REF, ["2021-03-03"]),
    case("year-month", "2021年3月获批", REF, ["2021-03"]),
    case("numeral-year-month-hant", "二〇二三年十二月獲批", REF, ["2023-12"]),
    case("numeral-year-month-hans", "二〇二三年十二月获批", REF, ["2023-12"]),
    case("numeral-day", "二〇二一年三月二十三日", REF, ["2021-03-23"]),
    case("year-only", "2020年以來", REF, ["2020"]),
    case("qunian-month-hant", "去年4月獲批", REF, ["2021-04"]),
    case("qunian-month-hans", "去年4月获批", REF, ["2021-04"]),
    case("jinnian-month", "今年3月底前", REF, ["2022-03"]),
    case("mingnian-month", "明年1月起", REF, ["2023-01"]),
    case("month-day-no-year", "3月3日召開", REF, ["2022-03-03"]),
    case("mid-month-hant", "5月中旬完成", REF, ["2022-05"]),
    case("month-end", "6月底完成", REF, ["2022-06"]),
    case("month-fen", "4月份數據", REF, ["2022-04"]),
    case("shangyue-hant", "上個月公布", REF, ["2022-04"]),
    case("shangyue-hans", "上个月公布", REF, ["2022-04"]),
    case("shangyue-short", "上月公布", REF, ["2022-04"]),
    case("shangyue-over-new-year", "上月公布", JAN, ["2022-12"]),
    case("benyue", "本月啟動", REF, ["2022-05"]),
    case("jinnian", "今年以來", REF, ["2022"]),
    case("qunian", "去年全年", REF, ["2021"]),
    case("qiannian", "前年啟動", REF, ["2020"]),
]


@pytest.mark.parametrize("text,ref,expected", ZH_DATES)
def test_chinese_dates(text, ref, expected):
    assert dates(text, "zh", ref) == expected
    assert quantities(text, "zh", ref) == []


UNRESOLVED = [
    case("en-last-april", "approved last April", "en"),
    case("en-april-this-year", "approved in April this year", "en"),
    case("en-last-month", "published last month", "en"),
    case("en-month-alone", "approved in March", "en"),
    case("zh-hant-qunian-month", "去年4月獲批", "zh"),
    case("zh-hans-jinnian", "今年以来", "zh"),
    case("zh-shangyue", "上月公布", "zh"),
    case("zh-month-day", "3月3日召开", "zh"),
]


@pytest.mark.parametrize("text,lang", UNRESOLVED)
def test_relative_date_without_reference_is_unresolved_not_guessed(text, lang):
    (tok,) = [t for t in tokenize(text, lang, None) if t.kind == "date"]
    assert tok.value == ""
    assert tok.relative
    assert "date-unresolved" in tok.flags


@pytest.mark.parametrize("text,lang", [
    pytest.param("approved in March 2021", "en", id="en"),
    pytest.param("2021年3月獲批", "zh", id="zh"),
])
def test_absolute_date_needs_no_reference(text, lang):
    (tok,) = [t for t in tokenize(text, lang, None) if t.kind == "date"]
    assert tok.value == "2021-03" and not tok.relative and tok.flags == []


@pytest.mark.parametrize("text,lang", [
    pytest.param("Dated 2021-02-30.", "en", id="en-iso-feb-30"),
    pytest.param("Signed on 31 April 2021.", "en", id="en-april-31"),
    pytest.param("2021年2月30日", "zh", id="zh-feb-30"),
])
def test_impossible_date_is_flagged_without_value(text, lang):
    (tok,) = [t for t in tokenize(text, lang, REF) if t.kind == "date"]
    assert tok.value == "" and "impossible-date" in tok.flags


@pytest.mark.parametrize("text,expected", [
    pytest.param("2022-05-17", dt.date(2022, 5, 17), id="day"),
    pytest.param("2022-05", dt.date(2022, 5, 1), id="month"),
    pytest.param("2022", dt.date(2022, 1, 1), id="year"),
    pytest.param(" 2022-05-17 ", dt.date(2022, 5, 17), id="spaces"),
    pytest.param("2022-02-30", None, id="impossible"),
    pytest.param("17/05/2022", None, id="not-iso"),
    pytest.param(None, None, id="none"),
])
def test_parse_reference(text, expected):
    assert parse_reference(text) == expected


def test_first_stated_date_skips_relative_and_partial_dates():
    lines = [("Approved last April, in 2021.", "en"), ("去年4月獲批", "zh"), ("2021年3月", "zh"),
             ("Report of 9 June 2022", "en"), ("2023年1月2日", "zh")]
    assert first_stated_date(lines) == dt.date(2022, 6, 9)
    assert first_stated_date([("no date here", "en")]) is None


# ------------------------------------------------------------------------------- ordinals and markers
ORDINALS = [
    case("en-digits", "the 3rd batch", "en", "3"),
    case("en-digits-th", "its 12th meeting", "en", "12"),
    case("en-word", "the second phase", "en", "2"),
    case("zh-hant-batch", "第三批試點", "zh", "3"),
    case("zh-hans-year", "第二年", "zh", "2"),
    case("zh-digits", "第12次會議", "zh", "12"),
]


@pytest.mark.parametrize("text,lang,value", ORDINALS)
def test_ordinals(text, lang, value):
    toks = tokenize(text, lang, REF)
    assert [(t.kind, t.value) for t in toks] == [("ord", value)]


MARKERS = [
    case("en-paren-start", "1) Streamline approvals.", "en", "1)"),
    case("en-paren-after-space", "goals: 2) open markets", "en", "2)"),
    case("en-both-parens", "(3) Cut fees.", "en", "(3)"),
    case("en-dot-start", "4. Cut fees.", "en", "4."),
    case("zh-fullwidth-parens-hant", "（一）簡化審批。", "zh", "（一）"),
    case("zh-fullwidth-parens-hans", "（二）简化审批。", "zh", "（二）"),
    case("zh-shi", "一是简化审批", "zh", "一是"),
    case("zh-shi-after-comma", "目标有三：二是降低成本", "zh", "二是"),
    case("zh-dunhao", "三、降低成本", "zh", "三、"),
    case("zh-digit-dunhao", "4、降低成本", "zh", "4、"),
]


@pytest.mark.parametrize("text,lang,marker", MARKERS)
def test_list_markers_are_markers_not_quantities(text, lang, marker):
    toks = tokenize(text, lang, REF)
    assert [(t.kind, text[t.start:t.end]) for t in toks] == [("marker", marker)]


def test_number_after_a_marker_is_still_a_quantity():
    assert quantities("2) Carry out 45 tasks.", "en") == [("45", "eq", "")]
    assert quantities("（二）落實45項任務。", "zh") == [("45", "eq", "")]


# ------------------------------------------------------------------------------- negative examples
NOT_QUANTITIES = [
    case("en-phone-dashes", "Call 023-6123 4567 for details.", "en"),
    case("en-phone-parens", "Call (023) 6123-4567 for details.", "en"),
    case("en-leading-zero-code", "Form 023 must be filed.", "en"),
    case("en-leading-zero-007", "Office 007 is closed.", "en"),
    case("en-may-modal-lower", "The city may add rules.", "en"),
    case("en-may-modal-sentence-start", "May the reforms bring results.", "en"),
    case("en-covid-19", "Despite COVID-19, work continued.", "en"),
    case("en-list-marker", "1) Streamline approvals.", "en"),
    case("zh-phone-hant", "聯繫電話：023-61234567", "zh"),
    case("zh-phone-colon-hans", "联系电话：023-61234567", "zh"),
    case("zh-phone-fullwidth-parens", "联系电话：（023）61234567", "zh"),
    case("zh-phone-after-hanzi-hant", "電話023-61234567", "zh"),
    case("zh-phone-after-wei-hans", "咨询电话为023-61234567。", "zh"),
    case("en-phone-international", "Call +86 23 6123 4567 now.", "en"),
    case("zh-yidaiyilu-hant", "共建一帶一路", "zh"),
    case("zh-yidaiyilu-hans", "共建一带一路", "zh"),
    case("zh-weiyi", "唯一的試點", "zh"),
    case("zh-yipi", "推出一批改革", "zh"),
    case("zh-jinyibu", "進一步擴大開放", "zh"),
    case("zh-tongyi", "统一标准", "zh"),
    case("zh-marker-parens", "（一）简化审批", "zh"),
    case("zh-marker-shi", "一是簡化審批", "zh"),
    case("zh-shisiwu", "十四五規劃", "zh"),
    case("zh-yicixing", "一次性告知", "zh"),
]


@pytest.mark.parametrize("text,lang", NOT_QUANTITIES)
def test_not_quantities(text, lang):
    assert quantities(text, lang) == []
    assert dates(text, lang) == []


@pytest.mark.parametrize("text,lang,expected", [
    pytest.param("the 2021-2023 plan", "en", ["2021", "2023"], id="en-hyphen"),
    pytest.param("the 2021\u20132023 plan", "en", ["2021", "2023"], id="en-en-dash"),
    pytest.param("a 3-5 year horizon", "en", ["3", "5"], id="en-small-range"),
    pytest.param("2021-2023年", "zh", ["2021", "2023"], id="zh-hyphen"),
])
def test_ranges_are_not_negative_numbers(text, lang, expected):
    values = [t.value for t in tokenize(text, lang, REF) if t.kind in ("num", "date")]
    assert not any(v.startswith("-") for v in values)
    assert [v.lstrip("-")[:4] for v in values] == expected


# ------------------------------------------------------------------------------- spans
SPANS = [
    case("en-qualifier-included", "It has more than 35 reforms.", "en", ["more than 35"]),
    case("en-percent", "or 64.5 per cent of them", "en", ["64.5 per cent"]),
    case("en-word", "Sixty-three tasks", "en", ["Sixty-three"]),
    case("en-two-numbers", "57 of the 75 tasks (76%)", "en", ["57", "75", "76%"]),
    case("en-date", "approved on 3 March 2021", "en", ["3 March 2021"]),
    case("zh-hant-yu", "改革探索40餘項，落地項目約300個", "zh", ["40餘項", "約300個"]),
    case("zh-hans-percent", "实施率64.5%，提高3个百分点", "zh", ["64.5%", "3个百分点"]),
    case("zh-date-then-count", "去年4月獲批，已實施57項", "zh", ["去年4月", "57項"]),
]


@pytest.mark.parametrize("text,lang,matches", SPANS)
def test_spans_are_the_written_token(text, lang, matches):
    toks = [t for t in tokenize(text, lang, REF) if t.kind != "marker"]
    assert [text[t.start:t.end] for t in toks] == matches
    for t in toks:
        if t.kind == "num":
            assert t.start <= t.number_start < t.end


# ------------------------------------------------------------------------------- properties
_ALPHABET = st.sampled_from(list(
    "0123456789,.'%-+()（）、:： \u00a0\u202f\u2009\u2212\n\tabcMayAprilJune"
    "零〇一二三四五六七八九十百千萬万億亿兩两廿卅點点成余餘多逾約约第是年月日號中旬底上今去前個个項项家")
    + ["more than ", "per cent", "last ", "this year", "上月", "百分之", "個百分點", "左右", "以上", "minus "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=60), st.lists(_ALPHABET, max_size=25).map("".join)),
       lang=st.sampled_from(["en", "zh"]), ref=st.sampled_from([None, REF, JAN]))
def test_tokenize_never_crashes_and_spans_never_overlap(text, lang, ref):
    toks = tokenize(text, lang, ref)
    previous_end = 0
    for t in toks:
        assert 0 <= t.start < t.end <= len(text)
        assert t.start >= previous_end, "tokens overlap or are out of order"
        previous_end = t.end
        assert t.kind in ("num", "date", "ord", "marker")
        if t.kind == "num":
            assert t.start <= t.number_start < t.end
            assert t.value == "" or Decimal(t.value) == Decimal(t.value)
