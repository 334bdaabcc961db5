"""Shared chart set-up: the CJK font chosen explicitly, a colour-blind-safe palette, A4 sizes,
and saving SVG/PNG byte-identically (no dates, fixed hash salt, no software version).

Imported by the plot_* scripts only (matplotlib is heavy; per-source steps never import it).
"""


import io
import warnings
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

import pipeline_io  # noqa: E402

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
CJK_FAMILY = {"hant": "Noto Sans CJK TC", "hans": "Noto Sans CJK SC"}


def setup(script: str = "hant") -> str:
    """Configure matplotlib for bilingual charts; returns the CJK family in use."""
    family = CJK_FAMILY[script]
    font_manager.fontManager.addfont(pipeline_io.font_file(family))
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "font.size": 8.5,
        "axes.titlesize": 10,
        "axes.labelsize": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "briefing",
        "path.simplify": True,
    })
    # A missing glyph is a broken chart, not a warning to scroll past.
    warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from font.*")
    return family


def figure(height_in: float = 3.4) -> tuple[Any, Any]:
    return plt.subplots(figsize=(A4_TEXT_WIDTH_IN, height_in), layout="constrained")


def render(fig, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, with metadata that never changes between runs."""
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}[fmt]
    fig.savefig(buffer, format=fmt, metadata=metadata, dpi=200)
    return buffer.getvalue()


def save(fig, svg_path: str, png_path: str) -> None:
    """Write both formats atomically and close the figure."""
    pipeline_io.atomic_write_bytes(svg_path, render(fig, "svg"))
    pipeline_io.atomic_write_bytes(png_path, render(fig, "png"))
    plt.close(fig)
