"""Shared chart code: reading the metrics table, the programme's window and phases, bilingual
labels, the CJK font chosen explicitly, a colour-blind-safe palette, A4 sizes, and saving SVG/PNG
byte-identically (no dates, fixed hash salt, no software version).

Imported by the plot_* scripts only (matplotlib is heavy; per-source steps never import it).
Every chart is a function of a small table (metrics rows as dicts, ``results/{briefing}/metrics.csv``)
and of :class:`Facts`: which metrics play the roles a chart draws (the catalog's ``role``), their
labels, and the programme's phases. No chart names a metric id.
"""


import datetime as dt
import functools
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import catalog as catalog_module  # noqa: E402
import pipeline_io  # noqa: E402
import programme as programme_module  # noqa: E402
from contracts import FONT_FAMILY, LANGS, QUALIFIERS  # noqa: E402, F401 (LANGS, QUALIFIERS re-exported)

#: Okabe & Ito's colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#6E6E6E",
}
#: Width of the text block on A4 with 18 mm margins, in inches.
A4_TEXT_WIDTH_IN = (210 - 2 * 18) / 25.4


class ChartInputError(pipeline_io.BuildStop):
    """The metrics table lacks something a chart needs; the message names it."""


# --------------------------------------------------------------------------- the metrics table
def read_metrics(text: str) -> list[dict[str, str]]:
    """Rows of ``metrics.csv`` as dicts.

    >>> read_metrics("metric,date,value\\ndone_so_far,2022-05-17,69\\n")
    [{'metric': 'done_so_far', 'date': '2022-05-17', 'value': '69'}]
    """
    return pipeline_io.csv_rows(text)


def read_metrics_file(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return read_metrics(handle.read())


def rows_of(rows: list[dict[str, str]], metric: str) -> list[dict[str, str]]:
    """The rows of one metric, oldest first (undated rows first)."""
    return sorted((r for r in rows if r.get("metric") == metric), key=lambda r: r.get("date") or "")


def latest(rows: list[dict[str, str]], metric: str, chart: str, role: str = "") -> dict[str, str]:
    """The newest row of ``metric``; :class:`ChartInputError` naming the chart if there is none."""
    found = rows_of(rows, metric)
    if not found:
        played = f" (the catalog's role {role}: {catalog_module.ROLE_MEANING[role]})" if role else ""
        raise ChartInputError(f"metrics.csv has no {metric!r}{played}: the {chart} chart needs it; no source "
                              "states it yet")
    return found[-1]


def number(row: dict[str, str]) -> Decimal:
    try:
        return Decimal(row["value"])
    except (InvalidOperation, KeyError) as exc:
        raise ChartInputError(f"metrics.csv: {row.get('metric')!r} on {row.get('date')!r} has value "
                              f"{row.get('value')!r}, expected a number") from exc


def plain(value: Decimal) -> str:
    """A number as written, without exponent or trailing zeros.

    >>> plain(Decimal("69")), plain(Decimal("80.20")), plain(Decimal("1E+2"))
    ('69', '80.2', '100')
    """
    text = format(value.normalize(), "f")
    return text


# --------------------------------------------------------------------------- dates
def parse_day(value: str) -> dt.date:
    """``"2021-04"`` or ``"2021-04-30"`` -> the date (first of the month when no day).

    >>> parse_day("2021-04")
    datetime.date(2021, 4, 1)
    """
    try:
        parts = [int(p) for p in value.split("-")]
        return dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError) as exc:
        raise ChartInputError(f"{value!r} is not a date (expected YYYY-MM or YYYY-MM-DD)") from exc


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February).

    >>> add_years(dt.date(2021, 4, 1), 3)
    datetime.date(2024, 4, 1)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month.

    >>> add_months(dt.date(2026, 11, 17), 2), add_months(dt.date(2021, 4, 1), -1)
    (datetime.date(2027, 1, 1), datetime.date(2021, 3, 1))
    """
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later``.

    >>> months_between(dt.date(2022, 5, 17), dt.date(2026, 11, 1))
    54
    """
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass(frozen=True)
class Facts:
    """What the charts know besides the metrics table: the metric ids playing the roles they draw
    (from the catalog), labels in both languages (Chinese in the briefing's script), what the target
    counts, and the programme (its phases)."""

    target: str
    progress: str
    start: str
    duration: str
    labels: dict[str, dict[str, str]]  # metric id -> {"en": ..., "zh": ...}
    noun: dict[str, str]  # what the target counts: {"en": "tasks", "zh": "任務"}
    programme: programme_module.Programme

    @property
    def phases(self) -> tuple[programme_module.Phase, ...]:
        return self.programme.phases

    def label(self, metric: str, lang: str) -> str:
        return self.labels[metric][lang]


