"""Each criterion kind measures what it says, with partial credit where it promises it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from workbook import criteria
from workbook.criteria import conditions
from workbook.rubric import Criterion
from workbook.scoring import score_criterion

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = {
    "contacts": [
        {"name": "Ann", "tier": "AA", "org": "", "action": "call her on Monday", "gk": True},
        {"name": "Bo", "tier": "AB", "org": "Acme", "action": "", "gk": False},
        {"name": "ann ", "tier": "AC", "org": "Beta", "action": "email him this week", "gk": False},
        {"name": "Cy", "tier": "AC", "org": "", "action": "ask Bo for an intro", "gk": False},
    ],
    "pitch": "one two three four five",
    "pool": {"circle": 200, "steps": 3, "naive": 8000000, "real": 900000},
}


def measure(kind, params, key=None, data=PEOPLE):
    return criteria.get_kind(kind).measure(params, key or {}, data)


def test_registry_matches_rubric_schema():
    schema = json.loads((ROOT / "schemas" / "rubric.schema.json").read_text())
    listed = schema["definitions"]["criterion"]["properties"]["kind"]["enum"]
    assert sorted(listed) == sorted(criteria.KINDS)


@pytest.mark.parametrize("kind", sorted(criteria.KINDS))
def test_every_kind_declares_valid_schemas(kind):
    module = criteria.get_kind(kind)
    Draft7Validator.check_schema(module.PARAMS)
    if getattr(module, "KEY", None) is not None:
        Draft7Validator.check_schema(module.KEY)
    assert module.__doc__ and kind == module.ID


def test_filled():
    assert measure("filled", {"paths": ["pitch", "pool.circle"]}).fraction == 1
    result = measure("filled", {"paths": ["pitch", "missing", "pool.nothing"]})
    assert result.fraction == pytest.approx(1 / 3) and "missing, pool.nothing" in result.detail


def test_count_with_partial_credit_and_where():
    assert measure("count", {"path": "contacts", "min": 8}).fraction == 0.5
    assert measure("count", {"path": "contacts", "min": 8, "partial": False}).fraction == 0
    assert measure("count", {"path": "contacts", "min": 2,
                             "where": {"tier": {"equals": "AC"}}}).fraction == 1
    too_many = measure("count", {"path": "contacts", "min": 1, "max": 2})
    assert too_many.fraction == 0.5 and "at most 2" in too_many.detail
    assert measure("count", {"path": "nothing", "min": 1}).fraction == 0


def test_coverage():
    assert measure("coverage", {"path": "contacts", "field": "tier",
                                "values": ["AA", "AB", "AC"]}).fraction == 1
    partial = measure("coverage", {"path": "contacts", "field": "tier",
                                   "values": ["AA", "XX"]})
    assert partial.fraction == 0.5 and "XX" in partial.detail


def test_every_with_when_and_labels():
    result = measure("every", {"path": "contacts", "when": {"tier": {"equals": "AC"}},
                               "require": {"org": {"filled": True}}, "label": "name"})
    assert result.fraction == 0.5 and "Cy" in result.detail and "Bo" not in result.detail
    none = measure("every", {"path": "contacts", "when": {"tier": {"equals": "ZZ"}},
                             "require": {"org": {"filled": True}}})
    assert none.fraction == 0
    assert measure("every", {"path": "contacts", "when": {"tier": {"equals": "ZZ"}},
                             "require": {"org": {"filled": True}},
                             "none_selected": "pass"}).fraction == 1


def test_every_lacks_any_flags_job_requests():
    data = {"asks": [{"type": "informational", "ask": "Could you tell me about your job?"},
                     {"type": "informational", "ask": "Could we talk about the field?"},
                     {"type": "networking", "ask": "Do you know anyone hiring?"}]}
    result = measure("every", {"path": "asks", "when": {"type": {"equals": "informational"}},
                               "require": {"ask": {"lacks_any": ["job", "hiring"]}}},
                     data=data)
    assert result.fraction == 0.5
    # whole words only: "jobs" is not "job", "jobless" is not "job"
    assert conditions.holds({"a": {"lacks_any": ["job"]}}, {"a": "jobless hobbies"})


def test_distinct_is_case_and_space_blind():
    result = measure("distinct", {"path": "contacts", "fields": ["name"]})
    assert result.fraction == pytest.approx(0.75) and "Ann" in result.detail


def test_word_range_single_and_list():
    assert measure("word_range", {"path": "pitch", "min": 3, "max": 6}).fraction == 1
    assert measure("word_range", {"path": "pitch", "min": 6}).fraction == 0
    listed = measure("word_range", {"path": "contacts", "field": "action", "min": 3,
                                    "label": "name"})
    assert listed.fraction == 0.75 and "Bo" in listed.detail


def test_ordering_uses_pairs_and_hides_the_key():
    key = {"order": ["a", "b", "c", "d"]}
    assert measure("ordering", {"path": "r"}, key, {"r": ["a", "b", "c", "d"]}).fraction == 1
    assert measure("ordering", {"path": "r"}, key, {"r": ["d", "c", "b", "a"]}).fraction == 0
    swapped = measure("ordering", {"path": "r"}, key, {"r": ["b", "a", "c", "d"]})
    assert swapped.fraction == pytest.approx(5 / 6)
    assert "a" not in swapped.detail.replace("are", "").replace("pairs", "").replace(
        "ranked", "").replace("the", "").replace("research", "").replace("and", "")
    short = measure("ordering", {"path": "r"}, key, {"r": ["a", "b"]})
    assert short.fraction == pytest.approx(0.5) and "2 not ranked" in short.detail


def test_numeric_power_and_tolerance():
    params = {"path": "pool.naive", "expected": {"power": ["pool.circle", "pool.steps"]}}
    assert measure("numeric", params).fraction == 1
    wrong = {"pool": {**PEOPLE["pool"], "naive": 600}}
    result = measure("numeric", params, data=wrong)
    assert result.fraction == 0 and "8,000,000" in result.detail
    close = {"pool": {**PEOPLE["pool"], "naive": 8_000_100}}
    assert measure("numeric", {**params, "tolerance": 0.001}, data=close).fraction == 1
    huge = {"pool": {"circle": 10, "steps": 10**9, "naive": 1}}
    assert measure("numeric", params, data=huge).fraction == 0
    assert measure("numeric", {"path": "pool.circle", "expected": {"value": 200}}).fraction == 1
    product = {"path": "pool.naive", "expected": {"product": ["pool.circle", "pool.circle"]}}
    assert measure("numeric", product).fraction == 0


def test_compare():
    assert measure("compare", {"left": "pool.real", "op": "<", "right": "pool.naive"}).fraction == 1
    assert measure("compare", {"left": "pool.real", "op": ">", "right": 10**7}).fraction == 0
    assert measure("compare", {"left": "pitch", "op": "<", "right": 1}).fraction == 0


def test_sequence():
    data = {"targets": [{"who": "A", "steps": ["write", "call", "visit"]},
                        {"who": "B", "steps": ["write", "visit"]},
                        {"who": "C", "steps": ["call", "write"]}]}
    params = {"path": "targets", "field": "steps", "order": ["write", "call", "visit"],
              "label": "who"}
    result = measure("sequence", params, data=data)
    assert result.fraction == pytest.approx(2 / 3) and "C" in result.detail
    strict = measure("sequence", {**params, "complete": True}, data=data)
    assert strict.fraction == pytest.approx(1 / 3)


def test_manual_is_pending_not_zero():
    criterion = Criterion("pitch-quality", "Pitch quality", "manual", 5, "A person scores it.",
                          {"pass": "ok", "fail": "no", "pending": "Waiting for your tutor."})
    result = score_criterion(criterion, PEOPLE)
    assert result.points is None and result.status == "pending"
    assert result.feedback == "Waiting for your tutor."


def test_partial_feedback_falls_back_to_fail_advice():
    criterion = Criterion("n", "Enough", "count", 10, "At least eight.",
                          {"pass": "good", "fail": "add more"}, {"path": "contacts", "min": 8})
    result = score_criterion(criterion, PEOPLE)
    assert (result.points, result.status, result.feedback) == (5.0, "partial", "add more")


def test_kinds_survive_data_of_the_wrong_shape():
    odd = {"contacts": "not a list", "pitch": ["x"], "pool": [1, 2]}
    for params, kind in [({"path": "contacts", "min": 1}, "count"),
                         ({"path": "contacts", "field": "t", "values": [1]}, "coverage"),
                         ({"path": "contacts", "require": {"a": {"filled": True}}}, "every"),
                         ({"path": "contacts", "fields": ["a"]}, "distinct"),
                         ({"path": "pitch", "min": 1}, "word_range"),
                         ({"path": "pool"}, "ordering"),
                         ({"path": "pool.x", "expected": {"value": 1}}, "numeric"),
                         ({"path": "contacts", "field": "s", "order": [1, 2]}, "sequence")]:
        fraction = measure(kind, params, {"order": [1, 2]}, odd).fraction
        assert fraction is not None and 0 <= fraction <= 1


def test_empty_lists_earn_nothing():
    empty = {"contacts": []}
    assert measure("distinct", {"path": "contacts", "fields": ["name"]}, data=empty).fraction == 0
    assert measure("every", {"path": "contacts", "require": {"a": {"filled": True}}},
                   data=empty).fraction == 0
    assert measure("sequence", {"path": "contacts", "field": "s", "order": [1, 2]},
                   data=empty).fraction == 0


def test_coverage_with_a_minimum():
    params = {"path": "contacts", "field": "tier", "values": ["AA", "AB", "AC", "ZZ"], "min": 3}
    assert measure("coverage", params).fraction == 1
    two = measure("coverage", {**params, "min": 3},
                  data={"contacts": [{"tier": "AA"}, {"tier": "AB"}]})
    assert two.fraction == pytest.approx(2 / 3) and "2 of the 3 needed" in two.detail


def test_condition_on_single_answers():
    params = {"require": {"pitch": {"min_words": 5}, "pool.circle": {"filled": True}}}
    assert measure("condition", params).fraction == 1
    half = measure("condition", {"require": {"pitch": {"contains_any": ["introduce"]},
                                             "pool.circle": {"filled": True}}})
    assert half.fraction == 0.5 and "pitch" in half.detail


def test_unhashable_answers_never_match():
    data = {"r": [[], {"a": 1}, "a"], "contacts": [{"tier": ["AA"]}],
            "t": [{"steps": [["write"], "call"]}]}
    assert measure("ordering", {"path": "r"}, {"order": ["a", "b"]}, data).fraction == 0
    assert measure("coverage", {"path": "contacts", "field": "tier", "values": ["AA"]},
                   data=data).fraction == 0
    assert measure("sequence", {"path": "t", "field": "steps", "order": ["write", "call"]},
                   data=data).fraction == 1


@given(text=st.text(alphabet="ab -.é", max_size=30),
       phrases=st.lists(st.text(alphabet="ab -é", max_size=4), min_size=1, max_size=4))
def test_contains_any_is_any_phrase_as_whole_words(text: str, phrases: list[str]):
    """One alternation finds a match exactly when one search per phrase would."""
    one_by_one = any(re.search(r"(?<!\w)" + re.escape(p.casefold()) + r"(?!\w)", text.casefold())
                     for p in phrases)
    assert conditions.holds({"a": {"contains_any": phrases}}, {"a": text}) == one_by_one


HOURS = {"last": {"people": 2, "ads": 24, "forms": 10, "other": None},
         "next": {"people": 14, "ads": 8, "forms": 4, "other": 0}}


def test_share_compares_proportions_not_single_numbers():
    params = {"before": "last", "after": "next", "part": ["people"], "label": "people"}
    moved = measure("share", params, data=HOURS)
    assert moved.fraction == 1 and "People: 6% of the total before, 54% after" in moved.detail
    # more hours for people, but even more for everything else: the share falls
    swamped = {"last": HOURS["last"], "next": {"people": 3, "ads": 60, "forms": 30}}
    fell = measure("share", params, data=swamped)
    assert fell.fraction == 0 and "should be higher than" in fell.detail
    # fewer hours in all, but a bigger share for people: that is a move towards them
    trimmed = {"last": HOURS["last"], "next": {"people": 2, "ads": 1, "forms": 1}}
    assert measure("share", params, data=trimmed).fraction == 1
    assert measure("share", {**params, "op": "<"}, data=trimmed).fraction == 0


def test_share_needs_a_plan_but_not_a_past():
    params = {"before": "last", "after": "next", "part": ["people"]}
    blank_plan = {"last": HOURS["last"], "next": {"people": None, "ads": 0}}
    result = measure("share", params, data=blank_plan)
    assert result.fraction == 0 and "not filled in yet" in result.detail
    fresh = {"last": {"people": 0, "ads": 0}, "next": {"people": 1, "ads": 3}}
    assert measure("share", params, data=fresh).fraction == 1
    same = {"last": {"people": 1, "ads": 3}, "next": {"people": 2, "ads": 6}}
    assert measure("share", params, data=same).fraction == 0
    assert measure("share", {**params, "op": ">="}, data=same).fraction == 1


def test_share_survives_data_of_the_wrong_shape():
    params = {"before": "last", "after": "next", "part": ["people"]}
    for odd in ({"last": "x", "next": [1]}, {"last": {"people": True, "ads": "3"},
                                             "next": {"people": 2, "ads": -5}}, {}):
        fraction = measure("share", params, data=odd).fraction
        assert fraction is not None and 0 <= fraction <= 1


# --- each kind documents itself (issue 16 part 5) ------------------------------------------

@pytest.mark.parametrize("kind", sorted(criteria.KINDS))
def test_each_kind_documents_itself_with_an_example_that_runs(kind):
    from workbook.criteria.base import KindDoc

    module = criteria.KINDS[kind]
    doc = module.DOC
    assert isinstance(doc, KindDoc) and doc.params.strip() and doc.scores.strip()
    assert (module.__doc__ or "").strip(), f"{kind}: the module says what it measures"
    Draft7Validator(criteria.params_schema(kind)).validate(dict(doc.example))
    key = criteria.key_schema(kind)
    assert bool(doc.key) == (key is not None), f"{kind}: an example key exactly when it takes one"
    if key is not None:
        Draft7Validator(key).validate(dict(doc.key))
    if kind == "manual":
        assert doc.passes is None and doc.fails is None
        assert module.measure(dict(doc.example), {}, {}).fraction is None
        return
    full = module.measure(dict(doc.example), dict(doc.key), doc.passes)
    less = module.measure(dict(doc.example), dict(doc.key), doc.fails)
    assert full.fraction == 1.0, (kind, full)
    assert less.fraction is not None and less.fraction < 1.0, (kind, less)


def test_the_author_guide_takes_its_kinds_from_the_code():
    from workbook.criteria import reference

    guide = (ROOT / "docs" / "guides" / "authoring.md").read_text(encoding="utf-8")
    assert reference.MARKER in guide
    assert "| `count` |" not in guide, "the table is generated; do not write it by hand"
    written = reference.markdown()
    for kind, module in criteria.KINDS.items():
        assert f"| `{kind}` |" in written
        assert f'??? example "Example: `{kind}`"' in written
        if module.DOC.passes is not None:
            assert reference.verdict(kind, module.DOC, module.DOC.passes) in written
