"""Mutation testing of one core module: ``make mutate MODULE=planner/domain/gaps.py``.

1. mutmut (pinned in requirements-dev.txt, configured in pyproject.toml ``[tool.mutmut]``)
   mutates the functions of MODULE and runs, for each mutant, only the tests that exercise it,
   taken from the test files :data:`TESTS` maps the module to. It runs in a fresh copy of the
   working tree under ``.mutate/<module>/`` (mutmut writes its ``mutants/`` folder there), so a
   run never reuses results of an earlier one. ``process_isolation = "forkserver"``: every
   mutant runs in a process forked from a server that has only collected the tests, never run
   them, so caches filled by a clean run (``lru_cache`` in planner/io/numbers.py) cannot hand a
   mutant the unmutated answer.
2. mutmut does not mutate module-level values (the legal rates in planner/domain/rules.py, column
lists,
   patterns). Each literal number or string outside a function is changed the way mutmut
   would (n → n + 1, x → x × 1.01 or 0 → 0.1, "s" → "XXsXX"), one at a time, and the module's
   test files are run on the changed copy.

Prints the score (killed ÷ mutants: a mutant without a covering test counts as a survivor) and
writes the diff of every survivor to ``.mutate/<module>/survivors.txt``. For the modules in
:data:`ONLY` only the listed functions and module-level values are mutated and counted.
``--recheck`` (after writing tests) reruns the last run's survivors against the module's current
``TESTS`` line (a new test file counts) and keeps the other results of the last run.

    python scripts/mutate.py planner/domain/gaps.py [--max-children 2] [--no-constants]
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import fnmatch
import json
import os
import platform
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the office corpus test that reads every corpus file in process (a pytest node id)
CORPUS_READ = ("tests/test_office_corpus.py::"
               "test_each_office_file_is_read_right_or_refused_naming_the_fix")

#: test_read_layouts.py's CLI test (7 s, a subprocess): left out
NO_CLI_READ = ["--deselect", "tests/test_read_layouts.py::test_cli_map_and_sheet_options"]

#: the hand cases of tests/test_multiyear_model.py (its brute force left out: 60 solves)
MULTIYEAR_HAND = [f"tests/test_multiyear_model.py::{t}" for t in (
    "test_departures_free_posts_year_by_year",
    "test_a_quota_cut_faster_than_departures_hires_nobody",
    "test_a_post_freed_now_but_cut_later_is_not_filled",
    "test_budget_goes_to_the_higher_priority_and_is_paid_every_year",
    "test_an_earlier_hire_counts_more", "test_unit_room_binds_across_positions",
    "test_cheapest_among_equally_weighted_plans",
    "test_infeasible_minimum_reports_the_least_budget_per_year",
    "test_min_cost_meets_the_target_at_least_cost",
    "test_fair_raises_the_lowest_final_ratio_first", "test_unit_yearly_cap")]

#: The in-process test files (or pytest node ids ``file::test``, or pytest options such as
#: ``--deselect``) that exercise each core module (browser, PostgreSQL and CLI tests run as
#: subprocesses are invisible to in-process mutation and too slow to run per mutant).
TESTS: dict[str, list[str]] = {
    "planner/domain/gaps.py": ["tests/test_gaps_summaries.py", "tests/test_rules_mutation.py",
                        "tests/test_costs_and_gaps.py", "tests/test_unit_ceiling.py",
                        "tests/test_mutation_kills_gaps.py"],
    "planner/domain/rules.py": ["tests/test_rules_mutation.py", "tests/test_costs_and_gaps.py",
                         "tests/test_scenario.py"],
    # the typed tables' checks: the quick pass against pandera's verdict on generated tables
    "planner/domain/schemas.py": ["tests/test_schemas.py"],
    "planner/io/numbers.py": ["tests/test_numbers_formats.py", "tests/test_validation.py",
                              "tests/test_read_layouts.py",
                              "tests/test_mutation_kills_numbers.py"],
    # the reader: the rule tests and the office corpus read in process (its LibreOffice,
    # AppTest and CLI tests, seconds each, are left out by naming the one test that reads it)
    "planner/io/rows.py": ["tests/test_rows_reading.py", "tests/test_read_layouts.py",
                           "tests/test_mutation_kills_rows.py", CORPUS_READ, *NO_CLI_READ],
    # (and the header rules worked by hand for the run's survivors, issue 18)
    "planner/io/header.py": ["tests/test_read_layouts.py", CORPUS_READ,
                             "tests/test_rows_reading.py",
                             "tests/test_mutation_kills_header.py", *NO_CLI_READ],
    # (its LibreOffice .xls test, 20 s, left out: run by hand on the .xls branch's mutants)
    "planner/io/hidden.py": ["tests/test_hidden_parts.py", CORPUS_READ, "--deselect",
                             "tests/test_hidden_parts.py::"
                             "test_an_xls_names_its_hidden_sheet_and_says_rows_cannot_be_seen"],
    # the optimiser's hand tests (tests/test_optimise_hand.py) reach explain and instance too,
    # through whole solves: too slow per mutant on a shared 2-core machine
    "planner/optimise/explain.py": ["tests/test_explain_values.py", "tests/test_explain_edges.py",
                                    "tests/test_mutation_kills_explain.py"],
    # (and the unit ceiling's solves, which alone check that the ceiling reaches the model)
    "planner/optimise/instance.py": ["tests/test_instance_checks.py",
                                     "tests/test_explain_values.py",
                                     "tests/test_explain_edges.py",
                                     "tests/test_unit_ceiling.py"],
    "planner/domain/scenario.py": ["tests/test_scenario_rules.py", "tests/test_scenario.py",
                                   "tests/test_mutation_kills_scenario.py"],
    # the multi-year model: the tiny hand cases, the knapsacks against dynamic programming,
    # HiGHS's stop rule, gap and time limits (a model clock that jumps after a chosen run)
    # and ten of the 60 brute-force instances (the infeasible, min_cost and minimum ones
    # among them), a few seconds a mutant; the whole file (71 solves) took 20-30 s a mutant
    # on the shared machine
    "planner/optimise/model_multiyear.py": [
        "tests/test_mutation_kills_model_multiyear.py", "tests/test_multiyear_model_time.py",
        *MULTIYEAR_HAND,
        *(f"tests/test_multiyear_model.py::test_brute_force_small_instances[{seed}]"
          for seed in (0, 4, 8, 11, 12, 13, 19, 30, 45, 47))],
    # the multi-year plan read back (plan_multiyear, the surplus, the budget table): the
    # in-process hand cases (the plan command's other tests run the CLI as a subprocess)
    "planner/optimise/multiyear.py": [
        "tests/test_mutation_kills_plan_multiyear.py", "tests/test_multiyear_refusals.py",
        "tests/test_multiyear_plan.py::test_payouts_of_the_streamlined"],
    # the greedy starting plan: its hand cases, the property test against README's rules and
    # the solves started from it
    "planner/optimise/multiyear_start.py": ["tests/test_multiyear_start.py",
                                            "tests/test_mutation_kills_model_multiyear.py",
                                            "tests/test_multiyear_model_time.py"],
    # its pure rules only (see ONLY); the plan command's tests run the CLI as a subprocess
    "planner/domain/multiyear.py": [
        "tests/test_mutation_kills_multiyear.py",
        *(f"tests/test_multiyear_plan.py::{t}" for t in (
            "test_quota_path_from_year_columns", "test_largest_remainder",
            "test_cut_rule_in_equal_steps_rounded_down_per_unit_and_staff_type",
            "test_years_option", "test_departures_path_attrition_and_never_below_zero"))],
    # the retirement age of Decree 135/2020 (moved out of the roster reader with issue 15's
    # layering; the roster reader itself is tested through test_roster.py)
    "planner/domain/retirement.py": ["tests/test_roster.py",
                                     "tests/test_mutation_kills_multiyear.py"],
}

#: Modules whose score counts only some of their functions and module-level values: the
#: pure rules (the rest reads files or orchestrates a solve, and is tested through the
#: commands). Function names as written in the module (``Class.method`` for a method);
#: module-level values by the name they are assigned to.
ONLY: dict[str, dict[str, list[str]]] = {
    # the quota path, the cut rule with the largest remainder, departures per year and the
    # checks of the multi-year settings (plan_multiyear is orchestration, tested by the CLI)
    "planner/domain/multiyear.py": {
        "functions": ["QuotaCut.__post_init__", "MultiYearSettings.__post_init__",
                      "parse_years", "quota_path", "largest_remainder", "cut_path",
                      "departures_path"],
        "values": ["MAX_YEARS"]},
}

#: mutmut exit codes (mutmut.models: status_by_exit_code) grouped for the score.
KILLED = {"killed", "timeout"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="e.g. planner/domain/gaps.py; one of: " + ", ".join(TESTS))
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--no-constants", action="store_true",
                        help="skip the pass over module-level values")
    parser.add_argument("--only-constants", action="store_true",
                        help="only the pass over module-level values (no mutmut run)")
    parser.add_argument("--recheck", action="store_true",
                        help="after adding tests: copy tests/ into the last run's folder and "
                             "rerun only its survivors against the module's current TESTS "
                             "line (new files included; the module itself must be unchanged)")
    args = parser.parse_args(argv)
    module = args.module.removeprefix("./")
    if module not in TESTS:
        parser.error(f"no test mapping for {module!r}; add it to TESTS in scripts/mutate.py "
                     f"(known: {', '.join(TESTS)})")
    tests = [t for t in TESTS[module]
             if t.startswith("-") or (ROOT / t.partition("::")[0]).exists()]
    work = ROOT / ".mutate" / (module.replace("/", ".").removesuffix(".py")
                               + ("-constants" if args.only_constants else ""))
    previous: dict = {}
    if args.recheck:
        previous = _for_recheck(work, module, tests)
    else:
        _stage(work, module, tests)

    mutmut = Path(sys.executable).with_name("mutmut")
    started = dt.datetime.now(dt.UTC)
    statuses: dict[str, str] = {}
    patterns = _function_patterns(module)
    again = [k for k, v in previous.get("statuses", {}).items() if v not in KILLED]
    if not args.only_constants and not (args.recheck and not again):
        run = subprocess.run([str(mutmut), "run", "--max-children", str(args.max_children),
                              *(again if args.recheck else patterns)], cwd=work, check=False)
        if run.returncode != 0:
            print(f"mutate: mutmut run failed (exit {run.returncode})", file=sys.stderr)
            return run.returncode
        statuses = _statuses(mutmut, work)
        if args.recheck:  # a new test selection resets mutmut's other results: keep the last
            statuses = {**previous["statuses"],
                        **{k: statuses.get(k, previous["statuses"][k]) for k in again}}
        elif patterns:  # the functions counted (mutmut lists every mutant of the module)
            statuses = {k: v for k, v in statuses.items()
                        if any(fnmatch.fnmatchcase(k, p) for p in patterns)}
    elif args.recheck:
        statuses = dict(previous["statuses"])
    survivors = sorted(k for k, v in statuses.items() if v not in KILLED)
    _write_diffs(work, survivors, statuses)

    constants: list[tuple[str, bool]] = []
    if args.recheck:
        constants = [(c["mutant"], c["killed"]) for c in previous.get("constants", [])]
        retry = {w for w, k in constants if not k}
        if retry:
            redone = dict(_mutate_constants(work, module, tests, only=retry))
            constants = [(w, k or redone.get(w, False)) for w, k in constants]
    elif not args.no_constants:
        constants = _mutate_constants(work, module, tests)

    killed = sum(v in KILLED for v in statuses.values())
    counts: dict[str, int] = {}
    for v in statuses.values():
        counts[v] = counts.get(v, 0) + 1
    print()
    print(f"mutation score of {module} ({_version()}, {platform.node()}, "
          f"{started:%Y-%m-%d %H:%M} UTC; tests: {' '.join(tests)})")
    if not args.only_constants:
        print(f"  functions (mutmut): {len(statuses)} mutants, {killed} killed, "
              f"{len(statuses) - killed} survived {_share(killed, len(statuses))}  {counts}")
    if constants:
        c_killed = sum(k for _, k in constants)
        print(f"  module-level values: {len(constants)} mutants, {c_killed} killed, "
              f"{len(constants) - c_killed} survived {_share(c_killed, len(constants))}")
    for name in survivors:
        print(f"  survived: {name} ({statuses[name]})")
    for what, was_killed in constants:
        if not was_killed:
            print(f"  survived: {what}")
    print(f"  diffs of the survivors: {(work / 'survivors.txt').relative_to(ROOT)}")
    summary = {"module": module, "tests": tests, "mutmut": _version(),
               "date": previous.get("date", f"{started:%Y-%m-%d}"),
               "rechecked": f"{started:%Y-%m-%d %H:%M}" if args.recheck else None,
               "mutants": len(statuses), "killed": killed,
               "statuses": statuses,
               "constants": [{"mutant": w, "killed": k} for w, k in constants]}
    (work / "score.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


#: run in the run's folder: the diff of each named mutant (one process, not one per mutant)
_DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant
statuses = json.load(sys.stdin)
for name, status in statuses.items():
    print(f"# {name}: {status}")
    print(get_diff_for_mutant(name, path=find_mutant(name).path))
"""


