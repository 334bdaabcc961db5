"""Normalize one source text: decode, clean up, split into language segments, audit every change.

Input: the raw bytes of a source document (a ``.txt`` file here; ``.md``, ``.html``, ``.pdf`` and
``.docx`` are first read into lines by :mod:`read_source`) and its parsed metadata file (or
``None`` when there is none). Output (see :func:`normalize_source`): a dict written as JSON to
``results/{briefing}/normalized/{source}.json`` with the decoded, normalized lines, the language
segments, the metadata (given, read from the document, or inferred), every change made, the spans
we suspect but could not repair, and warnings.

**Where each line is.** Every entry of ``lines`` has ``line``, a unique, increasing number: for a
``.txt`` or ``.md`` file the file's own line number. Where a reader cites the original otherwise,
the entry also has ``loc`` (a string), which provenance shows as ``source:lang:loc``:

* PDF: ``"{page}:{line}"``, the page and the paragraph's first line on that page (the page's text
  lines in reading order, running heads excluded), e.g. ``"3:12"``;
* web page: ``"p{n}"``, the n-th paragraph (heading, list item) of the main text as extracted;
  ``"t{k}r{i}"``, row i of its k-th table;
* Word: ``"p{n}"``, the n-th non-empty body paragraph; ``"t{k}r{i}"``, row i of table k.

``format`` (not ``txt``) and ``extraction`` (what the reader dropped or joined) are added for a
document that was not plain text; ``url`` and ``version`` for a source fetched from a link.

Steps, in this order, each recorded in ``changes`` so that it can be undone:

1. **Decode** (:func:`decode_bytes`), without guessing: UTF-8 with BOM (``utf-8-sig``), UTF-16
   with BOM, plain UTF-8, else GB18030 or Big5 only when that decoding is clearly Chinese text
   (:func:`clearly_chinese`: mostly common ideographs and CJK punctuation, in runs, not glued to
   Latin letters; Latin-1 read as Big5 decodes without an error into isolated common characters,
   which this refuses). When both are clearly Chinese we pick the one clearly more "ordinary"
   (:func:`chinese_score`); if neither is clearly ahead we raise
   :class:`~pipeline_io.InputError` naming both. Anything else is an InputError naming the file,
   the line and the metadata key ``encoding:`` that settles it (any text codec Python knows, e.g.
   ``cp1252``; then the bytes must decode with it, strictly). Empty files and binary files (NUL
   bytes, control characters) are InputErrors too.
2. **Newlines**: CRLF and CR become LF; one ``newline`` change for the file (``line`` 0).
3. Per line, **invisible characters** are removed (zero-width space and joiners, word joiner, soft
   hyphen, stray BOM, bidi marks: :data:`INVISIBLE`), one ``invisible`` change per run, so that
   ``4``+ZWSP+``5`` reads as 45, not as 5; then **NFC** (one ``nfc`` change per line, the smallest
   differing span).
4. **Full-width numbers**: FULLWIDTH DIGIT ZERO..NINE become ASCII digits, ``％`` becomes
   ``%``, ``．`` between two digits becomes ``.`` and ``，`` becomes ``,`` only as a thousands
   separator (a digit before, exactly three digits after). No NFKC: Chinese punctuation
   (``。，“”「」``) is kept.
5. **Ruby / pinyin** (:func:`strip_ruby`): ``個(gè)`` becomes ``個``: a Han character followed
   by a bracketed, lower-case, valid pinyin syllable with a tone mark (or tone digit). Unmarked
   syllables (neutral tone, ``的(de)``) are stripped only when the same file has at least
   :data:`RUBY_CONTEXT_MIN` tone-marked ones. Real brackets (``(82%)``, ``(Chongqing)``,
   ``(1)``, ``西部(重慶)科學城``) never match.
6. **Byte-shift mojibake** (:func:`find_mojibake`): a run of characters that are unusual for
   the document's script (outside Big5's common block in Traditional text, e.g. Simplified-only
   闭/挛; outside GB2312 level 1 in Simplified text; kana/Greek/Cyrillic/box drawing anywhere),
   at least one after the byte-shift signature below or else at least two, optionally
   preceded by a ``?``/U+FFFD placeholder for the lost byte and by narrowed ASCII punctuation,
   and ended by an orphan ASCII trail byte, is re-encoded as GBK, given back a lead byte and
   decoded again. A repair is applied only with a *proof* (the repaired text, re-encoded with the
   first byte dropped, reproduces the damaged span exactly), a plausible result (only common
   characters of the document's script and CJK punctuation) and a context that settles which lead
   byte was lost (e.g. sentence-final punctuation before a closing quote whose opening quote is
   still open). Anything less is a ``mojibake-suspect`` flag and the text is left alone.

Language of a line: ``zh`` when Han characters dominate (each counts as three Latin letters),
``en`` when Latin letters dominate, ``None`` when blank or neutral (digits, punctuation).

**Unsupported languages are an InputError** (naming file and line), not a warning: a line whose
letters are mostly of another script (Cyrillic, Greek, Arabic, Hangul, kana, ...) or a Latin line
that reads as German, French or Spanish (at least three of that language's stop-words and more of
them than English ones, or ``ß``/umlauts plus two stop-words). The briefing is English/Chinese
only; quietly passing another language on would produce a wrong briefing. A few stray letters of
another script only give a warning.

Metadata keys (:data:`source_files.METADATA_KEYS`): ``title``, ``author`` (each a mapping with
``en``/``zh``, or a plain string), ``date`` (``YYYY-MM-DD``, a real date: metadata is read with
dates kept as written, so ``date: 2022-13-45`` is an InputError naming the file, the line and
"month must be in 1..12", not a YAML traceback), ``publisher``, ``url`` (http/https),
``languages`` (list of ``en``, ``zh``, ``zh-Hant``, ``zh-Hans``), ``encoding`` (see step 1).
Anything else is an InputError naming the yaml file, the line and the key. Keys the file leaves
out are filled from the document's own metadata where it has some (a web page's title, author,
date, site name, address and languages; a PDF's or Word file's title and author; listed in
``metadata.from_document``; a value that does not validate there is only a warning). A missing
metadata file is a warning; ``languages`` and the English title are then inferred (listed in
``metadata.inferred``) and the date stays ``None``.
"""

# No ``from __future__ import annotations``: Snakemake's ``script:`` puts a preamble before this
# file, and a __future__ import must come first (annotations here need Python >= 3.10).
import datetime as _dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pipeline_io
from pipeline_io import InputError
from source_files import METADATA_KEYS

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5")
SUPPORTED_LANGUAGES = ("en", "zh", "zh-Hant", "zh-Hans")
LANG_SUBKEYS = ("en", "zh")

