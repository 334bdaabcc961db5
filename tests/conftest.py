"""Shared fixtures: scripts/ on sys.path, and a built copy of the workflow for workflow tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from workflow_config import job_counts  # noqa: E402

#: What a workflow copy needs; results/, logs/ and .snakemake/ are deliberately left out.
WORKFLOW_PARTS = ["Snakefile", "rules", "scripts", "templates", "config", "data", "profiles", "report",
                  "pyproject.toml", "environment.yml"]
PERIOD = "2026-11"
#: The briefing config/config.yaml lists; its outputs are under OUT.
BRIEFING = "chongqing-services"
OUT = f"results/{BRIEFING}"
#: The finished briefing (workflow_config.briefing_path; the doctest there pins the layout).
PDF = f"results/briefing/{PERIOD}/briefing-{BRIEFING}-{PERIOD}.pdf"
SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")


I18N_FILES = [ROOT / "templates/i18n/en.yaml", ROOT / "templates/i18n/zh.yaml"]
PROGRAMME = ROOT / f"config/programmes/{BRIEFING}.yaml"


def batch(source_id: str) -> str:
    """The extraction batch of a source under the shipped config (scripts/source_batches.py)."""
    import source_batches
    from pipeline_io import read_yaml

    return source_batches.batch_of(source_id, read_yaml(ROOT / "config/config.yaml")["batches"])


def figures_file(source_id: str, briefing: str = BRIEFING) -> str:
    """The figures CSV holding a source's figures (its batch's), relative to a workflow copy."""
    return f"results/{briefing}/figures/{batch(source_id)}.csv"


def normalized_file(source_id: str, briefing: str = BRIEFING) -> str:
    """The normalized documents of a source's batch."""
    return f"results/{briefing}/normalized/{batch(source_id)}.json"


def extraction_log(source_id: str, briefing: str = BRIEFING) -> str:
    """The log of a source's extraction job (its batch's)."""
    return f"logs/{briefing}/extract_figures/{batch(source_id)}.log"


def briefing_strings(script: str | None = None) -> dict:
    """The shipped briefing's strings as the rules load them: shared catalogs + programme file."""
    from pipeline_io import load_strings

    return load_strings(I18N_FILES, script, PROGRAMME)


CATALOG = ROOT / "config/metrics.yaml"


def briefing_facts(script: str = "hant"):
    """What the shipped briefing's charts know from its catalog (roles) and programme (phases)."""
    import catalog
    import chart_style
    import programme

    return chart_style.facts(catalog.load(CATALOG), programme.load(PROGRAMME), script)


def metric(name: str, value: str, date: str = "2022-05-17", qualifier: str = "eq") -> dict[str, str]:
    """One metrics.csv row, as the chart tests need it."""
    return {"metric": name, "date": date, "value": value, "qualifier": qualifier}


#: The shipped config's second briefing (a five-year plan in four phases, Simplified Chinese).
SECOND = "yunling-roads"


def copy_workflow(dest: Path, both: bool = False) -> Path:
    """A copy of the workflow; its config builds only the first briefing (:data:`BRIEFING`) unless
    ``both``: most tests are about one briefing, and a second one would double their build time."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy2(src, dest / part)
    if not both:
        only_first(dest / "config/config.yaml")
    return dest


def only_first(config_path: Path) -> None:
    """Keep only :data:`BRIEFING` under ``briefings`` (the key stays last, so tests may append to it)."""
    import yaml

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["briefings"] = {BRIEFING: config["briefings"][BRIEFING]}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def run_snakemake(workdir: Path, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args],
        cwd=workdir, capture_output=True, text=True, timeout=timeout, env=env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def planned_jobs(workdir: Path, *args: str) -> Counter:
    """Rule name -> job count from a dry run's job table (empty when there is nothing to do)."""
    proc = run_snakemake(workdir, "--dry-run", *args)
    text = proc.stdout + proc.stderr
    jobs = Counter(job_counts(text))
    if not jobs:
        assert "Nothing to be done" in text, text
    return jobs


@pytest.fixture(scope="session")
def built_workflow(tmp_path_factory) -> Path:
    """A copy of the workflow with the briefing built once for PERIOD (shared, do not modify)."""
    work = copy_workflow(tmp_path_factory.mktemp("built") / "wf")
    run_snakemake(work, "--config", f"period={PERIOD}")
    return work


@pytest.fixture
def built_copy(built_workflow, tmp_path) -> Path:
    """A private copy of the built workflow (results and Snakemake metadata included, mtimes kept)."""
    dest = tmp_path / "wf"
    shutil.copytree(built_workflow, dest, symlinks=True)
    return dest


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a chart test drew (use with pytest.mark.usefixtures)."""
    yield
    import chart_style

    chart_style.plt.close("all")


def gid_texts(fig) -> dict:
    """Text of every drawn text artist that carries a gid, keyed by gid."""
    import chart_style

    return {t.get_gid(): t.get_text() for t in chart_style.drawn_texts(fig) if t.get_gid()}
