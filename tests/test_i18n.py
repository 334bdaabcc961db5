"""String catalogs: the same keys in both languages, and placeholders that match."""

import re
from pathlib import Path

from pipeline_io import read_yaml

ROOT = Path(__file__).resolve().parents[1]


def flatten(node, prefix=""):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out.update(flatten(value, f"{prefix}{key}."))
        return out
    if isinstance(node, list):
        return {f"{prefix}[{len(node)}]": node}
    return {prefix.rstrip("."): node}


def test_both_catalogs_have_the_same_keys():
    en = flatten(read_yaml(ROOT / "templates/i18n/en.yaml"))
    zh = flatten(read_yaml(ROOT / "templates/i18n/zh.yaml"))
    assert sorted(set(en) - set(zh)) == [], "keys only in en.yaml"
    assert sorted(set(zh) - set(en)) == [], "keys only in zh.yaml"


def test_placeholders_match():
    en = flatten(read_yaml(ROOT / "templates/i18n/en.yaml"))
    zh = flatten(read_yaml(ROOT / "templates/i18n/zh.yaml"))
    for key, value in en.items():
        if isinstance(value, str):
            # Chinese may add a counter word (40餘項); English has none.
            assert set(re.findall(r"{(\w+)}", value)) == set(re.findall(r"{(\w+)}", zh[key])) - {"counter"}, key


def test_chinese_catalog_is_chinese():
    zh = flatten(read_yaml(ROOT / "templates/i18n/zh.yaml"))
    english = [v for k, v in zh.items() if isinstance(v, str) and k != "lang_tag"
               and re.search(r"[A-Za-z]{4,}", re.sub(r"{\w+}", "", v)) and not re.search(r"[\u4e00-\u9fff]", v)]
    assert english == [], "untranslated strings in zh.yaml"


def test_templates_hold_no_literal_words():
    """User-facing words come from the catalogs: template text outside tags is only punctuation."""
    for path in (ROOT / "templates").rglob("*.j2"):
        source = path.read_text(encoding="utf-8")
        stripped = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}|<[^>]+>", " ", source, flags=re.S)
        words = re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", stripped)
        assert words == [], f"{path.name}: literal words {words}"


def test_catalog_metric_labels_exist_in_both_languages():
    catalog = read_yaml(ROOT / "config/metrics.yaml")
    for metric_id, entry in catalog["metrics"].items():
        assert entry["label"]["en"] and re.search(r"[\u4e00-\u9fff]", entry["label"]["zh"]), metric_id


PROGRAMMES = sorted((ROOT / "config/programmes").glob("*.yaml"))


def test_every_programme_has_both_languages_with_the_same_keys():
    assert PROGRAMMES, "config/programmes/ holds the shipped briefing's programme strings"
    for path in PROGRAMMES:
        data = read_yaml(path)
        assert set(data) == {"phases", "en", "zh"}, path.name
        en, zh = flatten(data["en"]), flatten(data["zh"])
        assert set(en) == set(zh), f"{path.name}: keys differ: {sorted(set(en) ^ set(zh))}"
        assert all(re.search(r"[\u4e00-\u9fff]", str(v)) for v in zh.values()), path.name
        for phase in data["phases"]:
            assert re.search(r"[\u4e00-\u9fff]", phase["name"]["zh"]), (path.name, phase["name"])
            for area in (phase.get("focus_areas") or {}).get("zh", []):
                assert re.search(r"[\u4e00-\u9fff]", area), (path.name, area)


def test_programme_strings_are_not_also_in_the_catalogs():
    """A programme's words live in one place: its file, not the shared catalogs."""
    catalog = flatten(read_yaml(ROOT / "templates/i18n/en.yaml"))
    for path in PROGRAMMES:
        overlap = set(flatten(read_yaml(path)["en"])) & set(catalog)
        assert overlap == set(), f"{path.name} and en.yaml both define {sorted(overlap)}"


def test_templates_find_every_programme_key_after_merging():
    from pipeline_io import load_strings

    for path in PROGRAMMES:
        strings = load_strings([ROOT / "templates/i18n/en.yaml", ROOT / "templates/i18n/zh.yaml"], "hans", path)
        for lang in ("en", "zh"):
            assert strings[lang]["briefing"]["title"] and strings[lang]["briefing"]["page"], (path.name, lang)
            assert strings[lang]["briefing"]["publisher"], (path.name, lang)
