"""Tests for scripts/normalize.py, mostly on real lines of the seed source.

Expectations are derived from the source text itself (e.g. ``個(gè)`` -> ``個`` by deleting the
bracketed pinyin), not copied from the module's output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import normalize  # noqa: E402
from pipeline_io import InputError  # noqa: E402

SOURCE = "chongqing-pilot-first-anniversary"
SEED_PATH = f"data/sources/{SOURCE}.txt"
SEED = (ROOT / SEED_PATH).read_bytes()
SEED_TEXT = SEED.decode("utf-8")
SEED_LINES = SEED_TEXT.split("\n")
META_PATH = ROOT / f"data/sources/{SOURCE}.yaml"

#: The damaged span of seed line 31 and what it stands for (GBK bytes read one byte late).
MOJIBAKE_BEFORE = "?!闭掠挛湔f"
MOJIBAKE_AFTER = "。”章勇武說"


def seed_line(n: int) -> str:
    return SEED_LINES[n - 1]


def by_hand_ruby_strip(text: str) -> str:
    """Independent reference: drop '(pinyin)' right after a Han character when the bracket holds
    only lower-case letters and at least one tone-marked vowel (what the seed's ruby looks like)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\((?=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)


@pytest.fixture(scope="module")
def seed_meta():
    return yaml.safe_load(META_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_result(seed_meta):
    return normalize.normalize_source(SEED, SOURCE, SEED_PATH, seed_meta)


@pytest.fixture(scope="module")
def repaired_text(seed_result):
    return "\n".join(entry["text"] for entry in seed_result["lines"])


# ---------------------------------------------------------------- the seed end to end


def test_seed_decodes_as_utf8_with_360_ruby_1_mojibake_no_flags(seed_result):
    kinds = [c["kind"] for c in seed_result["changes"]]
    assert seed_result["encoding"] == "utf-8"
    assert kinds.count("ruby") == 360
    assert kinds.count("mojibake") == 1
    assert set(kinds) == {"ruby", "mojibake"}  # no CRLF, already NFC, no full-width digits
    assert seed_result["flags"] == []
    assert seed_result["warnings"] == []


def test_seed_keeps_every_line_with_original_numbers(seed_result):
    assert [e["line"] for e in seed_result["lines"]] == list(range(1, len(SEED_LINES) + 1))
    assert len(seed_result["lines"]) == 41
    for entry, raw in zip(seed_result["lines"], SEED_LINES):
        if "(" not in raw and "?" not in raw:
            assert entry["text"] == raw


def test_seed_ruby_count_matches_independent_reference(seed_result):
    # every line except the mojibake one equals the by-hand strip of the raw line
    for entry, raw in zip(seed_result["lines"], SEED_LINES):
        if entry["line"] != 31:
            assert entry["text"] == by_hand_ruby_strip(raw), entry["line"]
    assert len(SEED_TEXT) - len(by_hand_ruby_strip(SEED_TEXT)) == sum(
        len(c["before"]) - len(c["after"]) for c in seed_result["changes"] if c["kind"] == "ruby"
    )


def test_seed_line_31_is_repaired(seed_result):
    line = seed_result["lines"][30]["text"]
    assert "…推動更多示范帶動項目落地。”章勇武說,重慶將…".strip("…") in line
    assert line == by_hand_ruby_strip(seed_line(31)).replace(MOJIBAKE_BEFORE, MOJIBAKE_AFTER)
    (change,) = [c for c in seed_result["changes"] if c["kind"] == "mojibake"]
    assert (change["line"], change["before"], change["after"]) == (31, MOJIBAKE_BEFORE, MOJIBAKE_AFTER)
    assert "ambiguous" in change["message"] and "0xA1" in change["message"]


def test_seed_mojibake_analysis_holds():
    # the brief's analysis: GBK of the true text, first byte dropped, reads as the damaged span
    assert MOJIBAKE_AFTER.encode("gbk").hex() == "a1a3a1b1d5c2d3c2cee4d566"
    assert MOJIBAKE_AFTER.encode("gbk")[1:].decode("gbk") == "！闭掠挛湔f"


def test_seed_segments_and_languages(seed_result):
    assert seed_result["segments"] == [
        {"lang": "zh", "first_line": 1, "last_line": 1},  # the author name 楊艷
        {"lang": "en", "first_line": 2, "last_line": 23},
        {"lang": "zh", "first_line": 24, "last_line": 39},
        {"lang": "en", "first_line": 40, "last_line": 40},
        {"lang": "zh", "first_line": 41, "last_line": 41},
    ]


def test_seed_metadata_from_yaml(seed_result):
    meta = seed_result["metadata"]
    assert meta["date"] == "2022-05-17"
    assert meta["title"]["en"] == seed_line(2)
    assert meta["author"] == {"en": "Yang Yan", "zh": seed_line(1)}
    assert meta["languages"] == ["en", "zh-Hant"]
    assert meta["publisher"] == "iChongqing" and meta["url"] is None
    assert meta["inferred"] == []


def test_seed_output_shape_and_hash(seed_result):
    import hashlib

    assert seed_result["source"] == SOURCE and seed_result["path"] == SEED_PATH
    assert seed_result["sha256"] == hashlib.sha256(SEED).hexdigest()
    json.dumps(seed_result)  # JSON-serializable


def test_changes_are_reversible_line_by_line(seed_result):
    for entry in seed_result["lines"]:
        mine = [c for c in seed_result["changes"] if c["line"] == entry["line"]]
        assert normalize.undo_changes(entry["text"], mine) == seed_line(entry["line"])


def test_missing_metadata_warns_and_infers():
    result = normalize.normalize_source(SEED, SOURCE, SEED_PATH, None)
    meta = result["metadata"]
    assert meta["languages"] == ["en", "zh-Hant"]
    assert meta["title"]["en"] == seed_line(2)  # the first English line
    assert meta["date"] is None
    assert set(meta["inferred"]) == {"languages", "title.en"}
    assert any("metadata file not found" in w and f"{SOURCE}.yaml" in w for w in result["warnings"])
    assert any("no date" in w for w in result["warnings"])


# ---------------------------------------------------------------- other encodings of the seed


def _encodings():
    # Re-encoded fixtures are built from the REPAIRED text: the damaged span holds Simplified
    # characters (闭, 挛) that Big5 cannot encode. The damage itself surviving a GB18030 round
    # trip is tested separately (test_seed_as_gb18030_still_repairs).
    return [
        pytest.param(lambda t: t.encode("gb18030"), "gb18030", False, id="gb18030"),
        pytest.param(lambda t: t.encode("big5"), "big5", False, id="big5"),
        pytest.param(lambda t: t.encode("utf-16"), "utf-16", False, id="utf-16-bom"),
        pytest.param(lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16", False, id="utf-16-be-bom"),
        pytest.param(lambda t: t.encode("utf-8-sig"), "utf-8-sig", False, id="utf-8-bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8", True, id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8", True, id="cr"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("big5"), "big5", True, id="big5-crlf"),
    ]


@pytest.mark.parametrize("encode, expected, newline", _encodings())
def test_reencoded_seed_gives_identical_lines(encode, expected, newline, repaired_text, seed_result, seed_meta):
    result = normalize.normalize_source(encode(repaired_text), SOURCE, SEED_PATH, seed_meta)
    assert result["encoding"] == expected
    assert [e["text"] for e in result["lines"]] == [e["text"] for e in seed_result["lines"]]
    assert result["segments"] == seed_result["segments"]
    assert result["flags"] == [] and result["warnings"] == []
    assert [c["kind"] for c in result["changes"]] == (["newline"] if newline else [])


def test_seed_as_gb18030_still_repairs(seed_result):
    result = normalize.normalize_source(SEED_TEXT.encode("gb18030"), SOURCE, SEED_PATH, None)
    assert result["encoding"] == "gb18030"
    assert [c["kind"] for c in result["changes"]].count("ruby") == 360
    assert [e["text"] for e in result["lines"]] == [e["text"] for e in seed_result["lines"]]


def test_crlf_seed_records_one_newline_change():
    result = normalize.normalize_source(SEED.replace(b"\n", b"\r\n"), SOURCE, SEED_PATH, None)
    newline = [c for c in result["changes"] if c["kind"] == "newline"]
    assert newline == [{"kind": "newline", "line": 0, "col": 0, "before": "\r\n", "after": "\n"}]


def test_ambiguous_gb18030_big5_names_both():
    # Each pair of bytes is an ordinary character in both encodings: 啊皑隘岸 vs 陛馬偺偉
    raw = bytes.fromhex("b0a1b0a8b0afb0b6")
    assert raw.decode("gb18030") == "啊皑隘岸" and raw.decode("big5") == "陛馬偺偉"
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(raw, "amb", "data/sources/amb.txt", None)
    assert "data/sources/amb.txt" in str(exc.value)
    assert "gb18030" in str(exc.value) and "big5" in str(exc.value)


# ---------------------------------------------------------------- bad input


BAD_INPUTS = [
    pytest.param(b"", "empty", id="empty-file"),
    pytest.param(b"\n \r\n\t\n", "no text", id="whitespace-only"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL", id="binary-nul"),
    pytest.param("楊艷\nThe First Anniversary\x07 of\n".encode("utf-8"), "control character", id="binary-control-char"),
    pytest.param(b"Yang Yan\n\x80\x80\x80 abc\n", "undecodable", id="undecodable-bytes"),
    pytest.param(
        "Die Stadt Chongqing ist eine der größten Städte Chinas und hat mehr als dreißig Millionen Einwohner.".encode("utf-8"),
        "German", id="german-utf8",
    ),
    pytest.param(
        "Die Stadt Chongqing ist eine der größten Städte Chinas und hat viele Einwohner.".encode("latin-1"),
        "undecodable", id="german-latin1",
    ),
    pytest.param(
        ("楊艷\n" + seed_line(2) + "\nЧунцин является одним из крупнейших городов Китая.\n").encode("utf-8"),
        "unsupported language", id="russian-line",
    ),
]


@pytest.mark.parametrize("raw, needle", BAD_INPUTS)
def test_bad_input_raises_input_error_naming_file(raw, needle):
    path = "data/sources/bad-input.txt"
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(raw, "bad-input", path, None)
    assert str(exc.value).startswith(path)
    assert needle in str(exc.value)


def test_unsupported_language_names_the_line():
    raw = (seed_line(1) + "\n" + seed_line(2) + "\nDas ist nicht die Stadt, die wir für das Projekt suchen.\n").encode()
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(raw, "mixed", "mixed.txt", None)
    assert exc.value.line == 3 and str(exc.value).startswith("mixed.txt:3:")


def test_undecodable_names_the_line():
    raw = b"line one\nline two\n\x80\x80\xff\n"
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(raw, "u", "u.txt", None)
    assert exc.value.line == 3


@pytest.mark.parametrize("source_id", ["../etc", "a/b", "Bad Id", "", "x\\y", ".hidden"])
def test_bad_source_id_rejected(source_id):
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(SEED, source_id, SEED_PATH, None)
    assert SEED_PATH in str(exc.value)


def test_stray_foreign_letters_only_warn():
    raw = (seed_line(2) + "\nThe share rose by 5% (Δ over the last year).\n").encode()
    result = normalize.normalize_source(raw, "greek", "greek.txt", None)
    assert any(w.startswith("greek.txt:2:") for w in result["warnings"])


# ---------------------------------------------------------------- metadata


META_OK = [
    pytest.param({"date": dt.date(2022, 5, 17)}, "2022-05-17", id="yaml-date"),
    pytest.param({"date": "2022-05-17"}, "2022-05-17", id="string-date"),
    pytest.param({"date": None}, None, id="null-date"),
]


@pytest.mark.parametrize("meta, date", META_OK)
def test_metadata_dates_accepted(meta, date):
    assert normalize.validate_metadata(meta, "m.yaml")["date"] == date


META_BAD = [
    pytest.param({"date": "17 May 2022"}, "'date'", id="date-free-text"),
    pytest.param({"date": "2022-02-30"}, "'date'", id="date-impossible"),
    pytest.param({"date": dt.datetime(2022, 5, 17, 9, 0)}, "'date'", id="date-with-time"),
    pytest.param({"date": 20220517}, "'date'", id="date-int"),
    pytest.param({"titel": "x"}, "allowed keys", id="unknown-key"),
    pytest.param({"title": {"en": "x", "fr": "y"}}, "'title'", id="unknown-subkey"),
    pytest.param({"title": ["x"]}, "'title'", id="title-list"),
    pytest.param({"languages": ["en", "de"]}, "'languages'", id="unsupported-language"),
    pytest.param({"languages": "en"}, "'languages'", id="languages-not-list"),
    pytest.param({"url": "ichongqing.info"}, "'url'", id="url-no-scheme"),
    pytest.param(["title"], "mapping", id="not-a-mapping"),
]


@pytest.mark.parametrize("meta, needle", META_BAD)
def test_metadata_rejected_naming_yaml_and_key(meta, needle):
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(SEED, SOURCE, SEED_PATH, meta, meta_path="data/sources/x.yaml")
    assert str(exc.value).startswith("data/sources/x.yaml")
    assert needle in str(exc.value)


def test_unknown_key_lists_allowed_keys():
    with pytest.raises(InputError) as exc:
        normalize.validate_metadata({"titel": "x"}, "m.yaml")
    for key in normalize.METADATA_KEYS:
        assert key in str(exc.value)


def test_declared_languages_disagreeing_warn():
    result = normalize.normalize_source(SEED, SOURCE, SEED_PATH, {"languages": ["en", "zh-Hans"]})
    assert any("zh-Hans" in w and "zh-Hant" in w for w in result["warnings"])


# ---------------------------------------------------------------- line-level steps


RUBY_CASES = [
    pytest.param("作為全國五個(gè)之一", "作為全國五個之一", 1, id="seed24-ge"),
    pytest.param("綜合試點(diǎn)的省市", "綜合試點的省市", 1, id="seed24-dian"),
    pytest.param("新聞發(fā)布會上", "新聞發布會上", 1, id="seed26-fa"),
    pytest.param("服務(wù)業(yè)", "服務業", 2, id="two-in-a-row"),
    pytest.param("部分圖片/西部(重慶)科學(xué)城管委會提供", "部分圖片/西部(重慶)科學城管委會提供", 1, id="seed39-real-bracket-kept"),
    pytest.param("Western (Chongqing) Science City Administration", None, 0, id="seed23-english-bracket"),
    pytest.param("accounting for 80.2% (82%)", None, 0, id="percent-bracket"),
    pytest.param("試點任務(1)已完成", None, 0, id="numbered-bracket"),
    pytest.param("重慶(iChongqing)報道", None, 0, id="latin-word-bracket"),
    pytest.param("重慶(Chongqing)報道", None, 0, id="capitalised-pinyin"),
    pytest.param("見附件(abc)", None, 0, id="not-a-syllable"),
    pytest.param("我們(men)的(de)", None, 0, id="unmarked-not-stripped-without-context"),
    pytest.param("個（gè）", "個", 1, id="fullwidth-brackets"),
    pytest.param("個(ge4)", "個", 1, id="tone-digit"),
]


@pytest.mark.parametrize("text, expected, count", RUBY_CASES)
def test_strip_ruby(text, expected, count):
    new, changes = normalize.strip_ruby(text, 7)
    assert new == (text if expected is None else expected)
    assert len(changes) == count
    assert all(c["kind"] == "ruby" and c["line"] == 7 for c in changes)
    assert normalize.undo_changes(new, changes) == text


def test_unmarked_ruby_stripped_in_ruby_context():
    new, changes = normalize.strip_ruby("我們(men)的(de)", 1, allow_unmarked=True)
    assert new == "我們的" and len(changes) == 2


def test_ruby_change_records_before_after():
    _, changes = normalize.strip_ruby(seed_line(24), 24)
    assert changes[0]["before"] == "個(gè)" and changes[0]["after"] == "個"


FULLWIDTH_CASES = [
    pytest.param("實施率８０．２％", "實施率80.2%", id="percent-with-point"),
    pytest.param("已實施６９項", "已實施69項", id="digits"),
    pytest.param("共１，０００個項目", "共1,000個項目", id="thousands-comma"),
    pytest.param("２０２１，２０２２年", "2021，2022年", id="list-comma-kept"),
    pytest.param("一年起步，兩年見成效。", "一年起步，兩年見成效。", id="chinese-punct-kept"),
    pytest.param("“試點獲批一年來”", "“試點獲批一年來”", id="quotes-kept"),
    pytest.param("增長５％以上", "增長5%以上", id="percent"),
    pytest.param("實施率80.2%", "實施率80.2%", id="already-ascii"),
]


@pytest.mark.parametrize("text, expected", FULLWIDTH_CASES)
def test_fullwidth_numbers(text, expected):
    new, changes = normalize.convert_fullwidth_numbers(text, 3)
    assert new == expected
    assert bool(changes) == (text != expected)
    assert normalize.undo_changes(new, changes) == text


def test_nfc_recorded_and_reversible():
    decomposed = "Zhang Yongwu (Zha\u0304ng)"  # a + combining macron
    new, changes = normalize.normalize_nfc(decomposed, 5)
    assert new == "Zhang Yongwu (Zhāng)"
    assert changes[0]["kind"] == "nfc"
    assert normalize.undo_changes(new, changes) == decomposed


def test_nfc_pinyin_then_ruby_in_file():
    raw = ("楊艷\n" + "服務(wu\u0300)業(ye\u0300)發(fa\u0304)展").encode()
    result = normalize.normalize_source(raw, "nfc", "nfc.txt", None)
    assert result["lines"][1]["text"] == "服務業發展"
    kinds = [c["kind"] for c in result["changes"]]
    assert kinds == ["nfc", "ruby", "ruby", "ruby"]
    assert normalize.undo_changes(result["lines"][1]["text"], result["changes"]) == raw.decode().split("\n")[1]


LANG_CASES = [
    pytest.param(seed_line(1), "zh", id="seed1-author"),
    pytest.param(seed_line(2), "en", id="seed2-title"),
    pytest.param(seed_line(15), "en", id="seed15-numbered"),
    pytest.param(seed_line(27), "zh", id="seed27-short-zh-with-digits"),
    pytest.param(seed_line(24), "zh", id="seed24-zh-with-ruby"),
    pytest.param(seed_line(39), "zh", id="seed39-slash"),
    pytest.param("2022-05-17", None, id="digits-only"),
    pytest.param("", None, id="blank"),
    pytest.param("在GDP方面", "zh", id="zh-with-acronym"),
    pytest.param("The city of 重慶 (Chongqing)", "en", id="en-with-hanzi"),
]


@pytest.mark.parametrize("text, lang", LANG_CASES)
def test_line_language(text, lang):
    assert normalize.line_language(text) == lang


def test_blank_lines_kept_and_do_not_break_segments():
    raw = (seed_line(2) + "\n\n2022\n" + seed_line(3) + "\n" + seed_line(27) + "\n").encode()
    result = normalize.normalize_source(raw, "blank", "blank.txt", None)
    assert [e["lang"] for e in result["lines"]] == ["en", None, None, "en", "zh"]
    assert result["segments"] == [
        {"lang": "en", "first_line": 1, "last_line": 4},
        {"lang": "zh", "first_line": 5, "last_line": 5},
    ]


SCRIPT_CASES = [
    pytest.param(seed_line(26), "zh-Hant", id="seed26-traditional"),
    pytest.param("这个经济发展说明了问题，我们国家会来。", "zh-Hans", id="simplified"),
    pytest.param("一二三", "zh", id="undecided"),
]


@pytest.mark.parametrize("text, script", SCRIPT_CASES)
def test_guess_zh_script(text, script):
    assert normalize.guess_zh_script(text) == script


# ---------------------------------------------------------------- mojibake


def damage(true_text: str) -> str:
    """Simulate the seed's damage: GBK bytes read one byte late, a '?' for the lost byte and
    full-width ASCII narrowed (！ -> !)."""
    shifted = true_text.encode("gbk")[1:].decode("gbk")
    return "?" + "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in shifted)


@pytest.mark.parametrize("number", [n for n in range(1, 42) if n != 31])
def test_no_mojibake_proposals_on_normal_seed_lines(number):
    line = by_hand_ruby_strip(seed_line(number))
    assert normalize.find_mojibake(line, "zh-Hant") == []


@pytest.mark.parametrize(
    "line",
    [
        "作为全国五个之一、中西部唯一开展综合试点的省市，重庆自去年4月综合试点获批以来，围绕总体方案86项试点任务。",
        "“试点获批一年来，我们实现了良好开局。”章勇武说，重庆将加快打造内陆现代服务业发展先行区。",
        "推动成渝地区双城经济圈协同开放，推动渝东北三峡库区城镇群和渝东南武陵山区城镇群。",
    ],
    ids=["hans-24", "hans-31", "hans-38"],
)
def test_no_mojibake_proposals_on_simplified_text(line):
    assert normalize.find_mojibake(line, "zh-Hans") == []


def test_seed_line_31_proposal():
    line = by_hand_ruby_strip(seed_line(31))
    (prop,) = normalize.find_mojibake(line, "zh-Hant")
    assert (prop.before, prop.after) == (MOJIBAKE_BEFORE, MOJIBAKE_AFTER)
    assert line[prop.start : prop.end] == MOJIBAKE_BEFORE
    # proof: the repair re-encoded, first byte dropped, narrowed, reproduces the damage
    assert damage(prop.after) == prop.before


@pytest.mark.parametrize("name", ["李明", "陳敏爾", "唐良智", "張強"])
def test_mojibake_repair_is_general(name):
    true = "。”" + name + "說"
    line = "“我們要更加努力" + damage(true) + ",重慶將加快發展。"
    (prop,) = normalize.find_mojibake(line, "zh-Hant")
    assert prop.after == true
    assert line[: prop.start] + prop.after + line[prop.end :] == "“我們要更加努力" + true + ",重慶將加快發展。"


def test_mojibake_without_open_quote_is_only_flagged():
    # no opening quote before: the lost byte cannot be settled, so flag and leave the text
    line = "推動更多示范帶動項目落地" + MOJIBAKE_BEFORE + ",重慶將加快打造"
    result = normalize.normalize_source(("楊艷\n" + line).encode(), "flag", "flag.txt", None)
    assert result["lines"][1]["text"] == line
    assert [c for c in result["changes"] if c["kind"] == "mojibake"] == []
    (flag,) = result["flags"]
    assert flag["kind"] == "mojibake-suspect" and flag["line"] == 2 and flag["text"] == MOJIBAKE_BEFORE
    assert "flag.txt:2" in flag["message"]
    assert any(w.startswith("flag.txt:2:") for w in result["warnings"])


def test_mojibake_without_trail_byte_is_only_flagged():
    line = "“推動更多示范帶動項目落地?!闭掠挛湔,重慶"  # orphan 'f' lost: not provable
    props = normalize.find_mojibake(line, "zh-Hant")
    assert len(props) == 1 and props[0].after is None


def test_mojibake_repair_is_reversible_in_file():
    line = "“我們要更加努力" + damage("。”李明說") + ",重慶將加快發展。"
    result = normalize.normalize_source(("楊艷\n" + line).encode(), "rev", "rev.txt", None)
    changes = [c for c in result["changes"] if c["line"] == 2]
    assert [c["kind"] for c in changes] == ["mojibake"]
    assert normalize.undo_changes(result["lines"][1]["text"], changes) == line


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_input_error(raw):
    try:
        result = normalize.normalize_source(raw, "fuzz", "fuzz.txt", None)
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    json.dumps(result)
    assert result["encoding"] in normalize.ENCODINGS


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(sorted(set(SEED_TEXT))), max_size=80),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"]),
)
def test_seed_alphabet_in_any_encoding_only_input_error(text, codec):
    try:
        raw = text.encode(codec)
    except UnicodeEncodeError:
        return
    try:
        result = normalize.normalize_source(raw, "fuzz", "fuzz.txt", None)
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    assert result["encoding"] in normalize.ENCODINGS


_CJK_CHARS = st.sampled_from(list("個點會發為重慶科學城服務業的們"))
_RUBY_ALPHABET = st.one_of(
    _CJK_CHARS,
    st.sampled_from(list("()（）geèdiǎnhuìfāwèishǐ 1%ABC")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RUBY_ALPHABET, max_size=40).map("".join), st.booleans())
def test_ruby_never_changes_text_without_record(text, allow_unmarked):
    new, changes = normalize.strip_ruby(text, 1, allow_unmarked)
    if not changes:
        assert new == text
    assert len(text) - len(new) == sum(len(c["before"]) - len(c["after"]) for c in changes)
    assert normalize.undo_changes(new, changes) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("０１２３４５６７８９．，％0123456789.,%項年。")), max_size=30))
