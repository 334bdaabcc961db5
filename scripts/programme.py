"""A programme file (``config/programmes/{briefing}.yaml``): its only reader.

What only this programme says, checked against ``config/programme.schema.yaml``:

* ``phases``: the plan's phases in order, any number and any length (``months`` or ``years``),
  each with a name in both languages and, optionally, its focus areas in both languages. The
  charts lay them from the start of the plan (the catalog's ``role: start``); together they must
  last as long as the plan runs (``role: duration``), which :func:`check_duration` checks.
* ``en`` / ``zh``: the briefing's own words in each language (title, subtitle, keywords and the
  publisher, who is the PDF's author), laid over the shared string catalogs
  (``templates/i18n/{en,zh}.yaml``) by :func:`pipeline_io.load_strings`.

Errors are :class:`pipeline_io.InputError` naming the file and the key.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pipeline_io
from contracts import LANGS

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "config" / "programme.schema.yaml"


@dataclass(frozen=True)
class Phase:
    name: dict[str, str]
    months: int
    focus_areas: dict[str, list[str]] = field(default_factory=dict)  # lang -> items, or empty

    def title(self, lang: str) -> str:
        """The name on one line ("Year 2: good momentum").

        >>> Phase({"en": "Year 2\\ngood momentum", "zh": "第二年\\n兩年見成效"}, 12).title("zh")
        '第二年：兩年見成效'
        """
        return ("：" if lang == "zh" else ": ").join(part.strip() for part in self.name[lang].split("\n"))


@dataclass(frozen=True)
class Programme:
    path: str
    phases: tuple[Phase, ...]
    strings: dict[str, dict[str, Any]]  # lang -> the programme's words (briefing: title, ...)

    @property
    def months(self) -> int:
        return sum(p.months for p in self.phases)

    def converted(self, script: str) -> "Programme":
        """The same programme with its Chinese in ``script`` (``hant`` or ``hans``)."""
        import chinese_script

        def zh(node):
            return chinese_script.convert_tree(node, script)

        phases = tuple(Phase({**p.name, "zh": zh(p.name["zh"])}, p.months,
                             {**p.focus_areas, "zh": zh(p.focus_areas["zh"])} if p.focus_areas else {})
                       for p in self.phases)
        return Programme(self.path, phases, {**self.strings, "zh": zh(self.strings["zh"])})


def validate(data: Any, path: str | Path = "<programme>") -> Programme:
    """A checked :class:`Programme` from parsed YAML, or :class:`pipeline_io.InputError`."""
    pipeline_io.check_against_schema(data, SCHEMA_PATH, path)
    phases = []
    for number, entry in enumerate(data["phases"]):  # numbered from 0, as the schema errors are
        if ("months" in entry) == ("years" in entry):
            raise pipeline_io.InputError(path, f"phases[{number}] ({entry['name']['en']!r}) needs its length as "
                                               "either 'months' or 'years' (one of them)")
        areas = entry.get("focus_areas") or {}
        if areas and len(areas["en"]) != len(areas["zh"]):
            raise pipeline_io.InputError(path, f"phases[{number}] ({entry['name']['en']!r}) has {len(areas['en'])} "
                                               f"English and {len(areas['zh'])} Chinese focus areas; expected the "
                                               "same list in both languages")
        months = entry["months"] if "months" in entry else 12 * entry["years"]
        phases.append(Phase(dict(entry["name"]), months, {lang: list(areas[lang]) for lang in LANGS} if areas else {}))
    return Programme(str(path), tuple(phases), {lang: data[lang] for lang in LANGS})


def load(path: str | Path, script: str | None = None) -> Programme:
    """Read and check a programme file; with ``script``, its Chinese converted to that script."""
    try:
        data = pipeline_io.read_yaml(path)
    except OSError as exc:
        raise pipeline_io.InputError(path, f"cannot read the programme file: {exc.strerror or exc}") from exc
    programme = validate(data, path)
    return programme.converted(script) if script else programme


# ----------------------------------------------------------------------------------- time
def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter).

    >>> shift_months(dt.date(2021, 4, 1), 18), shift_months(dt.date(2024, 1, 31), 1)
    (datetime.date(2022, 10, 1), datetime.date(2024, 2, 29))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def phase_bounds(start: dt.date, phases: tuple[Phase, ...] | list[Phase]) -> list[tuple[dt.date, dt.date]]:
    """Start and end of each phase, laid end to end from ``start``.

    >>> p = [Phase({"en": "a", "zh": "甲"}, 6), Phase({"en": "b", "zh": "乙"}, 18)]
    >>> [(a.isoformat(), b.isoformat()) for a, b in phase_bounds(dt.date(2023, 3, 1), p)]
    [('2023-03-01', '2023-09-01'), ('2023-09-01', '2025-03-01')]
    """
    bounds, elapsed = [], 0
    for phase in phases:
        bounds.append((shift_months(start, elapsed), shift_months(start, elapsed + phase.months)))
        elapsed += phase.months
    return bounds


def check_duration(programme: Programme, years: int, where: str) -> None:
    """The phases must last as long as the sources say the plan runs (``where`` names that figure)."""
    if programme.months != 12 * years:
        lengths = " + ".join(str(p.months) for p in programme.phases)
        raise pipeline_io.InputError(
            programme.path, f"the phases last {lengths} = {programme.months} months, but {where} says the plan runs "
                            f"{years} year(s) ({12 * years} months): make the phases add up to the plan's duration")
