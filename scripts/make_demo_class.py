"""Build a realistic class export, as Canvas or Moodle gives it, to try ``workbook score`` on.

The archive imitates what Canvas's "Download Submissions" gives: one flat zip,
each file named ``lastnamefirstname_[LATE_]userid_submissionid_original.yaml``;
with ``--lms moodle``, Moodle's download: a folder per learner,
``Full Name_participant_assignsubmission_file_/original.yaml``, where the late file
is late by its date (after ``DUE``) rather than by its name.
Its worksheets are the exercises' own examples, varied per learner (answers
dropped at random so scores spread out), and it contains on purpose:

* a late submission, and a learner who handed in the same exercise twice;
* a broken file (a tab indent), a blank worksheet, and a wrong exercise name;
* two learners with copied answers (for the similarity flag);
* learners who left their name out of the worksheet (identity from the file name);
* a ``__MACOSX/`` entry and a PDF, which are skipped.

Deterministic: the same seed gives the same bytes. ``make demo`` runs it.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from workbook.loader import load_bytes

ROOT = Path(__file__).resolve().parent.parent
STAMP = (2026, 11, 20, 9, 0, 0)

LEARNERS = [
    ("Amara", "Nwosu"), ("Ben", "Hartley"), ("Chloe", "Marchetti"), ("Diego", "Alvarez"),
    ("Elif", "Yilmaz"), ("Farah", "Siddiqui"), ("Gustav", "Lind"), ("Hana", "Sato"),
    ("Ivan", "Petrov"), ("Jade", "Thompson"), ("Kofi", "Boateng"), ("Lucia", "Romero"),
    ("Mateo", "Silva"), ("Nora", "Fitzgerald"), ("Oskar", "Nowak"), ("Priya", "Iyer"),
    ("Quinn", "Murphy"), ("Rosa", "Delgado"), ("Samir", "Haddad"), ("Tess", "Okonkwo"),
]
EXERCISES = ["contact-inventory", "contact-pool", "interview-plan", "pitch-practice"]


def _example(exercise: str, name: str) -> dict[str, Any]:
    path = ROOT / "exercises" / exercise / "examples" / name
    return load_bytes(path.read_bytes(), str(path)).data


def _thin(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Drop some list items at random, so scores vary between learners."""
    varied = dict(data)
    for key, value in data.items():
        if isinstance(value, list) and len(value) > 2 and rng.random() < 0.6:
            keep = max(1, round(len(value) * rng.uniform(0.4, 1.0)))
            varied[key] = value[:keep]
    return varied


def _reword(node: Any, rng: random.Random) -> Any:
    """Make each learner's long answers their own: shuffle neighbouring words.

    The demo's worksheets all start from the same few examples; without this every
    pair of learners would share most of their phrases and be flagged as similar.
    """
    if isinstance(node, str):
        words = node.split()
        if len(words) < 6:
            return node
        for i in range(0, len(words) - 1):
            if rng.random() < 0.45:
                words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    if isinstance(node, list):
        return [_reword(item, rng) for item in node]
    if isinstance(node, dict):
        return {key: _reword(value, rng) for key, value in node.items()}
    return node


def _dump(data: dict[str, Any]) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88).encode()


# Files made below, and each learner's only file for that exercise, so that the
# class shows them as they are: a file with answers would count instead of them.
HANDED_IN_BELOW = {("Kofi", "pitch-practice"), ("Lucia", "contact-pool")}


LATE_STAMP = (2026, 11, 23, 8, 30, 0)  # after DUE: Moodle marks nothing late in names
DUE = "2026-11-22T23:59"
_CANVAS_NAME = re.compile(r"^(?P<slug>[a-z]+)_(?P<late>LATE_)?(?P<uid>\d+)_\d+_(?P<rest>.+)$")