def test_fullwidth_never_changes_text_without_record(text):
    new, changes = normalize.convert_fullwidth_numbers(text, 1)
    assert normalize.undo_changes(new, changes) == text
    assert not any("\uff10" <= c <= "\uff19" or c == "％" for c in new)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_full_line_pipeline_reversible_on_text(text):
    text = text.replace("\r", "").replace("\n", "")
    try:
        result = normalize.normalize_source(("x\n" + text + "\n").encode("utf-8"), "p", "p.txt", None)
    except InputError:
        return
    line2 = [c for c in result["changes"] if c["line"] == 2]
    assert normalize.undo_changes(result["lines"][1]["text"], line2) == text


# ---------------------------------------------------------------- main (Snakemake entry)


class _Files(SimpleNamespace):
    def get(self, key, default=None):
        return getattr(self, key, default)


@pytest.mark.parametrize("with_meta", [True, False], ids=["with-meta", "without-meta"])
def test_main_writes_json(tmp_path, with_meta):
    text = tmp_path / f"{SOURCE}.txt"
    text.write_bytes(SEED)
    meta = tmp_path / f"{SOURCE}.yaml"
    if with_meta:
        meta.write_text(META_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "results" / "normalized" / f"{SOURCE}.json"
    log = tmp_path / "logs" / "normalize.log"
    smk = SimpleNamespace(
        input=_Files(text=str(text), meta=str(meta) if with_meta else ""),
        output=SimpleNamespace(json=str(out)),
        wildcards=SimpleNamespace(source=SOURCE),
        log=[str(log)],
    )
    normalize.main(smk)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == SOURCE and data["encoding"] == "utf-8"
    assert data["metadata"]["date"] == ("2022-05-17" if with_meta else None)
    assert ("metadata file not found" in log.read_text(encoding="utf-8")) == (not with_meta)


def test_main_input_error_exits_1(tmp_path):
    text = tmp_path / "empty.txt"
    text.write_bytes(b"")
    log = tmp_path / "n.log"
    smk = SimpleNamespace(
        input=_Files(text=str(text)),
        output=SimpleNamespace(json=str(tmp_path / "o.json")),
        wildcards=SimpleNamespace(source="empty"),
        log=[str(log)],
    )
    with pytest.raises(SystemExit) as exc:
        normalize.main(smk)
    assert exc.value.code == 1
    assert str(text) in log.read_text(encoding="utf-8")
    assert not (tmp_path / "o.json").exists()


def test_module_imports_stay_light():
    source = (ROOT / "scripts" / "normalize.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:import|from) (\w+)", source, re.M))
    assert "__future__" not in imported  # Snakemake's script: preamble would make it a SyntaxError
    # stdlib, the shared helpers and source_files (stdlib + yaml); the format readers (and their
    # heavy libraries) are imported only for a source that is not plain text
    assert imported <= {"datetime", "functools", "hashlib", "re", "unicodedata", "collections", "dataclasses",
                        "pathlib", "typing", "pipeline_io", "source_files", "yaml"}
    assert unicodedata.is_normalized("NFC", SEED_TEXT)  # the seed needs no NFC change


