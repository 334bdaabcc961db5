"""The analyst's commentary on a period, with every number in it checked against the figures.

Files: ``data/commentary/{briefing}/{period}.en.md`` and ``.zh.md`` (Markdown, both or neither).
What happens to them, in order (:func:`check_commentary`):

1. Read like a source: decoded (UTF-8, UTF-16, GB18030, Big5), NFC, full-width digits made
   ASCII, invisible characters removed (:mod:`normalize`).
2. Placeholders are found and filled (:class:`Values`). ``{metric}`` is the metric's value at the
   period (the newest at or before it) said as the key figures say it, ``{metric.field}`` one of
   :data:`FIELDS`, ``{period}`` and ``{previous_period}`` the two dates; ``{{`` and ``}}`` are
   literal braces. An unknown metric or field, a lone brace, or a value the data does not have is
   an error naming the file and line.
3. The Markdown is parsed (markdown-it-py, CommonMark, raw HTML off, images and code blocks off,
   links only to ``http:``, ``https:`` and ``mailto:``). Each paragraph, heading or list item is
   one line for the figure engine (:func:`extract_figures.extract_figures`), with the placeholders'
   values in place, so the engine reads "{done} of the {total} tasks" as "69 of the 86 tasks" (with
   ``done`` and ``total`` the catalog's ids of those metrics).
4. Every number the analyst wrote literally is checked (:func:`relation`): one the engine
   attributes to a metric is compared with the metric's value at the date its sentence states, or
   else the newest at or before the period; it passes when the data implies it, is an error
   when the data contradicts it, and a warning when neither can be said (a date with no figure,
   a bound the data cannot settle, a flagged reading). A number no metric claims is a warning.
5. The English and the Chinese file must state the same figures (value, qualifier, unit), with
   the placeholders filled: a figure in one language only is an error naming both files.
6. Each language is rendered to an HTML fragment: placeholders as their value with a numbered
   note naming the figure's source (``source:lang:line``), literal numbers that passed with the
   same note, Chinese text converted to the briefing's script.

Check ids (``data/resolutions.yaml`` can decide on any of them, like on reconcile's):

- ``commentary/{briefing}/{period}/{lang}/{metric}``: the literal numbers a metric claimed in one
  language; an error if one contradicts the data, a warning if one cannot be settled. A
  resolution applies only while its ``value`` is the number written.
- ``commentary-number/{briefing}/{period}/{lang}/{number}`` (warning): a number no metric claims.
- ``commentary-languages/{briefing}/{period}/{figure}`` (error): a figure in one language only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import catalog as catalog_module
import chinese_script
import extract_figures
import normalize
import numerals
import pipeline_io
import reconcile
import render_html
from contracts import BLOCKING_FLAGS

LANGS = ("en", "zh")
#: ``{metric.field}``: what each field inserts.
FIELDS = {
    "value": "the value at the period (the newest at or before it), as the key figures say it",
    "label": "the metric's name",
    "date": "the date of that value",
    "share": "a count that a percentage metric is the share of: that share (stated, else computed)",
    "pace": "the same: what an even pace over the programme's window would have reached by the value's date",
    "age": "months from the value's date to the period",
    "previous": "the value in the newest archived briefing before this period",
}
#: Placeholders that are not metrics.
SPECIAL = {"period": "the reporting period", "previous_period": "the period of the newest archived briefing before it"}
#: How far "about" reaches either side of a number, as a share of it.
APPROX = Decimal("0.05")
#: Progress within this share of the even pace counts as on pace (the draft's wording).
ON_PACE = Decimal("0.05")
_MARK = re.compile("\ue000([0-9]+)\ue001")
_BRACES = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_NAME = re.compile(r"([a-z][a-z0-9_]*)(?:\.([a-z_]+))?")
_LINK_SCHEMES = re.compile(r"(?i)\s*(https?:|mailto:)")


class CommentaryError(pipeline_io.BuildStop):
    """The commentary cannot be published as written (a file, a placeholder, a failed check)."""


class PlaceholderError(ValueError):
    """A placeholder that cannot be filled; the caller adds the file and line."""


# ---------------------------------------------------------------------------------- values


@dataclass
class Filled:
    """A placeholder's value in one language: plain text, the figure it states (``key``, None for
    a label) and the note naming where it comes from (None when it needs none)."""

    text: str
    key: tuple[str, str, str] | None
    note: str | None


def figure_key(value: str, qualifier: str = "eq", unit: str = "") -> tuple[str, str, str]:
    """What a figure states, comparable across languages: numbers as decimals (``80.20`` is ``80.2``).

    >>> figure_key("80.20", "eq", "%"), figure_key("2022-05", "eq", "date")
    (('eq', '80.2', '%'), ('eq', '2022-05', 'date'))
    """
    try:
        value = numerals.fmt_decimal(Decimal(value).normalize())
    except InvalidOperation:
        pass
    return (qualifier or "eq", value, unit or "")


def key_text(key: tuple[str, str, str]) -> str:
    """A figure key as a check id part: ``gt:40``, ``80.2%``, ``2022-05``.

    >>> key_text(("gt", "40", "")), key_text(("eq", "80.2", "%")), key_text(("eq", "3", "years"))
    ('gt:40', '80.2%', '3years')
    """
    qualifier, value, unit = key
    return ("" if qualifier == "eq" else f"{qualifier}:") + value + ("" if unit == "date" else unit)


def period_day(period: str) -> dt.date:
    year, month = (int(p) for p in period.split("-"))
    return dt.date(year, month, 1)


def parse_date(text: str) -> dt.date:
    """``2021-04`` or ``2021-04-30`` -> a date (the first of the month when no day is given)."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (as the progress chart counts them).

    >>> months_between(dt.date(2022, 5, 17), dt.date(2026, 11, 1))
    54
    """
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def at_period(rows: list[dict[str, str]], metric: str, period: str) -> list[dict[str, str]]:
    """The rows of ``metric`` dated at or before the end of ``period`` (undated rows too), oldest
    first (undated first): the last one is the metric's value at the period.

    >>> [r["date"] for r in at_period([{"metric": "a", "date": "2026-12-01"}, {"metric": "a", "date": "2026-11-30"},
    ...                                {"metric": "a", "date": ""}], "a", "2026-11")]
    ['', '2026-11-30']
    """
    return sorted((r for r in rows if r["metric"] == metric and r["date"][:7] <= period), key=lambda r: r["date"])


def evidence_refs(row: dict[str, str], lang: str, limit: int = 2) -> str:
    """The row's provenance in ``lang`` (``source:lang:line``; any language if none in it)."""
    refs = [r for r in (row.get("evidence") or "").split(";") if r]
    mine = [r for r in refs if r.split(":")[1:2] == [lang]] or refs
    return ", ".join(mine[:limit])


