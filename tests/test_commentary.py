"""The analyst's commentary: placeholders filled with provenance, literal numbers checked against
the metrics through the figure engine, both languages stating the same figures, safe Markdown,
the first draft, and the rule's place in the workflow (dry-run job tables, the PDF, the archive).

The metrics below are written for these tests (a plan of 86 tasks, 69 carried out by 17 May 2022,
52 by 31 December 2021); the commentary sentences are our own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import catalog as catalog_module
import commentary
import pipeline_io
from conftest import BRIEFING, OUT, PDF, PERIOD, ROOT, copy_workflow, planned_jobs, run_snakemake

CATALOG = catalog_module.load(ROOT / "config/metrics.yaml")
STRINGS = pipeline_io.load_strings([ROOT / "templates/i18n/en.yaml", ROOT / "templates/i18n/zh.yaml"])
EN_PATH, ZH_PATH = "data/commentary/demo/2026-11.en.md", "data/commentary/demo/2026-11.zh.md"
FILES = {"en": EN_PATH, "zh": ZH_PATH}


def row(metric, value, date="2022-05-17", qualifier="eq", unit="", evidence="report:en:6;report:zh:26"):
    return {"metric": metric, "date": date, "value": value, "qualifier": qualifier, "unit": unit,
            "sources": "report", "langs": "en;zh", "status": "ok", "note": "", "evidence": evidence}


METRICS = [
    row("tasks_total", "86", evidence="report:en:4;report:zh:24"),
    row("tasks_done", "52", date="2021-12-31", evidence="year-end:en:3;year-end:zh:9"),
    row("tasks_done", "69"),
    row("tasks_done_share", "80.2", unit="%"),
    row("reforms", "40", qualifier="gt"),
    row("projects", "356"),
    row("approval_date", "2021-04", unit="date", evidence="report:en:4;report:zh:24"),
    row("duration_years", "3", unit="years", evidence="report:en:13;report:zh:33"),
]


def values(metrics=None, period=PERIOD, script="hant", previous=None) -> commentary.Values:
    return commentary.Values(cat=CATALOG, metrics=METRICS if metrics is None else metrics, period=period,
                             strings=STRINGS, script=script, previous=previous)


def check(en: str, zh: str, **kwargs) -> dict:
    resolutions = kwargs.pop("resolutions", None)
    return commentary.check_commentary(FILES, {"en": en.encode(), "zh": zh.encode()}, values(**kwargs),
                                       briefing="demo", resolutions=resolutions)


def stop_message(en: str, zh: str, **kwargs) -> str:
    with pytest.raises(commentary.CommentaryError) as caught:
        check(en, zh, **kwargs)
    return str(caught.value)


def literal_outcome(lang: str, sentence: str) -> str:
    """How one literal number (the only figure of ``sentence``) fares: pass, warning or error."""
    result = commentary.analyse(sentence.encode(), FILES[lang], lang, values(), briefing="demo")
    literals = [f for f in result.figures if f["origin"] == "literal" and f["status"] != "reference"]
    claimed = [f for f in literals if f["metric"]]  # a date that only places the sentence in time is not it
    (figure,) = claimed or literals
    return figure["status"]


def plain(html: str) -> str:
    """The text a reader sees, without the note numbers."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<sup[^>]*>.*?</sup>", "", html))


# ---------------------------------------------------------------------------------- placeholders


@pytest.mark.parametrize("placeholder, en, zh", [
    ("{tasks_done}", "69", "69項"),
    ("{tasks_done.value}", "69", "69項"),
    ("{reforms}", "more than 40", "40餘項"),
    ("{projects}", "356", "356個"),
    ("{tasks_done_share}", "80.2%", "80.2%"),
    ("{tasks_done.share}", "80.2%", "80.2%"),
    ("{tasks_done.date}", "17 May 2022", "2022年5月17日"),
    ("{approval_date}", "April 2021", "2021年4月"),
    ("{duration_years}", "3 years", "3年"),
    # 86 x (1 Apr 2021 to 17 May 2022: 411 days) / (1 Apr 2021 to 1 Apr 2024: 1,096 days) = 32.25
    ("{tasks_done.pace}", "about 32", "約32項"),
    ("{tasks_done.age}", "54 months", "54個月"),
    ("{tasks_done.label}", "Tasks carried out", "已實施任務數"),
    ("{period}", "November 2026", "2026年11月"),
], ids=["value", "value-field", "qualifier", "measure-word", "percent", "share-stated", "date", "date-metric",
        "years", "pace", "age", "label", "period"])