def facts(catalog: catalog_module.Catalog, programme: programme_module.Programme, script: str = "hant") -> Facts:
    """:class:`Facts` from a checked catalog and programme; a missing role is an :class:`pipeline_io.InputError`."""
    import chinese_script

    roles = {role: catalog.require(role, "the progress and phases charts") for role in catalog_module.BRIEFING_ROLES}
    labels = {m.id: {"en": m.label["en"], "zh": chinese_script.convert(m.label["zh"], script)}
              for m in catalog.metrics.values()}
    target = roles["target"]
    noun = {"en": target.noun.get("en") or target.label["en"],
            "zh": chinese_script.convert(target.noun.get("zh") or target.label["zh"], script)}
    return Facts(target=target.id, progress=roles["progress"].id, start=roles["start"].id,
                 duration=roles["duration"].id, labels=labels, noun=noun, programme=programme.converted(script))


@dataclass(frozen=True)
class Window:
    """The programme's window (from the metrics playing the roles start and duration) and its phases
    (from the programme file), laid end to end from the start."""

    start: dt.date
    end: dt.date
    years: int
    start_text: str  # as precise as the source: "2021-04"
    end_text: str
    bounds: tuple[tuple[dt.date, dt.date], ...] = ()  # start and end of each phase

    def phase(self, number: int) -> tuple[dt.date, dt.date]:
        """Start and end of phase ``number`` (1-based)."""
        return self.bounds[number - 1]

    def phase_text(self, number: int) -> str:
        """Where phase ``number`` starts (``len(bounds) + 1``: where the last one ends)."""
        return self.day_text(self.boundaries()[number - 1])

    def boundaries(self) -> list[dt.date]:
        """Every phase's start, then the end of the last phase."""
        return [b[0] for b in self.bounds] + [self.bounds[-1][1]] if self.bounds else [self.start, self.end]

    def day_text(self, day: dt.date) -> str:
        """A phase boundary as precisely as the start date is known."""
        return day.isoformat()[: len(self.start_text)]


def programme_window(rows: list[dict[str, str]], facts: Facts, chart: str) -> Window:
    """Start and end of the programme from the newest figures of the metrics playing ``start`` and
    ``duration``, with the programme's phases laid from the start; the phases must last as long.

    >>> import programme
    >>> two = programme.Programme("p.yaml", (programme.Phase({"en": "a", "zh": "甲"}, 6),
    ...                                      programme.Phase({"en": "b", "zh": "乙"}, 18)), {})
    >>> f = Facts("t", "p", "s", "d", {}, {}, two)
    >>> w = programme_window([{"metric": "s", "date": "2022-05-17", "value": "2021-04"},
    ...                       {"metric": "d", "date": "2022-05-17", "value": "2"}], f, "test")
    >>> w.start, w.end, w.end_text, w.phase_text(2)
    (datetime.date(2021, 4, 1), datetime.date(2023, 4, 1), '2023-04', '2021-10')
    """
    start_text = latest(rows, facts.start, chart, "start")["value"]
    duration = latest(rows, facts.duration, chart, "duration")
    years = int(number(duration))
    if years < 1:
        raise ChartInputError(f"metrics.csv: {facts.duration} is {years}; the {chart} chart needs at least 1")
    programme_module.check_duration(facts.programme, years, f"metrics.csv ({facts.duration!r} of "
                                                             f"{duration.get('date') or 'no date'})")
    start = parse_day(start_text)
    end = add_years(start, years)
    bounds = tuple(programme_module.phase_bounds(start, facts.phases))
    return Window(start, end, years, start_text, end.isoformat()[: len(start_text)], bounds)


def dated_points(rows: list[dict[str, str]], metric: str) -> list[tuple[dt.date, dict[str, str]]]:
    """``(date, row)`` for every dated row of ``metric``, oldest first; undated rows are not placed in time."""
    return sorted(((parse_day(r["date"]), r) for r in rows if r.get("metric") == metric and r.get("date")),
                  key=lambda p: p[0])


