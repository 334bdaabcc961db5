"""Numbers and dates as people write them, in English and Chinese: the figure engine's first layer.

:func:`tokenize` finds every number-like span of one line and says what it is:

* ``num``: a quantity, with its value (exact :class:`~decimal.Decimal` text, stated precision kept),
  qualifier (``more than 40`` -> ``gt``; :data:`QUALIFIERS`), unit (``""``, ``%``, ``pp``,
  ``years``) and, in Chinese, its measure word (``項``, ``個``...);
* ``date``: an absolute or relative date, resolved against a reference date (``YYYY``,
  ``YYYY-MM`` or ``YYYY-MM-DD``); a relative date with no reference gets no value and the flag
  ``date-unresolved`` (never a guessed year);
* ``ord``: an ordinal (``2nd``, ``second``, ``第二``), and ``marker``: a list marker (``1)``,
  ``（一）``, ``一是``), which callers skip.

Written numbers (:func:`arabic_value`): thousands grouped by comma, space, no-break or thin
space, or apostrophe (``1,400``, ``1 400``, ``1'400``), Indian grouping (``1,40,000``), a
decimal point; a decimal comma (``80,2 %``) or a point before exactly three digits (``1.400``)
could be read two ways and is flagged ``ambiguous-separator``. A leading minus sign (``-3``,
``−3``, ``minus 3``, ``負3``) is kept. English number words up to the nineties and Chinese
numerals (:func:`zh_numeral_value`, ``八十六``, ``一千四百``, ``二〇二一``, ``三點五``,
``廿``/``卅``) are read by our own small grammars.

Pure functions, no I/O; ``re`` and :mod:`decimal` only, so per-source jobs start fast.
"""

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")
UNITS = ("", "%", "pp", "years", "date")

# ----------------------------------------------------------------------------------- shared pieces
#: Separators people put between groups of thousands, besides the comma.
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009"
_SIGN = r"(?:(?<![0-9A-Za-z.,])[-\u2212](?=[0-9]))?"
ARABIC = (
    _SIGN + r"(?<![0-9])(?:"
    r"[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}"            # Indian grouping: 1,40,000
    r"|[0-9]{1,3}(?:,[0-9]{3})+"                    # 1,400
    r"|[0-9]{1,3}(?:'[0-9]{3})+"                    # 1'400
    r"|[0-9]{1,3}(?:[\u00a0\u202f\u2009][0-9]{3})+"  # 1 400 (no-break / thin space)
    r"|[0-9]{1,3}(?: [0-9]{3})+(?![0-9]|\s?%)"      # 1 400 (plain space; not before %)
    r"|[0-9]+"
    r"|(?<![0-9.])(?=\.[0-9])"                      # .5 (the digits follow as the decimal part)
    r")(?:[.,][0-9]+)?(?![0-9])"
)
ARABIC_RE = re.compile(ARABIC)

# ----------------------------------------------------------------------------------- English
EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
           "ninety": 90}
EN_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
EN_MAGNITUDES = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
EN_QUALIFIERS = {
    "more than": "gt", "greater than": "gt", "over": "gt", "above": "gt", "exceeding": "gt",
    "a little over": "gt", "a little more than": "gt", "slightly over": "gt", "slightly more than": "gt",
    "a bit over": "gt", "a little under": "lt", "slightly under": "lt", "slightly less than": "lt",
    "in excess of": "gt", "upwards of": "gt", "just over": "gt", "well over": "gt", "beyond": "gt",
    "at least": "ge", "no less than": "ge", "not less than": "ge", "no fewer than": "ge", "a minimum of": "ge",
    "nearly": "lt", "almost": "lt", "close to": "lt", "less than": "lt", "fewer than": "lt", "under": "lt",
    "below": "lt", "just under": "lt", "not quite": "lt", "short of": "lt",
    "up to": "le", "at most": "le", "no more than": "le", "not more than": "le", "a maximum of": "le",
    "not exceed": "le", "not exceeding": "le", "not to exceed": "le", "no longer than": "le",
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx", "some": "approx",
    "an estimated": "approx", "circa": "approx", "approx.": "approx",
}
#: Words after a number that qualify it ("40 or more", "40-plus").
EN_QSUFFIX = {"or more": "ge", "or above": "ge", "or over": "ge", "and above": "ge", "and more": "ge",
              "or so": "approx", "or less": "le", "or fewer": "le", "or below": "le",
              "-plus": "gt", "-odd": "approx", "+": "gt"}
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