def test_a_placeholder_renders_in_both_languages_with_its_value(placeholder, en, zh):
    result = check(f"Figure: {placeholder}.", f"數據：{placeholder}。")
    assert f"Figure: {en}." in plain(result["html"]["en"])
    assert f"數據：{zh}。" in plain(result["html"]["zh"])


def test_a_placeholder_carries_its_provenance_in_each_language():
    result = check("So far {tasks_done} tasks have been carried out.", "迄今已實施{tasks_done}任務。")
    assert '<span class="figure">69</span><sup class="ref">1</sup>' in result["html"]["en"]
    assert '<span class="figure">69項</span><sup class="ref">1</sup>' in result["html"]["zh"]
    assert result["notes"]["en"] == ["Tasks carried out, reported 17 May 2022: report:en:6"]
    assert result["notes"]["zh"] == ["已實施任務數，2022年5月17日發布：report:zh:26"]
    used = result["figures"]["en"][0]
    assert (used["origin"], used["metric"], used["key"], used["note"]) == ("placeholder", "tasks_done",
                                                                          ["eq", "69", ""], 1)


def test_the_value_is_the_newest_at_or_before_the_period():
    result = check("Done: {tasks_done}.", "已實施{tasks_done}。", period="2022-01")
    assert "Done: 52." in plain(result["html"]["en"]) and "year-end:en:3" in result["notes"]["en"][0]


def test_a_share_is_computed_when_no_source_states_it():
    metrics = [r for r in METRICS if r["metric"] != "tasks_done_share"]
    result = check("Share: {tasks_done.share}.", "比例：{tasks_done.share}。", metrics=metrics)
    assert "Share: 80.2%." in plain(result["html"]["en"])  # 69 / 86 = 80.23 %
    assert result["notes"]["en"] == ["Share of tasks carried out, computed from report:en:6; report:en:4"]


def test_previous_values_come_from_the_archived_briefing():
    previous = {"period": "2026-10", "metrics": [row("tasks_done", "60", date="2022-01-15")]}
    result = check("Up from {tasks_done.previous} in {previous_period}.",
                   "{previous_period}為{tasks_done.previous}。", previous=previous)
    assert "Up from 60 in October 2026." in plain(result["html"]["en"])
    assert "Tasks carried out in the briefing for October 2026 (archive)" in result["notes"]["en"]


def test_chinese_is_converted_to_the_briefings_script():
    result = check("Done: {tasks_done}.", "重慶已實施{tasks_done}任務。", script="hans")
    assert "重庆已实施" in result["html"]["zh"] and "69项" in result["html"]["zh"]


def test_braces_can_be_written_doubled():
    result = check("A set {{a, b}} and {tasks_done}.", "集合{{甲}}與{tasks_done}。")
    assert "A set {a, b} and 69." in plain(result["html"]["en"])


@pytest.mark.parametrize("text, expected", [
    ("Line one.\nWe did {task_done}.", ["c.en.md:2", "unknown metric 'task_done'", "tasks_done"]),
    ("{tasks_done.colour}", ["c.en.md:1", "unknown field 'colour'", "share"]),
    ("First.\n\nThen {tasks_done} and a lone { brace.", ["c.en.md:3", "a lone '{'"]),
    ("{Tasks Done}", ["c.en.md:1", "is not a placeholder"]),
    ("{policies}", ["c.en.md:1", "no value of 'policies' at or before 2026-11"]),
    ("{reforms.share}", ["c.en.md:1", "no percentage metric", "'reforms'"]),
    ("{previous_period}", ["c.en.md:1", "no briefing before 2026-11"]),
], ids=["unknown-metric", "unknown-field", "lone-brace", "not-a-name", "no-value", "no-share", "no-archive"])
def test_a_placeholder_that_cannot_be_filled_names_file_and_line(text, expected):
    with pytest.raises(commentary.CommentaryError) as caught:
        commentary.analyse(text.encode(), "c.en.md", "en", values(), briefing="demo")
    for needle in expected:
        assert needle in str(caught.value), (needle, str(caught.value))