#: Minimum tone-marked ruby annotations in a file before unmarked ``(de)`` counts as ruby too.
RUBY_CONTEXT_MIN = 3
#: Minimum lead of the better GB18030/Big5 candidate (share of ordinary Chinese) to pick it.
DECODE_MARGIN = 0.2
#: Below this share of ordinary Chinese, a legacy decoding is treated as garbage.
DECODE_MIN_SCORE = 0.6


# ---------------------------------------------------------------- character classes


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
    )


CJK_PUNCT = set("，。、：；？！「」『』“”‘’（）《》〈〉【】〔〕…—·～〃〜")
OPEN_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}
CLOSE_QUOTES = {v: k for k, v in OPEN_QUOTES.items()}
SENTENCE_FINAL = set("。！？…")


def is_cjk_punct(ch: str) -> bool:
    return ch in CJK_PUNCT or 0x3000 <= ord(ch) <= 0x303F or 0xFF01 <= ord(ch) <= 0xFF5E


def is_latin_letter(ch: str) -> bool:
    if "a" <= ch <= "z" or "A" <= ch <= "Z":
        return True
    if ord(ch) < 0xC0 or not ch.isalpha():
        return False
    return unicodedata.name(ch, "").startswith("LATIN")


def is_other_script_letter(ch: str) -> bool:
    """A letter of a script we do not support (not Latin, not Han, not bopomofo)."""
    if ord(ch) < 0x80 or not ch.isalpha() or is_han(ch):
        return False
    name = unicodedata.name(ch, "")
    return not (name.startswith("LATIN") or name.startswith("BOPOMOFO") or name.startswith("CJK"))


def _encodes(ch: str, codec: str) -> bytes | None:
    try:
        return ch.encode(codec)
    except UnicodeEncodeError:
        return None


def in_big5_common(ch: str) -> bool:
    """In Big5's frequently used ideograph block (A440..C67E)."""
    b = _encodes(ch, "big5")
    return b is not None and len(b) == 2 and 0xA440 <= int.from_bytes(b, "big") <= 0xC67E


def in_gb2312_level1(ch: str) -> bool:
    """In GB2312's level-1 ideograph block (B0A1..D7F9): the 3755 most common characters."""
    b = _encodes(ch, "gb2312")
    return b is not None and len(b) == 2 and 0xB0A1 <= int.from_bytes(b, "big") <= 0xD7F9


@functools.lru_cache(maxsize=None)
def is_ordinary_chinese(ch: str) -> bool:
    """A common ideograph (either script) or CJK punctuation: what real Chinese text is made of."""
    return is_cjk_punct(ch) or (is_han(ch) and (in_gb2312_level1(ch) or in_big5_common(ch)))


@functools.lru_cache(maxsize=None)
def letter_kind(ch: str) -> str | None:
    """``han``, ``latin``, ``other`` (a letter of an unsupported script) or None. Cached: a text has
    few distinct characters, so whole-text counts classify each once (see :func:`letter_counts`)."""
    if is_han(ch):
        return "han"
    if is_latin_letter(ch):
        return "latin"
    return "other" if is_other_script_letter(ch) else None


@functools.lru_cache(maxsize=4)  # a line is counted by check_language, then line_language
def letter_counts(text: str) -> tuple[int, int, int]:
    """``(han, latin, other)``: Han characters, Latin letters and letters of another script."""
    counts = {"han": 0, "latin": 0, "other": 0}
    for ch, n in Counter(text).items():
        kind = letter_kind(ch)
        if kind:
            counts[kind] += n
    return counts["han"], counts["latin"], counts["other"]


def chinese_score(text: str) -> float:
    """Share of non-ASCII characters in ``text`` that are ordinary Chinese (0.0 if none)."""
    chars = {c: n for c, n in Counter(text).items() if ord(c) >= 0x80 and not c.isspace()}
    if not chars:
        return 0.0
    return sum(n for c, n in chars.items() if is_ordinary_chinese(c)) / sum(chars.values())


# Traditional/Simplified marker pairs for guessing the script of Chinese text.
_TRAD_SIMP = (
    "這这個个說说經经們们國国會会來来時时對对發发為为與与於于學学業业現现開开關关長长問问過过"
    "實实點点區区務务動动項项進进設设頭头電电義义樣样華华東东讓让應应還还體体見见際际間间場场"
    "條条報报無无當当從从後后種种總总內内數数產产場场標标議议員员機机車车將将並并導导"
)
TRAD_MARKERS = set(_TRAD_SIMP[0::2])
SIMP_MARKERS = set(_TRAD_SIMP[1::2])


def guess_zh_script(text: str) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``zh`` (undecided) from characters only one script uses."""
    counts = Counter(text)
    trad = sum(counts[c] for c in TRAD_MARKERS)
    simp = sum(counts[c] for c in SIMP_MARKERS)
    if trad > 2 * simp and trad >= 2:
        return "zh-Hant"
    if simp > 2 * trad and simp >= 2:
        return "zh-Hans"
    return "zh"


# ---------------------------------------------------------------- decoding


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


#: Control characters (Unicode category Cc) other than tab, line feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_controls(text: str, path: str) -> None:
    match = _CONTROL_RE.search(text)
    if match:
        raise InputError(
            path,
            f"binary file? control character U+{ord(match.group()):04X}; expected plain text",
            text.count("\n", 0, match.start()) + 1,
        )


def explicit_codec(name: Any, meta_path: str, line: int | None = None) -> str:
    """The Python codec for a metadata ``encoding:`` value, or :class:`InputError` naming the key.

    >>> explicit_codec("Windows-1252", "m.yaml"), explicit_codec("GBK", "m.yaml"), explicit_codec("latin1", "m.yaml")
    ('cp1252', 'gbk', 'iso8859-1')
    """
    import codecs

    try:
        info = codecs.lookup(str(name).strip()) if isinstance(name, str) and name.strip() else None
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(meta_path, f"key 'encoding': {name!r} is not a text encoding Python knows; expected e.g. "
                         "utf-8, utf-16, gb18030, big5, cp1252 (Windows Western) or latin-1", line)
    return info.name


def decode_bytes(raw: bytes, path: str, encoding: str | None = None, meta_path: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``.

    Without ``encoding`` (the metadata's ``encoding:`` key) the encoding is one of
    :data:`ENCODINGS`, by this policy, which never guesses: a BOM (UTF-8 or UTF-16) decides; else
    valid UTF-8 is UTF-8; else GB18030 or Big5 only when that decoding is clearly Chinese text
    (:func:`clearly_chinese`; when both are, one must be clearly ahead). Anything else is an
    :class:`InputError` naming the file, the first byte UTF-8 refused and its line, and the
    ``encoding:`` key that settles it: a Latin-1 or Windows-1252 file is never read as Chinese.
    With ``encoding`` the bytes must decode with it, strictly. Empty and binary files (NUL bytes,
    control characters) are InputErrors too.
    """
    if not raw:
        raise InputError(path, "file is empty; expected UTF-8, UTF-16 (with BOM), GB18030 or Big5 text")
    if encoding:
        text, enc = _decode_explicit(raw, path, encoding, meta_path)
    elif raw.startswith(b"\xef\xbb\xbf"):
        try:
            text, enc = raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-8 after a UTF-8 BOM (byte {exc.start})", _line_of(raw, exc.start)) from None
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, enc = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 after a UTF-16 BOM (byte {exc.start}); expected UTF-16 text") from None
    else:
        nul = raw.find(b"\x00")
        if nul >= 0:
            raise InputError(
                path,
                f"binary file? NUL byte at byte {nul}; expected text (UTF-16 needs a byte-order mark)",
                _line_of(raw, nul),
            )
        try:
            text, enc = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, enc = _decode_legacy(raw, path, exc, meta_path)
    if not text.strip("\ufeff \t\r\n"):
        raise InputError(path, "file has no text (only whitespace); expected a source text")
    _check_controls(text, path)
    return text, enc


