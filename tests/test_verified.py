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

import pytest

from workbook import verified
from workbook.catalog import load_catalog
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
    records = list((content.parent / "cache" / "verified").iterdir())
    assert len(records) == 1
    assert json.loads(records[0].read_text()) == {"order": first.ids}
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
    assert len(list((content.parent / "cache" / "verified").iterdir())) == 1  # not recorded


def test_a_damaged_record_is_ignored(content: Path, monkeypatch):
    load_catalog(content)
    load_catalog.cache_clear()
    (record,) = (content.parent / "cache" / "verified").iterdir()
    record.write_text('{"order": ["contact-pool"]}')  # not the exercises there are
    checks = count_schema_checks(monkeypatch)
    assert len(load_catalog(content).ids) == 9 and len(checks) == 9


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
