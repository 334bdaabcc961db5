"""Tests for scripts/catalog.py: English plurals and verb forms, Chinese folding, the catalog's
checks (each error names the file and the key or metric), and a metric that is new to the
project working end to end with no code change.

All words, catalogs and sentences here were written for this file; expected values are read
off them by hand. Known failures are ``xfail(strict=True)`` so a fix is noticed.
"""

from __future__ import annotations

import copy
from pathlib import Path

import catalog
import extract_figures as ef
import pipeline_io
import pytest
import yaml
from catalog import fold, plural, verb_forms

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "config" / "metrics.yaml"


def case(id_, *values, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(*values, id=id_, marks=marks)


# ------------------------------------------------------------------------------- plural
PLURALS = [
    case("regular", "bridge", "bridges"),
    case("consonant-y", "policy", "policies"),
    case("consonant-y-city", "city", "cities"),
    case("vowel-y", "survey", "surveys"),
    case("s", "bus", "buses"),
    case("x", "tax", "taxes"),
    case("ch", "branch", "branches"),
    case("sh", "dish", "dishes"),
    case("z", "waltz", "waltzes"),
    case("compound", "pilot zone", "pilot zones"),
    case("hyphenated", "one-stop service", "one-stop services"),
    case("x-and-y", "town and village", "towns and villages"),
    case("x-and-compound", "port and free trade zone", "ports and free trade zones"),
    case("irregular-person", "person", "people"),
    case("irregular-analysis", "analysis", "analyses"),
]


@pytest.mark.parametrize("noun,expected", PLURALS)
def test_plural(noun, expected):
    assert plural(noun) == expected


# ------------------------------------------------------------------------------- verb forms
VERB_FORMS = [
    # lemma, form, state
    case("regular-done", "adopt", "adopted", "done"),
    case("regular-ing", "adopt", "adopting", "ing"),
    case("regular-base", "adopt", "adopt", "base"),
    case("regular-present", "adopt", "adopts", "present"),
    case("regular-nominal", "adopt", "adoption", "nominal"),
    case("e-done", "complete", "completed", "done"),
    case("e-ing", "complete", "completing", "ing"),
    case("e-nominal", "complete", "completion", "nominal"),
    case("e-al-nominal", "approve", "approval", "nominal"),
    case("ment-nominal", "establish", "establishment", "nominal"),
    case("y-done", "apply", "applied", "done"),
    case("y-present", "apply", "applies", "present"),
    case("y-ing", "apply", "applying", "ing"),
    case("ch-present", "launch", "launches", "present"),
    case("double-consonant-done", "plan", "planned", "done"),
    case("double-consonant-ing", "plan", "planning", "ing"),
    case("double-fulfil", "fulfil", "fulfilled", "done"),
    case("ie-ing", "tie", "tying", "ing"),
    case("o-present", "veto", "vetoes", "present"),
    case("irregular-built", "build", "built", "done"),
    case("irregular-begun", "begin", "begun", "done"),
    case("irregular-began", "begin", "began", "done"),
    case("irregular-phrase-first-word", "draw up", "drawn up", "done"),
    case("phrasal-done", "roll out", "rolled out", "done"),
    case("phrasal-ing", "roll out", "rolling out", "ing"),
    case("phrasal-present", "roll out", "rolls out", "present"),
    case("phrasal-base", "roll out", "roll out", "base"),
    case("phrase-object-done", "open to traffic", "opened to traffic", "done"),
    case("phrase-object-ing", "open to traffic", "opening to traffic", "ing"),
    case("irregular-phrase", "take effect", "taken effect", "done"),
    case("irregular-phrase-past", "take effect", "took effect", "done"),
    case("irregular-set-up", "set up", "setting up", "ing"),
    case("state-in-operation", "in operation", "in operation", "done"),
    case("state-under-construction", "under construction", "under construction", "done"),
    case("state-up-and-running", "up and running", "up and running", "done"),
]


@pytest.mark.parametrize("lemma,form,state", VERB_FORMS)
def test_verb_forms(lemma, form, state):
    assert verb_forms(lemma)[form] == state


def test_state_phrase_has_no_other_forms():
    assert verb_forms("in force") == {"in force": "done"}


def test_phrasal_verb_has_no_nominals():
    """A nominal of "roll out" would be "roll outation": phrases get none."""
    assert "nominal" not in verb_forms("roll out").values()


@pytest.mark.parametrize("lemma,word", [
    pytest.param("sign", "signal", id="sign-signal"),
    pytest.param("pass", "passion", id="pass-passion"),
    pytest.param("form", "formal", id="form-formal"),
    pytest.param("go", "goal", id="go-goal"),
])
def test_nominals_do_not_invent_unrelated_words(lemma, word):
    assert word not in verb_forms(lemma)


# ------------------------------------------------------------------------------- fold
FOLD_ZH = [
    # Traditional, Simplified
    case("tasks-done", "總體方案任務已實施", "总体方案任务已实施"),
    case("bridge", "新建橋樑完工", "新建桥梁完工"),
    case("place-names", "臺灣後裡鄉", "台湾后里乡"),
    case("punctuation-digits", "（一）落實86項，佔80.2%。", "（一）落实86项，占80.2%。"),
    case("reforms", "首創性差異化改革探索", "首创性差异化改革探索"),
    case("approval", "綜合試點獲批覆", "综合试点获批复"),
]


@pytest.mark.parametrize("hant,hans", FOLD_ZH)
def test_fold_zh_maps_traditional_to_simplified_keeping_length(hant, hans):
    assert fold(hant, "zh") == hans
    assert len(fold(hant, "zh")) == len(hant)
    assert fold(hans, "zh") == hans          # Simplified stays as it is
    assert len(fold(hans, "zh")) == len(hans)


@pytest.mark.parametrize("text,expected", [
    pytest.param("Put Into EFFECT", "put into effect", id="lower"),
    pytest.param("first\u2010of\u2011its\u2010kind", "first-of-its-kind", id="unicode-hyphens"),
    pytest.param("the city\u2019s \u2018pilot\u2019", "the city's 'pilot'", id="curly-apostrophes"),
])
def test_fold_en(text, expected):
    assert fold(text, "en") == expected
    assert len(fold(text, "en")) == len(text)


def test_fold_keeps_offsets_of_mixed_text():
    text = "重慶 Chongqing：試點任務86項 (86 tasks)"
    folded = fold(text, "zh")
    assert len(folded) == len(text)
    assert folded.startswith("重庆") and "试点任务86项" in folded
    assert all(f == c for f, c in zip(folded, text) if c.isascii())   # Latin text and digits untouched


# ------------------------------------------------------------------------------- the shipped catalog
def test_shipped_catalog_loads_and_derives_forms():
    cat = catalog.load(SHIPPED)
    assert cat.path == str(SHIPPED)
    done = cat.metrics["tasks_done"]
    assert {"task", "tasks"} <= set(done.counts["en"])
    assert "任务" in done.counts["zh"]                     # written Traditional, matched Simplified
    assert done.event["en"]["carried out"] == "done"
    assert cat.metrics["tasks_done_share"].share_of == {"numerator": "tasks_done", "denominator": "tasks_total"}
    assert cat.metrics["tasks_done_share"].unit == "%"
    assert cat.metrics["tasks_total"].unit == ""            # the default of a count


# ------------------------------------------------------------------------------- errors
def good_catalog() -> dict:
    """A small valid catalog: bridges planned and completed, a completion rate, an opening date."""
    return {
        "version": 2,
        "metrics": {
            "bridges_planned": {
                "label": {"en": "Bridges planned", "zh": "規劃橋樑數"}, "kind": "count",
                "counts": {"en": ["bridge", "river crossing"], "zh": ["橋樑", "橋梁", "大橋"]},
                "counter": {"zh": "座"},
            },
            "bridges_built": {
                "label": {"en": "Bridges completed", "zh": "已建成橋樑數"}, "kind": "count",
                "counts": {"en": ["bridge", "river crossing"], "zh": ["橋樑", "橋梁", "大橋"]},
                "event": {"en": ["complete", "build", "open to traffic", "finish"],
                          "zh": ["建成", "完工", "竣工", "通車"]},
                "counter": {"zh": "座"}, "monotonic": "increasing",
            },
            "bridges_share": {
                "label": {"en": "Share of bridges completed", "zh": "橋樑完工率"}, "kind": "percent",
                "share_of": {"numerator": "bridges_built", "denominator": "bridges_planned"},
                "names": {"en": ["completion rate"], "zh": ["完工率", "建成率"]},
            },
            "works_started": {
                "label": {"en": "Works started", "zh": "開工日期"}, "kind": "date",
                "event": {"en": ["break ground", "start construction"], "zh": ["開工", "動工"]},
            },
        },
    }


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "bridges catalog.yaml"   # a space in the name, on purpose
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, data) -> pipeline_io.InputError:
    path = write(tmp_path, data)
    with pytest.raises(pipeline_io.InputError) as info:
        catalog.load(path)
    err = info.value
    assert err.path == str(path)
    assert str(path) in str(err)
    return err


