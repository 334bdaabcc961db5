"""Build the finished briefing context in Python, then let Jinja2 templates only format it.

The context holds every figure with its provenance, the checks, the repairs made to the sources
and the input hashes; filters format numbers, dates and qualifiers per language from the string
catalogs (``templates/i18n/{en,zh}.yaml``). Autoescaping is on: source text is data, not markup.
Which metric is the target, the progress and so on comes from the catalog's roles
(:class:`catalog.Catalog`), the phases and focus areas from the programme file
(:class:`programme.Programme`): no metric id is named here.
"""


import base64
import hashlib
import os
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import catalog as catalog_module
import chinese_script
import contracts
import pipeline_io
import programme as programme_module

LANGS = ("en", "zh")
#: Past these sizes the briefing summarises instead of listing (the full lists stay in the
#: attached checks.json, in results/ and in the archive manifest): it must read the same at 1
#: source and at 1,000.
LIST_LIMITS = {"checks": 40, "sources_on_cover": 5, "sources_in_detail": 10, "evidence_per_figure": 6,
               "candidates": 12}
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


# ---------------------------------------------------------------- formatting (used as filters)


def format_number(value: str) -> str:
    """Digits grouped by thousands, decimals kept as stated.

    >>> format_number("3027860000000"), format_number("80.2"), format_number("86")
    ('3,027,860,000,000', '80.2', '86')
    """
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    text = f"{number:,f}"
    return text


def format_date(value: str, lang: str) -> str:
    """``2021-04`` -> April 2021 / 2021年4月; ``2022-05-17`` -> 17 May 2022 / 2022年5月17日.

    >>> format_date("2021-04", "en"), format_date("2022-05-17", "zh")
    ('April 2021', '2022年5月17日')
    """
    parts = [int(p) for p in value.split("-")] if value else []
    if len(parts) < 2:
        return value
    if lang == "zh":
        return f"{parts[0]}年{parts[1]}月" + (f"{parts[2]}日" if len(parts) > 2 else "")
    month = EN_MONTHS[parts[1] - 1]
    return (f"{parts[2]} " if len(parts) > 2 else "") + f"{month} {parts[0]}"


def format_figure(row: dict[str, str], lang: str, strings: dict[str, Any], counter: str = "") -> str:
    """A metric value as a reader says it: "more than 40", "40餘", "80.2%", "3 years", "April 2021".

    >>> s = {"en": {"qualifiers": {"gt": "more than {value}"}, "units": {"percent": "{value}%"}},
    ...      "zh": {"qualifiers": {"gt": "{value}餘"}, "units": {"percent": "{value}%"}}}
    >>> format_figure({"value": "40", "qualifier": "gt", "unit": ""}, "zh", s)
    '40餘'
    """
    cat = strings[lang]
    unit = row.get("unit", "")
    if unit == "date":
        text = format_date(row["value"], lang)
    else:
        text = format_number(row["value"])
        if unit == "%":
            text = cat["units"]["percent"].format(value=text)
        elif unit == "years":
            text = cat["units"]["years"].format(value=text)
    if unit in ("%", "years", "date"):
        counter = ""  # the unit already names what is counted
    return cat["qualifiers"].get(row.get("qualifier") or "eq", "{value}").format(value=text, counter=counter)


def _pairs(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in (text or "").split(";") if "=" in part)


def explain_claim(claim: str, lang: str, strings: dict[str, Any]) -> str:
    """How the engine read a figure, in one language (``claim`` column of the figures).

    >>> s = {"en": {"explain": {"noun": "counts “{term}”", "found": {"after": ""}, "event": "“{term}” has happened",
    ...                         "with": "with “{term}”", "name": "named “{term}”", "share": {"part": "share"}}}}
    >>> explain_claim("noun=tasks;found=after;event=carried out", "en", s)
    'counts “tasks”, “carried out” has happened'
    """
    cat, how, parts = strings[lang]["explain"], _pairs(claim), []
    if "noun" in how:
        found = cat["found"].get(how.get("found", ""), "")
        space = "" if lang == "zh" else " "
        parts.append((cat["noun"].format(term=how["noun"]) + (space + found if found else "")).strip())
    for key in ("event", "with", "name"):
        if key in how:
            parts.append(cat[key].format(term=how[key]))
    if "share" in how:
        parts.append(cat["share"].get(how["share"], how["share"]))
    return ("，" if lang == "zh" else ", ").join(parts)


