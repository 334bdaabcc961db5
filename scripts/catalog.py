"""The metric catalog (``config/metrics.yaml``): its only reader.

:func:`load` reads the YAML, checks it against ``config/catalog.schema.yaml`` (JSON Schema,
with fastjsonschema: compiled checks, ~30 ms to import against ~125 ms for jsonschema, which
matters in a job that runs once per source) and against the rules a schema cannot say (a
``share_of`` names two count metrics of this catalog; a count metric says what it counts...),
then derives what the figure engine matches:

* English nouns in the singular get their plural (``city`` -> ``cities``, ``province and
  city`` -> ``provinces and cities``); English verbs get their forms, each with what it says about
  the event: ``implemented`` (done), ``implementing`` (ongoing), ``implement``/``implements``
  (plain), ``implementation`` (a noun for the event); irregular verbs from a small table.
* Chinese words are matched in Simplified: a catalog written in either script matches text in
  either (:func:`fold` maps a line to Simplified character by character, so offsets stay valid).

A metric may have a ``role`` (:data:`ROLES`): what it is to the briefing's charts and text
(the plan's target, the count of progress, its share, the start of the plan, how long it runs, a
headline output). Charts and templates ask :meth:`Catalog.role` for a metric; no code names a
metric id, so a catalog for another programme, with other ids, builds the same briefing.

Errors are :class:`pipeline_io.InputError` naming the catalog file, the metric and the key.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pipeline_io

LANGS = ("en", "zh")
KINDS = ("count", "percent", "years", "date")
DEFAULT_UNIT = {"count": "", "percent": "%", "years": "years", "date": "date"}
UNITS_OF_KIND = {"count": {""}, "percent": {"%", "pp"}, "years": {"years"}, "date": {"date"}}
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "config" / "catalog.schema.yaml"
WORD_KEYS = ("counts", "event", "with", "names")
#: Role -> the kind of metric that can play it. Every role but ``output`` belongs to one metric at most.
ROLES = {"target": "count", "progress": "count", "progress_share": "percent", "start": "date", "duration": "years",
         "output": "count"}
MANY = ("output",)
#: The roles a briefing needs (its progress and phases charts): checked before any job runs.
BRIEFING_ROLES = ("target", "progress", "start", "duration")


# ----------------------------------------------------------------------------------- folding
@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Simplified Chinese, same length as ``text`` (character by character if a phrase rule
    would change the length), so a match in the result is a match at the same offsets.

    >>> to_simplified("總體方案任務")
    '总体方案任务'
    """
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c) == 1 else t for t, c in ((t, _t2s().convert(t)) for t in text))


def fold(text: str, lang: str) -> str:
    """The form matching runs on, with the same length as ``text``: English lower-cased, with
    hyphens and curly apostrophes made plain; Chinese in Simplified.

    >>> fold("First‐Of‐Its‐Kind’s", "en"), fold("已實施", "zh")
    ("first-of-its-kind's", '已实施')
    """
    if lang == "zh":
        return to_simplified(text)
    return text.lower().translate(_EN_FOLD)


_EN_FOLD = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'", "\u2018": "'"})


# ----------------------------------------------------------------------------------- English forms
_IRREGULAR = {
    "put": ["put"], "set": ["set"], "run": ["ran", "run"], "begin": ["began", "begun"], "make": ["made"],
    "take": ["took", "taken"], "bring": ["brought"], "build": ["built"], "give": ["gave", "given"],
    "hold": ["held"], "lay": ["laid"], "get": ["got", "gotten"], "do": ["did", "done"], "see": ["saw", "seen"],
    "draw": ["drew", "drawn"], "write": ["wrote", "written"], "draw up": ["drew up", "drawn up"],
    "greenlight": ["greenlit", "greenlighted"], "lead": ["led"], "win": ["won"], "send": ["sent"],
    "be": ["was", "were", "been", "is", "are"], "receive": ["received"], "grant": ["granted"],
    "break": ["broke", "broken"], "choose": ["chose", "chosen"], "grow": ["grew", "grown"], "know": ["knew", "known"],
    "leave": ["left"], "meet": ["met"], "pay": ["paid"], "rise": ["rose", "risen"], "speak": ["spoke", "spoken"],
    "spend": ["spent"], "undertake": ["undertook", "undertaken"], "go": ["went", "gone"], "bring in": ["brought in"],
}
_VOWELS = "aeiou"
#: An event that starts with one of these is a state, not a verb: "in force" says it is done.
STATE_WORDS = ("in", "under", "on", "up")


_IRREGULAR_PLURAL = {"person": "people", "analysis": "analyses", "criterion": "criteria", "child": "children",
                     "man": "men", "woman": "women", "phenomenon": "phenomena", "basis": "bases", "thesis": "theses",
                     "crisis": "crises", "index": "indices", "series": "series", "species": "species"}


