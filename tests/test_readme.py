"""README stays true: its scenario-file example is a scenario the planner reads, and the
commands it lists exist."""

import re
from pathlib import Path

from planner.cli import build_parser
from planner.domain.scenario import Scenario

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_scenario_file_example_is_read_as_written():
    blocks = re.findall(r"```toml\n(.*?)```", README, flags=re.DOTALL)
    assert blocks, "README has no TOML example"
    for block in blocks:
        sc = Scenario.from_toml(block)
        assert sc.budgets["state_budget"] == 60e9 and sc.min_fill == 0.3
        assert Scenario.from_toml(sc.to_toml()) == sc


def test_every_command_in_the_readme_exists():
    listed = set(re.findall(r"python -m planner ([a-z]+)", README))
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    assert listed and listed <= commands, listed - commands
