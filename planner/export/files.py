"""How exported bytes reach a file: all or nothing.

:func:`write_atomic` writes to a temporary file beside the target (same folder, so the same
file system), flushes it to disk and renames it over the target with :func:`os.replace`, which
is atomic: a reader sees the previous file or the new one, never a part. When the write fails
(disk full, a file-size limit, an interrupted process) the temporary file is removed and the
previous good file is left exactly as it was. :func:`check_writable` tries the same steps
without touching the target, so a command can refuse before doing work it would then lose.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

#: temporary files are named ``.<target name>.<random>.tmp`` in the target's folder
TEMP_SUFFIX = ".tmp"


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def _special(target: Path) -> bool:
    """True for an existing target that is not a regular file (/dev/null, a pipe): written
    in place, since renaming over it would replace the device or pipe with a file."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (see the module).

    Raises :class:`OSError` as the system reports it; the target is then unchanged and no
    temporary file is left. A new file gets the permissions of a plain ``open`` (umask); a
    file rewritten keeps its own.
    """
    target = Path(path)
    if _special(target):
        with open(target, "wb") as fh:
            fh.write(data)
        return
    if target.is_dir():
        raise IsADirectoryError(21, os.strerror(21), str(target))
    temp = _temp_path(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def check_writable(path: str | Path) -> None:
    """Raise :class:`OSError` if :func:`write_atomic` could not write ``path``: its folder is
    missing or not writable, or it is a folder. Creates and removes a temporary file beside
    it (the real test, which also holds for root and for read-only mounts); the target itself
    is not touched."""
    target = Path(path)
    if _special(target):
        with open(target, "ab"):
            return
    if target.is_dir():
        raise IsADirectoryError(21, os.strerror(21), str(target))
    temp = _temp_path(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    temp.unlink()
