"""Tests for scripts/figure_context.py (what a number is about) and, end to end, for
extract_figures.extract_figures with the shipped catalog (config/metrics.yaml).

Every sentence and table here was written for this file (none comes from the seed or from
tests/corpus); expected values are read off the sentences by hand. Known failures are
``xfail(strict=True)`` with the layer and rule at fault, so a fix is noticed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import catalog
import extract_figures as ef
import figure_context as fc
import numerals
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "config" / "metrics.yaml"
REF = dt.date(2022, 5, 17)


def case(id_, *values, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(*values, id=id_, marks=marks)


@pytest.fixture(scope="module")
def cat():
    return catalog.load(SHIPPED)


@pytest.fixture(scope="module")
def lex(cat):
    return {lang: fc.build_lexicon(cat, lang) for lang in ("en", "zh")}


def index_of(line: fc.Line, match: str) -> int:
    found = [i for i, t in enumerate(line.tokens) if line.text[t.start:t.end] == match]
    assert len(found) == 1, f"{match!r} among {[line.text[t.start:t.end] for t in line.tokens]}"
    return found[0]


def ctx_of(line: fc.Line, match: str) -> fc.Context:
    return line.contexts[index_of(line, match)]


def match_of(line: fc.Line, i: int | None) -> str | None:
    return None if i is None else line.text[line.tokens[i].start:line.tokens[i].end]


# ------------------------------------------------------------------------------- relations
# (id, lang, text, [(relation, a, b)]): "part": a is a part of the whole b; "share": percentage a
# is the share of the part b; "share_of_whole": percentage a is a share of the whole b.
RELATIONS = [
    case("en-n-of-the-m", "en", "Officials say 57 of the 75 tasks have been carried out.", [("part", "57", "75")]),
    case("en-n-out-of-m", "en", "57 out of 75 tasks have been delivered.", [("part", "57", "75")]),
    case("en-of-the-m-x-n", "en", "Of the 75 tasks in the plan, 57 are now in place.", [("part", "57", "75")]),
    case("en-among-the-m", "en", "Among the 75 pilot tasks, 57 have been finished.", [("part", "57", "75")]),
    case("en-m-x-of-which-n", "en", "The plan sets out 75 tasks, of which 57 have been completed.",
         [("part", "57", "75")]),
    case("en-n-slash-m", "en", "Progress stands at 57/75 tasks.", [("part", "57", "75")]),
    case("en-out-of-a-total-of", "en", "The city has finished 57 tasks out of a total of 75.",
         [("part", "57", "75")]),
    case("en-n-of-them-next-sentence", "en", "The plan lists 75 tasks. 57 of them are complete.",
         [("part", "57", "75")]),
    case("en-share-parenthesis", "en", "So far 57 tasks (76%) have been implemented.", [("share", "76%", "57")]),
    case("en-share-or", "en", "So far 57 tasks, or 76%, have been implemented.", [("share", "76%", "57")]),
    case("en-share-or-per-cent", "en", "So far 57 tasks, or 76 per cent, have been implemented.",
         [("share", "76 per cent", "57")]),
    case("en-accounting-for", "en", "57 tasks have been implemented, accounting for 76% of the total.",
         [("share", "76%", "57")]),
    case("en-p-of-the-m", "en", "About 76% of the 75 tasks have been implemented.",
         [("share_of_whole", "About 76%", "75")]),
    case("en-part-and-share", "en", "57 of the 75 tasks, or 76 percent, have been implemented.",
         [("part", "57", "75"), ("share", "76 percent", "57")]),
    case("zh-hant-m-zhong-n", "zh", "75項任務中，已完成57項。", [("part", "57項", "75項")]),
    case("zh-hans-dangzhong", "zh", "在总体方案的75项任务当中，已有57项落地。", [("part", "57项", "75项")]),
    case("zh-hant-m-xiang-yi-shishi-n", "zh", "75項任務已實施57項。", [("part", "57項", "75項")]),
    case("zh-hans-m-xiang-yi-shishi-n", "zh", "75项任务已实施57项。", [("part", "57项", "75项")]),
    case("zh-hant-noun-first", "zh", "試點任務75項，已落實57項。", [("part", "57項", "75項")]),
    case("zh-slash", "zh", "任務完成57／75項。", [("part", "57", "75項")]),
    case("zh-hant-zhan", "zh", "已實施57項，佔76%。", [("share", "76%", "57項")]),
    case("zh-hans-zhan-zongshu", "zh", "已实施57项，占总数的76%。", [("share", "76%", "57项")]),
    case("zh-hans-zhanbi", "zh", "已实施57项，占比76%。", [("share", "76%", "57项")]),
    case("zh-hant-parenthesis", "zh", "已實施57項（76%）。", [("share", "76%", "57項")]),
    case("zh-hans-de-share-of-whole", "zh", "75项任务中的76%已经落地。", [("share_of_whole", "76%", "75项")]),
    case("zh-hant-part-and-share", "zh", "75項任務中已實施57項，佔76%。",
         [("part", "57項", "75項"), ("share", "76%", "57項")]),
]


@pytest.mark.parametrize("lang,text,expected", RELATIONS)
def test_relations(lex, lang, text, expected):
    line = fc.read_line(text, lang, lex[lang], REF)
    for relation, a, b in expected:
        ctx = ctx_of(line, a)
        if relation == "part":
            assert match_of(line, ctx.whole) == b
            assert ctx_of(line, b).is_whole
        elif relation == "share":
            assert match_of(line, ctx.part) == b
        else:
            assert match_of(line, ctx.share_whole) == b
            assert ctx_of(line, b).is_whole


NO_RELATION = [
    case("en-two-counts", "en", "The city has 75 tasks and 12 reforms."),
    case("en-date-and-count", "en", "In 2021 the city listed 75 tasks."),
    case("en-percent-of-other", "en", "Exports rose 12% in 2021, and 75 tasks were listed."),
    case("zh-two-counts", "zh", "共有75項任務和12項改革。"),
]


@pytest.mark.parametrize("lang,text", NO_RELATION)
def test_no_relation_between_unrelated_numbers(lex, lang, text):
    line = fc.read_line(text, lang, lex[lang], REF)
    for ctx in line.contexts.values():
        assert ctx.whole is None and ctx.part is None and ctx.share_whole is None and not ctx.is_whole


def test_relations_function_uses_token_indices():
    text = "Of the 75 tasks, 57 have been carried out (76%)."
    toks = numerals.tokenize(text, "en")
    found = fc.relations(catalog.fold(text, "en"), "en", toks)
    assert ("part", {"m": 0, "n": 1}) in found
    assert ("share", {"n": 1, "p": 2}) in found


def test_skeleton_replaces_only_quantities():
    text = "In April 2021, 57 of 75 tasks"
    toks = numerals.tokenize(text, "en", REF)
    skel = fc.skeleton(catalog.fold(text, "en"), toks)
    assert skel.startswith("in april 2021, ")
    assert len(skel) == len(text) - len("57") - len("75") + 2


# ------------------------------------------------------------------------------- nouns
# (id, lang, text, number as written, catalog noun (folded), how it was found)
NOUNS = [
    case("en-after", "en", "The city has launched 356 modern service projects.", "356", "service projects", "after"),
    case("en-after-modifiers", "en", "It issued 25 new supporting policy documents.", "25",
         "supporting policy documents", "after"),
    case("en-after-compound-and", "en", "Seven provinces and cities joined the trial.", "Seven",
         "provinces and cities", "after"),
    case("en-before-label", "en", "Tasks implemented so far: 57.", "57", "tasks", "before"),
    case("en-before-numbered", "en", "Reforms numbered 43 by the end of the year.", "43", "reforms", "before"),
    case("en-from-whole", "en", "Of the 75 tasks, 57 have been implemented.", "57", "tasks", "whole"),
    case("en-whole-backwards", "en", "Officials say 57 of the 75 tasks have been carried out.", "57", "tasks",
         "whole"),
    # the whole after its part takes the previous number's noun (the rule before "part" in read_line)
    case("en-previous-whole", "en", "The city has finished 57 tasks, out of a plan of 75.", "75", "tasks",
         "previous"),
    case("en-from-part", "en", "Of the 75 in the plan, 57 tasks have been carried out.", "75", "tasks", "part"),
    case("en-previous", "en", "75 tasks were planned and 57 were completed.", "57", "tasks", "previous"),
    case("zh-hant-after", "zh", "已出台25個配套政策文件。", "25個", "配套政策文件", "after"),
    case("zh-hans-after-with-modifier", "zh", "新增12个制度创新案例。", "12个", "制度创新案例", "after"),
    case("zh-hant-before", "zh", "形成改革探索40餘項。", "40餘項", "改革探索", "before"),
    case("zh-hans-before-with-event", "zh", "试点任务已落实57项。", "57项", "试点任务", "before"),
    case("zh-hant-before-qualifier", "zh", "落地現代服務業項目約360個。", "約360個", "服务业项目", "before"),
    case("zh-hant-from-whole", "zh", "75項任務中，已完成57項。", "57項", "任务", "whole"),
    case("zh-hans-after-of-one", "zh", "重庆是全国11个之一的试点省市。", "11个", "试点省市", "after"),
    case("zh-hant-of-one", "zh", "重慶是全國11個之一、首批獲國務院批准開展綜合試點的省市。", "11個", "省市", "of-one"),
]


@pytest.mark.parametrize("lang,text,match,noun,how", NOUNS)
def test_noun_attachment(lex, lang, text, match, noun, how):
    ctx = ctx_of(fc.read_line(text, lang, lex[lang], REF), match)
    assert ctx.noun is not None, "no noun"
    assert (ctx.noun.text, ctx.noun_how) == (noun, how)


NO_NOUN = [
    case("en-enterprises", "en", "More than 40 enterprises signed up.", "More than 40"),
    case("en-other-plural-between", "en", "It opened 12 offices for tasks abroad.", "12"),
    case("en-people", "en", "About 300 people attended the launch.", "About 300"),
    case("zh-hant-jia", "zh", "共有40家企業參與。", "40家"),
    case("zh-hans-other-noun", "zh", "11个区新增任务。", "11个"),
    case("zh-hans-people", "zh", "约300人参加。", "约300人"),
]


@pytest.mark.parametrize("lang,text,match", NO_NOUN)
def test_number_of_something_else_gets_no_catalog_noun(lex, lang, text, match):
    assert ctx_of(fc.read_line(text, lang, lex[lang], REF), match).noun is None


# ------------------------------------------------------------------------------- events
# (id, lang, text, number as written, states of the events given to it)
EVENTS = [
    case("en-have-been", "en", "57 tasks have been implemented.", "57", {"done"}),
    case("en-perfect-active", "en", "The city has implemented 57 tasks.", "57", {"done"}),
    case("en-past-active", "en", "Last year the city carried out 57 tasks.", "57", {"done"}),
    case("en-nominal", "en", "The implementation of 57 tasks is a milestone.", "57", {"done"}),
    case("en-gapped-phrasal", "en", "The city put 57 tasks into effect.", "57", {"done"}),
    case("en-will-be", "en", "57 tasks will be implemented.", "57", {"planned"}),
    case("en-will-active", "en", "The city will implement 57 tasks.", "57", {"planned"}),
    case("en-plans-to", "en", "The city plans to implement 57 tasks.", "57", {"planned"}),
    case("en-aims-to", "en", "The city aims to complete 57 tasks by June.", "57", {"planned"}),
    case("en-to-infinitive", "en", "Work to implement 57 tasks continues.", "57", {"planned"}),
    case("en-are-being", "en", "57 tasks are being implemented.", "57", {"ongoing"}),
    case("en-is-ing", "en", "The city is implementing 57 tasks.", "57", {"ongoing"}),
    case("zh-hant-yi", "zh", "已實施57項任務。", "57項", {"done"}),
    case("zh-hans-after-noun", "zh", "57项任务已落地。", "57项", {"done"}),
    case("zh-hans-le", "zh", "实施了57项任务。", "57项", {"done"}),
    case("zh-hant-leiji", "zh", "累計完成57項。", "57項", {"done"}),
    case("zh-hant-jiang", "zh", "將實施57項任務。", "57項", {"planned"}),
    case("zh-hans-tuidong-luoshi", "zh", "推动57项任务全面落实。", "57项", {"planned"}),
    case("zh-hans-lizheng", "zh", "力争完成57项任务。", "57项", {"planned"}),
    case("zh-hant-zhengzai", "zh", "正在實施57項任務。", "57項", {"ongoing"}),
]


@pytest.mark.parametrize("lang,text,match,states", EVENTS)
def test_event_state(lex, lang, text, match, states):
    ctx = ctx_of(fc.read_line(text, lang, lex[lang], REF), match)
    assert {state for _, state in ctx.events} == states


def test_event_goes_to_the_nearest_number_of_its_clause(lex):
    line = fc.read_line("The plan had 75 tasks; 57 tasks have been carried out.", "en", lex["en"], REF)
    assert ctx_of(line, "75").events == []
    assert [s for _, s in ctx_of(line, "57").events] == ["done"]


# ------------------------------------------------------------------------------- subsets
SUBSETS = [
    case("en-remaining", "en", "The remaining 18 tasks are harder.", "18", True),
    case("en-another", "en", "Another 18 tasks are under review.", "18", True),
    case("en-left", "en", "There are 18 tasks left.", "18", True),
    case("en-to-go", "en", "With 18 tasks to go, the end is near.", "18", True),
    case("zh-hant-qiyu", "zh", "其餘18項任務正在推進。", "18項", True),
    case("zh-hans-shengyu", "zh", "剩余18项任务年内完成。", "18项", True),
    case("zh-hans-haiyou", "zh", "还有18项任务待落实。", "18项", True),
    case("en-all", "en", "All 75 tasks are listed.", "75", False),
    case("en-the", "en", "The 75 tasks are listed.", "75", False),
    case("zh-plain", "zh", "方案列出75項任務。", "75項", False),
]


@pytest.mark.parametrize("lang,text,match,subset", SUBSETS)
def test_subset_markers(lex, lang, text, match, subset):
    assert ctx_of(fc.read_line(text, lang, lex[lang], REF), match).subset is subset


# ------------------------------------------------------------------------------- clauses and sentences
def test_clauses_are_not_cut_inside_a_number():
    text = "It listed 1,250 items, of which 900 are done."
    spans = fc.clause_spans(text, "en", numerals.tokenize(text, "en"))
    assert [text[s:e] for s, e in spans] == ["It listed 1,250 items,", " of which 900 are done."]


def test_sentences_cut_at_chinese_and_english_ends():
    text = "任務75項。Done: 57. 其餘18項；待辦"
    assert [text[s:e] for s, e in fc.sentence_spans(text, "zh")] == ["任務75項。", "Done: 57.", " 其餘18項；", "待辦"]
    english = "The plan has 75 tasks; 57 are done. More later"
    assert [english[s:e] for s, e in fc.sentence_spans(english)] == ["The plan has 75 tasks; 57 are done.", " More later"]


# ------------------------------------------------------------------------------- tables
@pytest.mark.parametrize("text,expected", [
    pytest.param("Tasks | 75 | 57", ["Tasks", "75", "57"], id="plain"),
    pytest.param("| Tasks | 75 |", ["Tasks", "75"], id="outer-bars"),
    pytest.param("任務｜75項", ["任務", "75項"], id="fullwidth-bar"),
    pytest.param("Tasks |  | 57", ["Tasks", "", "57"], id="empty-cell-kept"),
])
def test_cells(text, expected):
    assert [text[s:e] for s, e in fc.cells(text)] == expected


@pytest.mark.parametrize("text,expected", [
    pytest.param("Tasks | 75", True, id="row"),
    pytest.param("任務｜75項", True, id="fullwidth"),
    pytest.param("Tasks 75", False, id="no-bar"),
    pytest.param("|", False, id="bar-only"),
])
def test_is_table_row(text, expected):
    assert fc.is_table_row(text) is expected


def test_row_label_gives_noun_and_event(lex):
    line = fc.read_row("Tasks implemented | 57", "en", lex["en"], REF)
    ctx = ctx_of(line, "57")
    assert ctx.noun.text == "tasks" and ctx.noun_how == "label"
    assert {s for _, s in ctx.events} == {"done"}


def test_column_heading_gives_event(lex):
    line = fc.read_row("Tasks | 75 | 57", "en", lex["en"], REF, ["Indicator", "Target", "Achieved"])
    assert ctx_of(line, "75").events == []
    assert {s for _, s in ctx_of(line, "57").events} == {"done"}
    assert ctx_of(line, "57").noun.text == "tasks"


def test_index_column_is_not_a_figure(lex):
    line = fc.read_row("1 | Tasks implemented | 57", "en", lex["en"], REF, ["No.", "Indicator", "Value"])
    assert [t.kind for t in line.tokens] == ["marker", "num"]
    line = fc.read_row("2 | 已實施任務 | 57項", "zh", lex["zh"], REF, ["序號", "指標", "數值"])
    assert [t.kind for t in line.tokens] == ["marker", "num"]


# ------------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def attribute(cat):
    def run(lines: list[str] | str, lang: str | None, date: str | None = "2022-05-17") -> list[tuple]:
        lines = [lines] if isinstance(lines, str) else lines
        doc = {"source": "t", "path": "t.txt", "metadata": {"date": date},
               "lines": [{"line": n, "lang": lang, "text": text} for n, text in enumerate(lines, 1)]}
        rows = ef.extract_figures(doc, cat)
        return sorted((r["metric"], r["value"], r["qualifier"]) for r in rows if r["metric"])
    return run


TOTAL, DONE, SHARE = "tasks_total", "tasks_done", "tasks_done_share"

E2E_EN = [
    case("of-the-or-percent", "By the end of March, Xiamen had implemented 57 of the 75 tasks in its pilot plan, "
         "or 76 percent.", [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("of-the-m-comma-n", "Of the 75 tasks, 57 have been carried out so far.",
         [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("of-which", "The pilot plan lists 75 tasks, of which 57 are already in place.",
         [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("accounting-for", "Officials said 57 tasks had been completed, accounting for 76% of the total.",
         [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("rate-name", "The implementation rate now stands at 76%.", [(SHARE, "76", "eq")]),
    case("rate-after-pp-change", "The implementation rate rose by 5 percentage points to 76%.",
         [(SHARE, "76", "eq")],
         xfail="figure_context._name_for gives up when a number stands between a name and its number: "
               "'rose by 5 percentage points to 76%'"),
    case("word-numbers", "Sixty-one of the eighty tasks have been put into practice.",
         [(DONE, "61", "eq"), (TOTAL, "80", "eq")]),
    case("qualifier-more-than", "Chongqing has rolled out more than 40 pioneering reforms since its approval.",
         [("reforms", "40", "gt")]),
    case("approx-projects", "Some 356 modern service projects have been launched.", [("projects", "356", "approx")]),
    case("policies", "The city issued 25 supporting policy documents.", [("policies", "25", "eq")]),
    case("featured", "Eleven featured innovation tasks were designed for the pilot.",
         [("featured_tasks", "11", "eq")]),
    case("cases", "Six best-practice cases from the city were promoted nationwide.",
         [("innovation_cases", "6", "eq")]),
    case("regions-one-of", "Beijing is one of 11 provinces and cities in the comprehensive pilot.",
         [("pilot_regions", "11", "eq")]),
    case("approval-relative", "The State Council approved the pilot in April last year.",
         [("approval_date", "2021-04", "eq")]),
    case("approval-absolute-day", "The pilot, approved on 23 April 2021, runs until 2024.",
         [("approval_date", "2021-04-23", "eq")]),
    case("duration-runs-for", "The pilot runs for three years.", [("duration_years", "3", "eq")]),
    case("duration-will-run-for", "The pilot will run for three years.", [("duration_years", "3", "eq")]),
    case("duration-adjective", "It is a three-year pilot programme.", [("duration_years", "3", "eq")]),
    case("total-and-approval", "Seventy-five tasks were listed in the plan when it was approved in April 2021.",
         [("approval_date", "2021-04", "eq"), (TOTAL, "75", "eq")]),
    case("so-far-or", "So far 57 tasks, or 76%, have been completed.", [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    # precision traps
    case("trap-enterprises", "More than 40 enterprises signed up to the pilot.", []),
    case("trap-phone", "For enquiries, call 023-6123 4567.", []),
    case("trap-future-all-is-total", "The city will implement all 75 tasks by 2025.", [(TOTAL, "75", "eq")]),
    case("trap-remaining", "The remaining 18 tasks are expected to be finished by December.", []),
    case("trap-another-ongoing", "Another 9 tasks are being implemented.", []),
    case("trap-parks", "In 2021 the city set up 3 industrial parks.", []),
    case("trap-other-count-beside-total", "The pilot covers 75 tasks across 6 areas.", [(TOTAL, "75", "eq")]),
    case("trap-percent-of-something-else", "Service exports grew 12.5% last year.", []),
    case("trap-list-marker", "2) Carry out the tasks of the plan.", []),
    case("trap-covid", "Despite COVID-19, 57 tasks have been implemented.", [(DONE, "57", "eq")]),
    case("trap-negated", "Officials have not yet implemented 18 of the tasks.", []),
    case("nearly-of-the", "Nearly 60 of the 75 tasks have now been put in place.",
         [(DONE, "60", "lt"), (TOTAL, "75", "eq")]),
    case("share-of-the-m-in-the-plan", "A total of 57 tasks have been implemented, 76% of the 75 in the plan.",
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("since-approval", "Since approval in April 2021, 57 tasks have been implemented.",
         [("approval_date", "2021-04", "eq"), (DONE, "57", "eq")]),
    case("approval-day-last-year", "The pilot was approved on April 23 last year.",
         [("approval_date", "2021-04-23", "eq")]),
    case("hyphenated-adjective", "The 75-task plan was approved in April 2021.",
         [("approval_date", "2021-04", "eq"), (TOTAL, "75", "eq")]),
    case("semicolon-then-part", "The plan has 75 tasks; 57 (76%) have been implemented.",
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("of-its-m-long-gap", "Of its 75 tasks, the city has completed 57.", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("featured-part-of-total", "Eleven of the 75 tasks are featured tasks tailored to local needs.",
         [("featured_tasks", "11", "eq"), (TOTAL, "75", "eq")],
         xfail="extract_figures._count_fit treats featured_tasks (no event) as a total, so the part 'Eleven' is "
               "refused (why=part) and the whole 75 takes the sentence's 'featured'"),
    case("share-of-unnumbered-whole", "76% of the tasks have been implemented.", [(SHARE, "76", "eq")]),
    case("trap-to-go-elided-noun", "57 tasks have been completed, with 18 to go.", [(DONE, "57", "eq")]),
    case("trap-up-from-baseline", "The city has so far carried out 57 tasks, up from 41 a year earlier.",
         [(DONE, "57", "eq")]),
    case("trap-target-by-date", "The city aims to complete 57 tasks by June.", []),
]

E2E_HANS = [
    case("zhan-zongshu", "截至今年3月底，厦门已实施试点任务57项，占任务总数的76%。", [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("gong-luodi", "总体方案共75项任务，已落地实施57项。", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("zhong-rate", "在75项任务中，已完成57项，完成率76%。",
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("numeral-words", "七十五项任务已实施六十一项。", [(DONE, "61", "eq"), (TOTAL, "75", "eq")]),
    case("approval-duration", "该试点于去年4月获批，为期三年。",
         [("approval_date", "2021-04", "eq"), ("duration_years", "3", "eq")]),
    case("reforms-yu", "累计形成首创性改革探索40余项。", [("reforms", "40", "gt")]),
    case("projects-yue", "落地现代服务业项目约360个。", [("projects", "360", "approx")]),
    case("policies", "出台配套政策文件25个。", [("policies", "25", "eq")]),
    case("featured", "设计特色创新任务11项。", [("featured_tasks", "11", "eq")]),
    case("regions-of-one", "北京是全国11个综合试点省市之一。", [("pilot_regions", "11", "eq")]),
    case("plan-future-total", "市政府将全面实施75项任务。", [(TOTAL, "75", "eq")]),
    case("approval-absolute", "重庆市于2021年4月获批开展服务业扩大开放综合试点。", [("approval_date", "2021-04", "eq")]),
    case("chengshu-rate", "任务实施率超过八成。", [(SHARE, "80", "gt")]),
    # precision traps
    case("trap-remaining", "其余16项任务正在推进。", []),
    case("trap-jia", "全市有40家企业参与试点。", []),
    case("trap-phone", "咨询电话：023-61234567。", []),
    case("trap-phone-after-hanzi", "咨询电话为023-61234567。", []),   # read as numbers, but claimed by none
    case("trap-yidaiyilu", "推动一带一路建设，推出一批改革。", []),
    case("trap-marker", "（一）落实试点任务。", []),
    case("zhong-yiyou-luodi-jianxiao", "截至5月中旬，75项试点任务中已有57项落地见效。",
         [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("de-share-of-total", "已实施的57项任务占总数的76%。", [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("policies-tiao", "全市出台支持政策25条。", [("policies", "25", "eq")]),
    case("cases-qizhong", "累计推出创新案例12个，其中3个入选全国最佳实践案例。", [("innovation_cases", "12", "eq")]),
    case("duration-shiqi", "试点期为3年。", [("duration_years", "3", "eq")]),
    case("plan-years-and-total", "该市计划用三年时间完成75项任务。", [("duration_years", "3", "eq"), (TOTAL, "75", "eq")]),
    case("spelled-percent", "75项任务中已实施57项，实施率达到百分之七十六。",
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("rate-then-pp", "试点任务实施率为76%，较上月提高3个百分点。", [(SHARE, "76", "eq")]),
    case("reforms-qizhong", "重庆形成改革成果40余项，其中12项在全国推广。", [("reforms", "40", "gt")]),
    case("progress-slash", "任务实施进度：57/75。", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("trap-investment", "今年以来新落地项目120个，总投资500亿元。", [("projects", "120", "eq")]),
    case("trap-market-entities", "去年以来，全市新增市场主体3万户。", []),
    case("trap-not-yet-done", "目前尚有18项任务未完成。", []),
    case("rate-from-to", "任务完成率由去年的50%提高到76%。", [(SHARE, "76", "eq")],
         xfail="figure_context._name_for (zh) allows one character between a name and its number: "
               "'完成率由去年的50%提高到76%' reaches neither percentage"),
]

E2E_HANT = [
    case("zhan-zongshu", "截至今年3月底，廈門已實施試點任務57項，佔任務總數的76%。", [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("gong-luodi", "總體方案共75項任務，已落地實施57項。", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("zhong-you-rate", "目前75項任務中有57項已實施，實施率達76%。",
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("approval-duration", "該試點於去年4月獲批，為期三年。",
         [("approval_date", "2021-04", "eq"), ("duration_years", "3", "eq")]),
    case("reforms-yu", "累計形成首創性改革探索40餘項。", [("reforms", "40", "gt")]),
    case("projects-yue", "落地現代服務業項目約360個。", [("projects", "360", "approx")]),
    case("policies", "出台配套政策文件25個。", [("policies", "25", "eq")]),
    case("cases", "12個案例入選全國最佳實踐案例。", [("innovation_cases", "12", "eq")]),
    case("regions-of-one", "北京是全國11個綜合試點省市之一。", [("pilot_regions", "11", "eq")]),
    case("rate-chengshu", "推進率為八成。", [(SHARE, "80", "eq")]),
    case("noun-before-numeral", "試點任務已實施六十一項。", [(DONE, "61", "eq")]),
    case("approval-numeral-date", "二〇二一年四月，國務院批復同意開展綜合試點。", [("approval_date", "2021-04", "eq")]),
    # precision traps
    case("trap-remaining-future", "還將推動其餘18項任務全面落實。", []),
    case("trap-jia", "全市有40家企業參與試點。", []),
    case("trap-phone", "諮詢電話：023-61234567。", []),
    case("trap-future-plan-progress", "力爭年內完成57項任務。", []),
    case("trap-people", "約300人參加發布會。", []),
    case("noun-first-jiezhi", "全市共有試點任務75項，截至目前已完成57項。", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("li-you", "在75項任務裡，已經落實的有57項。", [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("zhanbi", "已落地實施的任務達57項，佔比76%。", [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("cases-xinzeng", "新增制度創新案例12個。", [("innovation_cases", "12", "eq")]),
    case("approval-qunian", "國務院去年4月正式批准重慶開展試點。", [("approval_date", "2021-04", "eq")]),
    case("trap-enterprises-then-projects", "全市引進外資企業40家，落地重點項目18個。", [("projects", "18", "eq")]),
    case("regions-gong", "首批試點地區共5個省市。", [("pilot_regions", "5", "eq")]),
    case("rate-chengshu-gt", "截至目前，改革試點任務實施率已超過七成。", [(SHARE, "70", "gt")]),
    case("trap-phone-no-area-code", "市商務委電話：63880000。", []),
    case("noun-before-adverb-verb", "改革舉措40餘項陸續推出。", [("reforms", "40", "gt")]),
    case("trap-second-batch", "本月將啟動第二批18項任務。", []),
]


@pytest.mark.parametrize("text,expected", E2E_EN)
def test_end_to_end_en(attribute, text, expected):
    assert attribute(text, "en") == sorted(expected)


@pytest.mark.parametrize("text,expected", E2E_HANS)
def test_end_to_end_zh_hans(attribute, text, expected):
    assert attribute(text, "zh") == sorted(expected)


@pytest.mark.parametrize("text,expected", E2E_HANT)
def test_end_to_end_zh_hant(attribute, text, expected):
    assert attribute(text, "zh") == sorted(expected)


def test_line_without_lang_tag_is_read_by_its_script(attribute):
    assert attribute("總體方案共75項任務，已落地實施57項。", None) == [(DONE, "57", "eq"), (TOTAL, "75", "eq")]
    assert attribute("Of the 75 tasks, 57 have been carried out so far.", None) == [(DONE, "57", "eq"),
                                                                                   (TOTAL, "75", "eq")]


def test_relative_date_without_reference_is_not_guessed(attribute):
    assert attribute("The State Council approved the pilot in April last year.", "en", date=None) == [
        ("approval_date", "", "eq")]


# ------------------------------------------------------------------------------- tables end to end
TABLES = [
    case("en-row-label", "en", ["Tasks implemented | 57", "Implementation rate | 76%"],
         [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("en-header-columns", "en", ["Indicator | Target | Achieved", "Tasks | 75 | 57"],
         [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("en-index-column", "en", ["No. | Indicator | Value", "1 | Tasks implemented | 57",
                                   "2 | Supporting policies | 25"],
         [(DONE, "57", "eq"), ("policies", "25", "eq")]),
    case("en-notes-column-ignored", "en", ["Indicator | Value | Notes",
                                           "Tasks implemented | 57 | 9 more than last quarter"],
         [(DONE, "57", "eq")]),
    case("en-column-oriented", "en", ["Tasks in plan | Tasks implemented | Implementation rate", "75 | 57 | 76%"],
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("en-part-in-cell", "en", ["Indicator | Value", "Tasks implemented | 57 of 75 (76%)"],
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("hant-row-label", "zh", ["已實施任務 | 57項", "實施率 | 76%"], [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    case("hans-index-column", "zh", ["序号 | 指标 | 数值", "1 | 已实施任务 | 57项", "2 | 配套政策文件 | 25个"],
         [(DONE, "57", "eq"), ("policies", "25", "eq")]),
    case("hant-notes-column-ignored", "zh", ["指標 | 數值 | 備註", "已實施任務 | 57項 | 較上季度增加9項"],
         [(DONE, "57", "eq")]),
    case("hant-column-oriented", "zh", ["任務總數 | 已實施 | 實施率", "75 | 57 | 76%"],
         [(DONE, "57", "eq"), (SHARE, "76", "eq"), (TOTAL, "75", "eq")]),
    case("hans-slash-cell", "zh", ["指标 | 进度", "试点任务实施 | 57／75项"],
         [(DONE, "57", "eq"), (TOTAL, "75", "eq")]),
    case("en-unit-in-heading", "en", ["Indicator | Count | Share (%)", "Tasks implemented | 57 | 76"],
         [(DONE, "57", "eq"), (SHARE, "76", "eq")]),
    # lessons of the second held-out set, in new words: the unit in the row label or a unit cell,
    # a row that is a part of the one above, a column of changes
    case("en-percent-in-label", "en", ["Indicator | Value", "Tasks in the plan | 132", "Tasks delivered | 99",
                                       "Delivery rate (%) | 75.0"],
         [(DONE, "99", "eq"), (SHARE, "75.0", "eq"), (TOTAL, "132", "eq")]),
    case("en-percent-unit-cell", "en", ["Measure | Unit | Figure", "Completion rate | % | 61.5"],
         [(SHARE, "61.5", "eq")]),
    case("hant-percent-unit-cell", "zh", ["項目 | 單位 | 數據", "任務完成率 | % | 64.2"], [(SHARE, "64.2", "eq")]),
    case("hans-percent-in-label", "zh", ["指标 | 数据", "任务落实率（%） | 58.3"], [(SHARE, "58.3", "eq")]),
    case("hans-of-which-row", "zh", ["指标 | 累计", "出台配套政策文件（份） | 31", "其中：人才政策（份） | 7"],
         [("policies", "31", "eq")]),
    case("en-of-which-row", "en", ["Item | Total", "Supporting policy documents | 31", "of which: on talent | 7"],
         [("policies", "31", "eq")]),
    case("hant-change-column", "zh", ["指標 | 累計 | 本月新增", "已落實任務 | 77項 | 6項", "配套政策文件 | 29份 | 3份"],
         [(DONE, "77", "eq"), ("policies", "29", "eq")]),
    case("en-change-column", "en", ["Indicator | To date | New this month", "Tasks implemented | 77 | 6"],
         [(DONE, "77", "eq")]),
]


@pytest.mark.parametrize("lang,lines,expected", TABLES)
def test_tables_end_to_end(attribute, lang, lines, expected):
    assert attribute(lines, lang) == sorted(expected)

# ------------------------------------------------------------------------------- lessons of the held-out sets
# The shapes each held-out set taught, in new words (other cities, numbers and wording than its items).
LESSONS = [
    case("en-annex-number", "en", "Article 5. The 104 tasks, set out in Annex 3, fall to the city's bureaus.",
         [(TOTAL, "104", "eq")]),
    case("hans-annex-number", "zh", "任务清单见附件2，共计93项任务。", [(TOTAL, "93", "eq")]),
    case("hant-gong-then-assignment", "zh", "二、方案所列任務共93項，由市級各部門分工推進落實。", [(TOTAL, "93", "eq")]),
    case("hant-time-spent-not-duration", "zh", "全市用了一年半時間，在93項任務中完成了41項。",
         [(DONE, "41", "eq"), (TOTAL, "93", "eq")]),
    case("en-a-hundred-and", "en", "So far we have finished sixty-two of the hundred and four tasks.",
         [(DONE, "62", "eq"), (TOTAL, "104", "eq")]),
    case("en-share-of-tasks-done", "en", "Well over 70 percent of its tasks are now in place, the bureau said.",
         [(SHARE, "70", "gt")]),
    case("en-share-of-bare-plural", "en", "Headline: 64 percent of tasks completed in Xi'an pilot",
         [(SHARE, "64", "eq")]),
    case("en-growth-is-not-a-share", "en", "The number of tasks completed rose 12 percent from a year earlier.", []),
    case("hans-share-by-noun-and-event", "zh", "西安试点任务已完成逾七成。", [(SHARE, "70", "gt")]),
    case("hant-tupo-is-more-than", "zh", "任務落實率突破六成。", [(SHARE, "60", "gt")]),
    case("hant-growth-is-not-a-share", "zh", "已完成任務數同比增長12%。", []),
    case("hans-yuxia-is-a-subset", "zh", "余下31项任务将于明年完成。", []),
    case("hans-new-is-an-increment", "zh", "下半年力争新落实试点任务20项以上。", []),
    case("en-dash-aside", "en", "We have completed - and I want to stress this - 62 of the 104 tasks.",
         [(DONE, "62", "eq"), (TOTAL, "104", "eq")]),
    case("en-of-them-next-sentence", "en", "Xi'an's plan has 104 tasks. By June, 62 of them had been completed.",
         [(DONE, "62", "eq"), (TOTAL, "104", "eq")]),
    case("en-of-them-next-line", "en", ["The plan contains 104 tasks.", "Officials have carried out 62 of them."],
         [(DONE, "62", "eq"), (TOTAL, "104", "eq")]),
    case("hant-answer-to-question", "zh", ["記者：方案一共有多少項任務？", "主任：一共是104項，目前已完成62項。"],
         [(DONE, "62", "eq"), (TOTAL, "104", "eq")]),
    case("en-answer-to-question", "en", "Q: How many tasks does the plan have? A: 104 in total.", [(TOTAL, "104", "eq")]),
    case("hant-approved-plan-is-not-a-date", "zh", "6月9日，會上通報：國務院批復的方案93項任務已落實41項。",
         [(DONE, "41", "eq"), (TOTAL, "93", "eq")]),
    case("hans-date-right-before-approved-plan", "zh", "国务院于2022年9月批复的方案共93项任务。",
         [("approval_date", "2022-09", "eq"), (TOTAL, "93", "eq")]),
    # ... and of the third, in new words again
    case("en-still-open-is-left", "en", "The plan lists 96 tasks; nineteen tasks are still open.", [(TOTAL, "96", "eq")]),
    case("en-remaining-done-later", "en", "A further 12 tasks remain and are due for completion in spring.", []),
    case("en-up-by-is-a-change", "en", "The city now has 31 innovation cases, up by five since January.",
         [("innovation_cases", "31", "eq")]),
    case("en-of-which-is-a-part", "en", "It has formed 31 innovation cases -- nine of which went national.",
         [("innovation_cases", "31", "eq")]),
    case("en-future-outputs", "en", "Next year the city will launch another 25 modern service projects.", []),
    case("en-quarter-is-not-a-count", "en", ["Item | Count, end of Q2", "Pioneering reforms | 52"],
         [("reforms", "52", "eq")]),
    case("en-projects-under-negotiation-row", "en", ["Service projects in operation | 64",
                                                     "Projects under negotiation | 23"], [("projects", "64", "eq")]),
    case("en-share-in-the-next-sentence", "en", "Taiyuan has carried out 66 of its 96 tasks. "
         "That comes to 68.8 percent of the plan.", [(DONE, "66", "eq"), (SHARE, "68.8", "eq"), (TOTAL, "96", "eq")]),
    case("en-share-between-dashes", "en", "Some 66 of the pilot's 96 tasks -- 68.8 percent -- are done.",
         [(DONE, "66", "approx"), (SHARE, "68.8", "eq"), (TOTAL, "96", "eq")]),
    case("en-share-of-something-else", "en", "Taiyuan has carried out 66 tasks; 35 percent of the investment "
         "came from abroad.", [(DONE, "66", "eq")]),
    case("hant-jiushi-share", "zh", "太原已完成任務66項，也就是百分之六十八點八。", [(DONE, "66", "eq"), (SHARE, "68.8", "eq")]),
    case("hans-share-of-gdp-beside", "zh", "已完成任务66项。服务业增加值占地区生产总值的比重为58.3%。", [(DONE, "66", "eq")]),
    case("hans-topic-carries-to-the-next-sentence", "zh", "方案共列出任务96项。截至9月底，已落实66项。",
         [(DONE, "66", "eq"), (TOTAL, "96", "eq")]),
    case("hant-notes-column-parts", "zh", ["指標 | 數值 | 備註", "制度創新案例 | 31個 | 其中全國推廣9個"],
         [("innovation_cases", "31", "eq")]),
    case("hant-years-unit-cell", "zh", ["指標 | 單位 | 數值", "試點期限 | 年 | 3"], [("duration_years", "3", "eq")]),
    # ... and of the fourth
    case("en-other-programme-named", "en", "The Hainan free trade port has finished 41 of its 52 reform tasks.", []),
    case("hans-other-programme-named", "zh", "广西自贸试验区南宁片区52项改革试点任务已完成41项。", []),
    case("hans-table-under-other-programme", "zh", ["广西自贸试验区各片区任务完成情况", "片区 | 任务数 | 已完成",
                                                    "南宁片区 | 52 | 41"], []),
    case("en-remaining-row", "en", ["Item | Count", "Tasks in plan | 96", "Tasks still to be done | 9"],
         [(TOTAL, "96", "eq")]),
    case("en-faq-hotline-is-not-a-count", "en", "Q: How many tasks are there? A: 96. Q: Is there a help line? "
         "A: Yes, 96110.", [(TOTAL, "96", "eq")]),
    case("en-faq-what-is-left", "en", ["Q: How many tasks does the plan have?", "A: 96.",
                                       "Q: How many tasks are left?", "A: Nine."], [(TOTAL, "96", "eq")]),
    case("hant-faq-progress-two-lines-down", "zh", ["問：方案有多少項任務？", "答：共96項。", "問：進度如何？",
                                                    "答：已完成87項。"], [(DONE, "87", "eq"), (TOTAL, "96", "eq")]),
    case("en-to-be-formed-is-a-target", "en", "Targets: at least 40 innovation cases to be formed by 2025.", []),
    case("en-a-further-is-an-increment", "en", "The city issued a further eight supporting policies this spring, "
         "bringing the total to 27.", [("policies", "27", "eq")]),
    case("en-in-every-hundred", "en", "Dalian has done seventy-seven in every hundred tasks of its plan.",
         [(SHARE, "77", "eq")]),
    case("en-three-quarters-of", "en", "Roughly three quarters of the pilot tasks are now in place.",
         [(SHARE, "75", "approx")]),
    case("hans-fraction", "zh", "试点任务已完成四分之三。", [(SHARE, "75", "eq")]),
    case("hant-cheng-and-a-digit", "zh", "任務落實率約為七成五。", [(SHARE, "75", "approx")]),
    case("hant-each-one-is-not-a-count", "zh", "另有首創性改革十三項，每一項都經過論證。", [("reforms", "13", "eq")]),
    case("hans-first-batch-is-a-subset", "zh", "会议同意将首批启动的12项任务列入清单。", []),
    case("hant-zuowan-is-done", "zh", "九十六項任務，我們做完了八十七項。", [(DONE, "87", "eq"), (TOTAL, "96", "eq")]),
    case("en-faq-event-in-the-question", "en", "How many tasks does the plan list? 96. How many have been carried "
         "out? 87 so far.", [(DONE, "87", "eq"), (TOTAL, "96", "eq")]),
    case("hant-finished-ones-describe-others", "zh", "方案共九十六項任務，每項一卷，做完的就歸檔。", [(TOTAL, "96", "eq")]),
    # ... and of all the development material together
    case("hans-zuole-is-done", "zh", "说到底，七十八项任务，我们今年做了六十一项。", [(DONE, "61", "eq"), (TOTAL, "78", "eq")]),
    case("hant-zuole-another-count", "zh", "這份方案我們做了三次修訂，共列任務七十八項。", [(TOTAL, "78", "eq")]),
    case("en-taken-first-is-a-batch", "en", "The board agreed that 18 tasks on data flows be tackled first.", []),
    case("en-priority-batch-beside-progress", "en", "Of the 78 tasks, 61 are done; 12 tasks on logistics were "
         "fast-tracked last spring.", [(DONE, "61", "eq"), (TOTAL, "78", "eq")]),
    case("hant-taken-first-is-a-batch", "zh", "數字貿易方面的12項任務率先實施。", []),
    case("hans-first-in-the-country-is-not-a-batch", "zh", "该市在全国率先实施首创性改革举措23项。",
         [("reforms", "23", "eq")]),
    # ... of the last misses and wrong figures of all the development material (issue 11 closed on them)
    case("en-label-colon-value", "en", ["Quarterly summary", "(a) Pilot tasks in the overall plan: 97."],
         [(TOTAL, "97", "eq")]),
    case("en-long-label-colon-value", "en", "- innovation cases recognised since the pilot opened: 23",
         [("innovation_cases", "23", "eq")]),
    case("en-label-comma-value", "en", "The notice board reads: tasks finished, fifty-two; tasks overall, seventy.",
         [(DONE, "52", "eq"), (TOTAL, "70", "eq")]),
    case("en-labels-of-other-things", "en", "Visitors, 3,000; exhibitors, 120.", []),
    case("en-date-comma-value-is-no-label", "en", "By the end of March, 52.", []),
    case("en-restated-pair", "en", "Most of our plan's tasks are now in place. It is 88 of 97 at the last count.",
         [(DONE, "88", "eq"), (TOTAL, "97", "eq")]),
    case("en-pair-after-another-verb", "en", "Most of our plan's tasks are now in place. Inspectors visited 12 of 15.",
         []),
    case("en-pair-of-other-things", "en", "Our plan's tasks are now largely in place. That's 12 of the 15 districts.",
         []),
    case("en-one-of-n-group-named-before", "en", "The State Council chose a group of comprehensive pilots in 2021. "
         "Xiamen is one of seven provinces and cities in it.", [("pilot_regions", "7", "eq")]),
    case("en-one-of-n-other-group", "en", "Xiamen is one of seven cities in the province with a metro.", []),
    case("en-one-of-n-places", "en", "Kunming was named one of nine places in the comprehensive pilot.",
         [("pilot_regions", "9", "eq")], xfail="'places' is not a catalog noun of regions: as one it read 'The "
         "pilot offers 200 places for trainees' as 200 regions"),
    case("en-tasks-in-place-is-an-event", "en", "Tasks in place: 101 of 128.", [(DONE, "101", "eq"), (TOTAL, "128", "eq")]),
    case("en-a-different-scheme", "en", "Beyond the pilot, the port runs a different scheme, a logistics plan that "
         "has 40 tasks.", []),
    case("en-no-other-plan-is-this-one", "en", "No other plan in the region lists 97 tasks.", [(TOTAL, "97", "eq")]),
    case("hans-another-plan", "zh", "另一个方案列有40项任务，已完成30项。", []),
    case("hans-signed-is-not-landed", "zh", "洽谈会上签约服务业项目45个。", []),
    case("en-signed-is-not-landed", "en", "At the fair, the city signed 45 service projects worth 9 billion yuan.", []),
    case("en-of-which-someone-counts", "en", "The plan has 97 tasks, of which the bureau counts 80 as done; the "
         "other 17 are under way.", [(DONE, "80", "eq"), (TOTAL, "97", "eq")]),
    case("en-with-word-of-another-number-of", "en", "The plan lists 97 tasks, while the count of distinctive "
         "reform tasks proposed by districts stands at 21.", [(TOTAL, "97", "eq"), ("featured_tasks", "21", "eq")]),
    case("en-of-them-after-a-count-of-other-things", "en", "The city has tried 30 reforms. It also set up 12 "
         "working groups, and the council praised five of them.", [("reforms", "30", "eq")]),
    case("hans-done-topic-then-count", "zh", "已完成的试点任务，截至目前共有64项。", [(DONE, "64", "eq")]),
    case("hant-planned-topic-then-count", "zh", "計劃新建的服務業項目，明年將有20個。", []),
    case("hans-dated-topic-is-a-period", "zh", "2023年落地的项目，共有35个。", []),
    case("hans-topic-of-other-things", "zh", "全市引进企业，共有35家。", []),
    case("hans-topic-then-total-then-done", "zh", "方案列出的任务，一共86项，已完成64项。",
         [(DONE, "64", "eq"), (TOTAL, "86", "eq")]),
    case("hant-topic-of-another-programme", "zh", "自由貿易試驗區發布的創新案例，累計達到58個。", []),
    case("en-table-years-in-the-heading", "en", ["Programme | Term (yrs) | Provinces in the pilot",
                                                 "Kunming services pilot | 4 | 9"],
         [("duration_years", "4", "eq"), ("pilot_regions", "9", "eq")]),
    case("hant-table-years-in-the-heading", "zh", ["項目 | 期限（年） | 試點省市", "昆明服務業試點 | 4 | 9"],
         [("duration_years", "4", "eq"), ("pilot_regions", "9", "eq")]),
    case("en-table-other-unit-in-the-heading", "en", ["Programme | Budget (yuan) | Provinces in the pilot",
                                                      "Kunming services pilot | 400 | 9"], [("pilot_regions", "9", "eq")]),
    case("hant-date-told-after-the-approval", "zh", "國務院批覆這個方案，是前年9月的事。",
         [("approval_date", "2020-09", "eq")]),
    case("hant-target-date-after-the-approval", "zh", "國務院批覆這個方案，目標是2025年9月完成。", []),
    case("hans-attributive-approval-after-planned-words", "zh", "为推动落实国务院2021年4月批准的试点方案，制定本细则。",
         [("approval_date", "2021-04", "eq")]),
    case("hans-attributive-approval-still-planned", "zh", "国务院将于2024年6月批复的方案尚在起草。", []),
    case("en-bare-object-of-a-done-event", "en", "Wuhan's plan lists 96 tasks. By the end of May the city had "
         "completed 81, officials said.", [(DONE, "81", "eq"), (TOTAL, "96", "eq")]),
    case("en-bare-object-of-an-event-others-lack", "en", "The city issued 20 policies. By June it had implemented 15.",
         [("policies", "20", "eq")]),
    case("en-bare-object-of-a-planned-event", "en", "Wuhan's plan lists 96 tasks. By May the city will complete 81.",
         [(TOTAL, "96", "eq")]),
    # ... and sentences written to break those rules (a review of the change, hostile by design): each
    # gives what it should, which for most of them is nothing
    case("zh-hostile-01", "zh", '这些项目，分布在12个区县。', []),
    case("zh-hostile-02", "zh", '全市服务业项目，涉及企业200个。', []),
    case("zh-hostile-03", "zh", '围绕这批服务业项目，全市引进企业40个。', []),
    case("zh-hostile-04", "zh", '正在洽谈的服务业项目，目前有30个。', []),
    case("zh-hostile-05", "zh", '已簽約的服務業項目，今年共有45個。', []),
    case("zh-hostile-06", "zh", '簽約的服務業項目，截至目前共有45個。', []),
    case("zh-hostile-07", "zh", '尚未落地的試點任務，目前共12項。', []),
    case("zh-hostile-08", "zh", '未完成的任务，目前共12项。', []),
    case("zh-hostile-09", "zh", '我们引进的现代服务业项目，到去年底累计一百八十多个。', [("projects", "180", "gt")]),
    case("zh-hostile-10", "zh", '已落地的現代服務業項目，截至目前已有215個；出台的配套政策文件，則有32份。', [("policies", "32", "eq"), ("projects", "215", "eq")]),
    case("zh-hostile-11", "zh", '引进项目带动的就业岗位：5000个。', []),
    case("zh-hostile-12", "zh", '參與項目建設的企業數量：40個', []),
    case("zh-hostile-13", "zh", '申报试点任务的单位：45个', []),
    case("zh-hostile-14", "zh", '已完成任務：52項；任務總數：70項。', [("tasks_done", "52", "eq"), ("tasks_total", "70", "eq")]),
    case("en-hostile-15", "en", 'Firms backing the projects, 40.', []),
    case("en-hostile-16", "en", 'Projects halted after the spring audit: 14.', []),
    case("en-hostile-17", "en", 'Projects halted by the audit, 14.', []),
    case("en-hostile-18", "en", 'Tasks not yet started: 19.', []),
    case("en-hostile-19", "en", 'Tasks assigned to the port authority: 12', []),
    case("en-hostile-20", "en", 'Tasks finished: 52.', [("tasks_done", "52", "eq")]),
    case("en-hostile-21", "en", '- modern service projects landed since the pilot began: 212', [("projects", "212", "eq")]),
    case("en-hostile-22", "en", 'Our tasks are now largely in place. Attendance at the review was 12 of 15.', []),
    case("en-hostile-23", "en", 'Our tasks are now largely in place. Its rank among the pilots is 3 of 11.', []),
    case("en-hostile-24", "en", 'Our tasks are now largely in place. The vote was 12 out of 15 in favour.', []),
    case("en-hostile-25", "en", 'Our tasks are now largely in place. Turnout was 9 of 10 at the hearing.', []),
    case("en-hostile-26", "en", 'Our tasks are now largely in place. Among the inspectors, 12 of 15 were satisfied.', []),
    case("en-hostile-27", "en", 'Our tasks are now largely in place. In a survey of firms, 40 out of 50 were satisfied.', []),
    case("en-hostile-28", "en", 'The plan lists 96 tasks. Last year, inspectors carried out 210, a record.', [("tasks_total", "96", "eq")]),
    case("en-hostile-29", "en", 'The plan lists 96 tasks. Volunteers delivered 3,000 to the elderly.', [("tasks_total", "96", "eq")]),
    case("en-hostile-30", "en", 'The plan lists 96 tasks. Organisers had launched 12 in total.', [("tasks_total", "96", "eq")]),
    case("en-hostile-31", "en", 'The plan has 96 tasks. Of the 120 training courses, staff completed 81.', [("tasks_total", "96", "eq")]),
    case("en-hostile-32", "en", ['Our plan lists 96 tasks.', 'Separately, the housing bureau completed 40, it said, in new flats.'], [("tasks_total", "96", "eq")]),
    case("en-hostile-33", "en", "Wuhan's plan lists 96 tasks. By the end of May the city had completed 81, officials said.", [("tasks_done", "81", "eq"), ("tasks_total", "96", "eq")]),
    case("en-hostile-34", "en", 'Officials say 40 tasks have been completed under a programme that has 12 pilot districts.', [("tasks_done", "40", "eq")]),
    case("en-hostile-35", "en", 'The city completed 60 tasks from a list that includes 3 national priorities.', [("tasks_done", "60", "eq")]),
    case("en-hostile-36", "en", 'Xiamen launched a comprehensive pilot last year. It is one of five cities in China with a metro line.', []),
    case("zh-hostile-37", "zh", '厦门开展了综合试点。厦门是全国5个有地铁的城市之一。', []),
    case("en-hostile-38", "en", 'The State Council chose a group of comprehensive pilots in 2021. Xiamen is one of seven provinces and cities taking part.', [("pilot_regions", "7", "eq")]),
    case("en-hostile-39", "en", 'The pilot offers 200 places for trainees.', []),
    case("en-hostile-40", "en", 'Under the pilot, 300 places at city nurseries were added.', []),
    case("en-hostile-41", "en", 'The province has launched four comprehensive pilots in trade, health, farming and education.', []),
    case("zh-hostile-42", "zh", '实施率呢，说实话，有百分之十五的任务还没动。', []),
    case("zh-hostile-43", "zh", '完成率呢，还不好说，另外企业的满意度，是百分之九十。', []),
    case("zh-hostile-44", "zh", '完成率嘛，不好说，企业满意度，达到百分之九十五。', []),
    case("zh-hostile-45", "zh", '实施率呢，按我们的统计，已经到了百分之九十三。', [("tasks_done_share", "93", "eq")]),
    case("zh-hostile-46", "zh", '力争国务院于明年6月批复的方案顺利实施。', []),
    case("zh-hostile-47", "zh", '我们期待國務院于2024年6月批准的方案能早日落地。', []),
    case("zh-hostile-48", "zh", '我市正积极争取国务院2024年批复的试点方案尽快实施。', []),
    case("zh-hostile-49", "zh", ['试点 | 获批时间（年） | 省市数', '昆明服务业试点 | 2019 | 9'], [("pilot_regions", "9", "eq")]),
    case("en-hostile-50", "en", ['Pilot | Year approved (year) | Provinces', 'Kunming pilot | 2019 | 9'], [("pilot_regions", "9", "eq")]),
    case("en-hostile-51", "en", ['Pilot | Staff age (years)', 'Kunming pilot | 45'], []),
    case("en-hostile-52", "en", ['Pilot | Time elapsed (years)', 'Kunming pilot | 2'], []),
    case("en-hostile-53", "en", ['Programme | Term (yrs) | Provinces in the pilot', 'Kunming services pilot | 4 | 9'], [("duration_years", "4", "eq"), ("pilot_regions", "9", "eq")]),
    case("en-hostile-54", "en", 'The city has signed 45 contracts and launched 30 service projects.', [("projects", "30", "eq")]),
    case("en-hostile-55", "en", 'The city has launched 45 service projects since it signed the framework agreement.', [("projects", "45", "eq")]),
    case("zh-hostile-56", "zh", '全市已签约并落地服务业项目45个。', [("projects", "45", "eq")]),
    case("zh-hostile-57", "zh", '试点期限为三年，目前96项任务中已完成80项。', [("duration_years", "3", "eq"), ("tasks_done", "80", "eq"), ("tasks_total", "96", "eq")]),
    case("en-hostile-58", "en", 'The plan runs for three years, and so far 62 of its 104 tasks have been completed.', [("duration_years", "3", "eq"), ("tasks_done", "62", "eq"), ("tasks_total", "104", "eq")]),
    case("en-hostile-59", "en", 'Unlike other plans in the region, ours has 97 tasks, of which 80 are done.', [("tasks_done", "80", "eq"), ("tasks_total", "97", "eq")]),
    case("zh-hostile-60", "zh", '与其他省市的方案相比，我市方案共96项任务，已完成80项。', [("tasks_done", "80", "eq"), ("tasks_total", "96", "eq")]),
    case("zh-hostile-61", "zh", '除其他规划外，本方案96项任务已完成80项。', [("tasks_done", "80", "eq"), ("tasks_total", "96", "eq")]),
    case("en-hostile-62", "en", 'In another part of the plan, 20 tasks have been completed.', [("tasks_done", "20", "eq")]),
    case("en-hostile-63", "en", 'Beyond the pilot, the port runs a different scheme, a logistics plan that has 40 tasks.', []),
    case("en-signed-and-launched", "en", "The city has signed and launched 45 service projects.",
         [("projects", "45", "eq")]),
    case("hans-approval-of-an-extension", "zh", "国务院同意试点延期，是今年3月的事。", []),
    case("hans-approval-of-another-plan", "zh", "省政府批复园区规划，是2019年6月的事。", []),
    # ... and a second hostile round against the narrowed rules (periods, owners, other places, scope)
    case("en-hostile2-la1", "en", 'Tasks completed in the third quarter: 12.', []),
    case("en-hostile2-la2", "en", 'Tasks completed ahead of schedule: 20.', []),
    case("en-hostile2-la3", "en", 'Tasks added this year: 15.', []),
    case("en-hostile2-la4", "en", 'Service projects completed per district: 4.', []),
    case("en-hostile2-la5", "en", 'Tasks reviewed by the inspectors: 30.', []),
    case("en-hostile2-la6", "en", 'Tasks merged or cut after the mid-term review: 6.', []),
    case("en-hostile2-la7", "en", 'Policies drafted but not issued: 5.', []),
    case("en-hostile2-la8", "en", 'Tasks completed with central funding, 18.', []),
    case("en-hostile2-la14", "en", 'Tasks completed last month: 7.', []),
    case("en-hostile2-rp1", "en", 'The city has completed most of its tasks. It was 3 of 11 in the national ranking.', []),
    case("en-hostile2-rp2", "en", "Another city's plan has completed most of its tasks. That's 40 of 50.", []),
    case("en-hostile2-rp3", "en", "The neighbouring province has completed most of its tasks. That's 40 of 50.", []),
    case("en-hostile2-rp4", "en", "Most of the plan's tasks are done. It was 2 of 3 at the last count for the districts.", []),
    case("en-hostile2-rp5", "en", 'The city has put most of its tasks in place, which was 4 of 5 at the start of the year.', []),
    case("en-hostile2-rp6", "en", 'Most of the tasks were in place by 2020, 40 of 96 at that date.', []),
    case("en-hostile2-on1", "en", 'The city was chosen for the pilot in 2021. It is one of 11 cities chosen to host the national games.', []),
    case("en-hostile2-on2", "en", 'Our province joined the comprehensive pilot last year. It is one of 31 provinces included in the census.', []),
    case("en-hostile2-on3", "en", 'The trial covers services. Shanghai is one of four cities named in the report as leaders in fintech.', []),
    case("en-hostile2-op1", "en", 'Besides the tasks, another plan in the city has 40 projects.', []),
    case("zh-hostile2-op2", "zh", '同期另一个方案完成了40项任务。', []),
    case("en-hostile2-op3", "en", 'Like the mayor said, another programme has completed 40 tasks.', []),
    case("zh-hostile2-op4", "zh", '比起去年，其他试点城市的方案已完成40项任务。', []),
    case("zh-hostile2-na1", "zh", '完成率呢，刚开始的时候，只有百分之二十。', []),
    case("zh-hostile2-na2", "zh", '完成率呢，按计划，是百分之九十。', []),
    case("zh-hostile2-na3", "zh", '落实率呢，兄弟城市，是百分之七十。', []),
    case("zh-hostile2-na4", "zh", '完成率呢，全省平均，是百分之七十。', []),
    case("zh-hostile2-na5", "zh", '實施率嘛，上半年，約百分之四十。', []),
    case("en-hostile2-oe1", "en", 'The plan lists 96 tasks. Last week the city completed 3.', [(TOTAL, "96", "eq")]),
    case("en-hostile2-oe2", "en", 'The plan lists 96 tasks. In May alone, the city completed 7.', [(TOTAL, "96", "eq")]),
    case("en-hostile2-oe3", "en", 'The plan has 96 tasks. Since January the city has completed 12.', [(TOTAL, "96", "eq")]),
    case("en-hostile2-oe4", "en", 'The plan lists 96 tasks and the city has 16 districts. By June it had completed 12.', [(TOTAL, "96", "eq")]),
    case("zh-hostile2-zt1", "zh", '去年落地的服务业项目，共有45个。', []),
    case("zh-hostile2-zt2", "zh", '第一季度实施的任务，共有12项。', []),
    case("zh-hostile2-zt3", "zh", '省级部门牵头的任务，目前已完成30项。', []),
    case("zh-hostile2-zt4", "zh", '由區縣負責的試點任務，已落地40項。', []),
    case("zh-hostile2-zt5", "zh", '涉及外资的服务业项目，累计落地25个。', []),
    case("zh-hostile2-zt6", "zh", '延期的試點任務，目前共有8項。', []),
    case("zh-hostile2-zt7", "zh", '今年新增的改革任务，一共是15项。', []),
    case("zh-hostile2-zt8", "zh", '需要中央部委支持的事項，共有20項。', []),
    case("zh-hostile2-zt9", "zh", '首批启动的任务，目前共30项。', []),
    case("zh-hostile2-zt10", "zh", '今年上半年落地的项目，达到了18个。', []),
    case("zh-hostile2-dt1", "zh", '国务院批复我市试点方案的中期评估报告，是2023年5月的事。', []),
    case("zh-hostile2-dt2", "zh", '省政府批复试点实施细则，是2021年8月的事。', []),
    case("zh-hostile2-dt3", "zh", '国务院批复第二批试点城市的方案，是2022年的事。', []),
    case("zh-hostile2-dt4", "zh", '國務院同意試點擴大範圍，是2022年3月的事。', []),
    case("zh-hostile2-at1", "zh", '为争取国务院2022年批复的试点方案顺利实施，我市做了大量准备。', []),
    case("zh-hostile2-at2", "zh", '我市正积极争取国务院2022年5月批准的试点方案尽快印发。', []),
    case("en-hostile2-yh1", "en", ['Programme | Term remaining (years)', 'Kunming pilot | 1'], []),
    case("zh-hostile2-yh2", "zh", ['试点 | 剩余期限（年）', '昆明服务业试点 | 1'], []),
    case("en-hostile2-yh3", "en", ['Programme | Term extension (years)', 'Kunming pilot | 2'], []),
    case("zh-hostile2-yh4", "zh", ['方案 | 延长期限（年）', '昆明试点方案 | 2'], []),
    case("en-hostile2-b1", "en", ['Pilot | Pilot period elapsed (years)', 'Kunming services pilot | 2'], []),
    case("zh-hostile2-b2", "zh", ['试点 | 试点期已过（年）', '昆明服务业试点 | 2'], []),
    case("zh-hostile2-b3", "zh", '兄弟城市的試點任務，已完成60項。', []),
    case("zh-hostile2-b4", "zh", '全国的试点任务，目前共有500项。', []),
    case("zh-hostile2-b6", "zh", '预计国务院2022年内批复的方案，将于明年实施。', []),
    case("zh-hostile2-b7", "zh", '有待国务院2022年批复的方案，目前正在修改。', []),
    case("en-hostile2-b8", "en", 'The plan lists 96 tasks. The government then completed 14 in a single week.', [(TOTAL, "96", "eq")]),
    case("en-hostile2-b9", "en", 'Tasks in the provincial plan: 300.', []),
    case("en-hostile2-b11", "en", 'Tasks completed by other pilot cities: 400.', []),
    case("en-hostile2-b12", "en", "Most of the tasks are in place. That's 3 of 4 departments reporting on time.", []),
    case("zh-hostile2-b13", "zh", '國務院批准試點方案的修正案，是2023年1月的事。', []),
    case("en-signed-policies-are-issued", "en", "The mayor signed 12 supporting policy documents this year.",
         [("policies", "12", "eq")]),
    case("hans-landed-projects", "zh", "全市累计落地服务业项目45个。", [("projects", "45", "eq")]),
    case("hant-time-taken-for-progress", "zh", "獲批後，全市用不到兩年時間，使96項任務中的80項落地見效。",
         [(DONE, "80", "eq"), (TOTAL, "96", "eq")]),
    case("hant-rate-across-an-aside", "zh", "完成率嘛，據初步統計，已達到百分之一百零二。", [(SHARE, "102", "eq")]),
    case("en-plan-which-contains", "en", "Officials report 101 tasks carried out under a plan which contains 97.",
         [(DONE, "101", "eq"), (TOTAL, "97", "eq")]),
]


@pytest.mark.parametrize("lang,lines,expected", LESSONS)
def test_lessons_of_the_held_out_sets(attribute, lang, lines, expected):
    assert attribute(lines, lang) == sorted(expected)


# ------------------------------------------------------------------------------- the second programme's own words
YUNLING = ROOT / "config" / "metrics-yunling.yaml"


@pytest.mark.parametrize("lang, text, expected", [
    pytest.param("zh", "目前已改建农村公路310公里，改造桥梁27座。", {("road_km", "310"), ("bridges", "27")},
                 id="gongli-is-not-li-inside"),
    pytest.param("zh", "已改建农村公路310公里，改造27座桥梁。", {("road_km", "310"), ("bridges", "27")},
                 id="measure-word-then-noun"),
    pytest.param("zh", "已改建农村公路585公里，120余个行政村通上了硬化路。",
                 {("road_km", "585"), ("villages_connected", "120")}, id="second-count-is-not-a-part"),
    pytest.param("zh", "本报讯（2023年3月20日）云岭州政府日前批准五年行动计划。", set(), id="zh-dateline-is-not-the-approval"),
    pytest.param("en", "YUNLING, 20 March 2023 - The prefectural government has approved a five-year plan for rural roads.",
                 {("plan_years", "5")}, id="en-dateline-is-not-the-approval"),
])
def test_a_second_catalog_reads_its_own_sentences(lang, text, expected):
    """Sentences the second programme's author had to split before the engine read them right."""
    rows = ef.extract_figures(
        {"source": "y", "path": "y.txt", "metadata": {"date": "2024-01-10"},
         "lines": [{"line": 1, "lang": lang, "text": text}]}, catalog.load(YUNLING))
    assert {(r["metric"], r["value"]) for r in rows if r["metric"]} == expected
