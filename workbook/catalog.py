"""The catalog: every exercise of a course, checked once and ready to use.

Loading the catalog is where authors hear about their mistakes: a schema that is
not valid draft-07, a rubric that breaks its schema or names an unknown kind, a
blank worksheet that does not load or points at the wrong schema. Every problem
in every exercise is collected and raised together.

Schemas are checked and validators built once per process (``load_catalog`` is
cached per content root), so checking a thousand files parses each schema once.
And content that passed every check before, byte for byte, is not checked again
(workbook/verified.py): ``workbook check`` on one file then never imports
jsonschema unless the file has problems to describe.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook import verified
from workbook.checking import choices
from workbook.loader import Document, load_bytes, read_file
from workbook.problems import Problem, WorkbookError
from workbook.rubric import Rubric, parse_rubric
from workbook.validators import compiled

if TYPE_CHECKING:
    from jsonschema import Draft7Validator

MODELINE = re.compile(r"# yaml-language-server: \$schema=(?P<url>\S+)\s*$")
ENVELOPE = ("exercise", "version", "learner")


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    summary: str
    folder: Path
    worksheet_path: Path
    schema_path: Path
    schema: Mapping[str, Any] = field(repr=False)
    rubric: Rubric = field(repr=False)
    blank: Mapping[str, Any] = field(repr=False)
    schema_url: str = ""

    @cached_property
    def validator(self) -> Draft7Validator:
        """jsonschema's validator for the checking schema, built on first use.

        Only a file with problems needs it (for errors with paths); a valid file is
        settled by :attr:`fast_validate`, and never imports jsonschema.
        """
        from jsonschema import Draft7Validator

        return Draft7Validator(checking_schema(self.schema))

    @cached_property
    def fast_validate(self) -> Callable[[Any], Any]:
        """The same checking schema compiled to Python by fastjsonschema, on first use.

        About twenty times faster than jsonschema on valid documents, the common
        case. It only says yes or no; any no goes to jsonschema for errors with
        paths (workbook/checking.py). A test holds the two to the same verdicts.
        So fastjsonschema is asked for no error details (``detailed_exceptions``):
        its detailed code spells each failing rule's whole sub-schema into every
        ``raise``, which made the generated modules 30 to 115 KB and compiling all
        nine schemas 90 ms; without them it is about 30 ms, and checking is faster.
        The copy it gets (it rewrites $refs in place) is :func:`fast_definition`'s:
        fastjsonschema 2.22's ``const`` fails to compile without details, so each
        ``const`` and each labelled list of choices is written as the ``enum`` JSON
        Schema defines as the same rule. Should a later release fail on something
        else, the detailed compile is used instead.
        Compiled where and when a worksheet of the exercise is first checked:
        ``workbook check`` compiles one schema, and with ``--jobs`` each worker
        compiles the ones it meets. Kept between runs as compiled code (workbook/validators.py).
        """
        try:
            return compiled(fast_definition(self.schema), detailed=False)
        except Exception:  # a fastjsonschema bug: the schema itself passed check_schema
            return compiled(checking_schema(self.schema), detailed=True)

    @property
    def chapter(self) -> str:
        return self.rubric.chapter

    def is_blank(self, data: Mapping[str, Any]) -> bool:
        """Whether ``data`` is the untouched template (the learner block aside)."""
        return {k: v for k, v in data.items() if k != "learner"} == self.blank


@dataclass(frozen=True)
class Catalog:
    root: Path
    exercises: Mapping[str, Exercise]

    def get(self, exercise_id: str) -> Exercise | None:
        return self.exercises.get(exercise_id)

    @property
    def ids(self) -> list[str]:
        return list(self.exercises)

    def named_in(self, path: str) -> str | None:
        """The exercise a file's name states, for a file that cannot say it itself (a
        PDF, a broken file): the longest exercise id in the name, ignoring case, with
        ``_`` or a space read as ``-``. ``maya_contact_inventory.pdf`` names
        contact-inventory; a name stating none gives None."""
        base = path.replace("\\", "/").rsplit("/", 1)[-1].casefold()
        base = base.replace("_", "-").replace(" ", "-")
        found = [exercise_id for exercise_id in self.exercises if exercise_id in base]
        return max(found, key=len) if found else None


_SUBSCHEMA = ("additionalItems", "additionalProperties", "contains", "else", "if", "items",
              "not", "propertyNames", "then")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SUBSCHEMA_MAPS = ("definitions", "dependencies", "patternProperties", "properties")


def _walk(schema: Any, change: Callable[[dict[str, Any]], None]) -> Any:
    """A deep copy of a draft-07 schema with ``change`` applied to every (sub)schema.

    Only keywords that hold schemas are walked, so data (``enum``, ``default``,
    ``examples``) and property names (a property called "const") are copied as
    they are; ``change`` sees each copied schema after its children.
    """
    if not isinstance(schema, Mapping):
        return copy.deepcopy(schema)
    copied: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SUBSCHEMA:  # "items" may also be a list of schemas
            copied[key] = ([_walk(item, change) for item in value] if isinstance(value, list)
                           else _walk(value, change))
        elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
            copied[key] = [_walk(item, change) for item in value]
        elif key in _SUBSCHEMA_MAPS and isinstance(value, Mapping):
            copied[key] = {name: _walk(item, change) for name, item in value.items()}
        else:
            copied[key] = copy.deepcopy(value)
    change(copied)
    return copied


def _text_wanted(schema: dict[str, Any]) -> None:
    types = schema.get("type")
    if isinstance(types, list) and "string" in types:
        schema["type"] = "string"


def checking_schema(schema: Any) -> Any:
    """The schema ``workbook check`` validates with: plain text wherever the published
    one says "text, or also nothing" (or "text or a number").

    One contract with editors. An answer left empty (``next_action:`` and nothing
    after it) is a blank answer, so the published schemas allow ``null`` wherever
    empty text is allowed, and the YAML language server accepts it too; where a
    number is a natural answer in a text field (a student number, ``id: 20480``)
    they allow a number as well. The checker reads all of these as the text the
    learner typed instead (workbook/checking.py gives the source text back where
    text is wanted), so scoring sees ``""`` and ``"20480"`` as it always has.
    Verdicts are the same; tests/test_editor_agreement.py holds them equal.
    """
    return _walk(schema, _text_wanted)


def _labelled_as_enum(schema: dict[str, Any]) -> None:
    labelled = choices(schema) if "oneOf" in schema and "enum" not in schema else None
    if labelled is not None:
        del schema["oneOf"]
        schema["enum"] = [value for value, _ in labelled]


def _const_as_enum(schema: dict[str, Any]) -> None:
    if "const" in schema and "enum" not in schema:
        schema["enum"] = [schema.pop("const")]


def fast_definition(schema: Any) -> Any:
    """The checking schema as fastjsonschema compiles it, the same rules spelt out as
    ``enum``: a labelled ``oneOf`` of consts as one ``enum`` of their values, then
    each remaining ``const: X`` as ``enum: [X]`` (a schema with both ``const`` and
    ``enum`` keeps its ``const``). A copy: the catalog's own schema never changes.
    """
    return _walk(_walk(checking_schema(schema), _labelled_as_enum), _const_as_enum)


def _chapter_order(exercise: Exercise) -> tuple[int, str]:
    return int(exercise.chapter.split("-")[0]), exercise.id


def _author_problem(path: Path, message: str, hint: str = "", code: str = "course") -> Problem:
    return Problem(str(path), None, None, code, message, hint)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkbookError(_author_problem(path, f"Cannot read this JSON file: {exc}.")) from None


def _load_yaml(path: Path) -> Document:
    try:
        return load_bytes(read_file(str(path)), str(path))
    except OSError as exc:
        problem = _author_problem(path, f"Cannot read this file: {exc.strerror}.")
        raise WorkbookError(problem) from None


def _load_exercise(folder: Path, schemas: Path,
                   rubric_validator: Draft7Validator | None) -> Exercise:
    """One exercise; with no ``rubric_validator``, content known to be valid (verified)."""
    exercise_id = folder.name
    problems: list[Problem] = []
    worksheet_path = folder / "worksheet.yaml"
    schema_path = schemas / f"{exercise_id}.schema.json"

    schema = _load_json(schema_path)
    if rubric_validator is not None:
        from jsonschema import Draft7Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft7Validator.check_schema(schema)
        except SchemaError as exc:
            raise WorkbookError(_author_problem(
                schema_path, f"Not a valid draft-07 schema: {exc.message}.")) from None

    rubric = parse_rubric(_load_yaml(folder / "rubric.yaml"), rubric_validator)
    if rubric.exercise != exercise_id:
        problems.append(_author_problem(folder / "rubric.yaml",
                                        f"The rubric says exercise '{rubric.exercise}', but "
                                        f"its folder is '{exercise_id}'."))

    worksheet = _load_yaml(worksheet_path)
    first_line = worksheet_path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    modeline = MODELINE.match(first_line)
    url = modeline.group("url") if modeline else ""
    # Schemas live under the worksheet format version the blank declares (sitegen.schema_uri).
    tail = f"/schemas/v{worksheet.data.get('version')}/{exercise_id}.schema.json"
    if not modeline:
        problems.append(_author_problem(worksheet_path,
                                        "The first line must be the editor's schema line: "
                                        f"# yaml-language-server: $schema=<site>{tail}"))
    elif not url.endswith(tail) or url != schema.get("$id"):
        problems.append(_author_problem(worksheet_path,
                                        f"The schema line points at {url}; it must equal the "
                                        f"schema's $id ({schema.get('$id')}) and end with "
                                        f"{tail}. `make site-url` rewrites both."))
    if worksheet.data.get("exercise") != exercise_id:
        problems.append(_author_problem(worksheet_path,
                                        f"The blank worksheet must say `exercise: {exercise_id}`."))
    for name in ENVELOPE:
        if name not in worksheet.data or name not in schema.get("properties", {}):
            problems.append(_author_problem(worksheet_path,
                                            f"Both the worksheet and its schema need the "
                                            f"envelope field '{name}'."))
    if problems:
        raise WorkbookError(problems)
    return Exercise(
        id=exercise_id,
        title=str(schema.get("title", exercise_id)),
        summary=str(schema.get("description", "")),
        folder=folder,
        worksheet_path=worksheet_path,
        schema_path=schema_path,
        schema=schema,
        rubric=rubric,
        blank={k: v for k, v in worksheet.data.items() if k != "learner"},
        schema_url=url,
    )


class _Verified(Mapping[str, Exercise]):
    """Exercises of content that passed every check before, each loaded on first use.

    The ids and their order come from the record (workbook/verified.py); loading an
    exercise reads its schema, rubric and blank worksheet and checks nothing.
    """

    def __init__(self, root: Path, order: list[str]) -> None:
        self._exercises = root / "exercises"
        self._schemas = root / "schemas"
        self._order = order
        self._loaded: dict[str, Exercise] = {}

    def __getitem__(self, exercise_id: str) -> Exercise:
        found = self._loaded.get(exercise_id)
        if found is None:
            if exercise_id not in self._order:
                raise KeyError(exercise_id)
            found = _load_exercise(self._exercises / exercise_id, self._schemas, None)
            self._loaded[exercise_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._order


@lru_cache(maxsize=8)
def load_catalog(root: Path) -> Catalog:
    """Every exercise under ``root/exercises``, or a :class:`WorkbookError` listing all faults."""
    exercises_dir = root / "exercises"
    schemas_dir = root / "schemas"
    if not exercises_dir.is_dir() or not schemas_dir.is_dir():
        raise WorkbookError(_author_problem(
            root, "No course content here: expected folders exercises/ and schemas/.",
            "Run from a checkout of the workbook, or pass --content DIR."))
    folders = sorted(p for p in exercises_dir.iterdir()
                     if p.is_dir() and not p.name.startswith((".", "_")))
    content = [*sorted(schemas_dir.glob("*.json")),
               *(folder / name for folder in folders for name in ("rubric.yaml", "worksheet.yaml"))]
    order = verified.lookup(content, root)
    if order is not None and sorted(order) == [folder.name for folder in folders]:
        return Catalog(root, _Verified(root, order))
    from jsonschema import Draft7Validator

    rubric_validator = Draft7Validator(_load_json(schemas_dir / "rubric.schema.json"))
    found: list[Exercise] = []
    problems: list[Problem] = []
    for folder in folders:
        try:
            found.append(_load_exercise(folder, schemas_dir, rubric_validator))
        except WorkbookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise WorkbookError(problems)
    found.sort(key=_chapter_order)
    verified.remember(content, root, [exercise.id for exercise in found])
    return Catalog(root, {exercise.id: exercise for exercise in found})
