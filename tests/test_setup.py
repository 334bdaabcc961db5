"""The set-up contract: lock and environment.yml agree; README and CI say the two commands."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def lock_pins():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_every_lock_line_is_an_exact_pin():
    lines = [ln for ln in (ROOT / "requirements.lock").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9A-Za-z.\-+]+", ln) for ln in lines), lines


def test_environment_yml_pins_match_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = lock_pins()
    for spec in pip_section:
        name, version = spec.split("==")
        assert pins.get(name.lower().replace("_", "-")) == version, spec
    for required in ("snakemake", "matplotlib", "weasyprint", "jinja2", "pytest"):
        assert required in {s.split("==")[0].lower() for s in pip_section}, required


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.strip().startswith("#")]
    assert commands == ["make briefing", "make test"]
    ci = [ln for ln in (ROOT / ".ci/run").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert ci[-1] == "make test"


def test_readme_documents_every_config_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    schema = yaml.safe_load((ROOT / "config/config.schema.yaml").read_text())
    for key in schema["properties"]:
        assert f"`{key}`" in readme, key


def test_pandas_is_not_installed_by_the_lock():
    """README, "Why no pandas": measured, it made the combined steps neither shorter nor clearer and
    cost ~1 s of import per job (Snakemake also imports it for every params check when installed)."""
    assert "pandas" not in lock_pins()