# ---------------------------------------------------------------------------------- literal numbers


@pytest.mark.parametrize("lang, sentence, outcome", [
    ("en", "So far 69 tasks have been carried out.", "pass"),
    ("en", "So far 71 tasks have been carried out.", "error"),
    ("en", "More than 60 tasks have been carried out.", "pass"),
    ("en", "About 70 tasks have been carried out.", "pass"),
    ("en", "Nearly 70 tasks have been carried out.", "pass"),
    ("en", "About 75 tasks have been carried out.", "error"),
    ("en", "More than 40 reforms have been conducted.", "pass"),
    ("en", "More than 45 reforms have been conducted.", "warning"),
    ("en", "35 reforms have been conducted.", "error"),
    ("en", "The implementation rate stood at 80%.", "pass"),
    ("en", "The implementation rate stood at 82%.", "error"),
    ("en", "52 tasks had been carried out.", "warning"),
    ("en", "By December 2021, 52 tasks had been carried out.", "pass"),
    ("en", "By December 2021, 69 tasks had been carried out.", "error"),
    ("en", "By March 2025, 75 tasks had been carried out.", "warning"),
    ("en", "The pilot was approved in April 2021.", "pass"),
    ("en", "The pilot was approved in May 2021.", "error"),
    ("en", "The pilot runs for three years.", "pass"),
    ("en", "The pilot runs for four years.", "error"),
    ("en", "Some 40 enterprises took part.", "warning"),
    ("zh", "迄今已實施69項任務。", "pass"),
    ("zh", "迄今已實施71項任務。", "error"),
    ("zh", "開展首創性差異化改革探索40餘項。", "pass"),
    ("zh", "試點為期三年。", "pass"),
    ("zh", "共有40家企業參與。", "warning"),
], ids=lambda v: v if v in ("en", "zh", "pass", "error", "warning") else re.sub(r"\W+", "-", v)[:40])
def test_a_literal_number_passes_stops_or_warns(lang, sentence, outcome):
    assert literal_outcome(lang, sentence) == outcome


def test_a_contradicting_number_stops_the_build_naming_file_line_number_metric_and_source():
    message = stop_message("The plan has {tasks_total} tasks.\nBy now the city has carried out 71 tasks.",
                           "方案共{tasks_total}任務，重慶已實施71項任務。")
    for needle in (f"{EN_PATH}:2", "'71'", "tasks_done", "tasks_done = 69", "report:en:6", f"{ZH_PATH}:1", "'71項'",
                   "commentary/demo/2026-11/en/tasks_done", "data/resolutions.yaml"):
        assert needle in message, (needle, message)


def test_a_line_inside_a_paragraph_is_counted_from_the_file():
    message = stop_message("Intro.\n\nA paragraph\nthat runs on\nand says 71 tasks have been carried out.",
                           "71項任務已經實施。")
    assert f"{EN_PATH}:5: '71'" in message


def test_an_unclaimed_number_is_a_warning_listed_with_the_checks():
    result = check("Some 40 enterprises took part.", "共有約40家企業參與。")
    warning = next(c for c in result["checks"] if c["id"].startswith("commentary-number/demo/2026-11/en/"))
    assert (warning["severity"], warning["status"]) == ("warning", "fail")
    assert f"{EN_PATH}:1" in warning["message"] and "matches no metric" in warning["message"]


def test_a_resolution_accepts_a_deliberate_exception_while_the_number_stays():
    en, zh = "So far 71 tasks have been carried out.", "迄今已實施71項任務。"
    decide = {f"commentary/demo/2026-11/{lang}/tasks_done": {"check": "", "value": "71", "by": "A. Analyst",
                                                              "why": "counts a task finished after the report"}
              for lang in ("en", "zh")}
    result = check(en, zh, resolutions=decide)
    resolved = [c for c in result["checks"] if c["status"] == "resolved"]
    assert len(resolved) == 2 and resolved[0]["resolution"]["by"] == "A. Analyst"
    # the number is edited: the decision was about 71, so it no longer applies
    message = stop_message(en.replace("71", "72"), zh.replace("71", "72"), resolutions=decide)
    assert "does not apply" in message and "'72'" in message