def test_good_catalog_loads(tmp_path):
    cat = catalog.load(write(tmp_path, good_catalog()))
    assert cat.ids() == ["bridges_planned", "bridges_built", "bridges_share", "works_started"]
    assert cat.metrics["bridges_built"].event["en"]["opened to traffic"] == "done"
    assert "桥梁" in cat.metrics["bridges_built"].counts["zh"]
    assert "river crossings" in cat.metrics["bridges_built"].counts["en"]


def _set(data, dotted: str, value):
    *path, last = dotted.split(".")
    node = data
    for key in path:
        node = node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()

# (id, dotted key to change, new value, words the message must contain)
BAD_CATALOGS = [
    case("unknown-metric-key", "metrics.bridges_built.colour", "blue", ["bridges_built", "colour"]),
    case("unknown-top-key", "metric_list", [], ["metric_list"]),
    case("bad-kind", "metrics.bridges_planned.kind", "tally", ["bridges_planned", "kind", "tally"]),
    case("unit-not-fitting-kind", "metrics.bridges_planned.unit", "%", ["bridges_planned", "unit", "count"]),
    case("percent-with-years-unit", "metrics.bridges_share.unit", "years", ["bridges_share", "unit"]),
    case("missing-zh-label", "metrics.bridges_planned.label", {"en": "Bridges planned"},
         ["bridges_planned", "label", "zh"]),
    case("blank-en-label", "metrics.bridges_planned.label.en", " ", ["bridges_planned", "label", "en"]),
    case("missing-kind", "metrics.bridges_planned.kind", _DELETE, ["bridges_planned", "kind"]),
    case("version-1", "version", 1, ["version", "2"]),
    case("no-version", "version", _DELETE, ["version"]),
    case("count-without-counts", "metrics.bridges_planned.counts", _DELETE, ["bridges_planned", "counts"]),
    case("date-without-event", "metrics.works_started.event", _DELETE, ["works_started", "event"]),
    case("percent-without-share-or-names", "metrics.bridges_share", {
        "label": {"en": "Rate", "zh": "比率"}, "kind": "percent"}, ["bridges_share", "share_of", "names"]),
    case("share-of-unknown-metric", "metrics.bridges_share.share_of.numerator", "bridges_finished",
         ["bridges_share", "numerator", "bridges_finished"]),
    case("share-of-non-count", "metrics.bridges_share.share_of.denominator", "works_started",
         ["bridges_share", "denominator", "works_started"]),
    case("share-of-on-a-count", "metrics.bridges_planned.share_of",
         {"numerator": "bridges_built", "denominator": "bridges_planned"}, ["bridges_planned", "share_of"]),
    case("share-of-missing-denominator", "metrics.bridges_share.share_of", {"numerator": "bridges_built"},
         ["bridges_share", "share_of", "denominator"]),
    case("words-not-a-list", "metrics.bridges_built.event.en", "complete", ["bridges_built", "event", "en"]),
    case("words-empty-list", "metrics.bridges_built.counts.zh", [], ["bridges_built", "counts", "zh"]),
    case("words-unknown-language", "metrics.bridges_built.counts.fr", ["pont"], ["bridges_built", "counts", "fr"]),
    case("bad-monotonic", "metrics.bridges_built.monotonic", "decreasing", ["bridges_built", "monotonic"]),
    case("counter-too-long", "metrics.bridges_built.counter", {"zh": "座座座"}, ["bridges_built", "counter"]),
]