def _decode_explicit(raw: bytes, path: str, encoding: str, meta_path: str | None) -> tuple[str, str]:
    codec = explicit_codec(encoding, meta_path or path)
    if codec in ("utf-8", "utf-16", "utf-32") and raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        codec = {"utf-8": "utf-8-sig"}.get(codec, codec)
    try:
        return raw.decode(codec), codec
    except UnicodeDecodeError as exc:
        where = f" ({meta_path})" if meta_path else ""
        raise InputError(path, f"not valid {codec} at byte {exc.start}, although its metadata{where} says "
                         f"encoding: {encoding}; fix the file or the key", _line_of(raw, exc.start)) from None


#: Below this mean length of Han runs (consecutive Chinese characters), a legacy decoding is not
#: "clearly Chinese": real Chinese text comes in runs; Latin-1 bytes read as GB18030/Big5 give
#: isolated characters, each swallowing the ASCII letter after an accented one.
DECODE_MIN_RUN = 2.5
#: Above this share of Han characters touching an ASCII letter, the same signature.
DECODE_MAX_GLUED = 0.25
_CJK_RUN_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\U00020000-\U0003ffff]+")
_GLUED_RE = re.compile(r"(?<=[A-Za-z])[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?=[A-Za-z])")


def clearly_chinese(text: str) -> tuple[bool, str]:
    """Whether ``text`` (a GB18030 or Big5 decoding) is clearly Chinese, and why not.

    All three must hold: the non-ASCII characters are mostly ordinary Chinese
    (:func:`chinese_score` >= :data:`DECODE_MIN_SCORE`), Chinese characters come in runs (mean
    run length >= :data:`DECODE_MIN_RUN`), and few touch an ASCII letter (share <=
    :data:`DECODE_MAX_GLUED`).

    >>> clearly_chinese("重慶服務業擴大開放綜合試點")[0]
    True
    >>> latin1 = "Notes by Åsa Lindqvist, see §Annex B".encode("latin-1")
    >>> latin1.decode("big5")  # decodes without an error, into common characters
    'Notes by 彎a Lindqvist, see 你nnex B'
    >>> clearly_chinese(latin1.decode("big5"))
    (False, 'Chinese characters stand alone (mean run 1.0)')
    """
    score = chinese_score(text)
    if score < DECODE_MIN_SCORE:
        return False, f"ordinary-Chinese share {score:.2f}"
    runs = [len(m.group()) for m in _CJK_RUN_RE.finditer(text)]
    han = sum(runs)
    if not han:
        return False, "no Chinese characters"
    mean = han / len(runs)
    if mean < DECODE_MIN_RUN:
        return False, f"Chinese characters stand alone (mean run {mean:.1f})"
    glued = len(_GLUED_RE.findall(text)) / han
    if glued > DECODE_MAX_GLUED:
        return False, f"{glued:.0%} of Chinese characters touch a Latin letter"
    return True, f"ordinary-Chinese share {score:.2f}, mean run {mean:.1f}"


def _decode_legacy(raw: bytes, path: str, utf8_error: UnicodeDecodeError, meta_path: str | None = None) -> tuple[str, str]:
    candidates: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for enc in ("gb18030", "big5"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            verdicts[enc] = f"invalid at byte {exc.start}"
            continue
        ok, why = clearly_chinese(text)
        verdicts[enc] = why
        if ok:
            candidates[enc] = text
    bad_line = _line_of(raw, utf8_error.start)
    settle = (f"if you know the encoding, say it in {meta_path or Path(path).with_suffix('.yaml')}: "
              "'encoding: cp1252' (Windows Western European, also for Latin-1), 'encoding: gb18030' or 'encoding: big5'")
    if not candidates:
        described = "; ".join(f"{enc}: {why}" for enc, why in verdicts.items())
        raise InputError(
            path,
            f"undecodable bytes: not UTF-8 (first invalid byte at offset {utf8_error.start}) and not clearly "
            f"Chinese as GB18030 or Big5 ({described}); {settle}",
            bad_line,
        )
    if len(candidates) == 2 and candidates["gb18030"] != candidates["big5"]:
        scores = {enc: chinese_score(t) for enc, t in candidates.items()}
        ranked = sorted(scores, key=scores.get, reverse=True)
        if scores[ranked[0]] - scores[ranked[1]] < DECODE_MARGIN:
            described = ", ".join(f"{enc} (ordinary-Chinese share {scores[enc]:.2f})" for enc in ranked)
            raise InputError(
                path,
                f"ambiguous encoding: both candidates decode cleanly and differ: {described}; "
                f"convert the file to UTF-8, or {settle}",
            )
        return candidates[ranked[0]], ranked[0]
    best = next(iter(candidates))
    return candidates[best], best


# ---------------------------------------------------------------- per-line edits


def _span_change(kind: str, line: int, before: str, after: str) -> dict | None:
    """The smallest single-span change turning ``before`` into ``after`` (None if equal)."""
    if before == after:
        return None
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    s = 0
    while s < min(len(before), len(after)) - p and before[-1 - s] == after[-1 - s]:
        s += 1
    return {
        "kind": kind,
        "line": line,
        "col": p,
        "before": before[p : len(before) - s],
        "after": after[p : len(after) - s],
    }


#: Characters that print as nothing but split a number or a word ("4\u200b5" would read as 5):
#: zero-width space, non-joiner and joiner, word joiner, soft hyphen, BOM inside text, bidi marks.
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")


def remove_invisible(text: str, line: int) -> tuple[str, list[dict]]:
    """Drop invisible characters; one ``invisible`` change per run (``col`` in the new text).

    >>> remove_invisible("4\u200b5 tasks", 3)
    ('45 tasks', [{'kind': 'invisible', 'line': 3, 'col': 1, 'before': '\u200b', 'after': ''}])
    """
    out: list[str] = []
    changes: list[dict] = []
    pos = 0
    for m in _INVISIBLE_RE.finditer(text):
        out.append(text[pos:m.start()])
        changes.append({"kind": "invisible", "line": line, "col": sum(len(s) for s in out), "before": m.group(0),
                        "after": ""})
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), changes


