"""Schema checking: a loaded document and a validator in, learner-friendly problems out.

jsonschema's own messages are written for programmers ("'aa' is not one of ['AA',
'AB', 'AC']"). Each error is translated here into a sentence a learner can act on,
with the line and column of the field, and a hint: the nearest allowed value, the
known field names, how many items are missing.

Plain scalars the YAML loader read as numbers or booleans (``no`` stays text, but
``1.10`` or ``12`` do not) are given back as their source text wherever the schema
wants text; only documents with such a mismatch pay for the second pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from workbook.loader import Document
from workbook.problems import Path, Problem, format_path
from workbook.validators import Mismatch

if TYPE_CHECKING:  # jsonschema is imported only to describe problems (see validate)
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields",
    "null": "nothing",
}

_TYPE_HINTS = {
    "string": "Write your answer as text; put it in double quotes if it looks like a number.",
    "integer": "Write a whole number such as 12, without quotes or units.",
    "number": "Write a number such as 12 or 2.5, without quotes or units.",
    "boolean": "Write true or false.",
    "array": "Start each item on its own line with '- ', indented under the field.",
    "object": "Indent the fields that belong here under this one, as in the blank worksheet.",
}


def describe_value(value: Any) -> str:
    """A short, learner-readable description of what was found."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{_shorten(value)}'"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    return "a set of fields"


def _sentence(text: str) -> str:
    """Upper-case the first letter only; ``str.capitalize`` would lower-case the
    learner's own words ('Video' -> 'video') and make the message misleading."""
    return text[:1].upper() + text[1:]


def _shorten(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def nearest(value: str, choices: Iterable[str]) -> str | None:
    """The choice a learner most likely meant: same letters in other case, else close."""
    import difflib  # only for a slip, never for a valid file

    options = [str(c) for c in choices]
    folded = value.strip().casefold()
    for option in options:
        if option.casefold() == folded:
            return option
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    close = difflib.get_close_matches(folded, [o.casefold() for o in options], n=1, cutoff=0.6)
    if close:
        return next(o for o in options if o.casefold() == close[0])
    return None


_ANNOTATIONS = frozenset({"title", "description"})


def choices(schema: Mapping[str, Any]) -> list[tuple[Any, str]] | None:
    """The (value, label) pairs of a labelled list of choices, else None.

    Choices are written ``oneOf: [{const: X, title: "plain words"}, ...]``, the
    standard JSON Schema form that editors show (the YAML language server puts a
    chosen value's title at the top of its hover text). A plain ``enum`` gives
    its values with empty labels, so callers can treat both the same way.
    """
    branches = schema.get("oneOf")
    if isinstance(branches, list) and branches and all(
            isinstance(b, Mapping) and "const" in b and set(b) <= _ANNOTATIONS | {"const"}
            for b in branches):
        return [(b["const"], str(b.get("title", ""))) for b in branches]
    values = schema.get("enum")
    if isinstance(values, list):
        return [(value, "") for value in values]
    return None


def meaning(value: Any, label: str) -> str:
    """A choice's label without the code it repeats: "AA: someone you know well"
    and "Not asked yet (to-ask)" give "someone you know well" and "Not asked yet",
    to stand beside the code in a message."""
    code = str(value)
    text = label.strip()
    if text.endswith(f"({code})"):
        text = text[: -len(code) - 2].rstrip()
    if text.startswith(f"{code}:"):
        text = text[len(code) + 1:].lstrip()
    return text


def _choice_problem(value: Any, labelled: list[tuple[Any, str]], where: str) -> tuple[str, str]:
    """Message and hint for an answer that is not one of the choices.

    The codes come first, because they are what goes in the file; then what each
    means, in the label's words: the guess's alone when there is one, else every
    choice's, so a learner can pick without the chapter open.
    """
    codes = [str(code) for code, _ in labelled]
    meanings = {str(code): meaning(code, label) for code, label in labelled}

    def explained(chosen: list[str]) -> str:
        said = [f"{code}: {_lower_first(meanings[code])}" for code in chosen if meanings[code]]
        return f" {'; '.join(said)}." if said else ""

    if value is None or (isinstance(value, str) and not value.strip()):
        return (f"{_sentence(where)} has no answer yet.",
                f"Write one of: {', '.join(codes)}.{explained(codes)}")
    guess = nearest(value, codes) if isinstance(value, str) else None
    message = f"{_sentence(describe_value(value))} is not an allowed answer for {where}."
    if guess:
        return message, (f"Did you mean '{guess}'? Allowed values: {', '.join(codes)}."
                         f"{explained([guess])}")
    return message, f"Allowed values: {', '.join(codes)}.{explained(codes)}"


def _lower_first(text: str) -> str:
    """'They phone...' becomes 'they phone...' after a colon; 'AA' and 'LinkedIn' stay."""
    first_word = text.split(" ", 1)[0]
    if first_word[:1].isupper() and not any(c.isupper() for c in first_word[1:]):
        return text[0].lower() + text[1:]
    return text


_ITEM_NAMES = ("name", "contact", "target")  # the fields that say who a list item is about


def _field_word(path: Path, data: Any = None) -> str:
    """'contacts[3].tier', and after it the person the item is about where the item
    names one: '(Marcus Chen)'. The path is what a text editor shows and the author
    guide explains; the name is how a learner thinks of the entry."""
    if not path:
        return "the worksheet"
    words = f"'{format_path(path)}'"
    items = []  # (position in path, list item) for each list item along the path
    current = data
    for index, part in enumerate(path):
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int):
            items.append((index, current))
    for index, item in reversed(items):  # the innermost item that names someone
        if isinstance(item, dict):
            for key in _ITEM_NAMES:
                name = item.get(key)
                if isinstance(name, str) and name.strip() and path[index + 1:] != (key,):
                    return f"{words} ({_shorten(name, 30)})"
    return words