# ---------------------------------------------------------------- encodings without guessing (issue 12)

#: Western European text whose accented letters are each followed by a letter, so that its
#: Latin-1 bytes decode WITHOUT an error as Big5 (into common characters) and as GB18030.
LATIN1_NOTES = ("Notes by Åsa Lindqvist on the Ärlanda agreement, see §Annex B.\n"
                "Åsa counted 86 tasks of the Overall Plan, of which 69 have been carried out.\n")


def test_a_latin1_file_is_never_read_as_chinese():
    raw = LATIN1_NOTES.encode("latin-1")
    assert raw.decode("big5")  # the trap: it decodes, and every non-ASCII character is a common one
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(raw, "notes", "data/sources/Notes Åsa.txt", None)
    message = str(exc.value)
    assert message.startswith("data/sources/Notes Åsa.txt:1:") and "not clearly Chinese" in message
    assert "data/sources/Notes Åsa.yaml" in message and "encoding: cp1252" in message


@pytest.mark.parametrize("codec, key", [("latin-1", "latin-1"), ("cp1252", "Windows-1252"), ("cp1252", "cp1252")],
                         ids=["latin1", "windows-1252-name", "cp1252"])
def test_the_encoding_key_settles_it(codec, key):
    text = LATIN1_NOTES.replace("see", "see “the annex” –")
    raw = text.encode(codec, errors="replace")
    result = normalize.normalize_source(raw, "notes", "notes.txt", {"encoding": key})
    assert result["lines"][0]["text"].startswith("Notes by Åsa Lindqvist")
    assert result["encoding"] == normalize.explicit_codec(key, "m.yaml") and result["metadata"]["encoding"]


