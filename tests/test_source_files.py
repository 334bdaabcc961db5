"""Source discovery (scripts/source_files.py): formats, ids from any file name, metadata beside a
file, links in sources.yaml, and the refusals before any job (a symbolic link leaving the folder,
a folder named like a source, a file over the size limit, two files with one id)."""

import hashlib
import json
import os
from pathlib import Path

import pytest

import source_files
from pipeline_io import InputError
from source_files import discover, ignored_files, orphan_metadata, read_links, source_id


@pytest.mark.parametrize("name, expected", [
    ("chongqing-pilot-first-anniversary", "chongqing-pilot-first-anniversary"),
    ("Chongqing Press Release 2022-05", "chongqing-press-release-2022-05"),
    ("H1", "h1"),
    ("Ångström_notes", "angstrom_notes"),
    ("Zhāng Yǒngwǔ — interview (final)", "zhang-yongwu-interview-final"),
    ("  --Report--  ", "report"),
    ("a__b--c", "a__b-c"),
], ids=["already-an-id", "press-release", "upper", "accents", "pinyin-and-dash", "edges", "runs"])
def test_source_id_is_a_lower_case_ascii_slug(name, expected):
    assert source_id(name) == expected


@pytest.mark.parametrize("name", ["重慶新聞發布會", "2022 重慶發布會", "Отчёт"], ids=["chinese", "mixed", "cyrillic"])
def test_a_name_without_ascii_form_keeps_a_hash_so_two_never_meet(name):
    sid = source_id(name)
    assert sid.endswith(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8])
    assert source_id(name + "2") != sid
    from pipeline_io import SOURCE_ID_RE

    assert SOURCE_ID_RE.match(sid)


def test_every_format_is_found_whatever_the_case_of_its_extension(tmp_path):
    for name in ["a.txt", "B.TXT", "c.md", "d.Markdown", "e.html", "f.HTM", "g.pdf", "h.docx"]:
        (tmp_path / name).write_text("x")
    found = discover(tmp_path)
    assert {sid: s.format for sid, s in found.items()} == {
        "a": "txt", "b": "txt", "c": "md", "d": "md", "e": "html", "f": "html", "g": "pdf", "h": "docx"}


def test_metadata_beside_a_file_of_any_name(tmp_path):
    (tmp_path / "Chongqing Press Release 2022-05.html").write_text("<p>x</p>")
    (tmp_path / "Chongqing Press Release 2022-05.yaml").write_text("date: 2022-05-17\n")
    (tmp_path / "other.pdf").write_text("x")
    found = discover(tmp_path)
    assert found["chongqing-press-release-2022-05"].meta == str(tmp_path / "Chongqing Press Release 2022-05.yaml")
    assert found["other"].meta is None


def test_hidden_files_lock_files_and_subfolders_are_not_sources(tmp_path):
    (tmp_path / "real.txt").write_text("x")
    (tmp_path / ".draft.txt").write_text("x")
    (tmp_path / "~$report.docx").write_text("x")  # Word's lock file while the document is open
    (tmp_path / "Saved Page_files").mkdir()  # a browser's "web page, complete" folder
    (tmp_path / "Saved Page_files" / "inner.txt").write_text("x")
    (tmp_path / "fetched").mkdir()
    assert list(discover(tmp_path)) == ["real"]


def test_unsupported_files_are_listed_not_silently_dropped(tmp_path):
    for name in ["a.txt", "minutes.doc", "table.xlsx", "a.yaml", "sources.yaml", ".DS_Store"]:
        (tmp_path / name).write_text("sources: []\n" if name == "sources.yaml" else "x")
    assert ignored_files(tmp_path) == [str(tmp_path / "minutes.doc"), str(tmp_path / "table.xlsx")]


def test_orphan_metadata_ignores_sources_yaml(tmp_path):
    (tmp_path / "Report 1.pdf").write_text("x")
    (tmp_path / "Report 1.yaml").write_text("x")
    (tmp_path / "Report 2.yaml").write_text("x")
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    assert orphan_metadata(tmp_path, discover(tmp_path)) == [str(tmp_path / "Report 2.yaml")]


# ---------------------------------------------------------------- refusals


def _refused(folder: Path) -> str:
    with pytest.raises(InputError) as err:
        discover(folder)
    return str(err.value)


def test_two_files_with_one_id_are_refused_naming_both(tmp_path):
    (tmp_path / "H1.txt").write_text("x")
    (tmp_path / "h1.txt").write_text("x")
    message = _refused(tmp_path)
    assert "H1.txt" in message and "h1.txt" in message and "'h1'" in message


