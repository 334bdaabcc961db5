"""The PDF renderer's fetcher and font checks (scripts/render_pdf.py)."""


import pytest

from render_pdf import allowed_path, check_fonts, make_fetcher, render_pdf


def test_fetcher_serves_only_files_under_the_roots(tmp_path):
    root = tmp_path / "results"
    root.mkdir()
    (root / "ok.txt").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = make_fetcher([root])
    assert fetcher.fetch((root / "ok.txt").as_uri()) is not None
    for url in [(tmp_path / "secret.txt").as_uri(), (root / ".." / "secret.txt").as_uri(),
                "http://example.org/x.png", "https://example.org/", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_symlink_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "results"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert allowed_path((root / "link.txt").as_uri(), [root]) is None


def test_required_fonts_are_present():
    assert "Noto Sans CJK TC" in check_fonts()


def test_html_asking_for_outside_files_renders_without_them(tmp_path):
    root = tmp_path / "results"
    root.mkdir()
    html = root / "page.html"
    html.write_text('<html><body><p>safe</p><img src="file:///etc/passwd"><img src="http://example.org/a.png">'
                    '<link rel="stylesheet" href="http://example.org/s.css"></body></html>')
    refused = []

    class Log:
        def warning(self, fmt, url):
            refused.append(url)

    pdf = render_pdf(html, [root], Log())
    assert pdf.startswith(b"%PDF")
    assert "file:///etc/passwd" in refused and "http://example.org/a.png" in refused
    assert render_pdf(html, [root]) == pdf, "same input, same bytes"


def test_a_character_without_a_glyph_fails_naming_it():
    from pipeline_io import InputError
    from render_pdf import FALLBACK_FONTS, check_glyphs

    families = ["Noto Sans CJK TC", *FALLBACK_FONTS]
    check_glyphs("<p>重慶 Chongqing 80.2%「」</p>", families, "ok.html")  # covered: no error
    with pytest.raises(InputError) as err:
        check_glyphs("<p>fine</p>\n<p>broken \u0378 here</p>", families, "results/x.html")
    assert "U+0378" in str(err.value) and "line 2" in str(err.value) and "results/x.html" in str(err.value)
