"""Combine the figures of every source into one value per metric and date, and check them.

Checks (``id``, ``severity``, ``status``, ``metric``, ``message``, ``evidence``):

- ``lang-agreement/{source}/{metric}``: English and Chinese give the same value and qualifier.
- ``consistency/{source}/{lang}/{metric}``: one language of one source never gives two values.
- ``share/{source}/{lang}/{metric}``: a stated share equals its parts at its stated precision,
  wherever the parts are stated: beside it ("69 (80.2%)" with "of the 86") or as the metrics its
  catalog ``share_of`` names.
- ``part-whole/{source}/{lang}/{metric}``: a part is not larger than its whole ("92 of the 86").
- ``share-range``, ``not-whole``, ``negative-count``, ``ambiguous-number``, ``impossible-date``
  ``/{source}/{lang}/{metric}``: a claimed figure the engine flagged (a share above 100 %, a count
  that is not whole, a separator that could be read two ways, ...); it is not published.
- ``date-unresolved/{source}/{lang}/{metric}`` (warning): a relative date with nothing to resolve
  it against; it is left out, never a language conflict.
- ``source-agreement/{metric}/{date}``: sources dated the same day agree.
- ``series/{metric}``: a cumulative metric does not fall over time (catalog ``monotonic``).
- ``coverage/{metric}`` (warning): every catalog metric was found somewhere.
- ``no-figures/{source}`` (warning; error with ``strict``): a source gave no catalog figure.
- ``candidate/{source}/{lang}/{line}:{start}`` (warning): a number next to a catalog word that no
  metric claimed, with the metric it resembles and why it was not claimed.

An ``error`` that fails stops the build, unless ``data/resolutions.yaml`` records a decision for
that check id; the decision's value is then used and shown in the briefing.
"""


import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable

import catalog as catalog_module
import numerals
import pipeline_io
from contracts import BLOCKING_FLAGS, FIGURE_COLUMNS, METRIC_COLUMNS, QUALIFIERS
from pipeline_io import InputError

#: Check kind (the id's first part) of each blocking figure flag.
FLAG_CHECK = {"not-whole": "not-whole", "share-range": "share-range", "part-exceeds-whole": "part-whole",
              "ambiguous-separator": "ambiguous-number", "negative-count": "negative-count",
              "impossible-date": "impossible-date"}
FLAG_MESSAGE = {
    "not-whole": "a count that is not a whole number",
    "share-range": "a share outside 0-100 %",
    "part-exceeds-whole": "a part larger than its whole",
    "ambiguous-separator": "a number whose separator could be a decimal point or a thousands separator",
    "negative-count": "a negative count",
    "impossible-date": "a date that does not exist",
}
RESOLUTION_KEYS = {"check", "value", "qualifier", "by", "why", "date"}


class ReconcileError(pipeline_io.BuildStop):
    """Checks of severity error failed and no resolution covers them."""


# ---------------------------------------------------------------- reading


def read_figures(text: str, path: str = "<figures>") -> list[dict[str, str]]:
    """Rows of one figures CSV; the header must be the figures contract."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != FIGURE_COLUMNS:
        raise InputError(path, f"unexpected columns {reader.fieldnames}; expected {FIGURE_COLUMNS}", 1)
    return [dict(row) for row in reader]


def figure_order(row: dict[str, str]) -> tuple:
    """Figures in (source, line, start) order: how every combined step reads them."""
    return row["source"], int(row["line"]), int(row["start"])


def catalog_entries(catalog) -> dict[str, "catalog_module.Metric"]:
    """The metrics of a catalog (a :class:`catalog.Catalog`, or a parsed mapping, checked here)."""
    if not isinstance(catalog, catalog_module.Catalog):
        catalog = catalog_module.validate(catalog)
    return dict(catalog.metrics)


def source_dates(sources: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Source id -> its date: the metadata's, else the first full date its text states (a
    dateline), else ``""`` (its figures are then not placed in time). ``sources`` are the source
    summaries of the extraction (``results/{briefing}/sources/{batch}.json``, which carry that
    ``date``) or normalized documents (whose lines are read for it)."""
    out = {}
    for doc in sources:
        if "date" in doc and "lines" not in doc:
            out[doc["source"]] = doc["date"]
            continue
        date = str((doc.get("metadata") or {}).get("date") or "")
        if not date:
            lines = [(e["text"], e.get("lang") or "en") for e in doc.get("lines") or [] if e.get("lang") in ("en", "zh")]
            stated = numerals.first_stated_date(lines)
            date = stated.isoformat() if stated else ""
        out[doc["source"]] = date
    return out


