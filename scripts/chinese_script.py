"""Which Chinese script the briefing prints, and conversion to it (OpenCC).

``zh_script`` in the config is ``source`` (follow the sources: Traditional if any source is
tagged ``zh-Hant``, Simplified if all Chinese sources are ``zh-Hans``), ``hant`` or ``hans``.
The script decides the conversion of every Chinese string the briefing shows (string catalog,
metric labels, chart labels), the ``lang`` tag and the font face (Noto Sans CJK TC or SC).
Quotations in the provenance section stay as the source wrote them: they are evidence.
"""

from functools import lru_cache
from typing import Any, Iterable

from contracts import FONT_FAMILY, LANG_TAG, SCRIPTS  # noqa: F401 (re-exported)

#: OpenCC configurations: to Traditional (OpenCC standard forms), to Simplified.
OPENCC_CONFIG = {"hant": "s2t.json", "hans": "t2s.json"}


def resolve_script(setting: str, source_langs: Iterable[str]) -> str:
    """``hant`` or ``hans`` for a ``zh_script`` setting and the sources' language tags.

    >>> resolve_script("source", ["en", "zh-Hant"]), resolve_script("source", ["zh-Hans"])
    ('hant', 'hans')
    >>> resolve_script("hans", ["zh-Hant"]), resolve_script("source", ["en"])
    ('hans', 'hant')
    """
    if setting in SCRIPTS:
        return setting
    if setting != "source":
        raise ValueError(f"zh_script {setting!r} is not one of source, hant, hans")
    tags = [t for t in source_langs if t.lower().startswith("zh")]
    if tags and all(t.lower() in ("zh-hans", "zh-cn", "zh-sg") for t in tags):
        return "hans"
    return "hant"


def script_of_tag(tag: str) -> str:
    """The script a language tag names (plain ``zh`` counts as Traditional, like the seed).

    >>> script_of_tag("zh-Hans"), script_of_tag("zh-Hant"), script_of_tag("zh")
    ('hans', 'hant', 'hant')
    """
    return "hans" if tag.lower() in ("zh-hans", "zh-cn", "zh-sg") else "hant"


@lru_cache(maxsize=2)
def _converter(script: str):
    import opencc

    return opencc.OpenCC(OPENCC_CONFIG[script])


def convert(text: str, script: str) -> str:
    """``text`` in ``script``.

    >>> convert("两年见成效", "hant"), convert("兩年見成效", "hans")
    ('兩年見成效', '两年见成效')
    """
    return _converter(script).convert(text) if text else text


def convert_tree(node: Any, script: str) -> Any:
    """Every string in a nested structure of dicts and lists, converted (keys are kept)."""
    if isinstance(node, str):
        return convert(node, script)
    if isinstance(node, dict):
        return {key: convert_tree(value, script) for key, value in node.items()}
    if isinstance(node, list):
        return [convert_tree(value, script) for value in node]
    return node