def test_windows_1252_quotes_are_refused_without_the_key():
    raw = "The “Chongqing Experience” – a promising start for 86 tasks.\n".encode("cp1252")
    with pytest.raises(InputError, match="undecodable"):
        normalize.normalize_source(raw, "q", "q.txt", None)


@pytest.mark.parametrize("meta, needle", [
    ({"encoding": "klingon-8"}, "not a text encoding"),
    ({"encoding": "utf-8"}, "not valid utf-8"),
    ({"encoding": "base64"}, "not a text encoding"),
], ids=["unknown", "wrong", "not-text"])
def test_a_bad_encoding_key_names_the_file(meta, needle):
    with pytest.raises(InputError) as exc:
        normalize.normalize_source(LATIN1_NOTES.encode("latin-1"), "notes", "notes.txt", meta, "notes.yaml")
    assert needle in str(exc.value)


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_the_seed_in_a_chinese_encoding_is_still_read_without_a_key(repaired_text, codec):
    result = normalize.normalize_source(repaired_text.encode(codec), SOURCE, SEED_PATH, None)
    assert result["encoding"] == codec


@pytest.mark.parametrize("text, ok", [
    ("重慶服務業擴大開放綜合試點一周年，86項任務已實施69項。", True),
    ("Chongqing 重慶 reported 86 tasks, 服務業 pilot", True),
    ("Notes by Åsa Lindqvist, see §Annex B".encode("latin-1").decode("big5"), False),
    ("Die Äußerung über Österreich".encode("latin-1").decode("gb18030", "replace"), False),
], ids=["chinese", "mixed-runs", "latin1-as-big5", "latin1-as-gb18030"])
def test_clearly_chinese(text, ok):
    assert normalize.clearly_chinese(text)[0] is ok


