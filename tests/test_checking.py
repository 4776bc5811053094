"""Schema problems are translated into sentences a learner can act on, with positions."""

from __future__ import annotations

import pytest
from jsonschema import Draft7Validator

from workbook.checking import nearest, validate
from workbook.loader import load_text

SCHEMA = {
    "type": "object",
    "required": ["name", "tier", "items", "learner"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 10},
        "tier": {"enum": ["AA", "AB", "AC"]},
        "count": {"type": "integer", "minimum": 1},
        "done": {"type": "boolean"},
        "when": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                 "description": "Write the date as YYYY-MM-DD."},
        "items": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "string"}},
        "learner": {
            "type": "object",
            "required": ["email"],
            "additionalProperties": False,
            "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
        },
    },
}
VALIDATOR = Draft7Validator(SCHEMA)
GOOD = "name: Ann\ntier: AA\nitems: [a, b]\nlearner:\n  email: a@b\n"


def check(text):
    return validate(load_text(text, "w.yaml"), VALIDATOR)


def only(text):
    _, problems = check(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_document_has_no_problems():
    assert check(GOOD)[1] == []


def test_enum_miss_names_allowed_values_and_nearest():
    problem = only(GOOD.replace("tier: AA", "tier: aa"))
    assert (problem.line, problem.column) == (2, 1)
    assert "Did you mean 'AA'?" in problem.hint and "AA, AB, AC" in problem.hint
    assert problem.path == ("tier",)


def test_enum_far_miss_lists_values_without_a_guess():
    problem = only(GOOD.replace("tier: AA", "tier: Banana"))
    assert "Did you mean" not in problem.hint and "AA, AB, AC" in problem.hint


def test_missing_required_field_points_at_its_parent():
    problem = only(GOOD.replace("  email: a@b\n", "  name: Ann\n"))
    assert "'email' is missing under 'learner'" in problem.message
    assert problem.line == 4  # the `learner:` line


def test_missing_top_level_field():
    problem = only(GOOD.replace("tier: AA\n", ""))
    assert "'tier' is missing at the top level" in problem.message


def test_unknown_field_names_the_known_ones_and_the_nearest():
    problem = only(GOOD + "nmae: x\n")
    assert problem.message == "Unknown field 'nmae' in the worksheet."
    assert "Did you mean 'name'?" in problem.hint and "items, learner, name, tier" in problem.hint
    assert problem.line == 6


def test_yes_and_no_stay_text_where_text_is_wanted():
    data, problems = check(GOOD.replace("name: Ann", "name: no"))
    assert problems == [] and data["name"] == "no"


@pytest.mark.parametrize("answer", ["0123", "1.10", "12", "2026"])
def test_numbers_become_their_text_where_text_is_wanted(answer):
    data, problems = check(GOOD.replace("name: Ann", f"name: {answer}"))
    assert problems == [] and data["name"] == answer


def test_dates_stay_text():
    data, problems = check(GOOD + "when: 2026-01-15\n")
    assert problems == [] and data["when"] == "2026-01-15"


def test_wrong_pattern_uses_the_field_description():
    problem = only(GOOD + "when: 15/01/2026\n")
    assert problem.hint == "Write the date as YYYY-MM-DD."


def test_text_where_a_number_is_wanted():
    problem = only(GOOD + "count: twelve\n")
    assert "should be a whole number" in problem.message and "12" in problem.hint


def test_boolean_words_are_not_booleans():
    problem = only(GOOD + "done: yes\n")
    assert "true or false" in problem.message and problem.hint == "Write true or false."


def test_too_few_and_too_many_items():
    few = only(GOOD.replace("items: [a, b]", "items: [a]"))
    assert "at least 2 items; it has 1" in few.message and "Add 1 more" in few.hint
    many = only(GOOD.replace("items: [a, b]", "items: [a, b, c, d]"))
    assert "at most 3 items; it has 4" in many.message


def test_empty_and_too_long_text():
    assert "is empty" in only(GOOD.replace("name: Ann", 'name: ""')).message
    assert "too long" in only(GOOD.replace("name: Ann", "name: " + "x" * 11)).message


def test_empty_value_is_empty_text_where_text_is_wanted():
    problem = only(GOOD.replace("name: Ann", "name:"))
    assert "is empty" in problem.message


def test_problems_are_sorted_by_position():
    _, problems = check("tier: x\nitems: 1\nlearner: {}\nzzz: 1\n")
    lines = [p.line for p in problems]
    assert lines == sorted(lines) and len(problems) >= 4


def test_item_paths_are_shown_one_based():
    problem = only(GOOD.replace("items: [a, b]", "items: [a, 2.5]").replace("2.5", "[x]"))
    assert "'items[2]'" in problem.message


@pytest.mark.parametrize(("value", "choices", "expected"), [
    ("aa", ["AA", "AB"], "AA"), ("vidoe", ["video", "mirror"], "video"),
    ("zzz", ["AA", "AB"], None), ("Video", ["video"], "video"),
])
def test_nearest(value, choices, expected):
    assert nearest(value, choices) == expected


def test_learner_words_keep_their_case_in_messages():
    problem = only(GOOD.replace("tier: AA", "tier: Video"))
    assert "'Video'" in problem.message
