"""Sources listed by URL (scripts/fetch_sources.py), against a web server on 127.0.0.1: fetched
once and kept with their SHA-256, never fetched again unless asked, a changed page a new version,
a failed fetch naming the URL and the cause, and the stored copy used when the server is gone."""

import hashlib
import json
import logging

import pytest

import fetch_sources
import sources_material as material
from fetch_sources import fetch_source, refresh_token, snapshot_format
from pipeline_io import InputError

PAGE = material.seed_html().encode("utf-8")


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = material.LocalSite().start()
    server.pages["/pr.html"] = (200, "text/html; charset=utf-8", PAGE)
    yield server
    server.stop()


def fetch(site, store, refresh=0, path="/pr.html", **kwargs):
    kwargs.setdefault("timeout", 5)
    kwargs.setdefault("max_bytes", 20 * 1048576)
    return fetch_source("pr-2022-05", site.url(path), store, refresh, **kwargs)


def test_first_fetch_keeps_the_bytes_as_version_1(site, tmp_path):
    store = tmp_path / "fetched" / "pr-2022-05"
    receipt = fetch(site, store)
    digest = hashlib.sha256(PAGE).hexdigest()
    assert receipt["sha256"] == digest and receipt["version"] == 1 and receipt["format"] == "html"
    assert receipt["charset"] == "utf-8" and receipt["note"] is None
    assert (store / f"v1-{digest[:12]}.html").read_bytes() == PAGE
    record = json.loads((store / "versions.json").read_text())
    assert record["current"] == 1 and record["refreshes"] == 0 and record["versions"][0]["sha256"] == digest
    assert site.requests == [("GET", "/pr.html")]


def test_a_later_run_does_not_fetch_again(site, tmp_path):
    store = tmp_path / "store"
    first = fetch(site, store)
    site.stop()  # even with the server gone
    again = fetch(site, store)
    assert again == first and len(site.requests) == 1


def test_refetch_of_an_unchanged_page_keeps_one_version(site, tmp_path):
    store = tmp_path / "store"
    fetch(site, store)
    receipt = fetch(site, store, refresh=refresh_token(store, True))
    assert receipt["version"] == 1 and receipt["versions"] == 1 and len(site.requests) == 2
    assert refresh_token(store, False) == 1  # recorded: the next run without refetch asks nothing


def test_a_changed_page_becomes_a_new_version_and_the_old_one_stays(site, tmp_path, caplog):
    store = tmp_path / "store"
    first = fetch(site, store)
    changed = PAGE.replace(b"356 modern service projects", b"357 modern service projects")
    site.pages["/pr.html"] = (200, "text/html", changed)
    with caplog.at_level(logging.INFO):
        receipt = fetch(site, store, refresh=refresh_token(store, True))
    assert receipt["version"] == 2 and receipt["versions"] == 2 and receipt["sha256"] == hashlib.sha256(changed).hexdigest()
    assert (store / first["file"].rsplit("/", 1)[1]).read_bytes() == PAGE  # version 1 kept, unchanged
    assert first["history"] is None and "changed since version 1" in receipt["history"]
    assert fetch(site, store)["history"] == receipt["history"]  # said again by every later run
    assert any("changed since version 1" in r.message and "version 1 is kept" in r.message for r in caplog.records)


def test_refetch_with_the_server_gone_goes_on_with_the_stored_copy_and_says_so(site, tmp_path):
    store = tmp_path / "store"
    first = fetch(site, store)
    url = site.url("/pr.html")
    site.stop()
    receipt = fetch_source("pr-2022-05", url, store, refresh_token(store, True), timeout=2, max_bytes=1 << 20)
    assert receipt["sha256"] == first["sha256"] and receipt["version"] == 1
    assert url in receipt["note"] and "failed" in receipt["note"] and "stored copy" in receipt["note"]
    assert refresh_token(store, False) == 1  # the attempt is recorded: no retry on every run