# ---------------------------------------------------------------- metadata dates and lines (issue 14)


@pytest.mark.parametrize("text, line, needle", [
    ("title: T\ndate: 2022-13-45\n", 2, "'2022-13-45' is not a date (month must be in 1..12)"),
    ("title: T\n\ndate: 2022-02-30\n", 3, "'2022-02-30' is not a date (day is out of range for month)"),
    ("date: 17/05/2022\n", 1, "expected a date YYYY-MM-DD, got '17/05/2022'"),
    ("languages: [en, fr]\n", 1, "'fr' is not supported"),
    ("encoding: klingon-8\n", 1, "not a text encoding"),
    ("titel: T\n", 1, "unknown key"),
], ids=["month-13", "february-30", "day-first", "language", "encoding", "unknown-key"])
def test_bad_metadata_names_file_line_and_cause(tmp_path, text, line, needle):
    import source_files

    path = tmp_path / "Press Release.yaml"
    path.write_text(text, encoding="utf-8")
    metadata, lines = source_files.read_metadata_yaml(path)
    with pytest.raises(InputError) as exc:
        normalize.validate_metadata(metadata, str(path), lines)
    assert str(exc.value).startswith(f"{path}:{line}: ") and needle in str(exc.value)


# ---------------------------------------------------------------- documents: loc and their own metadata


