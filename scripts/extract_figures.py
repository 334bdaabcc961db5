"""Extract every figure (number, percentage, duration, date) from one normalized source.

Input: the normalized-source dict (``results/normalized/{source}.json``) and the metric catalog
(``config/metrics.yaml``, see the comment block at its top for the pattern language).
Output: one row per figure with the columns :data:`COLUMNS`; ``metric`` is a catalog id when a
catalog pattern claimed the figure and ``""`` for every other number, so that nothing in the
text is invisible.

How a line is read
------------------
1. Catalog patterns of the line's language run first, in catalog order; each claims the span
   of its ``{num}`` / ``{date}`` placeholder. A span already claimed is not claimed twice.
   A claim whose parsed unit differs from the catalog unit is refused (warning) and left to 2.
2. Every other figure is found by one tokenizer per language (dates, list markers, ordinals,
   numbers, in that order of preference at the same position) and gets ``metric == ""``.

Deliberately *not* emitted (they are not quantities):
 * list markers: ``1)`` / ``2.`` at the start of a line or after a space, ``;`` ``:`` or
   ``,``; ``(3)``; Chinese ``一是`` / ``二是`` and ``（一）``;
 * a bare single Chinese numeral character with no classifier, unit, magnitude or
   qualifier (``一帶一路``, ``唯一``, ``之一``, ``三峽``, ``十分``): in Chinese such a
   character is part of a word, a real count carries a classifier (``五個``, ``三年``);
 * signs: ``-5`` is read as ``5`` (a hyphen and a minus cannot be told apart reliably).
Ordinals (``1st``, ``second``, ``第二年``) *are* emitted, with ``unit == ""``.

Values are exact: :class:`decimal.Decimal`, never float, in plain notation keeping the stated
precision (``80.20`` stays ``80.20``); magnitudes (thousand/million/billion/trillion,
十/百/千/萬/億) are multiplied out. Chinese numerals go through ``cn2an`` for the integer
part only; the digits after 點 are read one by one (cn2an returns a float there).
Dates become ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a date without a year (``May 17th``,
``5月17日``) or with a relative year (``去年4月``) takes the year from ``metadata.date``; without
one the row is kept with ``value == ""`` and a warning (no year is invented).

Warnings (to the rule's log, naming the source path and line): a number without recognisable
context (a plain count neither followed by a word nor carrying a classifier), a figure whose
value cannot be read, a date without a usable year, a catalog claim with the wrong unit, and
a catalog metric found in only one language when the source has lines in both.
"""


import datetime as _dt
import logging
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import cn2an

import pipeline_io

LOG = logging.getLogger("extract_figures")

COLUMNS = ["source", "lang", "metric", "value", "qualifier", "unit", "line", "start", "end", "match", "evidence"]
UNITS = ("", "%", "pp", "years", "date")
KINDS = {"count": {""}, "percent": {"%", "pp"}, "years": {"years"}, "date": {"date"}}
QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")
LANGS = ("en", "zh")
METRIC_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
ENTRY_KEYS = {"label", "unit", "kind", "patterns", "share_of", "monotonic", "chart", "counter", "note"}
#: Charts a metric may be marked for (catalog key ``chart``).
CHARTS = {"outputs"}

# --------------------------------------------------------------------------- grammar: shared
ARABIC = r"(?<![0-9])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])"

# --------------------------------------------------------------------------- grammar: English
EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
EN_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
EN_MAGNITUDES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
EN_QUALIFIERS = {
    "more than": "gt", "greater than": "gt", "over": "gt", "above": "gt", "exceeding": "gt", "in excess of": "gt",
    "at least": "ge", "no less than": "ge", "not less than": "ge", "no fewer than": "ge",
    "nearly": "lt", "almost": "lt", "close to": "lt", "less than": "lt", "fewer than": "lt", "under": "lt", "below": "lt",
    "up to": "le", "at most": "le", "no more than": "le", "not more than": "le",
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
}
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