@pytest.mark.parametrize("key,value,words", BAD_CATALOGS)
def test_bad_catalog_error_names_file_and_key(tmp_path, key, value, words):
    err = load_error(tmp_path, _set(good_catalog(), key, value))
    for word in words:
        assert word in err.detail, (word, err.detail)


@pytest.mark.parametrize("bad_id", [
    pytest.param("Bridges", id="upper-case"),
    pytest.param("bridges-built", id="hyphen"),
    pytest.param("1st_bridges", id="leading-digit"),
    pytest.param("橋樑", id="chinese"),
])
def test_bad_metric_id(tmp_path, bad_id):
    data = good_catalog()
    data["metrics"][bad_id] = data["metrics"].pop("bridges_planned")
    data["metrics"]["bridges_share"]["share_of"]["denominator"] = bad_id
    err = load_error(tmp_path, data)
    assert bad_id in err.detail and "metric id" in err.detail


def test_version_1_catalog_points_to_the_new_format(tmp_path):
    old = {"version": 1, "metrics": {"tasks_total": {
        "label": {"en": "Tasks", "zh": "任務"}, "kind": "count", "patterns": {"en": [r"(\d+) tasks"]}}}}
    err = load_error(tmp_path, old)
    assert "version" in err.detail and "version 2" in err.detail


