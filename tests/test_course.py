"""The course content itself: every exercise is complete, consistent and gets its outcomes.

These are the author's safety net: a wrong schema, rubric, example or editor schema
line fails here with the file named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbook.catalog import Catalog, Exercise, load_catalog
from workbook.problems import WorkbookError
from workbook.worksheet import EMPTY, SCORED, check_path

ROOT = Path(__file__).resolve().parent.parent
EXERCISE_IDS = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
EXAMPLES = sorted((ROOT / "exercises").glob("*/examples/*.yaml"))
EXPECT = re.compile(
    r"^# expect: (?P<status>[a-z-]+)(?: (?P<points>[\d.]+)/(?P<max>[\d.]+))?(?:: (?P<text>.+))?$")

REQUIRED_EXERCISES = {
    "search-channels", "contact-pool", "contact-inventory", "assistance-ladder",
    "interview-plan", "campaign-map", "obstacle-advantage", "mutuality-ledger", "pitch-practice",
}


def site_url() -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    url: str = config["site_url"]
    return url if url.endswith("/") else url + "/"


def test_all_nine_exercises_exist(catalog: Catalog):
    assert set(catalog.ids) == REQUIRED_EXERCISES


def test_catalog_orders_exercises_by_chapter(catalog: Catalog):
    chapters = [int(e.chapter.split("-")[0]) for e in catalog.exercises.values()]
    assert chapters == sorted(chapters)


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_worksheet_schema_line_matches_site_url_and_schema_id(catalog: Catalog, exercise_id):
    exercise = catalog.exercises[exercise_id]
    # The schema's address carries the worksheet format version the blank declares.
    version = exercise.blank["version"]
    expected = f"{site_url()}schemas/v{version}/{exercise_id}.schema.json"
    first = exercise.worksheet_path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == f"# yaml-language-server: $schema={expected}"
    assert exercise.schema["$id"] == expected
    assert exercise.schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_pages_workflow_publishes_at_site_url():
    """The address the Pages workflow documents is site_url, so the schema lines resolve."""
    workflow = yaml.load((ROOT / ".github/workflows/pages.yml").read_text(),
                         Loader=yaml.BaseLoader)
    assert workflow["env"]["SITE_URL"] == site_url()


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_blank_worksheet_is_reported_blank_with_next_steps(catalog: Catalog, exercise_id):
    exercise = catalog.exercises[exercise_id]
    result = check_path(str(exercise.worksheet_path), catalog)
    assert result.status == EMPTY, result.problems
    assert result.exercise == exercise_id
    assert any("Next steps" in note for note in result.notes)
    assert any("workbook check" in note for note in result.notes)


def test_all_schemas_share_one_learner_definition(catalog: Catalog):
    learners = {json.dumps(e.schema["definitions"]["learner"], sort_keys=True)
                for e in catalog.exercises.values()}
    assert len(learners) == 1


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_schema_subset_is_editor_friendly(catalog: Catalog, exercise_id):
    """Only the keywords the authoring guide allows, and closed objects everywhere.

    Choices are a ``oneOf`` of ``{const, title}``, each with its label, on a
    ``type: string`` node; a bare ``enum`` would show editors and the form codes only.
    """
    allowed = {"$schema", "$id", "$ref", "title", "description", "type", "properties",
               "required", "additionalProperties", "items", "oneOf", "const", "minItems",
               "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern",
               "definitions", "uniqueItems", "default", "examples"}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            unknown = set(node) - allowed
            if "properties" not in where.rsplit("/", 1)[-1:]:
                assert not unknown, f"{where}: {unknown}"
            if "oneOf" in node:
                assert node.get("type") == "string", f"{where}: choices need type: string"
                for branch in node["oneOf"]:
                    assert set(branch) <= {"const", "title", "description"}, where
                    assert isinstance(branch.get("const"), str), where
                    assert str(branch.get("title", "")).strip(), \
                        f"{where}: the choice {branch.get('const')!r} has no label (title)"
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, f"{where} is not closed"
            for name, child in node.items():
                if name in ("properties", "definitions"):
                    for key, sub in child.items():
                        walk(sub, f"{where}/{name}/{key}")
                elif name in ("items", "additionalProperties") and isinstance(child, dict):
                    walk(child, f"{where}/{name}")

    walk(catalog.exercises[exercise_id].schema, exercise_id)


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_text_that_may_be_blank_may_also_be_left_empty(catalog: Catalog, exercise_id):
    """One rule for editors and the checker: `answer:` with nothing after it is a blank
    answer. The checker reads it as empty text, so wherever empty text is allowed the
    schema must allow null too (`type: [string, "null"]`), or editors mark it as an
    error; where a blank is refused (minLength, a choice), null must be refused too."""
    def walk(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
        if "string" in kinds:
            blank_ok = node.get("minLength", 0) == 0 and "oneOf" not in node
            wanted = '["string", "null"]' if blank_ok else '"string"'
            assert ("null" in kinds) == blank_ok, f'{where}: write "type": {wanted}'
        for name in ("properties", "definitions"):
            for key, child in node.get(name, {}).items():
                walk(child, f"{where}/{name}/{key}")
        walk(node.get("items"), f"{where}/items")

    walk(catalog.exercises[exercise_id].schema, exercise_id)


def _schema_at(exercise: Exercise, node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        node = _deref(exercise, node)
        assert "properties" in node and part in node["properties"], \
            f"{exercise.id}: rubric names '{dotted}', which is not in the schema"
        node = node["properties"][part]
    return _deref(exercise, node)


def _deref(exercise: Exercise, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = exercise.schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_rubric_paths_exist_in_the_schema(catalog: Catalog, exercise_id):
    exercise = catalog.exercises[exercise_id]
    for criterion in exercise.rubric.criteria:
        params = dict(criterion.params)
        top = [params[k] for k in ("path", "left") if k in params]
        top += list(params.get("paths", []))
        if isinstance(params.get("right"), str):
            top.append(params["right"])
        expected = params.get("expected", {})
        top += [expected["path"]] if "path" in expected else []
        top += list(expected.get("product", [])) + list(expected.get("power", []))
        for dotted in top:
            _schema_at(exercise, exercise.schema, dotted)
        for side in ("before", "after"):  # share: the part's fields in both objects
            if side in params:
                whole = _schema_at(exercise, exercise.schema, params[side])
                for name in params["part"]:
                    _schema_at(exercise, whole, name)
        if "path" not in params:
            continue
        container = _schema_at(exercise, exercise.schema, params["path"])
        if container.get("type") != "array" or "items" not in container:
            continue
        item = _deref(exercise, container["items"])
        fields = [params[k] for k in ("field", "label") if k in params]
        fields += list(params.get("fields", []))
        for name in ("where", "when", "require"):
            fields += list(params.get(name, {}))
        if item.get("type") == "object":
            for dotted in fields:
                _schema_at(exercise, item, dotted)


def test_rubric_keys_stay_out_of_public_views(catalog: Catalog):
    for exercise in catalog.exercises.values():
        for criterion in exercise.rubric.criteria:
            assert "key" not in criterion.public()


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_each_exercise_has_the_examples_it_needs(exercise_id):
    names = [p.name for p in (ROOT / "exercises" / exercise_id / "examples").glob("*.yaml")]
    assert "full.yaml" in names and "partial.yaml" in names
    assert sum(1 for n in names if n.startswith("invalid-")) >= 2


def expectation(path: Path) -> re.Match[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    match = EXPECT.match(lines[1]) if len(lines) > 1 else None
    assert match, f"{path}: line 2 must be '# expect: ...' (see the author guide)"
    return match


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_example_gets_its_stated_outcome(catalog: Catalog, example: Path):
    expected = expectation(example)
    result = check_path(str(example), catalog)
    assert result.status == expected["status"], [p.message for p in result.problems]
    if expected["status"] == SCORED:
        assert result.score is not None
        assert result.score.points == float(expected["points"])
        assert result.score.max_points == float(expected["max"])
        assert result.exercise == example.parent.parent.name
    else:
        assert result.problems, "a refused example must say why"
        if expected["text"]:
            said = [f"{p.message} {p.hint}" for p in result.problems]
            assert any(expected["text"] in s for s in said), said
        for problem in result.problems:
            assert problem.line is None or problem.line >= 1


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_full_example_earns_every_automatic_point(catalog: Catalog, exercise_id):
    example = ROOT / "exercises" / exercise_id / "examples" / "full.yaml"
    result = check_path(str(example), catalog)
    assert result.score is not None
    assert result.score.points + result.score.pending_points == result.score.max_points
    assert all(c.status in ("pass", "pending") for c in result.score.criteria)


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_partial_example_is_really_partial(catalog: Catalog, exercise_id):
    example = ROOT / "exercises" / exercise_id / "examples" / "partial.yaml"
    result = check_path(str(example), catalog)
    assert result.score is not None
    assert 0 < result.score.points < result.score.max_points - result.score.pending_points


def test_broken_course_content_is_reported_with_every_fault(tmp_path: Path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "rubric.schema.json").write_bytes(
        (ROOT / "schemas" / "rubric.schema.json").read_bytes())
    folder = tmp_path / "exercises" / "demo"
    folder.mkdir(parents=True)
    (tmp_path / "schemas" / "demo.schema.json").write_text('{"type": 12}')
    (folder / "rubric.yaml").write_text("exercise: demo\n")
    (folder / "worksheet.yaml").write_text("exercise: demo\n")
    with pytest.raises(WorkbookError) as caught:
        load_catalog(tmp_path)
    assert "draft-07" in str(caught.value)


def test_bad_rubric_params_are_located(tmp_path: Path, root: Path):
    import shutil
    shutil.copytree(root / "schemas", tmp_path / "schemas")
    shutil.copytree(root / "exercises" / "contact-inventory",
                    tmp_path / "exercises" / "contact-inventory")
    rubric = tmp_path / "exercises" / "contact-inventory" / "rubric.yaml"
    rubric.write_text(rubric.read_text().replace("min: 25", "minimum: 25", 1))
    with pytest.raises(WorkbookError) as caught:
        load_catalog(tmp_path)
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert any("Unknown field 'minimum'" in m for _, m in messages), messages
    assert any("'min' is missing" in m for _, m in messages), messages
    assert all(line is not None for line, _ in messages)


def test_loading_the_catalog_leaves_schemas_as_written(catalog: Catalog):
    for exercise in catalog.exercises.values():
        assert callable(exercise.fast_validate)  # compiled on first use, from a copy
        assert exercise.schema == json.loads(exercise.schema_path.read_text())


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_every_schema_compiles_to_the_quick_yes_no_check(catalog: Catalog, exercise_id):
    """The fast path's fallback is silent (a slower compile, same verdicts), so a schema
    that fastjsonschema cannot compile without error details must fail here instead."""
    import fastjsonschema

    from workbook.catalog import fast_definition

    schema = catalog.exercises[exercise_id].schema
    fastjsonschema.compile(fast_definition(schema), detailed_exceptions=False)


def test_const_is_rewritten_only_where_a_schema_stands():
    from workbook.catalog import fast_definition as _const_as_enum

    schema = {
        "type": "object",
        "properties": {
            "const": {"type": "string"},  # a property that happens to be called const
            "exercise": {"const": "campaign-map"},
            "both": {"const": 1, "enum": [1, 2]},
        },
        "items": [{"const": True}],
        "anyOf": [{"const": None}],
        "definitions": {"id": {"const": "x", "default": {"const": "data, not a schema"}}},
        "enum": [{"const": "data"}],
    }
    original = json.loads(json.dumps(schema))
    assert _const_as_enum(schema) == {
        "type": "object",
        "properties": {
            "const": {"type": "string"},
            "exercise": {"enum": ["campaign-map"]},
            "both": {"const": 1, "enum": [1, 2]},
        },
        "items": [{"enum": [True]}],
        "anyOf": [{"enum": [None]}],
        "definitions": {"id": {"enum": ["x"], "default": {"const": "data, not a schema"}}},
        "enum": [{"const": "data"}],
    }
    assert schema == original  # a copy: the catalog's schema stays as written


def test_a_fastjsonschema_failure_falls_back_to_its_detailed_compile(
        monkeypatch: pytest.MonkeyPatch, root: Path, tmp_path: Path):
    import fastjsonschema

    from workbook import validators, verified
    from workbook.catalog import load_catalog as uncached

    monkeypatch.setenv(verified.ENV_VAR, str(tmp_path))  # nothing cached: compiled here
    real = fastjsonschema.compile

    def broken_without_details(definition: Any, **options: Any) -> Any:
        if options.get("detailed_exceptions") is False:
            raise KeyError("definition_rule")
        return real(definition, **options)

    monkeypatch.setattr(fastjsonschema, "compile", broken_without_details)
    exercise = uncached.__wrapped__(root).exercises["contact-inventory"]
    valid = yaml.safe_load((exercise.folder / "examples" / "full.yaml").read_text())
    assert exercise.fast_validate(valid) == valid
    with pytest.raises(validators.Mismatch):
        exercise.fast_validate({**valid, "exercise": "campaign-map"})
