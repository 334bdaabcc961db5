"""The per-source job's command (scripts/extract_source.py): normalize, then extract, one process."""

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


def args(tmp_path, text, meta=()):
    return ["--source", SEED, "--text", str(text), "--meta", *[str(m) for m in meta],
            "--catalog", str(ROOT / "config/metrics.yaml"),
            "--normalized", str(tmp_path / "n.json"), "--figures", str(tmp_path / "f.csv"),
            "--normalize-log", str(tmp_path / "n.log"), "--extract-log", str(tmp_path / "e.log")]


def test_both_outputs_and_both_logs_from_one_call(tmp_path):
    text = ROOT / f"data/sources/{SEED}.txt"
    extract_source.cli(args(tmp_path, text, [text.with_suffix(".yaml")]))
    normalized = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8"))))
    assert normalized["source"] == SEED and normalized["metadata"]["date"] == "2022-05-17"
    assert {r["metric"] for r in rows if r["metric"]} >= {"tasks_done", "reforms", "projects"}
    assert "figures" in (tmp_path / "e.log").read_text(encoding="utf-8")
    assert "lines" in (tmp_path / "n.log").read_text(encoding="utf-8")


def test_a_bad_source_stops_before_extraction_naming_the_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as stop:
        extract_source.cli(args(tmp_path, empty))
    assert stop.value.code == 1
    assert str(empty) in (tmp_path / "n.log").read_text(encoding="utf-8")
    assert not (tmp_path / "f.csv").exists() and not (tmp_path / "n.json").exists()


def test_runs_as_a_plain_command_with_help():
    shown = subprocess.run([sys.executable, str(ROOT / "scripts/extract_source.py"), "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "--normalized" in shown.stdout and "--figures" in shown.stdout
