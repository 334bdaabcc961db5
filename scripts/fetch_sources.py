"""Fetch a source listed by URL in ``sources.yaml`` and keep what was fetched as the copy of record.

Run by the ``fetch_source`` rule (rules/fetch_sources.smk), one job per link, as a plain command.

The copy of record lives beside the sources, outside ``results/`` (``make clean`` never removes
it), in ``{sources_dir}/fetched/{id}/``:

* ``v{n}-{sha256[:12]}.{ext}``: the bytes of each version exactly as the server sent them, never
  changed or removed once written;
* ``versions.json``: the URL, and per version its number, SHA-256, file, size, content type and
  charset, and the time it was fetched (UTC; the only clock time, kept out of every build output);
  ``current`` (the version the briefing uses) and ``refreshes`` (see below).

What a job does (:func:`fetch_source`):

* with a current version of the same URL and no refresh asked: nothing on the network; the
  stored copy is checked against its SHA-256 and used (a later run never fetches again by itself);
* otherwise it fetches (our own timeout and size limit; http and https only): bytes equal to a
  stored version make that version current again; new bytes become a new version, the old ones
  stay, and the log says so (never a silent replacement);
* a failed fetch names the URL and the cause; with a stored copy the build goes on with it and
  says so (in the log and in the source's warnings in the briefing); without one it stops.

Refreshing is explicit: ``--config refetch=true``. The rule's ``refresh`` parameter is
``refreshes`` from ``versions.json``, plus one when ``refetch`` is set (:func:`refresh_token`):
so the setting reruns every fetch job once (Snakemake sees the parameter change), the job records
the new count, and the next run, with or without the setting, sees no change and fetches nothing.
A dry run (``-n``) contacts no server.

The job's output is a receipt, ``results/{briefing}/fetched/{id}.json`` (the URL, the file of
record, its SHA-256 and format, the version, a ``note`` when the stored copy was used after a
failed fetch, and a ``history`` line when the page changed since an earlier version); the
per-source job reads the copy of record it names, checks the hash, and lists ``note`` and
``history`` among the source's warnings, which the briefing's data-quality section shows.
"""

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline_io  # noqa: E402
from pipeline_io import InputError  # noqa: E402

RECORD = "versions.json"
#: Content type -> format of the copy of record (see source_files.FORMATS).
CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf", "text/plain": "txt",
    "text/markdown": "md", "text/x-markdown": "md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
EXTENSIONS = {"html": "html", "pdf": "pdf", "txt": "txt", "md": "md", "docx": "docx"}
USER_AGENT = "briefing-pipeline/1 (+fetches sources listed in sources.yaml)"


class FetchError(Exception):
    """The fetch failed: the message is the cause (a person reads it after the URL)."""


@dataclass
class Response:
    data: bytes
    content_type: str
    charset: str | None
    final_url: str


def http_get(url: str, timeout: float, max_bytes: int) -> Response:
    """GET ``url`` with a timeout (connect and each read) and a size limit; :class:`FetchError`
    with the cause for anything but a complete 200 response of at most ``max_bytes``."""
    import socket
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - http(s) only, checked by the caller
            if not reply.geturl().startswith(("http://", "https://")):
                raise FetchError(f"redirected to {reply.geturl()!r}, which is not http(s)")
            declared = reply.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"the server announces {int(declared) / 1048576:.1f} MB, over the limit of "
                                 f"{max_bytes / 1048576:g} MB (config key max_source_mb)")
            data = reply.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FetchError(f"more than {max_bytes / 1048576:g} MB, the limit (config key max_source_mb)")
            return Response(data, reply.headers.get_content_type(), reply.headers.get_content_charset(), reply.geturl())
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"no answer within {timeout:g} s (config key fetch_timeout)") from None
        raise FetchError(f"cannot connect: {reason}") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"no answer within {timeout:g} s (config key fetch_timeout)") from None
    except (OSError, ValueError) as exc:  # connection reset, bad status line, invalid URL...
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


