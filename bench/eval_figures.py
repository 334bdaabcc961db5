"""Evaluate the figure engine on the development corpus (``tests/corpus/``): recall and precision per
metric and per language, and whether every planted problem is reported.

    make eval                                   # the development sets (tests/corpus, holdout to holdout4)
    make eval-holdout                           # the held-out set tests/corpus/holdout5 (final evaluation)
    .venv/bin/python bench/eval_figures.py -v   # also list every miss and every wrong figure
    .venv/bin/python bench/eval_figures.py --set holdout   # one set only: dev, holdout, holdout2 ... holdout5

The corpus has six sets by six authors. tests/corpus (dev) was the engine's development set;
tests/corpus/holdout to holdout4 were each held out until their first evaluation (recorded in
bench/RESULTS.md) and are development material since; tests/corpus/holdout5 is held out: run it
for a final evaluation, never to tune the engine.

Each sentence item is run as a one-source briefing, each document as the source it is (with its
metadata file when it has one), through the same functions as the pipeline: normalize, extract,
reconcile. A figure counts as published when a metric claims it with a value and no blocking flag;
precision is over published figures, recall over expected ones, both on distinct
(language, metric, value, qualifier). A wrong figure that a failed error check names as its
evidence (a part larger than its whole, say) is counted apart, as *held*: the build stops on it
with a message naming it, so it cannot reach a briefing without an analyst's recorded decision.
It is not counted as wrong, and not as found either. A planted problem is caught when a check of its kind fails
(``share``, ``share-range``, ``part-whole``, ``not-whole``, ``date-unresolved``, ``lang``).

Targets (issue 11): recall >= 97 %, precision 100 %, every planted problem caught. The exit status
is 1 when a target is missed, so ``make eval`` can gate a change. ``tests/test_corpus.py`` runs
the same corpus as a pytest table.
"""

import argparse
import logging
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import extract_figures  # noqa: E402
import normalize  # noqa: E402
import pipeline_io  # noqa: E402
import reconcile  # noqa: E402
from contracts import BLOCKING_FLAGS  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
CATALOG = ROOT / "config" / "metrics.yaml"
#: Which failed check reports each kind of planted problem (the check id's first part).
FLAG_CHECKS = {"share": "share", "share-range": "share-range", "part-whole": "part-whole",
               "not-whole": "not-whole", "date-unresolved": "date-unresolved", "lang": "lang-agreement"}
TARGET_RECALL = 0.97
#: The corpus sets (see the module docstring).
SETS = {"dev": CORPUS, **{name: CORPUS / name for name in ("holdout", "holdout2", "holdout3", "holdout4", "holdout5")}}
#: The sets the engine has been developed on (each held out until its first run); the last is held out.
DEVELOPMENT = ("dev", "holdout", "holdout2", "holdout3", "holdout4")
HELD_OUT = "holdout5"


@dataclass
class Item:
    id: str
    lang: str                     # en | zh-hans | zh-hant | doc
    style: str
    text: str
    metadata: dict | None
    expect: set[tuple[str, str, str, str]]       # (lang, metric, value, qualifier)
    flags: list[dict]
    path: str


@dataclass
class Outcome:
    item: Item
    published: set[tuple[str, str, str, str]]
    missed: set = field(default_factory=set)
    wrong: set = field(default_factory=set)
    held: set = field(default_factory=set)        # wrong, but named by a failed error check: the build stops
    flags_missed: list[dict] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missed or self.wrong or self.flags_missed or self.error)


def _figure(lang: str, e: dict) -> tuple[str, str, str, str]:
    return (lang, e["metric"], str(e["value"]), e.get("qualifier", "eq"))


def load_items(folder: Path = CORPUS) -> list[Item]:
    """Every sentence item and document of one corpus folder (dev: tests/corpus, held-out: its holdout/)."""
    items = []
    for lang in ("en", "zh-hans", "zh-hant"):
        path = folder / f"sentences-{lang}.yaml"
        for e in (pipeline_io.read_yaml(path) or {}).get("sentences", []):
            engine_lang = "en" if lang == "en" else "zh"
            meta = {"date": str(e["date"])} if e.get("date") else {}
            items.append(Item(e["id"], lang, e["style"], e["text"], meta,
                              {_figure(engine_lang, x) for x in e.get("expect") or []}, e.get("flags") or [], str(path)))
    docs = folder / "documents.yaml"
    if docs.exists():
        for e in (pipeline_io.read_yaml(docs) or {}).get("documents", []):
            txt = folder / "documents" / f"{e['id']}.txt"
            meta_path = txt.with_suffix(".yaml")
            meta = pipeline_io.read_yaml(meta_path) if meta_path.exists() else None
            expect = {_figure(lang, x) for lang, rows in (e.get("expect") or {}).items() for x in rows or []}
            items.append(Item(e["id"], "doc", e.get("style", ""), txt.read_text(encoding="utf-8"), meta, expect,
                              e.get("flags") or [], str(txt)))
    return items


