"""The HTML companion and the archive index read well in a browser: headless Chromium (Debian's
chromium, installed by `make test`) lays them out at desktop and phone widths, and nothing may be
wider than the window; every contents link leads to a section of the page."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import archive_briefing as ab
from conftest import PDF

pytestmark = pytest.mark.workflow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = {"phone": 390, "tablet": 768, "desktop": 1280}
#: Appended to a copy of the page: after layout, writes how far the page is wider than the window
#: and which elements reach past its right edge.
PROBE = """<script>
window.addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className);
  document.body.setAttribute("data-overflow", document.documentElement.scrollWidth - width);
  document.body.setAttribute("data-wide", wide.join(" "));
});
</script>"""


def layout(html: str, width: int, tmp_path: Path) -> tuple[int, str]:
    page = tmp_path / f"probe-{width}.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<body[^>]*data-overflow="(-?\d+)"[^>]*data-wide="([^"]*)"', proc.stdout)
    assert match, proc.stdout[-500:] + proc.stderr[-2000:]
    return int(match.group(1)), match.group(2)


needs_chromium = pytest.mark.skipif(CHROMIUM is None,
                                    reason="Debian package chromium not installed (make test installs it)")


@needs_chromium
@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_briefing_html_fits_the_window(built_workflow, tmp_path, device):
    html = (built_workflow / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    overflow, wide = layout(html, WIDTHS[device], tmp_path)
    assert overflow <= 0, f"{overflow}px wider than a {WIDTHS[device]}px window: {wide}"


@needs_chromium
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_archive_index_fits_the_window(tmp_path, device):
    rows = [{"period": f"2026-{m:02d}", "revision": "1", "pdf": f"2026-{m:02d}/briefing-2026-{m:02d}.pdf",
             "pdf_sha256": f"{m:064x}", "html": f"2026-{m:02d}/briefing-2026-{m:02d}.html", "html_sha256": f"{m:064x}",
             "manifest": f"2026-{m:02d}/manifest.json", "manifest_sha256": f"{m:064x}", "git_commit": f"{m:040x}",
             "git_dirty": "true" if m == 2 else "false"} for m in range(1, 13)]
    originals = {(f"2026-{m:02d}", 1): None if m == 1 else 1000 + m for m in range(1, 13)}  # the first: format 1
    html = ab.index_html(rows, "f" * 64, ab.index_words(), originals)
    assert '<meta name="viewport"' in html and "Noto Sans CJK" in html and "<td>1012</td>" in html
    overflow, wide = layout(html, WIDTHS[device], tmp_path)
    assert overflow <= 0, f"{overflow}px wider than a {WIDTHS[device]}px window: {wide}"


def test_every_contents_link_leads_to_a_section_and_the_screen_sheet_is_there(built_workflow):
    html = (built_workflow / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    contents = html.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert len(targets) == 7
    for target in targets:
        assert f'id="{target}"' in html, target
    assert '<style media="screen">' in html and '<meta name="viewport"' in html