def test_a_symlink_leaving_the_folder_is_refused(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "notice.txt").symlink_to("/etc/passwd")
    message = _refused(folder)
    assert "notice.txt" in message and "/etc/passwd" in message and "outside the sources folder" in message


def test_a_symlink_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "2022.txt").write_text("x")
    (tmp_path / "notice.txt").symlink_to(tmp_path / "archive" / "2022.txt")
    assert discover(tmp_path)["notice"].path == str(tmp_path / "notice.txt")


def test_a_dangling_symlink_is_refused(tmp_path):
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    assert "gone.pdf" in _refused(tmp_path) and "does not exist" in _refused(tmp_path)


def test_a_folder_named_like_a_source_is_refused(tmp_path):
    (tmp_path / "x.txt").mkdir()
    message = _refused(tmp_path)
    assert "x.txt" in message and "is a folder" in message


def test_a_fifo_named_like_a_source_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in _refused(tmp_path)


def test_a_file_over_the_size_limit_is_refused_naming_the_key(tmp_path):
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(21 * 1048576)  # sparse: no disk used, only the size matters
    message = _refused(tmp_path)
    assert "huge.txt" in message and "21.0 MB" in message and "max_source_mb" in message
    assert list(discover(tmp_path, max_mb=25)) == ["huge"]


def test_the_name_sources_is_reserved_for_the_links_file(tmp_path):
    (tmp_path / "Sources.txt").write_text("x")
    assert "reserved" in _refused(tmp_path)


# ---------------------------------------------------------------- links


LINKS = """\
# Sources by URL
sources:
  - id: pr-2022-05
    url: https://example.org/pr.html
    date: 2022-05-17
    languages: [en, zh-Hant]
  - id: notice
    url: http://127.0.0.1:8000/notice.pdf
    date: '2022-05-18'
"""


def test_links_are_read_with_their_metadata_and_lines(tmp_path):
    (tmp_path / "sources.yaml").write_text(LINKS)
    pr, notice = read_links(tmp_path / "sources.yaml")
    assert (pr.id, pr.url, pr.entry) == ("pr-2022-05", "https://example.org/pr.html",
                                         {"url": "https://example.org/pr.html", "date": "2022-05-17",
                                          "languages": ["en", "zh-Hant"]})
    assert pr.lines["date"] == 5 and notice.lines["date"] == 9
    assert pr.store == str(tmp_path / "fetched" / "pr-2022-05")
    # the per-source job's param: no line numbers, so a link added above does not rerun this one
    assert json.loads(pr.entry_json()) == {"meta": pr.entry, "file": str(tmp_path / "sources.yaml")}


def test_files_and_links_together(tmp_path):
    (tmp_path / "sources.yaml").write_text(LINKS)
    (tmp_path / "local.txt").write_text("x")
    found = discover(tmp_path)
    assert list(found) == ["local", "notice", "pr-2022-05"]
    assert found["notice"].url and found["local"].path


@pytest.mark.parametrize("text, needles", [
    ("sources:\n  - url: https://example.org/a\n", ["link 1", "'id'", ":2"]),
    ("sources:\n  - id: a\n", ["'url'", "http"]),
    ("sources:\n  - id: a\n    url: file:///etc/passwd\n", ["'url'", "file:///etc/passwd", ":3"]),
    ("sources:\n  - id: a\n    url: https://x.org\n    titel: T\n", ["unknown key", "titel", ":4"]),
    ("sources:\n  - id: a\n    url: https://x.org\n  - id: a\n    url: https://y.org\n", ["listed twice", ":4"]),
    ("sources:\n  - id: Bad Id\n    url: https://x.org\n", ["'Bad Id'", "source id"]),
    ("links:\n  - id: a\n", ["'sources'"]),
    ("sources:\n  - id: a\n    url: [\n", ["invalid YAML"]),
    ("sources:\n  - id: a\n    url: https://x.org\n    date: 2022-13-45\n", ["'2022-13-45' is not a date", ":4"]),
    ("sources:\n  - id: a\n    url: https://x.org\n    languages: [fr]\n", ["'fr' is not supported", ":4"]),
], ids=["no-id", "no-url", "file-url", "unknown-key", "duplicate", "bad-id", "wrong-top-key", "bad-yaml", "bad-date",
        "language"])