def _write_diffs(work: Path, survivors: list[str], statuses: dict[str, str]) -> None:
    """``survivors.txt``: the diff of every survivor, as ``mutmut show`` prints it."""
    shown = subprocess.run([sys.executable, "-c", _DIFFS], cwd=work, check=False,
                           capture_output=True, text=True,
                           input=json.dumps({n: statuses[n] for n in survivors}))
    (work / "survivors.txt").write_text(shown.stdout + shown.stderr, encoding="utf-8")


def _function_patterns(module: str) -> list[str]:
    """mutmut's names of the mutants of the functions :data:`ONLY` lists for ``module`` (none:
    every function): ``pkg.mod.x_func__mutmut_N``, ``pkg.mod.xǁClassǁmethod__mutmut_N``."""
    dotted = module.removesuffix(".py").replace("/", ".")
    out = []
    for name in ONLY.get(module, {}).get("functions", []):
        cls, _, func = name.rpartition(".")
        out.append(f"{dotted}.xǁ{cls}ǁ{func}__mutmut_*" if cls
                   else f"{dotted}.x_{func}__mutmut_*")
    return out


def _share(killed: int, total: int) -> str:
    return f"({100 * killed / total:.1f} %)" if total else "(no mutants)"


def _version() -> str:
    from importlib.metadata import version

    return f"mutmut {version('mutmut')}"


