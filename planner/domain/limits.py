"""Limits that protect the server from inputs too big to be real staffing tables.

Each limit is configurable with an environment variable (documented in README):
PLANNER_MAX_ROWS, PLANNER_MAX_COLUMNS, PLANNER_MAX_CELLS, PLANNER_MAX_FILE_MB,
PLANNER_MAX_CELL_CHARS, PLANNER_APP_TIME_LIMIT.
The upload size the browser accepts is Streamlit's ``server.maxUploadSize`` in
``.streamlit/config.toml``; keep PLANNER_MAX_FILE_MB at or below it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_rows: int = 300_000  # data rows per table: the whole country is ~300,000 (unit, position)
    # a sheet's used range (from its first to its last cell holding something): a stray value
    # far away would otherwise make the reader allocate every cell up to it
    max_columns: int = 256  # Excel 2003's last column, IV; staffing forms use under 50
    max_cells: int = 10_000_000  # rows × columns of the used range (30 columns of 330,000 rows)
    max_file_bytes: int = 50 * 2**20
    max_cell_chars: int = 1_000
    app_time_limit: float = 30.0  # seconds a solve may take in the app

    @classmethod
    def from_env(cls) -> Limits:
        env = os.environ
        base = cls()
        return cls(
            max_rows=_int(env.get("PLANNER_MAX_ROWS"), base.max_rows),
            max_columns=_int(env.get("PLANNER_MAX_COLUMNS"), base.max_columns),
            max_cells=_int(env.get("PLANNER_MAX_CELLS"), base.max_cells),
            max_file_bytes=int(_float(env.get("PLANNER_MAX_FILE_MB"), base.max_file_bytes / 2**20)
                               * 2**20),
            max_cell_chars=_int(env.get("PLANNER_MAX_CELL_CHARS"), base.max_cell_chars),
            app_time_limit=_float(env.get("PLANNER_APP_TIME_LIMIT"), base.app_time_limit),
        )


def _int(raw: str | None, default: int) -> int:
    value = _float(raw, default)
    return int(value) if value >= 1 else default


def _float(raw: str | None, default: float) -> float:
    """A positive number from the environment; anything else (unset, "abc", 0, -5) is the
    default, so a typo in a server's settings cannot switch a limit off or refuse every file."""
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default
