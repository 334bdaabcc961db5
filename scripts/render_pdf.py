"""Render the briefing HTML to an archival PDF with WeasyPrint, offline, reading only project files.

- Fonts are checked first, and every character of the document must have a glyph in the CJK face
  or in the Latin fallback: a missing font or glyph fails the build instead of printing boxes.
- The URL fetcher serves ``file:`` URLs inside the allowed folders (templates/, results/) and
  nothing else: no network, no other local file, whatever the HTML asks for.
- PDF/A-3b, tagged, with ``metrics.csv``, ``checks.json`` and ``commentary.json`` attached (relationship Data). Dates
  inside the PDF derive from the reporting period, never the clock, so rebuilds are identical.
- The PDF is written atomically.
"""

import datetime as dt
import html.parser
import io
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pipeline_io
from contracts import FALLBACK_FONTS, FONT_FAMILY

#: The fonts :func:`check_fonts` checks by default (a job checks its own script's CJK face).
REQUIRED_FONTS = (FONT_FAMILY["hant"], *FALLBACK_FONTS)


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


class _TextCollector(html.parser.HTMLParser):
    """Visible text of an HTML document, with the line each piece starts on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append((self.getpos()[0], data))


def document_text(html_text: str) -> list[tuple[int, str]]:
    r"""(line, text) pieces of the visible text.

    >>> document_text("<p>a</p>\n<style>x{}</style><p>中</p>")
    [(1, 'a'), (2, '中')]
    """
    parser = _TextCollector()
    parser.feed(html_text)
    return parser.pieces


def parse_charset(ranges: str) -> set[int]:
    """Code points of a fontconfig charset (hex ranges such as ``"20-7e a0"``).

    >>> sorted(parse_charset("41-43 4e00"))
    [65, 66, 67, 19968]
    """
    points: set[int] = set()
    for part in ranges.split():
        low, _, high = part.partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def font_charset(family: str) -> set[int]:
    """Code points the face fontconfig picks for ``family`` covers (the right face of a TTC),
    read from fontconfig's cache: ~20 ms, where parsing the CJK font's cmap takes ~200 ms."""
    import subprocess

    out = subprocess.run(["fc-match", "--format=%{charset}", family], capture_output=True, text=True, check=True)
    return parse_charset(out.stdout)


def missing_glyphs(pieces: list[tuple[int, str]], charsets: list[set[int]]) -> list[tuple[str, int, str]]:
    r"""(character, html line, context) for each character no font covers (first place only).

    >>> missing_glyphs([(3, "ab\u0378c")], [{ord("a"), ord("b"), ord("c")}])
    [('\u0378', 3, 'ab\u0378c')]
    """
    covered = set().union(*charsets) if charsets else set()
    seen, out = set(), []
    for line, text in pieces:
        for i, ch in enumerate(text):
            if ch.isspace() or ord(ch) in covered or ch in seen:
                continue
            seen.add(ch)
            out.append((ch, line, text[max(0, i - 15): i + 15]))
    return out


def check_glyphs(html_text: str, families: list[str], html_path: str) -> None:
    missing = missing_glyphs(document_text(html_text), [font_charset(f) for f in families])
    if missing:
        detail = "; ".join(f"U+{ord(ch):04X} {ch!r} at line {line} ({context!r})" for ch, line, context in missing[:10])
        raise pipeline_io.InputError(
            html_path, f"{len(missing)} character(s) have no glyph in {', '.join(families)}: {detail}")


def period_timestamp(period: str) -> dt.datetime:
    """The fixed date stamped into the PDF: the first day of the period, midnight UTC.

    >>> period_timestamp("2026-11").isoformat()
    '2026-11-01T00:00:00+00:00'
    """
    year, month = (int(p) for p in period.split("-"))
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def render_pdf(html_path: str | os.PathLike, roots: list[Path], log=None, attachments=(), period: str | None = None,
               archival: bool = True) -> bytes:
    """PDF bytes. ``attachments`` are file paths (inside ``roots``) embedded with relationship Data."""
    from weasyprint import HTML, Attachment

    fetcher = make_fetcher(roots, log)
    document = HTML(filename=str(html_path), url_fetcher=fetcher)
    stamp = period_timestamp(period) if period else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    files = [Attachment(filename=str(p), url_fetcher=fetcher, name=Path(p).name, created=stamp, modified=stamp,
                        relationship="Data") for p in attachments]
    options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True} if archival else {}
    buffer = io.BytesIO()
    document.write_pdf(buffer, attachments=files, **options)
    return buffer.getvalue()


def pdf_from_job(smk, log=None) -> bytes:
    """The archival PDF of the job's HTML (``smk.output.html``, already written): fonts and glyphs
    checked first, metrics, checks and the commentary's checks (``commentary.json``) attached."""
    families = [smk.params.cjk_font, *FALLBACK_FONTS]
    fonts = check_fonts(families)
    if log:
        log.info("fonts: %s", fonts)
    html_path = smk.output.html
    check_glyphs(Path(html_path).read_text(encoding="utf-8"), families, html_path)
    roots = [Path(p) for p in smk.params.allowed_roots]
    commentary = [smk.input.commentary] if getattr(smk.input, "commentary", None) else []  # its checks too
    return render_pdf(html_path, roots, log, attachments=[smk.input.metrics, smk.input.checks, *commentary],
                      period=smk.wildcards.period)