class Values:
    """Fills placeholders from the metrics at a period (and the previous archived briefing)."""

    def __init__(self, *, cat: catalog_module.Catalog, metrics: list[dict[str, str]], period: str,
                 strings: dict[str, Any], script: str = "hant", previous: dict[str, Any] | None = None):
        self.cat, self.metrics, self.period, self.script = cat, metrics, period, script
        self.strings = {**strings, "zh": chinese_script.convert_tree(strings["zh"], script)}
        self.previous = previous

    # ---- small helpers
    def text(self, lang: str, *path: str, **fmt: Any) -> str:
        node: Any = self.strings[lang]["commentary"]
        for key in path:
            node = node[key]
        return str(node).format(**fmt)

    def label(self, metric: str, lang: str) -> str:
        text = self.cat.metrics[metric].label.get(lang, metric)
        return chinese_script.convert(text, self.script) if lang == "zh" else text

    def counter(self, metric: str, lang: str) -> str:
        given = self.cat.metrics[metric].counter.get(lang, "") if metric in self.cat.metrics else ""
        return chinese_script.convert(given, self.script) if lang == "zh" else given

    def say(self, row: dict[str, str], lang: str) -> str:
        """A value as the key figures say it ("more than 40", "40餘項", "80.2%", "April 2021")."""
        return render_html.format_figure(row, lang, self.strings, self.counter(row["metric"], lang))

    def current(self, metric: str) -> dict[str, str] | None:
        rows = at_period(self.metrics, metric, self.period)
        return rows[-1] if rows else None

    def row_note(self, row: dict[str, str], lang: str) -> str:
        date = render_html.format_date(row["date"], lang) if row["date"] else self.text(lang, "notes", "undated")
        note = self.text(lang, "notes", "figure", label=self.label(row["metric"], lang), date=date,
                         refs=evidence_refs(row, lang))
        if row.get("status") == "resolved":
            note += self.text(lang, "notes", "resolved")
        return note

    def share_metric(self, metric: str) -> tuple[str, str] | None:
        """(percentage metric, denominator) for a count that a percentage metric is the share of."""
        for m in self.cat.metrics.values():
            if m.share_of and m.share_of["numerator"] == metric:
                return m.id, m.share_of["denominator"]
        return None

    def window(self) -> tuple[dict[str, str], dict[str, str]]:
        """The rows giving the programme's start and its length: the metrics with ``role: start`` and
        ``role: duration`` in the catalog, at the period."""
        found = {}
        for role in ("start", "duration"):
            metric = self.cat.role(role)
            row = self.current(metric.id) if metric else None
            if not row:
                raise PlaceholderError(f"no metric with role {role!r} has a value at {self.period}: "
                                       "the programme's window (start and length) is unknown")
            found[role] = row
        return found["start"], found["duration"]

    # ---- the placeholders
    def fill(self, name: str, field_: str, lang: str) -> Filled:
        if name in SPECIAL:
            if field_:
                raise PlaceholderError(f"{{{name}}} takes no field (found .{field_})")
            if name == "period":
                return Filled(render_html.format_date(self.period, lang), figure_key(self.period, "eq", "date"), None)
            if not self.previous:
                raise PlaceholderError(f"{{previous_period}}: the archive holds no briefing before {self.period}")
            period = self.previous.get("period", "")
            return Filled(render_html.format_date(period, lang), figure_key(period, "eq", "date"),
                          self.text(lang, "notes", "archive", period=render_html.format_date(period, lang)))
        if name not in self.cat.metrics:
            raise PlaceholderError(f"unknown metric {name!r} in {{{name}{'.' + field_ if field_ else ''}}}; "
                                   f"the catalog has: {', '.join(self.cat.metrics)}, and {', '.join(SPECIAL)}")
        field_ = field_ or "value"
        if field_ not in FIELDS:
            raise PlaceholderError(f"unknown field {field_!r} in {{{name}.{field_}}}; fields: {', '.join(FIELDS)}")
        if field_ == "label":
            return Filled(self.label(name, lang), None, None)
        if field_ == "previous":
            return self._previous(name, lang)
        row = self.current(name)
        if row is None:
            raise PlaceholderError(f"{{{name}{'' if field_ == 'value' else '.' + field_}}}: metrics.csv has no value "
                                   f"of {name!r} at or before {self.period}")
        if field_ == "value":
            return Filled(self.say(row, lang), figure_key(row["value"], row["qualifier"], row["unit"]),
                          self.row_note(row, lang))
        if not row["date"]:
            raise PlaceholderError(f"{{{name}.{field_}}}: the value of {name!r} has no date (its sources are undated)")
        if field_ == "date":
            return Filled(render_html.format_date(row["date"], lang), figure_key(row["date"], "eq", "date"),
                          self.row_note(row, lang))
        if field_ == "age":
            months = months_between(parse_date(row["date"]), period_day(self.period))
            return Filled(self.text(lang, "units", "months", value=months), figure_key(str(months), "eq", "months"),
                          self.row_note(row, lang))
        if field_ == "share":
            return self._share(name, row, lang)
        return self._pace(name, row, lang)

    def _previous(self, name: str, lang: str) -> Filled:
        if not self.previous:
            raise PlaceholderError(f"{{{name}.previous}}: the archive holds no briefing before {self.period}")
        rows = sorted((r for r in self.previous.get("metrics", []) if r.get("metric") == name), key=lambda r: r["date"])
        period = self.previous.get("period", "")
        if not rows:
            raise PlaceholderError(f"{{{name}.previous}}: the briefing for {period} had no value of {name!r}")
        row = rows[-1]
        return Filled(self.say(row, lang), figure_key(row["value"], row["qualifier"], row["unit"]),
                      self.text(lang, "notes", "previous", label=self.label(name, lang),
                                period=render_html.format_date(period, lang)))

    def _share(self, name: str, row: dict[str, str], lang: str) -> Filled:
        found = self.share_metric(name)
        if not found:
            raise PlaceholderError(f"{{{name}.share}}: no percentage metric of the catalog is the share of {name!r} "
                                   "(share_of: numerator)")
        share_id, denominator = found
        stated = [r for r in at_period(self.metrics, share_id, self.period) if r["date"] == row["date"]]
        if stated:
            return self.fill(share_id, "value", lang)
        whole = ([r for r in at_period(self.metrics, denominator, self.period) if r["date"] == row["date"]]
                 or at_period(self.metrics, denominator, self.period))
        if not whole:
            raise PlaceholderError(f"{{{name}.share}}: metrics.csv has no value of {denominator!r} at or before {self.period}")
        try:
            value = (Decimal(row["value"]) / Decimal(whole[-1]["value"]) * 100).quantize(Decimal("0.1"))
        except (InvalidOperation, ZeroDivisionError):
            raise PlaceholderError(f"{{{name}.share}}: {row['value']!r} / {whole[-1]['value']!r} is not a share") from None
        computed = {"metric": share_id, "value": str(value), "qualifier": "eq", "unit": "%", "date": row["date"]}
        refs = "; ".join(dict.fromkeys(evidence_refs(r, lang, 1) for r in (row, whole[-1])))
        return Filled(self.say(computed, lang), figure_key(str(value), "eq", "%"),
                      self.text(lang, "notes", "computed", label=self.label(share_id, lang), refs=refs))

    def _pace(self, name: str, row: dict[str, str], lang: str) -> Filled:
        found = self.share_metric(name)
        if not found:
            raise PlaceholderError(f"{{{name}.pace}}: no percentage metric of the catalog is the share of {name!r}, "
                                   "so there is no target to pace against")
        target = self.current(found[1])
        if target is None:
            raise PlaceholderError(f"{{{name}.pace}}: metrics.csv has no value of {found[1]!r} at or before {self.period}")
        start_row, years_row = self.window()
        try:
            start, years, total = parse_date(start_row["value"]), int(Decimal(years_row["value"])), Decimal(target["value"])
        except (ValueError, InvalidOperation):
            raise PlaceholderError(f"{{{name}.pace}}: the window ({start_row['value']!r}, {years_row['value']!r} "
                                   "years) or the target is not readable") from None
        end = years_later(start, years)
        elapsed = min(max((parse_date(row["date"]) - start).days, 0), (end - start).days)
        value = (total * elapsed / (end - start).days).quantize(Decimal("1"))
        pace = {"metric": name, "value": str(value), "qualifier": "approx", "unit": "", "date": row["date"]}
        refs = "; ".join(dict.fromkeys(evidence_refs(r, lang, 1) for r in (target, start_row, years_row)))
        return Filled(self.say(pace, lang), figure_key(str(value), "approx", ""),
                      self.text(lang, "notes", "pace", label=self.label(name, lang),
                                start=render_html.format_date(start_row["value"], lang), years=years, refs=refs))

    def pace_comparison(self, name: str) -> str:
        """``ahead``, ``behind`` or ``on_pace``: ``name``'s value against its even pace (for the draft)."""
        row = self.current(name)
        pace = Decimal(self.fill(name, "pace", "en").key[1])
        done = Decimal(row["value"])
        if pace and abs(done - pace) <= pace * ON_PACE:
            return "on_pace"
        return "ahead" if done > pace else "behind"


