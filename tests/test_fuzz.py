"""Property-based fuzzing: random and mutated input only ever yields a result.

Over load, check and score, whatever the bytes, the outcome is a Document, a
CheckResult or the tool's own WorkbookError, never another exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from workbook.catalog import load_catalog
from workbook.loader import Limits, load_bytes
from workbook.problems import WorkbookError
from workbook.scoring import score
from workbook.worksheet import STATUSES, check_bytes

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)
SEEDS = [p.read_bytes() for p in sorted((ROOT / "exercises").glob("*/examples/*.yaml"))]
SEEDS += [e.worksheet_path.read_bytes() for e in CATALOG.exercises.values()]
SMALL = Limits(max_bytes=20_000, max_depth=12, max_nodes=2_000)
YAML_BITS = [b":", b": ", b"- ", b"\n", b"  ", b"\t", b"'", b'"', b"&a ", b"*a", b"!!", b"[",
             b"]", b"{", b"}", b"#", b"---\n", b"? ", b"<<: ", b"|\n", b">-\n", b"\xff", b"\x00",
             b"\xef\xbb\xbf", b"\r\n", b"AA", b"no", b"0123", b"1e9", b"~", b"true", b",", b"%"]


def assert_result(raw: bytes) -> None:
    result = check_bytes(raw, "fuzz.yaml", CATALOG, SMALL)
    assert result.status in STATUSES
    if result.status != "scored":
        assert result.problems or result.notes
        for problem in result.problems:
            assert problem.message and problem.file == "fuzz.yaml"


@given(st.binary(max_size=2_000))
def test_random_bytes(raw: bytes) -> None:
    try:
        load_bytes(raw, "fuzz.yaml", SMALL)
    except WorkbookError as error:
        assert error.problems
    assert_result(raw)


@st.composite
def mutated_example(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(YAML_BITS))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "replace":
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
        else:
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[end:end] = data[at:end]
    return bytes(data)


@given(mutated_example())
def test_mutated_examples(raw: bytes) -> None:
    assert_result(raw)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30), st.sampled_from(["AA", "AC", "video", "write", ""]))
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=6),
                               st.dictionaries(st.text(max_size=12), children, max_size=6)),
    max_leaves=40,
)


@st.composite
def worksheet_like(draw: st.DrawFn) -> dict[str, Any]:
    exercise = draw(st.sampled_from(CATALOG.ids))
    blank = dict(CATALOG.exercises[exercise].blank)
    learner = st.one_of(json_like, st.just({"name": "", "id": "", "email": ""}))
    data: dict[str, Any] = {"exercise": exercise, "version": 1, "learner": draw(learner)}
    for name in blank:
        if name not in data:
            data[name] = draw(st.one_of(st.just(blank[name]), json_like))
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=8), json_like, max_size=2))
    return {**extra, **data}  # extra fields never replace the envelope


@given(worksheet_like())
def test_structured_worksheets_are_checked(data: dict[str, Any]) -> None:
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    assert_result(raw)


@given(worksheet_like())
def test_every_rubric_scores_any_data_without_raising(data: dict[str, Any]) -> None:
    for exercise in CATALOG.exercises.values():
        result = score(data, exercise.rubric)
        assert 0 <= result.points <= result.max_points
        for criterion in result.criteria:
            assert criterion.points is None or 0 <= criterion.points <= criterion.max_points


@given(worksheet_like())
def test_fast_and_full_validators_agree(data: dict[str, Any]) -> None:
    """The compiled fast path must never accept what jsonschema would refuse, or back."""
    from workbook.validators import Mismatch

    exercise = CATALOG.exercises[data["exercise"]]
    assert exercise.fast_validate is not None
    try:
        exercise.fast_validate(data)
        fast_ok = True
    except Mismatch:
        fast_ok = False
    assert fast_ok == exercise.validator.is_valid(data)


def test_fast_and_full_validators_agree_on_every_example() -> None:
    from workbook.loader import load_bytes
    from workbook.validators import Mismatch

    for path in sorted((ROOT / "exercises").glob("*/examples/*.yaml")):
        try:
            doc = load_bytes(path.read_bytes(), str(path))
        except WorkbookError:
            continue
        exercise = CATALOG.get(doc.data.get("exercise"))
        if exercise is None or exercise.fast_validate is None:
            continue
        try:
            exercise.fast_validate(doc.data)
            fast_ok = True
        except Mismatch:
            fast_ok = False
        assert fast_ok == exercise.validator.is_valid(doc.data), path


def assert_fast_loop_agrees(raw: bytes, limits: Limits) -> None:
    """Where the loader's fast loop builds data, the full rules build the same, refusing
    nothing; where it refuses (too many values), they refuse alike; everywhere else it
    steps aside and the full rules decide."""
    from workbook.loader import _build, _build_plain, _Retrack, decode

    try:
        text = decode(raw, "fuzz.yaml")
    except WorkbookError:
        return
    try:
        fast = _build_plain(text, "fuzz.yaml", limits)
    except (_Retrack, yaml.YAMLError):
        return
    except WorkbookError as refused:  # too many values: the full rules refuse the same way
        with pytest.raises(WorkbookError) as also:
            _build(text, "fuzz.yaml", limits, track=False)
        assert also.value.problems == refused.problems
        return
    full, _, _ = _build(text, "fuzz.yaml", limits, track=False)
    assert repr(fast) == repr(full)  # repr tells 1, 1.0 and True apart; == does not


@given(mutated_example())
def test_fast_loop_agrees_on_mutated_examples(raw: bytes) -> None:
    assert_fast_loop_agrees(raw, SMALL)
    assert_fast_loop_agrees(raw, Limits())


@given(worksheet_like(), st.integers(2, 6), st.integers(5, 60))
def test_fast_loop_agrees_on_structured_worksheets(data: dict[str, Any], depth: int,
                                                   nodes: int) -> None:
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    assert_fast_loop_agrees(raw, Limits())
    assert_fast_loop_agrees(raw, Limits(max_depth=depth, max_nodes=nodes))
