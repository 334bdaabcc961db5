"""Extract every figure of one normalized source and say which catalog metric each one is.

Three layers, each a module with its own tests:

1. :mod:`numerals`: what each number is (value, qualifier, unit, measure word; dates resolved
   against the source's date: the metadata date, else the first full date the text states).
2. :mod:`figure_context`: what it is about (the noun it counts, the events of its clause and
   whether they happened, the relations between numbers: part of a whole, share of a part).
3. this module: which metric claims it (:func:`claim`), by meaning, from the catalog
   (:mod:`catalog`): a count metric claims a number that counts one of its nouns, with its
   event done (if it names one), with one of its ``with`` words in the clause (if it names
   some); a metric without an event is a total, never claimed by a part or beside a done event
   of a metric counting the same thing. Where several metrics fit, the one matching more wins; a
   tie is reported, not guessed. A percentage is claimed through its part ("69 (80.2%)" with
   69 claimed by the numerator metric), its whole ("80.2% of the 86 tasks" with progress in its
   clause) or a name ("implementation rate of 80.2%"). A date is claimed by the event it is the
   date of; a duration by the thing that lasts ("three-year pilot") or a name ("為期三年").

Output: one row per number with the columns :data:`contracts.FIGURE_COLUMNS`. A number no metric
claimed keeps ``metric == ""``; if it sits next to a catalog word, ``candidate`` names the metric
it resembles and why it was not claimed, so nothing is silently dropped. ``flags`` carries what
is wrong with a figure (a count that is not whole, a share above 100 %, a part larger than its
whole, a separator that could be read two ways, an unresolved relative date); reconcile turns
them into checks.

List markers (``1)``, ``（一）``, ``一是``) and bare Chinese numeral characters that are part of a
word (``一帶一路``, ``唯一``) are not figures. Ordinals (``2nd``, ``第二年``) are, with unit ``""``.
"""

import datetime as _dt
import logging
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import catalog as catalog_module
import figure_context
import numerals
import pipeline_io
from contracts import FIGURE_COLUMNS, LANGS, QUALIFIERS, UNITS

LOG = logging.getLogger("extract_figures")
COLUMNS = FIGURE_COLUMNS
__all__ = ["COLUMNS", "QUALIFIERS", "UNITS", "extract_figures", "load_catalog", "claim", "main"]

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def load_catalog(path: str | Path) -> catalog_module.Catalog:
    """The checked catalog (see :mod:`catalog`)."""
    return catalog_module.load(path)


# ----------------------------------------------------------------------------------- text helpers
def sentence_bounds(text: str) -> list[int]:
    """Where the quoted evidence may end: sentence ends ('.' only before a space, a quote or the end)
    and semicolons, which in lists ("1) …; 2) …") end the item a figure belongs to."""
    ends = figure_context.SENTENCE_END | figure_context.ZH_SENTENCE_END
    return [e - 1 for s, e in figure_context.sentence_spans(text, "zh") if e > s and (text[e - 1] in ends
                                                                                     or text[e - 1] == ".")]


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


def reference_date(normalized: dict, where: str, logger: logging.Logger) -> tuple[_dt.date | None, str]:
    """(date, where it came from) that relative dates resolve against: the metadata date, else the
    first full date the text states, else None (relative dates then get no value, and a warning)."""
    meta = normalized.get("metadata") or {}
    date = meta.get("date") if isinstance(meta, dict) else None
    if date not in (None, ""):
        ref = numerals.parse_reference(str(date))
        if ref is not None:
            return ref, "metadata"
        logger.warning("%s: metadata date %r is not ISO (YYYY[-MM[-DD]]); relative dates get no value", where, date)
        return None, ""
    stated = numerals.first_stated_date([(e["text"], line_lang(e)) for e in normalized["lines"]])
    return (stated, "text") if stated else (None, "")