@pytest.mark.parametrize("page, needle", [
    ((404, "text/html", b"gone"), "HTTP 404"),
    ((500, "text/html", b"oops"), "HTTP 500"),
    ((200, "image/png", b"\x89PNG\r\n"), "'image/png'"),
    ((200, "text/html", b"x" * 2048), "limit"),
    ((200, "text/html", b"<p>slow</p>", 3), "no answer within 1 s"),
], ids=["not-found", "server-error", "unsupported-type", "too-large", "silent-server"])
def test_a_failed_first_fetch_names_the_url_and_the_cause(site, tmp_path, page, needle):
    site.pages["/bad"] = page
    with pytest.raises(InputError) as err:
        fetch(site, tmp_path / "store", path="/bad", timeout=1, max_bytes=1024)
    message = str(err.value)
    assert message.startswith(site.url("/bad")) and needle in message and "no stored copy" in message


def test_nothing_listening_names_the_url(tmp_path, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = material.LocalSite().start()
    url = server.url("/pr.html")
    server.stop()
    with pytest.raises(InputError, match=r"cannot connect"):
        fetch_source("pr", url, tmp_path / "store", 0, timeout=2, max_bytes=1024)


def test_an_altered_copy_of_record_is_refused(site, tmp_path):
    store = tmp_path / "store"
    receipt = fetch(site, store)
    (store / receipt["file"].rsplit("/", 1)[1]).write_bytes(b"<p>edited by hand</p>")
    with pytest.raises(InputError, match="missing or altered"):
        fetch(site, store)


def test_a_changed_url_is_fetched_as_a_new_version(site, tmp_path):
    store = tmp_path / "store"
    fetch(site, store)
    site.pages["/pr-v2.html"] = (200, "text/html", PAGE + b"<!-- moved -->")
    receipt = fetch(site, store, path="/pr-v2.html")
    assert receipt["version"] == 2 and receipt["url"].endswith("/pr-v2.html")


@pytest.mark.parametrize("ctype, url, head, fmt", [
    ("text/html", "https://x.org/a", b"<html>", "html"),
    ("application/pdf", "https://x.org/a", b"%PDF-1.7", "pdf"),
    ("application/octet-stream", "https://x.org/a", b"%PDF-1.4", "pdf"),
    ("application/octet-stream", "https://x.org/doc.docx?dl=1", b"PK\x03\x04", "docx"),
    ("text/plain", "https://x.org/a.txt", b"86 tasks", "txt"),
], ids=["html", "pdf", "pdf-sniffed", "docx-by-extension", "text"])
def test_snapshot_format(ctype, url, head, fmt):
    assert snapshot_format(ctype, url, head) == fmt


def test_refresh_token_reads_only_the_record(tmp_path):
    assert refresh_token(tmp_path / "missing", False) == 0 and refresh_token(tmp_path / "missing", True) == 1
    (tmp_path / fetch_sources.RECORD).write_text('{"refreshes": 4, "versions": []}')
    assert refresh_token(tmp_path, False) == 4 and refresh_token(tmp_path, True) == 5


def test_cli_writes_the_receipt_and_logs(site, tmp_path):
    receipt = tmp_path / "receipt.json"
    log = tmp_path / "fetch.log"
    fetch_sources.cli(["--source", "pr-2022-05", "--url", site.url("/pr.html"), "--store", str(tmp_path / "store"),
                       "--refresh", "0", "--timeout", "5", "--max-bytes", "1048576", "--receipt", str(receipt),
                       "--log", str(log)])
    assert json.loads(receipt.read_text())["version"] == 1
    assert "stored as version 1" in log.read_text()


def test_cli_failure_is_one_line_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = material.LocalSite().start()
    url = server.url("/missing")
    log = tmp_path / "fetch.log"
    with pytest.raises(SystemExit) as stop:
        fetch_sources.cli(["--source", "x", "--url", url, "--store", str(tmp_path / "s"), "--refresh", "0",
                           "--timeout", "5", "--max-bytes", "1024", "--receipt", str(tmp_path / "r.json"),
                           "--log", str(log)])
    server.stop()
    assert stop.value.code == 1
    lines = log.read_text().strip().splitlines()
    assert lines == [f"ERROR fetch_source: {url}: fetch failed: HTTP 404 Not Found; there is no stored copy to "
                     "build from (link 'x' of sources.yaml)"]
    assert not (tmp_path / "r.json").exists()
