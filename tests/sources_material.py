"""Test material: the seed as analysts receive it (a saved web page with site chrome, the same page
printed to PDF, a Word file), made at test time from ``data/sources/{seed}.txt``.

The chrome (menu, share bar, related links, footer) is our own invented text and is full of
numbers, some of them phrased so that the metric catalog WOULD match them if they leaked into
the main text ("12 modern service projects", "已實施120項"): a test that finds no such figure
proves the boilerplate was dropped, not just that it happened to hold no pattern.
"""

from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "chongqing-pilot-first-anniversary"
SEED_TXT = ROOT / f"data/sources/{SEED}.txt"

#: Invented site chrome. Catalog-shaped numbers on purpose (see the module docstring).
MENU = ["Home", "News 24/7", "Business", "Top 10 stories", "Archive 2019-2022", "Subscribe: 3 months free"]
SHARE = "Share 1,204 · Comments (37) · 5 min read"
RELATED_EN = [
    "Yubei district: 12 modern service projects signed at the spring fair",
    "Hainan port says more than 90 pioneering and differentiated reforms are done",
    "Explainer: the 8 supporting policies for small exporters",
    "Among the 21 provinces/cities with free-trade zones, who grew fastest?",
]
RELATED_ZH = ["海南自貿港總體方案已實施120項", "成都發布配套政策文件17個", "全國30個之一的數字貿易示範區揭牌"]
FOOTER = [
    "© 2022 Mountain City Daily Digest. All rights reserved.",
    "Hotline 023-6388 1234 · Room 1802, 69 Riverside Road, Yuzhong",
    "Licence No. 50120220017 · 渝ICP備05003300號",
]
#: Numbers that appear only in the chrome: none of them may become a catalog figure.
CHROME_NUMBERS = {"12", "90", "8", "21", "120", "17", "30", "1204", "37", "1802"}

STYLE = """
body { font-family: "DejaVu Serif", "Noto Serif CJK TC", serif; font-size: 10.5pt; line-height: 1.45; }
nav, aside, footer, .share { font-size: 9pt; color: #555; }
@media print { nav, aside, footer, .share { display: none; } }
@page { size: A4; margin: 22mm 20mm;
  @top-center { content: "Mountain City Daily Digest · 2022-05-17"; font-family: "DejaVu Sans"; font-size: 8pt; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: "DejaVu Sans"; font-size: 8pt; } }
"""


def seed_lines() -> list[str]:
    return SEED_TXT.read_text(encoding="utf-8").splitlines()


def _is_heading(line: str) -> bool:
    return len(line) < 110 and not line.rstrip().endswith((".", "。", ":", "?", "？", "”"))


def _block(line: str) -> str:
    tag = "h2" if _is_heading(line) else "p"
    return f"<{tag}>{html.escape(line, quote=False)}</{tag}>"


def seed_html(*, chrome: bool = True, meta: bool = True) -> str:
    """The seed as a saved news page: byline, title, English article, Chinese article; with
    ``chrome`` the site's menu, share bar, related links and footer around it; with ``meta`` the
    page's metadata (title, author, date, site name, canonical link)."""
    lines = seed_lines()
    first_zh = next(i for i, line in enumerate(lines) if i > 2 and any("\u4e00" <= c <= "\u9fff" for c in line[:5]))
    english, chinese = lines[2:first_zh], lines[first_zh:]
    head = ["<meta charset=\"utf-8\">", f"<title>{html.escape(lines[1])} | Mountain City Daily Digest</title>",
            f"<style>{STYLE}</style>"]
    if meta:
        head += ['<meta name="author" content="Yang Yan">',
                 '<meta property="article:published_time" content="2022-05-17T10:30:00+08:00">',
                 '<meta property="og:site_name" content="Mountain City Daily Digest">',
                 '<link rel="canonical" href="https://news.example.org/2022/05/17/pilot-anniversary.html">']
    body = []
    if chrome:
        body.append("<header><nav><ul>" + "".join(f'<li><a href="/s/{i}">{html.escape(m)}</a></li>'
                                                   for i, m in enumerate(MENU)) + "</ul></nav></header>")
    body.append("<main><article>")
    body.append(f"<h1>{html.escape(lines[1])}</h1>")
    body.append(f'<p class="byline" lang="zh-Hant">{html.escape(lines[0])}</p>')
    if chrome:
        body.append(f'<div class="share">{html.escape(SHARE)}</div>')
    body += [_block(line) for line in english]
    body.append('<section lang="zh-Hant">')
    body += [_block(line) for line in chinese]
    body.append("</section></article></main>")
    if chrome:
        body.append('<aside class="related"><h3>Related</h3><ul>'
                    + "".join(f'<li><a href="/r/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(RELATED_EN))
                    + "".join(f'<li lang="zh-Hant"><a href="/z/{i}">{html.escape(t)}</a></li>'
                              for i, t in enumerate(RELATED_ZH))
                    + "</ul></aside>")
        body.append("<footer>" + "".join(f"<p>{html.escape(t)}</p>" for t in FOOTER) + "</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" + "\n".join(head) + "\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_seed_pdf(path: Path, html_text: str | None = None) -> Path:
    """The saved page printed to PDF (WeasyPrint): the print stylesheet hides the chrome, as news
    sites' print styles do; each page gets a running head and a "Page N of M" foot."""
    import weasyprint

    weasyprint.HTML(string=html_text or seed_html()).write_pdf(path)
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF with pages but no text layer (what a scanner without OCR produces)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def write_seed_docx(path: Path) -> Path:
    """The seed as a Word file: a title, then one paragraph per line, plus a small table."""
    import docx

    lines = seed_lines()
    document = docx.Document()
    document.core_properties.title = lines[1]
    document.core_properties.author = "Yang Yan"
    for line in lines:
        document.add_paragraph(line)
    return Path(document.save(path) or path)


class LocalSite:
    """A web server on 127.0.0.1 (a free port) serving ``pages``: path -> (status, content type,
    bytes[, seconds to wait before answering]). ``requests`` records (method, path) of every
    request, so a test can prove that a run contacted no server. Nothing leaves the machine."""

    def __init__(self):
        self.pages: dict[str, tuple] = {}
        self.requests: list[tuple[str, str]] = []
        self.server = None
        self.port = 0

    def start(self) -> "LocalSite":
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bool) -> None:
                site.requests.append((self.command, self.path))
                status, ctype, data, *wait = site.pages.get(self.path, (404, "text/plain", b"not found"))
                if wait:
                    time.sleep(wait[0])
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def do_GET(self):  # noqa: N802 - the http.server API
                self._answer(True)

            def do_HEAD(self):  # noqa: N802
                self._answer(False)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