def _types(expected: Any) -> list[str]:
    return [expected] if isinstance(expected, str) else list(expected)


def _translate(error: ValidationError, doc: Document, prefix: Path = ()) -> list[Problem]:
    path: Path = (*prefix, *error.absolute_path)
    validator = error.validator
    value: Any = error.instance
    bound: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = _field_word(path, doc.data)
    line, column = doc.locate(path)
    code = f"schema.{validator}"

    def problem(message: str, hint: str = "", at: Path = path) -> Problem:
        at_line, at_column = doc.locate(at) if at != path else (line, column)
        return Problem(doc.source, at_line, at_column, code, message, hint, at)

    if validator == "required":
        missing = [name for name in bound if name not in value]
        parent = f"under {where}" if path else "at the top level"
        return [
            problem(
                f"The field '{name}' is missing {parent}.",
                f"Add a line `{name}: ...` {parent}; the blank worksheet shows where it goes.",
            )
            for name in missing
        ]
    if validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        extras = [name for name in value if name not in schema.get("properties", {})]
        problems = []
        for name in extras:
            guess = nearest(str(name), known)
            hint = f"Did you mean '{guess}'? " if guess else ""
            hint += f"Fields allowed here: {', '.join(known)}." if known else ""
            problems.append(problem(f"Unknown field '{name}' in {where}.", hint, (*path, name)))
        return problems
    labelled = choices(schema) if validator in ("enum", "oneOf") else None
    if labelled is not None:
        return [problem(*_choice_problem(value, labelled, where))]
    if validator == "const":
        return [problem(f"{_sentence(where)} must be {bound!r}, "
                        f"not {describe_value(value)}.",
                        "Keep this line as it is in the blank worksheet.")]
    if validator == "type":
        wanted = _types(bound)
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
        return [problem(f"{_sentence(where)} should be {words}, "
                        f"but it is {describe_value(value)}.",
                        _TYPE_HINTS.get(wanted[0], ""))]
    if validator == "minItems":
        need = bound
        return [problem(f"{_sentence(where)} needs at least {need} item"
                        f"{'s' if need != 1 else ''}; it has {len(value)}.",
                        f"Add {need - len(value)} more, each starting with '- '.")]
    if validator == "maxItems":
        most = bound
        return [problem(f"{_sentence(where)} may have at most {most} items; it has "
                        f"{len(value)}.", f"Remove {len(value) - most}, keeping your best.")]
    if validator == "minLength":
        need = bound
        if need <= 1:
            return [problem(f"{_sentence(where)} is empty.",
                            "Write your answer after the colon.")]
        return [problem(f"{_sentence(where)} is too short: at least {need} characters, "
                        f"this has {len(value)}.", "Say a little more.")]
    if validator == "maxLength":
        most = bound
        return [problem(f"{_sentence(where)} is too long: at most {most} characters, "
                        f"this has {len(value)}.", "Shorten it; keep the essentials.")]
    if validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = bound
        relation = {
            "minimum": f"at least {bound}",
            "exclusiveMinimum": f"more than {bound}",
            "maximum": f"at most {bound}",
            "exclusiveMaximum": f"less than {bound}",
        }[validator]
        return [problem(f"{_sentence(where)} must be {relation}; it is {value}.",
                        schema.get("description", ""))]
    if validator == "pattern":
        return [problem(f"{_sentence(describe_value(value))} does not fit the form needed "
                        f"for {where}.", schema.get("description", ""))]
    if validator == "uniqueItems":
        return [problem(f"{_sentence(where)} lists the same item more than once.",
                        "Each item may appear only once.")]
    return [problem(f"{_sentence(where)}: {error.message}", schema.get("description", ""))]