def parse_resolutions(data: Any, path: str = "data/resolutions.yaml") -> dict[str, dict[str, Any]]:
    """Resolutions keyed by check id; every entry needs check, value, by and why."""
    if data is None:
        return {}
    entries = data.get("resolutions") if isinstance(data, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise InputError(path, "expected 'resolutions:' followed by a list of entries")
    out = {}
    for index, entry in enumerate(entries, start=1):
        where = f"entry {index}"
        if not isinstance(entry, dict):
            raise InputError(path, f"{where}: expected a mapping with keys check, value, by, why")
        unknown = set(entry) - RESOLUTION_KEYS
        if unknown:
            raise InputError(path, f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(RESOLUTION_KEYS)}")
        missing = [k for k in ("check", "value", "by", "why") if entry.get(k) in (None, "")]
        if missing:
            raise InputError(path, f"{where}: missing {', '.join(missing)} (a decision says what, who and why)")
        if entry.get("qualifier", "eq") not in QUALIFIERS:
            raise InputError(path, f"{where}: qualifier {entry['qualifier']!r} not in {sorted(QUALIFIERS)}")
        out[str(entry["check"])] = {k: str(v) for k, v in entry.items()}
    return out


# ---------------------------------------------------------------- values


def same_value(a: str, b: str) -> bool:
    """Numbers compare as decimals (``"80.20" == "80.2"``), anything else as text."""
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def ref(row: dict[str, str]) -> str:
    """Short provenance: ``source:lang:loc`` (``loc`` is the line, or ``page:line`` in a PDF)."""
    return f"{row['source']}:{row['lang']}:{row.get('loc') or row['line']}"


def shown(row: dict[str, str]) -> str:
    return f"{row['match']!r} ({row['source']}, {row['lang']}, line {row['line']})"


def check(cid: str, severity: str, ok: bool, metric: str, message: str, evidence: list[str]) -> dict[str, Any]:
    return {
        "id": cid,
        "severity": severity,
        "status": "pass" if ok else "fail",
        "metric": metric,
        "message": message,
        "evidence": evidence,
    }


def group_figures(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str, str], list[dict[str, str]]]:
    """Catalog figures grouped by (source, metric, lang), in reading order."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["metric"] and publishable(row):
            groups[(row["source"], row["metric"], row["lang"])].append(row)
    for key in groups:
        groups[key].sort(key=lambda r: (int(r["line"]), int(r["start"])))
    return dict(groups)


def row_flags(row: dict[str, str]) -> list[str]:
    return [f for f in (row.get("flags") or "").split(";") if f]


def publishable(row: dict[str, str]) -> bool:
    """A claimed figure with a value and no flag that stops it (see :data:`contracts.BLOCKING_FLAGS`)."""
    return row.get("value", "") != "" and not set(row_flags(row)) & set(BLOCKING_FLAGS)


def check_consistency(groups) -> list[dict[str, Any]]:
    """One language of one source gives one value (and qualifier) for a metric."""
    out = []
    for (source, metric, lang), rows in sorted(groups.items()):
        first = rows[0]
        odd = [r for r in rows[1:] if not same_value(r["value"], first["value"]) or r["qualifier"] != first["qualifier"]]
        if odd:
            msg = f"{metric}: {source} ({lang}) gives {shown(first)} and also " + ", ".join(shown(r) for r in odd)
            out.append(check(f"consistency/{source}/{lang}/{metric}", "error", False, metric, msg, [ref(first)] + [ref(r) for r in odd]))
    return out


def check_lang_agreement(groups) -> list[dict[str, Any]]:
    """English and Chinese of the same source agree on value and qualifier."""
    by_source_metric: dict[tuple[str, str], dict[str, dict[str, str]]] = defaultdict(dict)
    for (source, metric, lang), rows in groups.items():
        by_source_metric[(source, metric)][lang] = rows[0]
    out = []
    for (source, metric), langs in sorted(by_source_metric.items()):
        if len(langs) < 2:
            continue
        (la, a), (lb, b) = sorted(langs.items())[:2]
        ok = same_value(a["value"], b["value"]) and a["qualifier"] == b["qualifier"]
        if ok:
            msg = f"{metric}: {la} {shown(a)} agrees with {lb} {shown(b)}"
        else:
            msg = (
                f"{metric}: {la} says {a['value']} ({a['qualifier']}) in {shown(a)} but {lb} says "
                f"{b['value']} ({b['qualifier']}) in {shown(b)}"
            )
        out.append(check(f"lang-agreement/{source}/{metric}", "error", ok, metric, msg, [ref(a), ref(b)]))
    return out


def round_to_places_of(value: Decimal, stated: Decimal) -> Decimal:
    """Round ``value`` to as many decimal places as ``stated`` shows.

    >>> round_to_places_of(Decimal(69) / Decimal(86) * 100, Decimal("80.2"))
    Decimal('80.2')
    """
    exponent = stated.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _share_message(metric: str, part: str, whole: str, stated: str, computed: Decimal, rounded: Decimal,
                   ok: bool, where: str) -> str:
    return (f"{metric}: {part} / {whole} = {computed.quantize(Decimal('0.01'))} %, "
            f"{'matches' if ok else 'does not match'} the stated {stated} % at its precision ({rounded}) [{where}]")


def _share_ok(part: str, whole: str, stated: str) -> tuple[bool, Decimal, Decimal] | None:
    try:
        p, w, s = Decimal(part), Decimal(whole), Decimal(stated)
    except InvalidOperation:
        return None
    if w == 0:
        return None
    computed = p / w * 100
    rounded = round_to_places_of(computed, s)
    return rounded == s, computed, rounded


def figure_index(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """(source, ``line:start``) -> figure row: how ``part``/``whole`` references are resolved."""
    return {(r["source"], f"{r['line']}:{r['start']}"): r for r in rows}


def check_stated_shares(rows: list[dict[str, str]], index) -> list[dict[str, Any]]:
    """A share stated beside its part, whose whole is stated too ("69 of the 86 ..., or 80.2%"), equals
    part / whole at its precision: an error when a metric claimed the share, else a warning."""
    out = []
    for row in rows:
        if row.get("unit") != "%" or not row.get("part"):
            continue
        part = index.get((row["source"], row["part"]))
        whole = index.get((row["source"], part.get("whole", ""))) if part else None
        if whole is None and row.get("whole"):
            whole = index.get((row["source"], row["whole"]))
        if not part or not whole:
            continue
        name = row["metric"] or f"{row['line']}:{row['start']}"
        made = _share_check(f"share/{row['source']}/{row['lang']}/{name}", "error" if row["metric"] else "warning",
                            row["metric"], part, whole, row)
        out += [made] if made else []
    return _merge_same_id(out)


def _share_check(cid: str, severity: str, metric: str, part, whole, row) -> dict[str, Any] | None:
    """The check that ``row`` (a percentage) equals part / whole at its stated precision, or None
    when the values cannot be compared (not numbers, a zero whole)."""
    result = _share_ok(part["value"], whole["value"], row["value"])
    if result is None:
        return None
    ok, computed, rounded = result
    where = f"{row['source']}, {row['lang']}, lines {part['line']}, {whole['line']}, {row['line']}"
    return check(cid, severity, ok, metric, _share_message(metric or "stated share", part["value"], whole["value"],
                                                          row["value"], computed, rounded, ok, where),
                 [ref(part), ref(whole), ref(row)])


def _merge_same_id(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One check per id (a resolution names an id): a share stated twice in one language of one source
    fails if either statement fails, and keeps every statement's message and evidence."""
    merged: dict[str, dict[str, Any]] = {}
    for c in checks:
        if c["id"] not in merged:
            merged[c["id"]] = dict(c, evidence=list(c["evidence"]))
            continue
        m = merged[c["id"]]
        m["status"] = "fail" if "fail" in (m["status"], c["status"]) else "pass"
        m["message"] += "; " + c["message"]
        m["evidence"] += [e for e in c["evidence"] if e not in m["evidence"]]
    return list(merged.values())


