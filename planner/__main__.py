"""``python -m planner``: the command-line front."""

from planner.cli import main

raise SystemExit(main())