# ---------------------------------------------------------------------------------- checking numbers


@dataclass(frozen=True)
class Interval:
    """The numbers a stated figure allows; ``None`` is unbounded."""

    lo: Decimal | None
    hi: Decimal | None
    lo_open: bool = False
    hi_open: bool = False

    def within(self, other: Interval) -> bool:
        """Every number of ``self`` is in ``other``."""
        lo_ok = other.lo is None or (self.lo is not None and (
            self.lo > other.lo or (self.lo == other.lo and (not other.lo_open or self.lo_open))))
        hi_ok = other.hi is None or (self.hi is not None and (
            self.hi < other.hi or (self.hi == other.hi and (not other.hi_open or self.hi_open))))
        return lo_ok and hi_ok

    def meets(self, other: Interval) -> bool:
        """Some number is in both."""
        def below(a: Interval, b: Interval) -> bool:  # a lies wholly below b
            return a.hi is not None and b.lo is not None and (a.hi < b.lo or (a.hi == b.lo and (a.hi_open or b.lo_open)))
        return not below(self, other) and not below(other, self)


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def interval(value: str, qualifier: str, finer_than: int | None = None) -> Interval:
    """The numbers "``qualifier`` ``value``" allows: "about" reaches :data:`APPROX` either side; an
    exact number with fewer decimals than the figure it is compared with (``finer_than``) stands
    for what rounds to it ("80 %" for 80.2 %), as a stated share is checked at its precision.

    >>> interval("40", "gt")
    Interval(lo=Decimal('40'), hi=None, lo_open=True, hi_open=False)
    >>> i = interval("80", "eq", finer_than=1); (i.lo, i.hi, i.hi_open)
    (Decimal('79.5'), Decimal('80.5'), True)
    """
    v = Decimal(value)
    if qualifier == "gt":
        return Interval(v, None, lo_open=True)
    if qualifier == "ge":
        return Interval(v, None)
    if qualifier == "lt":
        return Interval(None, v, hi_open=True)
    if qualifier == "le":
        return Interval(None, v)
    if qualifier == "approx":
        return Interval(v - abs(v) * APPROX, v + abs(v) * APPROX)
    if finer_than is not None and places(v) < finer_than:
        half = Decimal(5).scaleb(-places(v) - 1)
        return Interval(v - half, v + half, hi_open=True)
    return Interval(v, v)