@pytest.mark.parametrize("text,lines", [
    # the parser may notice an unclosed bracket only where the text ends: the next line
    pytest.param("version: 2\nmetrics:\n  bridges: {label: [unclosed\n", {3, 4}, id="unclosed-flow"),
    pytest.param("version: 2\nmetrics:\n\tbridges: {}\n", {3}, id="tab-indent"),
    pytest.param("version: 2\nmetrics:\n  a: 1\n b: 2\n", {4}, id="bad-indent"),
])
def test_bad_yaml_names_file_and_line(tmp_path, text, lines):
    err = load_error(tmp_path, text)
    assert "YAML" in err.detail
    assert err.line in lines
    assert f"{err.path}:{err.line}" in str(err)


@pytest.mark.parametrize("text,words", [
    pytest.param("", ["object"], id="empty-file"),
    pytest.param("- version: 2\n", ["object"], id="a-list"),
    pytest.param("version: 2\nmetrics: {}\n", ["metrics"], id="no-metrics"),
    pytest.param("version: 2\nmetrics: [bridges]\n", ["metrics", "object"], id="metrics-a-list"),
])
def test_wrong_shape_names_file_and_what_was_expected(tmp_path, text, words):
    err = load_error(tmp_path, text)
    for word in words:
        assert word in err.detail, (word, err.detail)


