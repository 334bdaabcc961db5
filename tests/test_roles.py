"""The code names no metric: the briefing asks the catalog for roles (scripts/catalog.py), so a
catalog with other ids builds the same briefing.

Unit tests of the roles, a static check that no script or template names a metric id of a shipped
catalog, and a workflow test that renames every metric id in config/ and data/ and reads the same
briefing back.
"""

import ast
import copy
import re
import subprocess
from pathlib import Path

import pytest
import yaml

import catalog
from conftest import PDF, PERIOD, copy_workflow, run_snakemake
from pipeline_io import InputError, read_yaml, sha256_file

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted((ROOT / "config").glob("metrics*.yaml"))
IDS = sorted({mid for path in CATALOGS for mid in read_yaml(path)["metrics"]})
RAW = read_yaml(ROOT / "config/metrics.yaml")


def names_in_code(source: str) -> set[str]:
    """Identifiers and string constants of a module, docstrings left out (they explain by example)."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.arg, ast.keyword)):
            found.add(getattr(node, "name", None) or getattr(node, "arg", None) or "")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.update(re.findall(r"[a-z][a-z0-9_]*", node.value))
    return found


def test_the_shipped_catalogs_give_every_role_the_briefing_draws():
    for path in CATALOGS:
        cat = catalog.load(path)
        catalog.require_roles(cat)
        assert cat.outputs(), path.name


@pytest.mark.parametrize("path", sorted((ROOT / "scripts").glob("*.py")), ids=lambda p: p.name)
def test_no_script_names_a_metric_id(path):
    assert names_in_code(path.read_text(encoding="utf-8")) & set(IDS) == set()


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "templates").rglob("*") if p.is_file()),
                         ids=lambda p: p.name)
def test_no_template_or_string_catalog_names_a_metric_id(path):
    text = path.read_text(encoding="utf-8")
    assert [mid for mid in IDS if re.search(rf"\b{mid}\b", text)] == []


def metrics_with(**changes):
    data = copy.deepcopy(RAW)
    for mid, entry in changes.items():
        data["metrics"][mid].update(entry)
        data["metrics"][mid] = {k: v for k, v in data["metrics"][mid].items() if v is not None}
    return data


@pytest.mark.parametrize("changes, words", [
    ({"reforms": {"role": "start"}}, ["metric 'reforms'", "role 'start'", "expected kind 'date', not 'count'"]),
    ({"projects": {"role": "target"}}, ["role 'target' is given to 2 metrics (tasks_total, projects)"]),
    ({"tasks_done_share": {"share_of": {"numerator": "reforms", "denominator": "tasks_total"}}},
     ["metric 'tasks_done_share'", "share_of.numerator is 'reforms', not 'tasks_done' (role progress)"]),
], ids=["kind-mismatch", "two-targets", "share-of-other-parts"])
def test_a_role_that_does_not_fit_is_an_error_naming_the_metric(changes, words):
    with pytest.raises(InputError) as caught:
        catalog.validate(metrics_with(**changes), "metrics.yaml")
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


def test_a_missing_role_is_named_with_what_needs_it():
    cat = catalog.validate(metrics_with(approval_date={"role": None}), "m.yaml")
    assert cat.role("start") is None and cat.role("target").id == "tasks_total"
    with pytest.raises(InputError, match=r"m.yaml: no metric has 'role: start' \(the date the plan starts\); one is "
                                         r"needed by the briefing's charts"):
        catalog.require_roles(cat)
    with pytest.raises(ValueError, match="not a single role"):
        cat.role("output")


def renamed_ids(path: Path, prefix: str = "renamed_") -> dict[str, str]:
    """Rewrite a catalog with every metric id renamed (one prefix for all, so the checks keep their
    order), references included; returns new id -> old id."""
    data = read_yaml(path)
    new = {mid: prefix + mid for mid in data["metrics"]}
    metrics = {}
    for mid, entry in data["metrics"].items():
        if "share_of" in entry:
            entry["share_of"] = {k: new[v] for k, v in entry["share_of"].items()}
        metrics[new[mid]] = entry
    data["metrics"] = metrics
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {v: k for k, v in new.items()}


def plain_text(pdf: Path) -> str:
    """The PDF's words without spaces, line breaks or hyphens (a line may break at a hyphen in one
    build and not in the other when an id's length changes the wrapping before it)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return without_pagination("".join(out.split()).replace("-", ""))


def without_pagination(text: str) -> str:
    """The text without page footers and the contents' page numbers: longer ids can push a table
    onto one more page, which changes every footer ("Page 1 of 11") but no word of the briefing."""
    text = re.sub(r"Page\d+of\d+·第\d+頁，共\d+頁", "", text)
    text = re.sub(r"[A-Za-z]+·[\u3400-\u9fff]+·\d{6}(?=[A-Z\u3400-\u9fff])", "", text)  # running heads
    return re.sub(r"(\.{3,})\d+", r"\1", text)


@pytest.mark.workflow
def test_renaming_every_metric_id_builds_the_same_briefing(built_workflow, tmp_path):
    work = copy_workflow(tmp_path / "wf")
    back = renamed_ids(work / "config/metrics.yaml")
    for path in (work / "data").glob("resolutions*.yaml"):  # decisions name check ids, which hold metric ids
        text = path.read_text(encoding="utf-8")
        for new, old in back.items():
            text = re.sub(rf"\b{old}\b", new, text)
        path.write_text(text, encoding="utf-8")
    for path in (work / "data/commentary").rglob("*.md"):  # placeholders {id} and {id.field} name metric ids
        text = path.read_text(encoding="utf-8")
        for new, old in back.items():
            text = re.sub(rf"\{{{old}([.}}])", rf"{{{new}\1", text)
        path.write_text(text, encoding="utf-8")
    run_snakemake(work, "--config", f"period={PERIOD}")
    renamed = plain_text(work / PDF)
    assert "renamed_tasks_total" in renamed, "the check ids show the new metric ids"
    for new, old in sorted(back.items(), key=lambda kv: -len(kv[0])):
        renamed = renamed.replace(new, old)
    # The colophon lists the SHA-256 of the catalog and of the commentary, which changed with the ids:
    # the one other difference.
    for path in [Path("config/metrics.yaml"), *(p.relative_to(work) for p in (work / "data/commentary").rglob("*.md"))]:
        renamed = renamed.replace(sha256_file(work / path), sha256_file(ROOT / path))
    assert renamed == plain_text(built_workflow / PDF)
