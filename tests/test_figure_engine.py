"""normalize -> extract_figures -> reconcile together: the seed in any supported encoding gives
the same metrics, and an English/Chinese conflict stops the build until a person decides."""

from pathlib import Path

import pytest

from conftest import BRIEFING, OUT, PDF, PERIOD, copy_workflow, run_snakemake
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
    proc = run_snakemake(work, f"{OUT}/normalized/{name}.json", check=False)
    assert proc.returncode != 0
    message = proc.stdout + proc.stderr
    assert f"data/sources/{name}.txt" in message and needle in message.lower(), message[-2000:]
    assert "Traceback" not in (work / f"logs/{BRIEFING}/normalize/{name}.log").read_text(encoding="utf-8")
