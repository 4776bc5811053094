"""The GitHub workflows run the project's own make targets, and publish what they should.

CI that runs its own recipe drifts from what a contributor runs at home, so every
build or test step must be a make target of this Makefile, or ``.ci/run``, which
installs Debian's chromium and then runs ``make test`` and nothing else. Publishing
itself is left to the official actions. (That the published address is mkdocs.yml's
``site_url`` is tested beside the other site_url tests, in tests/test_course.py.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ALLOWED_ACTIONS = {
    "actions/checkout", "actions/setup-node", "actions/configure-pages",
    "actions/upload-pages-artifact", "actions/deploy-pages", "actions/upload-artifact",
    "actions/download-artifact", "pypa/gh-action-pypi-publish",
}


def load(name: str) -> dict[str, Any]:
    # BaseLoader: every scalar stays text, so the key `on` is not read as YAML 1.1's True.
    data: dict[str, Any] = yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"),
                                     Loader=yaml.BaseLoader)
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items()
            for step in job.get("steps", [])]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def runs(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["run"].strip() for step in workflow["jobs"][job]["steps"] if "run" in step]


def uses(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["uses"].split("@")[0] for step in workflow["jobs"][job]["steps"]
            if "uses" in step]


def step_using(workflow: dict[str, Any], job: str, action: str) -> dict[str, Any]:
    found = [s for s in workflow["jobs"][job]["steps"] if s.get("uses", "").startswith(action)]
    assert len(found) == 1, f"{job} uses {action} once"
    return found[0]


WORKFLOW_FILES = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def test_there_is_a_pages_and_a_release_workflow():
    assert {"pages.yml", "release.yml"} <= set(WORKFLOW_FILES)


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_every_command_is_a_make_target_or_ci_run(name: str):
    targets = make_targets()
    for job_id, step in steps(load(name)):
        assert set(step) & {"run", "uses"}, f"{name}: a step in {job_id} does nothing"
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action in ALLOWED_ACTIONS, f"{name}: {job_id} uses {action}"
            assert version, f"{name}: {action} is pinned to a version"
            continue
        command = step["run"].strip()
        assert "\n" not in command, f"{name}: one command per step, not a script: {command!r}"
        if command == ".ci/run":
            continue
        match = re.fullmatch(r"make ([a-z][a-z-]*)", command)
        assert match, f"{name}: {job_id} runs {command!r}, which is not a make target"
        assert match[1] in targets, f"{name}: make {match[1]} is not in the Makefile"


def test_ci_run_only_sets_up_then_runs_make_test():
    lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()
             if line.strip() and not line.strip().startswith("#")]
    assert lines[-1] == "make test"
    others = " ".join(lines[:-1])
    assert not re.search(r"\b(make|pytest|mkdocs|npm run|ruff|mypy)\b", others), others


def test_pages_workflow_tests_builds_then_deploys_site():
    pages = load("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["permissions"]["pages"] == "write"
    assert pages["permissions"]["id-token"] == "write"
    assert pages["concurrency"]["group"] == "pages"
    build = runs(pages, "build")
    assert build == [".ci/run", "make build"], "the tests pass before the site is built"
    assert "debian" in pages["jobs"]["build"]["container"] or "bookworm" in pages[
        "jobs"]["build"]["container"], "Debian's chromium drives the browser tests"
    assert uses(pages, "build") == ["actions/checkout", "actions/setup-node",
                                    "actions/configure-pages", "actions/upload-pages-artifact"]
    # The artefact is uploaded after the build that fills site/.
    names = [s.get("run") or s["uses"].split("@")[0] for s in pages["jobs"]["build"]["steps"]]
    assert names.index("make build") < names.index("actions/upload-pages-artifact")
    upload = step_using(pages, "build", "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(pages, "deploy") == ["actions/deploy-pages"]


def test_make_build_is_strict_and_builds_into_site():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe and "mkdocs build --strict" in recipe[1]
    assert "--site-dir" not in recipe[1], "make build writes site/, which Pages deploys"
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config.get("site_dir", "site") == "site"


def test_release_workflow_builds_the_wheel_and_sdist_on_tags():
    release = load("release.yml")
    assert release["on"]["push"]["tags"] == ["v*"]
    assert runs(release, "dist") == [".ci/run", "make dist"]
    upload = step_using(release, "dist", "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "dist"
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^dist:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe and "-m build --outdir dist" in recipe[1]
    # Publishing to PyPI is opt-in, so a fork's tags never publish under this name.
    pypi = release["jobs"]["pypi"]
    assert "vars.PYPI_PUBLISH == 'true'" in pypi["if"]
    assert pypi["permissions"] == {"id-token": "write"}
    assert release["permissions"] == {"contents": "read"}
