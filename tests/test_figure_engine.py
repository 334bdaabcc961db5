"""normalize -> extract_figures -> reconcile together: the seed in any supported encoding gives
the same metrics, and an English/Chinese conflict stops the build until a person decides."""

from pathlib import Path

import pytest

from conftest import PDF, PERIOD, copy_workflow, extraction_log, normalized_file, run_snakemake
from extract_figures import extract_figures, load_catalog
from normalize import normalize_source
from pipeline_io import read_yaml
from reconcile import blocking, reconcile

ROOT = Path(__file__).resolve().parents[1]
SEED = "chongqing-pilot-first-anniversary"
SEED_TXT = ROOT / f"data/sources/{SEED}.txt"
META = read_yaml(ROOT / f"data/sources/{SEED}.yaml")
CATALOG_PATH = ROOT / "config/metrics.yaml"


def metrics_for(raw: bytes, source: str = SEED):
    doc = normalize_source(raw, source, f"data/sources/{source}.txt", META)
    rows = extract_figures(doc, load_catalog(CATALOG_PATH))
    metrics, checks = reconcile(rows, [doc], read_yaml(CATALOG_PATH), {})
    return doc, metrics, checks


def repaired_text() -> str:
    """The seed's text after normalization: Big5 can encode neither the mojibake's 闭/挛 nor the
    pinyin's tone marks, so the re-encoded variants all start from the repaired text."""
    doc = normalize_source(SEED_TXT.read_bytes(), SEED, f"data/sources/{SEED}.txt", META)
    return "\n".join(line["text"] for line in doc["lines"]) + "\n"


def test_seed_yields_every_catalog_metric_in_both_languages_with_lines():
    doc, metrics, checks = metrics_for(SEED_TXT.read_bytes())
    catalog = read_yaml(CATALOG_PATH)["metrics"]
    assert {m["metric"] for m in metrics} == set(catalog)
    for m in metrics:
        assert m["langs"] == "en;zh", m
        assert all(ref.split(":")[2].isdigit() for ref in m["evidence"].split(";")), m
    assert blocking(checks) == []
    values = {m["metric"]: (m["value"], m["qualifier"]) for m in metrics}
    assert values["tasks_total"] == ("86", "eq") and values["tasks_done"] == ("69", "eq")
    assert values["tasks_done_share"] == ("80.2", "eq") and values["reforms"] == ("40", "gt")
    assert values["approval_date"] == ("2021-04", "eq") and values["duration_years"] == ("3", "eq")


@pytest.mark.parametrize("encoding, newline", [
    ("utf-8", "\n"), ("utf-8-sig", "\n"), ("utf-16", "\n"), ("gb18030", "\n"), ("big5", "\n"), ("utf-8", "\r\n"),
], ids=["utf8", "utf8-bom", "utf16", "gb18030", "big5", "crlf"])
def test_every_encoding_gives_identical_metrics(encoding, newline):
    text = repaired_text()
    _, reference, _ = metrics_for(text.encode("utf-8"))
    doc, metrics, checks = metrics_for(text.replace("\n", newline).encode(encoding))
    assert doc["encoding"] == encoding
    assert metrics == reference
    assert blocking(checks) == []


