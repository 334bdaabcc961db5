"""Shared helpers (scripts/pipeline_io.py)."""

import os
import stat

import pytest

import pipeline_io
from pipeline_io import InputError, atomic_write_text, check_source_id, read_yaml


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]
    mode = stat.S_IMODE(os.stat(target).st_mode)
    assert mode & stat.S_IRGRP, "outputs must be readable like ordinary files, not 0600"


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "old")

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline_io.os, "replace", boom)
    with pytest.raises(pipeline_io.WriteError, match=f"cannot write {target}: No space left on device"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "Caps", "x" * 101, "sp ace", ".hidden", "é"])
def test_bad_source_ids(bad):
    with pytest.raises(InputError, match="not allowed"):
        check_source_id(bad)


def test_yaml_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [unclosed\n")
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert str(path) in str(err.value)
    assert err.value.line is not None


def test_run_main_turns_input_errors_into_exit_1(tmp_path, capsys):
    log = tmp_path / "log.txt"

    def body(logger):
        raise InputError("data/sources/x.txt", "expected text", 3)

    with pytest.raises(SystemExit) as exit_info:
        pipeline_io.run_main("t", log, body)
    assert exit_info.value.code == 1
    assert "data/sources/x.txt:3: expected text" in log.read_text()


def test_missing_font_is_a_clear_error():
    with pytest.raises(pipeline_io.FontMissing, match="not installed"):
        pipeline_io.font_file("No Such Font Family 12345")


def test_cjk_font_is_installed():
    assert pipeline_io.font_file("Noto Sans CJK TC").endswith((".ttc", ".otf", ".ttf"))


def test_programme_strings_are_laid_over_the_catalogs(tmp_path):
    (tmp_path / "en.yaml").write_text("briefing: {title: '?', page: Page}\n", encoding="utf-8")
    (tmp_path / "zh.yaml").write_text("briefing: {title: '?', page: 頁}\n", encoding="utf-8")
    programme = tmp_path / "north.yaml"
    programme.write_text("phases: [{name: {en: One, zh: 一}, years: 1}]\n"
                         "en: {briefing: {title: North, subtitle: s, keywords: k, publisher: Desk}}\n"
                         "zh: {briefing: {title: 北方試點, subtitle: 副, keywords: 詞, publisher: 組}}\n", encoding="utf-8")
    strings = pipeline_io.load_strings([tmp_path / "en.yaml", tmp_path / "zh.yaml"], "hans", programme)
    assert strings["en"]["briefing"] == {"title": "North", "page": "Page", "subtitle": "s", "keywords": "k",
                                         "publisher": "Desk"}
    assert strings["zh"]["briefing"]["title"] == "北方试点" and strings["zh"]["briefing"]["page"] == "页"
