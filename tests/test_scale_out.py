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
    # Every job but the target rule `all` (a local rule) ran as a submitted job.
    assert len(jobs) == sum(planned.values()) - planned["all"] >= 5, (len(jobs), planned)
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
