"""The extraction job's command (scripts/extract_source.py): for each source of a batch, normalize,
then extract, one process; three outputs per batch."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import extract_source

ROOT = Path(__file__).resolve().parents[1]
SEED = "chongqing-pilot-first-anniversary"


def item(source_id, text=None, meta=None, fetched=None, entry=""):
    """One source of a batch as the rule passes it."""
    return {"id": source_id, "text": str(text) if text else "", "meta": str(meta) if meta else "",
            "fetched": str(fetched) if fetched else "", "entry": entry}


def outputs(tmp_path):
    return ["--figures", str(tmp_path / "f.csv"), "--normalized", str(tmp_path / "n.json"),
            "--sources", str(tmp_path / "s.json"), "--log", str(tmp_path / "x.log")]


def args(tmp_path, *items):
    return ["--batch", json.dumps(list(items)), "--catalog", str(ROOT / "config/metrics.yaml"), *outputs(tmp_path)]


def documents(tmp_path):
    return json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["sources"]


def figure_rows(tmp_path):
    return list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8"))))


def test_all_three_outputs_and_the_log_from_one_call(tmp_path):
    text = ROOT / f"data/sources/{SEED}.txt"
    extract_source.cli(args(tmp_path, item(SEED, text, text.with_suffix(".yaml"))))
    [normalized] = documents(tmp_path)
    rows = figure_rows(tmp_path)
    assert normalized["source"] == SEED and normalized["metadata"]["date"] == "2022-05-17"
    assert {r["metric"] for r in rows if r["metric"]} >= {"tasks_done", "reforms", "projects"}
    [summary] = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["sources"]
    assert summary["source"] == SEED and summary["date"] == "2022-05-17"
    assert summary["repairs"] and summary["sha256"] == normalized["sha256"]
    assert "figures" in (tmp_path / "x.log").read_text(encoding="utf-8")


def test_a_batch_of_several_sources_keeps_them_apart_in_id_order(tmp_path):
    first, second = tmp_path / "b.txt", tmp_path / "a.txt"
    first.write_text("By June 2023, 40 of the 90 tasks had been completed.\n", encoding="utf-8")
    second.write_text("截至2023年6月，90项任务中已完成41项。\n", encoding="utf-8")
    extract_source.cli(args(tmp_path, item("zz-english", first), item("aa-chinese", second)))
    assert [d["source"] for d in documents(tmp_path)] == ["aa-chinese", "zz-english"]
    by_source = {}
    for row in figure_rows(tmp_path):
        by_source.setdefault(row["source"], set()).add((row["lang"], row["value"]))
    assert ("zh", "41") in by_source["aa-chinese"] and ("en", "40") in by_source["zz-english"]
    assert ("en", "40") not in by_source["aa-chinese"] and ("zh", "41") not in by_source["zz-english"]


def test_a_source_without_a_metadata_date_is_placed_at_the_first_date_it_states(tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("Issued on 3 March 2024. Of the 50 measures, 12 are in force.\n", encoding="utf-8")
    extract_source.cli(args(tmp_path, item("note", text)))
    [summary] = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["sources"]
    assert summary["date"] == "2024-03-03"


def test_a_bad_source_stops_the_batch_naming_the_file_and_leaves_no_output(tmp_path):
    good, empty = ROOT / f"data/sources/{SEED}.txt", tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as stop:
        extract_source.cli(args(tmp_path, item(SEED, good), item("zz-empty", empty)))
    assert stop.value.code == 1
    assert str(empty) in (tmp_path / "x.log").read_text(encoding="utf-8")
    assert not any((tmp_path / name).exists() for name in ("f.csv", "n.json", "s.json"))
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*"))  # no half-written file left


def test_runs_as_a_plain_command_with_help():
    shown = subprocess.run([sys.executable, str(ROOT / "scripts/extract_source.py"), "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert all(option in shown.stdout for option in ("--batch", "--normalized", "--figures", "--sources"))


def test_a_batch_that_is_not_json_is_a_usage_error():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/extract_source.py"), "--batch", "[{oops",
                           "--catalog", "c", "--figures", "f", "--normalized", "n", "--sources", "s"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--batch is not JSON" in proc.stderr


def run_cli(tmp_path, **source):
    """The extraction job as the rule runs it: a separate process, a batch of one source."""
    return subprocess.run([sys.executable, str(ROOT / "scripts/extract_source.py"),
                           *args(tmp_path, item(source.pop("source_id", "x"), **source))],
                          capture_output=True, text=True, timeout=120)


def first_document(tmp_path):
    return documents(tmp_path)[0]


def test_a_latin1_file_with_section_sign_and_ring_stops_naming_it_then_its_encoding_key_settles_it(tmp_path):
    # Issue 12: "a Latin-1 file with § and Å is decoded as Big5 and published as CJK garbage with exit 0".
    source = tmp_path / "Notes Åsa.txt"
    source.write_bytes("Notes by Åsa Lindqvist on the Ärlanda agreement, see §Annex B.\n"
                       "Among the 86 tasks of the Overall Plan, 69 have been carried out.\n".encode("latin-1"))
    proc = run_cli(tmp_path, text=source)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1  # one line, no traceback
    assert proc.stderr.startswith(f"ERROR extract_figures: {source}:1: undecodable bytes")
    assert "not clearly Chinese" in proc.stderr and "encoding: cp1252" in proc.stderr
    assert not (tmp_path / "n.json").exists()

    meta = tmp_path / "Notes Åsa.yaml"
    meta.write_text("encoding: latin-1\n", encoding="utf-8")
    proc = run_cli(tmp_path, text=source, meta=meta)
    assert proc.returncode == 0, proc.stderr
    normalized = first_document(tmp_path)
    assert normalized["lines"][0]["text"].startswith("Notes by Åsa Lindqvist") and normalized["encoding"] == "iso8859-1"
    assert not any("\u4e00" <= c <= "\u9fff" for line in normalized["lines"] for c in line["text"])


@pytest.mark.parametrize("meta_text, line, cause", [
    ("title: Seed\ndate: 2022-13-45\n", 2, "'2022-13-45' is not a date (month must be in 1..12); expected YYYY-MM-DD"),
    ("title: Seed\ndate: 2022-13-45T10:00\n", 2, "expected a date YYYY-MM-DD, got '2022-13-45T10:00'"),
], ids=["month-13", "with-time"])
def test_an_unquoted_bad_date_is_one_clear_line(tmp_path, meta_text, line, cause):
    # Issue 14: YAML turns `date: 2022-13-45` into an exception of its own; we name the file and line.
    meta = tmp_path / "seed.yaml"
    meta.write_text(meta_text, encoding="utf-8")
    proc = run_cli(tmp_path, text=ROOT / f"data/sources/{SEED}.txt", meta=meta)
    assert proc.returncode == 1
    assert proc.stderr == f"ERROR extract_figures: {meta}:{line}: key 'date': {cause}\n"  # one line, no traceback


@pytest.mark.parametrize("maker, fmt", [
    ("seed_html", "html"), ("write_seed_pdf", "pdf"), ("write_seed_docx", "docx"),
], ids=["html", "pdf", "docx"])
def test_each_format_gives_the_seeds_catalog_figures(tmp_path, maker, fmt):
    import sources_material as material

    document = tmp_path / f"Seed as received.{fmt}"
    if fmt == "html":
        document.write_text(material.seed_html(), encoding="utf-8")
    else:
        getattr(material, maker)(document)
    meta = ROOT / f"data/sources/{SEED}.yaml"
    assert run_cli(tmp_path, text=ROOT / f"data/sources/{SEED}.txt", meta=meta).returncode == 0
    expected = catalog_figures(tmp_path / "f.csv")
    proc = run_cli(tmp_path, text=document, meta=meta)
    assert proc.returncode == 0, proc.stderr
    assert catalog_figures(tmp_path / "f.csv") == expected
    normalized = first_document(tmp_path)
    assert normalized["format"] == fmt and all("loc" in line for line in normalized["lines"])


def catalog_figures(path):
    """(lang, metric, value, qualifier, unit) of every catalog figure, sorted: what must not change
    when the same text arrives in another format (lines and positions may)."""
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return sorted((r["lang"], r["metric"], r["value"], r["qualifier"], r["unit"]) for r in rows if r["metric"])


def test_a_links_copy_of_record_must_match_its_receipt(tmp_path):
    import hashlib

    import source_files

    (tmp_path / "sources.yaml").write_text("sources:\n  - id: pr\n    url: https://example.org/pr.txt\n"
                                           "    date: 2022-05-17\n", encoding="utf-8")
    link = source_files.read_links(tmp_path / "sources.yaml")[0]
    copy = tmp_path / "fetched" / "pr" / "v1-abc.txt"
    copy.parent.mkdir(parents=True)
    copy.write_bytes((ROOT / f"data/sources/{SEED}.txt").read_bytes())
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps({"url": link.url, "file": str(copy), "format": "txt", "version": 1,
                                   "sha256": hashlib.sha256(copy.read_bytes()).hexdigest()}), encoding="utf-8")
    proc = run_cli(tmp_path, source_id="pr", fetched=receipt, entry=link.entry_json())
    assert proc.returncode == 0, proc.stderr
    assert first_document(tmp_path)["metadata"]["date"] == "2022-05-17"

    copy.write_bytes(b"edited by hand\n")  # the copy of record no longer matches its receipt
    proc = run_cli(tmp_path, source_id="pr", fetched=receipt, entry=link.entry_json())
    assert proc.returncode == 1 and "missing or altered" in proc.stderr and str(copy) in proc.stderr
