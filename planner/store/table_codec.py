"""A plan table as one compact, exact document: gzip-compressed JSON, column by column.

Why a document and not a table of plan rows: the plan's columns belong to the optimiser and
may gain extras from release to release; a document keeps every column and its dtype without
a schema change, is always read whole (a plan is shown, compared and exported as a whole),
and is written in one INSERT inside the save's transaction. The sample province's plan
(967 rows) takes about 20 kB. JSON rather than pickle or Parquet: nothing is executed when it
is read, and it needs no extra library. Floats are written with Python's shortest exact
representation, so a plan reads back equal to the one saved.
"""

from __future__ import annotations

import gzip
import json
import math
from typing import Any

import pandas as pd

FORMAT = "json.gz/1"


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def encode_table(table: pd.DataFrame) -> bytes:
    """``table`` as gzip'd JSON: column names, dtypes and values column by column."""
    doc = {
        "columns": [str(c) for c in table.columns],
        "dtypes": [str(t) for t in table.dtypes],
        "data": [[_plain(v) for v in table[c].tolist()] for c in table.columns],
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return gzip.compress(raw.encode("utf-8"), compresslevel=6, mtime=0)


def decode_table(payload: bytes, fmt: str = FORMAT) -> pd.DataFrame:
    """The table :func:`encode_table` wrote, with its dtypes restored."""
    if fmt != FORMAT:
        raise ValueError(f"unknown stored table format {fmt!r}; expected {FORMAT}")
    doc = json.loads(gzip.decompress(payload).decode("utf-8"))
    out = {}
    for name, dtype, values in zip(doc["columns"], doc["dtypes"], doc["data"], strict=True):
        if dtype.startswith("float"):
            values = [math.nan if v is None else float(v) for v in values]
        series = pd.Series(values, name=name, dtype=object)
        try:
            series = series.astype(dtype)
        except (TypeError, ValueError):
            series = series.infer_objects()
        out[name] = series
    return pd.DataFrame(out, columns=doc["columns"])
