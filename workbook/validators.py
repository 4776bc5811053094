"""Schemas compiled to Python validators by fastjsonschema, kept between runs.

fastjsonschema writes a schema out as Python source and compiles it: about 7 ms
for one worksheet schema, which was the largest single step of ``workbook check``
on one file after the imports (issue 16 asks for a start within 2.5 times a bare
``python -c "import yaml"``). The compiled code object is kept, with ``marshal``
as Python keeps its own ``.pyc`` files, under the same cache folder as the
verified-content records (:func:`workbook.verified.cache_dir`), with everything
that decides it: the schema as compiled, the compile option, fastjsonschema's
version, the interpreter's bytecode version and this module's own state. The
file is named by a CRC of those and used only when they match it exactly, so no
hash library is imported and a collision costs a compile, never a wrong
validator. Loading it back takes a tenth of a millisecond.

The generated module's one import of fastjsonschema is for the exception it
raises; the kept code raises :class:`Mismatch` instead (the import line is
replaced by a name bound to it), so a cached validator runs without importing
fastjsonschema at all, another few milliseconds of every start. Should a later
fastjsonschema write that line differently, its own exception is turned into a
Mismatch around the call, and nothing else changes. Likewise its ``from decimal
import Decimal``, there only so that ``isinstance(x, (int, float, Decimal))``
accepts decimals, which loading the C decimal module makes 3 ms of every start:
no worksheet's data holds a Decimal (the loader makes ints and floats), so where
the code only tests for the type, the name is bound to a class nothing is an
instance of. Code that makes Decimals (a ``multipleOf``) keeps the import.

A cache that cannot be read or written changes nothing but the time: the
validator is compiled as before. A damaged or truncated file is compiled again
and replaced; files are written under a temporary name and renamed, so a
concurrent run never reads half of one.
"""

from __future__ import annotations

import binascii
import json
import marshal
import os
from collections.abc import Callable
from importlib.util import MAGIC_NUMBER, find_spec
from pathlib import Path
from typing import Any

from workbook.verified import cache_dir

_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
_BOUND = "JsonSchemaValueException = JsonSchemaValuesException = Mismatch\n"
_DECIMAL = "from decimal import Decimal\n"


class _NoDecimal:
    """Stands for decimal.Decimal in isinstance tests: worksheet data has no Decimals."""


class Mismatch(ValueError):
    """The data does not satisfy the schema (a compiled validator's only answer: the
    details come from jsonschema, workbook/checking.py)."""

    def __init__(self, message: str = "", *args: Any, **details: Any) -> None:
        super().__init__(message)


def compiled(definition: Any, *, detailed: bool) -> Callable[[Any], Any]:
    """A validator for ``definition`` as ``fastjsonschema.compile(definition,
    detailed_exceptions=detailed)`` makes it, raising :class:`Mismatch` on a no; from
    the cache when this exact schema was compiled before."""
    # Before compiling: fastjsonschema rewrites the $refs of what it is given in place.
    text = json.dumps(definition, sort_keys=True, ensure_ascii=True)
    decides = (f"{text}\0{detailed}\0{_fastjsonschema_version()}\0{MAGIC_NUMBER.hex()}\0"
               f"{_this_module()}")
    path = cache_dir() / "validators" / f"{binascii.crc32(decides.encode()):08x}.marshal"
    try:
        kept, name, code = marshal.loads(path.read_bytes())
        if kept == decides:
            return _load(name, code)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass  # not cached yet, or unreadable: compile it
    import fastjsonschema  # only on a miss

    name = fastjsonschema.compile(json.loads(text), detailed_exceptions=detailed).__name__
    source = fastjsonschema.compile_to_code(json.loads(text), detailed_exceptions=detailed)
    source = source.replace(_IMPORT, _BOUND, 1)
    if "Decimal(" not in source:
        source = source.replace(_DECIMAL, "Decimal = _NoDecimal\n", 1)
    code = compile(source, f"<schema {name}>", "exec")
    _store(path, (decides, name, code))
    return _load(name, code)


def _load(name: str, code: Any) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {"Mismatch": Mismatch, "_NoDecimal": _NoDecimal}
    exec(code, namespace)  # our own compiled schema, trusted as a .pyc is
    validate: Callable[[Any], Any] = namespace[name]
    if namespace.get("JsonSchemaValueException") is Mismatch:
        return validate
    import fastjsonschema  # the import line was not the one expected: translate

    def translated(data: Any) -> Any:
        try:
            return validate(data)
        except fastjsonschema.JsonSchemaException as error:
            raise Mismatch(str(error)) from error

    return translated


def _this_module() -> str:
    """This module's size and modification time: the rewriting below is part of what
    decides the kept code, so an edit to it (in a checkout) compiles afresh."""
    status = os.stat(__file__)
    return f"{status.st_size}:{status.st_mtime_ns}"


def _fastjsonschema_version() -> str:
    """The installed fastjsonschema's version file, read as text: importing the package
    to ask would cost what the cache saves (find_spec locates it without importing)."""
    spec = find_spec("fastjsonschema")
    if spec is None or spec.origin is None:
        return ""
    try:
        return (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
    except OSError:
        return ""


def _store(path: Path, entry: tuple[str, str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_bytes(marshal.dumps(entry))
        os.replace(temporary, path)
    except OSError:
        pass  # the cache is a convenience: without it, compile each time


__all__ = ["Mismatch", "compiled"]
