"""Reconciliation and checks (scripts/reconcile.py) on hand-made figure rows."""

from decimal import Decimal

import pytest

from reconcile import (
    FIGURE_COLUMNS,
    blocking,
    format_blocking,
    metrics_csv,
    parse_resolutions,
    read_figures,
    reconcile,
    round_to_places_of,
    unused_resolutions,
)
from pipeline_io import InputError

def _count(en, zh, **more):
    return {"label": {"en": en, "zh": zh}, "kind": "count", "counts": {"en": ["task"], "zh": ["任務"]}, **more}


CATALOG = {
    "version": 2,
    "metrics": {
        "tasks_total": _count("Tasks", "任務"),
        "tasks_done": _count("Done", "已完成", monotonic="increasing", event={"en": ["implement"], "zh": ["實施"]}),
        "tasks_done_share": {"label": {"en": "Share", "zh": "比例"}, "kind": "percent",
                             "share_of": {"numerator": "tasks_done", "denominator": "tasks_total"}},
        "reforms": {**_count("Reforms", "改革"), "counts": {"en": ["reform"], "zh": ["改革"]}},
    },
}


def row(source, lang, metric, value, line, qualifier="eq", unit="", start=0, **more):
    out = {
        "source": source, "lang": lang, "metric": metric, "value": value, "qualifier": qualifier,
        "unit": unit, "line": str(line), "loc": str(line), "start": str(start), "end": str(start + 1), "match": value,
        "claim": "", "part": "", "whole": "", "candidate": "", "flags": "", "evidence": f"... {value} ...",
    }
    out.update(more)
    return out


def seed_rows(source="seed", done="69", share="80.2", reforms_zh=("40", "gt")):
    return [
        row(source, "en", "tasks_total", "86", 4),
        row(source, "en", "tasks_done", done, 6),
        row(source, "en", "tasks_done_share", share, 6, unit="%"),
        row(source, "en", "reforms", "40", 6, qualifier="gt"),
        row(source, "zh", "tasks_total", "86", 26),
        row(source, "zh", "tasks_done", done, 26),
        row(source, "zh", "tasks_done_share", share, 26, unit="%"),
        row(source, "zh", "reforms", reforms_zh[0], 26, qualifier=reforms_zh[1]),
        row(source, "en", "", "17", 6),
    ]


def doc(source, date):
    return {"source": source, "metadata": {"date": date}}


def by_id(checks):
    return {c["id"]: c for c in checks}


def test_seed_passes_every_check():
    metrics, checks = reconcile(seed_rows(), [doc("seed", "2022-05-17")], CATALOG, {})
    assert blocking(checks) == []
    values = {m["metric"]: (m["value"], m["qualifier"]) for m in metrics}
    assert values == {"tasks_total": ("86", "eq"), "tasks_done": ("69", "eq"),
                      "tasks_done_share": ("80.2", "eq"), "reforms": ("40", "gt")}
    assert {m["date"] for m in metrics} == {"2022-05-17"}
    assert by_id(checks)["share/seed/en/tasks_done_share"]["status"] == "pass"


def test_share_that_does_not_match_its_parts_fails():
    _, checks = reconcile(seed_rows(share="82"), [doc("seed", "2022-05-17")], CATALOG, {})
    share = by_id(checks)["share/seed/en/tasks_done_share"]
    assert share["status"] == "fail" and share["severity"] == "error"
    assert "69 / 86 = 80.23" in share["message"] and "82" in share["message"]


@pytest.mark.parametrize("stated, ok", [("80.2", True), ("80", True), ("80.23", True), ("80.3", False), ("81", False)])
def test_share_precision_follows_the_statement(stated, ok):
    assert (round_to_places_of(Decimal(69) / Decimal(86) * 100, Decimal(stated)) == Decimal(stated)) is ok


def test_english_chinese_disagreement_names_both_values_sources_and_lines():
    _, checks = reconcile(seed_rows(reforms_zh=("50", "gt")), [doc("seed", "2022-05-17")], CATALOG, {})
    errors = blocking(checks)
    assert [c["id"] for c in errors] == ["lang-agreement/seed/reforms"]
    message = errors[0]["message"]
    assert "40" in message and "50" in message and "line 6" in message and "line 26" in message
    assert "lang-agreement/seed/reforms" in format_blocking(errors, "data/resolutions.yaml")


def test_a_qualifier_difference_is_a_disagreement():
    _, checks = reconcile(seed_rows(reforms_zh=("40", "eq")), [doc("seed", "2022-05-17")], CATALOG, {})
    assert [c["id"] for c in blocking(checks)] == ["lang-agreement/seed/reforms"]


def test_a_resolution_unblocks_and_is_used():
    resolutions = parse_resolutions({"resolutions": [
        {"check": "lang-agreement/seed/reforms", "value": "40", "qualifier": "gt", "by": "A. Analyst",
         "why": "Chinese original says 40余项"}]})
    metrics, checks = reconcile(seed_rows(reforms_zh=("50", "gt")), [doc("seed", "2022-05-17")], CATALOG, resolutions)
    assert blocking(checks) == []
    reforms = next(m for m in metrics if m["metric"] == "reforms")
    assert (reforms["value"], reforms["qualifier"], reforms["status"]) == ("40", "gt", "resolved")
    assert "A. Analyst" in reforms["note"] and "40余项" in reforms["note"]


