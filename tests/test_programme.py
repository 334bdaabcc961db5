"""The programme file (scripts/programme.py): phases of any number and length, focus areas, the
briefing's own words; every error names the file and the key."""

import datetime as dt
from pathlib import Path

import pytest

import programme
from pipeline_io import InputError

ROOT = Path(__file__).resolve().parents[1]
GOOD = """
phases:
  - {name: {en: "Preparation", zh: "准备"}, months: 6}
  - name: {en: "Building", zh: "建设"}
    months: 30
    focus_areas: {en: [Bridges, Roads], zh: [桥梁, 道路]}
  - {name: {en: "Hand-over", zh: "验收"}, years: 2}
en: {briefing: {title: T, subtitle: S, keywords: K, publisher: P}}
zh: {briefing: {title: 标题, subtitle: 副标题, keywords: 关键词, publisher: 编辑组}}
"""


def write(tmp_path, text, name="north.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_phases_of_any_number_and_length(tmp_path):
    p = programme.load(write(tmp_path, GOOD))
    assert [(ph.name["en"], ph.months) for ph in p.phases] == [("Preparation", 6), ("Building", 30), ("Hand-over", 24)]
    assert p.months == 60 and p.phases[1].focus_areas == {"en": ["Bridges", "Roads"], "zh": ["桥梁", "道路"]}
    assert p.phases[0].focus_areas == {}
    bounds = programme.phase_bounds(dt.date(2023, 3, 15), p.phases)
    assert [(a.isoformat(), b.isoformat()) for a, b in bounds] == [
        ("2023-03-15", "2023-09-15"), ("2023-09-15", "2026-03-15"), ("2026-03-15", "2028-03-15")]
    hant = programme.load(write(tmp_path, GOOD), "hant")
    assert hant.phases[1].focus_areas["zh"] == ["橋樑", "道路"] and hant.strings["zh"]["briefing"]["title"] == "標題"


@pytest.mark.parametrize("change, words", [
    (("months: 6", "months: 0"), ["phases[0].months", "bigger than or equal to 1"]),
    (("months: 6", "weeks: 6"), ["phases.0", "unknown", "weeks"]),
    (("months: 30", "months: 30\n    years: 3"), ["phases[1]", "'Building'", "either 'months' or 'years'"]),
    (("zh: [桥梁, 道路]", "zh: [桥梁]"), ["phases[1]", "'Building'", "2 English and 1 Chinese focus areas"]),
    (("publisher: P}", "}"), ["en.briefing", "missing 'publisher'"]),
    (("{en: \"Preparation\", zh: \"准备\"}", "{en: \"Preparation\"}"), ["phases.0.name", "missing 'zh'"]),
], ids=["zero-months", "unknown-key", "months-and-years", "focus-areas-differ", "no-publisher", "name-one-language"])
def test_a_bad_programme_names_the_file_and_the_key(tmp_path, change, words):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InputError) as caught:
        programme.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("text", ["en: {briefing: {title: North}}\n", "- a list\n", "en: x\nzh: y\n"])
def test_a_programme_without_its_sections_is_refused_naming_the_file(tmp_path, text):
    with pytest.raises(InputError, match=r"north.yaml: "):
        programme.load(write(tmp_path, text))


def test_phases_must_last_as_long_as_the_plan(tmp_path):
    p = programme.load(write(tmp_path, GOOD))
    programme.check_duration(p, 5, "metrics.csv")
    with pytest.raises(InputError, match=r"the phases last 6 \+ 30 \+ 24 = 60 months, but metrics.csv says the plan "
                                         r"runs 4 year\(s\) \(48 months\)"):
        programme.check_duration(p, 4, "metrics.csv")


@pytest.mark.parametrize("path", sorted((ROOT / "config/programmes").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_programme_is_valid(path):
    p = programme.load(path)
    assert p.phases and all(p.strings[lang]["briefing"]["publisher"] for lang in ("en", "zh"))