def _replace_at(data: Any, path: Path, value: Any) -> Any:
    """A copy of ``data`` with ``path`` set to ``value``, copying only along the path."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy: Any = dict(data)
    else:
        copy = list(data)
    copy[head] = _replace_at(data[head], rest, value)
    return copy


def _wants_text(error: ValidationError) -> bool:
    return error.validator == "type" and "string" in _types(error.validator_value)


def _one_per_answer(errors: list[ValidationError]) -> list[ValidationError]:
    """The errors less a choice's "not one of these" where the answer is of the wrong
    type already (a list where a choice goes): one message per slip is enough."""
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    return [e for e in errors
            if e.validator not in ("enum", "oneOf") or tuple(e.absolute_path) not in mistyped]


# At most this many schema errors are gathered for one file. A 1 MB worksheet can hold
# 200,000 answers of the wrong type; listing every one took a minute and a gigabyte
# and printed 35 MB that nobody reads. jsonschema yields errors one at a time, so
# stopping here also stops the validator. The first ones say what to fix.
MAX_ERRORS = 100


def _first_errors(validator: Draft7Validator, data: Any) -> tuple[list[ValidationError], bool]:
    """The first :data:`MAX_ERRORS` errors, and whether there were more."""
    errors = list(itertools.islice(validator.iter_errors(data), MAX_ERRORS + 1))
    return errors[:MAX_ERRORS], len(errors) > MAX_ERRORS


def _more_problems(doc: Document) -> Problem:
    return Problem(doc.source, None, None, "schema.too-many",
                   f"There are more problems than the {MAX_ERRORS} listed here.",
                   "Most are probably the same slip repeated: fix the ones listed, then "
                   "check again.")


def problems_at(doc: Document, validator: Draft7Validator, instance: Any,
                prefix: Path) -> list[Problem]:
    """Problems of ``instance`` (found at ``prefix`` inside ``doc``), sorted by position.

    Used for parts of a file checked by their own schema, such as a rubric
    criterion's ``params`` checked against its kind.
    """
    problems = [p for e in validator.iter_errors(instance) for p in _translate(e, doc, prefix)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.message))
    return problems


def validate(doc: Document, validator: Draft7Validator | Callable[[], Draft7Validator],
             fast: Callable[[Any], Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Check ``doc`` against the schema.

    Returns the data (with text given back where the schema wants text) and the
    problems, sorted by position so the first one listed is the first in the file.
    ``fast``, when given, is a compiled yes/no validator for the same schema: a yes
    ends the check at once; a no falls through to jsonschema for the details.
    ``validator`` may be a function that builds it, called only on a no, so that a
    valid file never pays for importing jsonschema.
    """
    data: Any = doc.data
    if fast is not None:
        try:
            fast(data)
        except Mismatch:
            pass
        else:
            return data, []
    details: Draft7Validator = validator() if callable(validator) else validator
    errors, more = _first_errors(details, data)
    fixes = [e for e in errors if _wants_text(e) and tuple(e.absolute_path) in doc.raw_scalars]
    if fixes:
        for error in fixes:
            where = tuple(error.absolute_path)
            data = _replace_at(data, where, doc.raw_scalars[where])
        errors, more = _first_errors(details, data)
    problems = [p for error in _one_per_answer(errors) for p in _translate(error, doc)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.message))
    if more:
        problems.append(_more_problems(doc))
    return data, problems