def _as_moodle(name: str) -> str:
    """A Canvas member name as Moodle's download names it: a folder per learner,
    ``Full Name_participant_assignsubmission_file_/original``."""
    if name.startswith("__MACOSX/"):
        return name
    match = _CANVAS_NAME.match(name)
    assert match, name
    full = next(f"{first} {last}" for first, last in LEARNERS
                if f"{last}{first}".lower() == match["slug"])
    original = ("late-" if match["late"] else "") + match["rest"]
    return f"{full}_{match['uid']}_assignsubmission_file_/{original}"


def build(seed: int = 7, lms: str = "canvas") -> bytes:
    rng = random.Random(seed)
    members: list[tuple[str, bytes]] = []
    submission = 5000
    for number, (first, last) in enumerate(LEARNERS):
        user_id = 2100 + number
        canvas_name = f"{last}{first}".lower()
        for exercise in EXERCISES:
            late = "LATE_" if (first, exercise) == ("Gustav", "contact-pool") else ""
            if rng.random() < 0.15 and not late:
                continue  # not everyone hands everything in (Gustav's late one always comes)
            if (first, exercise) in HANDED_IN_BELOW:
                continue
            base = _example(exercise, "full.yaml" if rng.random() < 0.5 else "partial.yaml")
            data = _reword(_thin(base, rng), rng)
            named = rng.random() < 0.8
            data["learner"] = {"name": f"{first} {last}" if named else "",
                               "id": f"S{70000 + number}" if named else "",
                               "email": f"{first.lower()}.{last.lower()}@example.org"}
            submission += 1
            members.append((f"{canvas_name}_{late}{user_id}_{submission}_{exercise}.yaml",
                            _dump(data)))
    # Hana hands in her contact inventory again, improved: the later one counts.
    hana = _example("contact-inventory", "full.yaml")
    hana["learner"] = {"name": "Hana Sato", "id": "S70007", "email": "hana.sato@example.org"}
    members.append(("satohana_2107_5900_contact-inventory-v2.yaml", _dump(hana)))
    # Ivan copies Jade's interview plan word for word.
    copied = _example("interview-plan", "full.yaml")
    for who, number, first, last in (("thompsonjade", 2109, "Jade", "Thompson"),
                                     ("petrovivan", 2108, "Ivan", "Petrov")):
        copied["learner"] = {"name": f"{first} {last}", "id": f"S{70000 + number - 2100}",
                             "email": ""}
        members.append((f"{who}_{number}_{5950 + number}_interview-plan-final.yaml",
                        _dump(copied)))
    broken = _dump(_example("pitch-practice", "partial.yaml")).replace(b"\n  ", b"\n\t", 1)
    members.append(("boatengkofi_2110_5990_pitch-practice.yaml", broken))
    blank = (ROOT / "exercises" / "contact-pool" / "worksheet.yaml").read_bytes()
    members.append(("romerolucia_2111_5991_contact-pool.yaml", blank))
    wrong = _dump({**_example("pitch-practice", "full.yaml"), "exercise": "pitch-practise",
                   "learner": {"name": "Mateo Silva", "id": "S70012", "email": ""}})
    members.append(("silvamateo_2112_5992_pitch.yaml", wrong))
    members.append(("nowakoskar_2114_5993_notes.pdf", b"%PDF-1.4 not a worksheet\n"))
    members.append(("__MACOSX/._nowakoskar_2114_5993_notes.pdf", b"\x00\x05\x16\x07"))

    if lms == "moodle":
        members = [(_as_moodle(name), data) for name, data in members]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            late = "LATE_" in name or name.endswith("/late-contact-pool.yaml")
            info = zipfile.ZipInfo(name, date_time=LATE_STAMP if late else STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default="out/demo-class.zip")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lms", choices=("canvas", "moodle"), default="canvas",
                        help="name the files as Canvas's or Moodle's download does")
    args = parser.parse_args()
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build(args.seed, args.lms))
    print(f"Wrote {target}")


if __name__ == "__main__":
    main()
