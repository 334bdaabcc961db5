"""The archive keeps the originals (issue 12, item 5): every file a briefing was built from is copied
into the briefing's archive, once per distinct content, listed in the manifest with its hash, checked
by verify_archive.py, and restorable with restore_sources.py.

Unit tests on a temporary sources folder and archive; the rebuild from restored sources runs
Snakemake in tests/test_sources_workflow.py; disk-full, read-only and killed-run cases for the
originals are in tests/test_faults.py.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import archive_briefing as ab
import pipeline_io
import restore_sources
import source_files
import verify_archive
from conftest import ROOT

MAIN = "main"
EARLIER, PERIOD, NEXT = "2026-10", "2026-11", "2026-12"
WORDS = ab.index_words()

# Our own invented material: a notice, its metadata, a page saved under a Chinese name, and a link
# fetched twice (the page changed), as an analyst's sources folder holds them.
NOTICE = "Harbour district notice, 3 March 2026\nThe district has opened 14 of its 20 planned ferry piers.\n"
NOTICE_META = "title: {en: Harbour district notice, zh: 港區通告}\ndate: 2026-03-03\nlanguages: [en]\n"
PAGE = "<html><body><p>港區已建成碼頭14座，計劃共20座。</p></body></html>\n"
LINK_V1 = b"<html><body><p>Piers opened so far: 12.</p></body></html>\n"
LINK_V2 = b"<html><body><p>Piers opened so far: 14.</p></body></html>\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_sources(folder: Path) -> dict:
    """A sources folder with every kind of original; returns the link's fetch receipt."""
    folder.mkdir(parents=True)
    (folder / "Harbour notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "Harbour notice.yaml").write_text(NOTICE_META, encoding="utf-8")
    (folder / "港區新聞.html").write_text(PAGE, encoding="utf-8")
    (folder / "sources.yaml").write_text("sources:\n  - id: piers\n    url: https://port.example.org/piers\n",
                                         encoding="utf-8")
    store = folder / "fetched" / "piers"
    store.mkdir(parents=True)
    names = {1: f"v1-{sha(LINK_V1)[:12]}.html", 2: f"v2-{sha(LINK_V2)[:12]}.html"}
    (store / names[1]).write_bytes(LINK_V1)
    (store / names[2]).write_bytes(LINK_V2)
    versions = [{"version": n, "sha256": sha(d), "file": names[n], "url": "https://port.example.org/piers",
                 "format": "html", "content_type": "text/html", "charset": "utf-8"}
                for n, d in ((1, LINK_V1), (2, LINK_V2))]
    (store / "versions.json").write_text(json.dumps({"url": "https://port.example.org/piers", "current": 2,
                                                     "refreshes": 1, "versions": versions}), encoding="utf-8")
    return make_receipt(folder)


def make_receipt(folder: Path) -> dict:
    """The fetch receipt of the link of :func:`make_sources`."""
    return {"source": "piers", "sha256": sha(LINK_V2), "file": f"{folder.as_posix()}/fetched/piers/v2-{sha(LINK_V2)[:12]}.html"}


def originals_of(folder: Path, receipt: dict) -> list[ab.Original]:
    rows = source_files.originals(source_files.discover(folder), {"piers": receipt})
    return ab.plan_originals(rows, str(folder))


def factory(period: str, originals: list[ab.Original], sources_dir: str = "data/sources", fmt: int | None = None):
    def make(revision, files, supersedes):
        manifest = ab.build_manifest(
            period=period, revision=revision, files=files, inputs={}, metrics=[{"metric": "piers", "value": "14"}],
            metrics_sha256="1" * 64, packages={}, git={"commit": None, "dirty": None}, pipeline_version="t",
            supersedes=supersedes, originals=originals, sources_dir=sources_dir)
        if fmt == 1:  # as the pipeline wrote it before originals were kept
            manifest = {k: v for k, v in manifest.items() if k not in ("originals", "sources_dir")} | {"format": 1}
        return manifest
    return make


def archive(root: Path, period: str, originals: list[ab.Original], pdf: bytes | None = None,
            revision: bool = False, fmt: int | None = None, log=None) -> dict:
    pdf = pdf or f"%PDF {period}".encode()
    return ab.archive_period(root, MAIN, period, pdf, b"<html>" + pdf, factory(period, [] if fmt else originals, fmt=fmt),
                             revision_requested=revision, words=WORDS, log=log, originals=[] if fmt else originals)


def problems(root: Path) -> list[str]:
    return verify_archive.problems_of(verify_archive.verify(root))


def notes(root: Path) -> list[str]:
    return [n for r in verify_archive.verify(root) for n in r.notes]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def sources(tmp_path) -> tuple[Path, list[ab.Original]]:
    folder = tmp_path / "sources"
    receipt = make_sources(folder)
    return folder, originals_of(folder, receipt)


# --------------------------------------------------------------------------- what is listed and kept


def test_every_kind_of_original_is_listed_with_its_role_and_name_in_the_sources_folder(sources):
    folder, originals = sources
    v1, v2 = f"fetched/piers/v1-{sha(LINK_V1)[:12]}.html", f"fetched/piers/v2-{sha(LINK_V2)[:12]}.html"
    assert [(o.name, o.role, o.source) for o in originals] == [
        ("Harbour notice.txt", "document", "harbour-notice"), ("Harbour notice.yaml", "metadata", "harbour-notice"),
        (v1, "earlier-version", "piers"), (v2, "document", "piers"), ("fetched/piers/versions.json", "fetch-record", "piers"),
        ("sources.yaml", "links", ""), ("港區新聞.html", "document", source_files.source_id("港區新聞"))]
    for original in originals:
        data = (folder / original.name).read_bytes()
        assert original.sha256 == sha(data) and original.size == len(data)
        assert original.copy == f"originals/{original.sha256}{Path(original.name).suffix}"


def test_originals_are_copied_once_by_content_and_listed_in_each_manifest(tmp_path, sources):
    folder, originals = sources
    root = tmp_path / "arch"
    archive(root, EARLIER, originals)
    archive(root, PERIOD, originals)  # nothing changed in the sources: no new copy
    store = root / MAIN / "originals"
    assert sorted(p.name for p in store.iterdir()) == sorted(Path(o.copy).name for o in originals)
    # The notice is corrected: the next version lists the new bytes, the old copy stays for the old versions.
    (folder / "Harbour notice.txt").write_text(NOTICE.replace("14 of", "15 of"), encoding="utf-8")
    changed = originals_of(folder, make_receipt(folder))
    archive(root, NEXT, changed)
    assert len(list(store.iterdir())) == len(originals) + 1

    for period, listed in ((EARLIER, originals), (NEXT, changed)):
        manifest = pipeline_io.read_json(root / MAIN / period / "manifest.json")
        assert manifest["format"] == 2 and manifest["sources_dir"] == "data/sources"
        assert manifest["originals"] == [o.entry() for o in listed]
        for entry in manifest["originals"]:
            assert (root / MAIN / entry["copy"]).read_bytes() == (folder / entry["name"]).read_bytes() or \
                period == EARLIER and entry["name"] == "Harbour notice.txt"
    old_notice = next(e for e in pipeline_io.read_json(root / MAIN / EARLIER / "manifest.json")["originals"]
                      if e["name"] == "Harbour notice.txt")
    assert (root / MAIN / old_notice["copy"]).read_text(encoding="utf-8") == NOTICE

    assert problems(root) == [] and notes(root) == []
    checked = verify_archive.verify(root)
    assert f"3 archived versions of 3 periods, 6 files, 21 originals ({len(originals) + 1} distinct copies), " \
           "every hash matches" in checked[0].summary
    page = (root / MAIN / "index.html").read_text(encoding="utf-8")
    assert page.count("<td>7</td>") == 3 and WORDS["originals"][0] in page and WORDS["originals"][1] in page


def test_the_same_bytes_under_two_names_are_kept_once_and_restored_under_both(tmp_path, sources):
    folder, _ = sources
    shutil.copy2(folder / "Harbour notice.txt", folder / "Harbour notice (copy).txt")
    originals = originals_of(folder, make_receipt(folder))
    assert len({o.copy for o in originals}) == len(originals) - 1
    archive(tmp_path / "arch", PERIOD, originals)
    restore_sources.restore(tmp_path / "arch" / MAIN, PERIOD, tmp_path / "back")
    assert (tmp_path / "back/Harbour notice (copy).txt").read_text(encoding="utf-8") == NOTICE


# --------------------------------------------------------------------------- verify


def original_copy(root: Path, name: str, period: str = PERIOD) -> Path:
    entry = next(e for e in pipeline_io.read_json(root / MAIN / period / "manifest.json")["originals"]
                 if e["name"] == name)
    return root / MAIN / entry["copy"]


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[5] ^= 0x20
    path.write_bytes(bytes(data))


#: id -> (the original whose copy is damaged, what is done to it, what verify says)
DAMAGE = {
    "deleted-document": ("Harbour notice.txt", Path.unlink, "missing (original {path} (document of source harbour-notice)"),
    "flipped-byte-in-metadata": ("Harbour notice.yaml", flip, "altered (sha256 "),
    "truncated-fetched-copy": (f"fetched/piers/v2-{sha(LINK_V2)[:12]}.html", lambda p: p.write_bytes(b"<html>"),
                               "altered (sha256 "),
    "emptied-links-file": ("sources.yaml", lambda p: p.write_bytes(b""), "(links of source -)"),
}


@pytest.mark.parametrize("name, damage, expected", list(DAMAGE.values()), ids=list(DAMAGE))
def test_verify_names_a_missing_or_altered_original_and_the_next_run_writes_nothing(tmp_path, sources, name, damage,
                                                                                    expected):
    folder, originals = sources
    root = tmp_path / "arch"
    archive(root, EARLIER, originals)
    archive(root, PERIOD, originals)
    copy = original_copy(root, name)
    damage(copy)
    found = problems(root)
    path = next(o.path for o in originals if o.name == name)
    assert len(found) == 1 and found[0].startswith(f"{copy}: ") and expected.format(path=path) in found[0], found
    assert f"listed by {EARLIER}/manifest.json and 1 later version(s)" in found[0]
    checked = subprocess.run([sys.executable, str(ROOT / "scripts/verify_archive.py"), "--archive-dir", str(root)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and f"PROBLEM: {copy}" in checked.stderr
    assert ab.receipt_state(write_receipt(tmp_path, root)).startswith("changed: ")  # the DAG reruns the job...

    # ...which archives nothing while a published original is damaged (and the sources now hold other
    # bytes, so that the copy cannot be put back from them).
    with open(folder / name, "ab") as handle:
        handle.write(b"\n# edited\n")
    before = snapshot(root)
    with pytest.raises(ab.ArchiveDamaged, match="from a backup"):
        archive(root, NEXT, originals_of(folder, make_receipt(folder)))
    assert snapshot(root) == before


def write_receipt(tmp_path: Path, root: Path) -> Path:
    """The rule's receipt of the newest version, as the archive job writes it."""
    receipt = tmp_path / "results" / f"{PERIOD}.json"
    chain = ab.read_chain(root / MAIN / "index.csv", ab.LEDGER_FIELDS)
    row = chain.rows[-1]
    pipeline_io.write_json(receipt, {"archive_root": str(root), "briefing": MAIN, "period": row["period"],
                                     "revision": int(row["revision"]), "manifest_sha256": row["manifest_sha256"]})
    return receipt


def test_a_missing_copy_whose_bytes_this_run_holds_is_put_back(tmp_path, sources):
    _, originals = sources
    root = tmp_path / "arch"
    archive(root, PERIOD, originals)
    copy = original_copy(root, "sources.yaml")
    kept = copy.read_bytes()
    copy.unlink()
    assert archive(root, PERIOD, originals)["action"] == "unchanged"
    assert copy.read_bytes() == kept and problems(root) == []


def test_an_old_manifest_without_originals_still_verifies_with_a_note(tmp_path, sources):
    _, originals = sources
    root = tmp_path / "arch"
    archive(root, EARLIER, originals, fmt=1)
    archive(root, PERIOD, originals)
    assert pipeline_io.read_json(root / MAIN / EARLIER / "manifest.json")["format"] == 1
    assert problems(root) == []
    [note] = notes(root)
    assert "1 version archived before originals were kept (manifest format 1: 2026-10/manifest.json)" in note
    assert "cannot be restored" in note
    page = (root / MAIN / "index.html").read_text(encoding="utf-8")
    assert "<td>&ndash;</td>" in page and f"<td>{len(originals)}</td>" in page
    with pytest.raises(pipeline_io.BuildStop, match="archived before originals were kept"):
        restore_sources.restore(root / MAIN, EARLIER, tmp_path / "back")
    assert not (tmp_path / "back").exists()


def test_a_manifest_of_an_unknown_format_or_with_a_forged_copy_is_a_problem(tmp_path, sources):
    _, originals = sources
    root = tmp_path / "arch"

    def forged(revision, files, supersedes):
        manifest = factory(PERIOD, originals)(revision, files, supersedes)
        manifest["originals"][0]["copy"] = "../../../etc/passwd"  # written together with its ledger row
        return manifest

    ab.archive_period(root, MAIN, PERIOD, b"%PDF", b"<html>", forged, words=WORDS, originals=originals)
    assert any("has copy '../../../etc/passwd', expected 'originals/" in p for p in problems(root))

    def newer(revision, files, supersedes):
        return {**factory(NEXT, originals)(revision, files, supersedes), "format": 3}

    ab.archive_period(tmp_path / "other", MAIN, NEXT, b"%PDF", b"<html>", newer, words=WORDS)
    assert any("manifest format 3, which this version cannot read" in p for p in problems(tmp_path / "other"))


# --------------------------------------------------------------------------- interrupted runs


def test_a_run_interrupted_before_its_ledger_row_leaves_no_copy_and_killed_copies_are_removed(tmp_path, sources,
                                                                                             monkeypatch):
    folder, originals = sources
    root = tmp_path / "arch"
    archive(root, EARLIER, originals)
    (folder / "Harbour notice.txt").write_text(NOTICE + "Two more piers open in May.\n", encoding="utf-8")
    changed = originals_of(folder, make_receipt(folder))
    before = snapshot(root)

    def killed(chain, row):
        raise KeyboardInterrupt("killed before the ledger row")

    monkeypatch.setattr(ab, "append_row", killed)
    with pytest.raises(KeyboardInterrupt):
        archive(root, PERIOD, changed)
    monkeypatch.undo()
    assert snapshot(root) == before  # the new copy was removed with the PDF, the HTML and the manifest

    # As a SIGKILL leaves it instead: a copy no listed manifest names, and a temporary file.
    new = next(o for o in changed if o.name == "Harbour notice.txt")
    leftover = root / MAIN / new.copy
    leftover.write_bytes((folder / new.name).read_bytes())
    (leftover.parent / f".{leftover.name}.999999999.k9k9k9k9.tmp").write_bytes(b"half")
    assert problems(root) == []
    assert sorted(n.split(": ")[1][:22] for n in notes(root)) == ["not published (no list", "temporary file left by"]
    archive(root, EARLIER, originals)  # any run of the briefing (here: an unchanged period) removes both
    assert snapshot(root) == before and notes(root) == []


def test_a_source_changed_while_it_is_copied_is_refused_and_nothing_is_archived(tmp_path, sources):
    folder, originals = sources
    (folder / "Harbour notice.yaml").write_text(NOTICE_META + "publisher: Harbour Office\n", encoding="utf-8")
    with pytest.raises(pipeline_io.BuildStop, match="Harbour notice.yaml changed while it was being archived"):
        archive(tmp_path / "arch", PERIOD, originals)
    assert not (tmp_path / "arch" / MAIN / "originals").exists()
    assert not (tmp_path / "arch" / MAIN / PERIOD).exists()


# --------------------------------------------------------------------------- restore


def restore_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts/restore_sources.py"), *args], capture_output=True,
                          text=True, timeout=120)


def test_restore_recreates_the_sources_folder_byte_for_byte(tmp_path, sources):
    folder, originals = sources
    root = tmp_path / "arch"
    archive(root, PERIOD, originals)
    done = restore_cli("--archive-dir", str(root), "--briefing", MAIN, "--period", PERIOD, str(tmp_path / "back"))
    assert done.returncode == 0, done.stderr
    assert f"restored 7 file(s) of 3 source(s) of {MAIN} {PERIOD} into {tmp_path / 'back'}" in done.stdout
    assert "sources_dir: data/sources" in done.stdout and "1" * 64 in done.stdout
    assert snapshot(tmp_path / "back") == snapshot(folder)  # every file, every name, every byte
    # ...and it reads back as the same sources.
    restored = source_files.discover(tmp_path / "back")
    assert list(restored) == list(source_files.discover(folder))


def test_restore_picks_the_revision_and_refuses_what_it_cannot_do_right(tmp_path, sources):
    folder, originals = sources
    root = tmp_path / "arch"
    archive(root, PERIOD, originals)
    (folder / "Harbour notice.txt").write_text(NOTICE.replace("20 planned", "21 planned"), encoding="utf-8")
    archive(root, PERIOD, originals_of(folder, make_receipt(folder)), pdf=b"%PDF corrected", revision=True)
    latest = restore_sources.restore(root / MAIN, PERIOD, tmp_path / "r2")
    assert latest["manifest"]["revision"] == 2 and "21 planned" in (tmp_path / "r2/Harbour notice.txt").read_text()
    restore_sources.restore(root / MAIN, PERIOD, tmp_path / "r1", revision=1)
    assert "20 planned" in (tmp_path / "r1/Harbour notice.txt").read_text(encoding="utf-8")

    refused = restore_cli("--archive-dir", str(root), "--briefing", MAIN, "--period", PERIOD, str(tmp_path / "r1"))
    assert refused.returncode == 1 and "exists and is not an empty folder" in refused.stderr
    missing = restore_cli("--archive-dir", str(root), "--briefing", MAIN, "--period", NEXT, str(tmp_path / "x"))
    assert missing.returncode == 1 and f"lists no version of {NEXT} (archived periods: {PERIOD})" in missing.stderr
    bad = restore_cli("--archive-dir", str(root), "--briefing", "../etc", "--period", PERIOD, str(tmp_path / "x"))
    assert bad.returncode == 1 and "briefing id '../etc' is not allowed" in bad.stderr
    assert "Traceback" not in refused.stderr + missing.stderr + bad.stderr and not (tmp_path / "x").exists()


@pytest.mark.parametrize("damage", ["copy", "manifest", "ledger"])
def test_restore_from_a_damaged_archive_restores_nothing(tmp_path, sources, damage):
    _, originals = sources
    root = tmp_path / "arch"
    archive(root, EARLIER, originals)
    archive(root, PERIOD, originals)
    if damage == "copy":
        flip(original_copy(root, f"fetched/piers/v2-{sha(LINK_V2)[:12]}.html"))
        expected = "altered (sha256 "
    elif damage == "manifest":
        (root / MAIN / PERIOD / "manifest.json").write_text("{}")
        expected = "manifest.json: altered (the ledger records"
    else:
        lines = (root / MAIN / "index.csv").read_bytes().splitlines(keepends=True)
        (root / MAIN / "index.csv").write_bytes(lines[0] + lines[2])  # the first row removed
        expected = "is damaged, so nothing in it can be trusted"
    done = restore_cli("--archive-dir", str(root), "--briefing", MAIN, "--period", PERIOD, str(tmp_path / "back"))
    assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "back").exists()  # what was copied before the damaged file was removed again