def test_bad_links_are_refused_naming_file_and_line(tmp_path, text, needles):
    (tmp_path / "sources.yaml").write_text(text)
    message = _refused(tmp_path)
    assert message.startswith(str(tmp_path / "sources.yaml"))
    for needle in needles:
        assert needle in message, (needle, message)


def test_a_link_and_a_file_with_one_id_are_refused(tmp_path):
    (tmp_path / "notice.txt").write_text("x")
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: notice\n    url: https://x.org/n\n")
    message = _refused(tmp_path)
    assert "notice.txt" in message and "sources.yaml" in message


# ---------------------------------------------------------------- metadata YAML and originals


@pytest.mark.parametrize("text, expected", [
    ("date: 2022-05-17\n", "2022-05-17"),
    ("date: 2022-13-45\n", "2022-13-45"),
    ("date: '2022-05-17'\n", "2022-05-17"),
], ids=["date", "impossible-date", "quoted"])
def test_metadata_dates_stay_as_written(text, expected):
    data, lines = source_files.parse_metadata_yaml(text, "m.yaml")
    assert data == {"date": expected} and lines == {"date": 1}


def test_a_key_written_twice_is_refused_naming_the_line():
    with pytest.raises(InputError, match=r"^m.yaml:3: key 'date' is written twice"):
        source_files.parse_metadata_yaml("date: 2022-05-17\ntitle: T\ndate: 2022-06-01\n", "m.yaml")


def test_metadata_that_is_not_utf8_names_the_file(tmp_path):
    (tmp_path / "m.yaml").write_bytes("title: Åsa\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"m.yaml: not UTF-8"):
        source_files.read_metadata_yaml(tmp_path / "m.yaml")


def test_originals_list_every_document_metadata_and_copy_of_record(tmp_path):
    (tmp_path / "Report.pdf").write_bytes(b"%PDF-1.7 x")
    (tmp_path / "Report.yaml").write_text("date: 2022-05-17\n")
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: pr\n    url: https://x.org/pr\n")
    store = tmp_path / "fetched" / "pr"
    store.mkdir(parents=True)
    (store / "v1-abc.html").write_bytes(b"<p>x</p>")
    sha = hashlib.sha256(b"<p>x</p>").hexdigest()
    rows = source_files.originals(discover(tmp_path), {"pr": {"file": str(store / "v1-abc.html"), "sha256": sha}})
    assert [(Path(r["path"]).name, r["role"], r["source"]) for r in rows] == [
        ("Report.pdf", "document", "report"), ("Report.yaml", "metadata", "report"),
        ("v1-abc.html", "document", "pr"), ("sources.yaml", "links", "")]
    assert rows[0]["sha256"] == hashlib.sha256(b"%PDF-1.7 x").hexdigest() and rows[2]["sha256"] == sha


def test_a_links_record_and_earlier_versions_are_originals_and_a_forged_record_is_refused(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: pr\n    url: https://x.org/pr\n")
    store = tmp_path / "fetched" / "pr"
    store.mkdir(parents=True)
    (store / "v1-aaa.html").write_bytes(b"<p>first</p>")
    (store / "v2-bbb.html").write_bytes(b"<p>second</p>")
    record = {"url": "https://x.org/pr", "current": 2, "versions": [{"version": 1, "file": "v1-aaa.html"},
                                                                      {"version": 2, "file": "v2-bbb.html"}]}
    import fetch_sources

    assert source_files.FETCH_RECORD == fetch_sources.RECORD  # the name the fetch job writes
    (store / "versions.json").write_text(json.dumps(record))
    receipt = {"file": str(store / "v2-bbb.html"), "sha256": hashlib.sha256(b"<p>second</p>").hexdigest()}
    rows = source_files.originals(discover(tmp_path), {"pr": receipt})
    assert [(Path(r["path"]).name, r["role"]) for r in rows] == [
        ("v1-aaa.html", "earlier-version"), ("v2-bbb.html", "document"), ("versions.json", "fetch-record"),
        ("sources.yaml", "links")]
    record["versions"][0]["file"] = "../../../etc/passwd"  # never copied into the archive
    (store / "versions.json").write_text(json.dumps(record))
    with pytest.raises(InputError, match=r"versions.json: names the version file '../../../etc/passwd'"):
        source_files.originals(discover(tmp_path), {"pr": receipt})
    (store / "versions.json").write_text("{")
    with pytest.raises(InputError, match=r"versions.json: not a fetch record"):
        source_files.originals(discover(tmp_path), {"pr": receipt})
