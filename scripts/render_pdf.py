"""Render the briefing HTML to PDF with WeasyPrint, offline and reading only project files.

- Fonts are checked first: a missing CJK face fails the build instead of printing boxes.
- The URL fetcher serves ``file:`` URLs inside the allowed folders (templates/, results/) and
  nothing else: no network, no other local file, whatever the HTML asks for.
- The PDF is written atomically; WeasyPrint output is byte-identical for identical inputs.
"""


import io
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pipeline_io

REQUIRED_FONTS = ("Noto Sans CJK TC",)


def allowed_path(url: str, roots: list[Path]) -> Path | None:
    """The local file a ``file:`` URL names if it lies inside one of ``roots``, else None.

    >>> allowed_path("file:///p/results/a.svg", [Path("/p/results")])
    PosixPath('/p/results/a.svg')
    >>> allowed_path("file:///etc/passwd", [Path("/p/results")]) is None
    True
    >>> allowed_path("http://example.org/x.png", [Path("/p/results")]) is None
    True
    """
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.realpath(unquote(parsed.path)))
    for root in roots:
        root = Path(os.path.realpath(root))
        if path == root or root in path.parents:
            return path
    return None


def make_fetcher(roots: list[Path], log=None):
    """A WeasyPrint URL fetcher limited to files under ``roots``."""
    from weasyprint.urls import URLFetcher

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if allowed_path(url, roots) is None:
                if log:
                    log.warning("refused to fetch %s (only project files are read)", url)
                raise ValueError(f"refused: {url} is outside the project's templates and results")
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols={"file", "data"})


def check_fonts(families=REQUIRED_FONTS) -> dict[str, str]:
    """Family -> font file, or :class:`pipeline_io.FontMissing` naming what to install."""
    return {family: pipeline_io.font_file(family) for family in families}


def render_pdf(html_path: str | os.PathLike, roots: list[Path], log=None) -> bytes:
    from weasyprint import HTML

    document = HTML(filename=str(html_path), url_fetcher=make_fetcher(roots, log))
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue()


def main(smk) -> None:
    def body(log):
        fonts = check_fonts()
        log.info("fonts: %s", fonts)
        roots = [Path(p) for p in smk.params.allowed_roots]
        data = render_pdf(smk.input.html, roots, log)
        pipeline_io.atomic_write_bytes(smk.output.pdf, data)
        log.info("%s: %d bytes", smk.output.pdf, len(data))

    pipeline_io.run_main("render_pdf", smk.log[0] if smk.log else None, body)


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
