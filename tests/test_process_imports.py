"""What a ``solve`` process imports (issue 12 item 5: the whole process's time).

Each check runs in a fresh interpreter, since the point is what a process loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_pulp_log_parser_is_imported_on_first_use_only():
    got = _run(
        "import json, sys\n"
        "import planner.optimise.model\n"
        "import pulp\n"
        "from pulp.core import lp_stats\n"
        "before = sorted(m for m in sys.modules if m.startswith(('orloge.', 'cpsat_logutils')))\n"
        "stand_in = type(sys.modules['orloge']).__name__\n"
        "parse = lp_stats.orloge.get_info_solver\n"  # what PuLP calls to parse a log
        "after = sorted(m for m in sys.modules if m.startswith('orloge.'))\n"
        "print(json.dumps({'before': before, 'stand_in': stand_in, 'callable': callable(parse),\n"
        "                  'real': type(sys.modules['orloge']).__name__, 'after': after}))\n")
    assert got["before"] == []  # PuLP imported, its log parser not yet executed
    assert got["stand_in"] == "_ImportedOnFirstUse"
    assert got["callable"] is True  # the first use gets the real function
    assert got["real"] == "module"
    assert "orloge.cbc" in got["after"]


def test_multiyear_model_import_defers_the_log_parser_too():
    # the multi-year model imports PuLP first; the package's __init__ still defers orloge
    got = _run(
        "import json, sys\n"
        "import planner.optimise.model_multiyear\n"
        "print(json.dumps({'loaded': 'cpsat_logutils' in sys.modules}))\n")
    assert got == {"loaded": False}


def test_a_command_imports_only_its_own_module():
    got = _run(
        "import json, sys\n"
        "from planner.cli import build_parser\n"
        "p = build_parser('validate')\n"
        "choices = sorted(p._subparsers._group_actions[0].choices)\n"
        "print(json.dumps({'choices': choices, 'store': 'planner.cli.scenarios' in sys.modules,\n"
        "                  'sqlalchemy': 'sqlalchemy' in sys.modules}))\n")
    assert got["choices"] == sorted(["validate", "gaps", "solve", "sweep", "plan", "scenarios",
                                     "compare", "document"])
    assert got["store"] is False and got["sqlalchemy"] is False


def test_solve_on_the_sample_does_not_load_the_scenario_store(tmp_path):
    plan = tmp_path / "plan.csv"
    code = (
        "import json, sys\n"
        "from planner.cli import main\n"
        f"rc = main(['solve', '--budget', 'state_budget=3e9', '--out', {str(plan)!r}])\n"
        "print(json.dumps({'rc': rc, 'sqlalchemy': 'sqlalchemy' in sys.modules,\n"
        "                  'docx': 'docx' in sys.modules}))\n")
    got = _run(code)
    assert got == {"rc": 0, "sqlalchemy": False, "docx": False}
    assert plan.stat().st_size > 0


def test_every_command_still_parses_its_arguments():
    # the full parser (no command given) and each command's own parser agree on the options
    got = _run(
        "import json\n"
        "from planner.cli import COMMANDS, build_parser\n"
        "full = build_parser()._subparsers._group_actions[0].choices\n"
        "out = {}\n"
        "for name in COMMANDS:\n"
        "    own = build_parser(name)._subparsers._group_actions[0].choices[name]\n"
        "    out[name] = [sorted(a.dest for a in full[name]._actions),\n"
        "                 sorted(a.dest for a in own._actions)]\n"
        "print(json.dumps(out))\n")
    for name, (full, own) in got.items():
        assert full == own, name
        assert len(own) > 1, name  # more than --help
