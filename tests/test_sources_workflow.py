"""Sources as analysts receive them, end to end (issue 12): the seed as a saved web page with site
chrome, printed to PDF and at a URL (a server on 127.0.0.1) builds beside the .txt with the same
catalog figures; a link is fetched once, kept, and fetched again only when asked; bad folders
stop the run before any job with one clear line."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys

import pytest

import sources_material as material
from conftest import (BRIEFING, OUT, PDF, PERIOD, copy_workflow, extraction_log, figures_file, normalized_file,
                      planned_jobs, run_snakemake)

pytestmark = pytest.mark.workflow
SEED = material.SEED
HTML_NAME = "Chongqing Press Release 2022-05.html"
HTML_ID = "chongqing-press-release-2022-05"
PDF_NAME = "Pilot anniversary (printed).pdf"
PDF_ID = "pilot-anniversary-printed"
LINK_ID = "pr-2022-05"
LINK_PATH = "/news/2022/05/pr.html"


def figures(work, source: str) -> list[dict[str, str]]:
    rows = csv.DictReader(io.StringIO((work / figures_file(source)).read_text(encoding="utf-8")))
    return [r for r in rows if r["source"] == source]


def catalog_figures(work, source: str) -> list[tuple[str, ...]]:
    return sorted((r["lang"], r["metric"], r["value"], r["qualifier"], r["unit"]) for r in figures(work, source)
                  if r["metric"])


def normalized(work, source: str) -> dict:
    docs = json.loads((work / normalized_file(source)).read_text(encoding="utf-8"))["sources"]
    return next(d for d in docs if d["source"] == source)


@pytest.fixture(scope="module")
def site():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("no_proxy", "127.0.0.1,localhost")
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        server = material.LocalSite().start()
        server.pages[LINK_PATH] = (200, "text/html; charset=utf-8", material.seed_html().encode("utf-8"))
        yield server
        server.stop()


@pytest.fixture(scope="module")
def received(tmp_path_factory, site):
    """The workflow with the seed four times: the .txt (and its .yaml), the saved page with chrome
    and no metadata file, the printed PDF with a metadata file giving only date and languages, and
    a link to the page; the briefing built once."""
    work = copy_workflow(tmp_path_factory.mktemp("received") / "wf")
    sources = work / "data/sources"
    (sources / HTML_NAME).write_text(material.seed_html(), encoding="utf-8")
    material.write_seed_pdf(sources / PDF_NAME)
    (sources / PDF_NAME.replace(".pdf", ".yaml")).write_text("date: 2022-05-17\nlanguages: [en, zh-Hant]\n",
                                                              encoding="utf-8")
    (sources / "sources.yaml").write_text(
        f"sources:\n  - id: {LINK_ID}\n    url: {site.url(LINK_PATH)}\n    date: 2022-05-17\n"
        "    languages: [en, zh-Hant]\n", encoding="utf-8")
    run_snakemake(work, "--config", f"period={PERIOD}")
    return work


@pytest.mark.parametrize("source", [HTML_ID, PDF_ID, LINK_ID], ids=["saved-page", "printed-pdf", "link"])
def test_each_form_gives_the_catalog_figures_of_the_txt(received, source):
    assert catalog_figures(received, source) == catalog_figures(received, SEED)


@pytest.mark.parametrize("source", [HTML_ID, LINK_ID], ids=["saved-page", "link"])
def test_no_number_from_the_menu_or_footer_becomes_a_figure(received, source):
    seed_numbers = {(r["lang"], r["match"]) for r in figures(received, SEED)}
    page_numbers = {(r["lang"], r["match"]) for r in figures(received, source)}
    assert page_numbers <= seed_numbers, page_numbers - seed_numbers
    text = " ".join(line["text"] for line in normalized(received, source)["lines"])
    for chrome in material.RELATED_EN + material.RELATED_ZH + material.FOOTER + [material.SHARE]:
        assert chrome not in text


def test_provenance_points_into_the_original(received):
    pdf = normalized(received, PDF_ID)
    assert all(re.fullmatch(r"[1-9]\d*:[1-9]\d*", line["loc"]) for line in pdf["lines"])
    page = normalized(received, HTML_ID)
    assert all(re.fullmatch(r"p[1-9]\d*", line["loc"]) for line in page["lines"])
    assert "loc" not in normalized(received, SEED)["lines"][0]
    # the page's own metadata stands in for the missing .yaml
    assert page["metadata"]["date"] == "2022-05-17" and page["metadata"]["author"]["en"] == "Yang Yan"
    assert page["path"] == f"data/sources/{HTML_NAME}" and page["format"] == "html"


def test_a_link_is_kept_as_the_copy_of_record_with_its_hash(received, site):
    receipt = json.loads((received / f"{OUT}/fetched/{LINK_ID}.json").read_text(encoding="utf-8"))
    copy = received / receipt["file"]
    assert receipt["file"].startswith(f"data/sources/fetched/{LINK_ID}/v1-") and copy.read_bytes() == site.pages[LINK_PATH][2]
    doc = normalized(received, LINK_ID)
    assert doc["url"] == site.url(LINK_PATH) and doc["version"] == 1 and doc["sha256"] == receipt["sha256"]


def test_the_briefing_lists_every_form_and_nothing_else(received):
    html = (received / PDF.replace(".pdf", ".html")).read_text(encoding="utf-8")
    for source in (SEED, HTML_ID, PDF_ID, LINK_ID):
        assert source in html
    metrics = (received / f"{OUT}/metrics.csv").read_text(encoding="utf-8")
    assert f"{PDF_ID}:en:" in metrics and f"{LINK_ID}:zh:" in metrics


def test_an_archived_briefing_is_rebuilt_from_the_sources_restored_from_the_archive_alone(received, site, tmp_path):
    """Archive the briefing built from every form, restore its sources into a fresh copy of the
    workflow, and build: no server is contacted and metrics.csv (and the PDF) are the archived bytes."""
    work = tmp_path / "wf"
    shutil.copytree(received, work, symlinks=True)
    run_snakemake(work, "archive", "--config", f"period={PERIOD}")
    manifest = json.loads((work / f"archive/{BRIEFING}/{PERIOD}/manifest.json").read_text(encoding="utf-8"))
    kinds = {(e["role"], e["name"].rsplit(".", 1)[-1]) for e in manifest["originals"]}
    assert kinds == {("document", "txt"), ("metadata", "yaml"), ("document", "html"), ("document", "pdf"),
                     ("links", "yaml"), ("fetch-record", "json")}, kinds
    assert {e["source"] for e in manifest["originals"]} == {SEED, HTML_ID, PDF_ID, LINK_ID, ""}

    fresh = copy_workflow(tmp_path / "fresh")
    shutil.rmtree(fresh / "data/sources")
    restored = subprocess.run([sys.executable, "scripts/restore_sources.py", "--archive-dir", str(work / "archive"),
                               "--briefing", BRIEFING, "--period", PERIOD, "data/sources"], cwd=fresh,
                              capture_output=True, text=True, timeout=120)
    assert restored.returncode == 0, restored.stderr
    assert f"restored {len(manifest['originals'])} file(s) of 4 source(s)" in restored.stdout
    seen = len(site.requests)
    run_snakemake(fresh, "--config", f"period={PERIOD}")
    assert len(site.requests) == seen  # the link was read from its restored copy of record

    metrics = (fresh / f"{OUT}/metrics.csv").read_bytes()
    assert hashlib.sha256(metrics).hexdigest() == manifest["metrics_sha256"]
    assert metrics == (work / f"{OUT}/metrics.csv").read_bytes()
    pdf = (fresh / PDF).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == manifest["files"][f"briefing-{PERIOD}.pdf"]


def test_a_link_is_fetched_once_and_again_only_when_asked(received, site, tmp_path):
    """The last test of this module that uses the site: it changes the page, then stops the server."""
    work = tmp_path / "wf"
    shutil.copytree(received, work, symlinks=True)
    target = figures_file(LINK_ID)
    config = ("--config", f"period={PERIOD}")
    seen = len(site.requests)

    # After a build nothing is to do, and a dry run contacts no server.
    assert planned_jobs(work, *config) == {}
    assert len(site.requests) == seen

    # The page changes: nothing notices until a refetch is asked for; then it becomes version 2.
    changed = site.pages[LINK_PATH][2].replace(b"356 modern service projects", b"357 modern service projects")
    site.pages[LINK_PATH] = (200, "text/html", changed)
    assert planned_jobs(work, target, *config, "refetch=true") == {"fetch_source": 1, "extract_figures": 1}
    assert len(site.requests) == seen
    run_snakemake(work, target, *config, "refetch=true")
    assert len(site.requests) == seen + 1
    store = work / f"data/sources/fetched/{LINK_ID}"
    assert sorted(p.name.split("-")[0] for p in store.glob("v[0-9]*-*")) == ["v1", "v2"]
    assert ("en", "projects", "357", "eq", "") in catalog_figures(work, LINK_ID)
    log = (work / f"logs/{BRIEFING}/fetch_source/{LINK_ID}.log").read_text(encoding="utf-8")
    assert "changed since version 1" in log and "version 1 is kept" in log
    assert any("changed since version 1" in w for w in normalized(work, LINK_ID)["warnings"])  # shown in the briefing

    # The next run, with or without the setting left on, fetches nothing.
    assert planned_jobs(work, target, *config) == {}

    # A link added above it runs its own jobs only (the other link's param holds no line numbers).
    links = work / "data/sources/sources.yaml"
    links.write_text(links.read_text(encoding="utf-8").replace(
        "sources:\n", f"sources:\n  - id: second-link\n    url: {site.url('/other.html')}\n"), encoding="utf-8")
    jobs = planned_jobs(work, *config)
    assert jobs["fetch_source"] == 1 and jobs["extract_figures"] == 1, jobs
    assert len(site.requests) == seen + 1

    # The server is gone: a refetch goes on with the stored copy and says so.
    site.stop()
    proc = run_snakemake(work, target, *config, "refetch=true")
    assert "failed" in proc.stderr and "stored copy" in proc.stderr and site.url(LINK_PATH) in proc.stderr
    doc = normalized(work, LINK_ID)
    assert doc["version"] == 2 and any("the build goes on with the stored copy" in w for w in doc["warnings"])


# ---------------------------------------------------------------- refusals before any job


def _symlink_to_passwd(sources):
    (sources / "Chongqing notice.txt").symlink_to("/etc/passwd")


def _folder_named_like_a_source(sources):
    (sources / "x.txt").mkdir()


# The other refusals (a file over max_source_mb, two files with one id, a bad sources.yaml...) take
# the same path, discovery -> ConfigError -> one line before any job: tests/test_source_files.py.
@pytest.mark.parametrize("make, needles", [
    (_symlink_to_passwd, ["Chongqing notice.txt", "/etc/passwd", "outside the sources folder"]),
    (_folder_named_like_a_source, ["data/sources/x.txt", "is a folder"]),
], ids=["symlink-to-passwd", "folder-named-like-a-source"])
def test_a_bad_sources_folder_stops_before_any_job_with_one_line(tmp_path, make, needles):
    work = copy_workflow(tmp_path / "wf")
    make(work / "data/sources")
    proc = run_snakemake(work, "--config", f"period={PERIOD}", check=False)
    assert proc.returncode != 0
    message = proc.stdout + proc.stderr
    errors = [line for line in message.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, message
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    assert "Traceback" not in message and "root:" not in message
    assert not (work / "results").exists() and not (work / "logs").exists()


def test_an_unquoted_bad_date_stops_its_job_with_one_line(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    meta = work / f"data/sources/{SEED}.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(re.sub(r"(?m)^date: .*$", "date: 2022-13-45", text), encoding="utf-8")
    line = 1 + text[: text.index("\ndate:") + 1].count("\n")
    proc = run_snakemake(work, normalized_file(SEED), check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stdout + proc.stderr
    log = (work / extraction_log(SEED)).read_text(encoding="utf-8")
    assert log == (f"ERROR extract_figures: data/sources/{SEED}.yaml:{line}: key 'date': '2022-13-45' is not a date "
                   "(month must be in 1..12); expected YYYY-MM-DD\n")
    assert log.strip() in proc.stderr


def test_a_new_source_of_any_format_reruns_only_its_job_and_the_combined_steps(built_copy):
    (built_copy / "data/sources" / HTML_NAME).write_text(material.seed_html(), encoding="utf-8")
    assert planned_jobs(built_copy, "--config", f"period={PERIOD}") == {
        "batch_manifest": 1, "extract_figures": 1, "reconcile": 1, "plot_progress_phases": 1, "plot_outputs": 1,
        "check_commentary": 1, "render_briefing": 1, "all": 1}