def relation(data: dict[str, str], stated: dict[str, str]) -> str:
    """What a metrics row says about a stated figure (``value``, ``qualifier``, ``unit``):
    ``implied`` (the data says at least as much), ``contradicted`` (they cannot both be true) or
    ``open`` (the data cannot settle it: a bound, a date more precise than the data's).

    >>> row = {"value": "69", "qualifier": "eq", "unit": ""}
    >>> [relation(row, {"value": v, "qualifier": q, "unit": ""}) for v, q in
    ...  [("69", "eq"), ("71", "eq"), ("60", "gt"), ("70", "approx"), ("70", "lt"), ("75", "approx")]]
    ['implied', 'contradicted', 'implied', 'implied', 'implied', 'contradicted']
    >>> relation({"value": "40", "qualifier": "gt", "unit": ""}, {"value": "45", "qualifier": "eq", "unit": ""})
    'open'
    >>> relation({"value": "80.2", "qualifier": "eq", "unit": "%"}, {"value": "80", "qualifier": "eq", "unit": "%"})
    'implied'
    >>> [relation({"value": "2021-04", "qualifier": "eq", "unit": "date"}, {"value": v, "qualifier": "eq", "unit": "date"})
    ...  for v in ("2021-04", "2021", "2021-04-12", "2021-05")]
    ['implied', 'implied', 'open', 'contradicted']
    """
    if (data.get("unit") or "") != (stated.get("unit") or ""):
        return "open"
    if data.get("unit") == "date":
        if data["value"].startswith(stated["value"]):
            return "implied"
        return "open" if stated["value"].startswith(data["value"]) else "contradicted"
    try:
        dq = data.get("qualifier") or "eq"
        mine = interval(data["value"], dq)
        theirs = interval(stated["value"], stated.get("qualifier") or "eq",
                          places(Decimal(data["value"])) if dq == "eq" else None)
    except InvalidOperation:
        return "open"
    if mine.within(theirs):
        return "implied"
    return "open" if mine.meets(theirs) else "contradicted"


def shown_row(row: dict[str, str]) -> str:
    """A metrics row for a message: ``done = 69 (2022-05-17; source:en:5, source:zh:26)``."""
    qualifier = "" if row.get("qualifier", "eq") == "eq" else f"{row['qualifier']} "
    return (f"{row['metric']} = {qualifier}{row['value']}{row.get('unit') if row.get('unit') == '%' else ''} "
            f"({row.get('date') or 'undated'}; {(row.get('evidence') or 'no source').replace(';', ', ')})")


def judge_literal(figure: dict[str, str], rows: list[dict[str, str]], stated_dates: list[str]) -> tuple[str, str, dict | None]:
    """(``pass``, ``error`` or ``warning``; why; the metrics row it was held against) for a literal
    number the engine attributed to a metric. ``rows`` are the metric's rows at or before the period,
    oldest first; ``stated_dates`` the dates its sentence states (that no metric claimed)."""
    if not rows:
        return "warning", "no value of this metric at or before the period to check it against", None
    if stated_dates:
        dated = [r for r in rows if r["date"] and any(r["date"].startswith(d) or d.startswith(r["date"])
                                                      for d in stated_dates)]
        if dated:
            verdicts = [(relation(r, figure), r) for r in dated]
            for wanted, outcome, said in (("implied", "pass", "implied by"), ("open", "warning", "cannot be settled by"),
                                          ("contradicted", "error", "contradicts")):
                hit = next((r for v, r in verdicts if v == wanted), None)
                if hit:
                    return outcome, f"{said} {shown_row(hit)}, the value at the date its sentence states", hit
    newest = rows[-1]
    verdict = relation(newest, figure)
    if verdict == "implied":
        return "pass", f"implied by {shown_row(newest)}", newest
    if verdict == "open":
        return "warning", f"cannot be settled by {shown_row(newest)}", newest
    older = next((r for r in reversed(rows[:-1]) if relation(r, figure) == "implied"), None)
    if older:
        return ("warning", f"matches {shown_row(older)}, not the newest value {shown_row(newest)}: "
                "say which date it is", older)
    if stated_dates:
        return ("warning", f"its sentence states {', '.join(stated_dates)}, for which there is no value; the newest "
                f"value {shown_row(newest)} differs", newest)
    return "error", f"contradicts {shown_row(newest)}", newest


# ---------------------------------------------------------------------------------- Markdown


def markdown_parser():
    """CommonMark with raw HTML off (it is shown as text), no images (nothing is fetched), no code
    blocks (an indented paragraph stays prose), links only to web and mail addresses."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "code", "fence", "html_block", "html_inline"])
    md.validateLink = lambda url: bool(_LINK_SCHEMES.match(url))
    return md


def read_lines(raw: bytes, path: str) -> list[str]:
    """The file's lines, decoded and normalized as sources are (see :mod:`normalize`)."""
    text, _ = normalize.decode_bytes(raw, path)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if re.search("[\ue000-\uf8ff]", line):
            raise pipeline_io.InputError(path, "a private-use character; remove it", number)
        line, _ = normalize.remove_invisible(line, number)
        line, _ = normalize.normalize_nfc(line, number)
        line, _ = normalize.convert_fullwidth_numbers(line, number)
        out.append(line)
    return out


