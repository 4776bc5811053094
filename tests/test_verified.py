"""Content checked once per version, and `workbook check` light to start.

workbook/verified.py records the digest of course content that passed every
catalog check, so a learner's next `workbook check` skips the meta-schema and
rubric checks (and jsonschema's import). These tests hold that a record is only
ever trusted for the same bytes, that a broken change is still reported, that an
unwritable cache changes nothing but speed, and that checking one file imports
nothing of the batch side (issue 16).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import fastjsonschema
import pytest
import yaml

from workbook import validators, verified
from workbook.catalog import fast_definition, load_catalog
from workbook.problems import WorkbookError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course content, with a cache folder of its own."""
    monkeypatch.setenv(verified.ENV_VAR, str(tmp_path / "cache"))
    copy = tmp_path / "course"
    shutil.copytree(ROOT / "exercises", copy / "exercises")
    shutil.copytree(ROOT / "schemas", copy / "schemas")
    load_catalog.cache_clear()
    yield copy
    load_catalog.cache_clear()


def digest_records(content: Path) -> list[Path]:
    return [p for p in (content.parent / "cache" / "verified").iterdir()
            if not p.name.startswith("stamp-")]


def count_schema_checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    from jsonschema import Draft7Validator

    seen: list[object] = []
    original = Draft7Validator.check_schema.__func__  # type: ignore[attr-defined]

    def counting(cls: type, schema: object, *args: object, **kwargs: object) -> None:
        seen.append(schema)
        original(cls, schema, *args, **kwargs)

    monkeypatch.setattr(Draft7Validator, "check_schema", classmethod(counting))
    return seen


def test_verified_content_is_not_checked_again(content: Path, monkeypatch):
    checks = count_schema_checks(monkeypatch)
    first = load_catalog(content)
    assert len(checks) == len(first.exercises) == 9
    records = digest_records(content)
    assert len(records) == 1
    assert json.loads(records[0].read_text()) == {"order": first.ids}
    (stamped,) = (content.parent / "cache" / "verified").glob("stamp-*.json")
    assert json.loads(stamped.read_text())["order"] == first.ids
    load_catalog.cache_clear()
    again = load_catalog(content)
    assert len(checks) == 9, "the same bytes were checked twice"
    assert again.ids == first.ids
    assert again.exercises["contact-pool"].title == first.exercises["contact-pool"].title
    assert "nothing" not in again.exercises and again.get("nothing") is None
    ids = "contact-inventory"
    assert again.exercises[ids].rubric == first.exercises[ids].rubric


def test_a_change_is_checked_and_a_broken_one_reported(content: Path, monkeypatch):
    load_catalog(content)
    load_catalog.cache_clear()
    schema_path = content / "schemas" / "contact-pool.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["properties"]["learner"] = {"type": "not-a-type"}
    schema_path.write_text(json.dumps(schema))
    with pytest.raises(WorkbookError) as refused:
        load_catalog(content)
    assert "Not a valid draft-07 schema" in refused.value.problems[0].message
    assert len(digest_records(content)) == 1  # not recorded


def test_a_damaged_record_is_ignored(content: Path, monkeypatch):
    load_catalog(content)
    load_catalog.cache_clear()
    for record in (content.parent / "cache" / "verified").iterdir():  # digest and stamp
        damaged = json.loads(record.read_text()) | {"order": ["contact-pool"]}
        record.write_text(json.dumps(damaged))  # not the exercises there are
    checks = count_schema_checks(monkeypatch)
    assert len(load_catalog(content).ids) == 9 and len(checks) == 9


def test_an_unchanged_stamp_settles_it_without_reading_the_content(content: Path, monkeypatch):
    first = load_catalog(content)
    load_catalog.cache_clear()
    monkeypatch.setattr(verified, "digest", lambda *a: pytest.fail("the digest was computed"))
    assert load_catalog(content).ids == first.ids


def test_a_touched_file_is_settled_by_its_digest_and_the_stamp_refreshed(content: Path,
                                                                          monkeypatch):
    load_catalog(content)
    load_catalog.cache_clear()
    rubric = content / "exercises" / "contact-pool" / "rubric.yaml"
    old = rubric.stat().st_mtime_ns - 10_000_000_000
    os.utime(rubric, ns=(old, old))  # the same bytes, another time: not a change
    checks = count_schema_checks(monkeypatch)
    load_catalog(content)
    assert checks == []  # the digest matched: not checked again
    load_catalog.cache_clear()
    monkeypatch.setattr(verified, "digest", lambda *a: pytest.fail("the digest was computed"))
    load_catalog(content)  # the refreshed stamp now settles it


