"""Which versions of the course content have passed the catalog's checks already.

Checking every schema against the draft-07 meta-schema and every rubric against
the rubric schema and its kinds' parameters takes about 130 ms, and importing
jsonschema to do it about 70 ms more. The content changes when an author edits
it; a learner runs ``workbook check`` many times in between. So
:func:`workbook.catalog.load_catalog` asks here whether this exact content has
been checked before, and records it once it has, with the exercises' order, so
that a verified catalog can load each exercise only when it is asked for:
``workbook check`` on one file then reads one exercise, not nine.

The record is a digest: SHA-256 over every file the catalog reads (schemas,
rubrics, blank worksheets, by name and bytes) and over the state of the workbook
package's own source, which defines the criterion kinds and the checks themselves. Any change
to either gives a new digest, and the content is checked again. A record is a
small JSON file named after its digest, written under a temporary name and
renamed, so concurrent runs cannot corrupt one.

Reading and hashing the content is itself a few milliseconds of every start (and
importing hashlib three more), so in front of the digest sits a stamp, as git's
index sits in front of its hashes: each file's name, size and modification time.
When the stamp recorded for this content folder is exactly today's, the digest is
not computed; when it differs, the digest decides, and a match refreshes the stamp
(a file touched but not changed). A stamp is not recorded while any file is less
than two seconds old, so an edit made within the clock's resolution of the last
check cannot hide behind an unchanged time ("racy" files, in git's words).

Where: ``$WORKBOOK_CACHE_DIR``, else ``%LOCALAPPDATA%\\networking-workbook`` on
Windows, else ``$XDG_CACHE_HOME/networking-workbook`` (``~/.cache/...``). When
it cannot be read or written, nothing is recorded and every call checks, as if
this module did not exist.
"""

from __future__ import annotations

import binascii
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

import workbook

ENV_VAR = "WORKBOOK_CACHE_DIR"
_PACKAGE = Path(workbook.__file__).resolve().parent


def cache_dir() -> Path:
    """The folder digests are recorded in (which may not exist yet)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "networking-workbook"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "networking-workbook"


def _package_state() -> bytes:
    """The checker's own source, by name, size and modification time of each module.

    The stat is enough here: an installed copy never changes, and an edit in a
    checkout changes the time. Reading every module would double the cost.
    """
    parts = []
    for folder, dirs, names in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                relative = os.path.relpath(os.path.join(folder, name), _PACKAGE)
                parts.append(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    return "".join(parts).encode()


def digest(files: Iterable[Path], root: Path) -> str:
    """SHA-256 of the checker's source (:func:`_package_state`) and of ``files``, by
    their names relative to ``root`` and their bytes.

    A file that cannot be read is left out: the catalog will report it itself.
    """
    import hashlib  # only when the stamp (below) does not settle it

    hasher = hashlib.sha256(workbook.__version__.encode())
    hasher.update(_package_state())
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        hasher.update(f"\0{path.relative_to(root).as_posix()}\0{len(raw)}\0".encode())
        hasher.update(raw)
    return hasher.hexdigest()


def _marker(key: str) -> Path:
    return cache_dir() / "verified" / f"{key}.json"


def recorded(key: str) -> list[str] | None:
    """The exercise ids, in course order, of content with this digest that passed every
    catalog check before; None when it has not (or the record cannot be read)."""
    try:
        order = json.loads(_marker(key).read_text(encoding="utf-8"))["order"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return order if _is_order(order) else None


def record(key: str, order: list[str]) -> None:
    """Note that content with this digest passed, with its exercises' order; silently
    nothing when the cache cannot be written. Written to a temporary name and then
    renamed, so a reader never sees half a record."""
    _write(_marker(key), {"order": order})


def _write(target: Path, record: object) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass


def stamp(files: Iterable[Path], root: Path) -> tuple[str, int]:
    """The content's stamp: the checker's version and source state, and each file's
    name, size and modification time; with the newest of those times (ns)."""
    parts = [workbook.__version__, "\0", _package_state().decode()]
    newest = 0
    for path in files:
        try:
            status = path.stat()
        except OSError:
            continue
        newest = max(newest, status.st_mtime_ns)
        parts.append(f"{path.relative_to(root).as_posix()}\0{status.st_size}\0"
                     f"{status.st_mtime_ns}\n")
    return "".join(parts), newest


def _stamp_file(root: Path) -> Path:
    # One per content folder, named by a checksum of its path: two folders sharing a
    # name only overwrite each other's stamp, and the digest then decides.
    return cache_dir() / "verified" / f"stamp-{binascii.crc32(str(root).encode()):08x}.json"


def lookup(files: list[Path], root: Path) -> list[str] | None:
    """The exercise order recorded for this content if it passed every check before,
    by stamp when it matches exactly, else by digest; None when it has not."""
    current, newest = stamp(files, root)
    try:
        saved = json.loads(_stamp_file(root).read_text(encoding="utf-8"))
        if saved["stamp"] == current and _is_order(saved["order"]):
            return list(saved["order"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    order = recorded(digest(files, root))
    if order is not None:
        _record_stamp(root, current, newest, order)
    return order


def remember(files: list[Path], root: Path, order: list[str]) -> None:
    """Record that this content passed, by digest and by stamp."""
    record(digest(files, root), order)
    _record_stamp(root, *stamp(files, root), order)


def _record_stamp(root: Path, current: str, newest: int, order: list[str]) -> None:
    if newest > time.time_ns() - 2_000_000_000:
        return  # a file changed moments ago: let the digest look next time
    _write(_stamp_file(root), {"stamp": current, "order": order})


def _is_order(order: object) -> bool:
    return isinstance(order, list) and all(isinstance(i, str) for i in order)


__all__ = ["ENV_VAR", "cache_dir", "digest", "lookup", "record", "recorded", "remember",
           "stamp"]