def test_sources_with_the_same_date_must_agree():
    rows = seed_rows("a") + seed_rows("b", done="70", share="81.4")
    _, checks = reconcile(rows, [doc("a", "2022-05-17"), doc("b", "2022-05-17")], CATALOG, {})
    ids = [c["id"] for c in blocking(checks)]
    assert "source-agreement/tasks_done/2022-05-17" in ids


def test_time_series_across_dated_sources():
    rows = seed_rows("a") + seed_rows("b", done="75", share="87.2") + seed_rows("c", done="60", share="69.8")
    dates = [doc("a", "2022-05-17"), doc("b", "2023-05-17"), doc("c", "2024-01-10")]
    metrics, checks = reconcile(rows, dates, CATALOG, {})
    series = by_id(checks)["series/tasks_done"]
    assert series["severity"] == "warning" and series["status"] == "fail"
    assert "from 75 (2023-05-17) to 60 (2024-01-10)" in series["message"]
    assert [m["value"] for m in metrics if m["metric"] == "tasks_done"] == ["69", "75", "60"]


def test_two_values_in_one_language_is_an_error():
    rows = seed_rows() + [row("seed", "en", "tasks_total", "85", 12)]
    _, checks = reconcile(rows, [doc("seed", "2022-05-17")], CATALOG, {})
    assert "consistency/seed/en/tasks_total" in [c["id"] for c in blocking(checks)]


def test_missing_metric_and_undated_source_are_warnings():
    catalog = {"version": 2, "metrics": {**CATALOG["metrics"], "projects": _count("Projects", "項目")}}
    _, checks = reconcile(seed_rows(), [doc("seed", None)], catalog, {})
    assert by_id(checks)["coverage/projects"]["severity"] == "warning"
    assert by_id(checks)["dated/seed"]["status"] == "fail"
    assert blocking(checks) == []


@pytest.mark.parametrize("data, message", [
    ({"resolutions": [{"check": "x", "value": "1", "by": "me"}]}, "missing why"),
    ({"resolutions": [{"check": "x", "value": "1", "by": "me", "why": "w", "colour": "red"}]}, "unknown keys"),
    ({"resolutions": [{"check": "x", "value": "1", "by": "me", "why": "w", "qualifier": "many"}]}, "qualifier"),
    ({"resolutions": "x"}, "list"),
], ids=["no-why", "unknown-key", "bad-qualifier", "not-a-list"])
def test_bad_resolutions_are_input_errors(data, message):
    with pytest.raises(InputError, match=message):
        parse_resolutions(data, "data/resolutions.yaml")


def test_unused_resolution_is_reported():
    resolutions = parse_resolutions({"resolutions": [{"check": "nope", "value": "1", "by": "me", "why": "w"}]})
    _, checks = reconcile(seed_rows(), [doc("seed", "2022-05-17")], CATALOG, resolutions)
    assert unused_resolutions(checks, resolutions) == ["nope"]


def test_figures_csv_round_trip_and_header_check():
    text = ",".join(FIGURE_COLUMNS) + "\n" + ",".join(row("s", "en", "x", "1", 1)[c] for c in FIGURE_COLUMNS) + "\n"
    assert read_figures(text)[0]["value"] == "1"
    with pytest.raises(InputError, match="unexpected columns"):
        read_figures("a,b\n1,2\n", "results/figures/s.csv")


def test_metrics_csv_is_stable():
    metrics, _ = reconcile(seed_rows(), [doc("seed", "2022-05-17")], CATALOG, {})
    assert metrics_csv(metrics) == metrics_csv(list(metrics))
    assert metrics_csv(metrics).splitlines()[0].startswith("metric,date,value,qualifier")


# ---------------------------------------------------------------- checks of the figure engine's relations and flags


def test_a_share_stated_beside_its_parts_is_checked_even_without_the_catalog_pairs():
    """"69 of the 86 tasks (82%)": the parts are the stated part and its whole, not the metrics."""
    rows = [row("w", "en", "", "86", 3, start=20), row("w", "en", "", "69", 3, start=10, whole="3:20"),
            row("w", "en", "tasks_done_share", "82", 3, unit="%", start=40, part="3:10")]
    _, checks = reconcile(rows, [doc("w", "2022-05-17")], CATALOG, {})
    share = by_id(checks)["share/w/en/tasks_done_share"]
    assert (share["status"], share["severity"]) == ("fail", "error")
    assert "69 / 86 = 80.23" in share["message"] and "82" in share["message"]


def test_an_unclaimed_stated_share_that_does_not_match_is_a_warning():
    rows = [row("w", "en", "", "20", 1, start=0), row("w", "en", "", "5", 1, start=9, whole="1:0"),
            row("w", "en", "", "30", 1, unit="%", start=15, part="1:9")]
    _, checks = reconcile(rows, [doc("w", "2022-05-17")], CATALOG, {})
    share = by_id(checks)["share/w/en/1:15"]
    assert (share["status"], share["severity"]) == ("fail", "warning")
    assert blocking(checks) == []


