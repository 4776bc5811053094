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


# --- labelled choices, and empty answers ------------------------------------------------

LABELLED = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tier": {"type": "string", "oneOf": [
            {"const": "AA", "title": "AA: someone you already know well"},
            {"const": "AB", "title": "AB: someone who knows the field"},
            {"const": "AC", "title": "AC: someone who can hire you"}]},
        "how": {"type": "string", "oneOf": [
            {"const": "write", "title": "A letter, email or message (write)"},
            {"const": "call", "title": "A phone or video call (call)"}]},
        "note": {"type": ["string", "null"], "maxLength": 5},
    },
}


def check_labelled(text):
    from workbook.catalog import checking_schema

    return validate(load_text(text, "w.yaml"), Draft7Validator(checking_schema(LABELLED)))


def only_labelled(text):
    _, problems = check_labelled(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_near_miss_on_a_labelled_choice_names_the_guess_and_its_meaning():
    problem = only_labelled("tier: aa\n")
    assert problem.message == "The text 'aa' is not an allowed answer for 'tier'."
    assert problem.hint == ("Did you mean 'AA'? Allowed values: AA, AB, AC. "
                            "AA: someone you already know well.")
    assert problem.code == "schema.oneOf" and problem.path == ("tier",)


def test_a_far_miss_on_a_labelled_choice_explains_every_choice():
    problem = only_labelled("how: email\n")
    assert problem.hint == ("Allowed values: write, call. write: a letter, email or message; "
                            "call: a phone or video call.")


def test_an_empty_choice_is_named_as_not_yet_answered():
    for text in ("tier:\n", 'tier: ""\n'):
        problem = only_labelled(text)
        assert problem.message == "'tier' has no answer yet.", text
        assert problem.hint.startswith("Write one of: AA, AB, AC. AA: someone you")


def test_a_choice_of_the_wrong_type_is_one_problem_not_two():
    problem = only_labelled("tier: [AA]\n")
    assert "should be text, but it is a list of 1 item" in problem.message


def test_a_number_in_a_choice_is_read_as_its_text():
    problem = only_labelled("tier: 12\n")
    assert problem.message == "The text '12' is not an allowed answer for 'tier'."


def test_an_optional_answer_left_empty_is_empty_text():
    """The published schema says "text or nothing"; the checker reads nothing as ''."""
    for text in ("note:\n", "note: ~\n", 'note: ""\n'):
        data, problems = check_labelled(text)
        assert problems == [] and data["note"] in ("", "~"), text
    data, _ = check_labelled("note:\n")
    assert data["note"] == ""


def test_the_fast_check_reads_empty_answers_the_same_way():
    """fastjsonschema gets the checking schema too, so an empty answer takes the slow
    path, where it becomes '' exactly as it did before the schemas allowed null."""
    from workbook.catalog import fast_definition
    from workbook.validators import compiled

    fast = compiled(fast_definition(LABELLED), detailed=False)
    data, problems = validate(load_text("note:\ntier: AB\n", "w.yaml"),
                              Draft7Validator(LABELLED), fast)
    assert problems == [] and data == {"note": None, "tier": "AB"}  # the published schema
    from workbook.catalog import checking_schema
    data, problems = validate(load_text("note:\ntier: AB\n", "w.yaml"),
                              Draft7Validator(checking_schema(LABELLED)), fast)
    assert problems == [] and data == {"note": "", "tier": "AB"}


@pytest.mark.parametrize(("value", "label", "words"), [
    ("AA", "AA: someone you know", "someone you know"),
    ("to-ask", "Not asked yet (to-ask)", "Not asked yet"),
    ("x", "Plain words", "Plain words"),
])
def test_meaning_drops_the_code_a_label_repeats(value, label, words):
    from workbook.checking import meaning

    assert meaning(value, label) == words


PEOPLE = Draft7Validator({
    "type": "object",
    "properties": {"contacts": {"type": "array", "items": {
        "type": "object", "required": ["name", "tier", "ways"], "additionalProperties": False,
        "properties": {"name": {"type": "string", "minLength": 1},
                       "tier": {"type": "string", "oneOf": [{"const": "AA", "title": "AA: x"}]},
                       "ways": {"type": "array", "items": {"enum": ["call"]}}}}}},
})


def people_problems(text):
    return validate(load_text(text, "w.yaml"), PEOPLE)[1]


def test_a_slip_inside_a_list_item_names_the_person_it_is_about():
    [problem] = people_problems("contacts:\n  - name: Ann Lee\n    tier: aa\n    ways: [call]\n")
    assert problem.message == ("The text 'aa' is not an allowed answer for "
                               "'contacts[1].tier' (Ann Lee).")
    [problem] = people_problems("contacts:\n  - name: Ann Lee\n    tier: AA\n    ways: [cal]\n")
    assert "'contacts[1].ways[1]' (Ann Lee)" in problem.message  # the nearest named item
    [problem] = people_problems("contacts:\n  - name: Ann Lee\n    tier: AA\n")
    assert problem.message == "The field 'ways' is missing under 'contacts[1]' (Ann Lee)."


def test_an_item_without_a_name_is_named_by_its_path_alone():
    [problem] = people_problems('contacts:\n  - name: ""\n    tier: AA\n    ways: []\n')
    assert problem.message == "'contacts[1].name' is empty."
    [problem] = people_problems("contacts:\n  - tier: AA\n    ways: []\n")
    assert problem.message == "The field 'name' is missing under 'contacts[1]'."