def test_document_lines_keep_their_loc_and_page_metadata_fills_what_the_yaml_leaves_out():
    import sources_material as material

    raw = material.seed_html().encode("utf-8")
    result = normalize.normalize_source(raw, "page", "Page.html", {"title": {"zh": "中文標題"}}, fmt="html")
    assert result["format"] == "html" and result["lines"][0]["loc"] == "p1"
    assert [e["line"] for e in result["lines"]] == list(range(1, len(result["lines"]) + 1))
    meta = result["metadata"]
    assert meta["title"] == {"en": material.seed_lines()[1], "zh": "中文標題"}  # the yaml's zh kept
    assert meta["date"] == "2022-05-17" and meta["author"]["en"] == "Yang Yan"
    assert meta["from_document"] == ["title.en", "author.en", "date", "publisher", "url", "languages"]
    assert result["extraction"] and "trafilatura" in result["extraction"][0]


def test_the_yaml_wins_over_the_pages_metadata():
    import sources_material as material

    raw = material.seed_html().encode("utf-8")
    result = normalize.normalize_source(raw, "page", "Page.html", {"date": dt.date(2022, 5, 18)}, fmt="html")
    assert result["metadata"]["date"] == "2022-05-18" and "date" not in result["metadata"]["from_document"]


def test_a_pages_bad_metadata_is_a_warning_not_a_stop():
    page = ("<html><head><meta property='article:published_time' content='sometime in May'>"
            "<title>Notes</title></head><body><article><p>" + "Among the 86 tasks of the Overall Plan, 69 have "
            "been carried out, accounting for 80.2% of the plan. " * 3 + "</p></article></body></html>")
    result = normalize.normalize_source(page.encode(), "notes", "notes.html", None, fmt="html")
    assert result["metadata"]["date"] is None and len(result["lines"]) == 1
