"""Context building, per-language formatting and escaping (scripts/render_html.py)."""

from pathlib import Path

import pytest

import catalog
import programme
from conftest import PROGRAMME, briefing_strings
from render_html import LIST_LIMITS, build_context, evidence_rows, format_date, format_figure, format_number, render

ROOT = Path(__file__).resolve().parents[1]
STRINGS = briefing_strings()


@pytest.mark.parametrize("row, en, zh", [
    ({"value": "40", "qualifier": "gt", "unit": ""}, "more than 40", "40餘"),
    ({"value": "80.2", "qualifier": "eq", "unit": "%"}, "80.2%", "80.2%"),
    ({"value": "3", "qualifier": "eq", "unit": "years"}, "3 years", "3年"),
    ({"value": "2021-04", "qualifier": "eq", "unit": "date"}, "April 2021", "2021年4月"),
    ({"value": "60", "qualifier": "approx", "unit": ""}, "about 60", "約60"),
    ({"value": "3027860000000", "qualifier": "eq", "unit": ""}, "3,027,860,000,000", "3,027,860,000,000"),
], ids=["more-than", "percent", "years", "month", "about", "big"])
def test_figures_read_naturally_in_each_language(row, en, zh):
    assert format_figure(row, "en", STRINGS) == en
    assert format_figure(row, "zh", STRINGS) == zh


def test_number_and_date_helpers():
    assert format_number("1234.50") == "1,234.50"
    assert format_number("n/a") == "n/a"
    assert format_date("2022-05-17", "en") == "17 May 2022"
    assert format_date("", "en") == ""


FIGURES = [
    {"source": "s", "lang": "en", "metric": "reforms", "value": "40", "qualifier": "gt", "unit": "", "line": "6",
     "start": "0", "end": "12", "match": "more than 40", "evidence": "more than 40 <b>reforms</b> have been conducted"},
    {"source": "s", "lang": "zh", "metric": "reforms", "value": "40", "qualifier": "gt", "unit": "", "line": "26",
     "start": "0", "end": "4", "match": "40余項", "evidence": "開展首創性差異化改革探索40余項"},
    {"source": "s", "lang": "en", "metric": "", "value": "17", "qualifier": "eq", "unit": "", "line": "6",
     "start": "0", "end": "2", "match": "17", "evidence": "On May 17th"},
]
METRICS = [{"metric": "reforms", "date": "2022-05-17", "value": "40", "qualifier": "gt", "unit": "",
            "sources": "s", "langs": "en;zh", "status": "ok", "note": "", "evidence": "s:en:6;s:zh:26"}]
CATALOG = catalog.validate({"version": 2, "metrics": {
    "reforms": {"label": {"en": "Reforms", "zh": "改革"}, "kind": "count", "counts": {"en": ["reform"]}, "role": "output"}}})
NORMALIZED = [{"source": "s", "path": "data/sources/s.txt", "sha256": "ab", "encoding": "utf-8",
               "metadata": {"title": {"en": "T", "zh": "標題"}, "author": {"en": "Yang Yan", "zh": "楊艷"},
                            "date": "2022-05-17"},
               "changes": [{"kind": "ruby"}, {"kind": "ruby"}, {"kind": "mojibake"}]}]


def context(**overrides):
    args = dict(period="2026-11", metrics=METRICS, checks=[], figures=FIGURES, normalized=NORMALIZED,
                catalog=CATALOG, strings=STRINGS, charts={"progress": "../../plots/2026-11/progress.svg"},
                inputs={"data/sources/s.txt": "ab"}, version="0.1.0", programme=programme.load(PROGRAMME))
    args.update(overrides)
    ctx = build_context(**args)
    ctx["stylesheet_css"] = "p { color: \"black\"; }"
    ctx["screen_css"] = "body { max-width: 48rem; }"
    return ctx


def test_evidence_rows_follow_the_references():
    rows = evidence_rows(FIGURES, "s:en:6;s:zh:26")
    assert [(r["lang"], r["line"]) for r in rows] == [("en", "6"), ("zh", "26")]


def test_context_has_figures_with_provenance_and_repairs():
    ctx = context()
    (figure,) = ctx["key_figures"]
    assert figure["text"] == {"en": "more than 40", "zh": "40餘"}
    assert [(e["lang"], e["line"]) for e in figure["evidence"]] == [("en", 6), ("zh", 26)]
    assert ctx["sources"][0]["repairs"] == [("mojibake", 1), ("ruby", 2)]
    assert ctx["newest_date"] == "2022-05-17"


