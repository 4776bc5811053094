"""Writing output files safely: all or nothing, and never over a learner's work.

``write_atomic`` writes to a temporary file beside the target and renames it into
place, so a reader (or a crash) never sees half a file. ``write_new`` does the
same but refuses to replace an existing file: it links the finished temporary
file to the target name, which fails if the name is taken.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _temp_beside(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one step."""
    temp = _temp_beside(target, data)
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_new(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data``; raise FileExistsError if it already exists."""
    temp = _temp_beside(target, data)
    try:
        try:
            os.link(temp, target)
        except (AttributeError, NotImplementedError, PermissionError):  # no hard links here
            with open(target, "xb") as stream:
                stream.write(data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
