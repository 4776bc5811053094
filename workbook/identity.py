"""Who handed a file in: from the worksheet's ``learner`` block, or from its file name.

LMS exports encode the learner in file names:

* Canvas: ``lastnamefirstname_[LATE_]userid_submissionid_original-name.yaml``
  (the user id is Canvas's own; the submission id grows with each resubmission);
* Moodle: ``Full Name_12345_assignsubmission_file_/original-name.yaml`` (a folder
  per learner; 12345 is Moodle's participant id);
* anything else through ``--id-pattern``, a regular expression with any of the
  named groups ``name``, ``id``, ``late`` and ``submission``, searched in the
  file's path (inside a zip, the member name).

The worksheet's own ``learner`` block wins where it is filled in; the file name
fills the gaps. When both give a name and they do not match, the result carries
the conflict for the instructor to look at rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CANVAS = re.compile(
    r"(?:^|/)(?P<name>[a-z]+)_(?:(?P<late>LATE)_)?(?P<id>\d+)_(?P<submission>\d+)_[^/]+$")
MOODLE = re.compile(r"(?:^|/)(?P<name>[^/]+?)_(?P<id>\d+)_assignsubmission_file_/[^/]+$")


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What a file's name says about its author (all optional)."""

    scheme: str = ""  # "canvas", "moodle", "pattern" or "" when nothing matched
    name: str = ""
    lms_id: str = ""
    submission: int | None = None
    late: bool = False


def from_path(path: str, pattern: re.Pattern[str] | None = None) -> FileIdentity:
    """Read identity from a file or member path (``/``-separated)."""
    path = path.replace("\\", "/")
    for scheme, regex in (("pattern", pattern), ("canvas", CANVAS), ("moodle", MOODLE)):
        if regex is None:
            continue
        match = regex.search(path)
        if match is None:
            continue
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        submission = groups.get("submission", "")
        late = groups.get("late", "")
        return FileIdentity(
            scheme=scheme,
            name=groups.get("name", "").strip(),
            lms_id=groups.get("id", "").strip(),
            submission=int(submission) if submission.isdigit() else None,
            late=bool(late) and late.strip().lower() not in ("", "0", "false", "no"),
        )
    return FileIdentity()


def name_letters(name: str) -> str:
    """A name reduced to its sorted lower-case letters, accents removed.

    Canvas writes "Maya Okafor" as ``okaformaya``; comparing sorted letters matches
    the two whatever the order of the parts, without guessing which is the surname.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(sorted(c for c in decomposed.casefold() if c.isalpha()))


def names_agree(worksheet_name: str, file_name: str) -> bool:
    if not worksheet_name or not file_name:
        return True
    return name_letters(worksheet_name) == name_letters(file_name)


def normalise_key(text: str) -> str:
    return " ".join(text.casefold().split())


def conflicts(name: str, learner_id: str, from_file: FileIdentity) -> tuple[str, ...]:
    """What the instructor should check about who handed a file in, given the
    worksheet's own ``name`` and ``learner_id``: a name or id that disagrees with the
    file name's (the worksheet's is used), or nobody named at all. These notes go to
    the instructor's reports (grades.csv, report.html), not to the learner."""
    notes: list[str] = []
    if not names_agree(name, from_file.name):
        notes.append(f"Identity: the worksheet says '{name}' but the file name says "
                     f"'{from_file.name}'. The worksheet's name is used; please check.")
    if (from_file.scheme == "pattern" and learner_id and from_file.lms_id
            and normalise_key(learner_id) != normalise_key(from_file.lms_id)):
        notes.append(f"Identity: the worksheet's id '{learner_id}' differs from the file "
                     f"name's '{from_file.lms_id}'. The worksheet's id is used; please check.")
    if not (learner_id or from_file.lms_id or name or from_file.name):
        notes.append("Identity: no name or id in the worksheet or its file name.")
    return tuple(notes)
