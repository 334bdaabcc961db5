"""Read a source document that is not plain text into lines, each with where it is in the original.

Formats (by :data:`source_files.FORMATS`): ``md`` (Markdown), ``html`` (a saved web page),
``pdf`` (its text layer), ``docx`` (Word). ``txt`` is decoded by :func:`normalize.decode_bytes`
directly. :func:`read_document` returns a :class:`Document`; :func:`normalize.normalize_source`
then runs the same per-line steps on its lines as on a text file's.

Each line has a ``line`` number (unique, increasing) and, where a reader cites the original
differently, a ``loc`` (kept in the normalized JSON and in provenance ``source:lang:loc``):

* ``md``: one line per line of the file, markup removed (headings' ``#``, emphasis, links and
  images reduced to their text, HTML tags, table rules, YAML front matter); ``line`` is the
  file's own line number, no ``loc``.
* ``html``: the main text only, by trafilatura (menus, share bars, related links, footers,
  comments dropped); one line per paragraph, heading, list item or table row (cells joined by
  `` | ``); ``loc`` = ``p{n}``, the n-th such block of the article as extracted (a line break
  inside a block gives another line with the same ``loc``). Decoding: a BOM, else the charset the
  page declares (``<meta charset>``, or the HTTP header of a fetched page), else the text-file
  policy of :func:`normalize.decode_bytes` (UTF-8, or clearly Chinese GB18030/Big5); a
  metadata ``encoding:`` overrides all. Metadata read from the page: title (the site's name
  removed), author, date (from the page's metadata only, never guessed from its text), site
  name (``publisher``), canonical URL, and languages (``lang`` of ``<html>`` and of the article's
  elements).
* ``pdf``: the text layer, page by page (pypdf); wrapped lines are joined back into paragraphs
  (a wider gap than the line pitch, a change of font size, an indented first line or a short line
  ending a sentence starts a new one; a paragraph may continue over a page break) with the exact
  rule: no separator if either side is Chinese, none after a line-ending hyphen, else one
  space. Running heads and feet (the same line, digits aside, at the top or bottom of most pages,
  e.g. "Page 3 of 6") are dropped and counted in ``notes``. ``loc`` = ``{page}:{line}``, the
  page and the paragraph's first line on it, counting that page's text lines in reading order,
  running heads excluded. A PDF with no text layer (a scan) is an error saying OCR is needed.
  Title and author come from the PDF's document information.
* ``docx``: body paragraphs and table rows in document order (python-docx); ``loc`` = ``p{n}``
  for the n-th non-empty paragraph, ``t{k}r{i}`` for row i of table k. Title and author come
  from the document's properties.

Heavy libraries (trafilatura, pypdf, python-docx) are imported inside the reader that needs them,
so that a ``.txt`` source's job does not pay for them.
"""

import io
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import normalize
from pipeline_io import InputError


@dataclass
class Document:
    """What a reader found: lines (before normalize's per-line steps) and where each came from."""

    format: str
    lines: list[str]
    numbers: list[int]  # the ``line`` of each line: unique and increasing
    locs: list[str | None]  # the ``loc`` of each line, None where ``line`` says it
    encoding: str  # how the text was obtained, e.g. "utf-8" or "pdf text layer"
    metadata: dict[str, Any] = field(default_factory=dict)  # metadata keys found in the document
    notes: list[str] = field(default_factory=list)  # what the reader dropped or noticed (logged)
    warnings: list[str] = field(default_factory=list)


def read_document(raw: bytes, fmt: str, path: str, *, encoding: str | None = None, charset: str | None = None,
                  meta_path: str | None = None) -> Document:
    """Read ``raw`` (the bytes of ``path``) as ``fmt``; :class:`InputError` naming ``path`` if it
    cannot be read. ``encoding`` is the metadata's ``encoding:`` key, ``charset`` the charset an
    HTTP server declared for a fetched page."""
    readers = {"md": read_markdown, "html": read_html, "pdf": read_pdf, "docx": read_docx}
    if fmt not in readers:
        raise InputError(path, f"format {fmt!r} has no reader; expected one of {sorted(readers)} (or txt)")
    return readers[fmt](raw, path, encoding=encoding, charset=charset, meta_path=meta_path)


def _numbered(fmt: str, lines: list[str], locs: list[str | None], encoding: str, **extra: Any) -> Document:
    return Document(fmt, lines, list(range(1, len(lines) + 1)), locs, encoding, **extra)