def plural(noun: str) -> str:
    """English plural of the last word (both nouns of ``X and Y``).

    >>> [plural(n) for n in ("task", "city", "case", "province and city", "best-practice case", "process", "person")]
    ['tasks', 'cities', 'cases', 'provinces and cities', 'best-practice cases', 'processes', 'people']
    """
    if " and " in noun:
        return " and ".join(plural(part) for part in noun.split(" and "))
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR_PLURAL:
        last = _IRREGULAR_PLURAL[last]
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


def _past(verb: str) -> list[str]:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return [verb + "d"]
    if re.search(r"[^aeiou]y$", verb):
        return [verb[:-1] + "ied"]
    forms = [verb + "ed"]
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", verb):
        forms.append(verb + verb[-1] + "ed")  # plan -> planned, fulfil -> fulfilled
    return forms


def _ing(verb: str) -> list[str]:
    if verb.endswith("ie"):
        return [verb[:-2] + "ying"]
    if verb.endswith("e") and not verb.endswith("ee"):
        return [verb[:-1] + "ing"]
    forms = [verb + "ing"]
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", verb):
        forms.append(verb + verb[-1] + "ing")
    return forms


#: Nouns of events that no suffix rule gives.
_NOMINALS = {"launch": ["launch"], "deliver": ["delivery"], "issue": ["issuance"], "roll": ["rollout", "roll-out"],
             "approve": ["approval"], "endorse": ["endorsement"], "finish": ["completion"], "land": ["landing"],
             "sign": ["signing"], "start": ["start"], "begin": ["beginning"]}


def _nominals(verb: str) -> list[str]:
    """Nouns naming the event, by the regular English suffixes only (implement -> implementation,
    complete -> completion, execute -> execution, realise -> realisation, introduce -> introduction,
    accomplish -> accomplishment, fulfil -> fulfilment, achieve -> achievement), plus a few irregular
    ones: never a made-up form that is another word (sign -> signal, pass -> passion)."""
    stem = verb[:-1] if verb.endswith("e") else verb
    found = list(_NOMINALS.get(verb, []))
    rules = [
        (("ment",), verb + "ation"),                    # implement
        (("ate",), stem + "ion"),                        # operate
        (("ize", "ise"), stem + "ation"),                # realize, realise
        (("ete", "ute"), stem + "ion"),                  # complete, execute
        (("uce",), stem + "tion"),                       # introduce
        (("ct", "pt"), verb + "ion"),                    # construct, adopt
        (("sh", "il", "ll", "ieve"), verb + "ment"),     # accomplish, fulfil, fulfill, achieve
        (("orse",), verb + "ment"),                      # endorse
    ]
    for endings, noun in rules:
        if verb.endswith(endings) and noun not in found:
            found.append(noun)
    if verb == "fulfill":
        found.append("fulfillment")
    return found


def verb_forms(lemma: str) -> dict[str, str]:
    """Every form of an English verb (phrase) -> what it says about the event.

    ``done`` (past, participle), ``ing`` (ongoing), ``base`` (plain: after "will", "to"),
    ``present`` (third person: a headline's "Tianjin puts 78 tasks into effect" reports a fact) and
    ``nominal`` (a noun for the event). The first word is inflected: ``carry out`` ->
    ``carried out``.

    >>> f = verb_forms("carry out")
    >>> f["carried out"], f["carrying out"], f["carries out"], f["carry out"]
    ('done', 'ing', 'present', 'base')
    >>> f = verb_forms("implement")
    >>> f["implemented"], f["implementation"], verb_forms("put into practice")["put into practice"]
    ('done', 'nominal', 'done')
    >>> verb_forms("approve")["approval"], verb_forms("complete")["completion"]
    ('nominal', 'nominal')
    """
    words = lemma.split(" ")
    if words[0] in STATE_WORDS:
        return {lemma: "done"}  # a state reached: "in force", "in place", "under way"
    verb, rest = words[0], " ".join(words[1:])
    if lemma in _IRREGULAR:
        verb, rest = lemma, ""

    def phrase(form: str) -> str:
        return f"{form} {rest}" if rest else form

    forms: dict[str, str] = {}
    if not rest:
        for noun in _nominals(verb):
            forms[noun] = "nominal"
    forms[phrase(verb)] = "base"
    forms[phrase(plural(verb) if not verb.endswith("o") else verb + "es")] = "present"  # headlines: "puts"
    for form in _ing(verb):
        forms[phrase(form)] = "ing"
    for form in _past(verb):
        forms[phrase(form)] = "done"  # "put" is both: read as past (reports speak of the past)
    return forms