def check_shares(groups, entries, stated: set[str] = frozenset()) -> list[dict[str, Any]]:
    """A percentage metric equals its catalog numerator / denominator (same source and language) at
    the precision it is stated with; ``stated`` lists check ids already made from stated parts."""
    firsts = {key: rows[0] for key, rows in groups.items()}
    out = []
    for (source, metric, lang), row in sorted(firsts.items()):
        spec = entries[metric].share_of if metric in entries else None
        cid = f"share/{source}/{lang}/{metric}"
        if not spec or cid in stated:
            continue
        num = firsts.get((source, spec["numerator"], lang))
        den = firsts.get((source, spec["denominator"], lang))
        made = _share_check(cid, "error", metric, num, den, row) if num and den else None
        out += [made] if made else []
    return out


def check_part_whole(groups, entries) -> list[dict[str, Any]]:
    """A catalog numerator is not larger than its denominator in the same source and language."""
    firsts = {key: rows[0] for key, rows in groups.items()}
    out = []
    for metric, spec in sorted((m, e.share_of) for m, e in entries.items() if e.share_of):
        for (source, mid, lang), num in sorted(firsts.items()):
            if mid != spec["numerator"]:
                continue
            den = firsts.get((source, spec["denominator"], lang))
            if not den:
                continue
            try:
                bad = Decimal(num["value"]) > Decimal(den["value"])
            except InvalidOperation:
                continue
            if bad:
                out.append(check(f"part-whole/{source}/{lang}/{mid}", "error", False, mid,
                                 f"{mid}: {shown(num)} is larger than {spec['denominator']} {shown(den)}",
                                 [ref(num), ref(den)]))
    return out