def _no_text(path: str, what: str) -> InputError:
    return InputError(path, f"no text found: {what}")


# ---------------------------------------------------------------- language tags


def supported_tag(tag: str) -> str | None:
    """A page's language tag as one of normalize's supported tags, or None.

    >>> [supported_tag(t) for t in ("en-GB", "zh-TW", "zh-Hans-CN", "zh_CN", "ZH", "fr")]
    ['en', 'zh-Hant', 'zh-Hans', 'zh-Hans', 'zh', None]
    """
    t = tag.strip().replace("_", "-").lower()
    if t == "en" or t.startswith("en-"):
        return "en"
    if t in ("zh-tw", "zh-hk", "zh-mo") or t.startswith("zh-hant"):
        return "zh-Hant"
    if t in ("zh-cn", "zh-sg") or t.startswith("zh-hans"):
        return "zh-Hans"
    return "zh" if t == "zh" else None


def _ordered_tags(tags: list[str]) -> list[str]:
    """Distinct supported tags, ``en`` first; a plain ``zh`` only when no script is named.

    >>> _ordered_tags(["zh-CN", "en-US", "zh", "fr"])
    ['en', 'zh-Hans']
    """
    found = {t for t in (supported_tag(x) for x in tags if x) if t}
    chinese = [t for t in ("zh-Hant", "zh-Hans") if t in found] or (["zh"] if "zh" in found else [])
    return (["en"] if "en" in found else []) + chinese


# ---------------------------------------------------------------- markdown