def test_a_file_changed_moments_ago_is_never_settled_by_its_stamp(content: Path):
    rubric = content / "exercises" / "contact-pool" / "rubric.yaml"
    rubric.write_text(rubric.read_text() + "\n")  # a new modification time: now
    load_catalog(content)
    assert not list((content.parent / "cache" / "verified").glob("stamp-*.json"))
    assert len(digest_records(content)) == 1


def test_a_broken_rubric_is_reported_after_a_verified_run(content: Path):
    load_catalog(content)
    load_catalog.cache_clear()
    rubric = content / "exercises" / "contact-pool" / "rubric.yaml"
    rubric.write_text(rubric.read_text().replace("kind: ", "kind: no-such-", 1))
    with pytest.raises(WorkbookError):
        load_catalog(content)


def test_the_checker_source_is_part_of_the_digest(content: Path):
    files = sorted((content / "schemas").glob("*.json"))
    assert verified.digest(files, content) == verified.digest(files, content)
    assert verified.digest(files, content) != verified.digest(files[1:], content)
    assert b"criteria/count.py" in verified._package_state()
    assert b"verified.py" in verified._package_state()


def test_an_unwritable_cache_only_costs_time(content: Path, monkeypatch):
    blocker = content.parent / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv(verified.ENV_VAR, str(blocker))
    checks = count_schema_checks(monkeypatch)
    load_catalog(content)
    load_catalog.cache_clear()
    load_catalog(content)
    assert len(checks) == 18  # checked each time, and no error


BATCH_SIDE = ("multiprocessing", "concurrent.futures", "zipfile", "jsonschema",
              "workbook.batch", "workbook.intake", "workbook.pipeline", "workbook.spool",
              "workbook.class_run", "workbook.gradebook", "workbook.records")


@pytest.mark.parametrize("command", [["check", str(EXAMPLE)], ["list"]])
def test_checking_one_file_imports_nothing_of_the_batch_side(command, tmp_path):
    env = {**os.environ, verified.ENV_VAR: str(tmp_path / "cache")}
    for _ in range(2):  # the second run is the learner's usual one: content verified
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "workbook", *command],
                              capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "workbook.cli" in imported and "yaml" in imported  # the measurement works
    assert not {name for name in imported for side in BATCH_SIDE
                if name == side or name.startswith(side + ".")}


# --- compiled validators kept between runs (workbook/validators.py) --------------------

def test_a_compiled_validator_is_kept_and_gives_the_same_verdicts(tmp_path, monkeypatch):

    monkeypatch.setenv(verified.ENV_VAR, str(tmp_path / "cache"))
    schema = json.loads((ROOT / "schemas" / "contact-inventory.schema.json").read_text())
    good = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    bad = {**good, "contacts": "not a list"}
    first = validators.compiled(fast_definition(schema), detailed=False)
    kept = list((tmp_path / "cache" / "validators").iterdir())
    assert len(kept) == 1

    compiles: list[object] = []
    monkeypatch.setattr(fastjsonschema, "compile", lambda *a, **k: compiles.append(a))
    second = validators.compiled(fast_definition(schema), detailed=False)
    assert compiles == []  # from the cache, not compiled again
    schema_file = ROOT / "schemas" / "contact-inventory.schema.json"
    script = ("import sys, json; from workbook import validators; "
              "from workbook.catalog import fast_definition; "
              f"schema = json.load(open({str(schema_file)!r})); "
              "validators.compiled(fast_definition(schema), detailed=False); "
              "print('fastjsonschema' in sys.modules)")
    env = {**os.environ, verified.ENV_VAR: str(tmp_path / "cache")}
    # and a cached validator runs without fastjsonschema imported
    code = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=True)
    assert code.stdout.strip() == "False"
    for validate in (first, second):
        assert validate(good) == good
        with pytest.raises(validators.Mismatch):
            validate(bad)


def test_a_damaged_compiled_validator_is_compiled_again_and_replaced(tmp_path, monkeypatch):

    monkeypatch.setenv(verified.ENV_VAR, str(tmp_path / "cache"))
    schema = json.loads((ROOT / "schemas" / "contact-inventory.schema.json").read_text())
    validators.compiled(fast_definition(schema), detailed=False)
    (kept,) = (tmp_path / "cache" / "validators").iterdir()
    whole = kept.read_bytes()
    for damage in (whole[: len(whole) // 2], b"", b"not marshal at all"):
        kept.write_bytes(damage)
        validate = validators.compiled(fast_definition(schema), detailed=False)
        with pytest.raises(validators.Mismatch):
            validate({"exercise": "contact-inventory"})
        assert kept.read_bytes() == whole  # replaced by a good copy


def test_an_unwritable_validator_cache_only_costs_time(tmp_path, monkeypatch):

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv(verified.ENV_VAR, str(blocker))
    schema = json.loads((ROOT / "schemas" / "contact-inventory.schema.json").read_text())
    validate = validators.compiled(fast_definition(schema), detailed=False)
    good = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert validate(good) == good
