"""``make commentary PERIOD=YYYY-MM``: a first draft of the analyst's commentary for each
briefing, from its metrics (``results/{briefing}/metrics.csv``, which make builds first), the
previous archived briefing and the catalog, written with placeholders to
``data/commentary/{briefing}/{period}.en.md`` and ``.zh.md`` for the analyst to edit
(:func:`commentary.draft`). An existing file is never overwritten: the run then names it and exits 1.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive_ledger  # noqa: E402
import catalog as catalog_module  # noqa: E402
import commentary  # noqa: E402
import pipeline_io  # noqa: E402
import plot_progress  # noqa: E402
import workflow_config  # noqa: E402

I18N_FILES = ["templates/i18n/en.yaml", "templates/i18n/zh.yaml"]


def draft_briefing(briefing: str, settings: dict, period: str, archive_dir: str,
                   max_source_mb: float = 20) -> tuple[dict[str, str], dict[str, str]]:
    """(paths, texts) of the draft of one briefing."""
    metrics_path = Path(f"results/{briefing}/metrics.csv")
    if not metrics_path.exists():
        raise pipeline_io.InputError(metrics_path, "not built yet: run `make commentary` (it builds the metrics first)")
    sources = workflow_config.discover_sources(settings["sources_dir"], max_source_mb)
    values = commentary.Values(
        cat=catalog_module.load(settings["catalog"]),
        metrics=pipeline_io.csv_rows(metrics_path.read_text(encoding="utf-8")),
        period=period,
        strings=pipeline_io.load_strings(I18N_FILES),
        script=workflow_config.resolve_zh_script(settings["zh_script"], sources),
        previous=archive_ledger.previous_manifest(f"{archive_dir}/{briefing}", period),
    )
    texts = commentary.draft(values, plot_progress.STALE_AFTER_MONTHS)
    paths = workflow_config.commentary_paths(briefing, period)
    # The draft must pass the checks the build will run on it.
    commentary.check_commentary(paths, {lang: texts[lang].encode("utf-8") for lang in texts}, values, briefing=briefing)
    return paths, texts


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Draft the analyst's commentary for a period (never overwrites).")
    parser.add_argument("--period", help="YYYY-MM (default: the current month, UTC)")
    parser.add_argument("--config", default="config/config.yaml")
    args = parser.parse_args(argv)
    given = pipeline_io.read_yaml(args.config) or {}
    if args.period:
        given["period"] = args.period
    try:
        config = workflow_config.load_config(given, "config/config.schema.yaml")
        briefings = workflow_config.resolve_briefings(config)
    except workflow_config.ConfigError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    period, refused = config["period"], False
    for briefing, settings in briefings.items():
        try:
            paths, texts = draft_briefing(briefing, settings, period, config["archive_dir"], config["max_source_mb"])
        except (pipeline_io.BuildStop, workflow_config.ConfigError) as exc:
            print(f"ERROR: {briefing}: {exc}", file=sys.stderr)
            return 1
        existing = commentary.write_draft(paths, texts)
        if existing:
            refused = True
            print(f"{briefing}: {' and '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: "
                  "not overwritten (edit the file, or delete both files to draft again)", file=sys.stderr)
        else:
            print(f"{briefing}: wrote {paths['en']} and {paths['zh']}; edit them, then "
                  f"`make briefing PERIOD={period}`")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
