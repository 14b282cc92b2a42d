"""The layers, kept as a test (issue 14): Streamlit only in the app's pages (planner/ui), PuLP
only in the model, the fronts on the scenario API, results read without loading the solver,
no fallback that would turn a missing module of the planner into a skipped feature, and
nothing in the code pointing outside the repository.

The source is parsed (``ast``), so docstrings and comments naming these modules do not count.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANNER = sorted((ROOT / "planner").rglob("*.py"))
#: the modules that may build PuLP models
MODEL_MODULES = {"planner/optimise/model.py", "planner/optimise/model_multiyear.py"}


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``, at any depth (function-level too)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def test_streamlit_is_imported_only_by_the_app_pages():
    found = [f"{rel(p)}:{line}: {m}" for p in PLANNER for line, m in imported(p)
             if m.split(".")[0] == "streamlit" and "ui" not in p.relative_to(ROOT).parts]
    assert found == []


def test_pulp_is_imported_only_by_the_model():
    found = [f"{rel(p)}:{line}: {m}" for p in PLANNER for line, m in imported(p)
             if m.split(".")[0] in ("pulp", "highspy") and rel(p) not in MODEL_MODULES]
    assert found == []


#: what the domain (the rules) must not lean on: the layers built on top of it
ABOVE_DOMAIN = ("planner.optimise", "planner.export", "planner.present", "planner.ui",
                "planner.cli", "planner.api", "planner.store")


def test_the_domain_imports_no_layer_above_it():
    # the rules (planner/domain) are pure: the optimiser, exports, charts and fronts use them,
    # never the other way round (issue 15: the multi-year orchestration lives in optimise)
    domain = [p for p in PLANNER if p.relative_to(ROOT).parts[:2] == ("planner", "domain")]
    assert any(rel(p) == "planner/domain/multiyear.py" for p in domain)
    found = [f"{rel(p)}:{line}: {m}" for p in domain for line, m in imported(p)
             if any(m == top or m.startswith(top + ".") for top in ABOVE_DOMAIN)]
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    # the two checks above would pass on a tree they cannot read: show they see an import
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    import pulp.apis\n    from streamlit import cache_data\n",
                     encoding="utf-8")
    assert [m for _, m in imported(probe)] == ["pulp.apis", "streamlit"]
    # and the domain check sees a function-level import of a layer above it
    probe.write_text("def f():\n    from planner.optimise.model_multiyear import solve_multiyear\n",
                     encoding="utf-8")
    assert any(m.startswith("planner.optimise.") for _, m in imported(probe))


def test_reading_a_result_does_not_load_the_solver():
    # the fronts, the exports and the store are typed on planner.optimise.result; reading a
    # saved plan (the store, the comparison, the plan's words) must not import PuLP
    code = ("import sys, json\n"
            "import planner.optimise.result, planner.present.labels, planner.present.plan_text\n"
            "import planner.store.restore, planner.present.compare, planner.export.headers\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pulp', 'highspy', 'streamlit'))))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []


@pytest.mark.parametrize("front", ["planner/cli/solve.py", "planner/cli/sweep.py",
                                   "planner/cli/gaps.py", "planner/cli/plan.py",
                                   "planner/ui/cache.py", "planner/ui/multiyear_page.py"])
def test_the_fronts_call_the_scenario_api_not_the_pipeline(front):
    # the pipeline (gaps → row and unit settings → optimiser) is written once, in planner.api
    modules = {m for _, m in imported(ROOT / front)}
    assert "planner.api" in modules or any(m == "planner" for m in modules)
    banned = {"planner.optimise.allocate", "planner.optimise.sweep"}
    source = (ROOT / front).read_text(encoding="utf-8")
    for name in ("staffing_gaps(", "apply_rows(", "apply_units(", "allocate_hires(",
                 "budget_curve(", "plan_multiyear("):
        if name == "budget_curve(" and front == "planner/ui/cache.py":
            continue  # the cached function's own name
        assert name not in source, f"{front} calls {name[:-1]} itself"
    assert not modules & banned


def test_no_import_error_fallback_for_the_planner_s_own_modules():
    # a missing module of the planner must fail the tests, never turn a feature off
    found = []
    for p in PLANNER:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if not catches & {"ImportError", "ModuleNotFoundError"}:
                continue
            body = [m for stmt in node.body for _, m in _imports_in(stmt)]
            if any(m.startswith("planner") for m in body):
                found.append(f"{rel(p)}:{node.lineno}")
    assert found == []


def _imports_in(stmt: ast.stmt) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(stmt):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
    return out


def test_the_code_points_at_nothing_outside_the_repository():
    found = [f"{rel(p)}" for p in PLANNER if "../shared" in p.read_text(encoding="utf-8")]
    assert found == []


def test_the_readme_layout_is_the_tree():
    # README's "Project layout" names every package of planner/ and every module it names in a
    # package exists there (issue 14: the layout shows the architecture at a glance)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Project layout", 1)[1].split("```", 2)[1]
    packages = sorted(p.name for p in (ROOT / "planner").iterdir()
                      if p.is_dir() and (p / "__init__.py").exists())
    assert packages == ["cli", "domain", "export", "io", "optimise", "present", "store", "ui"]
    for name in packages:
        assert f"  {name}/" in block, f"README's layout does not show planner/{name}/"
    current = None
    for line in block.splitlines():
        head = line[:24].strip()
        if line.startswith("  ") and head.endswith("/"):
            current = ROOT / "planner" / head.rstrip("/")
        elif not line.startswith(" "):
            current = None
        if current is None or not current.is_dir():
            continue
        for module in re.findall(r"\b([a-z_]+\.py)\b", line[24:] + " " + head):
            assert (current / module).exists(), f"README names {current.name}/{module}"


#: the words the fronts use for how a kind of value is shown
KIND_WORDS = {"text", "count", "money", "rate", "share", "decimal", "plain", "weight", "million",
              "balance"}


KIND_NAME = re.compile(r"(COUNT|MONEY|RATE|DECIMAL|PLAIN)_COLUMNS|KINDS")


def test_column_kinds_are_declared_once():
    # the data contract (planner/domain/columns.py) declares every column's kind; the app's
    # tables and the workbook only say how they show a kind, so no other module may list
    # column ids by kind (a set or dict of three or more known ids)
    from planner.domain.columns import ALL_COLUMNS, DERIVED_KINDS

    known = set(ALL_COLUMNS) | set(DERIVED_KINDS)
    offenders = []
    for path in PLANNER:
        if rel(path) == "planner/domain/columns.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Set | ast.Call) \
                    and any(isinstance(t, ast.Name) and KIND_NAME.search(t.id)
                            for t in node.targets):  # MONEY_COLUMNS = frozenset({...})
                items = [c for c in ast.walk(node.value) if isinstance(c, ast.Constant)]
            elif isinstance(node, ast.Dict) and node.values and all(
                    isinstance(v, ast.Constant) and v.value in KIND_WORDS
                    for v in node.values):  # {"vacancies": "count", ...}
                items = [k for k in node.keys if k is not None]
            else:
                continue
            ids = {i.value for i in items if isinstance(i, ast.Constant)} & known
            if len(ids) >= 3:
                offenders.append(f"{rel(path)}:{node.lineno} {sorted(ids)}")
    assert offenders == []


@pytest.mark.parametrize(("column", "app", "workbook"), [
    ("vacancies", "count", "count"), ("redeployable", "count", "count"),
    ("hires_cost", "money", "money"), ("cost_of_requirement", "money", "money"),
    ("fill_rate_after", "rate", "rate"), ("ethnic_minority_target", "rate", "rate"),
    ("source_row", "plain", "count"), ("priority", "decimal", "weight"),
    ("salary_coefficient", "decimal", "decimal"), ("unit_name", "text", "text"),
    ("remaining_budget", "money", "balance"), ("row_number", "text", "count"),
])
def test_the_app_and_the_workbook_show_a_column_by_its_declared_kind(column, app, workbook):
    from planner.export.headers import kind
    from planner.present.labels import column_kind

    assert (column_kind(column), kind(column)) == (app, workbook)