@dataclass
class Placeholder:
    name: str
    field: str
    line: int
    written: str


def find_placeholders(lines: list[str], path: str) -> tuple[str, list[Placeholder], list[str]]:
    """The text with each placeholder replaced by a marker, the placeholders, and the problems
    (``path:line: message``).

    >>> text, found, problems = find_placeholders(["{done} of {{86}}", "{x.y.z} {"], "c.md")
    >>> text.split("\\n")[0], [(p.name, p.field) for p in found]
    ('\\ue0000\\ue001 of {86}', [('done', '')])
    >>> problems
    ["c.md:2: '{x.y.z}' is not a placeholder: write {metric} or {metric.field} (lower-case), or {{ for a brace", \
"c.md:2: a lone '{': write {{ for a brace, or close the placeholder"]
    """
    found: list[Placeholder] = []
    problems: list[str] = []
    out = []
    for number, line in enumerate(lines, start=1):
        def swap(m: re.Match) -> str:
            token = m.group(0)
            if token in ("{{", "}}"):
                return token[0]
            if m.group(1) is None:
                problems.append(f"{path}:{number}: a lone {token!r}: write {token * 2} for a brace, or "
                                f"{'close' if token == '{' else 'open'} the placeholder")
                return token
            name = _NAME.fullmatch(m.group(1).strip())
            if not name:
                problems.append(f"{path}:{number}: {token!r} is not a placeholder: write {{metric}} or "
                                "{metric.field} (lower-case), or {{ for a brace")
                return token
            found.append(Placeholder(name.group(1), name.group(2) or "", number, token))
            return f"\ue000{len(found) - 1}\ue001"
        out.append(_BRACES.sub(swap, line))
    return "\n".join(out), found, problems


@dataclass
class Block:
    """One paragraph, heading or list item: its inline token, the engine's text (placeholders
    filled), where each placeholder's value lies in that text, and where each child starts."""

    token: Any
    line: int
    text: str = ""
    spans: list[tuple[int, int, int]] = field(default_factory=list)         # start, end, placeholder index
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)   # child, child offset, start, end
    breaks: list[int] = field(default_factory=list)                          # offsets of line breaks

    def line_at(self, offset: int) -> int:
        return self.line + sum(1 for b in self.breaks if b < offset)


def blocks_of(tokens, filled: list[Filled]) -> list[Block]:
    """The engine's view of each inline block: its children's text with every marker replaced by
    the placeholder's value, and the maps back to the children."""
    blocks = []
    for token in tokens:
        if token.type != "inline":
            continue
        block = Block(token, token.map[0] + 1 if token.map else 0)
        parts: list[str] = []
        pos = 0
        for ci, child in enumerate(token.children or []):
            if child.type in ("softbreak", "hardbreak"):
                block.breaks.append(pos)
                parts.append(" ")
                pos += 1
                continue
            if child.type not in ("text", "code_inline"):
                continue
            content, last = child.content, 0
            for m in _MARK.finditer(content):
                if m.start() > last:
                    block.pieces.append((ci, last, pos, pos + m.start() - last))
                    parts.append(content[last:m.start()])
                    pos += m.start() - last
                value = filled[int(m.group(1))].text
                block.spans.append((pos, pos + len(value), int(m.group(1))))
                parts.append(value)
                pos += len(value)
                last = m.end()
            if last < len(content):
                block.pieces.append((ci, last, pos, pos + len(content) - last))
                parts.append(content[last:])
                pos += len(content) - last
        block.text = "".join(parts)
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------------------------- one language