_MD_RULES = [
    (re.compile(r"^\s{0,3}(?:```|~~~).*$"), ""),  # code fence lines (the code itself is kept)
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$"), ""),  # reference definitions
    (re.compile(r"^\s{0,3}(?:[-=_*]\s*){3,}$"), ""),  # rules and setext underlines
    (re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$"), ""),  # table rules
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$"), r"\1"),  # ATX headings
    (re.compile(r"^(\s{0,3}>\s?)+"), ""),  # block quotes
    (re.compile(r"^(\s*)[-*+]\s+(?:\[[ xX]\]\s+)?"), r"\1"),  # bullets (task boxes too)
    (re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),  # links -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links -> text
    (re.compile(r"<(?:https?|mailto):[^>\s]+>"), ""),  # autolinks
    (re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>"), ""),  # HTML comments and tags
    (re.compile(r"`+([^`]+?)`+"), r"\1"),  # code spans
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis *x*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis _x_
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # backslash escapes
]


def markdown_line(line: str) -> str:
    """One Markdown line as plain text (line-preserving: never joins or splits lines).

    >>> markdown_line("## The **86** tasks, see [the plan](https://example.org/plan-2021.pdf) \\\\#1")
    'The 86 tasks, see the plan #1'
    >>> markdown_line("| 2021 | 86 tasks |"), markdown_line("|---|:--:|"), markdown_line("1. First step")
    ('| 2021 | 86 tasks |', '', '1. First step')
    """
    for pattern, repl in _MD_RULES:
        line = pattern.sub(repl, line)
    return line.rstrip()


def read_markdown(raw: bytes, path: str, *, encoding=None, charset=None, meta_path=None) -> Document:
    text, enc = normalize.decode_bytes(raw, path, encoding, meta_path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    metadata: dict[str, Any] = {}
    notes = []
    if lines and lines[0].lstrip("\ufeff").strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            import source_files

            front, _ = source_files.parse_metadata_yaml("\n".join(lines[1:end]), f"{path} (front matter)")
            if isinstance(front, dict):
                metadata = {k: v for k, v in front.items() if k in source_files.METADATA_KEYS and k != "encoding"}
            lines[: end + 1] = [""] * (end + 1)
            notes.append(f"front matter (lines 1-{end + 1}) read as metadata: {sorted(metadata) or 'nothing usable'}")
    out = [markdown_line(line.lstrip("\ufeff") if i == 0 else line) for i, line in enumerate(lines)]
    if not any(line.strip() for line in out):
        raise _no_text(path, "the Markdown file has no text outside its markup")
    return Document("md", out, list(range(1, len(out) + 1)), [None] * len(out), enc, metadata, notes)


# ---------------------------------------------------------------- html

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
#: What browsers do with common mislabels (WHATWG Encoding): read the superset.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
                    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252"}


def decode_html(raw: bytes, path: str, *, encoding: str | None = None, charset: str | None = None,
                meta_path: str | None = None) -> tuple[str, str]:
    """``(text, how)``: the page's text and how it was decoded (see the module docstring)."""
    if encoding or raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return normalize.decode_bytes(raw, path, encoding, meta_path)
    declared, where = charset, "HTTP header"
    if not declared:
        match = _META_CHARSET_RE.search(raw[:8192])
        declared, where = (match.group(1).decode("ascii").lower(), "meta charset") if match else (None, "")
    if declared:
        import codecs

        name = _CHARSET_ALIASES.get(declared.lower(), declared.lower())
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            raise InputError(path, f"the page declares charset {declared!r} ({where}), which Python does not know; "
                             f"set 'encoding:' in {meta_path or 'its metadata'}") from None
        if codec not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # a mislabel: bytes are 8-bit
            try:
                return raw.decode(codec), f"{codec} ({where})"
            except UnicodeDecodeError as exc:
                raise InputError(path, f"the page declares charset {declared!r} ({where}) but byte {exc.start} "
                                 f"is not valid {codec}; set 'encoding:' in {meta_path or 'its metadata'}",
                                 raw[: exc.start].count(b"\n") + 1) from None
    return normalize.decode_bytes(raw, path, None, meta_path)


def _block_lines(element) -> list[str]:
    """The text of one block of trafilatura's XML, split at ``<lb/>``, whitespace collapsed."""
    parts: list[str] = []

    def walk(el, top: bool) -> None:
        if not top and el.tag in ("list", "table"):
            return  # nested blocks are read on their own
        if el.tag == "lb":
            parts.append("\n")
        elif el.text:
            parts.append(el.text)
        for child in el:
            walk(child, False)
            if child.tail:
                parts.append(child.tail)

    walk(element, True)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return [line for line in lines if line]


def _html_blocks(main) -> list[tuple[str, list[str]]]:
    """``(kind, lines)`` per block in document order: ``p`` (paragraph, heading, list item, quote,
    code) or ``row`` (a table row, cells joined by `` | ``)."""
    blocks: list[tuple[str, list[str]]] = []
    for el in main:
        if el.tag == "list":
            blocks += [("p", _block_lines(item)) for item in el.iter("item")]
        elif el.tag == "table":
            for row in el.iter("row"):
                cells = [" ".join(_block_lines(cell)) for cell in row.iter("cell")]
                blocks.append(("row", [" | ".join(c for c in cells if c)]))
        elif el.tag in ("quote", "div") and any(child.tag in ("p", "list", "table", "head") for child in el):
            blocks += _html_blocks(el)
        elif el.tag != "graphic":
            blocks.append(("p", _block_lines(el)))
    return [(kind, lines) for kind, lines in blocks if any(lines)]


def _page_languages(text: str) -> list[str]:
    """Supported language tags the page declares: ``<html lang>`` and ``lang`` inside the article."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(text)
    except Exception:  # lxml raises ParserError, ValueError, ... for odd pages; languages are optional
        return []
    tags = [root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""]
    scope = root.xpath("//article|//main") or root.xpath("//body")
    for el in scope[:1]:
        tags += [str(v) for v in el.xpath(".//@lang")]
    return _ordered_tags(tags)


def read_html(raw: bytes, path: str, *, encoding=None, charset=None, meta_path=None) -> Document:
    import copy

    import trafilatura
    from lxml import etree
    from trafilatura.settings import DEFAULT_CONFIG

    text, how = decode_html(raw, path, encoding=encoding, charset=charset, meta_path=meta_path)
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max(len(raw) + 1, 20_000_000)))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    xml = trafilatura.extract(
        text, output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True}, config=config)
    if not xml:
        raise _no_text(path, "trafilatura found no main text in the page (is it a page of links only, or "
                       "does it build its text with JavaScript?)")
    doc = etree.fromstring(xml.encode("utf-8"))
    main = doc.find("main")
    blocks = _html_blocks(main if main is not None else doc)
    lines: list[str] = []
    locs: list[str | None] = []
    paragraph = table = row = 0
    last_kind = None
    for kind, block in blocks:
        if kind == "p":
            paragraph += 1
            loc = f"p{paragraph}"
        else:
            if last_kind != "row":
                table, row = table + 1, 0
            row += 1
            loc = f"t{table}r{row}"
        last_kind = kind
        lines += block
        locs += [loc] * len(block)
    if not lines:
        raise _no_text(path, "the page's main text is empty")
    metadata = {key: doc.get(attr) for key, attr in (("title", "title"), ("author", "author"), ("date", "date"),
                                                      ("publisher", "sitename"), ("url", "url")) if doc.get(attr)}
    languages = _page_languages(text)
    if languages:
        metadata["languages"] = languages
    notes = [f"main text by trafilatura {trafilatura.__version__}: {paragraph} paragraph(s), {table} table(s); "
             "menus, related links, footers and comments dropped"]
    return _numbered("html", lines, locs, how, metadata=metadata, notes=notes)


# ---------------------------------------------------------------- pdf

_SENTENCE_END = tuple(".!?。！？:：;；…") + ("”", "」", "』", '"', "'", "’", ")", "）")


def _is_cjk(ch: str) -> bool:
    return normalize.is_han(ch) or (ord(ch) >= 0x2E80 and normalize.is_cjk_punct(ch))


def _chinese_side(text: str) -> bool:
    """Whether the end of ``text`` that touches the join is Chinese: its character is Chinese, or,
    past quotes and brackets that both languages use (“ ” ‘ ’ ( )), the nearest letter is."""
    for ch in text:
        if _is_cjk(ch):
            return True
        if ch.isalnum():
            return False
    return False


def join_wrapped(first: str, second: str) -> str:
    """Join two wrapped lines of one paragraph: no separator if either side is Chinese, none after
    a line-ending hyphen, else one space.

    >>> join_wrapped("總體方案86", "項任務"), join_wrapped("Twin-", "Hub"), join_wrapped("86 tasks", "of the plan")
    ('總體方案86項任務', 'Twin-Hub', '86 tasks of the plan')
    """
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first + second
    if _chinese_side(reversed(first)) or _chinese_side(second) or first.endswith("-"):
        return first + second
    return first + " " + second


@dataclass
class _PdfLine:
    page: int
    text: str
    x: float
    y: float
    size: float
    number: int = 0  # line on the page, reading order, running heads excluded


def _page_lines(page, number: int) -> list[_PdfLine]:
    """The page's text lines (pypdf's reading order) with the position and size of each."""
    chunks: list[tuple[int, float, float, float]] = []  # (end offset, x, y, size)
    offset = 0

    def visit(text, cm, tm, font_dict, font_size):
        nonlocal offset
        if not text:
            return
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        offset += len(text)
        chunks.append((offset, x, y, abs(font_size) * (c * c + d * d) ** 0.5))

    text = page.extract_text(visitor_text=visit)
    lines = []
    start = 0
    index = 0
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        first = start + (len(raw_line) - len(raw_line.lstrip()))
        start += len(raw_line) + 1
        if not stripped:
            continue
        while index < len(chunks) - 1 and chunks[index][0] <= first:
            index += 1
        _, x, y, size = chunks[index] if chunks else (0, 0.0, 0.0, 0.0)
        lines.append(_PdfLine(number, " ".join(stripped.split()), x, y, round(size * 2) / 2))
    return lines


def _running_heads(pages: list[list[_PdfLine]]) -> set[tuple[int, int]]:
    """(page, index) of lines repeated, digits aside, at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    seen: dict[str, list[tuple[int, int]]] = {}
    for p, lines in enumerate(pages):
        if not lines:
            continue
        by_height = sorted(range(len(lines)), key=lambda i: -lines[i].y)
        for i in set(by_height[:2] + by_height[-2:]):
            key = re.sub(r"\d+", "#", lines[i].text)
            seen.setdefault(key, []).append((p, i))
    need = max(2, -(-len(pages) // 2))
    return {spot for spots in seen.values() if len({p for p, _ in spots}) >= need for spot in spots}


def _pitches(lines: list[_PdfLine]) -> dict[float, float]:
    """Font size -> the usual distance between two lines of one paragraph at that size."""
    gaps: dict[float, list[float]] = {}
    for prev, cur in pairwise(lines):
        if prev.page == cur.page and prev.size == cur.size and 0 < prev.y - cur.y < 3 * cur.size:
            gaps.setdefault(cur.size, []).append(round(prev.y - cur.y, 1))
    return {size: max(set(g), key=g.count) for size, g in gaps.items()}


def _paragraph_break(prev: _PdfLine, cur: _PdfLine, pitch: dict[float, float], left: dict[int, float],
                     width: dict[tuple[int, float], int]) -> bool:
    ended = prev.text.endswith(_SENTENCE_END)
    if abs(prev.size - cur.size) > 0.5:
        return True
    indented = cur.x > left.get(cur.page, cur.x) + 0.8 * cur.size
    if prev.page != cur.page or prev.y <= cur.y:  # a new page or column: continue an unfinished sentence
        return ended or indented
    gap = prev.y - cur.y
    if gap > 1.3 * pitch.get(cur.size, 1.2 * cur.size):
        return True
    short = len(prev.text) < 0.7 * width.get((prev.page, prev.size), len(prev.text))
    return indented or (ended and short)


def read_pdf(raw: bytes, path: str, *, encoding=None, charset=None, meta_path=None) -> Document:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "the PDF is encrypted with a password; save an unprotected copy")
        pages = [_page_lines(page, n) for n, page in enumerate(reader.pages, 1)]
        info = reader.metadata or {}
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, ValueError...) for a bad file
        raise InputError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not any(pages):
        raise InputError(path, f"the PDF has no text layer ({len(pages)} page(s), no characters): a scan? "
                         "Run OCR on it first (e.g. ocrmypdf) or supply its text as .txt")
    warnings = []
    blank = [str(n) for n, lines in enumerate(pages, 1) if not lines]
    if blank:
        warnings.append(f"{path}: page(s) {', '.join(blank)} have no text layer (scanned pages?); their content "
                        "is missing from the briefing")
    heads = _running_heads(pages)
    body: list[_PdfLine] = []
    for p, lines in enumerate(pages):
        kept = [line for i, line in enumerate(lines) if (p, i) not in heads]
        for n, line in enumerate(kept, 1):
            line.number = n
        body += kept
    pitch = _pitches(body)
    left = {}
    width: dict[tuple[int, float], list[int]] = {}
    for line in body:
        left[line.page] = min(left.get(line.page, line.x), line.x)
        width.setdefault((line.page, line.size), []).append(len(line.text))
    typical = {key: sorted(v)[int(0.8 * (len(v) - 1))] for key, v in width.items()}
    out: list[str] = []
    locs: list[str | None] = []
    prev = None
    for line in body:
        if prev is None or _paragraph_break(prev, line, pitch, left, typical):
            out.append(line.text)
            locs.append(f"{line.page}:{line.number}")
        else:
            out[-1] = join_wrapped(out[-1], line.text)
        prev = line
    metadata = {}
    for key, attr in (("title", "/Title"), ("author", "/Author")):
        value = info.get(attr)
        if isinstance(value, str) and value.strip():
            metadata[key] = value.strip()
    notes = [f"text layer of {len(pages)} page(s) by pypdf: {len(body)} line(s) joined into {len(out)} paragraph(s)"]
    if heads:
        shown = sorted({re.sub(r"\d+", "#", pages[p][i].text) for p, i in heads})
        notes.append(f"{len(heads)} running head/foot line(s) dropped: {', '.join(repr(s) for s in shown[:4])}")
    return _numbered("pdf", out, locs, "pdf text layer", metadata=metadata, notes=notes, warnings=warnings)


# ---------------------------------------------------------------- docx


def read_docx(raw: bytes, path: str, *, encoding=None, charset=None, meta_path=None) -> Document:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, BadZipFile... for a bad file
        raise InputError(path, f"not a readable Word .docx file ({type(exc).__name__}: {exc}); "
                         "an old .doc must be saved as .docx first") from None
    lines: list[str] = []
    locs: list[str | None] = []
    paragraph = table = 0
    for block in blocks:
        if isinstance(block, Table):
            table += 1
            for r, row in enumerate(block.rows, 1):
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                text = " | ".join(c for c in cells if c)
                if text:
                    lines.append(text)
                    locs.append(f"t{table}r{r}")
            continue
        parts = [" ".join(part.split()) for part in block.text.split("\n")]
        parts = [part for part in parts if part]
        if parts:
            paragraph += 1
            lines += parts
            locs += [f"p{paragraph}"] * len(parts)
    if not lines:
        raise _no_text(path, "the Word document has no text in its body")
    props = document.core_properties
    metadata = {key: value.strip() for key, value in (("title", props.title), ("author", props.author))
                if isinstance(value, str) and value.strip()}
    notes = [f"body by python-docx: {paragraph} paragraph(s), {table} table(s); headers, footers, "
             "footnotes and comments are not read"]
    return _numbered("docx", lines, locs, "docx", metadata=metadata, notes=notes)