def test_rendered_html_is_bilingual_escaped_and_stable():
    html = render(ROOT / "templates", context())
    assert html == render(ROOT / "templates", context())
    assert 'lang="zh-Hant"' in html and 'lang="en"' in html
    assert "&lt;b&gt;reforms&lt;/b&gt;" in html, "source text is escaped, never markup"
    assert "<b>reforms</b>" not in html
    assert "開展首創性差異化改革探索40余項" in html
    for key in STRINGS["en"]["sections"]:
        assert STRINGS["en"]["sections"][key] in html and STRINGS["zh"]["sections"][key] in html


def test_a_hostile_source_sentence_cannot_inject_markup():
    hostile = dict(FIGURES[0], evidence='<img src="file:///etc/passwd"> http://example.org/x.png')
    html = render(ROOT / "templates", context(figures=[hostile, FIGURES[1]]))
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_many_sources_and_checks_are_summarised_not_listed():
    sources = [dict(NORMALIZED[0], source=f"s{i:02d}", path=f"data/sources/s{i:02d}.txt", sha256=f"{i:064x}",
                    metadata={**NORMALIZED[0]["metadata"], "date": f"2022-{i % 12 + 1:02d}-01"}, changes=[])
               for i in range(20)]
    checks = [{"id": f"lang-agreement/s{i:02d}/reforms", "severity": "error", "status": "pass", "metric": "reforms",
               "message": "ok", "evidence": []} for i in range(60)]
    checks.append({"id": "series/tasks_done", "severity": "warning", "status": "fail", "metric": "tasks_done",
                   "message": "falls", "evidence": []})
    inputs = {d["path"]: d["sha256"] for d in sources} | {"config/metrics.yaml": "cc"}
    ctx = context(normalized=sources, checks=checks, inputs=inputs)
    assert [c["id"] for c in ctx["checks"]] == ["series/tasks_done"] and ctx["checks_total"] == 61
    assert {r["kind"]: (r["pass"], r["fail"]) for r in ctx["check_summary"]} == {"lang-agreement": (60, 0),
                                                                                 "series": (0, 1)}
    assert len(ctx["cover_sources"]) == 5 and ctx["more_sources"] == 15
    assert ctx["cover_sources"][0]["date"] == max(s["metadata"]["date"] for s in sources)
    assert ctx["inputs"] == [("config/metrics.yaml", "cc")] and ctx["sources_digest"][0] == 20
    html = render(ROOT / "templates", ctx)
    assert STRINGS["en"]["briefing"]["more_sources"].format(count=15) in html
    assert STRINGS["en"]["checks"]["only_failures"].format(count=61) in html


def test_a_figure_many_sources_state_lists_a_few_references_and_counts_the_rest():
    limit = LIST_LIMITS["evidence_per_figure"]
    figures = [dict(FIGURES[i % 2], source=f"s{i // 2:03d}") for i in range(2 * limit + 6)]
    refs = ";".join(f"{f['source']}:{f['lang']}:{f['line']}" for f in figures)
    ctx = context(figures=figures, metrics=[dict(METRICS[0], evidence=refs)])
    (figure,) = ctx["key_figures"]
    assert len(figure["evidence"]) == limit and figure["evidence_more"] == len(figures) - limit
    html = render(ROOT / "templates", ctx)
    for lang in ("en", "zh"):
        # Once beside the figure, once in the provenance section.
        assert html.count(STRINGS[lang]["key_figures"]["more_refs"].format(count=len(figures) - limit)) == 2
    assert context()["key_figures"][0]["evidence_more"] == 0


def test_the_programme_gives_the_author_the_focus_areas_and_the_captions():
    ctx = context()
    html = render(ROOT / "templates", ctx)
    assert '<meta name="author" content="Service-Sector Pilot Briefing Desk">' in html, "the publisher, not a source"
    assert "Yang Yan" not in html.split("</head>")[0]
    (focus,) = ctx["focus_phases"]
    assert focus["name"] == {"en": "Year 2: good momentum", "zh": "第二年：兩年見成效"}
    assert len(focus["areas"]) == 4 and "Focus areas: Year 2: good momentum" in html
    assert ctx["captions"]["outputs"] == {"en": "Headline outputs, as last reported: Reforms.",
                                          "zh": "主要成果，按最新公佈數據：改革。"}
    assert "its 3 phases" in ctx["captions"]["progress"]["en"]