def explain_candidate(candidate: str, lang: str, strings: dict[str, Any]) -> str:
    """Why a number next to a catalog word was not attributed, in one language."""
    cat, how = strings[lang]["explain"], _pairs(candidate)
    state = cat["state"].get(how.get("state", ""), how.get("state", ""))
    return cat["why"].get(how.get("why", ""), how.get("why", "")).format(term=how.get("term", ""), state=state)


# ---------------------------------------------------------------- context


def data_uri(data: bytes, mime: str) -> str:
    """Embed a file in the HTML, so that the archived HTML stands alone (no relative links).

    >>> data_uri(b"<svg/>", "image/svg+xml")
    'data:image/svg+xml;base64,PHN2Zy8+'
    """
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def latest_per_metric(metrics: list[dict[str, str]], order: list[str]) -> list[dict[str, str]]:
    """The newest row of each metric, in catalog order (metrics not in the catalog last)."""
    newest: dict[str, dict[str, str]] = {}
    for row in sorted(metrics, key=lambda r: r["date"]):
        newest[row["metric"]] = row
    rank = {m: i for i, m in enumerate(order)}
    return sorted(newest.values(), key=lambda r: (rank.get(r["metric"], len(rank)), r["metric"]))


def evidence_rows(figures: list[dict[str, str]], refs: str) -> list[dict[str, str]]:
    """The figure rows named by a metrics row's ``evidence`` (``source:lang:line;…``)."""
    wanted = set(refs.split(";")) if refs else set()
    seen, out = set(), []
    for row in figures:
        key = f"{row['source']}:{row['lang']}:{row.get('loc') or row['line']}"
        if row["metric"] and key in wanted and (key, row["metric"]) not in seen:
            seen.add((key, row["metric"]))
            out.append(row)
    return out