def snapshot_format(content_type: str, url: str, data: bytes) -> str:
    """The format of fetched bytes: their content type, else their first bytes, else the URL's
    extension; :class:`FetchError` if none is a supported format.

    >>> snapshot_format("text/html", "https://x.org/a", b"<html>"), snapshot_format("application/octet-stream", "https://x.org/a.pdf", b"%PDF-1.7")
    ('html', 'pdf')
    """
    if content_type in CONTENT_TYPES:
        return CONTENT_TYPES[content_type]
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    suffix = Path(url.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    import source_files

    if suffix in source_files.FORMATS:
        return source_files.FORMATS[suffix]
    raise FetchError(f"the server sent {content_type!r}, which is not a supported format "
                     f"({', '.join(sorted(set(CONTENT_TYPES.values())))})")


def read_record(store: str | os.PathLike) -> dict[str, Any]:
    """``versions.json`` of a link's folder, or an empty record."""
    path = Path(store) / RECORD
    if not path.exists():
        return {"url": None, "current": None, "refreshes": 0, "versions": []}
    record = pipeline_io.read_json(path)
    if not isinstance(record, dict) or not isinstance(record.get("versions"), list):
        raise InputError(path, "expected the fetch record (url, current, refreshes, versions); restore it from a backup")
    return record


def refresh_token(store: str | os.PathLike, refetch: bool) -> int:
    """The ``refresh`` parameter of a link's fetch job: the refreshes recorded so far, plus one when
    ``refetch`` is set. Read-only, so a dry run changes nothing."""
    path = Path(store) / RECORD
    recorded = 0
    if path.exists():
        try:
            recorded = int(json.loads(path.read_text(encoding="utf-8")).get("refreshes", 0))
        except (ValueError, AttributeError, TypeError):
            recorded = 0  # the job itself reports a damaged record, naming the file
    return recorded + (1 if refetch else 0)


@contextmanager
def _locked(store: Path):
    """One fetch at a time per link folder (two briefings may share a sources folder)."""
    store.mkdir(parents=True, exist_ok=True)
    with open(store / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current(record: dict[str, Any], store: Path, url: str) -> dict[str, Any] | None:
    """The current version if it is of ``url``; its file must exist with its recorded SHA-256."""
    version = next((v for v in record["versions"] if v["version"] == record.get("current")), None)
    if version is None or version.get("url") != url:
        return None
    path = store / version["file"]
    if not path.is_file() or pipeline_io.sha256_file(path) != version["sha256"]:
        raise InputError(path, f"the copy of record of {url} (version {version['version']}) is missing or altered "
                         f"(recorded sha256 {version['sha256']}); restore it from a backup of {store}")
    return version


def _receipt(source: str, url: str, store: Path, record: dict[str, Any], version: dict[str, Any],
             note: str | None) -> dict:
    """The job's output. ``history`` says, from the record alone (so every run with the same copies
    of record says the same), that the page changed since the version before the current one."""
    older = [v for v in record["versions"] if v["version"] < version["version"] and v["sha256"] != version["sha256"]]
    history = None
    if older:
        before = older[-1]
        history = (f"{source}: version {version['version']} of {url} (sha256 {version['sha256'][:12]}) is used; the "
                   f"page changed since version {before['version']} (sha256 {before['sha256'][:12]}), which is kept "
                   f"in {store.as_posix()}/")
    return {"source": source, "url": url, "file": (store / version["file"]).as_posix(), "sha256": version["sha256"],
            "format": version["format"], "content_type": version["content_type"], "charset": version.get("charset"),
            "version": version["version"], "versions": len(record["versions"]), "note": note, "history": history}


def fetch_source(source: str, url: str, store: str | os.PathLike, refresh: int, *, timeout: float,
                 max_bytes: int, get: Callable[[str, float, int], Response] = http_get,
                 logger: logging.Logger | None = None, now: Callable[[], dt.datetime] | None = None) -> dict:
    """Make sure the copy of record of ``url`` is in ``store`` (see the module docstring); return
    the receipt. Raises :class:`InputError` naming the URL when there is no copy to build from."""
    store = Path(store)
    now = now or (lambda: dt.datetime.now(dt.timezone.utc))
    logger = logger or logging.getLogger("fetch_source")

    def log(message: str) -> None:
        logger.info("%s", message)

    with _locked(store):
        record = read_record(store)
        current = _current(record, store, url)
        asked = refresh > int(record.get("refreshes", 0))
        if current is not None and not asked:
            log(f"{source}: using the stored copy of {url} (version {current['version']}, sha256 "
                f"{current['sha256'][:12]}); not fetched again (--config refetch=true fetches it again)")
            return _receipt(source, url, store, record, current, None)
        try:
            reply = get(url, timeout, max_bytes)
            fmt = snapshot_format(reply.content_type, reply.final_url, reply.data)
        except FetchError as exc:
            if current is None:
                raise InputError(url, f"fetch failed: {exc}; there is no stored copy to build from "
                                 f"(link {source!r} of sources.yaml)") from None
            record["refreshes"] = max(refresh, int(record.get("refreshes", 0)))
            pipeline_io.write_json(store / RECORD, record)
            note = (f"{source}: fetching {url} failed ({exc}); the build goes on with the stored copy, version "
                    f"{current['version']} (sha256 {current['sha256'][:12]}, fetched {current.get('fetched', '?')})")
            logger.warning("%s", note)
            return _receipt(source, url, store, record, current, note)
        digest = hashlib.sha256(reply.data).hexdigest()
        same = next((v for v in record["versions"] if v["sha256"] == digest and v.get("url") == url), None)
        if same is not None:
            log(f"{source}: {url} is unchanged (sha256 {digest[:12]}): version {same['version']}")
            version = same
        else:
            number = max((v["version"] for v in record["versions"]), default=0) + 1
            name = f"v{number}-{digest[:12]}.{EXTENSIONS[fmt]}"
            pipeline_io.atomic_write_bytes(store / name, reply.data)
            version = {"version": number, "sha256": digest, "file": name, "bytes": len(reply.data), "url": url,
                       "final_url": reply.final_url, "content_type": reply.content_type, "charset": reply.charset,
                       "format": fmt, "fetched": now().strftime("%Y-%m-%dT%H:%M:%SZ")}
            record["versions"].append(version)
            if current is None and number == 1:
                log(f"{source}: fetched {url}: {len(reply.data)} bytes, sha256 {digest[:12]}, stored as version 1 ({name})")
            else:
                previous = current or record["versions"][-2]
                log(f"{source}: {url} changed since version {previous['version']} (sha256 {previous['sha256'][:12]} "
                    f"-> {digest[:12]}): stored as version {number} ({name}); version {previous['version']} is kept "
                    "and the briefing now uses the new version")
        record.update(url=url, current=version["version"], refreshes=max(refresh, int(record.get("refreshes", 0))))
        pipeline_io.write_json(store / RECORD, record)
        return _receipt(source, url, store, record, version, None)


def cli(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Fetch one linked source into its folder of record; write the receipt.")
    parser.add_argument("--source", required=True, help="source id (its sources.yaml entry)")
    parser.add_argument("--url", required=True, help="the address to fetch (http or https)")
    parser.add_argument("--store", required=True, help="the link's folder of record, {sources_dir}/fetched/{id}")
    parser.add_argument("--refresh", type=int, required=True, help="fetch again if above the recorded refreshes")
    parser.add_argument("--timeout", type=float, required=True, help="seconds to wait for the server")
    parser.add_argument("--max-bytes", type=int, required=True, help="largest document accepted")
    parser.add_argument("--receipt", required=True, help="receipt JSON to write")
    parser.add_argument("--log", help="log file")
    args = parser.parse_args(argv)
    if not re.match(r"^https?://", args.url):
        parser.error(f"--url {args.url!r}: expected an http:// or https:// address")

    def body(logger) -> None:
        receipt = fetch_source(args.source, args.url, args.store, args.refresh, timeout=args.timeout,
                               max_bytes=args.max_bytes, logger=logger)
        pipeline_io.write_json(args.receipt, receipt)

    pipeline_io.run_main("fetch_source", args.log, body)


if __name__ == "__main__":
    cli()