def _alt(words) -> str:
    """Regex alternation, longest first, spaces matching any whitespace run."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_EN_WORD = (
    r"\b(?i:(?:" + _alt(EN_TENS) + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|"
    + _alt(EN_WORDS) + r")\b"
)
_EN_MONTH = r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_EN_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])(?:st|nd|rd|th)?\b"
_EN_YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"
_EN_PREP = "|".join(f"(?<=\\b{p} )" for p in ("in", "In", "since", "Since", "by", "from", "until", "till", "before", "after", "of", "to", "during"))

EN_DATE = (
    r"(?P<iso>" + _EN_YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])"
    r"|(?P<em1>" + _EN_MONTH + r")\s+(?P<ed1>" + _EN_DAY + r")(?:,?\s+(?P<ey1>" + _EN_YEAR + r"))?"
    r"|(?P<ed2>" + _EN_DAY + r")\s+(?:of\s+)?(?P<em2>" + _EN_MONTH + r")(?:,?\s+(?P<ey2>" + _EN_YEAR + r"))?"
    r"|(?P<em3>" + _EN_MONTH + r"),?\s+(?:of\s+)?(?P<ey3>" + _EN_YEAR + r")"
    r"|(?:" + _EN_PREP + r")(?P<ey4>" + _EN_YEAR + r")(?![,.]?[0-9]|\s?%|-)"
)
EN_MARKER = r"(?:^\s*|(?<=[\s;:,]))[0-9]{1,2}\)|^\s*[0-9]{1,2}\.(?![0-9])|\([0-9]{1,2}\)"
EN_ORD = r"(?<![0-9])(?P<eon>[0-9]+)(?:st|nd|rd|th)\b|\b(?P<eow>(?i:" + _alt(EN_ORDINAL_WORDS) + r"))\b"
EN_NUM = (
    r"(?:\b(?P<eqp>(?i:" + _alt(EN_QUALIFIERS) + r"))\s+)?"
    r"(?P<enum>" + ARABIC + "|" + _EN_WORD + r")"
    r"(?P<emag>\s+(?i:thousand|million|billion|trillion)\b)?"
    r"(?:(?P<epct>\s?%|\s?(?i:per\s?cent)\b)|(?P<epp>\s+(?i:percentage\s+points?)\b|\s?pp\b)"
    r"|(?P<eyr>-years?(?:-long|-old)?\b|\s+years?\b))?"
    r"(?P<eqs>\s+or\s+(?:more|above|over|so|less|fewer|below))?"
)
EN_QSUFFIX = {"more": "ge", "above": "ge", "over": "ge", "so": "approx", "less": "le", "fewer": "le", "below": "le"}

# --------------------------------------------------------------------------- grammar: Chinese
_ZD = "零〇一二三四五六七八九兩两"
_BAI = "百(?!分[點点之])"  # 百 of 百分點 / 百分之 is the percent word, not "hundred"
ZH_NUMERAL = f"[{_ZD}十](?:[{_ZD}十千萬万億亿]|{_BAI})*(?:[點点][零〇一二三四五六七八九]+)?"
ZH_CLASSIFIERS = "個個个項项條条家名所次倍件座位種种類类款輛辆架艘台臺套份人戶户天"
ZH_QUALIFIERS = {
    "超過": "gt", "超过": "gt", "逾": "gt", "多於": "gt", "多于": "gt", "高於": "gt", "高于": "gt",
    "至少": "ge", "不少於": "ge", "不少于": "ge", "不低於": "ge", "不低于": "ge",
    "將近": "lt", "将近": "lt", "接近": "lt", "近": "lt", "不到": "lt", "不足": "lt", "少於": "lt", "少于": "lt", "低於": "lt", "低于": "lt",
    "大約": "approx", "大约": "approx", "約": "approx", "约": "approx",
    "最多": "le", "至多": "le", "不超過": "le", "不超过": "le",
}
ZH_QSUFFIX = {"余": "gt", "餘": "gt", "多": "gt", "以上": "ge", "左右": "approx", "以下": "le", "以內": "le", "以内": "le"}
ZH_MAGNITUDES = {"十": 1, "百": 2, "千": 3, "萬": 4, "万": 4, "億": 8, "亿": 8}
_ZH_QP = "|".join(("(?<!最)近" if q == "近" else re.escape(q)) for q in sorted(ZH_QUALIFIERS, key=len, reverse=True))
_ZMONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|十|[一二三四五六七八九])"
_ZDAY = r"(?:[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZYEAR = r"(?:(?:19|20)[0-9]{2}|[一二][〇零一二三四五六七八九]{3})"
_ZNOT_BEFORE = r"(?<![0-9〇零一二三四五六七八九十年])"

ZH_DATE = (
    r"(?P<zy1>" + _ZYEAR + r")年(?P<zm1>" + _ZMONTH + r")月(?:(?P<zd1>" + _ZDAY + r")[日號号])?"
    r"|(?P<zrel>今年|去年|前年|明年|上年)(?P<zm2>" + _ZMONTH + r")月(?:(?P<zd2>" + _ZDAY + r")[日號号])?"
    r"|" + _ZNOT_BEFORE + r"(?P<zm3>" + _ZMONTH + r")月(?P<zd3>" + _ZDAY + r")[日號号]"
    r"|" + _ZNOT_BEFORE + r"(?P<zm4>" + _ZMONTH + r")月份?"
    r"|(?<![0-9])(?P<zy5>" + _ZYEAR + r")年(?![度代])"
)
ZH_MARKER = (
    r"(?:^\s*|(?<=[\s;:,，。；：、]))(?:[一二三四五六七八九十]{1,2}是|[0-9]{1,2}[.、)）](?![0-9])|[一二三四五六七八九十]{1,3}、)"
    r"|[(（](?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[)）]"
)
ZH_ORD = r"第(?P<zon>" + ARABIC + "|" + ZH_NUMERAL + r")(?:[" + ZH_CLASSIFIERS + r"屆届期]|周年|週年|年)?"
ZH_NUM = (
    r"(?P<zqp>" + _ZH_QP + r")?"
    r"(?:百分之(?P<zpn>" + ARABIC + "|" + ZH_NUMERAL + r")"
    r"|(?P<znum>" + ARABIC + "|" + ZH_NUMERAL + r")(?P<zmag>(?:[千萬万億亿]|" + _BAI + r"){1,3})?(?P<zqs>[余餘多])?(?P<zmag2>[萬万億亿]{1,2})?"
    r"(?:(?P<zpct>%|％)|(?P<zpp>個百分點|个百分点|百分點|百分点)|(?P<zyr>周年|週年|年(?![月度代底]))"
    r"|(?P<zcls>個月|个月|[" + ZH_CLASSIFIERS + r"]))?)"
    r"(?P<zqs2>以上|左右|以下|以內|以内)?"
)

SOURCES = {
    "en": {"date": EN_DATE, "marker": EN_MARKER, "ord": EN_ORD, "num": EN_NUM},
    "zh": {"date": ZH_DATE, "marker": ZH_MARKER, "ord": ZH_ORD, "num": ZH_NUM},
}


def _plain(src: str) -> str:
    """The same regex without named groups, for embedding in catalog patterns."""
    return re.sub(r"\(\?P<\w+>", "(?:", src)


TOKEN_RE = {
    lang: re.compile("|".join(f"(?P<{k.upper()}>{v})" for k, v in parts.items()))
    for lang, parts in SOURCES.items()
}
PART_RE = {lang: {k: re.compile(v) for k, v in parts.items()} for lang, parts in SOURCES.items()}
PLACEHOLDERS = {"{num}": "num", "{date}": "date"}

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "兩": 2, "两": 2}


# --------------------------------------------------------------------------- value parsing
def fmt_decimal(value: Decimal) -> str:
    """Plain notation, stated precision kept: 80.20 -> '80.20', 3.02786E+12 -> '3027860000000'."""
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def zh_numeral_to_decimal(text: str) -> Decimal | None:
    """Exact value of a Chinese numeral (八十六, 兩, 三萬, 一點五, 二〇二一); None if unreadable.

    cn2an reads the integer part ("normal" mode accepts 兩/两 and 〇, which "strict" refuses);
    the digits after 點/点 are read one by one because cn2an returns a float there.
    """
    text = text.replace("點", "点").replace("萬", "万").replace("億", "亿").replace("兩", "两")
    whole, _, frac = text.partition("点")
    try:
        if whole:
            number = cn2an.cn2an(whole, "normal")
        else:
            number = 0
        if isinstance(number, float):
            if not number.is_integer():
                return None
            number = int(number)
        if frac:
            digits = "".join(str(_ZH_DIGITS[c]) for c in frac)
            return Decimal(f"{number}.{digits}")
        return Decimal(int(number))
    except Exception:  # cn2an raises ValueError, KeyError, IndexError... on malformed runs
        return None


def number_to_decimal(text: str) -> Decimal | None:
    """Arabic digits with optional thousands separators, an English word, or a Chinese numeral."""
    if re.fullmatch(ARABIC, text):
        return Decimal(text.replace(",", ""))
    word = text.lower()
    if word in EN_WORDS:
        return Decimal(EN_WORDS[word])
    tens, _, unit = word.partition("-")
    if tens in EN_TENS and (not unit or unit in EN_WORDS):
        return Decimal(EN_TENS[tens] + (EN_WORDS[unit] if unit else 0))
    return zh_numeral_to_decimal(text)


def _magnitude(text: str | None, lang: str) -> int:
    if not text:
        return 0
    if lang == "en":
        return EN_MAGNITUDES[text.strip().lower()]
    return sum(ZH_MAGNITUDES[c] for c in text)


def _iso(year: int | None, month: int, day: int | None) -> str:
    """ISO date text; raises ValueError on an impossible date."""
    if year is None:
        raise LookupError("no year")
    if day is None:
        _dt.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    return _dt.date(year, month, day).isoformat()


def _small_int(text: str) -> int:
    value = number_to_decimal(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


def _parse_date(g: dict, lang: str, ref_year: int | None) -> str:
    """Value of a date token from its groups; LookupError when no year is known."""
    if lang == "en":
        if g.get("iso"):
            return _dt.date.fromisoformat(g["iso"]).isoformat()
        for i in "123":
            if g.get(f"em{i}"):
                month = EN_MONTHS[g[f"em{i}"].rstrip(".").lower()]
                day_text = g.get(f"ed{i}")
                day = int(re.match(r"[0-9]+", day_text).group()) if day_text else None
                year = int(g[f"ey{i}"]) if g.get(f"ey{i}") else ref_year
                return _iso(year, month, day)
        return str(int(g["ey4"]))
    if g.get("zy5"):
        return str(_small_int(g["zy5"]))
    for i in "1234":
        if g.get(f"zm{i}"):
            month = _small_int(g[f"zm{i}"])
            day = _small_int(g[f"zd{i}"]) if g.get(f"zd{i}") else None
            if g.get(f"zy{i}"):
                year = _small_int(g[f"zy{i}"])
            elif i == "2":
                offset = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}[g["zrel"]]
                year = None if ref_year is None else ref_year + offset
            else:
                year = ref_year
            return _iso(year, month, day)
    raise ValueError("unrecognised date")  # pragma: no cover - every date alternative is handled above


def _parse_number(g: dict, lang: str) -> tuple[Decimal | None, str, str]:
    """(value, qualifier, unit) of a number token from its groups."""
    qualifier, unit = "eq", ""
    if lang == "en":
        if g.get("eqp"):
            qualifier = EN_QUALIFIERS[" ".join(g["eqp"].lower().split())]
        if g.get("eqs"):
            qualifier = EN_QSUFFIX[g["eqs"].split()[-1].lower()]
        value = number_to_decimal(g["enum"])
        exponent = _magnitude(g.get("emag"), "en")
        unit = "%" if g.get("epct") else "pp" if g.get("epp") else "years" if g.get("eyr") else ""
    else:
        if g.get("zqp"):
            qualifier = ZH_QUALIFIERS[g["zqp"]]
        if g.get("zqs"):
            qualifier = ZH_QSUFFIX[g["zqs"]]
        if g.get("zqs2"):
            qualifier = ZH_QSUFFIX[g["zqs2"]]
        if g.get("zpn") is not None:
            value, exponent, unit = number_to_decimal(g["zpn"]), 0, "%"
        else:
            value = number_to_decimal(g["znum"])
            exponent = _magnitude(g.get("zmag"), "zh") + _magnitude(g.get("zmag2"), "zh")
            unit = "%" if g.get("zpct") else "pp" if g.get("zpp") else "years" if g.get("zyr") else ""
    if value is not None and exponent:
        value = value.scaleb(exponent)
    return value, qualifier, unit


def _is_bare_zh_char(g: dict) -> bool:
    """A lone Chinese numeral character with nothing that makes it a quantity (一帶一路, 唯一)."""
    num = g.get("znum")
    if num is None or len(num) != 1 or num.isdigit():
        return False
    extras = ("zqp", "zmag", "zqs", "zmag2", "zpct", "zpp", "zyr", "zcls", "zqs2")
    return not any(g.get(k) for k in extras)


# --------------------------------------------------------------------------- catalog
def _fail(path, metric: str | None, message: str):
    where = f"metric {metric!r}: " if metric else ""
    raise pipeline_io.InputError(path, where + message)


def compile_pattern(pattern: str, lang: str) -> tuple[re.Pattern, str]:
    """Expand the one ``{num}``/``{date}`` placeholder into the named group ``n`` and compile.

    Returns ``(regex, part)`` where part is ``"num"`` or ``"date"``; raises ValueError/re.error.
    """
    found = [p for p in PLACEHOLDERS if p in pattern]
    if len(found) != 1 or pattern.count(found[0]) != 1:
        raise ValueError("must contain exactly one placeholder, {num} or {date}")
    if "(?P<" in pattern or "(?P=" in pattern:
        raise ValueError("named groups are reserved for the placeholder")
    part = PLACEHOLDERS[found[0]]
    expanded = pattern.replace(found[0], "(?P<n>" + _plain(SOURCES[lang][part]) + ")")
    return re.compile(expanded), part


def validate_catalog(data: Any, path: str | Path = "<catalog>") -> dict[str, dict]:
    """Check a parsed catalog and return ``{metric_id: entry}`` with ``entry['compiled'][lang]``.

    Raises :class:`pipeline_io.InputError` naming ``path`` and the metric id on the first problem.
    """
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict) or not data["metrics"]:
        _fail(path, None, "expected a mapping with a non-empty 'metrics' mapping")
    metrics = data["metrics"]
    out: dict[str, dict] = {}
    for metric_id, entry in metrics.items():
        if not isinstance(metric_id, str) or not METRIC_ID_RE.match(metric_id):
            _fail(path, str(metric_id), "metric ids are lower-case letters, digits and '_', starting with a letter")
        if not isinstance(entry, dict):
            _fail(path, metric_id, "entry must be a mapping")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            _fail(path, metric_id, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}")
        label = entry.get("label")
        if not isinstance(label, dict):
            _fail(path, metric_id, "missing 'label' mapping with 'en' and 'zh'")
        for lang in LANGS:
            if not isinstance(label.get(lang), str) or not label[lang].strip():
                _fail(path, metric_id, f"missing {lang} label")
        kind, unit = entry.get("kind"), entry.get("unit", None)
        if kind not in KINDS:
            _fail(path, metric_id, f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
        if unit is None:
            unit = ""
        if unit not in UNITS:
            _fail(path, metric_id, f"unknown unit {unit!r}; expected one of {list(UNITS)}")
        if unit not in KINDS[kind]:
            _fail(path, metric_id, f"unit {unit!r} does not fit kind {kind!r} (expected {sorted(KINDS[kind])})")
        patterns = entry.get("patterns")
        if not isinstance(patterns, dict) or not patterns:
            _fail(path, metric_id, "missing 'patterns' mapping (en: [...], zh: [...])")
        compiled: dict[str, list[tuple[re.Pattern, str]]] = {lang: [] for lang in LANGS}
        for lang, items in patterns.items():
            if lang not in LANGS:
                _fail(path, metric_id, f"patterns for unknown language {lang!r}; expected en or zh")
            if not isinstance(items, list) or not items or not all(isinstance(p, str) for p in items):
                _fail(path, metric_id, f"patterns.{lang} must be a non-empty list of strings")
            for pattern in items:
                try:
                    rx, part = compile_pattern(pattern, lang)
                except (ValueError, re.error) as exc:
                    _fail(path, metric_id, f"pattern {pattern!r} ({lang}) is invalid: {exc}")
                want = "date" if kind == "date" else "num"
                if part != want:
                    _fail(path, metric_id, f"pattern {pattern!r} ({lang}) must use {{{want}}} for kind {kind!r}")
                compiled[lang].append((rx, part))
        if entry.get("monotonic") not in (None, "increasing"):
            _fail(path, metric_id, f"monotonic {entry['monotonic']!r} is not allowed; expected 'increasing' or no key")
        counter = entry.get("counter")
        if counter is not None and (not isinstance(counter, dict) or set(counter) - set(LANGS)
                                    or not all(isinstance(v, str) for v in counter.values())):
            _fail(path, metric_id, "counter must map en/zh to a measure word, e.g. {zh: 項}")
        if entry.get("chart") not in (None, *sorted(CHARTS)):
            _fail(path, metric_id, f"chart {entry['chart']!r} is not allowed; expected one of {sorted(CHARTS)} or no key")
        share = entry.get("share_of")
        if share is not None:
            if not isinstance(share, dict) or set(share) != {"numerator", "denominator"}:
                _fail(path, metric_id, "share_of must be {numerator: id, denominator: id}")
            for role, ref in share.items():
                if ref not in metrics:
                    _fail(path, metric_id, f"share_of.{role} {ref!r} is not a metric in the catalog")
        out[metric_id] = {**entry, "unit": unit, "compiled": compiled}
    return out


def load_catalog(path: str | Path) -> dict[str, dict]:
    """Read and validate ``config/metrics.yaml``; see :func:`validate_catalog`."""
    try:
        data = pipeline_io.read_yaml(path)
    except OSError as exc:
        raise pipeline_io.InputError(path, f"cannot read catalog: {exc.strerror or exc}") from exc
    return validate_catalog(data, path)


# --------------------------------------------------------------------------- text helpers
_SENTENCE_END = set("。；？！;?!")
_AFTER_PERIOD = set("\"'”’)）」』")


def sentence_bounds(text: str) -> list[int]:
    """Indices of sentence-ending characters ('.' only before a space, a quote or the end)."""
    bounds = []
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            bounds.append(i)
        elif ch == "." and (i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] in _AFTER_PERIOD):
            bounds.append(i)
    return bounds


def evidence_for(text: str, start: int, end: int, bounds: list[int] | None = None) -> str:
    """The whole sentence around ``text[start:end]`` (ends inside the match are ignored)."""
    bounds = sentence_bounds(text) if bounds is None else bounds
    left = max((b + 1 for b in bounds if b < start), default=0)
    right = min((b + 1 for b in bounds if b >= end), default=len(text))
    return text[left:right].strip()


def line_lang(entry: dict) -> str:
    """'en' or 'zh': the line's own tag, else Chinese if the text has CJK ideographs."""
    lang = entry.get("lang")
    if lang in LANGS:
        return lang
    return "zh" if _CJK_RE.search(entry.get("text") or "") else "en"