@dataclass
class LangResult:
    lang: str
    path: str
    html: str = ""
    notes: list[str] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)

    def keys(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """Each figure this language states, with where it first does."""
        out: dict[tuple[str, str, str], dict[str, Any]] = {}
        for f in self.figures:
            if f["key"] is not None:
                out.setdefault(tuple(f["key"]), f)
        return out


def _escape(text: str) -> str:
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(text)


def analyse(raw: bytes, path: str, lang: str, values: Values, *, briefing: str, logger=None) -> LangResult:
    """Fill, read, check and render one language's commentary. Raises :class:`CommentaryError`
    for a placeholder that cannot be filled (all of them, each with its line)."""
    from markdown_it.token import Token

    result = LangResult(lang, path)
    text, placeholders, problems = find_placeholders(read_lines(raw, path), path)
    filled: list[Filled] = []
    for p in placeholders:
        try:
            filled.append(values.fill(p.name, p.field, lang))
        except PlaceholderError as exc:
            problems.append(f"{path}:{p.line}: {exc}")
            filled.append(Filled(p.written, None, None))
    if problems:
        raise CommentaryError("the commentary has placeholders that cannot be filled:\n  - " + "\n  - ".join(problems)
                              + "\nSee README, \"Commentary\", for the placeholders and their fields.")
    md = markdown_parser()
    tokens = md.parse(text)
    for token in tokens:  # the briefing's sections are h2, its subsections h3: a commentary heading is below them
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 3)}"
    blocks = blocks_of(tokens, filled)
    doc = {"source": f"commentary-{lang}", "path": path, "metadata": {"date": values.period},
           "lines": [{"line": b.line, "lang": lang, "text": b.text} for b in blocks]}
    rows = extract_figures.extract_figures(doc, values.cat, logger=logger)
    ref = numerals.parse_reference(values.period)
    by_block = {b.line: b for b in blocks}
    kinds = {(b.line, t.start, t.end): t.kind for b in blocks for t in numerals.tokenize(b.text, lang, ref)}
    # Notes are numbered in reading order: (block line, offset, note, what carries the number).
    events: list[tuple[int, int, str, Any]] = []
    placeholder_figures: dict[int, dict[str, Any]] = {}
    for block in blocks:
        for s, _, index in block.spans:
            f, p = filled[index], placeholders[index]
            if f.key is not None:
                placeholder_figures[index] = {"origin": "placeholder", "line": block.line_at(s), "written": p.written,
                                              "text": f.text, "key": list(f.key), "status": "pass", "note": None,
                                              "metric": p.name if p.name in values.cat.metrics else ""}
            if f.note:
                events.append((block.line, s, f.note, index))
    result.figures.extend(placeholder_figures[i] for i in sorted(placeholder_figures))
    checked: dict[str, list[tuple[str, str, dict]]] = {}
    unclaimed: dict[str, list[dict]] = {}
    for row in rows:
        block = by_block[row["line"]]
        start, end = int(row["start"]), int(row["end"])
        if any(s < end and start < e for s, e, _ in block.spans):
            continue  # a placeholder's own value
        if lang == "en" and row["match"].lower() == "one" and not row["metric"] and not row.get("candidate"):
            continue  # "when one appears", "one of them": a pronoun, as the engine reads it (it claims none)
        line = block.line_at(start)
        where = f"{path}:{line}"
        figure = {"origin": "literal", "line": line, "written": row["match"], "text": row["match"],
                  "key": list(figure_key(row["value"], row["qualifier"], row["unit"])) if row["value"] else None,
                  "metric": row["metric"], "note": None, "status": "pass"}
        result.figures.append(figure)
        flags = set((row.get("flags") or "").split(";")) - {""}
        if row["metric"] and row["value"] and not flags & set(BLOCKING_FLAGS):
            sentence_dates = [r["value"] for r in rows if r["line"] == row["line"] and r["unit"] == "date"
                              and not r["metric"] and r["value"] and r["evidence"] == row["evidence"]]
            outcome, why, held = judge_literal(row, at_period(values.metrics, row["metric"], values.period),
                                               sentence_dates)
            figure["status"] = outcome
            message = f"{where}: {row['match']!r} ({row['metric']}) {why}"
            checked.setdefault(row["metric"], []).append((outcome, message, {"value": row["value"], "where": where,
                                                                            "held": held}))
            if outcome == "pass" and held is not None:
                events.append((block.line, end, values.row_note(held, lang), figure))
            continue
        kind = kinds.get((row["line"], start, end), "num")
        if row["unit"] == "date" and not row["metric"] and row["value"] and _known_date(row["value"], values):
            figure["status"] = "reference"
            continue  # the date of a figure, the period or the previous briefing: it places the sentence in time
        reason = ("the figure engine flagged it (" + ", ".join(sorted(flags)) + ")" if flags else
                  f"it resembles {row['candidate']}" if row.get("candidate") else
                  "an ordinal" if kind == "ord" else "no metric claims it")
        figure["status"] = "warning"
        unclaimed.setdefault(" ".join(row["match"].split()), []).append(
            {"message": f"{where}: {row['match']!r}: {reason}", "value": row["value"], "where": where})
    notes: dict[str, int] = {}
    numbers: list[int | None] = [None] * len(filled)
    marks: dict[int, list[tuple[int, int]]] = {}   # block line -> (offset, note number) after a verified literal
    for line, offset, note, target in sorted(events, key=lambda e: (e[0], e[1])):
        number = notes.setdefault(note, len(notes) + 1)
        if isinstance(target, int):
            numbers[target] = number
            if target in placeholder_figures:
                placeholder_figures[target]["note"] = number
        else:
            target["note"] = number
            marks.setdefault(line, []).append((offset, number))
    result.checks = _literal_checks(checked, unclaimed, briefing, values.period, lang)
    result.notes = list(notes)
    result.html = render_fragment(md, tokens, blocks, filled, numbers, marks, lang, values.script, Token)
    return result


def _known_date(value: str, values: Values) -> bool:
    """A stated date that is the period, the previous briefing's, or the date of a figure."""
    dates = {values.period} | {r["date"] for r in values.metrics if r["date"]}
    if values.previous:
        dates.add(values.previous.get("period", ""))
    return any(d and (d.startswith(value) or value.startswith(d)) for d in dates)


def _literal_checks(checked, unclaimed, briefing: str, period: str, lang: str) -> list[dict[str, Any]]:
    out = []
    for metric, items in sorted(checked.items()):
        outcomes = {o for o, _, _ in items}
        severity = "error" if "error" in outcomes else "warning" if "warning" in outcomes else "error"
        ok = outcomes == {"pass"}
        evidence = [i["where"] for _, _, i in items]
        evidence += [e for _, _, i in items if i["held"] for e in (i["held"].get("evidence") or "").split(";") if e]
        out.append({"id": f"commentary/{briefing}/{period}/{lang}/{metric}", "severity": severity,
                    "status": "pass" if ok else "fail", "metric": metric,
                    "message": "; ".join(m for _, m, _ in items), "evidence": list(dict.fromkeys(evidence)),
                    "values": sorted({i["value"] for _, _, i in items})})
    for number, items in sorted(unclaimed.items()):
        out.append({"id": f"commentary-number/{briefing}/{period}/{lang}/{number}", "severity": "warning",
                    "status": "fail", "metric": "",
                    "message": "; ".join(i["message"] for i in items) + ": a number that matches no metric",
                    "evidence": [i["where"] for i in items], "values": sorted({i["value"] for i in items})})
    return out