def normalize_nfc(text: str, line: int) -> tuple[str, list[dict]]:
    if unicodedata.is_normalized("NFC", text):
        return text, []
    new = unicodedata.normalize("NFC", text)
    change = _span_change("nfc", line, text, new)
    return new, [change] if change else []


_FW_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_DIGIT_CLASS = "0-9\uff10-\uff19"
_NUMBER_RE = re.compile(
    rf"[{_DIGIT_CLASS}]+(?:(?:．|\.)[{_DIGIT_CLASS}]+|(?:，|,)[{_DIGIT_CLASS}]{{3}}(?![{_DIGIT_CLASS}]))*％?|％"
)


def convert_fullwidth_numbers(text: str, line: int) -> tuple[str, list[dict]]:
    """Full-width digits, ``％`` and number-internal ``．``/``，`` to ASCII; one change per number.

    ``，`` is converted only as a thousands separator (three digits follow, then no digit), so a
    list like ``2021，2022年`` keeps its Chinese comma.
    """
    out: list[str] = []
    changes: list[dict] = []
    pos = col = 0
    for m in _NUMBER_RE.finditer(text):
        token = m.group(0)
        if token.isascii():
            continue
        new = "".join(_FW_DIGITS.get(c, c) for c in token).replace("％", "%").replace("．", ".").replace("，", ",")
        out.append(text[pos : m.start()])
        col += m.start() - pos
        if new != token:
            changes.append({"kind": "fullwidth", "line": line, "col": col, "before": token, "after": new})
        out.append(new)
        col += len(new)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), changes


# ---- ruby


_TONE_VOWELS = {
    "ā": "a", "á": "a", "ǎ": "a", "à": "a",
    "ē": "e", "é": "e", "ě": "e", "è": "e",
    "ī": "i", "í": "i", "ǐ": "i", "ì": "i",
    "ō": "o", "ó": "o", "ǒ": "o", "ò": "o",
    "ū": "u", "ú": "u", "ǔ": "u", "ù": "u",
    "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v",
    "ḿ": "m", "ń": "n", "ň": "n", "ǹ": "n",
}  # fmt: skip
_PINYIN_SYLLABLE_RE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu"
    r"|io|ua|uo|ui|ue|ve|er|a|o|e|i|u|v)$"
)
_RUBY_RE = re.compile(
    r"(?P<base>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff])"
    r"(?P<open>[(（])(?P<py>[a-zü" + "".join(_TONE_VOWELS) + r"]{1,7}[1-5]?)(?P<close>[)）])"
)


def pinyin_tone(syllable: str) -> str | None:
    """``"marked"`` (tone mark or digit), ``"unmarked"`` or ``None`` if not a pinyin syllable."""
    marks = sum(1 for c in syllable if c in _TONE_VOWELS)
    digit = syllable[-1:].isdigit()
    if marks > 1 or (marks and digit):
        return None
    base = "".join(_TONE_VOWELS.get(c, c) for c in syllable.rstrip("12345")).replace("ü", "v")
    if not _PINYIN_SYLLABLE_RE.match(base):
        return None
    return "marked" if marks or digit else "unmarked"


def _ruby_matches(text: str):
    for m in _RUBY_RE.finditer(text):
        if (m.group("open") == "(") != (m.group("close") == ")"):
            continue
        tone = pinyin_tone(m.group("py"))
        if tone:
            yield m, tone


def count_marked_ruby(text: str) -> int:
    return sum(1 for _, tone in _ruby_matches(text) if tone == "marked")


def _ruby_context(lines: list[str]) -> bool:
    """At least :data:`RUBY_CONTEXT_MIN` tone-marked annotations in the file (NFC), counted line by
    line and stopping as soon as there are enough."""
    found = 0
    for line in lines:
        if "(" in line or "（" in line:
            found += count_marked_ruby(unicodedata.normalize("NFC", line))
            if found >= RUBY_CONTEXT_MIN:
                return True
    return False


def strip_ruby(text: str, line: int, allow_unmarked: bool = False) -> tuple[str, list[dict]]:
    """Remove pinyin annotations ``個(gè)`` → ``個``; one ``ruby`` change each (``col`` in the new text)."""
    out: list[str] = []
    changes: list[dict] = []
    pos = col = 0
    for m, tone in _ruby_matches(text):
        if tone == "unmarked" and not allow_unmarked:
            continue
        out.append(text[pos : m.start()])
        col += m.start() - pos
        base = m.group("base")
        changes.append({"kind": "ruby", "line": line, "col": col, "before": m.group(0), "after": base})
        out.append(base)
        col += len(base)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), changes


# ---- mojibake


@dataclass
class MojibakeProposal:
    """A suspected byte-shift span ``line[start:end]``; ``after`` is set only when repairable."""

    start: int
    end: int
    before: str
    after: str | None
    message: str
    candidates: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=None)
def is_suspicious(ch: str, script: str) -> bool:
    """Unusual for Chinese text of ``script``: the raw material of mojibake detection."""
    if ch.isalpha() and is_other_script_letter(ch) and not is_han(ch):
        return True  # kana, Greek, Cyrillic... inside Chinese
    if 0x2500 <= ord(ch) <= 0x257F or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd":
        return True  # box drawing, private use, replacement char
    if not is_han(ch):
        return False
    if script == "zh-Hant":
        return not in_big5_common(ch)
    if script == "zh-Hans":
        return not in_gb2312_level1(ch)
    return not (in_gb2312_level1(ch) or in_big5_common(ch))


