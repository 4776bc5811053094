"""The checker as a learner gets it: built, installed away from the checkout, and run there.

Every other test imports ``workbook`` from this checkout, where the engine finds
``exercises/`` and ``schemas/`` beside the package. A learner has none of that: they
``pipx install`` a wheel (or pip builds one from the sdist) and the course content must
come with it. So this module builds both artefacts the way ``make dist`` does, installs
each into a fresh virtual environment in a temporary folder, and runs the commands the
README promises from a working folder that is not the checkout either.

Time: the build runs without isolation (hatchling comes with the test extra), and the
dependencies are resolved once into a wheelhouse that both installs then read with
``--no-index``; the environments are made without pip and installed into by this
checkout's pip (``pip --python``). The sdist's own build still runs in pip's usual
isolated environment, fed from the same wheelhouse.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbook import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXERCISE_IDS = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
EXPECT_SCORE = re.compile(r"^# expect: scored (?P<points>[\d.]+)/(?P<max>[\d.]+)$")
# Variables that would point an installed workbook back at this checkout.
LEAKS = ("WORKBOOK_CONTENT", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path
    wheelhouse: Path


@dataclass(frozen=True)
class Installed:
    kind: str
    bin: Path        # the environment's scripts folder
    work: Path       # an empty working folder outside the checkout
    env: dict[str, str]

    def workbook(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return run([self.bin / "workbook", *args], cwd=self.work, env=self.env)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    out = tmp_path_factory.mktemp("dist")
    # With no --sdist/--wheel, build makes the sdist and then the wheel *from the sdist*,
    # so a file the sdist forgets breaks the wheel here, not on a learner's machine.
    ok(run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=out))
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    house = tmp_path_factory.mktemp("wheelhouse")
    # The wheel's dependencies, and the build backend pip needs to install the sdist.
    ok(run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", house,
            wheels[0], "hatchling"], cwd=out))
    return Dist(wheel=wheels[0], sdist=sdists[0], wheelhouse=house)


@pytest.fixture(scope="module", params=["wheel", "sdist"])
def installed(request: pytest.FixtureRequest, dist: Dist,
              tmp_path_factory: pytest.TempPathFactory) -> Installed:
    kind: str = request.param
    place = tmp_path_factory.mktemp(f"venv-{kind}")
    assert ROOT not in place.parents
    venv = place / "venv"
    ok(run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=place))
    python = venv / "bin" / "python"
    artefact = dist.wheel if kind == "wheel" else dist.sdist
    ok(run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
            "--no-index", "--find-links", dist.wheelhouse, artefact], cwd=place))
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = place / "work"
    work.mkdir()
    return Installed(kind=kind, bin=venv / "bin", work=work, env=env)


def test_artefacts_carry_the_version_and_the_course_content(dist: Dist):
    assert dist.wheel.name == f"networking_workbook-{__version__}-py3-none-any.whl"
    assert dist.sdist.name == f"networking_workbook-{__version__}.tar.gz"
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = set(wheel.namelist())
    for ex_id in EXERCISE_IDS:
        assert f"workbook/_content/exercises/{ex_id}/worksheet.yaml" in names
        assert f"workbook/_content/schemas/{ex_id}.schema.json" in names
    assert not any(n.startswith(("tests/", "docs/", "web/")) for n in names)
    with tarfile.open(dist.sdist) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "CHANGELOG.md", "workbook/cli.py"} <= members
    assert {f"exercises/{i}/rubric.yaml" for i in EXERCISE_IDS} <= members
    assert not any(m.startswith(("node_modules/", ".venv/", "site/")) for m in members)


def test_installed_copy_runs_from_its_environment_not_the_checkout(installed: Installed):
    done = ok(run([installed.bin / "python", "-c",
                   "import workbook, workbook.content as c; "
                   "print(workbook.__file__); print(c.find_content_root())"],
                  cwd=installed.work, env=installed.env))
    package, content = (Path(line) for line in done.stdout.splitlines())
    venv = installed.bin.parent
    assert venv in package.parents and ROOT not in package.parents
    assert content == package.parent / "_content"


def test_version(installed: Installed):
    done = ok(installed.workbook("--version"))
    assert done.stdout.strip() == f"workbook {__version__}"


def test_list_names_every_exercise(installed: Installed):
    text = ok(installed.workbook("list")).stdout
    for ex_id in EXERCISE_IDS:
        assert re.search(rf"^{ex_id} ", text, re.MULTILINE), text
    listed = json.loads(ok(installed.workbook("list", "--format", "json")).stdout)
    assert sorted(e["id"] for e in listed["exercises"]) == EXERCISE_IDS


def test_new_writes_the_blank_worksheet_and_check_calls_it_blank(installed: Installed):
    done = ok(installed.workbook("new", "contact-inventory"))
    written = installed.work / "contact-inventory.yaml"
    assert "Wrote contact-inventory.yaml" in done.stdout
    assert written.read_bytes() == (
        ROOT / "exercises/contact-inventory/worksheet.yaml").read_bytes()
    again = installed.workbook("new", "contact-inventory")
    assert again.returncode == 2 and "Traceback" not in again.stderr
    checked = installed.workbook("check", "contact-inventory.yaml")
    assert checked.returncode == 1, "a blank worksheet is not one to hand in yet"
    assert "empty (contact-inventory)" in checked.stdout
    assert "Next steps" in checked.stdout


def test_check_scores_a_full_example_and_places_a_mistake(installed: Installed):
    examples = ROOT / "exercises/contact-inventory/examples"
    shutil.copy(examples / "full.yaml", installed.work / "mine.yaml")
    shutil.copy(examples / "invalid-tier.yaml", installed.work / "typo.yaml")
    expect = EXPECT_SCORE.match((examples / "full.yaml").read_text().split("\n")[1])
    assert expect, "full.yaml's second line states its score"
    valid = ok(installed.workbook("check", "mine.yaml"))
    assert (f"mine.yaml: valid contact-inventory worksheet. Score preview: "
            f"{expect['points']} / {expect['max']}") in valid.stdout
    broken = installed.workbook("check", "typo.yaml")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(r"^  typo\.yaml:\d+:\d+: .*'aa'", broken.stdout, re.MULTILINE)
    assert "Did you mean 'AA'?" in broken.stdout
    assert (installed.work / "mine.yaml").read_bytes() == (examples / "full.yaml").read_bytes()


def test_score_grades_a_folder_of_examples(installed: Installed):
    folder = installed.work / "class"
    folder.mkdir()
    expected: dict[str, str] = {}
    for ex_id in EXERCISE_IDS:
        source = ROOT / "exercises" / ex_id / "examples" / "full.yaml"
        shutil.copy(source, folder / f"{ex_id}.yaml")
        match = EXPECT_SCORE.match(source.read_text(encoding="utf-8").split("\n")[1])
        assert match, f"{source}: line 2 states the score"
        expected[ex_id] = match["points"]
    done = ok(installed.workbook("score", "class", "--out", "results"))
    n = len(EXERCISE_IDS)
    summary = done.stderr  # the summary is for a person; stdout stays free for data
    assert f"Scored {n} submissions" in summary and f": {n} scored." in summary
    assert "Report: results/report.html" in summary
    results = installed.work / "results"
    assert (results / "report.html").is_file() and (results / "results.json").is_file()
    with (results / "grades.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["exercise"]: float(r["score"]) for r in rows} == {
        k: float(v) for k, v in expected.items()}
    assert all(r["status"] == "scored" for r in rows)
