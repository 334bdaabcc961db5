"""Combine the figures of every source into one value per metric and date, and check them.

Checks (``id``, ``severity``, ``status``, ``metric``, ``message``, ``evidence``):

- ``lang-agreement/{source}/{metric}``: English and Chinese give the same value and qualifier.
- ``consistency/{source}/{lang}/{metric}``: one language of one source never gives two values.
- ``share/{source}/{lang}/{metric}``: a stated share equals its parts at its stated precision.
- ``source-agreement/{metric}/{date}``: sources dated the same day agree.
- ``series/{metric}``: a cumulative metric does not fall over time (catalog ``monotonic``).
- ``coverage/{metric}``: every catalog metric was found somewhere.

An ``error`` that fails stops the build, unless ``data/resolutions.yaml`` records a decision for
that check id; the decision's value is then used and shown in the briefing.
"""


import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable

import pipeline_io
from pipeline_io import InputError

FIGURE_COLUMNS = ["source", "lang", "metric", "value", "qualifier", "unit", "line", "start", "end", "match", "evidence"]
METRIC_COLUMNS = ["metric", "date", "value", "qualifier", "unit", "sources", "langs", "status", "note", "evidence"]
QUALIFIERS = {"eq", "gt", "ge", "lt", "le", "approx"}
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


def catalog_entries(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The metric entries of a catalog (``metrics:`` mapping of id to entry)."""
    return dict((catalog or {}).get("metrics", {}))


def source_dates(normalized: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Source id -> its date (``YYYY-MM-DD``) from the metadata, or ``""`` when unknown."""
    return {doc["source"]: str((doc.get("metadata") or {}).get("date") or "") for doc in normalized}


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
    """Short provenance: ``source:lang:line``."""
    return f"{row['source']}:{row['lang']}:{row['line']}"


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
        if row["metric"]:
            groups[(row["source"], row["metric"], row["lang"])].append(row)
    for key in groups:
        groups[key].sort(key=lambda r: (int(r["line"]), int(r["start"])))
    return dict(groups)


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


def check_shares(groups, entries) -> list[dict[str, Any]]:
    """A stated percentage equals numerator / denominator at the precision it is stated with."""
    firsts = {key: rows[0] for key, rows in groups.items()}
    out = []
    for (source, metric, lang), row in sorted(firsts.items()):
        spec = (entries.get(metric) or {}).get("share_of")
        if not spec:
            continue
        num = firsts.get((source, spec["numerator"], lang))
        den = firsts.get((source, spec["denominator"], lang))
        if not num or not den:
            continue
        stated = Decimal(row["value"])
        computed = Decimal(num["value"]) / Decimal(den["value"]) * 100
        rounded = round_to_places_of(computed, stated)
        ok = rounded == stated
        msg = (
            f"{metric}: {num['value']} / {den['value']} = {computed.quantize(Decimal('0.01'))} %, "
            f"{'matches' if ok else 'does not match'} the stated {row['value']} % at its precision "
            f"({rounded}) [{source}, {lang}, lines {num['line']}, {den['line']}, {row['line']}]"
        )
        out.append(check(f"share/{source}/{lang}/{metric}", "error", ok, metric, msg, [ref(num), ref(den), ref(row)]))
    return out


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
        if (entries.get(metric) or {}).get("monotonic") != "increasing" or len(points) < 2:
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
            "unit": first["unit"] or (entries.get(metric) or {}).get("unit", ""),
            "sources": ";".join(sorted({s for s, _ in items})),
            "langs": ";".join(sorted({lang for _, e in items for lang in e["langs"]})),
            "status": status,
            "note": note,
            "evidence": ";".join(ref(r) for _, e in items for r in e["rows"]),
        })
    return rows


def reconcile(figures: list[dict[str, str]], normalized: list[dict[str, Any]], catalog: dict[str, Any],
              resolutions: dict[str, dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """All checks and the metrics table. Does not raise: see :func:`blocking`."""
    entries = catalog_entries(catalog)
    dates = source_dates(normalized)
    groups = group_figures(figures)
    values = per_source_values(groups)
    checks = (
        check_consistency(groups)
        + check_lang_agreement(groups)
        + check_shares(groups, entries)
        + check_source_agreement(values, dates)
        + check_series(values, dates, entries)
        + check_coverage(values, entries)
    )
    for source, date in sorted(dates.items()):
        if not date:
            checks.append(check(f"dated/{source}", "warning", False, "",
                                f"{source} has no date in its metadata: its figures are not placed in time", []))
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
        normalized = [pipeline_io.read_json(p) for p in smk.input.normalized]
        catalog = pipeline_io.read_yaml(smk.input.catalog)
        res_path = smk.input.resolutions[0] if smk.input.resolutions else "data/resolutions.yaml"
        resolutions = parse_resolutions(pipeline_io.read_yaml(res_path), res_path) if smk.input.resolutions else {}
        rows, checks = reconcile(figures, normalized, catalog, resolutions)
        for unused in unused_resolutions(checks, resolutions):
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