def test_missing_catalog_file(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(pipeline_io.InputError) as info:
        catalog.load(path)
    assert str(path) in str(info.value) and "cannot read" in str(info.value)


def test_catalog_in_a_legacy_encoding_is_an_input_error(tmp_path):
    text = yaml.safe_dump(good_catalog(), allow_unicode=True, sort_keys=False)
    path = tmp_path / "big5.yaml"
    path.write_bytes(text.encode("big5"))
    with pytest.raises(pipeline_io.InputError) as info:
        catalog.load(path)
    assert str(path) in str(info.value)


def test_duplicate_metric_id_is_an_error(tmp_path):
    text = yaml.safe_dump(good_catalog(), allow_unicode=True, sort_keys=False)
    text += ("  bridges_planned:\n    label: {en: Again, zh: 再次}\n    kind: count\n"
             "    counts: {en: [tunnel]}\n")
    err = load_error(tmp_path, text)
    assert "bridges_planned" in err.detail


def test_validate_without_a_file_names_a_placeholder():
    data = _set(good_catalog(), "metrics.bridges_planned.kind", "tally")
    with pytest.raises(pipeline_io.InputError) as info:
        catalog.validate(data)
    assert "<catalog>" in str(info.value)


def test_check_schema_accepts_the_good_catalog_and_the_shipped_one():
    catalog.check_schema(good_catalog())
    catalog.check_schema(pipeline_io.read_yaml(SHIPPED))


def test_validate_does_not_mutate_its_input():
    data = good_catalog()
    before = copy.deepcopy(data)
    catalog.validate(data)
    assert data == before


# ------------------------------------------------------------------------------- a new metric, end to end
@pytest.fixture(scope="module")
def bridges():
    return catalog.validate(good_catalog(), "bridges.yaml")


def attributed(text: str, lang: str, cat, date: str | None = "2023-06-30") -> list[tuple[str, str, str]]:
    doc = {"source": "t", "path": "t.txt", "metadata": {"date": date},
           "lines": [{"line": 1, "lang": lang, "text": text}]}
    rows = ef.extract_figures(doc, cat)
    return sorted((r["metric"], r["value"], r["qualifier"]) for r in rows if r["metric"])


BRIDGES = [
    case("en-of-the", "en", "The county has completed 12 of the 20 bridges in its plan.",
         [("bridges_built", "12", "eq"), ("bridges_planned", "20", "eq")]),
    case("en-of-the-m-share", "en", "Of the 20 bridges planned, 12 have been opened to traffic (60%).",
         [("bridges_built", "12", "eq"), ("bridges_planned", "20", "eq"), ("bridges_share", "60", "eq")]),
    case("en-rate", "en", "Their completion rate has reached 60 percent.", [("bridges_share", "60", "eq")]),
    case("en-rate-of-what", "en", "The completion rate for the new river crossings reached 60 percent.",
         [("bridges_share", "60", "eq")],
         xfail="extract_figures/figure_context._name_for allows only linking words between a name and its "
               "number: 'for the new river crossings' cuts the name off"),
    case("en-total-only", "en", "The plan provides for 20 bridges over the Jialing River.",
         [("bridges_planned", "20", "eq")]),
    case("en-done-only", "en", "Nine bridges were finished last year.", [("bridges_built", "9", "eq")]),
    case("en-future-is-not-done", "en", "Another 8 bridges will be completed next year.", []),
    case("en-other-count", "en", "More than 30 firms bid for the 20 bridges.", [("bridges_planned", "20", "eq")]),
    case("en-date", "en", "The contractor started construction on 3 March 2022.",
         [("works_started", "2022-03-03", "eq")]),
    case("en-date-irregular-verb", "en", "Crews broke ground on 3 March 2022 at the first site.",
         [("works_started", "2022-03-03", "eq")]),
    case("hans-zhong", "zh", "规划的20座桥梁中，已建成12座，占60%。",
         [("bridges_built", "12", "eq"), ("bridges_planned", "20", "eq"), ("bridges_share", "60", "eq")]),
    case("hant-zhong", "zh", "規劃的20座橋樑中，已建成12座，佔60%。",
         [("bridges_built", "12", "eq"), ("bridges_planned", "20", "eq"), ("bridges_share", "60", "eq")]),
    case("hant-noun-before", "zh", "全縣橋樑已竣工九座。", [("bridges_built", "9", "eq")]),
    case("hans-yu", "zh", "去年建成大桥10余座。", [("bridges_built", "10", "gt")]),
    case("hans-remaining-future", "zh", "其余8座桥梁明年将建成。", []),
    case("hant-rate", "zh", "橋樑完工率達六成。", [("bridges_share", "60", "eq")]),
    case("hant-other-measure-word", "zh", "共有30家企業參與橋樑建設。", []),
    case("hans-date", "zh", "首座大桥于2022年3月3日开工。", [("works_started", "2022-03-03", "eq")]),
]


@pytest.mark.parametrize("lang,text,expected", BRIDGES)
def test_new_metric_works_without_code_change(bridges, lang, text, expected):
    assert attributed(text, lang, bridges) == expected


def test_shipped_metrics_do_not_claim_bridges():
    cat = catalog.load(SHIPPED)
    assert attributed("The county has completed 12 of the 20 bridges in its plan.", "en", cat) == []
    assert attributed("規劃的20座橋樑中，已建成12座。", "zh", cat) == []