def test_dates_that_place_a_sentence_in_time_are_not_warnings():
    result = check("As at May 2022, in November 2026, {tasks_done} tasks.", "截至2022年5月，2026年11月，{tasks_done}任務。")
    dated = [f for f in result["figures"]["en"] if f["origin"] == "literal"]
    assert [f["status"] for f in dated] == ["reference", "reference"]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


# ---------------------------------------------------------------------------------- both languages


def test_a_figure_in_one_language_only_is_caught_naming_both_files():
    message = stop_message("So far {tasks_done} tasks, and 356 projects have been launched.",
                           "迄今已實施{tasks_done}任務。")
    assert "commentary-languages/demo/2026-11/356" in message
    assert f"{EN_PATH}:1: '356' states 356, but {ZH_PATH} does not" in message


def test_a_placeholder_in_one_language_only_is_caught():
    message = stop_message("Done: {tasks_done}, from {approval_date}.", "已實施{tasks_done}。")
    assert "commentary-languages/demo/2026-11/2021-04" in message and EN_PATH in message and ZH_PATH in message


def test_a_different_qualifier_is_a_different_figure():
    message = stop_message("More than 40 reforms have been conducted.", "開展改革探索40項。")
    assert "gt:40" in message


def test_both_languages_agreeing_is_a_passing_check():
    result = check("Of the {tasks_total} tasks, 69 have been carried out.", "{tasks_total}任務中已實施69項。")
    agreement = next(c for c in result["checks"] if c["id"] == "commentary-languages/demo/2026-11")
    assert agreement["status"] == "pass" and "same 2 figures" in agreement["message"]


def test_one_language_without_the_other_stops_naming_both_files():
    with pytest.raises(commentary.CommentaryError) as caught:
        commentary.check_commentary(FILES, {"en": b"Done: {tasks_done}."}, values(), briefing="demo")
    assert EN_PATH in str(caught.value) and ZH_PATH in str(caught.value)


def test_no_commentary_is_not_an_error():
    result = commentary.check_commentary(FILES, {}, values(), briefing="demo")
    assert result["written"] is False and result["checks"] == []


# ---------------------------------------------------------------------------------- Markdown


def test_raw_html_and_script_links_do_not_survive():
    hostile = ('Text <script>alert(1)</script> and <img src=x onerror="alert(2)"> and '
               '[click](javascript:alert(3)) and [data](data:text/html;base64,PHNjcmlwdD4=) and '
               '![pixel](data:image/png;base64,iVBORw0KGgo=) and <a href="http://evil">a</a> and '
               '[fine](https://example.org/report).\n\n<div onclick="x()">block</div>\n')
    result = check(hostile, hostile)
    html = result["html"]["en"]
    for bad in ("<script", "<img", "onerror=\"", "href=\"javascript:", "href=\"data:", "<div", "<a href=\"http://evil"):
        assert bad not in html, (bad, html)
    assert "&lt;script&gt;" in html  # shown as text
    assert '<a href="https://example.org/report">fine</a>' in html


def test_markdown_structure_is_kept_and_headings_sit_below_the_section():
    result = check("# Outlook\n\n- **mainly**, *then* {tasks_done}\n- `code`\n", "# 展望\n\n- 已實施{tasks_done}\n")
    html = result["html"]["en"]
    assert "<h4>Outlook</h4>" in html and "<li><strong>mainly</strong>, <em>then</em>" in html
    assert "<code>code</code>" in html


@pytest.mark.parametrize("raw, expected", [
    (b"", "file is empty"),
    (b"ab\x00cd", "NUL byte"),
    ("Ａ full-width ６９ tasks have been carried out.".encode("utf-16"), None),
], ids=["empty", "binary", "utf-16-full-width"])
def test_bad_bytes_are_one_clear_error_and_other_encodings_are_read(raw, expected):
    if expected is None:  # decoded and normalized as sources are: ６９ is 69
        result = commentary.analyse(raw, "c.en.md", "en", values(), briefing="demo")
        assert [f["status"] for f in result.figures if f["origin"] == "literal"] == ["pass"]
        return
    with pytest.raises(pipeline_io.InputError, match=expected) as caught:
        commentary.analyse(raw, "c.en.md", "en", values(), briefing="demo")
    assert str(caught.value).startswith("c.en.md")