def compare_metrics(previous: list[dict[str, str]], current: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Metrics whose newest value differs from the previous briefing's (new ones included).

    >>> compare_metrics([{"metric": "a", "date": "1", "value": "1", "qualifier": "eq"}],
    ...                 [{"metric": "a", "date": "2", "value": "2", "qualifier": "eq"}])
    [{'metric': 'a', 'before': {'metric': 'a', 'date': '1', 'value': '1', 'qualifier': 'eq'}, \
'after': {'metric': 'a', 'date': '2', 'value': '2', 'qualifier': 'eq'}}]
    """
    before = {r["metric"]: r for r in latest_per_metric(previous, [])}
    out = []
    for row in latest_per_metric(current, []):
        old = before.get(row["metric"])
        if old is None or (old["value"], old["qualifier"], old["date"]) != (row["value"], row["qualifier"], row["date"]):
            out.append({"metric": row["metric"], "before": old, "after": row})
    return out


def check_summary(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kind of check (the id's first part): severity and how many passed, failed, were resolved.

    >>> check_summary([{"id": "share/a", "severity": "error", "status": "pass"},
    ...                {"id": "share/b", "severity": "error", "status": "fail"}])
    [{'kind': 'share', 'severity': 'error', 'pass': 1, 'fail': 1, 'resolved': 0}]
    """
    rows: dict[str, dict[str, Any]] = {}
    for c in checks:
        kind = c["id"].split("/")[0]
        row = rows.setdefault(kind, {"kind": kind, "severity": c["severity"], "pass": 0, "fail": 0, "resolved": 0})
        row[c["status"]] += 1
    return [rows[k] for k in sorted(rows)]


def combined_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 over ``path  hash`` lines, sorted: names a whole set of inputs at once."""
    text = "".join(f"{path}  {digest}\n" for path, digest in sorted(hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary_sentences(figures: list[dict[str, str]], metric: str | None) -> dict[str, dict[str, Any]]:
    """Per language, the first sentence stating ``metric`` (the catalog's progress metric): the
    article's own summary of progress."""
    out: dict[str, dict[str, Any]] = {}
    for row in sorted(figures, key=lambda r: (r["source"], int(r["line"]), int(r["start"]))):
        if row["metric"] == metric and row["lang"] not in out:
            out[row["lang"]] = {"sentence": row["evidence"],
                                "ref": f"{row['source']}:{row['lang']}:{row.get('loc') or row['line']}"}
    return out


def captions(strings: dict[str, Any], catalog: catalog_module.Catalog, label, newest: dict[str, dict[str, str]],
             phases: int) -> dict[str, dict[str, str]]:
    """Each chart's caption in both languages, with the programme's own numbers and names."""
    def role_value(role: str) -> str:
        metric = catalog.role(role)
        row = newest.get(metric.id) if metric else None
        return format_number(row["value"]) if row else "?"

    progress = catalog.role("progress")
    out = {}
    for lang in LANGS:
        cat = strings[lang]["captions"]
        outputs = cat["list_separator"].join(label(m.id)[lang] for m in catalog.outputs() if m.id in newest)
        values = {"progress": label(progress.id)[lang] if progress else "", "total": role_value("target"),
                  "years": role_value("duration"), "phases": phases, "outputs": outputs}
        out[lang] = {name: cat[name].format(**values) for name in ("progress", "phases", "outputs")}
    return {name: {lang: out[lang][name] for lang in LANGS} for name in ("progress", "phases", "outputs")}


def build_context(*, period: str, metrics: list[dict[str, str]], checks: list[dict[str, Any]],
                  figures: list[dict[str, str]], normalized: list[dict[str, Any]], catalog: catalog_module.Catalog,
                  strings: dict[str, Any], charts: dict[str, str], inputs: dict[str, str], version: str,
                  script: str = "hant", previous: dict[str, Any] | None = None,
                  settings: dict[str, Any] | None = None, commentary: dict[str, Any] | None = None,
                  programme: programme_module.Programme | None = None) -> dict[str, Any]:
    """Everything the templates show, computed; the templates add no logic of their own.

    Chinese display strings are converted to ``script``; quoted source sentences are not.
    ``commentary`` is the ``check_commentary`` result (:mod:`commentary`): its HTML goes to the
    summary, its checks join the others in the data-quality section.
    """
    # -- commentary hook (issue 15): rendered and checked by scripts/commentary.py
    commentary = commentary or {"written": False}
    checks = list(checks) + list(commentary.get("checks", []))
    strings = {**strings, "zh": chinese_script.convert_tree(strings["zh"], script)}
    if not isinstance(catalog, catalog_module.Catalog):
        catalog = catalog_module.validate(catalog)
    entries = catalog.metrics
    programme = programme.converted(script) if programme else None

    def label(metric: str) -> dict[str, str]:
        given = entries[metric].label if metric in entries else {}
        return {"en": given.get("en", metric), "zh": chinese_script.convert(given.get("zh", metric), script)}

    def counter(metric: str) -> dict[str, str]:
        given = entries[metric].counter if metric in entries else {}
        return {lang: chinese_script.convert(given.get(lang, ""), script) if lang == "zh" else given.get(lang, "")
                for lang in LANGS}

    def texts(row: dict[str, str]) -> dict[str, str]:
        return {lang: format_figure(row, lang, strings, counter(row["metric"])[lang]) for lang in LANGS}

    key_figures = []
    for row in latest_per_metric(metrics, list(entries)):
        ev = [r for r in evidence_rows(figures, row["evidence"]) if r["metric"] == row["metric"]]
        key_figures.append({
            "metric": row["metric"],
            "label": label(row["metric"]),
            "text": texts(row),
            "date": row["date"],
            "status": row["status"],
            "note": row["note"],
            "evidence": [{"source": r["source"], "lang": r["lang"], "line": int(r["line"]),
                          "loc": r.get("loc") or r["line"], "sentence": r["evidence"], "match": r["match"],
                          "how": {lang: explain_claim(r.get("claim", ""), lang, strings) for lang in LANGS}}
                         for r in ev[:LIST_LIMITS["evidence_per_figure"]]],
            "evidence_more": max(0, len(ev) - LIST_LIMITS["evidence_per_figure"]),
        })
    sources = []
    for doc in sorted(normalized, key=lambda d: d["source"]):
        meta = doc.get("metadata") or {}
        sources.append({
            "id": doc["source"],
            "title": meta.get("title") or {},
            "author": meta.get("author") or {},
            "date": str(meta.get("date") or ""),
            "languages": meta.get("languages") or [],
            "encoding": doc.get("encoding", ""),
            "repairs": sorted((doc["repairs"] if "repairs" in doc else
                               Counter(c["kind"] for c in doc.get("changes", []))).items()),
            "flags": doc.get("flags", []),
            "warnings": doc.get("warnings", []),
        })
    changes = None
    if previous is not None:
        changes = {
            "period": previous.get("period", ""),
            "items": [{"metric": c["metric"], "label": label(c["metric"]),
                       "before": texts(c["before"]) if c["before"] else None, "after": texts(c["after"])}
                      for c in compare_metrics(previous.get("metrics", []), metrics)],
        }
    candidates = [r for r in figures if r.get("candidate") and not r["metric"]]
    unattributed = []
    for r in candidates[:LIST_LIMITS["candidates"]]:
        resembles = [m for m in _pairs(r["candidate"]).get("metric", "").split("|") if m]
        unattributed.append({
            "ref": f"{r['source']}:{r['lang']}:{r.get('loc') or r['line']}", "match": r["match"], "lang": r["lang"],
            "resembles": {lang: " / ".join(label(m)[lang] for m in resembles) for lang in LANGS},
            "why": {lang: explain_candidate(r["candidate"], lang, strings) for lang in LANGS},
        })
    no_figures = sorted(c["id"].split("/", 1)[1] for c in checks if c["id"].startswith("no-figures/"))
    dates = [r["date"] for r in metrics if r["date"]]
    newest = {r["metric"]: r for r in latest_per_metric(metrics, [])}
    target, progress = catalog.role("target"), catalog.role("progress")
    phases = programme.phases if programme else ()
    newest_sources = sorted(sources, key=lambda x: (x["date"], x["id"]), reverse=True)
    noteworthy = [x for x in sources if x["flags"] or x["warnings"] or any(k == "mojibake" for k, _ in x["repairs"])]
    source_inputs = {k: v for k, v in inputs.items() if k in {d["path"] for d in normalized}}
    other_inputs = {k: v for k, v in inputs.items() if k not in source_inputs}
    return {
        "target_total": format_number(newest[target.id]["value"]) if target and target.id in newest else "",
        "captions": captions(strings, catalog, label, newest, len(phases)),
        "focus_phases": [{"name": {lang: phase.title(lang) for lang in LANGS},
                          "areas": [dict(zip(LANGS, pair))
                                    for pair in zip(*(phase.focus_areas[lang] for lang in LANGS))]}
                         for phase in phases if phase.focus_areas],
        "period": period,
        "script": script,
        "zh_lang": chinese_script.LANG_TAG[script],
        "font_css": contracts.font_css(script),
        "strings": strings,
        "key_figures": key_figures,
        "summary": summary_sentences(figures, progress.id if progress else None),
        "checks": checks if len(checks) <= LIST_LIMITS["checks"] else [c for c in checks if c["status"] != "pass"],
        "checks_total": len(checks),
        "checks_listed_all": len(checks) <= LIST_LIMITS["checks"],
        "check_summary": check_summary(checks),
        "unattributed": unattributed,
        "unattributed_more": max(0, len(candidates) - LIST_LIMITS["candidates"]),
        "no_figures": no_figures,
        "sources": sources,
        "cover_sources": newest_sources[:LIST_LIMITS["sources_on_cover"]],
        "more_sources": max(0, len(sources) - LIST_LIMITS["sources_on_cover"]),
        "repair_sources": sources if len(sources) <= LIST_LIMITS["sources_in_detail"] else noteworthy,
        "repair_totals": sorted(Counter(k for x in sources for k, n in x["repairs"] for _ in range(n)).items()),
        "newest_date": max(dates) if dates else "",
        "charts": list(charts.items()),
        "changes": changes,
        "inputs": sorted((inputs if len(source_inputs) <= LIST_LIMITS["sources_in_detail"] else other_inputs).items()),
        "sources_digest": (len(source_inputs), combined_digest(source_inputs)),
        "settings": sorted((settings or {}).items()),
        "version": version,
        "commentary": commentary,
    }


def environment(template_dir: str | os.PathLike, strings: dict[str, Any]):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["figure"] = lambda row, lang: format_figure(row, lang, strings)
    env.filters["date"] = format_date
    env.filters["number"] = format_number
    return env


def render(template_dir: str | os.PathLike, context: dict[str, Any], name: str = "briefing.html.j2") -> str:
    return environment(template_dir, context["strings"]).get_template(name).render(**context)


def html_from_job(smk) -> tuple[str, str]:
    """The briefing HTML for a ``render_briefing`` job (its inputs, params and wildcards), and a
    one-line summary for the log. Reads files; writes nothing."""
    def text(path):
        return Path(path).read_text(encoding="utf-8")

    figures = sorted((row for p in smk.input.figures for row in pipeline_io.csv_rows(text(p))),
                     key=lambda r: (r["source"], int(r["line"]), int(r["start"])))
    normalized = [s for p in smk.input.sources for s in pipeline_io.read_json(p)["sources"]]  # source summaries
    inputs = {doc["path"]: doc["sha256"] for doc in normalized}
    root = smk.params.get("workflow_root", ".")
    for path in [smk.input.catalog, *smk.input.strings, smk.input.programme, *smk.input.templates]:
        inputs[pipeline_io.shown_path(path, root)] = pipeline_io.sha256_file(path)
    script = smk.params.zh_script  # resolved once per briefing (rules/common.smk)
    previous = pipeline_io.read_json(smk.input.previous[0]) if smk.input.previous else None
    commentary = pipeline_io.read_json(smk.input.commentary) if getattr(smk.input, "commentary", None) else None
    inputs.update((commentary or {}).get("inputs", {}))  # the commentary files' hashes, for the colophon
    context = build_context(
        period=smk.wildcards.period,
        metrics=pipeline_io.csv_rows(text(smk.input.metrics)),
        checks=pipeline_io.read_json(smk.input.checks),
        figures=figures,
        normalized=normalized,
        catalog=catalog_module.load(smk.input.catalog),
        strings=pipeline_io.load_strings(smk.input.strings, programme=smk.input.programme),
        programme=programme_module.load(smk.input.programme),
        charts={Path(p).stem: data_uri(Path(p).read_bytes(), "image/svg+xml") for p in smk.input.charts},
        inputs=inputs,
        version=smk.params.version,
        script=script,
        previous=previous,
        settings={**smk.params.settings, "period": smk.wildcards.period, "zh_script": script},
        commentary=commentary,
    )
    context["stylesheet_css"] = text(smk.input.stylesheet)
    context["screen_css"] = text(smk.input.screen_stylesheet)
    html = render(Path(smk.input.template).parent, context, Path(smk.input.template).name)
    summary = (f"{len(context['key_figures'])} key figures, {len(context['checks'])} checks, script {script}, "
               f"previous briefing {previous.get('period') if previous else 'none'}")
    return html, summary
