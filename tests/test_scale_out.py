"""The workflow runs unchanged under an executor plugin: each job as a separate process submitted
through snakemake-executor-plugin-cluster-generic (profiles/cluster-generic), same bytes as local."""

from pathlib import Path

import pytest
import yaml

from conftest import BRIEFING, OUT, PERIOD, copy_workflow, normalized_file, planned_jobs, run_snakemake
from test_workflow import PDF

pytestmark = pytest.mark.workflow
ROOT = Path(__file__).resolve().parents[1]


def test_cluster_in_miniature_builds_the_same_briefing(built_workflow, tmp_path):
    work = copy_workflow(tmp_path / "cluster")
    planned = planned_jobs(work, "--config", f"period={PERIOD}")
    proc = run_snakemake(work, "--profile", "profiles/cluster-generic", "--config", f"period={PERIOD}")
    jobs = list((work / ".snakemake/cluster-generic").glob("*.exit"))
    # Every job but the local rules (the target `all`, the batch manifests written inside Snakemake)
    # ran as a submitted job.
    assert len(jobs) == sum(planned.values()) - planned["all"] - planned["batch_manifest"] >= 5, (len(jobs), planned)
    assert all(p.read_text().strip() == "0" for p in jobs)
    for rel in (PDF, PDF.replace(".pdf", ".html"), f"{OUT}/metrics.csv"):
        assert (work / rel).read_bytes() == (built_workflow / rel).read_bytes(), rel
    assert f"Briefing {BRIEFING} for {PERIOD}" in proc.stdout + proc.stderr


def test_a_failing_job_is_reported_as_failed(tmp_path):
    work = copy_workflow(tmp_path / "cluster-fail")
    (work / "data/sources/empty.txt").write_bytes(b"")
    proc = run_snakemake(work, "--profile", "profiles/cluster-generic", normalized_file("empty"), check=False)
    assert proc.returncode != 0
    assert any(p.read_text().strip() != "0" for p in (work / ".snakemake/cluster-generic").glob("*.exit"))


@pytest.mark.parametrize("profile", ["default", "slurm", "cluster-generic"])
def test_profiles_hold_resources_not_config(profile):
    settings = yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text())
    assert "default-resources" in settings
    assert not {"period", "sources_dir", "catalog"} & set(settings), "workflow config belongs in config/"


@pytest.mark.parametrize("profile", ["default", "slurm", "cluster-generic"])
def test_profiles_run_the_batch_manifests_inside_snakemake(profile):
    """batch_manifest is a run: job; without force-use-threads Snakemake starts a whole new Snakemake
    (workflow parsed, DAG built) for each one: 2-4 s per batch at 1,000 sources (bench/RESULTS.md)."""
    settings = yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text())
    assert settings.get("force-use-threads") is True


def test_a_batch_larger_than_a_command_line_argument_is_extracted(tmp_path):
    """One batch of 400 sources with long names: its list (over 140 KB of JSON) is more than one
    command-line argument may hold (128 KB on Linux), so the job reads it from the batch's manifest."""
    work = copy_workflow(tmp_path / "wf")
    sources = work / "data/sources"
    long = "-".join(["a-long-file-name-as-saved-from-a-browser"] * 5)
    for n in range(400):
        (sources / f"{n:04d}-{long}.txt").write_text(
            f"Of the {90 + n % 7} tasks, {40 + n % 11} have been completed.\n", encoding="utf-8")
    figures = f"{OUT}/figures/b0.csv"
    run_snakemake(work, figures, "--config", "batches=1")
    manifest = work / f"{OUT}/batches/b0.json"
    assert manifest.stat().st_size > 131072  # more than one argument of a command may carry
    rows = (work / figures).read_text(encoding="utf-8").splitlines()
    sources_seen = {line.split(",", 1)[0] for line in rows[1:]}
    assert len(sources_seen) == 401  # every source of the batch, the seed included
