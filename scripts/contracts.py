"""The data contracts between the pipeline's stages, in one place (README, "Data contracts").

Every stage that writes or reads these tables imports the names from here, so a column is added
or renamed once.
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

QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")
UNITS = ("", "%", "pp", "years", "date")
LANGS = ("en", "zh")
#: Figure flags that stop the build when the figure is claimed by a metric (see reconcile).
BLOCKING_FLAGS = ("not-whole", "share-range", "part-exceeds-whole", "ambiguous-separator", "negative-count",
                  "impossible-date")