def _plausible(text: str, script: str) -> bool:
    for ch in text:
        if is_cjk_punct(ch):
            continue
        if not is_han(ch) or is_suspicious(ch, script):
            return False
        if script == "zh-Hant" and not in_big5_common(ch):
            return False
        if script == "zh-Hans" and not in_gb2312_level1(ch):
            return False
        if script == "zh" and not (in_big5_common(ch) or in_gb2312_level1(ch)):
            return False
    return True


def _widen(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if 0x21 <= ord(ch) <= 0x7E else ch


def _quote_open(context: str) -> bool:
    depth = {k: 0 for k in OPEN_QUOTES}
    for ch in context:
        if ch in OPEN_QUOTES:
            depth[ch] += 1
        elif ch in CLOSE_QUOTES and depth[CLOSE_QUOTES[ch]] > 0:
            depth[CLOSE_QUOTES[ch]] -= 1
    return any(depth.values())


_NARROW_PUNCT = set("!\"#$%&'*+,-./:;<=>?@")
_ORPHAN_TRAIL = re.compile(r"[\x40-\x7e]")


def _try_shift_repair(
    body: str, narrowed: set[int], script: str
) -> list[tuple[int, str]]:
    """All ``(lead_byte, repaired)`` where ``lead + GBK(body)`` decodes to plausible text with proof.

    ``body`` ends with the orphan ASCII trail byte; ``narrowed`` holds indices of ASCII
    punctuation that stood for full-width forms.
    """
    widened = "".join(_widen(c) if i in narrowed else c for i, c in enumerate(body))
    try:
        data = widened.encode("gbk")
    except UnicodeEncodeError:
        return []
    found = []
    for lead in range(0x81, 0xFF):
        try:
            repaired = (bytes([lead]) + data).decode("gbk")
        except UnicodeDecodeError:
            continue
        if not _plausible(repaired, script):
            continue
        # Proof: re-encode, drop the first byte, decode, narrow again -> the damaged body exactly.
        try:
            back = repaired.encode("gbk")[1:].decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(back) != len(body):
            continue
        renarrowed = "".join(chr(ord(c) - 0xFEE0) if i in narrowed else c for i, c in enumerate(back))
        if renarrowed == body:
            found.append((lead, repaired))
    return found


def _settle(found: list[tuple[int, str]], context: str) -> list[tuple[int, str]]:
    """Candidates whose first character fits the context: sentence-final punctuation right before
    a closing quote whose opening quote is still open in ``context``."""
    if not _quote_open(context):
        return []
    return [(lead, rep) for lead, rep in found if len(rep) > 1 and rep[0] in SENTENCE_FINAL and rep[1] in CLOSE_QUOTES]


def _shown(found: list[tuple[int, str]]) -> tuple[list[str], str]:
    cands = [f"0x{lead:02X}:{rep[0]}" for lead, rep in found]
    return cands, ", ".join(cands[:8]) + (", ..." if len(cands) > 8 else "")


def find_mojibake(line: str, script: str, context_before: str = "") -> list[MojibakeProposal]:
    """Propose byte-shift mojibake repairs (or flags) for one line of Chinese text.

    ``script`` is the document's Chinese script (``zh-Hant``, ``zh-Hans`` or ``zh``);
    ``context_before`` is text preceding the line (used to see whether a quote is open).

    A candidate is a run of Han/CJK characters holding characters unusual for ``script``
    (:func:`is_suspicious`): at least one when the run is preceded by the byte-shift signature (a
    ``?``/U+FFFD placeholder and/or narrowed ASCII punctuation such as ``!`` for ``！``), else at
    least two. A repair needs an orphan ASCII trail byte ending the run (the last character's
    second GBK byte), a proof and plausibility (:func:`_try_shift_repair`) and a context that
    settles the lost lead byte (:func:`_settle`). ``after`` is set for such repairs; a proposal
    with ``after is None`` is a flag: suspicious, but not provably repairable.
    """
    proposals: list[MojibakeProposal] = []
    if line.isascii() or not any(is_suspicious(ch, script) for ch in set(line)):
        return proposals  # the common case, decided once per distinct character

    def in_run(ch: str) -> bool:
        return is_han(ch) or is_suspicious(ch, script) or (ord(ch) >= 0x80 and is_cjk_punct(ch))

    i = 0
    n = len(line)
    while i < n:
        if not in_run(line[i]):
            i += 1
            continue
        run_start = i
        while i < n and in_run(line[i]):
            i += 1
        run_end = i
        sus = [j for j in range(run_start, run_end) if is_suspicious(line[j], script)]
        if not sus:
            continue
        # Signature before the run: narrowed punctuation, and a placeholder for the lost byte.
        pre = run_start
        while pre > 0 and line[pre - 1] in _NARROW_PUNCT and run_start - pre < 3:
            pre -= 1
        placeholder = None
        if pre > 0 and line[pre - 1] in "?\ufffd":
            placeholder = pre - 1
        elif pre < run_start and line[pre] in "?\ufffd":
            placeholder = pre
        signature = pre < run_start or placeholder is not None
        if len(sus) < 2 and not signature:
            continue
        first = sus[0]
        span_start = placeholder if placeholder is not None else (pre if signature else first)
        orphan = (
            run_end < n
            and _ORPHAN_TRAIL.match(line[run_end]) is not None
            and not (run_end + 1 < n and line[run_end + 1].isascii() and line[run_end + 1].isalnum())
        )
        if not orphan:
            proposals.append(MojibakeProposal(
                span_start, run_end, line[span_start:run_end], None,
                f"{len(sus)} character(s) unusual for {script} text; no orphan trail byte ends the run, "
                "so no byte-shift repair can be proven"))
            continue
        end = run_end + 1  # include the orphan trail byte
        # Readings of the start, most specific first: (span start, body start).
        starts: list[tuple[int, int]] = []
        if placeholder is not None:
            starts.append((placeholder, placeholder + 1))
        if signature:
            starts.append((pre, pre))
        starts += [(p, p) for p in range(max(run_start, first - 40), first + 1)]
        tried: list[tuple[int, list]] = []
        chosen = None
        for s, body_start in starts:
            body = line[body_start:end]
            narrowed = {k for k in range(len(body) - 1) if body[k] in _NARROW_PUNCT}
            found = _try_shift_repair(body, narrowed, script)
            if not found:
                continue
            tried.append((s, found))
            fits = _settle(found, context_before + line[:s])
            if len(fits) == 1:
                chosen = (s, found, fits[0])
                break
        if chosen is None:
            if tried:
                s, found = tried[0]
                cands, shown = _shown(found)
                message = (f"looks like GBK bytes shifted by one, but the lost lead byte cannot be settled "
                           f"({len(found)} plausible candidates: {shown}); left as is")
            else:
                s, cands = span_start, []
                message = (f"{len(sus)} character(s) unusual for {script} text; no GBK byte-shift reading "
                           "decodes to plausible text; left as is")
            proposals.append(MojibakeProposal(s, end, line[s:end], None, message, cands))
            continue
        s, found, (lead, rep) = chosen
        cands, shown = _shown(found)
        proposals.append(MojibakeProposal(
            s, end, line[s:end], rep,
            f"GBK bytes shifted by one; lost lead byte is ambiguous ({len(found)} candidates decode "
            f"cleanly: {shown}); chose 0x{lead:02X} -> {rep[0]!r}, the only sentence-final "
            f"punctuation before the closing quote {rep[1]!r} of a quote still open; proof: "
            "re-encoding the repair as GBK and dropping the first byte gives the damaged text back",
            cands))
    return proposals


# ---------------------------------------------------------------- language


_STOPWORDS = {
    "en": set("the and of to in is are for with that on by as was were it this from be have has will".split()),
    "de": set("der die das und ist nicht mit sich auf für ein eine einen den dem von zu wird sind auch "
              "im bei nach über wir ich es des".split()),
    "fr": set("le la les des et est une du pour dans qui que sur par avec sont au aux ce cette pas".split()),
    "es": set("el los las y es una del para por que con son en al se lo como más".split()),
}
_LANG_NAMES = {"de": "German", "fr": "French", "es": "Spanish"}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def line_language(text: str) -> str | None:
    """``zh``, ``en`` or ``None`` (blank/neutral) by which letters dominate."""
    han, latin, _ = letter_counts(text)
    if han == 0 and latin == 0:
        return None
    return "zh" if han * 3 >= latin else "en"


def foreign_latin_language(text: str) -> str | None:
    """The name of a non-English Latin language the line reads as, else ``None``."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < 4:
        return None
    hits = {lang: sum(1 for w in words if w in sw) for lang, sw in _STOPWORDS.items()}
    special = any(c in "äöüßÄÖÜ" for c in text)
    for lang in ("de", "fr", "es"):
        if hits[lang] > hits["en"] and (hits[lang] >= 3 or (lang == "de" and special and hits[lang] >= 2)):
            if all(hits[lang] >= hits[o] for o in ("de", "fr", "es")):
                return _LANG_NAMES[lang]
    return None


def check_language(text: str, line: int, path: str) -> str | None:
    """Raise InputError for an unsupported language; return a warning for stray foreign letters."""
    han, latin, other = letter_counts(text)
    if other:
        if other >= 3 and other >= han and other >= latin:
            sample = "".join(c for c in text if is_other_script_letter(c))[:10]
            raise InputError(
                path,
                f"unsupported language/script (letters like {sample!r}); expected English or Chinese",
                line,
            )
        return f"{path}:{line}: {other} letter(s) of a script other than Latin/Chinese; kept as is"
    if line_language(text) == "en":
        foreign = foreign_latin_language(text)
        if foreign:
            raise InputError(path, f"unsupported language: this line reads as {foreign}; expected English or Chinese", line)
    return None


def build_segments(lines: list[dict]) -> list[dict]:
    segments: list[dict] = []
    for entry in lines:
        lang = entry["lang"]
        if lang is None:
            continue
        if segments and segments[-1]["lang"] == lang:
            segments[-1]["last_line"] = entry["line"]
        else:
            segments.append({"lang": lang, "first_line": entry["line"], "last_line": entry["line"]})
    return segments


# ---------------------------------------------------------------- metadata

_LANG_TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _meta_str(value: Any, meta_path: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(meta_path, f"key {key!r}: expected a non-empty string or null, got {value!r}")
    return value.strip()


def _meta_bilingual(value: Any, meta_path: str, key: str) -> dict:
    if value is None:
        return {"en": None, "zh": None}
    if isinstance(value, str):
        text = _meta_str(value, meta_path, key)
        lang = "zh" if any(is_han(c) for c in text) else "en"
        return {"en": None, "zh": None, lang: text}
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in LANG_SUBKEYS)
        if unknown:
            raise InputError(meta_path, f"key {key!r}: unknown sub-key(s) {unknown}; allowed: {list(LANG_SUBKEYS)}")
        return {sub: _meta_str(value.get(sub), meta_path, f"{key}.{sub}") for sub in LANG_SUBKEYS}
    raise InputError(meta_path, f"key {key!r}: expected a string or a mapping with 'en'/'zh', got {value!r}")


def _meta_date(value: Any, meta_path: str) -> str | None:
    """``YYYY-MM-DD`` from a YAML date or a string (metadata is read with dates kept as written,
    :func:`source_files.read_metadata_yaml`, so that ``2022-13-45`` arrives here, not as a crash)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise InputError(meta_path, f"key 'date': expected a date YYYY-MM-DD, got a date and time {value!r}")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError as exc:
            raise InputError(meta_path, f"key 'date': {value.strip()!r} is not a date ({exc}); expected YYYY-MM-DD") from None
    raise InputError(meta_path, f"key 'date': expected a date YYYY-MM-DD, got {value!r}")


def validate_metadata(metadata: Any, meta_path: str, lines: dict[str, int] | None = None) -> dict:
    """Check the parsed ``{source}.yaml`` (or ``sources.yaml`` entry); return the normalized fields
    (``inferred`` empty). ``lines`` (key -> line in ``meta_path``) puts the line in messages."""
    lines = lines or {}
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise InputError(meta_path, f"expected a mapping of {list(METADATA_KEYS)}, got {type(metadata).__name__}",
                         lines.get("entry"))
    unknown = sorted(str(k) for k in metadata if k not in METADATA_KEYS)
    if unknown:
        raise InputError(meta_path, f"unknown key(s) {unknown}; allowed keys: {list(METADATA_KEYS)}",
                         lines.get(unknown[0], lines.get("entry")))
    key = ""
    try:
        key = "url"
        url = _meta_str(metadata.get("url"), meta_path, "url")
        if url is not None and not re.match(r"^https?://\S+$", url):
            raise InputError(meta_path, f"key 'url': expected an http(s) URL or null, got {url!r}")
        key = "languages"
        languages = metadata.get("languages")
        if languages is not None:
            if not isinstance(languages, list) or not languages:
                raise InputError(meta_path, f"key 'languages': expected a non-empty list of language tags, got {languages!r}")
            for tag in languages:
                if not isinstance(tag, str) or not _LANG_TAG_RE.match(tag):
                    raise InputError(meta_path, f"key 'languages': {tag!r} is not a language tag like 'en' or 'zh-Hant'")
                if tag not in SUPPORTED_LANGUAGES:
                    raise InputError(meta_path, f"key 'languages': {tag!r} is not supported; allowed: {list(SUPPORTED_LANGUAGES)}")
            languages = list(languages)
        fields = {}
        for key in ("title", "author"):
            fields[key] = _meta_bilingual(metadata.get(key), meta_path, key)
        key = "date"
        date = _meta_date(metadata.get("date"), meta_path)
        key = "publisher"
        publisher = _meta_str(metadata.get("publisher"), meta_path, "publisher")
        key = "encoding"
        encoding = explicit_codec(metadata["encoding"], meta_path) if metadata.get("encoding") is not None else None
    except InputError as exc:
        if exc.line is None and lines.get(key):
            raise InputError(exc.path, exc.detail, lines[key]) from None
        raise
    return {**fields, "date": date, "publisher": publisher, "url": url, "languages": languages,
            "encoding": encoding, "inferred": []}


def detected_languages(lines: list[dict]) -> list[str]:
    """Language tags from the lines: ``en`` first, then Chinese with its guessed script."""
    langs = {entry["lang"] for entry in lines}
    tags = []
    if "en" in langs:
        tags.append("en")
    if "zh" in langs:
        tags.append(guess_zh_script("".join(e["text"] for e in lines if e["lang"] == "zh")))
    return tags


# ---------------------------------------------------------------- top level


def undo_changes(text: str, changes: list[dict]) -> str:
    """Apply recorded line changes backwards (``after`` → ``before``): the pre-change text."""
    for ch in reversed(changes):
        col = ch["col"]
        if text[col : col + len(ch["after"])] != ch["after"]:
            raise ValueError(f"change {ch} does not match text {text!r}")
        text = text[:col] + ch["before"] + text[col + len(ch["after"]) :]
    return text


def normalize_source(
    raw: bytes,
    source_id: str,
    path: str,
    metadata: dict | None,
    meta_path: str | None = None,
    *,
    fmt: str = "txt",
    meta_lines: dict[str, int] | None = None,
    charset: str | None = None,
) -> dict:
    """Decode and normalize one source; see the module docstring for every step.

    ``metadata`` is the parsed ``{source}.yaml`` (or ``sources.yaml`` entry) or ``None`` when there
    is none; ``meta_path`` names it in messages (default: ``path`` with ``.yaml``) and
    ``meta_lines`` gives its keys' lines. ``fmt`` is the source's format (``txt``, or one that
    :mod:`read_source` reads: its lines may carry a ``loc``, and metadata the document holds fills
    the keys the metadata file leaves out); ``charset`` is the charset an HTTP server declared.
    Raises :class:`~pipeline_io.InputError` for any input a person must fix.
    """
    path = str(path)
    pipeline_io.check_source_id(source_id, path)
    meta_path = str(meta_path) if meta_path else str(Path(path).with_suffix(".yaml"))
    warnings: list[str] = []
    changes: list[dict] = []
    flags: list[dict] = []

    meta = validate_metadata(metadata, meta_path, meta_lines)
    digest = hashlib.sha256(raw).hexdigest()
    document = None
    if fmt == "txt":
        text, encoding = decode_bytes(raw, path, meta["encoding"], meta_path)
        # Newlines (file-level change, line 0).
        kinds = []
        if "\r\n" in text:
            kinds.append("\r\n")
        if re.search(r"\r(?!\n)", text):
            kinds.append("\r")
        if kinds:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            changes.append({"kind": "newline", "line": 0, "col": 0, "before": "+".join(kinds), "after": "\n"})
        if text.endswith("\n"):
            text = text[:-1]
        raw_lines = text.split("\n")
        numbers: Any = range(1, len(raw_lines) + 1)
        locs: list[str | None] = [None] * len(raw_lines)
    else:
        import read_source

        document = read_source.read_document(raw, fmt, path, encoding=meta["encoding"], charset=charset,
                                              meta_path=meta_path)
        raw_lines, numbers, locs, encoding = document.lines, document.numbers, document.locs, document.encoding
        warnings += document.warnings
        text = "\n".join(raw_lines)

    allow_unmarked = _ruby_context(raw_lines)
    zh_script = guess_zh_script(text)
    del text, raw  # peak memory: a large source is held once as lines, not also as bytes and text

    lines: list[dict] = []
    pool: dict[str, str] = {}
    prev_text = ""
    for index, (number, loc) in enumerate(zip(numbers, locs, strict=True)):
        line, raw_lines[index] = raw_lines[index], None  # each line is held once, as read or as normalized
        line, c0 = remove_invisible(line, number)
        line, c1 = normalize_nfc(line, number)
        line, c2 = convert_fullwidth_numbers(line, number)
        line, c3 = strip_ruby(line, number, allow_unmarked)
        line_changes = c0 + c1 + c2 + c3
        # Apply repairs right to left so that each proposal's columns stay valid; recorded in that
        # order, undoing them backwards (left to right) sees the same columns again.
        for prop in sorted(find_mojibake(line, zh_script, prev_text), key=lambda p: p.start, reverse=True):
            if prop.after is not None:
                line_changes.append({
                    "kind": "mojibake", "line": number, "col": prop.start,
                    "before": prop.before, "after": prop.after, "message": prop.message,
                })
                line = line[: prop.start] + prop.after + line[prop.end :]
            else:
                flags.append({"kind": "mojibake-suspect", "line": number, "text": prop.before,
                              "message": f"{path}:{number}: {prop.message}"})
                warnings.append(f"{path}:{number}: possible mojibake {prop.before!r} left as is: {prop.message}")
        warning = check_language(line, number, path)
        if warning:
            warnings.append(warning)
        for change in line_changes:  # one string object per distinct short edit: a 50 MB source can
            for key in ("before", "after"):  # have a million ruby changes of a few hundred kinds
                if len(change[key]) <= 16:
                    change[key] = pool.setdefault(change[key], change[key])
        changes.extend(line_changes)
        entry = {"line": number, "lang": line_language(line), "text": line}
        if loc is not None:
            entry["loc"] = loc
        lines.append(entry)
        prev_text = line

    from_document = _fill_from_document(meta, document.metadata if document else {}, path, warnings)
    segments = build_segments(lines)
    detected = detected_languages(lines)
    if meta["languages"] is None:
        meta["languages"] = detected
        meta["inferred"].append("languages")
    elif set(meta["languages"]) != set(detected):
        declared_in = f"{path} (the document's own metadata)" if "languages" in from_document else meta_path
        warnings.append(f"{declared_in}: languages {meta['languages']} declared, but the text shows {detected}")
    if meta["title"]["en"] is None:
        first_en = next((e for e in lines if e["lang"] == "en"), None)
        if first_en is not None:
            meta["title"]["en"] = first_en["text"].strip()
            meta["inferred"].append("title.en")
            warnings.append(f"{path}:{first_en['line']}: English title inferred from this line")
    if meta["date"] is None:
        warnings.append(f"{meta_path}: no date given; date left empty")
    if metadata is None:
        found = f"; read from the document: {', '.join(from_document)}" if from_document else ""
        warnings.insert(0, f"{meta_path}: metadata file not found{found}; inferring {meta['inferred'] or 'nothing'}")
    if from_document:
        meta["from_document"] = from_document

    result = {
        "source": source_id,
        "path": path,
        "sha256": digest,
        "encoding": encoding,
        "metadata": meta,
        "lines": lines,
        "segments": segments,
        "changes": changes,
        "flags": flags,
        "warnings": warnings,
    }
    if document is not None:
        result["format"] = fmt
        result["extraction"] = document.notes
    return result


def _fill_from_document(meta: dict, found: dict, path: str, warnings: list[str]) -> list[str]:
    """Fill the metadata keys the metadata file left empty from what the document says about itself
    (a page's title, author, date...); a value that does not validate is skipped with a warning.
    Returns the keys filled (``title.en``, ``date``...)."""
    filled = []
    for key, value in found.items():
        try:
            checked = validate_metadata({key: value}, f"{path} (the document's own metadata)")[key]
        except InputError as exc:
            warnings.append(f"{exc}; ignored")
            continue
        if isinstance(checked, dict):
            for sub, text in checked.items():
                if text is not None and meta[key][sub] is None:
                    meta[key][sub] = text
                    filled.append(f"{key}.{sub}")
        elif checked is not None and meta.get(key) is None:
            meta[key] = checked
            filled.append(key)
    return filled


def _first(value: Any) -> str | None:
    """A rule input given as a path, a list of zero or one path, or an empty string."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return str(value) if value else None


def read_job_source(smk) -> dict[str, Any]:
    """Where a job's source and metadata are: ``path``, ``format``, ``metadata`` (parsed),
    ``meta_path``, ``meta_lines``, and for a link the fetch ``receipt`` (whose copy of record
    must still have the recorded SHA-256)."""
    import source_files

    inputs = smk.input
    get = inputs.get if hasattr(inputs, "get") else (lambda key, default=None: getattr(inputs, key, default))
    receipt_path = _first(get("fetched"))
    entry = get("entry")
    job: dict[str, Any] = {"receipt": None, "charset": None, "metadata": None, "meta_lines": None}
    if receipt_path:
        receipt = pipeline_io.read_json(receipt_path)
        job.update(receipt=receipt, path=receipt["file"], format=receipt["format"], charset=receipt.get("charset"))
        if not Path(receipt["file"]).is_file() or pipeline_io.sha256_file(receipt["file"]) != receipt["sha256"]:
            raise InputError(receipt["file"], f"the copy of record of {receipt['url']} is missing or altered "
                             f"(recorded sha256 {receipt['sha256']}); restore it, or fetch again with "
                             "--config refetch=true")
    else:
        job["path"] = _first(get("text"))
        suffix = Path(job["path"]).suffix.lower()
        job["format"] = source_files.FORMATS.get(suffix, "txt")
    if entry:  # a link's metadata, from its sources.yaml entry
        job.update(metadata=entry["meta"], meta_path=entry["file"], meta_lines=entry.get("lines"))
        return job
    meta_in = _first(get("meta"))
    job["meta_path"] = meta_in or str(Path(job["path"]).with_suffix(".yaml"))
    if meta_in and Path(meta_in).exists():
        metadata, job["meta_lines"] = source_files.read_metadata_yaml(meta_in)
        job["metadata"] = {} if metadata is None else metadata
        job["empty_meta"] = metadata is None
    return job


def normalize_job(inputs: Any, source_id: str, logger) -> dict:
    """Read one source as a job gives it (``inputs``: ``text`` or ``fetched``, ``meta``, ``entry``;
    see :func:`read_job_source`), normalize it, log what happened, return the normalized document."""
    from types import SimpleNamespace

    job = read_job_source(SimpleNamespace(input=inputs) if isinstance(inputs, dict) else inputs)
    if job.get("empty_meta"):
        logger.warning("%s: metadata file is empty", job["meta_path"])
    result = normalize_source(Path(job["path"]).read_bytes(), source_id, job["path"], job["metadata"],
                              job["meta_path"], fmt=job["format"], meta_lines=job["meta_lines"],
                              charset=job["charset"])
    receipt = job["receipt"]
    if receipt:
        result.update(url=receipt["url"], version=receipt["version"])
        result["warnings"][:0] = [receipt[key] for key in ("note", "history") if receipt.get(key)]
    for note in result.get("extraction", []):
        logger.info("%s: %s", job["path"], note)
    for warning in result["warnings"]:
        logger.warning("%s", warning)
    logger.info(
        "%s: %s, %d lines, %d changes, %d flags",
        job["path"], result["encoding"], len(result["lines"]), len(result["changes"]), len(result["flags"]),
    )
    return result


def main(smk) -> dict:
    """Normalize the job's source, write the JSON, return the normalized document."""
    def body(logger) -> dict:
        result = normalize_job(smk, smk.wildcards.source, logger)
        pipeline_io.write_json(smk.output.json, result)
        return result

    return pipeline_io.run_main("normalize", smk.log[0] if smk.log else None, body)


def cli(argv: list[str] | None = None) -> None:
    """Command line for one source on its own (the ``extract_figures`` rule runs scripts/extract_source.py)."""
    import argparse

    parser = argparse.ArgumentParser(description="Decode, repair and segment one source into normalized JSON.")
    parser.add_argument("--source", required=True, help="source id")
    parser.add_argument("--text", required=True, help="the source document (.txt, .md, .html, .pdf, .docx)")
    parser.add_argument("--meta", nargs="*", default=[], help="its metadata file, if there is one")
    parser.add_argument("--output", required=True, help="normalized JSON to write")
    parser.add_argument("--log", help="log file")
    args = parser.parse_args(argv)
    main(pipeline_io.job({"text": args.text, "meta": args.meta}, {"json": args.output}, args.log,
                         {"source": args.source}))


if __name__ == "__main__":
    cli()