def check_figure_flags(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Flags the engine set on a figure: on a claimed figure an error (it is not published), a
    relation problem on an unclaimed one a warning; an unresolved relative date a warning."""
    out = []
    for row in rows:
        for flag in row_flags(row):
            where = f"{row['match']!r} ({row['source']}, {row['lang']}, line {row['line']})"
            if flag == "date-unresolved" and row["metric"]:
                out.append(check(f"date-unresolved/{row['source']}/{row['lang']}/{row['metric']}", "warning", False,
                                 row["metric"], f"{row['metric']}: relative date {where} with no date to resolve it "
                                 "against (give the source a date in its metadata): left out", [ref(row)]))
            elif flag in FLAG_CHECK and (row["metric"] or flag in ("part-exceeds-whole", "share-range")):
                severity = "error" if row["metric"] else "warning"
                name = row["metric"] or f"{row['line']}:{row['start']}"
                out.append(check(f"{FLAG_CHECK[flag]}/{row['source']}/{row['lang']}/{name}", severity, False,
                                 row["metric"], f"{row['metric'] or 'a figure'}: {FLAG_MESSAGE[flag]}: {where}",
                                 [ref(row)]))
    return out


def check_candidates(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Numbers next to a catalog word that no metric claimed: listed, never silently dropped."""
    out = []
    for r in rows:
        if not r.get("candidate") or r["metric"]:
            continue
        why = dict(p.split("=", 1) for p in r["candidate"].split(";") if "=" in p)
        detail = ", ".join(f"{k} {v}" for k, v in why.items() if k != "metric")
        out.append(check(f"candidate/{r['source']}/{r['lang']}/{r['line']}:{r['start']}", "warning", False,
                         why.get("metric", "").split("|")[0],
                         f"unclaimed {r['match']!r} ({r['source']}, {r['lang']}, line {r['line']}) resembles "
                         f"{why.get('metric', '?')} ({detail})", [ref(r)]))
    return out


def check_sources_contribute(rows: list[dict[str, str]], sources: Iterable[str], strict: bool) -> list[dict[str, Any]]:
    """A source that gives no catalog figure is a visible warning (an error with ``strict``)."""
    giving = {r["source"] for r in rows if r["metric"] and publishable(r)}
    return [check(f"no-figures/{s}", "error" if strict else "warning", False, "",
                  f"{s} gives no catalog figure: check that it is about this programme, or extend the catalog", [])
            for s in sorted(set(sources) - giving)]


def per_source_values(groups) -> dict[tuple[str, str], dict[str, Any]]:
    """(source, metric) -> the source's value (first language in sort order) and all its rows."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for (source, metric, lang), rows in sorted(groups.items()):
        entry = out.setdefault((source, metric), {"row": rows[0], "rows": [], "langs": []})
        entry["rows"].append(rows[0])
        entry["langs"].append(lang)
    return out


def check_source_agreement(values, dates) -> list[dict[str, Any]]:
    """Sources with the same date report the same value for a metric."""
    buckets: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for (source, metric), entry in values.items():
        buckets[(metric, dates.get(source, ""))].append(entry["row"])
    out = []
    for (metric, date), rows in sorted(buckets.items()):
        if len(rows) < 2 or not date:
            continue
        first = rows[0]
        odd = [r for r in rows[1:] if not same_value(r["value"], first["value"]) or r["qualifier"] != first["qualifier"]]
        msg = f"{metric} on {date}: " + ("sources agree: " if not odd else "sources disagree: ") + "; ".join(shown(r) for r in rows)
        out.append(check(f"source-agreement/{metric}/{date}", "error", not odd, metric, msg, [ref(r) for r in rows]))
    return out


def check_series(values, dates, entries) -> list[dict[str, Any]]:
    """A metric marked ``monotonic: increasing`` in the catalog never falls between dated sources."""
    out = []
    series: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for (source, metric), entry in values.items():
        if dates.get(source):
            series[metric].append((dates[source], entry["row"]))
    for metric, points in sorted(series.items()):
        if metric not in entries or entries[metric].monotonic != "increasing" or len(points) < 2:
            continue
        points.sort(key=lambda p: p[0])
        falls = [
            (a, b) for a, b in zip(points, points[1:])
            if not same_value(a[1]["value"], b[1]["value"]) and Decimal(b[1]["value"]) < Decimal(a[1]["value"])
        ]
        msg = f"{metric} over time: " + ", ".join(f"{d} {r['value']}" for d, r in points)
        if falls:
            msg += "; falls " + ", ".join(f"from {a[1]['value']} ({a[0]}) to {b[1]['value']} ({b[0]})" for a, b in falls)
        out.append(check(f"series/{metric}", "warning", not falls, metric, msg, [ref(r) for _, r in points]))
    return out


def check_coverage(values, entries) -> list[dict[str, Any]]:
    """Catalog metrics no source mentions (only the misses are listed)."""
    found = {metric for (_, metric) in values}
    return [
        check(f"coverage/{metric}", "warning", False, metric, f"{metric}: not found in any source", [])
        for metric in sorted(set(entries) - found)
    ]


def apply_resolutions(checks: list[dict[str, Any]], resolutions: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark failed checks that a person decided on as ``resolved`` (the decision is kept)."""
    out = []
    for item in checks:
        decision = resolutions.get(item["id"])
        if decision and item["status"] == "fail":
            item = {**item, "status": "resolved", "resolution": decision}
        out.append(item)
    return out


def unused_resolutions(checks, resolutions) -> list[str]:
    failing = {c["id"] for c in checks if c["status"] in ("fail", "resolved")}
    return sorted(set(resolutions) - failing)


def blocking(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in checks if c["severity"] == "error" and c["status"] == "fail"]


def build_metrics(values, dates, entries, checks) -> list[dict[str, str]]:
    """One row per metric and date, from the agreeing sources or from a recorded decision."""
    decisions = {}
    for c in checks:
        if c["status"] == "resolved":
            parts = c["id"].split("/")
            decisions.setdefault(c["metric"], []).append((parts, c["resolution"]))
    buckets: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for (source, metric), entry in sorted(values.items()):
        buckets[(metric, dates.get(source, ""))].append((source, entry))
    rows = []
    for (metric, date), items in sorted(buckets.items()):
        first = items[0][1]["row"]
        value, qualifier, status, note = first["value"], first["qualifier"], "ok", ""
        for parts, decision in decisions.get(metric, []):
            applies = (parts[0] == "source-agreement" and parts[-1] == date) or (
                parts[0] != "source-agreement" and parts[1] in {s for s, _ in items}
            )
            if applies:
                value = decision["value"]
                qualifier = decision.get("qualifier", "eq")
                status = "resolved"
                note = f"{'/'.join(parts)}: decided by {decision['by']}: {decision['why']}"
        rows.append({
            "metric": metric,
            "date": date,
            "value": value,
            "qualifier": qualifier,
            "unit": first["unit"] or (entries[metric].unit if metric in entries else ""),
            "sources": ";".join(sorted({s for s, _ in items})),
            "langs": ";".join(sorted({lang for _, e in items for lang in e["langs"]})),
            "status": status,
            "note": note,
            "evidence": ";".join(ref(r) for _, e in items for r in e["rows"]),
        })
    return rows


def reconcile(figures: list[dict[str, str]], normalized: list[dict[str, Any]], catalog,
              resolutions: dict[str, dict[str, Any]], *, strict: bool = False
              ) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """All checks and the metrics table. Does not raise: see :func:`blocking`."""
    entries = catalog_entries(catalog)
    dates = source_dates(normalized)
    groups = group_figures(figures)
    values = per_source_values(groups)
    index = figure_index(figures)
    stated = check_stated_shares(figures, index)
    checks = (
        check_consistency(groups)
        + check_lang_agreement(groups)
        + stated
        + check_shares(groups, entries, {c["id"] for c in stated})
        + check_part_whole(groups, entries)
        + check_figure_flags(figures)
        + check_source_agreement(values, dates)
        + check_series(values, dates, entries)
        + check_coverage(values, entries)
        + check_sources_contribute(figures, [d["source"] for d in normalized], strict)
        + check_candidates(figures)
    )
    for source, date in sorted(dates.items()):
        if not date:
            checks.append(check(f"dated/{source}", "warning", False, "",
                                f"{source} has no date in its metadata or its text: its figures are not placed in time",
                                []))
    checks = apply_resolutions(checks, resolutions)
    return build_metrics(values, dates, entries, checks), checks


def format_blocking(errors: list[dict[str, Any]], resolutions_path: str) -> str:
    lines = [f"{len(errors)} check(s) failed; the briefing is not rendered until each is fixed or resolved:"]
    for c in errors:
        lines.append(f"  - [{c['id']}] {c['message']}")
    lines.append(
        f"To record a decision, add to {resolutions_path}:\n"
        "    resolutions:\n"
        f"      - check: {errors[0]['id']}\n"
        "        value: \"<the value to publish>\"\n"
        "        by: <your name>\n"
        "        why: <the reason, shown in the briefing>"
    )
    return "\n".join(lines)


def metrics_csv(rows: list[dict[str, str]]) -> str:
    return pipeline_io.csv_text(rows, METRIC_COLUMNS)


def main(smk) -> None:
    def body(log):
        figures = []
        for path in smk.input.figures:
            with open(path, encoding="utf-8") as handle:
                figures.extend(read_figures(handle.read(), path))
        figures.sort(key=figure_order)  # the same order whatever the batches (per-source files sorted by id)
        normalized = [s for p in smk.input.sources for s in pipeline_io.read_json(p)["sources"]]
        catalog = catalog_module.load(smk.input.catalog)
        res_path = smk.input.resolutions[0] if smk.input.resolutions else "data/resolutions.yaml"
        resolutions = parse_resolutions(pipeline_io.read_yaml(res_path), res_path) if smk.input.resolutions else {}
        rows, checks = reconcile(figures, normalized, catalog, resolutions,
                                 strict=smk.params.get("strict", False) in (True, "true"))
        for unused in unused_resolutions(checks, {k: v for k, v in resolutions.items()
                                                  if not k.startswith("commentary")}):  # those: check_commentary
            log.warning("%s: resolution for %r matches no failed check; it has no effect", res_path, unused)
        for c in checks:
            if c["status"] != "pass":
                log.info("%s %s [%s] %s", c["severity"], c["status"], c["id"], c["message"])
        errors = blocking(checks)
        if errors:
            raise ReconcileError(format_blocking(errors, res_path))
        log.info("%d metric rows, %d checks (%d resolved)", len(rows), len(checks),
                 sum(c["status"] == "resolved" for c in checks))
        pipeline_io.atomic_write_text(smk.output.metrics, metrics_csv(rows))
        pipeline_io.write_json(smk.output.checks, checks)

    pipeline_io.run_main("reconcile", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