def test_numerator_larger_than_denominator_is_a_part_whole_error():
    rows = [row("w", "zh", "tasks_total", "86", 1), row("w", "zh", "tasks_done", "92", 1, start=5)]
    _, checks = reconcile(rows, [doc("w", "2022-05-17")], CATALOG, {})
    assert [c["id"] for c in blocking(checks)] == ["part-whole/w/zh/tasks_done"]


@pytest.mark.parametrize("flag, kind", [
    ("not-whole", "not-whole"), ("share-range", "share-range"), ("part-exceeds-whole", "part-whole"),
    ("ambiguous-separator", "ambiguous-number"), ("negative-count", "negative-count"),
], ids=lambda v: str(v))
def test_a_flagged_claimed_figure_stops_the_build_and_is_not_published(flag, kind):
    rows = seed_rows() + [row("seed", "en", "reforms", "41.5", 9, flags=flag, qualifier="gt")]
    metrics, checks = reconcile(rows, [doc("seed", "2022-05-17")], CATALOG, {})
    assert f"{kind}/seed/en/reforms" in [c["id"] for c in blocking(checks)]
    assert "41.5" not in {m["value"] for m in metrics}


def test_an_unresolved_relative_date_is_a_warning_and_never_a_language_conflict():
    """A source without a date whose Chinese says 去年4月: the date has no value, so there is
    nothing to disagree with the English "April 2021"."""
    catalog = {"version": 2, "metrics": {"approved": {"label": {"en": "Approved", "zh": "獲批"}, "kind": "date",
                                                      "event": {"en": ["approve"], "zh": ["獲批"]}}}}
    rows = [row("u", "en", "approved", "2021-04", 1, unit="date"),
            row("u", "zh", "approved", "", 2, unit="date", flags="date-unresolved")]
    metrics, checks = reconcile(rows, [doc("u", None)], catalog, {})
    assert blocking(checks) == []
    assert by_id(checks)["date-unresolved/u/zh/approved"]["severity"] == "warning"
    assert not any(c["id"].startswith("lang-agreement") for c in checks)
    assert [m["value"] for m in metrics] == ["2021-04"]


def test_candidates_and_sources_without_figures_are_listed_never_dropped():
    rows = seed_rows() + [row("seed", "en", "", "12", 8, candidate="metric=tasks_done;why=event-not-done;"
                                                                   "term=implement;state=planned"),
                          row("quiet", "en", "", "7", 1)]
    docs = [doc("seed", "2022-05-17"), doc("quiet", "2022-05-17")]
    _, checks = reconcile(rows, docs, CATALOG, {})
    candidate = by_id(checks)["candidate/seed/en/8:0"]
    assert candidate["severity"] == "warning" and "tasks_done" in candidate["message"]
    assert "planned" in candidate["message"] and "seed:en:8" in candidate["evidence"]
    assert by_id(checks)["no-figures/quiet"]["severity"] == "warning"
    _, strict = reconcile(rows, docs, CATALOG, {}, strict=True)
    assert "no-figures/quiet" in [c["id"] for c in blocking(strict)]


def test_provenance_uses_the_location_in_the_original():
    """A PDF's figures are cited page:line; metrics.csv evidence carries that location."""
    rows = [row("p", "en", "tasks_total", "86", 40, loc="3:12")]
    metrics, _ = reconcile(rows, [doc("p", "2022-05-17")], CATALOG, {})
    assert metrics[0]["evidence"] == "p:en:3:12"


def test_a_source_without_metadata_date_takes_the_first_full_date_of_its_text():
    normalized = [{"source": "d", "metadata": {}, "lines": [
        {"line": 1, "lang": "zh", "text": "本報2022年5月20日訊"}, {"line": 2, "lang": "zh", "text": "任務86項"}]}]
    metrics, checks = reconcile([row("d", "zh", "tasks_total", "86", 2)], normalized, CATALOG, {})
    assert metrics[0]["date"] == "2022-05-20"
    assert "dated/d" not in by_id(checks)


def test_a_share_stated_twice_is_one_check_failing_if_either_statement_is_wrong():
    rows = [row("w", "en", "tasks_total", "86", 3, start=20),
            row("w", "en", "tasks_done", "69", 3, start=10, whole="3:20"),
            row("w", "en", "tasks_done_share", "80.2", 3, unit="%", start=40, part="3:10"),
            row("w", "en", "tasks_total", "86", 9, start=20),
            row("w", "en", "tasks_done", "69", 9, start=10, whole="9:20"),
            row("w", "en", "tasks_done_share", "80.2", 9, unit="%", start=40, part="9:10")]
    _, checks = reconcile(rows, [doc("w", "2022-05-17")], CATALOG, {})
    ids = [c["id"] for c in checks]
    assert len(ids) == len(set(ids))
    share = by_id(checks)["share/w/en/tasks_done_share"]
    assert share["status"] == "pass" and {"w:en:3", "w:en:9"} <= set(share["evidence"])