# ----------------------------------------------------------------------------------- the catalog
@dataclass
class Metric:
    """One catalog metric with its words in the forms the engine matches (folded)."""

    id: str
    label: dict[str, str]
    kind: str
    unit: str
    counts: dict[str, list[str]] = field(default_factory=dict)
    event: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> folded form -> state
    with_: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    share_of: dict[str, str] | None = None
    monotonic: str | None = None
    role: str | None = None
    counter: dict[str, str] = field(default_factory=dict)
    note: str = ""
    #: What a number of it counts, as a reader says it: the first ``counts`` word as written
    #: (English in the plural: "tasks"), in each language that has one.
    noun: dict[str, str] = field(default_factory=dict)


@dataclass
class Catalog:
    path: str
    metrics: dict[str, Metric]
    raw: dict[str, Any]
    elsewhere: dict[str, list[str]] = field(default_factory=dict)  # lang -> folded names of other programmes

    def ids(self) -> list[str]:
        return list(self.metrics)

    def role(self, role: str) -> Metric | None:
        """The metric playing ``role`` (one of :data:`ROLES` but ``output``), or None."""
        if role not in ROLES or role in MANY:
            raise ValueError(f"{role!r} is not a single role; expected one of {[r for r in ROLES if r not in MANY]}")
        return next((m for m in self.metrics.values() if m.role == role), None)

    def require(self, role: str, needed_by: str) -> Metric:
        """:meth:`role`, or :class:`pipeline_io.InputError` naming the catalog, the role and who needs it."""
        metric = self.role(role)
        if metric is None:
            raise pipeline_io.InputError(self.path, f"no metric has 'role: {role}' ({ROLE_MEANING[role]}); "
                                                    f"one is needed by {needed_by}")
        return metric

    def outputs(self) -> list[Metric]:
        """The headline outputs (``role: output``), in catalog order."""
        return [m for m in self.metrics.values() if m.role == "output"]


ROLE_MEANING = {"target": "the plan's target, a count", "progress": "how many of the target are done, a count",
                "progress_share": "progress as a share of the target, a percent",
                "start": "the date the plan starts", "duration": "how many years the plan runs",
                "output": "a headline output, a count"}


def _fail(path, metric: str | None, message: str):
    where = f"metric {metric!r}: " if metric else ""
    raise pipeline_io.InputError(path, where + message)


