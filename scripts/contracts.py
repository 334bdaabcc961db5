"""The data contracts between the pipeline's stages, in one place (README, "Data contracts").

Every stage that writes or reads these tables, names a period or picks a font imports the names
from here, so a column, a qualifier, the period's form or a font is changed once. Files that
cannot import Python say the same and are checked against these names by tests
(``tests/test_contracts.py``): ``config/config.schema.yaml`` (period), the ``Makefile`` and
``scripts/monthly.sh`` (period), ``fonts`` in the templates (they get the font rules from here).
"""

#: Figures of one source (``results/{briefing}/figures/{source}.csv``), one row per number.
#:
#: ``loc`` is where a reader finds the line in the original (the line number for text files,
#: ``page:line`` for PDFs); ``claim`` says why the metric claimed the figure, as ``key=value``
#: pairs joined by ``;`` (noun, how the noun was found, event, with, name); ``part``/``whole``
#: refer to related figures of the same source as ``line:start`` (a share's part, a part's whole);
#: ``candidate`` names the metric an unclaimed figure resembles and why it was not claimed;
#: ``flags`` lists problems (``not-whole``, ``share-range``, ``part-exceeds-whole``,
#: ``ambiguous-separator``, ``date-unresolved``, ``impossible-date``, ``unreadable``).
FIGURE_COLUMNS = ["source", "lang", "metric", "value", "qualifier", "unit", "line", "loc", "start", "end", "match",
                  "claim", "part", "whole", "candidate", "flags", "evidence"]
#: Combined metrics (``results/{briefing}/metrics.csv``), one row per metric and date.
METRIC_COLUMNS = ["metric", "date", "value", "qualifier", "unit", "sources", "langs", "status", "note", "evidence"]
#: Checks (``results/{briefing}/checks.json``), one object per check.
CHECK_FIELDS = ["id", "severity", "status", "metric", "message", "evidence"]
SEVERITIES = ("error", "warning", "info")
STATUSES = ("pass", "fail", "resolved")

#: Qualifiers of a figure, in the order notes about them are listed.
QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")
UNITS = ("", "%", "pp", "years", "date")
LANGS = ("en", "zh")
#: Figure flags that stop the build when the figure is claimed by a metric (see reconcile).
BLOCKING_FLAGS = ("not-whole", "share-range", "part-exceeds-whole", "ambiguous-separator", "negative-count",
                  "impossible-date")

#: A reporting period: ``YYYY-MM`` with a month 01-12 (the Snakemake wildcard, the config schema,
#: the archive's folder names, make and monthly.sh).
PERIOD_PATTERN = r"[0-9]{4}-(0[1-9]|1[0-2])"

#: Chinese scripts a briefing can print, their language tags and their CJK face (fontconfig family).
SCRIPTS = ("hant", "hans")
LANG_TAG = {"hant": "zh-Hant", "hans": "zh-Hans"}
FONT_FAMILY = {"hant": "Noto Sans CJK TC", "hans": "Noto Sans CJK SC"}
#: Fonts every briefing needs besides its CJK face: Latin fallback and the monospace for ids.
FALLBACK_FONTS = ("DejaVu Sans", "DejaVu Sans Mono")


def font_css(script: str) -> str:
    """CSS custom properties naming the fonts of a page in ``script`` (the briefing, the archive
    index): ``--cjk`` (the script's face), ``--cjk-hant``, ``--cjk-hans`` and ``--mono``. The
    stylesheets use ``var(--cjk)``; they name no font family themselves.

    >>> print(font_css("hans").replace("; ", ";\\n"))
    :root { --cjk: "Noto Sans CJK SC";
    --cjk-hant: "Noto Sans CJK TC";
    --cjk-hans: "Noto Sans CJK SC";
    --mono: "DejaVu Sans Mono";
    }
    <BLANKLINE>
    """
    faces = [f'--cjk: "{FONT_FAMILY[script]}";'] + [f'--cjk-{s}: "{FONT_FAMILY[s]}";' for s in SCRIPTS]
    return ":root { " + " ".join(faces + [f'--mono: "{FALLBACK_FONTS[1]}";']) + " }\n"
