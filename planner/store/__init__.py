"""Saved scenarios in a real database: SQLite in a file by default, PostgreSQL when configured.

>>> store = open_store()                      # PLANNER_DATABASE_URL or var/scenarios.db
>>> info = store.save("Ngân sách -20 tỷ", scenario, allocation=result, inputs=inputs,
...                   note="...", author="Lan")
>>> [i.name for i in store.list()]
>>> stored = store.get("Ngân sách -20 tỷ")    # by name or id: parameters, summary, plan

See :mod:`planner.store.scenarios` for ownership rules and :mod:`planner.store.schema` for the
tables and how the schema is versioned and migrated.
"""

from planner.store.database import (
    DEFAULT_URL,
    ENV_URL,
    AmbiguousName,
    BadStoredScenario,
    InvalidName,
    NameTaken,
    NotOwner,
    ScenarioNotFound,
    SchemaTooNew,
    StoreError,
    StoreUnavailable,
    database_url,
)
from planner.store.records import (
    INFO_COLUMNS,
    InputFileRecord,
    ScenarioInfo,
    StoredScenario,
    info_table,
)
from planner.store.scenarios import ScenarioStore, open_store, save_scenario
from planner.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_URL", "ENV_URL", "INFO_COLUMNS", "SCHEMA_VERSION", "AmbiguousName",
    "BadStoredScenario",
    "InputFileRecord", "InvalidName", "NameTaken", "NotOwner", "ScenarioInfo",
    "ScenarioNotFound", "ScenarioStore", "SchemaTooNew", "StoreError", "StoreUnavailable",
    "StoredScenario", "database_url", "info_table", "open_store", "save_scenario",
]