@pytest.mark.workflow
def test_conflict_stops_the_build_then_a_resolution_lets_it_through(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    source = work / f"data/sources/{SEED}.txt"
    text = source.read_text(encoding="utf-8")
    line_no = next(i for i, line in enumerate(text.split("\n"), 1) if "改革探索40余項" in line)
    source.write_text(text.replace("改革探索40余項", "改革探索50余項"), encoding="utf-8")  # every Chinese mention

    failed = run_snakemake(work, "--config", f"period={PERIOD}", check=False)
    assert failed.returncode != 0
    message = failed.stdout + failed.stderr
    check_id = f"lang-agreement/{SEED}/reforms"
    for needle in (check_id, "reforms", "40", "50", f"line {line_no}", SEED, "data/resolutions.yaml"):
        assert needle in message, needle
    assert not (work / PDF).parent.exists(), "nothing is rendered after a failed check"

    (work / "data/resolutions.yaml").write_text(
        "resolutions:\n"
        f"  - check: {check_id}\n"
        "    value: \"40\"\n"
        "    qualifier: gt\n"
        "    by: Test Analyst\n"
        "    why: English and the original press release both say more than 40\n",
        encoding="utf-8",
    )
    run_snakemake(work, "--config", f"period={PERIOD}")
    html = (work / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    assert "Test Analyst" in html and "original press release" in html
    from test_workflow import pdf_text

    text = " ".join(pdf_text(work / PDF).split())
    assert "Test Analyst" in text
    assert "more than 40" in text


@pytest.mark.workflow
@pytest.mark.parametrize("name, content, needle", [
    ("empty", b"", "empty"),
    ("german", "Die Stadt hat mehr als 40 Reformen durchgeführt und die Ergebnisse sind gut.\n".encode(), "german.txt:1:"),
    ("binary", b"\x00\x01\x02PNG\x00\x00", "binary"),
], ids=["empty", "german", "binary"])
def test_bad_source_fails_naming_the_file(tmp_path, name, content, needle):
    work = copy_workflow(tmp_path / "wf")
    (work / f"data/sources/{name}.txt").write_bytes(content)
    proc = run_snakemake(work, normalized_file(name), check=False)
    assert proc.returncode != 0
    message = proc.stdout + proc.stderr
    assert f"data/sources/{name}.txt" in message and needle in message.lower(), message[-2000:]
    assert "Traceback" not in (work / extraction_log(name)).read_text(encoding="utf-8")


# ---------------------------------------------------------------- issue 11: the same facts in other words
# Each case of "Tried as a new user would", in our own words (never the seed's sentences).
CATALOG = load_catalog(CATALOG_PATH)


def run(text: str, date: str | None = "2023-03-01", source: str = "other-outlet", languages=None):
    """normalize -> extract -> reconcile on one source; (figures, metrics, checks)."""
    meta = None if date is None and languages is None else {"date": date, "languages": languages or ["en"]}
    if meta and meta["date"] is None:
        del meta["date"]
    doc = normalize_source(text.encode("utf-8"), source, f"data/sources/{source}.txt", meta)
    rows = extract_figures(doc, CATALOG)
    metrics, checks = reconcile(rows, [doc], CATALOG, {})
    return rows, metrics, checks


def published(rows):
    return {(r["lang"], r["metric"], r["value"], r["qualifier"]) for r in rows if r["metric"] and not r["flags"]}


def failed(checks):
    return {c["id"].split("/")[0] for c in checks if c["status"] == "fail"}


def test_wire_copy_with_items_and_a_share_in_brackets_is_read_and_a_wrong_share_is_flagged():
    ok, _, checks = run("BEIJING, March 1 -- Officials said 71 items (75.5 %) out of the 94 tasks in the plan are "
                        "now complete.")
    assert {("en", "tasks_done", "71", "eq"), ("en", "tasks_total", "94", "eq"),
            ("en", "tasks_done_share", "75.5", "eq")} <= published(ok)
    assert "share" not in failed(checks)
    _, _, checks = run("BEIJING, March 1 -- Officials said 71 items (79 %) out of the 94 tasks in the plan are "
                       "now complete.")
    share = [c for c in checks if c["id"].startswith("share/") and c["status"] == "fail"]
    assert share and share[0]["severity"] == "error" and "71 / 94 = 75.53" in share[0]["message"]


def test_a_launch_article_names_the_tasks_the_relative_approval_month_and_the_duration():
    rows, _, checks = run("The State Council gave the city's services pilot the green light in March this year. "
                          "Over the coming three years the municipality will carry out the 112 pilot tasks of the "
                          "overall plan.", date="2021-07-20")
    assert {("en", "approval_date", "2021-03", "eq"), ("en", "tasks_total", "112", "eq"),
            ("en", "duration_years", "3", "eq")} <= published(rows)
    assert not any(r["metric"] == "tasks_done" for r in rows), "a plan's future work is not progress"


@pytest.mark.parametrize("text", [
    "在总体方案的94项任务中，已有78项落地实施，实施率为83%。",
    "在總體方案的94項任務中，已有78項落地實施，實施率為83%。",
    "總體方案94項任務已完成78項，完成率83%。",
], ids=["simplified", "traditional", "traditional-completed"])
def test_chinese_progress_in_other_words_keeps_total_done_and_share(text):
    rows, _, checks = run(text, languages=["zh-Hans"])
    assert {("zh", "tasks_total", "94", "eq"), ("zh", "tasks_done", "78", "eq"),
            ("zh", "tasks_done_share", "83", "eq")} <= published(rows)
    assert "share" not in failed(checks)  # 78 / 94 = 82.98 -> 83


def test_a_later_progress_update_adds_a_point_to_the_series():
    first = normalize_source("Of the 94 tasks, 52 had been implemented.".encode(), "update-2022",
                             "data/sources/update-2022.txt", {"date": "2022-06-30", "languages": ["en"]})
    later = normalize_source("By year-end 89 of the 94 tasks had been put into practice.".encode(), "update-2023",
                             "data/sources/update-2023.txt", {"date": "2023-12-31", "languages": ["en"]})
    rows = extract_figures(first, CATALOG) + extract_figures(later, CATALOG)
    metrics, checks = reconcile(rows, [first, later], CATALOG, {})
    done = [(m["date"], m["value"]) for m in metrics if m["metric"] == "tasks_done"]
    assert done == [("2022-06-30", "52"), ("2023-12-31", "89")]
    assert blocking(checks) == []


def test_a_source_without_metadata_saying_last_april_is_never_a_language_conflict():
    text = ("The services pilot was approved in April 2021.\n"
            "服務業綜合試點於去年4月獲批。\n")
    rows, _, checks = run(text, date=None)
    assert not any(c["id"].startswith("lang-agreement") and c["status"] == "fail" for c in checks)
    assert blocking(checks) == []
    unresolved = [c for c in checks if c["id"].startswith("date-unresolved/")]
    assert unresolved and unresolved[0]["severity"] == "warning"
    # with a dateline in its text, the same source resolves 去年4月 against it
    rows, _, checks = run("本報訊　2022年6月3日\n" + text, date=None)
    assert ("zh", "approval_date", "2021-04", "eq") in published(rows)
    assert blocking(checks) == []


@pytest.mark.parametrize("text, metric, value, qualifier", [
    ("The districts have compiled 2 300 innovation cases.", "innovation_cases", "2300", "eq"),
    ("The districts have compiled more than 2\u202f300 innovation cases.", "innovation_cases", "2300", "gt"),
    ("Investors landed 2,15,000 modern service projects.", "projects", "215000", "eq"),
    ("The districts have compiled 6\u200b4 innovation cases.", "innovation_cases", "64", "eq"),
], ids=["space-grouped", "more-than-thin-space", "indian-grouping", "zero-width-space"])
def test_numbers_as_people_write_them(text, metric, value, qualifier):
    rows, _, _ = run(text)
    assert ("en", metric, value, qualifier) in published(rows)


def test_the_zero_width_space_is_removed_and_logged():
    doc = normalize_source("The districts have compiled 6\u200b4 innovation cases.".encode(), "zw",
                           "data/sources/zw.txt", {"date": "2023-03-01", "languages": ["en"]})
    assert [c["kind"] for c in doc["changes"]] == ["invisible"]


@pytest.mark.parametrize("text, check", [
    ("By June, 131 of the 94 tasks had been implemented.", "part-whole"),
    ("The city has carried out 61.5 tasks of the plan.", "not-whole"),
    ("Of the 94 tasks, 60 have been carried out, accounting for 160%.", "share-range"),
    ("Of the 94 tasks, 60 have been carried out, an implementation rate of 160%.", "share-range"),
    ("Of the 94 tasks, 60 have been carried out, an implementation rate of 63,8 %.", "ambiguous-number"),
], ids=["part-larger-than-whole", "count-not-whole", "share-above-100", "rate-above-100", "decimal-comma"])
def test_impossible_figures_stop_the_build_and_are_not_published(text, check):
    rows, metrics, checks = run(text)
    assert check in {c["id"].split("/")[0] for c in blocking(checks)}, [c["id"] for c in checks]