def test_a_private_use_character_is_refused():
    with pytest.raises(pipeline_io.InputError, match="private-use"):
        commentary.analyse("a \ue000 b".encode(), "c.en.md", "en", values(), briefing="demo")


# ---------------------------------------------------------------------------------- in the briefing


def test_the_summary_shows_the_commentary_or_says_none_was_written():
    from render_html import render
    from test_render_html import STRINGS as BRIEFING_STRINGS, context

    none = render(ROOT / "templates", context())
    assert BRIEFING_STRINGS["en"]["commentary"]["none"] in none and BRIEFING_STRINGS["zh"]["commentary"]["none"] in none
    assert "開展首創性差異化改革探索40余項" in none  # the sources' own sentence, as before
    written = check("Reforms: {reforms}, and 356 projects.", "改革探索{reforms}，356個項目。")
    html = render(ROOT / "templates", context(commentary=written))
    assert written["html"]["en"] in html and written["html"]["zh"] in html
    assert BRIEFING_STRINGS["en"]["commentary"]["none"] not in html
    assert "commentary/demo/2026-11/en/projects" in html  # its checks join the data-quality section
    assert "Pioneering and differentiated reforms, reported 17 May 2022: report:en:6" in html


# ---------------------------------------------------------------------------------- the draft


def test_the_draft_uses_placeholders_for_every_figure_and_passes_its_own_checks():
    texts = commentary.draft(values())
    for lang in ("en", "zh"):
        bare = re.sub(r"\{[a-z_.]+\}", "", texts[lang])
        assert not re.search(r"[0-9]", bare), bare
    assert "{tasks_done.pace}" in texts["en"] and "ahead of it" in texts["en"]
    assert re.search(r"\{[a-z_]+\.age\}", texts["en"]) and "no earlier briefing" in texts["en"]
    result = commentary.check_commentary(FILES, {k: v.encode() for k, v in texts.items()}, values(), briefing="demo")
    assert not [c for c in result["checks"] if c["status"] != "pass"]


def test_the_draft_says_what_changed_since_the_archived_briefing():
    previous = {"period": "2026-10", "metrics": [row("tasks_done", "60", date="2022-01-15"), row("projects", "356")]}
    texts = commentary.draft(values(previous=previous))
    assert "{tasks_done.label} from {tasks_done.previous} to {tasks_done}" in texts["en"]
    assert "{projects.previous}" not in texts["en"]  # unchanged
    assert "{reforms.label} {reforms} (new)" in texts["en"]
    commentary.check_commentary(FILES, {k: v.encode() for k, v in texts.items()}, values(previous=previous),
                                briefing="demo")


def test_the_draft_is_written_once_and_never_overwritten(tmp_path):
    paths = {lang: str(tmp_path / "c" / f"2026-11.{lang}.md") for lang in ("en", "zh")}
    assert commentary.write_draft(paths, {"en": "first\n", "zh": "第一\n"}) == []
    Path(paths["zh"]).write_text("edited by the analyst\n", encoding="utf-8")
    assert commentary.write_draft(paths, {"en": "second\n", "zh": "第二\n"}) == list(paths.values())
    assert Path(paths["en"]).read_text(encoding="utf-8") == "first\n"
    assert Path(paths["zh"]).read_text(encoding="utf-8") == "edited by the analyst\n"


