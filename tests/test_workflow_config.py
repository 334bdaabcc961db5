"""Config validation and source discovery (scripts/workflow_config.py)."""

import datetime as dt
from pathlib import Path

import pytest

from pipeline_io import read_yaml
from workflow_config import (
    ConfigError,
    briefing_path,
    cancel_idle_timers,
    check_briefing_files,
    default_period,
    discover_sources,
    load_config,
    orphan_metadata,
    resolve_briefings,
    resolve_zh_script,
    source_warnings,
    validate_config,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = read_yaml(ROOT / "config/config.schema.yaml")


def test_shipped_config_is_valid_and_gets_a_period():
    config = load_config(read_yaml(ROOT / "config/config.yaml"), ROOT / "config/config.schema.yaml",
                         now=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc))
    assert config["period"] == "2026-11"
    assert config["sources_dir"] == "data/sources"


def test_defaults_fill_missing_keys():
    config = validate_config({}, SCHEMA)
    assert set(config) == set(SCHEMA["properties"])


def test_every_schema_key_is_described_with_a_default():
    for key, prop in SCHEMA["properties"].items():
        assert prop.get("description"), key
        assert "default" in prop, key
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", "November"])
def test_bad_periods_are_rejected_with_key_value_and_rule(period):
    with pytest.raises(ConfigError) as err:
        validate_config({"period": period}, SCHEMA)
    assert "'period'" in str(err.value) and repr(period) in str(err.value) and "YYYY-MM" in str(err.value)


@pytest.mark.parametrize("period", ["2026-01", "2026-12", "1999-07", None])
def test_good_periods_pass(period):
    assert validate_config({"period": period}, SCHEMA)["period"] == period


def test_unknown_key_names_the_allowed_keys():
    with pytest.raises(ConfigError, match=r"unknown config key 'sources_dri'.*allowed keys: .*sources_dir"):
        validate_config({"sources_dri": "x"}, SCHEMA)


def test_wrong_type_is_reported():
    with pytest.raises(ConfigError, match=r"'sources_dir' has value 3"):
        validate_config({"sources_dir": 3}, SCHEMA)


def test_default_period_is_utc():
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert default_period(dt.datetime(2026, 12, 1, 8, 0, tzinfo=tokyo)) == "2026-11"


def test_discover_sources(tmp_path):
    (tmp_path / "b-source.txt").write_text("x")
    (tmp_path / "a_source.txt").write_text("x")
    (tmp_path / "a_source.yaml").write_text("x")
    (tmp_path / "lonely.yaml").write_text("x")
    sources = discover_sources(tmp_path)
    assert list(sources) == ["a_source", "b-source"]
    assert sources["a_source"].meta == str(tmp_path / "a_source.yaml") and sources["b-source"].meta is None
    assert orphan_metadata(tmp_path, sources) == [str(tmp_path / "lonely.yaml")]


# Before issue 12 these names were refused; any file name now gives an id (source_files.source_id).
@pytest.mark.parametrize("name, source_id", [
    ("Upper.txt", "upper"), ("has space.txt", "has-space"), ("dot.ted.txt", "dot-ted"), ("-dash.txt", "dash"),
    ("X.TXT", "x"), ("Chongqing Press Release 2022-05.html", "chongqing-press-release-2022-05"),
], ids=["upper", "space", "dots", "leading-dash", "upper-extension", "press-release"])
def test_any_file_name_gives_a_source_id(tmp_path, name, source_id):
    (tmp_path / name).write_text("x")
    assert list(discover_sources(tmp_path)) == [source_id]


def test_a_source_layout_error_is_a_config_error_naming_both_files(tmp_path):
    (tmp_path / "H1.txt").write_text("x")
    (tmp_path / "h1.pdf").write_text("x")
    with pytest.raises(ConfigError) as err:
        discover_sources(tmp_path)
    assert "H1.txt" in str(err.value) and "h1.pdf" in str(err.value) and "'h1'" in str(err.value)


def test_warnings_name_orphan_metadata_and_unsupported_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "lonely.yaml").write_text("x")
    (tmp_path / "minutes.doc").write_text("x")
    warnings = source_warnings(tmp_path, discover_sources(tmp_path))
    assert any("lonely.yaml" in w and "no source document" in w for w in warnings)
    assert any("minutes.doc" in w and "not a supported format" in w and ".docx" in w for w in warnings)


