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
    ids = discover_sources(tmp_path)
    assert ids == ["a_source", "b-source"]
    assert orphan_metadata(tmp_path, ids) == [str(tmp_path / "lonely.yaml")]


@pytest.mark.parametrize("name", ["Upper.txt", "has space.txt", "dot.ted.txt", "-dash.txt"])
def test_bad_source_names_are_named(tmp_path, name):
    (tmp_path / name).write_text("x")
    with pytest.raises(ConfigError) as err:
        discover_sources(tmp_path)
    assert name in str(err.value)


def test_empty_or_missing_sources_dir(tmp_path):
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
    from workflow_config import resolve_zh_script

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(meta, encoding="utf-8")
    assert resolve_zh_script("source", tmp_path, ["a"]) == expected