def _check_normalized(normalized: Any, where: str) -> None:
    if not isinstance(normalized, dict) or not isinstance(normalized.get("lines"), list):
        raise pipeline_io.InputError(where, "expected a normalized source with a 'lines' list")
    for i, entry in enumerate(normalized["lines"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not isinstance(entry.get("line"), int):
            raise pipeline_io.InputError(where, f"lines[{i}] must have an integer 'line' and a string 'text'")
        if entry.get("lang") not in (*LANGS, None):
            raise pipeline_io.InputError(where, f"unknown lang {entry.get('lang')!r} (expected en, zh or null)", entry["line"])


# ----------------------------------------------------------------------------------- claims
class Claim:
    """The outcome of :func:`claim` for one number: a metric and why, or a candidate and why not."""

    __slots__ = ("metric", "how", "candidate")

    def __init__(self, metric: str = "", how: str = "", candidate: str = ""):
        self.metric, self.how, self.candidate = metric, how, candidate


def _how(**parts: str | None) -> str:
    """``key=value`` pairs joined by ``;``: how a figure was claimed, or why it was not (``why`` is a
    code the briefing explains in both languages: ``explain`` in the string catalogs)."""
    return ";".join(f"{k}={v}" for k, v in parts.items() if v)


def _w(term) -> str:
    """A term as the source writes it (quoted in the briefing), without the separators of ``_how``."""
    return " ".join((term.written or term.text).replace(";", " ").replace("=", " ").split())


def parse_how(text: str) -> dict[str, str]:
    """The pairs of a ``claim`` or ``candidate`` cell.

    >>> parse_how("metric=done;why=event-not-done;term=implement;state=planned")["why"]
    'event-not-done'
    """
    return dict(part.split("=", 1) for part in (text or "").split(";") if "=" in part)


def _count_fit(metric, tok, ctx, lang, lex, others) -> tuple[int, str, str]:
    """(score, reason it does not fit or "", how it fits) of a count metric for a number."""
    reasons, score, how = [], 0, {"noun": _w(ctx.noun), "found": ctx.noun_how}
    if ctx.of_which or ctx.set_aside:
        reasons.append(_how(why="subset"))  # "其中：專項資金政策 | 6", "another 15 projects": not the figure
    elif ctx.future and not metric.event.get(lang) and not any(m.event.get(lang) for m in others):
        reasons.append(_how(why="target"))  # "will launch 15 projects": an output not yet there
    if (lang == "zh" and not tok.classifier and ctx.whole is None and not ctx.is_whole
            and ctx.noun_how not in ("after", "label")):
        reasons.append(_how(why="no-measure-word"))
    if tok.classifier:
        counter = catalog_module.fold(tok.classifier, "zh")
        allowed = {catalog_module.fold(c, "zh") for c in metric.counter.values()}
        if counter not in figure_context.ZH_GENERIC_COUNTERS and counter not in allowed:
            reasons.append(_how(why="measure-word", term=tok.classifier))
    withs = [w.text for w in ctx.withs if w.text in metric.with_.get(lang, [])]
    if metric.with_.get(lang):
        if withs:
            score += 1
            how["with"] = _w(next(w for w in ctx.withs if w.text == withs[0]))
        else:
            reasons.append(_how(why="no-with"))
    events = metric.event.get(lang, {})
    if events:
        mine = [(e, state) for e, state in ctx.events if e.text in events]
        done = [e for e, state in mine if state == "done"]
        if done:
            score += 1
            how["event"] = _w(done[0])
        elif mine:
            reasons.append(_how(why="event-not-done", term=_w(mine[0][0]), state=mine[0][1]))
        else:
            reasons.append(_how(why="no-event"))
    else:
        # a total of something whose progress is counted too (tasks in the plan / tasks done): a subset
        # ("the remaining 18") or a dated target is not it; a lone count ("另有逾20項改革") may be new ones
        paired = any(m.event.get(lang) for m in others)
        if withs:
            pass  # a metric told apart by its own words ("featured") is not the total of its noun
        elif ctx.whole is not None:
            reasons.append(_how(why="part"))
        elif ctx.subset and paired:
            reasons.append(_how(why="subset"))
        elif ctx.target and paired:
            reasons.append(_how(why="target"))
        sibling_events = {t for m in others if m.event.get(lang) for t in m.event[lang]}
        progress = [e for e in ctx.clause_done if e.text in sibling_events]
        if progress and not ctx.is_whole and not withs:
            reasons.append(_how(why="progress", term=_w(progress[0])))
    return score, " | ".join(reasons), _how(**how)


def claim(i: int, line: figure_context.Line, cat: catalog_module.Catalog, lex, claimed: dict[int, str]) -> Claim:
    """Which metric claims token ``i`` of ``line`` (``claimed``: metrics of the line's tokens so far);
    none where the clause names another programme (the catalog's ``elsewhere``): a candidate then."""
    found = _claim(i, line, cat, lex, claimed)
    ctx = line.contexts.get(i)
    if found.metric and ctx is not None:
        start = ctx.clause[0] if line.lang == "zh" else ctx.sentence[0]  # an English subject may stand further back
        reach = ctx.sentence[0]
        if ctx.noun is not None and ctx.noun.start < start:  # a noun from before (a topic, the sentence before)
            start = reach = min(ctx.sentence[0], figure_context._span_of(
                figure_context.sentence_spans(line.text, line.lang), ctx.noun.start)[0])
        other = lex.elsewhere.search(line.folded, start, ctx.clause[1]) if lex.elsewhere is not None else None
        tok = line.tokens[i]
        other = other or _other_programme(line, reach, tok.start)
        if other:
            written = line.text[other.start():other.end()]
            return Claim(candidate=_how(metric=found.metric, why="elsewhere",
                                        term=" ".join(written.replace(";", " ").replace("=", " ").split())))
    return found


def _other_programme(line: figure_context.Line, start: int, end: int):
    """Another programme named between ``start`` and ``end`` and not only to compare (see
    :data:`figure_context.OTHER_PROGRAMME`)."""
    lang = line.lang
    for m in figure_context.OTHER_PROGRAMME[lang].finditer(line.folded, start, end):
        if figure_context.OTHER_COMPARED[lang].search(line.folded[max(start, m.start() - 30):m.start()]):
            continue
        if lang == "zh" and figure_context.ZH_OTHER_COMPARED_AFTER.match(line.folded[m.end():m.end() + 8]):
            continue
        return m
    return None


def _claim(i: int, line: figure_context.Line, cat: catalog_module.Catalog, lex, claimed: dict[int, str]) -> Claim:
    tok, ctx, lang = line.tokens[i], line.contexts.get(i), line.lang
    if ctx is None:
        return Claim()
    metrics = list(cat.metrics.values())
    if tok.kind == "date":
        for m in metrics:
            if m.kind != "date":
                continue
            mine = [(e, state) for e, state in ctx.events if e.text in m.event.get(lang, {})]
            if any(state == "done" for _, state in mine):
                return Claim(m.id, _how(event=_w(mine[0][0])))
            if mine:
                return Claim(candidate=_how(metric=m.id, why="event-not-done", term=_w(mine[0][0]),
                                            state=mine[0][1]))
        return Claim()
    if tok.unit == "years":
        if re.search(r"[周週]年$", line.text[tok.start:tok.end]):
            return Claim()  # 一周年: an anniversary, not how long something runs
        for m in metrics:
            if m.kind != "years":
                continue
            if ctx.noun is not None and ctx.noun.text in m.counts.get(lang, []) and (
                    ctx.noun_how in ("after", "label") or ctx.noun_how == "before" and _states_duration(line, ctx, tok)):
                return Claim(m.id, _how(noun=_w(ctx.noun), found=ctx.noun_how))
            if ctx.name is not None and ctx.name.text in m.names.get(lang, []):
                if lang == "zh" and (re.search(r"[了已]", line.folded[ctx.name.end:tok.start])
                                     or ctx.name.text == "用" and _progress_after(line, i)):
                    return Claim()  # 用了兩年時間: time spent so far, not how long the pilot runs
                return Claim(m.id, _how(name=_w(ctx.name)))
            if lang == "zh" and re.search(r"(?:在|用)$", line.folded[:tok.start]) and re.match(
                    r"(?:内|時間|时间)", line.folded[tok.end:]) and not _progress_after(line, i):
                return Claim(m.id, _how(name=line.text[tok.start - 1] + "…" + line.text[tok.end]))  # 在三年內, 用三年時間
        return Claim()
    if tok.unit in ("%", "pp"):
        return _claim_percent(tok, ctx, line, metrics, lang, claimed)
    if tok.unit != "" or ctx.noun is None:
        return Claim()
    if lang == "en" and line.text[tok.number_start:tok.end].lower() == "one" and ctx.noun_how != "after":
        return Claim()  # "the only one", "one of them": a pronoun, not a count
    fitting = [m for m in metrics if m.kind == "count" and ctx.noun.text in m.counts.get(lang, [])]
    if not fitting:
        return Claim()
    scored = []
    for m in fitting:
        score, reason, how = _count_fit(m, tok, ctx, lang, lex, [o for o in fitting if o is not m])
        scored.append((score, m.id, reason, how))
    good = [s for s in scored if not s[2]]
    if not good:
        best = max(scored, key=lambda s: s[0])
        return Claim(candidate=_how(metric=best[1]) + ";" + best[2].split(" | ")[0])
    top = max(s[0] for s in good)
    winners = [s for s in good if s[0] == top]
    if len(winners) > 1:
        return Claim(candidate=_how(metric="|".join(s[1] for s in winners), why="tie"))
    return Claim(winners[0][1], winners[0][3])


def _progress_after(line, i: int) -> bool:
    """A length followed in its sentence by progress made, a part of the whole done ("用不到一年半的時間，
    讓132項任務中的110項落地"): the time it took, not how long the pilot runs."""
    tok, ctx = line.tokens[i], line.contexts[i]
    return any(c.sentence == ctx.sentence and line.tokens[j].start > tok.end and c.whole is not None
               and any(state == "done" for _, state in c.events) for j, c in line.contexts.items())


_DURATION_LINK = {"is", "was", "will", "be", "shall", "should", "must", "not", "exceed", "last", "lasts", "run", "runs",
                  "of", "set", "at", "for", "the", "a", "in", "principle", "generally", "has", "have"}
_ELAPSED_AFTER = re.compile(r"\s*(?:来|以来|多来|后|後|前|ago\b|later\b|since\b|on\b|in\b|into\b)")
_ELAPSED = re.compile(r"\b(?:been|running|since|ago|past|under\s*way|into)\b|已经|已|以来")


def _states_duration(line, ctx, tok) -> bool:
    """"The pilot period shall not exceed three years", "試點期三年": the thing that lasts, then its
    length; not "the pilot has been running for three years" (time elapsed)."""
    after = line.folded[tok.end:tok.end + 8]
    gap = line.folded[ctx.noun.end:tok.start]
    if _ELAPSED.search(gap) or _ELAPSED_AFTER.match(after):
        return False
    if line.lang == "zh":
        return not re.sub(r"为|是|期|共|计|总|定为|原则上|一般|[：:\s]", "", gap)
    return all(w in _DURATION_LINK for w in re.findall(r"[a-z']+", gap))


#: Words of a change before a percentage: a growth rate, not a share of a whole.
_CHANGE = {"en": re.compile(r"\b(?:rose|rise|rises|risen|rising|grew|grow|grown|growth|up|down|increased?|increases|"
                            r"jump(?:ed|s)?|climb(?:ed|s)?|fell|fall|drop(?:ped|s)?|year[- ]on[- ]year|from|by)\b"),
           "zh": re.compile(r"增长|增加|提高|上升|下降|减少|同比|环比|较|比上|比去|增幅|涨")}


def _claim_percent(tok, ctx, line, metrics, lang, claimed: dict[int, str]) -> Claim:
    percent = [m for m in metrics if m.kind == "percent"]
    for m in percent:
        if tok.unit != m.unit:
            continue
        if ctx.name is not None and ctx.name.text in m.names.get(lang, []):
            return Claim(m.id, _how(name=_w(ctx.name)))
        share = m.share_of or {}
        if ctx.part is not None and share and claimed.get(ctx.part) == share["numerator"]:
            return Claim(m.id, _how(share="part"))
        if ctx.share_whole is not None and share and claimed.get(ctx.share_whole) == share["denominator"]:
            numerator = next(x for x in metrics if x.id == share["numerator"])
            done = [e for e in ctx.clause_done if e.text in numerator.event.get(lang, {})]
            if done:
                return Claim(m.id, _how(share="whole", event=_w(done[0])))
            return Claim(candidate=_how(metric=m.id, why="share-not-done"))
        if share and ctx.noun is not None and ctx.part is None and ctx.share_whole is None:
            # "75 percent of its tasks have been completed", "任務完成近九成": the share's own noun and
            # its numerator's event, with no parts stated and no change named ("rose 12 percent")
            numerator = next(x for x in metrics if x.id == share["numerator"])
            done = [e for e in ctx.clause_done if e.text in numerator.event.get(lang, {})]
            if ctx.noun.text in numerator.counts.get(lang, []) and done and not _CHANGE[lang].search(
                    line.folded[ctx.clause[0]:tok.start]):
                return Claim(m.id, _how(noun=_w(ctx.noun), found=ctx.noun_how, event=_w(done[0])))
    for m in percent:  # "That works out to 78.2 percent", "也就是百分之九十三": beside its count, no tie stated
        share = m.share_of or {}
        if tok.unit != m.unit or not share or ctx.part is not None or ctx.share_whole is not None:
            continue
        if _beside_its_count(tok, ctx, line, share, claimed, metrics, lang):
            return Claim(m.id, _how(share="beside"))
    if ctx.part is not None and claimed.get(ctx.part):
        owners = [m.id for m in percent if (m.share_of or {}).get("numerator") == claimed[ctx.part]]
        if not owners:
            return Claim(candidate=_how(metric=claimed[ctx.part], why="no-share-metric"))
    return Claim()


def _beside_its_count(tok, ctx, line, share: dict, claimed: dict[int, str], metrics, lang: str) -> bool:
    """Whether a percentage that no relation ties to anything is the share of the count its share
    metric counts, stated in the same sentence or the one before or after: a count of the numerator
    there, no change named before it ("rose 12 percent"), and no other thing it is a share of
    ("35 percent of the investment", "佔地區生產總值的58%")."""
    numerator = next(x for x in metrics if x.id == share["numerator"])
    denominator = next((x for x in metrics if x.id == share["denominator"]), None)
    own = set(numerator.counts.get(lang, [])) | set(denominator.counts.get(lang, []) if denominator else [])
    if ctx.noun is not None and ctx.noun.text not in own:
        return False
    if _CHANGE[lang].search(line.folded[ctx.clause[0]:tok.start]):
        return False
    after = line.folded[tok.end:tok.end + 40]
    if lang == "en" and re.match(r"\s+of\s+(?!the\s+(?:plan|total|tasks?)\b|(?:its|our|their)\s+(?:plan|tasks?)\b|"
                                 r"them\b|(?:the\s+)?(?:[a-z]+'s\s+)?tasks?\b)", after):
        return False
    if lang == "zh" and re.search(r"[占佔][^，,。；;]{1,12}的?$", line.folded[ctx.clause[0]:tok.start]) and ctx.noun is None:
        return False
    sentences = sorted({c.sentence for c in line.contexts.values()})
    here = sentences.index(ctx.sentence)
    near = set(sentences[max(0, here - 1):here + 2])
    return any(mid == share["numerator"] and line.contexts[k].sentence in near for k, mid in claimed.items())


# ----------------------------------------------------------------------------------- flags
def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def figure_flags(tok: numerals.Token, metric: str, cat: catalog_module.Catalog, whole_value: str | None) -> list[str]:
    """Problems of one figure: the token's own, plus those its metric and relations reveal."""
    flags = list(tok.flags)
    value = _decimal(tok.value)
    kind = cat.metrics[metric].kind if metric else ""
    if value is not None:
        if kind == "count" and value != value.to_integral_value():
            flags.append("not-whole")
        if kind == "count" and value < 0:
            flags.append("negative-count")
        if tok.unit == "%" and (value > 100 or value < 0) and (kind == "percent"):
            flags.append("share-range")
        whole = _decimal(whole_value) if whole_value else None
        if whole is not None and value > whole:
            flags.append("part-exceeds-whole")
    return flags


# ----------------------------------------------------------------------------------- extraction
def extract_figures(normalized: dict, cat, *, logger: logging.Logger | None = None) -> list[dict]:
    """All figures of a normalized source, as rows with the keys :data:`COLUMNS`, sorted by (line, start).

    ``cat`` is a :class:`catalog.Catalog` (a parsed YAML mapping is checked on the fly).
    """
    return list(iter_figures(normalized, cat, logger=logger))


_LEXICONS: dict[int, tuple] = {}


def lexicons_for(cat: catalog_module.Catalog) -> dict[str, "figure_context.Lexicon"]:
    """The catalog's words compiled for matching, once per catalog (a batch job reads many sources)."""
    cached = _LEXICONS.get(id(cat))
    if cached is None or cached[0] is not cat:
        cached = (cat, {lang: figure_context.build_lexicon(cat, lang) for lang in LANGS})
        _LEXICONS.clear()
        _LEXICONS[id(cat)] = cached
    return cached[1]


def iter_figures(normalized: dict, cat, *, logger: logging.Logger | None = None):
    """:func:`extract_figures` one row at a time, in (line, start) order: a large source's figures are
    written as they are found, never all held at once."""
    logger = logger or LOG
    if not isinstance(cat, catalog_module.Catalog):
        cat = catalog_module.validate(cat)
    source = str(normalized.get("source", "")) if isinstance(normalized, dict) else ""
    where = str(normalized.get("path") or source or "<normalized>") if isinstance(normalized, dict) else "<normalized>"
    _check_normalized(normalized, where)
    ref, ref_from = reference_date(normalized, where, logger)
    lexicons = lexicons_for(cat)

    headers = table_headers(normalized["lines"], lexicons)
    row_langs = table_langs(normalized["lines"], headers)
    found: dict[str, dict[str, list[int]]] = {m: {lang: [] for lang in LANGS} for m in cat.metrics}
    langs_present: set[str] = set()
    carry: dict[str, figure_context.Carry | None] = {lang: None for lang in LANGS}  # what a line leaves the next
    titled_elsewhere = ""  # the other programme the text line above a table names, if any
    for entry in normalized["lines"]:
        text, number = entry["text"], entry["line"]
        lang = row_langs.get(number) or line_lang(entry)
        if not text.strip():
            continue
        langs_present.add(lang)
        loc = str(entry.get("loc") or number)
        in_table = figure_context.is_table_row(text)
        if in_table and headers.get(number) != []:
            line = figure_context.read_row(text, lang, lexicons[lang], ref, headers.get(number))
            carry[lang] = None
        else:
            line = figure_context.read_line(text, lang, lexicons[lang], ref, carry.get(lang))
            carry[lang] = figure_context.carry_of(line, lexicons[lang], carry.get(lang))
        if not in_table:  # a table under a title naming another programme is that programme's
            other = lexicons[lang].elsewhere.search(line.folded) if lexicons[lang].elsewhere else None
            titled_elsewhere = text[other.start():other.end()] if other else ""
        bounds = sentence_bounds(text)
        claimed: dict[int, str] = {}
        claims: dict[int, Claim] = {}
        # counts, dates and durations first, then the shares that lean on them
        order = sorted(range(len(line.tokens)), key=lambda k: line.tokens[k].unit in ("%", "pp"))
        for i in order:
            c = claim(i, line, cat, lexicons[lang], claimed)
            if c.metric and in_table and titled_elsewhere:
                c = Claim(candidate=_how(metric=c.metric, why="elsewhere", term=" ".join(titled_elsewhere.split())))
            claims[i] = c
            if c.metric:
                claimed[i] = c.metric

        def ref_of(k: int | None) -> str:
            return f"{number}:{line.tokens[k].start}" if k is not None else ""

        for i, tok in enumerate(line.tokens):
            if tok.kind == "marker":
                continue
            ctx = line.contexts.get(i)
            c = claims.get(i) or Claim()
            whole = ctx.whole if ctx else None
            part = ctx.part if ctx else None
            share_whole = ctx.share_whole if ctx else None
            flags = figure_flags(tok, c.metric, cat, line.tokens[whole].value if whole is not None else None)
            for flag in flags:
                if flag == "date-unresolved":
                    logger.warning("%s:%s: relative date %r and no date to resolve it against (no metadata date, "
                                   "no full date in the text): no value given", where, number, text[tok.start:tok.end])
                elif flag in ("impossible-date", "unreadable", "ambiguous-separator"):
                    logger.warning("%s:%s: %s: %r", where, number, flag, text[tok.start:tok.end])
            if tok.kind == "num" and tok.unit == "" and not c.metric and not (ctx and ctx.noun) and not _has_context(
                    text, tok, lang):
                logger.warning("%s:%s: number %r without recognisable context", where, number, text[tok.start:tok.end])
            yield ({
                "source": source, "lang": lang, "metric": c.metric, "value": tok.value,
                "qualifier": tok.qualifier, "unit": tok.unit, "line": number, "loc": loc,
                "start": tok.start, "end": tok.end, "match": text[tok.start:tok.end], "claim": c.how,
                "part": ref_of(part), "whole": ref_of(whole if whole is not None else share_whole),
                "candidate": c.candidate, "flags": ";".join(flags),
                "evidence": evidence_for(text, tok.start, tok.end, bounds),
            })
            if c.metric:
                found[c.metric][lang].append(number)
    if ref_from == "text":
        logger.info("%s: no metadata date; relative dates resolved against %s, the first full date in the text",
                    where, ref.isoformat())
    if set(LANGS) <= langs_present:
        for metric_id, per_lang in found.items():
            have = [lang for lang in LANGS if per_lang[lang]]
            if len(have) == 1:
                lines = ", ".join(map(str, sorted(set(per_lang[have[0]]))))
                logger.warning("%s: metric %r found only in %s (line %s) although the source has en and zh text",
                               where, metric_id, have[0], lines)


def table_headers(lines: list[dict], lexicons) -> dict[int, list[str]]:
    """Line number of each table row -> the cells of its table's heading row: the first row of a run
    of ``|`` rows whose cells (after the first) hold no quantity."""
    out: dict[int, list[str]] = {}
    header: list[str] | None = None
    for entry in lines:
        text = entry["text"]
        if not figure_context.is_table_row(text):
            header = None
            continue
        spans = figure_context.cells(text)
        values = [numerals.tokenize(text[s:e], line_lang(entry)) for s, e in spans[1:]]
        if header is None and not any(t.kind == "num" for toks in values for t in toks):
            header = [text[s:e] for s, e in spans]
            out[entry["line"]] = []
            continue
        if header is not None:
            out[entry["line"]] = header
    return out


def table_langs(lines: list[dict], headers: dict[int, list[str]]) -> dict[int, str]:
    """A table row with no words ("94 | 81 | 84.6%") is in the language of its table's heading."""
    out, current = {}, None
    for entry in lines:
        if entry["line"] not in headers:
            current = None
            continue
        if headers[entry["line"]] == []:
            current = line_lang(entry)
        elif entry.get("lang") not in LANGS and current:
            out[entry["line"]] = current
    return out


def _has_context(text: str, tok: numerals.Token, lang: str) -> bool:
    if tok.unit or tok.classifier or tok.qualifier != "eq":
        return True
    rest = text[tok.end:].lstrip()
    if lang == "en":
        return bool(rest) and rest[0].isalpha()
    return bool(rest and _CJK_RE.match(rest[0]))


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
        cat = load_catalog(snakemake.input.catalog)
        rows = extract_figures(normalized, cat, logger=logger)
        pipeline_io.atomic_write_text(snakemake.output.csv, rows_to_csv(rows))
        attributed = sum(1 for r in rows if r["metric"])
        candidates = sum(1 for r in rows if r["candidate"])
        logger.info("%s: %d figures, %d attributed to catalog metrics, %d candidates", normalized.get("source", path),
                    len(rows), attributed, candidates)

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
