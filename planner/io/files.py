"""A user's file as given (its name and bytes) and the grids of cells read from it.

What every reader shares: :class:`SourceFile` (read from a path within the size limit),
:class:`Grid` (the cells of one sheet), the problems that name a file, the bytes that tell a
workbook from text, and the rows allowed beyond the data-row limit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# how much larger than the file its unpacked parts may be (a zip bomb is refused before reading)
UNPACK_RATIO = 20


@dataclass(frozen=True)
class SourceFile:
    """A file as the user gave it: a name to show in messages and its bytes."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def from_path(cls, path: str | Path, *, limits: Limits | None = None) -> SourceFile:
        """Read a file, never more than the size limit plus one byte, whatever it is.

        A regular file above the limit is refused by its size before reading; anything else
        (a device such as /dev/zero, a pipe, a file still growing) is read up to the limit
        and refused once it passes it.
        """
        p = Path(path)
        limits = limits or Limits.from_env()
        try:
            with p.open("rb") as fh:
                st = os.fstat(fh.fileno())
                if stat.S_ISDIR(st.st_mode):
                    raise IsADirectoryError
                if stat.S_ISREG(st.st_mode) and st.st_size > limits.max_file_bytes:
                    raise file_too_large(p.name, st.st_size, limits)
                data = fh.read(limits.max_file_bytes + 1)
        except FileNotFoundError:
            raise InputError([file_problem(str(p), "file_not_found")]) from None
        except IsADirectoryError:
            raise InputError([file_problem(str(p), "file_is_directory")]) from None
        except PermissionError:
            raise InputError([file_problem(str(p), "file_not_readable")]) from None
        except OSError as exc:
            raise InputError([file_problem(str(p), "file_read_error",
                                           detail=exc.strerror or type(exc).__name__)]) from None
        if len(data) > limits.max_file_bytes:
            raise InputError([file_problem(str(p), "file_too_large_unsized",
                                           limit_mb=round(limits.max_file_bytes / 2**20, 1))])
        return cls(p.name, data)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Grid:
    """The cells of one sheet. ``rows[i][j]`` is Excel row ``first_row + i``, column ``j``."""

    file: str
    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), 0-based in rows
    special: dict[tuple[int, int], str] = field(default_factory=dict)  # error/formula cells

    def excel_row(self, i: int) -> int:
        return self.first_row + i


def file_problem(file: str, code: str, **params: Any) -> Problem:
    return Problem(severity=Severity.ERROR, code=code, file=file, params=params)


def file_too_large(file: str, size: int, limits: Limits) -> InputError:
    """A file over the size limit (checked on the path before reading, and on uploaded bytes)."""
    return InputError([file_problem(file, "file_too_large", size_mb=round(size / 2**20, 1),
                                    limit_mb=round(limits.max_file_bytes / 2**20, 1))])


def row_slack(limits: Limits) -> int:
    """Rows allowed beyond the data-row limit for titles, headers, group and total rows."""
    return max(1000, limits.max_rows // 10)