# --------------------------------------------------------------------------- strings
def text(strings: dict[str, Any], lang: str, *path: str | int, **fmt: Any) -> str:
    """The string at ``path`` in one language's catalog, formatted."""
    node: Any = strings[lang]
    for key in path:
        node = node[key]
    return str(node).format(**fmt)


def bilingual(strings: dict[str, Any], *path: str | int, sep: str = "\n", **fmt: Any) -> str:
    """The English and Chinese strings at ``path``, formatted, joined by ``sep``."""
    return sep.join(text(strings, lang, *path, **fmt) for lang in LANGS)


def short_value(strings: dict[str, Any], row: dict[str, str]) -> str:
    """A figure with its qualifier in the compact chart form ("40+" for more than 40)."""
    qualifier = row.get("qualifier") or "eq"
    forms = strings["en"]["chart"]["values"]
    if qualifier not in forms:
        raise ChartInputError(f"metrics.csv: qualifier {qualifier!r} of {row.get('metric')!r} is unknown; "
                              f"expected one of {sorted(forms)}")
    return forms[qualifier].format(value=plain(number(row)))


# --------------------------------------------------------------------------- fonts and saving
_FAMILY_IN_USE: list[str] = []


def setup(script: str = "hant") -> str:
    """Configure matplotlib for bilingual charts; returns the CJK family in use.

    The family is registered from the file fontconfig names and then looked up with fallback
    disabled, so a missing font stops the chart instead of drawing boxes.
    """
    family = FONT_FAMILY[script]
    path = pipeline_io.font_file(family)
    if not any(f.fname == path and f.name == family for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [family],
        "font.size": 8.5,
        "axes.titlesize": 9.5,
        "axes.labelsize": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "briefing",
        "path.simplify": True,
    })
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError as exc:
        raise pipeline_io.FontMissing(f"matplotlib cannot use {family!r}: {exc}") from exc
    # A missing glyph is a broken chart, not a warning to scroll past.
    warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from font.*")
    _FAMILY_IN_USE[:] = [family]
    return family


def figure(height_in: float = 3.4) -> tuple[Any, Any]:
    return plt.subplots(figsize=(A4_TEXT_WIDTH_IN, height_in), layout="constrained")


# --------------------------------------------------------------------------- label placement
def extent(artist, renderer) -> Bbox:
    """The display-space box of a text (with its background box, if any) or any other artist."""
    box = artist.get_window_extent(renderer)
    if isinstance(artist, Text) and artist.get_bbox_patch() is not None:
        artist.update_bbox_position_size(renderer)
        box = Bbox.union([box, artist.get_bbox_patch().get_window_extent(renderer)])
    return box


def collides(box: Bbox, obstacle, renderer) -> bool:
    """Whether ``box`` (display space) touches a line's path or points, or another artist's box."""
    if isinstance(obstacle, Line2D):
        path = obstacle.get_transform().transform_path(obstacle.get_path())
        return bool(path.intersects_bbox(box, filled=False)) or any(
            box.contains(x, y) for x, y in path.vertices)
    return box.overlaps(extent(obstacle, renderer))


def place(fig, artist, candidates: list[dict[str, Any]], obstacles: list, within=None, pad_px: float = 3) -> int:
    """Move ``artist`` to the first candidate (``Artist.update`` keyword sets, e.g. ``position``,
    ``ha``, ``va``, ``text``; ``xy`` moves an annotation's anchor) that touches no obstacle and stays inside ``within`` (an artist, e.g. the
    axes); if none is clear, to the one touching the fewest. Returns the index chosen.

    Deterministic: it measures with the figure's own renderer after the layout has run.
    """
    renderer = fig.canvas.get_renderer()
    area = within.get_window_extent(renderer) if within is not None else None
    best: tuple[int, int] | None = None
    def apply(candidate: dict[str, Any]) -> None:
        if "xy" in candidate:  # an annotation's anchor, which Artist.update cannot set
            artist.xy = candidate["xy"]
        artist.update({k: v for k, v in candidate.items() if k != "xy"})

    for index, candidate in enumerate(candidates):
        apply(candidate)
        box = extent(artist, renderer).padded(pad_px)
        score = sum(collides(box, obstacle, renderer) for obstacle in obstacles if obstacle is not artist)
        if area is not None and not (area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0
                                     and box.y1 <= area.y1):
            score += len(obstacles) + 1
        if score == 0:
            return index
        if best is None or score < best[0]:
            best = (score, index)
    apply(candidates[best[1]])
    return best[1]