def test_the_draft_command_writes_both_files_then_refuses(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    (work / OUT).mkdir(parents=True)
    (work / f"{OUT}/metrics.csv").write_text(pipeline_io.csv_text(METRICS, list(METRICS[0])), encoding="utf-8")

    def draft_command():
        return subprocess.run([sys.executable, "scripts/draft_commentary.py", "--period", "2027-01"], cwd=work,
                              capture_output=True, text=True, timeout=120)

    first = draft_command()
    en, zh = (work / f"data/commentary/{BRIEFING}/2027-01.{lang}.md" for lang in ("en", "zh"))
    assert first.returncode == 0, first.stderr
    assert "wrote" in first.stdout and en.read_text(encoding="utf-8").startswith("**Progress against the plan.**")
    assert "{tasks_done}" in zh.read_text(encoding="utf-8")
    en.write_text("The analyst's own words.\n", encoding="utf-8")
    again = draft_command()
    assert again.returncode == 1 and "not overwritten" in again.stderr
    assert en.read_text(encoding="utf-8") == "The analyst's own words.\n"


# ---------------------------------------------------------------------------------- what the engine misreads

# Fair commentary sentences the figure engine once read wrongly (fixed in the engine since): a question
# about a whole, a hypothetical count, and 當年 ("that same year"), which points at a year said elsewhere.
@pytest.mark.parametrize("lang, sentence", [
    pytest.param("en", "A closing report should say how many of the 86 tasks were carried out in the end."),
    pytest.param("zh", "試點的總結報告應說明86項任務最終實施了多少。"),
    pytest.param("en", "An even pace would have carried out about 32 tasks by then."),
], ids=["en-how-many-of-the-whole", "zh-how-many-of-the-whole", "en-hypothetical-pace"])
def test_fair_sentences_the_engine_once_misread(lang, sentence):
    assert literal_outcome(lang, sentence) in ("pass", "warning")


def test_dang_nian_in_a_narrative_is_not_this_year():
    result = commentary.analyse("這些數據應視為當年的情況。".encode(), ZH_PATH, "zh", values(), briefing="demo")
    assert [f for f in result.figures if f["origin"] == "literal"] == []


# ---------------------------------------------------------------------------------- in the workflow

SHIPPED = {lang: f"data/commentary/{BRIEFING}/{PERIOD}.{lang}.md" for lang in ("en", "zh")}


@pytest.mark.workflow
def test_the_shipped_commentary_is_in_the_pdf_with_its_checks_and_hashes(built_workflow):
    from test_workflow import pdf_text

    flat = "".join(pdf_text(built_workflow / PDF).split())
    for needle in ("Wherethepilotstands", "試點進展", "morethan40", "40餘項", "chongqing-pilot-first-anniversary:en:6",
                   "chongqing-pilot-first-anniversary:zh:26", "A.Analyst:Theendoftheplan"):
        assert needle in flat, needle
    html = (built_workflow / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    assert f"commentary-number/{BRIEFING}/{PERIOD}/en/April 2024" in html  # the accepted exception
    for path in SHIPPED.values():
        assert pipeline_io.sha256_file(ROOT / path) in html and path in html  # the colophon
    result = pipeline_io.read_json(built_workflow / f"{OUT}/commentary/{PERIOD}/commentary.json")
    assert result["written"] and {c["status"] for c in result["checks"]} <= {"pass", "resolved"}


@pytest.mark.workflow
def test_editing_the_commentary_reruns_only_the_commentary_and_rendering(built_copy):
    path = built_copy / SHIPPED["en"]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence of judgement.\n", encoding="utf-8")
    assert planned_jobs(built_copy, "--config", f"period={PERIOD}") == {
        "check_commentary": 1, "render_briefing": 1, "all": 1}


@pytest.mark.workflow
def test_a_contradicting_number_stops_the_build_before_rendering(built_copy):
    for lang, old, new in (("en", "{tasks_done} of the", "71 of the"), ("zh", "已實施{tasks_done}", "已實施71項")):
        path = built_copy / SHIPPED[lang]
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    pdf = built_copy / PDF
    before = pdf.read_bytes()
    proc = run_snakemake(built_copy, "--config", f"period={PERIOD}", check=False)
    assert proc.returncode != 0
    log = (built_copy / f"logs/{BRIEFING}/check_commentary/{PERIOD}.log").read_text(encoding="utf-8")
    for needle in (f"{SHIPPED['en']}:2: '71' (tasks_done) contradicts tasks_done = 69",
                   "chongqing-pilot-first-anniversary:en:6", f"commentary/{BRIEFING}/{PERIOD}/zh/tasks_done"):
        assert needle in log, (needle, log)
    assert "Traceback" not in log
    assert pdf.read_bytes() == before  # render_briefing did not run