def run_item(item: Item, catalog, *, strict_dates: bool = True) -> Outcome:
    """Normalize, extract and reconcile one item as a source; compare with what it expects."""
    logger = logging.getLogger("eval")
    logger.disabled = True
    source = item.id.lower().replace(".", "-")
    raw = item.text.encode("utf-8")
    try:
        doc = normalize.normalize_source(raw, source, item.path, item.metadata if item.lang == "doc" else
                                         (item.metadata or None))
        rows = extract_figures.extract_figures(doc, catalog, logger=logger)
        _, checks = reconcile.reconcile(rows, [doc], catalog, {})
    except pipeline_io.BuildStop as exc:
        return Outcome(item, set(), set(item.expect), set(), list(item.flags), error=str(exc))
    published = {(r["lang"], r["metric"], r["value"], r["qualifier"]) for r in rows
                 if r["metric"] and r["value"] != "" and not set(r["flags"].split(";")) & set(BLOCKING_FLAGS)}
    failed = [c for c in checks if c["status"] == "fail"]
    stopped = held_rows(rows, failed)
    held = {key for key in published - item.expect if key in stopped}
    flags_missed = []
    for flag in item.flags:
        prefix = FLAG_CHECKS[flag["kind"]]
        hit = [c for c in failed if c["id"].split("/")[0] == prefix
               and (not flag.get("metric") or c["metric"] in ("", flag["metric"]) or prefix == "share")]
        if not hit:
            flags_missed.append(flag)
    return Outcome(item, published, item.expect - published, published - item.expect - held,
                   flags_missed=flags_missed, held=held)


def held_rows(rows: list[dict], failed: list[dict]) -> set[tuple[str, str, str, str]]:
    """The figures a failed error check names in its evidence: the build stops on each of them."""
    named = set()
    for c in failed:
        if c["severity"] != "error":
            continue
        evidence = c["evidence"]
        named.update(evidence.split(";") if isinstance(evidence, str) else evidence)
    return {(r["lang"], r["metric"], r["value"], r["qualifier"]) for r in rows
            if r["metric"] and reconcile.ref(r) in named}


def summarize(outcomes: list[Outcome]) -> dict:
    per_metric: dict[str, Counter] = defaultdict(Counter)
    per_lang: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        for lang, metric, *_ in o.item.expect & o.published:
            per_metric[metric]["tp"] += 1
            per_lang[_lang_label(o.item, lang)]["tp"] += 1
        for lang, metric, *_ in o.missed:
            per_metric[metric]["fn"] += 1
            per_lang[_lang_label(o.item, lang)]["fn"] += 1
        for lang, metric, *_ in o.wrong:
            per_metric[metric]["fp"] += 1
            per_lang[_lang_label(o.item, lang)]["fp"] += 1
    total = Counter()
    for c in per_metric.values():
        total.update(c)
    flags = Counter()
    for o in outcomes:
        total["held"] += len(o.held)
        flags["planted"] += len(o.item.flags)
        flags["missed"] += len(o.flags_missed)
    return {"metric": per_metric, "lang": per_lang, "total": total, "flags": flags}


def _lang_label(item: Item, lang: str) -> str:
    if item.lang != "doc":
        return item.lang
    return "en" if lang == "en" else "zh (documents)"


def ratio(c: Counter, key: str) -> float:
    denominator = c["tp"] + c[key]
    return c["tp"] / denominator if denominator else 1.0


def report(summary: dict, outcomes: list[Outcome], verbose: bool) -> str:
    lines = [f"{'':24} {'recall':>8} {'precision':>10} {'tp':>5} {'fn':>4} {'fp':>4}"]
    for title, table in (("metric", summary["metric"]), ("language", summary["lang"])):
        lines.append(f"-- per {title}")
        for key in sorted(table):
            c = table[key]
            lines.append(f"{key:24} {ratio(c, 'fn'):8.1%} {ratio(c, 'fp'):10.1%} {c['tp']:5} {c['fn']:4} {c['fp']:4}")
    t, f = summary["total"], summary["flags"]
    lines.append(f"{'ALL':24} {ratio(t, 'fn'):8.1%} {ratio(t, 'fp'):10.1%} {t['tp']:5} {t['fn']:4} {t['fp']:4}")
    lines.append(f"wrong figures held by a failed check (the build stops on them, not counted above): {t['held']}")
    lines.append(f"planted problems caught: {f['planted'] - f['missed']}/{f['planted']}")
    if verbose:
        for o in outcomes:
            if o.ok and not o.held:
                continue
            lines.append(f"\n{o.item.id} ({o.item.path})")
            if o.error:
                lines.append(f"  error: {o.error}")
            for x in sorted(o.missed):
                lines.append(f"  missed {x}")
            for x in sorted(o.wrong):
                lines.append(f"  WRONG  {x}")
            for x in sorted(o.held):
                lines.append(f"  held   {x} (wrong; a failed check stops the build on it)")
            for x in o.flags_missed:
                lines.append(f"  flag not caught {x}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), action="append", dest="sets",
                        help="corpus set(s) to run (default: the development material, " + ", ".join(DEVELOPMENT) + ")")
    parser.add_argument("--holdout", action="store_true", help=f"the held-out set only (same as --set {HELD_OUT})")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss, wrong figure and missed flag")
    args = parser.parse_args(argv)
    sets = [HELD_OUT] if args.holdout else (args.sets or list(DEVELOPMENT))
    catalog = extract_figures.load_catalog(CATALOG)
    items = [item for name in sets for item in load_items(SETS[name])]
    outcomes = [run_item(item, catalog) for item in items]
    summary = summarize(outcomes)
    print(f"figure engine on {', '.join(str(SETS[n].relative_to(ROOT)) for n in sets)}: {len(outcomes)} items")
    print(report(summary, outcomes, args.verbose))
    t, f = summary["total"], summary["flags"]
    ok = ratio(t, "fn") >= TARGET_RECALL and t["fp"] == 0 and f["missed"] == 0
    print("targets (recall >= 97%, precision 100%, every planted problem caught):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