def phase_wordings(phase, number: int) -> list[str]:
    """How a phase is labelled, longest first: its whole name in both languages, the first line of
    each, its number (a short phase in a long plan has little room)."""
    full = f"{phase.name['en']}\n{phase.name['zh']}"
    short = f"{phase.name['en'].split(chr(10))[0]}\n{phase.name['zh'].split(chr(10))[0]}"
    return list(dict.fromkeys([full, short, str(number)]))


def fit_text(fig, artist: Text, width_px: float, wordings: list[str]) -> str:
    """Give ``artist`` the first of ``wordings`` no wider than ``width_px`` (else the last); returns it."""
    renderer = fig.canvas.get_renderer()
    for wording in wordings:
        artist.set_text(wording)
        if artist.get_window_extent(renderer).width <= width_px:
            return wording
    return wordings[-1]


def drawn_texts(fig) -> list[Text]:
    """Every visible, non-empty text of the figure (titles, labels, tick labels, legend entries)."""
    fig.draw_without_rendering()
    hidden = {id(label) for ax in fig.axes if not ax.axison
              for axis in (ax.xaxis, ax.yaxis) for label in axis.get_ticklabels(which="both")}
    return [t for t in fig.findobj(lambda a: isinstance(a, Text))
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def text_overlaps(fig, pad_px: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap: what a reader would see as a collision."""
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), extent(t, renderer).padded(pad_px)) for t in drawn_texts(fig)]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]


def texts_outside(fig) -> list[str]:
    """Drawn texts that run past the figure's edge (clipped in the saved file)."""
    renderer = fig.canvas.get_renderer()
    texts = drawn_texts(fig)
    edge = fig.bbox
    return [t.get_text() for t in texts if (box := extent(t, renderer)).x0 < edge.x0 - 0.5
            or box.x1 > edge.x1 + 0.5 or box.y0 < edge.y0 - 0.5 or box.y1 > edge.y1 + 0.5]


@functools.lru_cache(maxsize=None)
def font_charmap(path: str) -> frozenset[int]:
    """Code points the font file at ``path`` maps; read once per file (a CJK face maps ~65,000,
    and rebuilding that table for every text on a chart cost ~0.1 s per chart)."""
    return frozenset(font_manager.get_font(path).get_charmap())


def missing_glyphs(fig) -> dict[str, str]:
    """``{text: characters}`` for every drawn text with a character its font lacks, or that is not
    drawn in the chosen CJK family (matplotlib would fall back silently)."""
    problems: dict[str, str] = {}
    for artist in drawn_texts(fig):
        content = artist.get_text()
        try:
            path = font_manager.findfont(artist.get_fontproperties(), fallback_to_default=False)
        except ValueError:
            problems[content] = "(font not found)"
            continue
        font = font_manager.get_font(path)
        if _FAMILY_IN_USE and font.family_name != _FAMILY_IN_USE[0]:
            problems[content] = f"(drawn in {font.family_name})"
            continue
        charmap = font_charmap(path)
        lacking = "".join(sorted({c for c in content if not c.isspace() and ord(c) not in charmap}))
        if lacking:
            problems[content] = lacking
    return problems


def check_glyphs(fig) -> None:
    problems = missing_glyphs(fig)
    if problems:
        detail = "; ".join(f"{text!r}: {chars}" for text, chars in sorted(problems.items()))
        raise pipeline_io.FontMissing(f"chart text the font cannot draw: {detail}")


def render(fig, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, with metadata that never changes between runs."""
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}[fmt]
    fig.savefig(buffer, format=fmt, metadata=metadata, dpi=200)
    return buffer.getvalue()


def save(fig, svg_path: str, png_path: str) -> None:
    """Check every glyph, write both formats atomically and close the figure."""
    check_glyphs(fig)
    pipeline_io.atomic_write_bytes(svg_path, render(fig, "svg"))
    pipeline_io.atomic_write_bytes(png_path, render(fig, "png"))
    plt.close(fig)