def render_fragment(md, tokens, blocks: list[Block], filled: list[Filled], numbers: list[int | None], marks,
                    lang: str, script: str, Token) -> str:
    """HTML of the commentary: each placeholder as its value and its note's number, each verified
    literal number followed by its note's number, Chinese text in the briefing's script."""
    for block in blocks:
        cuts: dict[int, list[tuple[int, str, str]]] = {}  # child -> (offset, kind, payload)
        for ci, child in enumerate(block.token.children or []):
            if child.type in ("text", "code_inline"):
                for m in _MARK.finditer(child.content):
                    cuts.setdefault(ci, []).append((m.start(), "mark", m.group(0)))
        for end, number in marks.get(block.line, []):
            for ci, offset, start, stop in block.pieces:
                if start < end <= stop:
                    cuts.setdefault(ci, []).append((offset + end - start, "note", str(number)))
                    break
        children = []
        for ci, child in enumerate(block.token.children or []):
            if child.type == "code_inline":
                child.content = _MARK.sub(lambda m: filled[int(m.group(1))].text, child.content)
            if child.type != "text":
                children.append(child)
                continue
            last = 0
            for offset, kind, payload in sorted(cuts.get(ci, []), key=lambda c: (c[0], c[1] != "note")):
                if offset > last:
                    children.append(_text(Token, child.content[last:offset], lang, script))
                    last = offset
                if kind == "note":
                    children.append(_html(Token, f'<sup class="ref">{payload}</sup>'))
                    continue
                index = int(_MARK.fullmatch(payload).group(1))
                f = filled[index]
                html = f'<span class="figure">{_escape(f.text)}</span>' if f.key is not None else _escape(f.text)
                if numbers[index]:
                    html += f'<sup class="ref">{numbers[index]}</sup>'
                children.append(_html(Token, html))
                last = offset + len(payload)
            if last < len(child.content):
                children.append(_text(Token, child.content[last:], lang, script))
        block.token.children = children
    return md.renderer.render(tokens, md.options, {})


def _text(Token, content: str, lang: str, script: str):
    token = Token("text", "", 0)
    token.content = chinese_script.convert(content, script) if lang == "zh" else content
    return token


def _html(Token, content: str):
    token = Token("html_inline", "", 0)
    token.content = content
    return token


# ---------------------------------------------------------------------------------- both languages


def describe(key: tuple[str, str, str]) -> str:
    """A figure key in words, for messages.

    >>> describe(("gt", "40", "")), describe(("eq", "2022-05", "date"))
    ('more than 40 (gt 40)', 'the date 2022-05')
    """
    qualifier, value, unit = key
    if unit == "date":
        return f"the date {value}"
    words = {"eq": "", "gt": "more than ", "ge": "at least ", "lt": "less than ", "le": "at most ", "approx": "about "}
    text = f"{words.get(qualifier, '')}{value}{'%' if unit == '%' else (' ' + unit if unit else '')}"
    return text if qualifier == "eq" else f"{text} ({qualifier} {value})"


def language_checks(results: dict[str, LangResult], briefing: str, period: str) -> list[dict[str, Any]]:
    """The two languages state the same figures (placeholders filled): one error per figure stated in
    one language only, naming both files; one passing check when they agree."""
    keys = {lang: results[lang].keys() for lang in LANGS}
    out = []
    for key in sorted(set(keys["en"]) ^ set(keys["zh"])):
        have = "en" if key in keys["en"] else "zh"
        lacks = "zh" if have == "en" else "en"
        f = keys[have][key]
        out.append({
            "id": f"commentary-languages/{briefing}/{period}/{key_text(key)}", "severity": "error", "status": "fail",
            "metric": f.get("metric") or "",
            "message": (f"{results[have].path}:{f['line']}: {f['text']!r} states {describe(key)}, but "
                        f"{results[lacks].path} does not: the English and the Chinese commentary must state the "
                        "same figures"),
            "evidence": [f"{results[have].path}:{f['line']}", results[lacks].path], "values": [key[1]]})
    if not out:
        out.append({"id": f"commentary-languages/{briefing}/{period}", "severity": "error", "status": "pass",
                    "metric": "", "message": f"{results['en'].path} and {results['zh'].path} state the same "
                    f"{len(keys['en'])} figures", "evidence": [results["en"].path, results["zh"].path], "values": []})
    return out