def _alt(words) -> str:
    """Regex alternation, longest first, spaces matching any whitespace run."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_EN_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_EN_HUNDRED_TAIL = (r"(?:\s+(?i:and\s+)?(?:(?:" + _alt(EN_TENS) + r")(?:-(?:" + _EN_UNITS + r"))?|"
                    + _alt(EN_WORDS) + r")\b)?")
_EN_WORD = (
    r"(?:\b(?i:(?:" + _alt(EN_TENS) + r")(?:[-\s](?:" + _EN_UNITS + r"))?|" + _alt(EN_WORDS) + r")\b"
    r"(?:\s+(?i:hundred)\b" + _EN_HUNDRED_TAIL + r")?"
    r"|(?:(?<=\ba )|(?<=\bA )|(?<=\bthe )|(?<=\bThe ))(?i:hundred)\b" + _EN_HUNDRED_TAIL + r")"  # a hundred and six
    r"(?:\s+(?i:point)(?:\s+(?i:zero|oh|" + _EN_UNITS + r")\b)+)?"   # seventy point six
)
_EN_MONTH = (r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_EN_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])(?:st|nd|rd|th)?\b"
_EN_YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"
_EN_PREP = "|".join(f"(?<=\\b{p} )" for p in (
    "in", "In", "since", "Since", "by", "By", "from", "From", "until", "till", "before", "after", "of", "to",
    "during", "During", "for", "For", "through", "on", "On"))
#: "early", "mid-", "late", "the end of" before a month: the month is what the value keeps.
_EN_PART = r"(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|end\s+of)[-\s]+"
_EN_RELYEAR = r"(?i:this|last|next|the\s+previous|the\s+past|the\s+same)\s+year"

EN_DATE = (
    r"(?P<iso>" + _EN_YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])"
    r"|(?<![0-9-])(?P<isom>" + _EN_YEAR + r"-(?:0[1-9]|1[0-2]))(?![0-9-])"
    r"|(?P<em1>" + _EN_MONTH + r")\s+(?P<ed1>" + _EN_DAY + r")(?:,?\s+(?P<ey1>" + _EN_YEAR + r")|\s+(?:of\s+)?"
    r"(?P<ery1>" + _EN_RELYEAR + r"))?"
    r"|(?P<ed2>" + _EN_DAY + r")\s+(?:of\s+)?(?P<em2>" + _EN_MONTH + r")(?:,?\s+(?P<ey2>" + _EN_YEAR + r")|\s+(?:of\s+)?"
    r"(?P<ery2>" + _EN_RELYEAR + r"))?"
    r"|(?:" + _EN_PART + r")?(?P<em3>" + _EN_MONTH + r"),?\s+(?:of\s+)?(?P<ey3>" + _EN_YEAR + r")"
    r"|(?P<erel>(?i:this|last|next))\s+(?P<em4>" + _EN_MONTH + r")\b"
    r"|(?:(?:" + _EN_PREP + r")(?:" + _EN_PART + r")?|" + _EN_PART + r")(?P<em5>" + _EN_MONTH + r")"
    r"(?:\s+(?:of\s+)?(?P<ery5>" + _EN_RELYEAR + r"))?(?=[\s,.;:)]|$)(?!\s+[0-9])"
    r"|(?P<em6>" + _EN_MONTH + r")\s+(?:of\s+)?(?P<ery6>" + _EN_RELYEAR + r")"
    r"|(?P<erm>(?i:last|this|next|the\s+previous|the\s+past)\s+month)\b"
    r"|(?<![Tt]he )(?<![Oo]ver )(?P<ery8>(?i:last|this|next)\s+year)\b"
    r"|(?:" + _EN_PREP + r")(?P<ey7>" + _EN_YEAR + r")(?![,.]?[0-9]|\s?%|-)"
)
EN_MARKER = r"(?:^\s*|(?<=[\s;:,]))[0-9]{1,2}\)|^\s*[0-9]{1,2}\.(?![0-9])|\([0-9]{1,2}\)"
EN_ORD = r"(?<![0-9])(?P<eon>[0-9]+)(?:st|nd|rd|th)\b|\b(?P<eow>(?i:" + _alt(EN_ORDINAL_WORDS) + r"))\b(?!-)"
EN_NUM = (
    r"(?:\b(?P<eneg>(?i:minus|negative))\s+)?"
    r"(?:\b(?P<eqp>(?i:" + _alt(EN_QUALIFIERS) + r"))\s+)?"
    r"(?P<enum>" + ARABIC + "|" + _EN_WORD + r")"
    r"(?P<emag>\s*(?i:hundred|thousand|million|billion|trillion)\b)?"
    r"(?P<eqs1>\+|-plus\b|-odd\b)?"
    r"(?:(?P<epct>\s?%|\s?(?i:per\s?cent)\b)|(?P<epp>\s+(?i:percentage\s+points?)\b|\s?pp\b)"
    r"|(?P<eyr>-years?(?:-long|-old)?\b|\s+years?\b))?"
    r"(?P<eqs>\s+(?:or\s+(?:more|above|over|so|less|fewer|below)|and\s+(?:above|more))\b)?"
)

# ----------------------------------------------------------------------------------- Chinese
_ZD = "零〇一二三四五六七八九兩两廿卅"
_BAI = "百(?!分[點点之])"  # 百 of 百分點 / 百分之 is the percent word, not "hundred"
ZH_NUMERAL = f"[{_ZD}十](?:[{_ZD}十千萬万億亿]|{_BAI})*(?:[點点][零〇一二三四五六七八九]+)?"
#: Measure words; the generic ones (項 個 條 件 份 類 種 批) fit any count, the others name a kind of thing.
ZH_CLASSIFIERS = "個个項项條条家名所次倍件座位種种類类款輛辆架艘台臺套份人戶户天批例"
ZH_QUALIFIERS = {
    "超過": "gt", "超过": "gt", "突破": "gt", "逾": "gt", "超": "gt", "多於": "gt", "多于": "gt", "高於": "gt", "高于": "gt",
    "至少": "ge", "不少於": "ge", "不少于": "ge", "不低於": "ge", "不低于": "ge",
    "將近": "lt", "将近": "lt", "接近": "lt", "近": "lt", "不到": "lt", "不足": "lt", "少於": "lt", "少于": "lt",
    "低於": "lt", "低于": "lt",
    "大約": "approx", "大约": "approx", "約為": "approx", "约为": "approx", "約": "approx", "约": "approx",
    "大概": "approx",
    "最多": "le", "至多": "le", "不超過": "le", "不超过": "le",
}
ZH_QSUFFIX = {"余": "gt", "餘": "gt", "多": "gt", "以上": "ge", "左右": "approx", "上下": "approx",
              "有余": "gt", "有餘": "gt",
              "以下": "le", "以內": "le", "以内": "le"}
ZH_MAGNITUDES = {"十": 1, "百": 2, "千": 3, "萬": 4, "万": 4, "億": 8, "亿": 8}
_ZH_QP = "|".join(("(?<![最附])近" if q == "近" else re.escape(q)) for q in sorted(ZH_QUALIFIERS, key=len, reverse=True))
_ZMONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|十|[一二三四五六七八九])"
_ZDAY = r"(?:[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZYEAR = r"(?:(?:19|20)[0-9]{2}|[一二][〇零一二三四五六七八九]{3})"
_ZNOT_BEFORE = r"(?<![0-9〇零一二三四五六七八九十年])"
_ZREL = r"今年|去年|前年|明年|上年|本年"  # not 同年/當年 ("that same year"): they point at a year said elsewhere
_ZPART = r"(?:[上中下]旬|初|底|末|中)?"

ZH_DATE = (
    r"(?P<zy1>" + _ZYEAR + r")年(?P<zm1>" + _ZMONTH + r")月(?:(?P<zd1>" + _ZDAY + r")[日號号])?"
    r"|(?P<zrel>" + _ZREL + r")(?P<zm2>" + _ZMONTH + r")月(?:(?P<zd2>" + _ZDAY + r")[日號号])?"
    r"|" + _ZNOT_BEFORE + r"(?P<zm3>" + _ZMONTH + r")月(?P<zd3>" + _ZDAY + r")[日號号]"
    r"|(?P<zrm>本月|上月|上個月|上个月|下月|当月|當月)"
    r"|" + _ZNOT_BEFORE + r"(?P<zm4>" + _ZMONTH + r")月份?" + _ZPART +
    r"|(?<![0-9])(?P<zy5>" + _ZYEAR + r")年(?![度代])"
    r"|(?P<zry>" + _ZREL + r")(?![0-9〇零一二三四五六七八九十])"
)
ZH_MARKER = (
    r"(?:^\s*|(?<=[\s;:,，。；：、]))(?:[一二三四五六七八九十]{1,2}是|[0-9]{1,2}[.、)）](?![0-9])|[一二三四五六七八九十]{1,3}、)"
    r"|[(（](?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[)）]"
)
ZH_ORD = r"第(?P<zon>" + ARABIC + "|" + ZH_NUMERAL + r")(?:[" + ZH_CLASSIFIERS + r"屆届期]|周年|週年|年)?"
ZH_NUM = (
    r"(?<!每)"  # 每一項, 每3個月: "each", not a count
    r"(?P<zneg>[負负])?"
    r"(?P<zqp>" + _ZH_QP + r")?"
    r"(?:百分之(?P<zpn>" + ARABIC + "|" + ZH_NUMERAL + r")"
    r"|(?P<zcheng>[一二三四五六七八九]|十|[1-9])成(?P<zchd>[一二三四五六七八九](?![十百千萬万億亿個个項项]))?"
    r"(?P<zchq>有余|有餘|多|左右|以上)?(?![本功员員立为為])"
    r"|(?P<zhun>[百千])(?=[個个項项家名件份])(?P<zcls0>[個个項项家名件份])"
    r"|(?P<zmix>[0-9]+(?:\.[0-9]+)?[萬万億亿](?:[0-9]+[千百十萬万])+)(?P<zcls1>[" + ZH_CLASSIFIERS + r"])?"
    r"|(?P<znum>" + ARABIC + "|" + ZH_NUMERAL + r")(?P<zmag>(?:[千萬万億亿]|" + _BAI + r"){1,3})?"
    r"(?P<zqs>[余餘多])?(?P<zmag2>[萬万億亿]{1,2})?"
    r"(?:(?P<zpct>%|％)|(?P<zpp>個百分點|个百分点|百分點|百分点)|(?P<zyr>周年|週年|年(?![月度代底初末中前后後]))"
    r"|(?P<zcls>個月|个月|[" + ZH_CLASSIFIERS + r"])(?!性))?)"
    r"(?P<zqs2>以上|左右|上下|以下|以內|以内)?"
)

#: Telephone numbers and other codes written with a leading zero ("023-6388 0000", "022"): not quantities.
CODE = (r"(?<![A-Za-z0-9.,])\+[0-9]{1,3}[-\s][0-9]{1,4}[-\s][0-9]{3,4}[-\s]?[0-9]{3,4}(?![0-9])"
        r"|(?<![A-Za-z0-9.,])(?:\+?[0-9]{1,3}[-\s])?[(（]?0[0-9]{1,3}[)）]?[-\s]?[0-9]{3,4}[-\s]?[0-9]{3,4}(?![0-9])"
        r"|(?<![A-Za-z0-9.,])0[0-9]+(?![0-9.,%])"
        r"|(?<=[A-Za-z]-)[0-9]+(?![0-9])")  # COVID-19, Type-2: part of a name

#: The number of a part of a document ("Annex 2", "Article 4", "附件3"): a reference, not a quantity.
_EN_REF_WORDS = ("annex", "appendix", "article", "art.", "section", "chapter", "clause", "paragraph", "para.",
                 "table", "figure", "fig.", "schedule", "item", "no.", "attachment", "exhibit")
EN_REF = ("(?:" + "|".join(f"(?<=\\b{w} )|(?<=\\b{w.capitalize()} )|(?<=\\b{w.upper()} )" for w in _EN_REF_WORDS)
          + r")(?:[0-9]+[A-Za-z]?|[IVX]+)\b(?![.,][0-9]|\s?%)")
#: A quarter ("Q3", "2023Q4"): a date, not a quantity.
EN_QUARTER = r"(?<![A-Za-z0-9])Q[1-4](?![0-9A-Za-z])"
ZH_REF = r"(?:(?<=附件)|(?<=附表)|(?<=附錄)|(?<=附录)|(?<=附圖)|(?<=附图))(?:[0-9]+|[一二三四五六七八九十]+)(?![0-9%％])"

#: A share written as a fraction: "three in every four", "two out of every three", "three quarters",
#: "nine tenths", 四分之三. Read as a percentage (exact, else to one decimal with ``approx``).
_EN_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                    "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
EN_FRAC = (r"(?:\b(?P<fq>(?i:" + _alt(EN_QUALIFIERS) + r"))\s+)?(?:"
           r"\b(?P<fn>" + _EN_WORD + r"|[0-9]{1,3})\s+(?:in|out\s+of)\s+every\s+(?P<fm>" + _EN_WORD
           + r"|(?i:hundred|thousand)|[0-9]{1,4})\b"
           r"|\b(?P<fn2>(?i:one|two|three|four|five|six|seven|eight|nine|a))[-\s](?P<fd>(?i:"
           + "|".join(sorted(_EN_DENOMINATORS, key=len, reverse=True)) + r"))\b(?=\s+of\b)(?!\s+of\s+(?:a|an|the)?\s*"
           r"(?:year|century|mile|hour|day|month|way|time)s?\b))")
ZH_FRAC = r"(?P<zfq>" + _ZH_QP + r")?(?P<zfm>[二三四五六七八九十]|[2-9]|10)分之(?P<zfn>[一二三四五六七八九]|[1-9])"

SOURCES = {
    "en": {"code": CODE + "|" + EN_REF + "|" + EN_QUARTER, "date": EN_DATE, "marker": EN_MARKER, "ord": EN_ORD,
           "frac": EN_FRAC, "num": EN_NUM},
    "zh": {"code": CODE + "|" + ZH_REF, "date": ZH_DATE, "marker": ZH_MARKER, "ord": ZH_ORD, "frac": ZH_FRAC,
           "num": ZH_NUM},
}
#: Where a token may start: never inside a Latin word (its letter after a letter). Checked first, so
#: the alternatives below are tried at a word's first letter, not at every letter of it: English
#: text was ~8 us per character, most of a large source's extraction time.
_NOT_MID_WORD = r"(?!\s)(?:(?![A-Za-z])|(?<![A-Za-z]))"
TOKEN_RE = {
    lang: re.compile(_NOT_MID_WORD + "(?:" + "|".join(f"(?P<{k.upper()}>{v})" for k, v in parts.items()) + ")")
    for lang, parts in SOURCES.items()
}
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "兩": 2, "两": 2}


@dataclass
class Token:
    """One number-like span of a line: ``text[start:end]``."""

    kind: str                    # num | date | ord | marker
    start: int
    end: int
    value: str = ""              # "" when it cannot be read (see flags)
    qualifier: str = "eq"
    unit: str = ""
    classifier: str = ""         # Chinese measure word, if any
    number_start: int = -1       # where the digits themselves start (after a qualifier word)
    relative: bool = False       # a date resolved against the reference date
    flags: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------- values
def fmt_decimal(value: Decimal) -> str:
    """Plain notation, stated precision kept.

    >>> fmt_decimal(Decimal("80.20")), fmt_decimal(Decimal("3.02786E+12")), fmt_decimal(Decimal("-0"))
    ('80.20', '3027860000000', '0')
    """
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def arabic_value(text: str) -> tuple[Decimal, list[str]]:
    """Value of digits as written, and flags for a separator that could be read two ways.

    >>> arabic_value("1,400"), arabic_value("1\\u202f400"), arabic_value("1,40,000")
    ((Decimal('1400'), []), (Decimal('1400'), []), (Decimal('140000'), []))
    >>> arabic_value("80,2"), arabic_value("1.400"), arabic_value("-3.5")
    ((Decimal('80.2'), ['ambiguous-separator']), (Decimal('1.400'), ['ambiguous-separator']), (Decimal('-3.5'), []))
    """
    sign = ""
    if text[:1] in "-\u2212":
        sign, text = "-", text[1:]
    flags: list[str] = []
    body, frac = text, ""
    match = re.fullmatch(r"(.*?)([.,])([0-9]+)", text)
    if match and not re.search(r"[,'\s\u00a0\u202f\u2009]", match.group(1)):
        # one separator before the last group of digits: a decimal, unless it is a comma before
        # exactly three digits (English and Chinese group thousands with a comma)
        head, sep, tail = match.groups()
        if sep == "," and len(tail) == 3:
            body, frac = text, ""
        else:
            body, frac = head, tail
            if sep == "," or len(tail) == 3 and sep == ".":
                flags.append("ambiguous-separator")
    elif match and match.group(2) == ".":
        body, frac = match.group(1), match.group(3)
    digits = re.sub(r"[,'\s\u00a0\u202f\u2009]", "", body)
    return Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}"), flags


def zh_numeral_value(text: str) -> Decimal | None:
    """Exact value of a Chinese numeral; None if it is not one (a malformed numeral is never guessed).

    >>> [str(zh_numeral_value(t)) for t in ("八十六", "兩", "十", "一千四百", "三萬", "二〇二一", "三點一四", "一百零一")]
    ['86', '2', '10', '1400', '30000', '2021', '3.14', '101']
    >>> str(zh_numeral_value("一億二千萬")), str(zh_numeral_value("卅")), zh_numeral_value("萬萬")
    ('120000000', '30', None)
    >>> zh_numeral_value("十十"), zh_numeral_value("三百百"), zh_numeral_value("兩三"), zh_numeral_value("")
    (None, None, None, None)
    >>> str(zh_numeral_value("一一八"))
    '118'
    """
    text = (text.replace("點", "点").replace("萬", "万").replace("億", "亿").replace("兩", "两")
            .replace("廿", "二十").replace("卅", "三十"))
    whole, _, frac = text.partition("点")
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if not whole and not frac or frac and not all(c in digits for c in frac):
        return None
    if whole and all(c in "零〇" for c in whole):
        number = 0  # 零, 〇, 零點五
    elif len(whole) > 1 and all(c in digits for c in whole):
        # 二〇二一, 一九九七, 一一八: a number read digit by digit has three digits or more, or a zero;
        # 兩三, 三四 ("two or three") is a range, not a number
        if len(whole) < 3 and not any(c in "零〇" for c in whole):
            return None
        number = int("".join(str(digits[c]) for c in whole))
    else:
        number = _zh_integer(whole, digits) if whole else 0
        if number is None:
            return None
    if frac:
        return Decimal(f"{number}." + "".join(str(digits[c]) for c in frac))
    return Decimal(number)


def _zh_integer(text: str, digits: dict[str, int]) -> int | None:
    """八十六 -> 86, 一千零五 -> 1005, 一亿二千万 -> 120000000; None when malformed (十十, 三百百,
    五十三百: within a section each of 千, 百, 十 comes at most once, in falling order)."""
    total = 0
    rest = text
    for big, scale in (("亿", 100_000_000), ("万", 10_000)):
        if big in rest:
            head, _, rest = rest.partition(big)
            value = _zh_section(head, digits) if head else None
            if value is None or big in rest:
                return None
            total += value * scale
    if rest:
        value = _zh_section(rest, digits)
        if value is None:
            return None
        total += value
    return total


def _zh_section(text: str, digits: dict[str, int]) -> int | None:
    """A numeral below 10,000 (or a multiplier before 万/亿): 三千零五, 十五, 四百二十, 五."""
    small = {"千": 1000, "百": 100, "十": 10}
    value, number, last_unit = 0, None, 10_000
    for i, ch in enumerate(text):
        if ch in "零〇":
            if number is not None:
                return None
            continue
        if ch in digits:
            if number is not None:
                return None  # two digits in a row inside a positional numeral
            number = digits[ch]
        elif ch in small:
            unit = small[ch]
            if unit >= last_unit or (number is None and not (ch == "十" and i == 0)):
                return None
            value += (1 if number is None else number) * unit
            number, last_unit = None, unit
        else:
            return None
    if number is not None:
        value += number
    return value if text.strip("零〇") else None


def number_value(text: str) -> tuple[Decimal | None, list[str]]:
    """Arabic digits, an English number word, or a Chinese numeral."""
    if ARABIC_RE.fullmatch(text):
        return arabic_value(text)
    words = " ".join(text.lower().replace("-", " ").replace(" and ", " ").split())
    if " point " in words:  # seventy point six -> 70.6
        whole, _, frac = words.partition(" point ")
        head, _ = number_value(whole)
        digits = [EN_WORDS.get(w, 0 if w == "oh" else None) for w in frac.split()]
        if head is None or None in digits:
            return None, []
        return Decimal(f"{head}." + "".join(map(str, digits))), []
    parts = words.split(" ")
    if parts and all(p in EN_WORDS or p in EN_TENS or p == "hundred" for p in parts):
        total, current = 0, 0
        for p in parts:
            if p == "hundred":
                current = (current or 1) * 100
            else:
                current += EN_WORDS.get(p, EN_TENS.get(p, 0))
        return Decimal(total + current), []
    return zh_numeral_value(text), []


# ----------------------------------------------------------------------------------- dates
def parse_reference(text: str | None) -> _dt.date | None:
    """A metadata date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) as the first day it names.

    >>> parse_reference("2022-05-17"), parse_reference("2022-05"), parse_reference("May 2022")
    (datetime.date(2022, 5, 17), datetime.date(2022, 5, 1), None)
    """
    if text is None:
        return None
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", str(text).strip())
    if not match:
        return None
    try:
        return _dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """ISO text; raises ValueError on an impossible date."""
    if month is None:
        return f"{year:04d}"
    if day is None:
        _dt.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    return _dt.date(year, month, day).isoformat()


def _small_int(text: str) -> int:
    value, _ = number_value(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


_REL_YEAR = {"今年": 0, "本年": 0, "同年": 0, "当年": 0, "當年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1,
             "this": 0, "last": -1, "next": 1, "previous": -1, "past": -1, "same": 0}


class Unresolved(Exception):
    """A relative date and no reference date to resolve it against."""


def date_value(g: dict, lang: str, ref: _dt.date | None) -> tuple[str, bool]:
    """(ISO value, relative?) of a date token from its regex groups; raises :class:`Unresolved`
    when the date needs a reference and there is none, ValueError when it is impossible."""
    def need_ref() -> _dt.date:
        if ref is None:
            raise Unresolved()
        return ref

    if lang == "en":
        if g.get("iso"):
            return _dt.date.fromisoformat(g["iso"]).isoformat(), False
        if g.get("isom"):
            return g["isom"], False
        for i in "123456":
            if g.get(f"em{i}"):
                month = EN_MONTHS[g[f"em{i}"].rstrip(".").lower()]
                day_text = g.get(f"ed{i}")
                day = int(re.match(r"[0-9]+", day_text).group()) if day_text else None
                if g.get(f"ey{i}"):
                    return _iso(int(g[f"ey{i}"]), month, day), False
                if i == "4":
                    offset = _REL_YEAR[g["erel"].lower()]
                    return _iso(need_ref().year + offset, month, day), True
                if g.get(f"ery{i}"):
                    offset = _REL_YEAR[g[f"ery{i}"].lower().split()[-2]]
                    return _iso(need_ref().year + offset, month, day), True
                return _iso(need_ref().year, month, day), True
        if g.get("ery8"):
            return _iso(need_ref().year + _REL_YEAR[g["ery8"].lower().split()[0]]), True
        if g.get("erm"):
            base = need_ref()
            offset = {"last": -1, "previous": -1, "past": -1, "next": 1}.get(g["erm"].lower().split()[-2], 0)
            month_index = base.year * 12 + base.month - 1 + offset
            return _iso(month_index // 12, month_index % 12 + 1), True
        return str(int(g["ey7"])), False
    if g.get("zy5"):
        return str(_small_int(g["zy5"])), False
    if g.get("zry"):
        return _iso(need_ref().year + _REL_YEAR[g["zry"]]), True
    if g.get("zrm"):
        base = need_ref()
        offset = {"上": -1, "下": 1}.get(g["zrm"][0], 0)
        month_index = base.year * 12 + base.month - 1 + offset
        return _iso(month_index // 12, month_index % 12 + 1), True
    for i in "1234":
        if g.get(f"zm{i}"):
            month = _small_int(g[f"zm{i}"])
            day = _small_int(g[f"zd{i}"]) if g.get(f"zd{i}") else None
            if g.get(f"zy{i}"):
                return _iso(_small_int(g[f"zy{i}"]), month, day), False
            offset = _REL_YEAR[g["zrel"]] if i == "2" else 0
            return _iso(need_ref().year + offset, month, day), True
    raise ValueError("unrecognised date")  # pragma: no cover - every alternative is handled above


# ----------------------------------------------------------------------------------- numbers
def _magnitude(text: str | None, lang: str) -> int:
    if not text:
        return 0
    if lang == "en":
        return EN_MAGNITUDES[text.strip().lower()]
    return sum(ZH_MAGNITUDES[c] for c in text)


def _number(g: dict, lang: str) -> tuple[Decimal | None, str, str, list[str]]:
    """(value, qualifier, unit, flags) of a number token from its groups."""
    qualifier, unit, flags, negative = "eq", "", [], False
    if lang == "en":
        if g.get("eqp"):
            qualifier = EN_QUALIFIERS[" ".join(g["eqp"].lower().split())]
        for key in ("eqs1", "eqs"):
            if g.get(key):
                qualifier = EN_QSUFFIX[" ".join(g[key].lower().split())]
        value, flags = number_value(g["enum"])
        exponent = _magnitude(g.get("emag"), "en")
        unit = "%" if g.get("epct") else "pp" if g.get("epp") else "years" if g.get("eyr") else ""
        negative = bool(g.get("eneg"))
    else:
        for key, table in (("zqp", ZH_QUALIFIERS), ("zqs", ZH_QSUFFIX), ("zqs2", ZH_QSUFFIX)):
            if g.get(key):
                qualifier = table[g[key]]
        negative = bool(g.get("zneg"))
        if g.get("zpn") is not None:
            (value, flags), exponent, unit = number_value(g["zpn"]), 0, "%"
        elif g.get("zcheng") is not None:  # 八成: eight tenths; 八成五: 85 %
            (value, flags), exponent, unit = number_value(g["zcheng"]), 1, "%"
            if g.get("zchd") and value is not None:
                value, exponent = value * 10 + number_value(g["zchd"])[0], 0
            if g.get("zchq"):
                qualifier = ZH_QSUFFIX.get(g["zchq"], "gt")
        elif g.get("zmix") is not None:  # 1萬5千: 15000
            value, flags, exponent = _mixed_value(g["zmix"]), [], 0
        elif g.get("zhun") is not None:  # 逾百個: (more than) a hundred
            value, flags, exponent = Decimal({"百": 100, "千": 1000}[g["zhun"]]), [], 0
        else:
            value, flags = number_value(g["znum"])
            exponent = _magnitude(g.get("zmag"), "zh") + _magnitude(g.get("zmag2"), "zh")
            unit = "%" if g.get("zpct") else "pp" if g.get("zpp") else "years" if g.get("zyr") else ""
    if value is not None and exponent:
        value = value.scaleb(exponent)
    if value is not None and negative:
        value = -value
    return value, qualifier, unit, flags


def _mixed_value(text: str) -> Decimal:
    """1萬5千 -> 15000, 2億3000萬 -> 230000000: digits, each followed by its magnitude."""
    scale = {"千": 3, "百": 2, "十": 1, "萬": 4, "万": 4, "億": 8, "亿": 8}
    total = Decimal(0)
    for number, unit in re.findall(r"([0-9]+(?:\.[0-9]+)?)([千百十萬万億亿])", text):
        total += Decimal(number).scaleb(scale[unit])
    return total


def _is_bare_zh_char(g: dict) -> bool:
    """A lone Chinese numeral character with nothing that makes it a quantity (一帶一路, 唯一)."""
    num = g.get("znum")
    if num == "一" and g.get("zcls") == "批" and not g.get("zqp"):
        return True  # 一批: "a number of", not one batch
    if num is None or len(num) != 1 or num.isdigit():
        return False
    extras = ("zqp", "zmag", "zqs", "zmag2", "zpct", "zpp", "zyr", "zcls", "zqs2", "zneg")
    return not any(g.get(k) for k in extras)


def tokenize(text: str, lang: str, ref: _dt.date | None = None) -> list[Token]:
    """Every number-like span of ``text`` (one line of language ``lang``), in reading order.

    >>> [(t.kind, t.value, t.qualifier, t.unit) for t in tokenize("Of the 86 tasks, more than 40 (46.5%) are done.", "en")]
    [('num', '86', 'eq', ''), ('num', '40', 'gt', ''), ('num', '46.5', 'eq', '%')]
    >>> [(t.kind, t.value, t.classifier) for t in tokenize("去年4月獲批，已實施69項", "zh", _dt.date(2022, 5, 17))]
    [('date', '2021-04', ''), ('num', '69', '項')]
    >>> [(t.kind, t.value, t.flags) for t in tokenize("approved last April", "en")]
    [('date', '', ['date-unresolved'])]
    """
    tokens: list[Token] = []
    for m in TOKEN_RE[lang].finditer(text):
        s, e = m.span()
        if s == e:
            continue
        kind = next(k for k in ("CODE", "DATE", "MARKER", "ORD", "FRAC", "NUM") if m.group(k) is not None).lower()
        g = m.groupdict()
        if kind == "code":
            tokens.append(Token("marker", s, e))
            continue
        if kind == "marker":
            tokens.append(Token("marker", s, e))
            continue
        if kind == "date":
            tok = Token("date", s, e, unit="date")
            try:
                tok.value, tok.relative = date_value(g, lang, ref)
            except Unresolved:
                tok.relative = True
                tok.flags.append("date-unresolved")
            except ValueError:
                tok.flags.append("impossible-date")
            tokens.append(tok)
            continue
        if kind == "frac":
            tokens.append(_fraction_token(g, s, e))
            continue
        if kind == "ord":
            num = g.get("eon") or g.get("zon")
            value = number_value(num)[0] if num is not None else Decimal(EN_ORDINAL_WORDS[g["eow"].lower()])
            tok = Token("ord", s, e, value=fmt_decimal(value) if value is not None else "")
            if value is None:
                tok.flags.append("unreadable")
            tokens.append(tok)
            continue
        if lang == "zh" and _is_bare_zh_char(g):
            continue
        value, qualifier, unit, flags = _number(g, lang)
        if value is None and lang == "zh" and not any(g.get(k) for k in ("zcls", "zpct", "zpp", "zyr", "zqp", "zqs")):
            continue  # 十四五 (the 14th Five-Year Plan), 三四: a name or a word, not a quantity
        number_group = "enum" if lang == "en" else next(
            (k for k in ("zpn", "zcheng", "zhun", "zmix") if g.get(k) is not None), "znum")
        tok = Token("num", s, e, value=fmt_decimal(value) if value is not None else "", qualifier=qualifier,
                    unit=unit, classifier=(g.get("zcls") or g.get("zcls0") or g.get("zcls1") or "") if lang == "zh" else "",
                    number_start=m.start(number_group), flags=list(flags))
        if value is None:
            tok.flags.append("unreadable")
        if lang == "en" and unit == "years" and _over_means_during(text, tok):
            tok.start, tok.qualifier = tok.number_start, "eq"
        tokens.append(tok)
    return tokens


def _fraction_token(g: dict, s: int, e: int) -> "Token":
    """A share written as a fraction (:data:`EN_FRAC`, :data:`ZH_FRAC`) as a percentage token.

    >>> [(t.value, t.qualifier, t.unit) for t in tokenize("three in every four; two thirds of them", "en")]
    [('75', 'eq', '%'), ('66.7', 'approx', '%')]
    """
    if g.get("zfm"):
        num, den = g["zfn"], g["zfm"]
    elif g.get("fd"):
        num, den = ("one" if g["fn2"].lower() == "a" else g["fn2"]), str(_EN_DENOMINATORS[g["fd"].lower()])
    else:
        num, den = g["fn"], g["fm"]
    n, d = number_value(num)[0], number_value(den)[0]
    tok = Token("num", s, e, unit="%")
    if n is None or not d or n > d:
        tok.flags.append("unreadable")
        return tok
    share = n * 100 / d
    exact = share == share.to_integral_value()
    tok.value = fmt_decimal(share.to_integral_value() if exact else share.quantize(Decimal("0.1")))
    stated = EN_QUALIFIERS.get(" ".join(g["fq"].lower().split())) if g.get("fq") else ZH_QUALIFIERS.get(g.get("zfq") or "")
    tok.qualifier = stated or ("eq" if exact else "approx")
    return tok


def _over_means_during(text: str, tok: Token) -> bool:
    """"completed over three years", "spread over three years": "over" says how long, not "more than"."""
    if not re.fullmatch(r"(?i:over)\s+", text[tok.start:tok.number_start]):
        return False
    before = re.search(r"([A-Za-z]+)\s*$", text[:tok.start])
    return bool(before) and (before.group(1).lower().endswith("ed") or before.group(1).lower() in (
        "run", "runs", "last", "lasts", "spread", "spreads", "implement", "complete", "deliver", "carried"))


def first_stated_date(lines: list[tuple[str, str]]) -> _dt.date | None:
    """The first full date (year, month and day) written in ``(text, lang)`` lines: a dateline, the
    reference for relative dates when a source has no metadata date.

    >>> first_stated_date([("Released on 17 May 2022 in Chongqing", "en")])
    datetime.date(2022, 5, 17)
    >>> first_stated_date([("去年4月獲批", "zh"), ("2022年5月17日", "zh")])
    datetime.date(2022, 5, 17)
    """
    for text, lang in lines:
        for tok in tokenize(text, lang, None):
            if tok.kind == "date" and not tok.relative and len(tok.value) == 10:
                return _dt.date.fromisoformat(tok.value)
    return None
