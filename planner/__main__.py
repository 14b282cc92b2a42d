"""``python -m planner``: the command-line front.

The process ends as soon as the command has returned and the standard streams are flushed:
every output file is written whole and closed before that (:func:`planner.cli.common.write_output`),
the scenario store commits before it returns, and the planner registers no exit handler.
Python's own teardown, freeing a province's tables, models and modules one object at a time,
changes nothing outside the process and took 0.2–0.3 s of a 2.5 s ``solve`` on a 6,000-row
province (issue 12 item 5: the whole process against a bare HiGHS process), so it is skipped.
An exception that escapes ``main`` (``--debug``) still ends the process the usual way.
"""

import os
import sys

from planner.cli import main

code = main()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # the reader of the output went away (``| head``): nothing to flush to
    pass
os._exit(code)