def reference_year(normalized: dict, where: str, logger: logging.Logger) -> int | None:
    meta = normalized.get("metadata") or {}
    date = meta.get("date") if isinstance(meta, dict) else None
    if date in (None, ""):
        return None
    m = re.match(r"^([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?$", str(date))
    if not m:
        logger.warning("%s: metadata date %r is not ISO (YYYY[-MM[-DD]]); dates without a year get no value", where, date)
        return None
    return int(m.group(1))


def _check_normalized(normalized: Any, where: str) -> None:
    if not isinstance(normalized, dict) or not isinstance(normalized.get("lines"), list):
        raise pipeline_io.InputError(where, "expected a normalized source with a 'lines' list")
    for i, entry in enumerate(normalized["lines"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not isinstance(entry.get("line"), int):
            raise pipeline_io.InputError(where, f"lines[{i}] must have an integer 'line' and a string 'text'")
        if entry.get("lang") not in (*LANGS, None):
            raise pipeline_io.InputError(where, f"unknown lang {entry.get('lang')!r} (expected en, zh or null)", entry["line"])


# --------------------------------------------------------------------------- extraction
def _figure(part: str, groups: dict, lang: str, ref_year: int | None, warn) -> tuple[str, str, str]:
    """(value, qualifier, unit) for a token; warn(msg) on an unreadable value."""
    if part == "date":
        try:
            return _parse_date(groups, lang, ref_year), "eq", "date"
        except LookupError:
            warn("date without a year and no metadata date: no value given")
        except ValueError as exc:
            warn(f"impossible date ({exc}): no value given")
        return "", "eq", "date"
    if part == "ord":
        num = groups.get("eon") or groups.get("zon")
        if num is not None:
            value = number_to_decimal(num)
        else:
            value = Decimal(EN_ORDINAL_WORDS[groups["eow"].lower()])
        if value is None:
            warn("ordinal whose number cannot be read")
            return "", "eq", ""
        return fmt_decimal(value), "eq", ""
    value, qualifier, unit = _parse_number(groups, lang)
    if value is None:
        warn("number that cannot be read")
        return "", qualifier, unit
    return fmt_decimal(value), qualifier, unit


def _has_context(text: str, end: int, groups: dict, unit: str, lang: str) -> bool:
    if unit:
        return True
    rest = text[end:].lstrip()
    if lang == "en":
        return bool(rest) and rest[0].isalpha()
    return bool(groups.get("zcls") or groups.get("zqs")) or bool(rest and _CJK_RE.match(rest[0]))


def extract_figures(normalized: dict, catalog: dict, *, logger: logging.Logger | None = None) -> list[dict]:
    """All figures of a normalized source, as rows with the keys :data:`COLUMNS`, sorted by (line, start).

    ``catalog`` is what :func:`load_catalog` returns (a raw parsed YAML mapping is validated
    on the fly). Warnings go to ``logger`` (default: the module logger).
    """
    logger = logger or LOG
    if not all(isinstance(v, dict) and "compiled" in v for v in catalog.values()):
        catalog = validate_catalog(catalog)
    source = str(normalized.get("source", "")) if isinstance(normalized, dict) else ""
    where = str(normalized.get("path") or source or "<normalized>") if isinstance(normalized, dict) else "<normalized>"
    _check_normalized(normalized, where)
    ref_year = reference_year(normalized, where, logger)

    rows: list[dict] = []
    found: dict[str, dict[str, list[int]]] = {m: {lang: [] for lang in LANGS} for m in catalog}
    langs_present: set[str] = set()

    for entry in normalized["lines"]:
        text, number, lang = entry["text"], entry["line"], line_lang(entry)
        langs_present.add(lang)
        bounds = sentence_bounds(text)
        claimed: list[tuple[int, int]] = []

        def warn(message: str, _n=number) -> None:
            logger.warning("%s:%s: %s", where, _n, message)

        def free(s: int, e: int) -> bool:
            return all(e <= cs or s >= ce for cs, ce in claimed)

        def add(metric: str, s: int, e: int, value: str, qualifier: str, unit: str) -> None:
            claimed.append((s, e))
            rows.append({
                "source": source, "lang": lang, "metric": metric, "value": value,
                "qualifier": qualifier, "unit": unit, "line": number, "start": s, "end": e,
                "match": text[s:e], "evidence": evidence_for(text, s, e, bounds),
            })

        # 1. catalog claims
        for metric_id, spec in catalog.items():
            for rx, part in spec["compiled"].get(lang, []):
                for m in rx.finditer(text):
                    s, e = m.span("n")
                    if s == e or not free(s, e):
                        continue
                    tok = PART_RE[lang][part].fullmatch(text, s, e)
                    if tok is None:  # pragma: no cover - the placeholder is the same regex
                        continue
                    groups = tok.groupdict()
                    if part == "num" and _is_bare_zh_char(groups):
                        continue
                    value, qualifier, unit = _figure(part, groups, lang, ref_year, warn)
                    if unit != spec["unit"]:
                        warn(f"pattern for {metric_id!r} matched {text[s:e]!r} with unit {unit!r}, "
                             f"catalog says {spec['unit']!r}: not attributed")
                        continue
                    add(metric_id, s, e, value, qualifier, unit)
                    found[metric_id][lang].append(number)

        # 2. every other figure
        for m in TOKEN_RE[lang].finditer(text):
            s, e = m.span()
            if s == e or not free(s, e):
                continue
            part = next(k for k in ("DATE", "MARKER", "ORD", "NUM") if m.group(k) is not None).lower()
            if part == "marker":
                continue
            groups = m.groupdict()
            if part == "num" and _is_bare_zh_char(groups):
                continue
            value, qualifier, unit = _figure(part, groups, lang, ref_year, warn)
            if part == "num" and not _has_context(text, e, groups, unit, lang):
                warn(f"number {text[s:e]!r} without recognisable context")
            add("", s, e, value, qualifier, unit)

    if set(LANGS) <= langs_present:
        for metric_id, per_lang in found.items():
            have = [lang for lang in LANGS if per_lang[lang]]
            if len(have) == 1:
                lines = ", ".join(map(str, sorted(set(per_lang[have[0]]))))
                logger.warning("%s: metric %r found only in %s (line %s) although the source has en and zh text",
                               where, metric_id, have[0], lines)

    rows.sort(key=lambda r: (r["line"], r["start"], r["end"]))
    return rows


def rows_to_csv(rows: list[dict]) -> str:
    """CSV text with the header always present."""
    return pipeline_io.csv_text(sorted(rows, key=lambda r: (r["line"], r["start"], r["end"])), COLUMNS)


def main(snakemake) -> None:  # pragma: no cover - exercised through the Snakemake rule and a test stub
    def body(logger: logging.Logger) -> None:
        path = snakemake.input.normalized
        try:
            normalized = pipeline_io.read_json(path)
        except ValueError as exc:
            raise pipeline_io.InputError(path, f"invalid JSON: {exc}") from exc
        if isinstance(normalized, dict) and not normalized.get("path"):
            normalized = {**normalized, "path": str(path)}
        catalog = load_catalog(snakemake.input.catalog)
        rows = extract_figures(normalized, catalog, logger=logger)
        pipeline_io.atomic_write_text(snakemake.output.csv, rows_to_csv(rows))
        attributed = sum(1 for r in rows if r["metric"])
        logger.info("%s: %d figures, %d attributed to catalog metrics", normalized.get("source", path), len(rows), attributed)

    log = snakemake.log[0] if len(snakemake.log) else None
    pipeline_io.run_main("extract_figures", log, body)


def cli(argv: list[str] | None = None) -> None:
    """Command line for one normalized source on its own (the rule runs scripts/extract_source.py)."""
    import argparse

    parser = argparse.ArgumentParser(description="Extract catalog figures and every other number from one source.")
    parser.add_argument("--normalized", required=True, help="normalized JSON of the source")
    parser.add_argument("--catalog", required=True, help="metric catalog (config/metrics.yaml)")
    parser.add_argument("--output", required=True, help="figures CSV to write")
    parser.add_argument("--log", help="log file")
    args = parser.parse_args(argv)
    main(pipeline_io.job({"normalized": args.normalized, "catalog": args.catalog}, {"csv": args.output},
                         args.log, {}))


if __name__ == "__main__":
    cli()