@pytest.mark.parametrize("meta, setting, expected", [
    ("languages: [en, zh-Hans]\n", "source", "hans"),
    ("languages: [en, zh-Hant]\n", "source", "hant"),
    (None, "source", "hant"),
    ("languages: [en, zh-Hans]\n", "hant", "hant"),
    ("title: {en: T, zh: 標題}\nlanguages:\n  - en\n  - zh-Hans\ndate: 2022-05-17\n", "source", "hans"),
], ids=["simplified-file", "traditional-file", "no-metadata", "setting-wins", "block-list-and-zh-title"])
def test_zh_script_follows_the_metadata_of_any_named_file(tmp_path, meta, setting, expected):
    (tmp_path / "Press Release.html").write_text("<p>x</p>")
    if meta:
        (tmp_path / "Press Release.yaml").write_text(meta)
    assert resolve_zh_script(setting, discover_sources(tmp_path)) == expected


def test_zh_script_reads_a_links_languages(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: pr\n    url: https://example.org/pr\n"
                                            "    languages: [zh-Hans]\n")
    assert resolve_zh_script("source", discover_sources(tmp_path)) == "hans"


def test_empty_or_missing_sources_dir(tmp_path):
    (tmp_path / "notes.doc").write_text("x")  # not a supported format: still no source
    with pytest.raises(ConfigError, match="no sources"):
        discover_sources(tmp_path)
    with pytest.raises(ConfigError, match="not a folder"):
        discover_sources(tmp_path / "nope")


def test_briefing_path_rejects_bad_period():
    assert briefing_path("demo", "2026-11", "html") == "results/briefing/2026-11/briefing-demo-2026-11.html"
    with pytest.raises(ConfigError):
        briefing_path("demo", "2026-13")


def test_briefings_take_the_defaults_they_do_not_set():
    config = validate_config({"zh_script": "hant", "briefings": {"north": {"sources_dir": "data/north"},
                                                                  "south": None}}, SCHEMA)
    briefings = resolve_briefings(config)
    assert list(briefings) == ["north", "south"]
    assert briefings["north"]["sources_dir"] == "data/north" and briefings["south"]["sources_dir"] == "data/sources"
    assert briefings["south"]["zh_script"] == "hant"
    assert briefings["south"]["programme"] == "config/programmes/south.yaml"


def test_the_shipped_config_names_one_briefing_with_its_files():
    config = load_config(read_yaml(ROOT / "config/config.yaml"), ROOT / "config/config.schema.yaml")
    briefings = resolve_briefings(config)
    assert briefings, "at least one briefing"
    for briefing_id, settings in briefings.items():
        settings = {k: str(ROOT / v) if k in ("catalog", "programme") else v for k, v in settings.items()}
        check_briefing_files(briefing_id, settings)  # raises if a file is missing


@pytest.mark.parametrize("briefings, needles", [
    ({"North": {}}, ["briefing id 'North'", "lower-case"]),
    ({"briefing": {}}, ["briefing id 'briefing'", "results/briefing/"]),
    ({"north": {"sources_dri": "x"}}, ["'briefings.north'", "sources_dri", "allowed keys", "sources_dir"]),
    ({"north": {"zh_script": "latin"}}, ["'briefings.north.zh_script'", "'latin'", "Chinese script"]),
    ({}, ["'briefings'", "{}"]),
])
def test_bad_briefings_are_named(briefings, needles):
    with pytest.raises(ConfigError) as err:
        validate_config({"briefings": briefings}, SCHEMA)
    for needle in needles:
        assert needle in str(err.value), (needle, str(err.value))


def test_a_missing_programme_file_names_the_briefing_and_key(tmp_path):
    catalog = tmp_path / "metrics.yaml"
    catalog.write_text("metrics: {}\n")
    with pytest.raises(ConfigError, match=r"briefing 'north': programme .*north.yaml.* 'en' and 'zh'"):
        check_briefing_files("north", {"catalog": str(catalog), "programme": str(tmp_path / "north.yaml")})


def test_cancel_idle_timers_lets_a_pending_timer_thread_end_at_once():
    import threading
    import time

    fired = []
    timer = threading.Timer(30, lambda: fired.append(True))
    timer.start()
    start = time.monotonic()
    assert cancel_idle_timers() >= 1
    timer.join(timeout=5)
    assert not timer.is_alive() and fired == [] and time.monotonic() - start < 5


@pytest.mark.parametrize("meta, expected", [
    ("title: {en: T, zh: 标题}\nlanguages: [en, zh-Hans]\n", "hans"),
    ("title:\n  en: T\n  zh: 標題\nlanguages: [en, zh-Hant]\n", "hant"),
    ("title: {zh: 标题}\n", "hant"),
], ids=["bilingual-title-simplified", "bilingual-title-traditional", "no-languages-line"])
def test_the_script_follows_the_languages_line_not_a_title_key(tmp_path, meta, expected):
    from workflow_config import discover_sources, resolve_zh_script

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(meta, encoding="utf-8")
    assert resolve_zh_script("source", discover_sources(tmp_path, 20)) == expected