def _stage(work: Path, module: str, tests: list[str]) -> None:
    """A fresh copy of the working tree (tracked and untracked, not ignored) with the config."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in _tree_files():
        src = ROOT / name
        if name == ".venv" or name.startswith((".venv/", ".mutate/", "mutants/")) \
                or not src.is_file():
            continue
        dst = work / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    _write_config(work, module, tests)


def _write_config(work: Path, module: str, tests: list[str]) -> None:
    """The run's ``[tool.mutmut]``: the project's, on ``module`` with ``tests`` only."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    base = config.get("tool", {}).get("mutmut", {})
    extra = {**base, "only_mutate": [module], "pytest_add_cli_args_test_selection": tests}
    lines = ["", "# written by scripts/mutate.py for this run", "[tool.mutmut]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = _drop_table(text, "tool.mutmut")
    (work / "pyproject.toml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def _tree_files() -> list[str]:
    """Tracked and untracked files that git does not ignore (every file outside a git checkout)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=False, capture_output=True)
    if listed.returncode == 0:
        return [n for n in listed.stdout.decode().split("\0") if n]
    skip = {".git", ".venv", ".mutate", "mutants", "__pycache__", ".pytest_cache", ".ruff_cache",
            ".hypothesis"}
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def _for_recheck(work: Path, module: str, tests: list[str]) -> dict:
    """The last run's results, with the current tests copied in and the module's current
    ``TESTS`` line as the test selection (mutmut then collects which tests reach which
    function again, and forgets its other results: :func:`main` keeps them from score.json)."""
    score = work / "score.json"
    if not score.exists():
        sys.exit(f"mutate: no earlier run in {work.relative_to(ROOT)}; run without --recheck")
    if (work / module).read_bytes() != (ROOT / module).read_bytes():
        sys.exit(f"mutate: {module} changed since the last run; run it afresh")
    for dst in (work / "tests", work / "mutants" / "tests"):
        shutil.copytree(ROOT / "tests", dst, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    _write_config(work, module, tests)
    return json.loads(score.read_text(encoding="utf-8"))


def _drop_table(text: str, table: str) -> str:
    out, skipping = [], False
    for line in text.splitlines():
        if line.strip().startswith("["):
            skipping = line.strip() == f"[{table}]"
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def _statuses(mutmut: Path, work: Path) -> dict[str, str]:
    shown = subprocess.run([str(mutmut), "results", "--all", "true"], cwd=work, check=True,
                           capture_output=True, text=True).stdout
    statuses = {}
    for line in shown.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            statuses[name] = status.strip()
    return statuses


# --- module-level values ------------------------------------------------------------------

def _constant_nodes(tree: ast.Module) -> list[ast.Constant]:
    """Number and string literals outside function bodies, docstrings and annotations."""
    found: list[ast.Constant] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.JoinedStr):
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                visit(node.value)
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # a docstring or a bare string
        if isinstance(node, ast.ImportFrom | ast.Import):
            return
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and isinstance(
                node.value, int | float | str):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _assigned(statement: ast.stmt) -> set[str]:
    """The names a module-level assignment binds (``A, B = …`` binds both)."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _changed(value: int | float | str) -> int | float | str:
    if isinstance(value, str):
        return f"XX{value}XX"
    if isinstance(value, int):
        return value + 1
    return 0.1 if value == 0 else value * 1.01


def _mutate_constants(work: Path, module: str, tests: list[str], *,
                      only: set[str] | None = None) -> list[tuple[str, bool]]:
    path = work / module
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    tree = ast.parse(original)
    nodes = _constant_nodes(tree)
    names = ONLY.get(module, {}).get("values")
    if names is not None:  # only the values assigned to these names
        spans = [(st.lineno, st.end_lineno or st.lineno) for st in tree.body
                 if _assigned(st) & set(names)]
        nodes = [n for n in nodes if any(a <= n.lineno <= b for a, b in spans)]
    results = []
    sys.dont_write_bytecode = True
    for heavy in ("numpy", "pandas", "openpyxl", "pytest"):  # imported once, not per mutant
        __import__(heavy)
    print(f"mutate: {len(nodes)} module-level values of {module}, one at a time")
    try:
        for node in nodes:
            if node.lineno != node.end_lineno:
                continue
            line = lines[node.lineno - 1].encode("utf-8")  # ast offsets count UTF-8 bytes
            new = repr(_changed(node.value))
            old = line[node.col_offset:node.end_col_offset].decode("utf-8")
            changed = (line[:node.col_offset] + new.encode("utf-8")
                       + line[node.end_col_offset:]).decode("utf-8")
            path.write_text("".join([*lines[:node.lineno - 1], changed, *lines[node.lineno:]]),
                            encoding="utf-8")
            what = f"{module}:{node.lineno}: {old} → {new}"
            if only is not None and what not in only:
                continue
            code = _pytest_in_fork(work, tests)
            results.append((what, code != 0))
            print(f"  {'killed  ' if code else 'SURVIVED'} {what}", flush=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return results


def _pytest_in_fork(work: Path, tests: list[str]) -> int:
    """Run the tests in a child forked from this process, which never imported planner: each
    changed module is imported afresh and nothing cached by one run reaches the next."""
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:  # the child
        code = 99
        try:
            os.chdir(work)
            sys.path.insert(0, str(work))
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            import pytest

            code = int(pytest.main(["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                                    *tests]))
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