def check_schema(data: Any, path: str | Path = "<catalog>") -> None:
    """Raise :class:`pipeline_io.InputError` naming the file, the offending key and what is
    allowed if ``data`` does not follow ``config/catalog.schema.yaml``."""
    try:
        pipeline_io.check_against_schema(data, SCHEMA_PATH, path)
    except pipeline_io.InputError as exc:
        message = exc.detail
        if exc.rule == "propertyNames" and isinstance(exc.value, dict):
            bad = [k for k in exc.value if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", str(k))]
            message = f"metric id(s) {bad} not allowed: lower-case letters, digits and '_', starting with a letter"
        if exc.rule == "additionalProperties" and "'chart'" in message:
            message += "; 'chart: outputs' is now 'role: output' (README, 'The metric catalog')"
        if isinstance(data, dict) and data.get("version") != 2:
            message += ("; this is not a version 2 catalog (metrics defined by meaning: counts, event, with, "
                        "names): see README, 'The metric catalog'")
        raise pipeline_io.InputError(path, message) from None


def _en_terms(words: list[str]) -> list[str]:
    return sorted({fold(w.strip(), "en") for w in words})


def _zh_terms(words: list[str]) -> list[str]:
    return sorted({fold(w.strip(), "zh") for w in words})


def build_metric(metric_id: str, entry: dict[str, Any], path: str | Path) -> Metric:
    kind = entry["kind"]
    unit = entry.get("unit", DEFAULT_UNIT[kind])
    if unit not in UNITS_OF_KIND[kind]:
        _fail(path, metric_id, f"unit {unit!r} does not fit kind {kind!r} (expected {sorted(UNITS_OF_KIND[kind])})")
    metric = Metric(id=metric_id, label=dict(entry["label"]), kind=kind, unit=unit,
                    share_of=entry.get("share_of"), monotonic=entry.get("monotonic"), role=entry.get("role"),
                    counter=dict(entry.get("counter") or {}), note=entry.get("note", ""))
    for lang, words in (entry.get("counts") or {}).items():
        first = words[0].strip()
        metric.noun[lang] = plural(first) if lang == "en" else first
    for lang, words in (entry.get("counts") or {}).items():
        if lang == "en":
            nouns = _en_terms(words)
            metric.counts[lang] = sorted(set(nouns) | {plural(n) for n in nouns})
        else:
            metric.counts[lang] = _zh_terms(words)
    for lang, words in (entry.get("event") or {}).items():
        if lang == "en":
            forms: dict[str, str] = {}
            for lemma in _en_terms(words):
                for form, state in verb_forms(lemma).items():
                    forms.setdefault(form, state)
            metric.event[lang] = forms
        else:
            metric.event[lang] = {w: "plain" for w in _zh_terms(words)}
    for key, target in (("with", metric.with_), ("names", metric.names)):
        for lang, words in (entry.get(key) or {}).items():
            target[lang] = _en_terms(words) if lang == "en" else _zh_terms(words)
    return metric


def validate(data: Any, path: str | Path = "<catalog>") -> Catalog:
    """A checked :class:`Catalog` from parsed YAML, or :class:`pipeline_io.InputError`."""
    if isinstance(data, dict) and isinstance(data.get("metrics"), dict):
        bad = [k for k in data["metrics"] if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", str(k))]
        if bad:
            raise pipeline_io.InputError(path, f"metric id(s) {bad} not allowed: lower-case letters, digits and '_', "
                                               "starting with a letter")
    check_schema(data, path)
    metrics = {mid: build_metric(mid, entry, path) for mid, entry in data["metrics"].items()}
    for mid, metric in metrics.items():
        if metric.kind == "count" and not metric.counts:
            _fail(path, mid, "a count metric needs 'counts' (what is counted, e.g. {en: [task], zh: [任務]})")
        if metric.kind == "date" and not metric.event:
            _fail(path, mid, "a date metric needs 'event' (what happened on that date, e.g. {en: [approve]})")
        if metric.kind == "years" and not (metric.counts or metric.names):
            _fail(path, mid, "a years metric needs 'counts' (what lasts, e.g. pilot) or 'names' (e.g. run for)")
        if metric.kind == "percent" and not (metric.share_of or metric.names):
            _fail(path, mid, "a percent metric needs 'share_of' (its parts) or 'names' (e.g. implementation rate)")
        if metric.share_of:
            if metric.kind != "percent":
                _fail(path, mid, "share_of is only for percent metrics")
            for role, ref in metric.share_of.items():
                if ref not in metrics:
                    _fail(path, mid, f"share_of.{role} {ref!r} is not a metric in the catalog")
                if metrics[ref].kind != "count":
                    _fail(path, mid, f"share_of.{role} {ref!r} is a {metrics[ref].kind} metric; expected a count")
    check_roles(metrics, path)
    elsewhere = {lang: (_en_terms(words) if lang == "en" else _zh_terms(words))
                 for lang, words in (data.get("elsewhere") or {}).items()}
    return Catalog(path=str(path), metrics=metrics, raw=data, elsewhere=elsewhere)


def check_roles(metrics: dict[str, Metric], path: str | Path) -> None:
    """Each role fits the metric's kind, each single role has one metric at most, and a share of
    progress (if it names its parts) is the share of the progress and target metrics."""
    holders: dict[str, list[str]] = {}
    for mid, metric in metrics.items():
        if metric.role is None:
            continue
        holders.setdefault(metric.role, []).append(mid)
        if metric.kind != ROLES[metric.role]:
            _fail(path, mid, f"role {metric.role!r} is {ROLE_MEANING[metric.role]}: expected kind "
                             f"{ROLES[metric.role]!r}, not {metric.kind!r}")
    for role, ids in holders.items():
        if role not in MANY and len(ids) > 1:
            raise pipeline_io.InputError(path, f"role {role!r} is given to {len(ids)} metrics ({', '.join(ids)}); "
                                               "it belongs to one metric at most")
    share = holders.get("progress_share", [None])[0]
    if share and metrics[share].share_of:
        wanted = {"numerator": holders.get("progress", [None])[0], "denominator": holders.get("target", [None])[0]}
        for part, mid in wanted.items():
            if mid and metrics[share].share_of[part] != mid:
                _fail(path, share, f"role 'progress_share' is the share of progress in the target, but share_of."
                                   f"{part} is {metrics[share].share_of[part]!r}, not {mid!r} (role "
                                   f"{'progress' if part == 'numerator' else 'target'})")


def require_roles(catalog: Catalog, roles=BRIEFING_ROLES, needed_by: str = "the briefing's charts") -> None:
    """:class:`pipeline_io.InputError` naming the first of ``roles`` no metric of ``catalog`` plays."""
    for role in roles:
        catalog.require(role, needed_by)


def load(path: str | Path) -> Catalog:
    """Read and check a catalog file (see :func:`validate`)."""
    try:
        data = pipeline_io.read_yaml(path)
    except OSError as exc:
        raise pipeline_io.InputError(path, f"cannot read catalog: {exc.strerror or exc}") from exc
    return validate(data, path)
