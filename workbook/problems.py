"""Problems as data: what is wrong, where, and what to do about it.

Every stage (load, check, score) reports trouble as :class:`Problem` values rather
than raising, so a batch can carry on and reporters can show them as text or JSON.
The one exception type, :class:`WorkbookError`, wraps a problem that stops a single
file (or a broken course), never a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """Render ``("contacts", 3, "tier")`` as ``contacts[3].tier`` (1-based items).

    Learners count from one, and the position matches what an editor shows when
    they count the dashes, so item indexes are shown 1-based.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with one file.

    ``line`` and ``column`` are 1-based, as editors show them; ``None`` when the
    problem concerns the file as a whole. ``code`` is a stable identifier that tests
    and machine readers can rely on (for example ``yaml.duplicate-key``).
    """

    file: str
    line: int | None
    column: int | None
    code: str
    message: str
    hint: str = ""
    path: Path = ()

    def location(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "path": format_path(self.path) if self.path else "",
            "message": self.message,
            "hint": self.hint,
        }


class WorkbookError(Exception):
    """The tool's own error: carries one or more problems and never a traceback.

    Raised when a single file cannot be read at all, or when the course content
    itself is broken (an author's mistake). Callers report ``problems`` and move on.
    """

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("; ".join(f"{p.location()}: {p.message}" for p in self.problems))