def apply_resolutions(checks: list[dict[str, Any]], resolutions: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Decisions from the resolutions file on the commentary's checks. A decision applies only while
    its ``value`` is a number the check is about: edit the number, and the decision must be made again.

    >>> c = [{"id": "commentary/b/2026-11/en/done", "status": "fail", "values": ["71"], "message": "m"}]
    >>> apply_resolutions(c, {c[0]["id"]: {"value": "71", "by": "A", "why": "w"}})[0]["status"]
    'resolved'
    >>> apply_resolutions(c, {c[0]["id"]: {"value": "72", "by": "A", "why": "w"}})[0]["status"]
    'fail'
    """
    usable = {}
    out = []
    for c in checks:
        decision = resolutions.get(c["id"])
        if decision and c["status"] == "fail":
            if any(reconcile.same_value(str(decision["value"]), v) for v in c.get("values", [])):
                usable[c["id"]] = decision
            else:
                c = {**c, "message": c["message"] + f" (the resolution for this check decides on "
                     f"{decision['value']!r}, not on the number written, so it does not apply)"}
        out.append(c)
    return reconcile.apply_resolutions(out, usable)


def check_commentary(files: dict[str, str], raws: dict[str, bytes], values: Values, *, briefing: str,
                     resolutions: dict[str, dict[str, Any]] | None = None,
                     resolutions_path: str = "data/resolutions.yaml", logger=None) -> dict[str, Any]:
    """The commentary of one briefing and period, checked and rendered (``files``: the expected
    path per language; ``raws``: the bytes of those that exist). Raises :class:`CommentaryError`
    when one language is missing or a check of severity error fails without a decision."""
    period = values.period
    out: dict[str, Any] = {"briefing": briefing, "period": period, "written": False, "files": files, "inputs": {},
                           "html": {}, "notes": {}, "figures": {}, "checks": []}
    if not raws:
        return out
    missing = [lang for lang in LANGS if lang not in raws]
    if missing:
        have = next(lang for lang in LANGS if lang in raws)
        raise CommentaryError(f"{files[have]} has no counterpart {files[missing[0]]}: the commentary is written in "
                              f"both languages or not at all (write the other file, or remove {files[have]})")
    results = {lang: analyse(raws[lang], files[lang], lang, values, briefing=briefing, logger=logger) for lang in LANGS}
    checks = [c for lang in LANGS for c in results[lang].checks] + language_checks(results, briefing, period)
    checks = apply_resolutions(checks, resolutions or {})
    errors = reconcile.blocking(checks)
    if errors:
        raise CommentaryError("the commentary does not agree with the figures:\n"
                              + reconcile.format_blocking(errors, resolutions_path).replace(
                                  '"<the value to publish>"', '"<the number as the commentary writes it>"'))
    out.update({
        "written": True,
        "inputs": {files[lang]: hashlib.sha256(raws[lang]).hexdigest() for lang in LANGS},
        "html": {lang: results[lang].html for lang in LANGS},
        "notes": {lang: results[lang].notes for lang in LANGS},
        "figures": {lang: results[lang].figures for lang in LANGS},
        "checks": checks,
    })
    return out


# ---------------------------------------------------------------------------------- the first draft


def _words(values: Values, metric: str, lang: str) -> tuple[str, str]:
    """(noun, done form of the event) of a count metric, as its catalog entry writes them first:
    ("tasks", "implemented") / ("任務", "實施")."""
    raw = (values.cat.raw.get("metrics") or {}).get(metric) or {}
    nouns = (raw.get("counts") or {}).get(lang) or [""]
    events = (raw.get("event") or {}).get(lang) or [""]
    if lang == "en":
        done = [form for form, state in catalog_module.verb_forms(events[0]).items() if state == "done"] if events[0] else []
        return (catalog_module.plural(nouns[0]) if nouns[0] else ""), (done[0] if done else events[0])
    return chinese_script.convert(nouns[0], values.script), chinese_script.convert(events[0], values.script)


def draft(values: Values, stale_after_months: int = 2) -> dict[str, str]:
    """A first draft of both files from the metrics at the period, written with placeholders: progress
    against the plan and against an even pace (for every percentage metric that is a share of two
    counts), the other headline results (``role: output``), what changed since the newest
    archived briefing, and how old the newest figure is (when older than ``stale_after_months``).
    Metrics are found through the catalog (``share_of``, roles), not by name."""
    paragraphs: dict[str, list[str]] = {lang: [] for lang in LANGS}

    def say(key: str, **fmt: Any) -> None:
        for lang in LANGS:
            given = {k: (v(lang) if callable(v) else v) for k, v in fmt.items()}
            paragraphs[lang].append(values.text(lang, "draft", key, **given))

    for share in values.cat.metrics.values():
        if share.kind != "percent" or not share.share_of:
            continue
        part, whole = share.share_of["numerator"], share.share_of["denominator"]
        row = values.current(part)
        if row is None or not row["date"] or values.current(whole) is None:
            continue
        say("progress", date=f"{{{part}.date}}", done=f"{{{part}}}", total=f"{{{whole}}}",
            noun=lambda lang: _words(values, part, lang)[0], event=lambda lang: _words(values, part, lang)[1],
            share=f"{{{part}.share}}")
        try:
            comparison = values.pace_comparison(part)
            start, years = values.window()
        except (PlaceholderError, InvalidOperation, TypeError):
            continue
        say("pace", years=f"{{{years['metric']}}}", start=f"{{{start['metric']}}}", pace=f"{{{part}.pace}}",
            noun=lambda lang: _words(values, part, lang)[0], event=lambda lang: _words(values, part, lang)[1],
            comparison=lambda lang: values.text(lang, "draft", comparison))
    outputs = [m.id for m in values.cat.outputs() if values.current(m.id)]
    if outputs:
        say("outputs", items=lambda lang: values.text(lang, "draft", "separator").join(
            values.text(lang, "draft", "item", label=f"{{{m}.label}}", value=f"{{{m}}}") for m in outputs))
    if values.previous is None:
        say("no_archive")
    else:
        before = {r["metric"]: r for r in render_html.latest_per_metric(values.previous.get("metrics", []), [])}
        changed = []
        for m in values.cat.metrics:
            now, old = values.current(m), before.get(m)
            if now and (old is None or not reconcile.same_value(now["value"], old["value"])
                        or now["qualifier"] != old["qualifier"]):
                changed.append((m, old is None))
        if changed:
            say("changed", period="{previous_period}", items=lambda lang: values.text(lang, "draft", "separator").join(
                values.text(lang, "draft", "new" if new else "change", label=f"{{{m}.label}}", before=f"{{{m}.previous}}",
                            after=f"{{{m}}}") for m, new in changed))
        else:
            say("unchanged", period="{previous_period}")
    dated = [r for r in (values.current(m) for m in values.cat.metrics) if r and r["date"]]
    if dated:
        newest = max(dated, key=lambda r: r["date"])
        if months_between(parse_date(newest["date"]), period_day(values.period)) > stale_after_months:
            say("old", date=f"{{{newest['metric']}.date}}", age=f"{{{newest['metric']}.age}}")
    return {lang: "\n\n".join(paragraphs[lang]) + "\n" for lang in LANGS}


def write_draft(paths: dict[str, str], texts: dict[str, str]) -> list[str]:
    """Write both files of a draft; never overwrite: if either exists, nothing is written and the
    existing files are returned."""
    from pathlib import Path

    existing = [p for p in paths.values() if Path(p).exists()]
    if existing:
        return existing
    for lang, path in paths.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": fails rather than overwrite
            handle.write(texts[lang])
    return []
