"""``workbook score`` end to end: inputs, identity, every output parsed back, exit codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from workbook.catalog import load_catalog
from workbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "exercises"
RESULTS_SCHEMA = Draft7Validator(json.loads((ROOT / "schemas" / "results.schema.json").read_text()))
LEARNER_BLOCK = re.compile(r"^learner:\n(?:  .*\n)+", re.MULTILINE)


def example(exercise: str, name: str = "full.yaml") -> str:
    return (EXAMPLES / exercise / "examples" / name).read_text(encoding="utf-8")


def as_learner(text: str, name: str = "", learner_id: str = "", email: str = "") -> bytes:
    block = (f"learner:\n  name: {json.dumps(name)}\n  id: {json.dumps(learner_id)}\n"
             f"  email: {json.dumps(email)}\n")
    return LEARNER_BLOCK.sub(lambda _: block, text, count=1).encode("utf-8")


def make_zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
    return path


def class_folder(tmp_path: Path) -> Path:
    """An empty folder of submissions, as an instructor would collect them."""
    folder = tmp_path / "class"
    folder.mkdir()
    return folder


def score(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def canvas_zip(tmp_path: Path) -> Path:
    return make_zip(tmp_path / "submissions.zip", [
        ("okaformaya_20480_501_contact-inventory.yaml",
         as_learner(example("contact-inventory"), "Maya Okafor", "S1")),
        ("reyesdan_LATE_31377_502_contact-inventory.yaml",
         as_learner(example("contact-inventory", "partial.yaml"), "", "")),
        ("leeann_40001_503_contact-inventory.yaml",
         as_learner(example("contact-inventory", "invalid-tier.yaml"), "Ann Lee", "S3")),
        ("parkjo_40002_504_broken.yaml", b"exercise: contact-inventory\nlearner:\n\tname: x\n"),
        ("__MACOSX/._parkjo_40002_504_broken.yaml", b"junk"),
    ])


def test_canvas_export_to_gradebook(capsys, tmp_path: Path, canvas_zip: Path):
    out = tmp_path / "out"
    code, _, err = score(capsys, str(canvas_zip), "--out", str(out))
    assert code == 0
    assert "Scored 4 submissions from 4 learners" in err and "1 file skipped" in err
    rows = read_csv(out / "grades.csv")
    with open(out / "grades.csv", newline="") as handle:
        assert next(csv.reader(handle)) == ["learner_id", "learner_name", "exercise", "score",
                                            "max_score", "percent", "status", "late",
                                            "source", "problems"]
    by_name = {r["learner_name"]: r for r in rows}
    maya = by_name["Maya Okafor"]
    assert (maya["learner_id"], maya["score"], maya["max_score"], maya["percent"],
            maya["status"], maya["late"]) == ("S1", "40", "40", "100", "scored", "no")
    dan = by_name["reyesdan"]  # no name in the worksheet: identity from the file name
    assert (dan["learner_id"], dan["score"], dan["late"]) == ("31377", "18.47", "yes")
    ann = by_name["Ann Lee"]
    assert ann["status"] == "invalid" and ann["score"] == "" and "line 13" in ann["problems"]
    broken = next(r for r in rows if r["status"] == "unreadable")
    assert broken["learner_id"] == "40002" and "tab" in broken["problems"]
    results = json.loads((out / "results.json").read_text())
    RESULTS_SCHEMA.validate(results)
    assert results["summary"]["by_status"] == {"scored": 2, "invalid": 1, "empty": 0,
                                               "unreadable": 1, "unknown-exercise": 0}
    assert results["skipped"][0]["reason"] == "hidden or system file"
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "31377.html", "31377.md", "40002.html", "40002.md", "s1.html", "s1.md",
        "s3.html", "s3.md"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".workbook-outputs", "canvas-feedback.zip", "feedback", "grades.csv", "report.html",
        "results.json"]


def test_feedback_lists_criteria_and_problems(capsys, tmp_path: Path, canvas_zip: Path):
    out = tmp_path / "out"
    score(capsys, str(canvas_zip), "--out", str(out))
    dan = (out / "feedback" / "31377.md").read_text()
    assert "18.47 / 40" in dan and "Enough contacts" in dan and "Keep going" in dan
    ann = (out / "feedback" / "s3.html").read_text()
    assert "line 13, column 5" in ann and "Did you mean &#x27;AA&#x27;?" in ann


def test_text_cells_are_neutralised_and_numbers_stay_numbers(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)"]
    for index, name in enumerate(hostile):
        (folder / f"w{index}.yaml").write_bytes(
            as_learner(example("contact-inventory"), name, f"=ID{index}"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    for row in rows:
        for cell in (row[0], row[1], row[8], row[9]):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
        assert row[1].startswith("'") and row[0].startswith("'=ID")
        assert row[3] == "40" and row[4] == "40" and row[5] == "100"


@pytest.mark.parametrize(("raw", "safe"), [("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"),
                                           ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
                                           ("plain", "plain"), ("a=b", "a=b"), ("", "")])
def test_csv_text_neutralises_formula_starts(raw, safe):
    from workbook.reporters.common import csv_text

    assert csv_text(raw) == safe


def test_learner_text_is_escaped_in_html_and_markdown(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    evil = "<script>alert(1)</script>"
    text = as_learner(example("contact-inventory", "partial.yaml"), evil, "x1").decode()
    text = text.replace("name: Marcus Chen", 'name: "<img src=x onerror=alert(2)>"')
    (folder / "evil.yaml").write_text(text)
    (folder / "evil2.yaml").write_bytes(as_learner(
        example("contact-inventory", "invalid-tier.yaml").replace("tier: aa", "tier: <b>aa"),
        "[click](http://x) **bold**", "x2"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    from workbook.reporters.class_report import _SORT

    for page in [*(out / "feedback").glob("*.html"), out / "report.html"]:
        html = page.read_text()
        if page.name == "report.html":  # the report's own script, written by us, once
            assert html.count("<script>") == 1
            html = html.replace(f"<script>{_SORT}</script>", "")
        assert "<script>" not in html and "<img" not in html and "<b>aa" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "feedback" / "x1.html").read_text()
    assert "&lt;img src=x onerror=alert(2)&gt;" in (out / "feedback" / "x1.html").read_text()
    assert "&lt;b&gt;aa" in (out / "report.html").read_text()  # the invalid file's problem
    md = (out / "feedback" / "x2.md").read_text()
    assert "\\[click\\](http://x)" in md and "\\*\\*bold\\*\\*" in md
    x1 = (out / "feedback" / "x1.md").read_text()
    assert "\\<img src=x onerror=alert(2)\\>" in x1


def test_moodle_folders_and_custom_patterns(capsys, tmp_path: Path):
    moodle = tmp_path / "moodle"
    learner = moodle / "Maya Okafor_12345_assignsubmission_file_"
    learner.mkdir(parents=True)
    (learner / "contacts.yaml").write_bytes(as_learner(example("contact-inventory")))
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "s777-dan-late.yaml").write_bytes(as_learner(example("contact-pool")))
    out = tmp_path / "out"
    code, _, _ = score(capsys, str(moodle), str(custom), "--out", str(out),
                       "--id-pattern", r"(?P<id>s\d+)-(?P<name>[a-z]+)(?:-(?P<late>late))?")
    assert code == 0
    rows = {r["learner_id"]: r for r in read_csv(out / "grades.csv")}
    assert rows["12345"]["learner_name"] == "Maya Okafor"
    assert rows["s777"]["learner_name"] == "dan" and rows["s777"]["late"] == "yes"


def test_identity_disagreement_is_reported(capsys, tmp_path: Path):
    archive = make_zip(tmp_path / "a.zip", [
        ("reyesdan_31377_900_x.yaml", as_learner(example("contact-inventory"), "Maya Okafor"))])
    out = tmp_path / "out"
    score(capsys, str(archive), "--out", str(out))
    (row,) = read_csv(out / "grades.csv")
    assert row["learner_name"] == "Maya Okafor" and "reyesdan" in row["problems"]
    assert "Identity questions" in (out / "report.html").read_text()
    assert "reyesdan" in (out / "report.html").read_text()


def test_resubmission_later_id_counts_whatever_the_order(capsys, tmp_path: Path):
    archive = make_zip(tmp_path / "a.zip", [
        ("okaformaya_20480_700_v2.yaml", as_learner(example("contact-inventory"), "Maya O")),
        ("okaformaya_20480_650_v1.yaml",
         as_learner(example("contact-inventory", "partial.yaml"), "Maya O")),
    ])
    out = tmp_path / "out"
    score(capsys, str(archive), "--out", str(out))
    (row,) = read_csv(out / "grades.csv")
    assert row["score"] == "40" and row["source"].endswith("_700_v2.yaml")
    aside = json.loads((out / "results.json").read_text())["set_aside"]
    assert aside[0]["source"].endswith("_650_v1.yaml") and aside[0]["kept"].endswith("v2.yaml")


def test_resubmission_without_ids_uses_file_order(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory", "partial.yaml"),
                                               "Maya", "m1"))
    (folder / "b.yaml").write_bytes(as_learner(example("contact-inventory"), "Maya", "m1"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    (row,) = read_csv(out / "grades.csv")
    assert row["source"].endswith("b.yaml")


def overrides_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "overrides.csv"
    path.write_text("learner_id,exercise,criterion,points,comment\n" + "\n".join(rows) + "\n")
    return path


def test_manual_points_are_pending_until_overridden(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "maya.yaml").write_bytes(as_learner(example("interview-plan"), "Maya", "m1"))
    (folder / "dan.yaml").write_bytes(as_learner(example("interview-plan"), "Dan", "d1"))
    out = tmp_path / "out"
    rubric = load_catalog(ROOT).exercises["interview-plan"].rubric
    manual = next(c.id for c in rubric.criteria if c.kind == "manual")
    marks = overrides_file(tmp_path, [f"m1,interview-plan,{manual},4,Clear and warm.",
                                      "ghost,interview-plan,referral-ask,1,nobody"])
    code, _, err = score(capsys, str(folder), "--out", str(out), "--overrides", str(marks))
    assert code == 0 and "not applied: no such submission" in err
    rows = {r["learner_id"]: r for r in read_csv(out / "grades.csv")}
    assert rows["m1"]["score"] == "39" and "pending" not in rows["m1"]["problems"]
    assert rows["d1"]["score"] == "35" and "5 points pending" in rows["d1"]["problems"]
    results = json.loads((out / "results.json").read_text())
    maya = next(s for s in results["submissions"] if s["learner"]["id"] == "m1")
    graded = next(c for c in maya["score"]["criteria"] if c["id"] == manual)
    assert (graded["points"], graded["graded_by"], graded["feedback"]) == (
        4, "instructor", "Clear and warm.")
    dan = next(s for s in results["submissions"] if s["learner"]["id"] == "d1")
    pending = next(c for c in dan["score"]["criteria"] if c["id"] == manual)
    assert pending["points"] is None and pending["status"] == "pending"
    assert "Clear and warm." in (out / "feedback" / "m1.md").read_text()


@pytest.mark.parametrize(("row", "message"), [
    ("m1,interview-plan,pitch-qualty,4,", "Did you mean"),
    ("m1,interview-pln,pitch-quality,4,", "Did you mean 'interview-plan'?"),
    ("m1,interview-plan,referral-ask,99,", "outside 0 to"),
    ("m1,interview-plan,referral-ask,four,", "not a number"),
])
def test_bad_overrides_stop_the_run_with_the_line(capsys, tmp_path: Path, row, message):
    folder = class_folder(tmp_path)
    (folder / "m.yaml").write_bytes(as_learner(example("interview-plan"), "Maya", "m1"))
    code, _, err = score(capsys, str(folder), "--out", str(tmp_path / "o"),
                         "--overrides", str(overrides_file(tmp_path, [row])))
    assert code == 2 and message in err and ":2" in err
    assert not (tmp_path / "o" / "grades.csv").exists()


def _hand_class(tmp_path: Path) -> tuple[Path, str]:
    folder = class_folder(tmp_path)
    plan = example("interview-plan")
    (folder / "maya.yaml").write_bytes(as_learner(plan, "Maya Okafor", "m1"))
    data = yaml.safe_load(plan)
    data["pitch"] = "=1+1 " + data["pitch"]  # a formula-looking answer, for the sheet
    (folder / "dan.yaml").write_bytes(as_learner(yaml.safe_dump(data, sort_keys=False),
                                                 "Dan Reyes", "d1"))
    rubric = load_catalog(ROOT).exercises["interview-plan"].rubric
    return folder, next(c.id for c in rubric.criteria if c.kind == "manual")


def test_an_override_for_a_blank_submission_says_it_is_blank(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    blank = (ROOT / "exercises" / "interview-plan" / "worksheet.yaml").read_text()
    (folder / "m.yaml").write_text(blank.replace('name: ""', 'name: "Maya"', 1)
                                   .replace('id: ""', 'id: "m1"', 1))
    rubric = load_catalog(ROOT).exercises["interview-plan"].rubric
    manual = next(c.id for c in rubric.criteria if c.kind == "manual")
    marks = overrides_file(tmp_path, [f"m1,interview-plan,{manual},4,"])
    code, _, err = score(capsys, str(folder), "--overrides", str(marks))
    assert code == 0 and "not applied: the submission is empty" in err, err


def test_the_hand_scoring_sheet_lists_what_waits_with_the_answer_to_judge(capsys,
                                                                         tmp_path: Path):
    folder, manual = _hand_class(tmp_path)
    out = tmp_path / "out"
    assert score(capsys, str(folder), "--out", str(out))[0] == 0
    raw = (out / "hand-scoring.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [(r["learner_id"], r["criterion"], r["points"], r["max_points"]) for r in rows] == [
        ("d1", manual, "", "5"), ("m1", manual, "", "5")]
    pitch = yaml.safe_load(example("interview-plan"))["pitch"]
    assert rows[1]["answer"] == " ".join(pitch.split())
    assert rows[0]["answer"].startswith("'=1+1")  # neutralised, as in grades.csv
    assert list(rows[0])[:5] == ["learner_id", "exercise", "criterion", "points", "comment"]


@pytest.mark.parametrize(("mark", "decimal", "bom", "ending"), [
    (",", ".", True, "\r\n"),    # Excel "CSV UTF-8", English locale
    (";", ",", True, "\r\n"),    # Excel "CSV UTF-8" where the decimal mark is a comma
    (";", ",", False, "\n"),      # LibreOffice, semicolons chosen
    ("\t", ".", False, "\r\n"),  # "Text (tab-delimited)"
])
def test_the_sheet_filled_in_reads_back_as_overrides(capsys, tmp_path: Path, mark, decimal,
                                                     bom, ending):
    """The round trip: score, mark the sheet as a spreadsheet would save it, score again
    with it as --overrides; a row left unmarked stays pending."""
    folder, _ = _hand_class(tmp_path)
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    text = (out / "hand-scoring.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        if row[0] == "m1":
            row[3], row[4] = f"3{decimal}5", "Warm; names the field, but no ask"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=mark, lineterminator=ending).writerows(rows)
    marked = tmp_path / "marked.csv"
    marked.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    code, _, err = score(capsys, str(folder), "--out", str(out), "--overrides", str(marked))
    assert code == 0, err
    grades = {r["learner_id"]: r for r in read_csv(out / "grades.csv")}
    assert grades["m1"]["score"] == "38.5" and "pending" not in grades["m1"]["problems"]
    assert "5 points pending" in grades["d1"]["problems"]
    left = list(csv.DictReader(io.StringIO(
        (out / "hand-scoring.csv").read_bytes().decode("utf-8-sig"), newline="")))
    assert [r["learner_id"] for r in left] == ["d1"]  # only what still waits


@pytest.mark.parametrize(("header", "said"), [
    ("learner id,exercise,criterion,points,comment",
     "Missing column(s): learner_id. Not understood: 'learner id' (did you mean 'learner_id'?)"),
    ("learner_id;exercise;criterion;pionts;comment",
     "Missing column(s): points. Not understood: 'pionts' (did you mean 'points'?)"),
    ("learner_id,exercise,criterion,points",
     "Missing column(s): comment."),
])
def test_an_overrides_header_typo_is_named(capsys, tmp_path: Path, header, said):
    folder, _ = _hand_class(tmp_path)
    marks = tmp_path / "marks.csv"
    marks.write_text(header + "\n")
    code, _, err = score(capsys, str(folder), "--overrides", str(marks))
    assert code == 2 and said in err, err
    assert ("separated by semicolons" in err) == (";" in header)


def test_similar_free_text_is_flagged(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    plan = example("interview-plan")
    (folder / "a.yaml").write_bytes(as_learner(plan, "Ann", "a1"))
    (folder / "b.yaml").write_bytes(as_learner(plan, "Bo", "b1"))
    (folder / "c.yaml").write_bytes(as_learner(example("interview-plan", "partial.yaml"), "Cy",
                                               "c1"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    pairs = json.loads((out / "results.json").read_text())["similarity"]["pairs"]
    assert [(p["first"]["learner"], p["second"]["learner"]) for p in pairs] == [("Ann", "Bo")]
    assert pairs[0]["similarity"] == 1.0
    assert "Ann and Bo" in (out / "report.html").read_text()


def test_similarity_threshold_option(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    plan = example("interview-plan")
    edited = plan.replace("pitch:", "pitch: Honestly, I rewrote this whole part myself.", 1)
    (folder / "a.yaml").write_bytes(as_learner(plan, "Ann", "a1"))
    (folder / "b.yaml").write_bytes(as_learner(edited, "Bo", "b1"))
    out = tmp_path / "out"
    code, _, _ = score(capsys, str(folder), "--out", str(out), "--similarity-threshold", "1")
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    assert results["similarity"]["threshold"] == 1
    code, _, err = score(capsys, str(folder), "--similarity-threshold", "1.5")
    assert code == 2 and "between 0 and 1" in err


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_reruns_and_job_counts_give_identical_bytes(capsys, tmp_path: Path, canvas_zip: Path):
    folder = tmp_path / "more"
    folder.mkdir()
    for exercise in ("contact-pool", "pitch-practice", "interview-plan", "search-channels"):
        for index, name in enumerate(("full.yaml", "partial.yaml")):
            (folder / f"{exercise}-{index}.yaml").write_bytes(
                as_learner(example(exercise, name), f"L{index}", f"id{index}"))
    digests = []
    for jobs, target in (("1", "a"), ("1", "b"), ("2", "c")):
        out = tmp_path / target
        code, _, _ = score(capsys, str(canvas_zip), str(folder), "--out", str(out),
                           "--jobs", jobs, "--canvas-assignment", "Portfolio (9)")
        assert code == 0
        digests.append(tree_digest(out))
    assert digests[0] == digests[1] == digests[2]
    assert len(digests[0]) > 10


def varied_class(tmp_path: Path, canvas_zip: Path) -> tuple[list[str], Path]:
    """Inputs that exercise every choice the gradebook makes, in a folder and two zips."""
    folder = tmp_path / "varied"
    moodle = folder / "Zoë Ärger_4411_assignsubmission_file_"
    moodle.mkdir(parents=True)
    (moodle / "inventory.yaml").write_bytes(as_learner(example("contact-inventory"), "Zoë Ärger"))
    for index, name in enumerate(("partial.yaml", "full.yaml")):  # resubmitted, no ids
        (folder / f"pitch-{index}.yaml").write_bytes(
            as_learner(example("pitch-practice", name), "=Eve", "+42"))
    for who, learner_id in (("Copy One", "c-1"), ("Copy Two", "c 1")):  # similar; one stem
        (folder / f"{learner_id}.yaml").write_bytes(
            as_learner(example("interview-plan"), who, learner_id))
    (folder / "anonymous.yaml").write_bytes(as_learner(example("contact-pool")))
    (folder / "blank.yaml").write_bytes(
        (EXAMPLES / "contact-pool" / "worksheet.yaml").read_bytes())
    (folder / "empty.yaml").write_bytes(b"")
    (folder / "latin.yaml").write_bytes("learner:\n  name: Jos\u00e9\n".encode("latin-1"))
    (folder / "notes.txt").write_text("not a worksheet")
    (folder / "wrong.yaml").write_bytes(as_learner(
        example("contact-pool").replace("exercise: contact-pool", "exercise: contact-pools"),
        "Wren", "w1"))
    resubmitted = make_zip(tmp_path / "again.zip", [
        ("okaformaya_20480_700_v2.yaml", as_learner(example("contact-inventory"), "Maya Okafor",
                                                    "S1")),
        ("okaformaya_20480_499_v0.yaml",
         as_learner(example("contact-inventory", "partial.yaml"), "Maya Okafor", "S1")),
    ])
    marks = overrides_file(tmp_path, [
        "S1,contact-inventory,enough-contacts,2,Counted by hand.",
        "c-1,interview-plan,pitch-quality,3.5,Warm.",
        "40001,contact-inventory,enough-contacts,1,",  # its submission is invalid
        "ghost,contact-pool,all-answered,1,"])
    return [str(canvas_zip), str(resubmitted), str(folder)], marks


def test_job_counts_give_identical_bytes_for_a_varied_class(capsys, tmp_path: Path,
                                                             canvas_zip: Path):
    inputs, marks = varied_class(tmp_path, canvas_zip)
    digests, logs = [], []
    for jobs, target in (("1", "a"), ("2", "b"), ("3", "c")):
        out = tmp_path / target
        code, _, err = score(capsys, *inputs, "--out", str(out), "--jobs", jobs,
                             "--overrides", str(marks), "--canvas-assignment", "Portfolio (9)")
        assert code == 0
        digests.append(tree_digest(out))
        logs.append(re.sub(r" in [0-9.]+ s", "", err.replace(str(out), "OUT")))
    assert digests[0] == digests[1] == digests[2]
    assert logs[0] == logs[1] == logs[2]
    assert "not applied: the submission is invalid" in logs[0]
    assert "not applied: no such submission" in logs[0]
    results = json.loads((tmp_path / "a" / "results.json").read_text())
    assert results["summary"]["set_aside"] == 3 and results["similarity"]["pairs"]
    for flags in (["--format", "json"], []):
        shown = {score(capsys, *inputs, "--overrides", str(marks), "--jobs", jobs, *flags)[1]
                 for jobs in ("1", "2")}
        assert len(shown) == 1


def test_each_submission_is_written_as_the_general_encoder_would(capsys, tmp_path: Path,
                                                                 canvas_zip: Path):
    """results.json's rows are put together by hand, for speed: they must match json.dumps."""
    from workbook import gradebook, overrides
    from workbook.batch import grade_all
    from workbook.intake import iter_inputs
    from workbook.reporters import results_json

    inputs, marks = varied_class(tmp_path, canvas_zip)
    catalog = load_catalog(ROOT)
    index = gradebook.index_overrides(overrides.parse(marks.read_text(), str(marks), catalog))
    entries = [gradebook.make_entry(i, *g, override_index=index)
               for i, g in enumerate(grade_all(iter_inputs(inputs), catalog))]
    assert {e.status for e in entries} == {"scored", "invalid", "empty", "unreadable",
                                           "unknown-exercise"}
    assert any(c.graded_by == "instructor" for e in entries if e.score for c in e.score.criteria)
    for entry in entries:
        expected = json.dumps(entry.to_dict(), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode()
        assert results_json.entry_bytes(entry) == expected


def test_inputs_are_never_modified(capsys, tmp_path: Path, canvas_zip: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (canvas_zip, folder / "a.yaml")}
    score(capsys, str(canvas_zip), str(folder), "--out", str(tmp_path / "out"))
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in before}
    assert before == after
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml"]


def test_out_inside_the_submissions_is_refused(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    code, _, err = score(capsys, str(folder), "--out", str(folder / "results"))
    assert code == 2 and "inside the submissions folder" in err
    assert not (folder / "results").exists()


def test_stale_feedback_is_removed_on_rerun(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    (folder / "b.yaml").write_bytes(as_learner(example("contact-inventory"), "Bo", "b1"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    (folder / "b.yaml").unlink()
    (out / "feedback" / "notes-by-instructor.txt").write_text("keep me")
    score(capsys, str(folder), "--out", str(out))
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "a1.html", "a1.md", "notes-by-instructor.txt"]


def test_a_rerun_replaces_every_output_of_the_last_one(capsys, tmp_path: Path):
    """Issue 14: a canvas.csv from an earlier run stayed in --out, looking current."""
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out), "--canvas-assignment", "Portfolio (9)")
    assert (out / "canvas.csv").exists()
    (out / "my-notes.md").write_text("the instructor's own")
    code, _, _ = score(capsys, str(folder), "--out", str(out))
    assert code == 0 and not (out / "canvas.csv").exists()
    assert (out / "my-notes.md").read_text() == "the instructor's own"
    listed = (out / ".workbook-outputs").read_text().split()
    assert listed == sorted(["feedback/a1.html", "feedback/a1.md", "grades.csv", "report.html",
                             "results.json"])


def test_a_folder_no_run_wrote_is_refused(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    code, _, err = score(capsys, str(folder), "--out", str(out))
    assert code == 2 and "already holds files that no workbook run wrote" in err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert score(capsys, str(folder), "--out", str(empty))[0] == 0


def test_an_interrupted_first_run_does_not_lock_its_folder(capsys, tmp_path: Path, monkeypatch):
    from workbook import pipeline

    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "write_reports", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        from workbook.class_run import Options, run
        run(Options(paths=(str(folder),), out=out), load_catalog(ROOT), io.StringIO())
    monkeypatch.undo()
    assert score(capsys, str(folder), "--out", str(out))[0] == 0


def _names_the_slow_way(stems: list[str]) -> list[str]:
    """The rule assign_names follows, written the obvious (quadratic) way."""
    used: set[str] = set()
    names = []
    for stem in stems:
        candidate, number = stem, 2
        while candidate in used:
            candidate, number = f"{stem}-{number}", number + 1
        used.add(candidate)
        names.append(candidate)
    return names


@given(st.lists(st.sampled_from(["ann", "ann-2", "ann-3", "ann-2-2", "bo", "unidentified"]),
                max_size=40))
def test_feedback_names_follow_the_collision_rule(stems: list[str]):
    from workbook.records import Summary
    from workbook.reporters.feedback import assign_names

    entries = {f"key{i}": [Summary(i, f"f{i}.yaml", f"key{i}", stem, "", "", "", "scored",
                                   False, None, None)]
               for i, stem in enumerate(stems)}
    names = assign_names(entries, entries)
    assert [names[f"key{i}"] for i in range(len(stems))] == _names_the_slow_way(stems)
    assert len(set(names.values())) == len(stems)


def test_many_unidentified_learners_get_numbered_pages(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    for index in range(3):  # nothing in the file or its name says who handed it in
        (folder / f"{index}.yaml").write_bytes(b"exercise: [unclosed\n")
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "unidentified-2.html", "unidentified-2.md", "unidentified-3.html", "unidentified-3.md",
        "unidentified.html", "unidentified.md"]


def _worker_dies(chunk: object) -> object:
    os._exit(3)  # as a worker killed by the system would: no exception, no result


def test_a_worker_that_dies_is_reported_not_waited_for(capsys, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    from workbook import pipeline

    folder = class_folder(tmp_path)
    for index in range(3):
        (folder / f"{index}.yaml").write_bytes(
            as_learner(example("contact-inventory"), f"L{index}", f"id{index}"))
    # The workers are forked, so they see the patched module; pickling finds the
    # function by its module and name, which must therefore be the patched ones.
    monkeypatch.setattr(_worker_dies, "__module__", pipeline.__name__)
    monkeypatch.setattr(_worker_dies, "__qualname__", "_grade_chunk")
    monkeypatch.setattr(pipeline, "_grade_chunk", _worker_dies)
    out = tmp_path / "out"
    code, _, err = score(capsys, str(folder), "--out", str(out), "--jobs", "2")
    assert code == 2
    assert "a worker process stopped before finishing" in err and "Traceback" not in err
    assert not (out / "results.json").exists()
    # no spool left behind
    assert sorted(p.name for p in out.iterdir()) == [".workbook-outputs", "feedback"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_while_grading_is_one_line(capsys, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, jobs: str):
    import errno

    from workbook import spool

    def full(self: spool.Writer) -> None:
        if self._pending:
            raise OSError(errno.ENOSPC, "No space left on device")

    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    monkeypatch.setattr(spool.Writer, "flush", full)  # the workers are forked: they see it
    out = tmp_path / "out"
    code, _, err = score(capsys, str(folder), "--out", str(out), "--jobs", jobs)
    assert (code, err) == (2, f"workbook: cannot write to {out}: No space left on device\n")
    # the spool is gone too
    assert sorted(p.name for p in out.iterdir()) == [".workbook-outputs", "feedback"]


def test_ctrl_c_exits_130_with_a_sentence(capsys, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch):
    from workbook import score_command

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(score_command, "run_score", interrupted)
    code, _, err = score(capsys, str(tmp_path))
    assert code == 130
    assert err == ("workbook: interrupted; files already written are complete, "
                   "the rest were not written.\n")


@pytest.mark.parametrize("make_args", [
    lambda tmp: [str(tmp / "missing")],
    lambda tmp: [str(tmp), "--jobs", "0"],
    lambda tmp: [str(tmp), "--id-pattern", "(unclosed"],
])
def test_usage_errors_exit_2(capsys, tmp_path: Path, make_args):
    (tmp_path / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "A", "1"))
    code, _, err = score(capsys, *make_args(tmp_path))
    assert code == 2 and err.startswith("workbook:")


@pytest.mark.parametrize(("flags", "said"), [
    (["--canvas-assignment", "Networking portfolio"], "has no assignment id in brackets"),
    (["--canvas-assignment", ""], "'(empty)' has no assignment id"),
    (["--canvas-assignment", "(1001)"], "has no assignment id"),
    (["--canvas-assignment", "Portfolio (1001)", "--no-out"], "add --out DIR"),
    (["--id-pattern", r"\d+"], "needs a named group (?P<id>...) or (?P<name>...)"),
    (["--id-pattern", r"(?P<student>\d+)"], "the group(s) student, which mean nothing"),
])
def test_silent_traps_are_refused_with_what_to_do(capsys, tmp_path: Path, flags, said):
    """Issue 14: each of these used to be accepted and to do the wrong thing quietly
    (a new Canvas column, no canvas.csv, every file a learner of its own)."""
    (tmp_path / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "A", "1"))
    out = [] if "--no-out" in flags else ["--out", str(tmp_path / "out")]
    code, _, err = score(capsys, str(tmp_path / "a.yaml"), *out,
                         *[f for f in flags if f != "--no-out"])
    assert code == 2 and said in err, err
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_nothing_found_exits_2(capsys, tmp_path: Path):
    code, _, err = score(capsys, str(tmp_path))
    assert code == 2 and "no worksheets found" in err


def test_unwritable_out_exits_2(capsys, tmp_path: Path):
    (tmp_path / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "A", "1"))
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    code, _, err = score(capsys, str(tmp_path / "a.yaml"), "--out", str(blocker / "out"))
    assert code == 2 and "cannot create" in err


def test_a_truncated_export_fails_the_run_and_names_nobody(capsys, tmp_path: Path,
                                                           canvas_zip: Path):
    cut = tmp_path / "cut.zip"
    cut.write_bytes(canvas_zip.read_bytes()[:300])
    code, out, err = score(capsys, str(cut), "--fail-on-invalid", "--format", "json")
    assert code == 1 and "Scored 1 submission from 1 learner " in err
    (only,) = json.loads(out)["submissions"]
    assert only["problems"][0]["code"] == "archive.invalid"
    assert only["notes"] == []  # no "no name or id" note: the export is at fault


def test_fail_on_invalid(capsys, tmp_path: Path, canvas_zip: Path):
    assert score(capsys, str(canvas_zip))[0] == 0
    assert score(capsys, str(canvas_zip), "--fail-on-invalid")[0] == 1
    good = tmp_path / "good.yaml"
    good.write_bytes(as_learner(example("contact-inventory"), "A", "1"))
    assert score(capsys, str(good), "--fail-on-invalid")[0] == 0


def test_terminal_table_and_json_without_out(capsys, canvas_zip: Path):
    code, out, err = score(capsys, str(canvas_zip))
    assert code == 0 and "Maya Okafor" in out and "40/40" in out and "Scored 4" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    code, out, _ = score(capsys, str(canvas_zip), "--format", "json")
    RESULTS_SCHEMA.validate(json.loads(out))


def test_canvas_csv_layout(capsys, tmp_path: Path, canvas_zip: Path):
    out = tmp_path / "out"
    score(capsys, str(canvas_zip), "--out", str(out), "--canvas-assignment",
          "Contact inventory (4242)")
    with open(out / "canvas.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Contact inventory (4242)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "40"]
    people = {r[0]: r for r in rows[2:]}
    assert people["Maya Okafor"][1:] == ["20480", "S1", "", "", "40"]
    assert people["reyesdan"][1:] == ["31377", "", "", "", "18.47"]
    assert people["Ann Lee"][5] == ""  # invalid: left ungraded, never a zero


def test_the_run_says_which_exercises_the_canvas_column_sums(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    out = tmp_path / "out"
    _, _, err = score(capsys, str(folder), "--out", str(out), "--canvas-assignment", "P (9)")
    assert "canvas.csv: 'P (9)' holds each learner's points for contact-inventory." in err
    (folder / "b.yaml").write_bytes(as_learner(example("contact-pool"), "Ann", "a1"))
    _, _, err = score(capsys, str(folder), "--out", str(out), "--canvas-assignment", "P (9)")
    assert ("holds each learner's total over 2 exercises (contact-inventory, contact-pool)"
            in err and "a run of its own" in err)


def test_progress_bar_only_on_a_terminal():
    from workbook.score_command import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    items = list(range(120))
    screen = Terminal()
    assert list(_progress(iter(items), screen)) == items  # type: ignore[arg-type]
    assert "Scoring" in screen.getvalue()
    piped = io.StringIO()
    assert list(_progress(iter(items), piped)) == items  # type: ignore[arg-type]
    assert piped.getvalue() == ""


# --- Gradescope -----------------------------------------------------------------------

def gradescope(capsys, folder: Path, out: Path) -> dict:
    code = main(["gradescope", str(folder), "--out", str(out)])
    capsys.readouterr()
    assert code == 0
    return json.loads(out.read_text())


def test_gradescope_one_test_per_criterion(capsys, tmp_path: Path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "plan.yaml").write_bytes(as_learner(example("interview-plan"), "Maya", "m1"))
    result = gradescope(capsys, folder, tmp_path / "results" / "results.json")
    assert result["score"] == 35
    assert all({"name", "score", "max_score", "status", "output", "visibility"} <= set(t)
               for t in result["tests"])
    assert all(t["status"] == "passed" for t in result["tests"])
    assert "Scored by hand later" in result["output"]


def test_gradescope_invalid_file_is_a_failed_test(capsys, tmp_path: Path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "c.yaml").write_bytes(example("contact-inventory", "invalid-tier.yaml").encode())
    result = gradescope(capsys, folder, tmp_path / "results.json")
    (test,) = result["tests"]
    assert result["score"] == 0 and test["status"] == "failed" and test["max_score"] == 40
    assert "line 13, column 5" in test["output"] and "Did you mean 'AA'?" in test["output"]


def test_gradescope_scores_an_unreadable_file_as_it_scores_a_blank(capsys, tmp_path: Path):
    """Issue 14: an unreadable file was one failed test worth 0/0, a blank one 0/40."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "my_contact_inventory.yaml").write_bytes(b"contacts:\n\t- name: Dan\n")
    broken = gradescope(capsys, folder, tmp_path / "broken.json")
    (folder / "my_contact_inventory.yaml").write_bytes(
        (ROOT / "exercises" / "contact-inventory" / "worksheet.yaml").read_bytes())
    blank = gradescope(capsys, folder, tmp_path / "blank.json")
    assert [(t["score"], t["max_score"]) for t in broken["tests"]] == [(0, 40)]
    assert [(t["score"], t["max_score"]) for t in blank["tests"]] == [(0, 40)]


def test_gradescope_names_the_exercise_of_each_test_when_there_are_several(capsys,
                                                                          tmp_path: Path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Maya", "m1"))
    alone = gradescope(capsys, folder, tmp_path / "one.json")
    assert not any(t["name"].startswith("Contact inventory: ") for t in alone["tests"])
    (folder / "b.yaml").write_bytes(as_learner(example("interview-plan"), "Maya", "m1"))
    both = gradescope(capsys, folder, tmp_path / "two.json")
    titles = {load_catalog(ROOT).exercises[x].title for x in ("contact-inventory",
                                                             "interview-plan")}
    assert {t["name"].split(": ", 1)[0] for t in both["tests"]} == titles


def test_gradescope_empty_submission(capsys, tmp_path: Path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "notes.txt").write_text("oops")
    result = gradescope(capsys, folder, tmp_path / "results.json")
    assert result["score"] == 0 and result["tests"] == []
    assert "No worksheet" in result["output"]


def demo_script() -> ModuleType:
    """scripts/make_demo_class.py, loaded as a module (it is a script, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "make_demo_class.py")
    assert spec and spec.loader
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    return demo


def test_demo_class_builds_and_scores(capsys, tmp_path: Path):
    demo = demo_script()
    archive = tmp_path / "demo.zip"
    archive.write_bytes(demo.build())
    assert archive.read_bytes() == demo.build()  # deterministic
    out = tmp_path / "out"
    code, _, _ = score(capsys, str(archive), "--out", str(out))
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    counts = results["summary"]["by_status"]
    # Unreadable: Kofi's tab slip and Oskar's PDF, which his file name says he handed in.
    assert counts["unreadable"] == 2 and counts["empty"] == 1 and counts["unknown-exercise"] == 1
    pdf = next(e for e in results["submissions"] if e["source"].endswith("notes.pdf"))
    assert pdf["problems"][0]["message"] == "This is a PDF, not a text file."
    assert pdf["learner"]["lms_id"] == "2114"
    tab = next(e for e in results["submissions"]
               if "boatengkofi" in e["source"] and e["status"] == "unreadable")
    assert tab["exercise"] == "pitch-practice"  # the exercise its name states
    assert results["summary"]["late"] == 1 and results["summary"]["set_aside"] >= 1
    assert [(p["first"]["learner"], p["second"]["learner"])
            for p in results["similarity"]["pairs"]] == [("Ivan Petrov", "Jade Thompson")]
    assert os.path.getsize(out / "report.html") > 5000


def test_streamed_results_json_equals_the_whole_document(capsys, tmp_path: Path,
                                                         canvas_zip: Path):
    from workbook.batch import grade_all
    from workbook.gradebook import make_entry
    from workbook.intake import iter_inputs

    out = tmp_path / "out"
    score(capsys, str(canvas_zip), "--out", str(out))
    written = (out / "results.json").read_bytes()
    document = json.loads(written)
    whole = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert written == (whole + "\n").encode()
    graded = grade_all(iter_inputs([str(canvas_zip)]), load_catalog(ROOT))
    entries = {e.source: e.to_dict() for e in (make_entry(i, *g)
                                                for i, g in enumerate(graded))}
    assert document["submissions"] == [entries[s["source"]] for s in document["submissions"]]
    assert len(document["submissions"]) == 4


def test_a_class_run_from_options_alone(tmp_path: Path, canvas_zip: Path):
    """The one entry point, without the command line: Options in, ClassResult out, and
    the terminal's results.json is the written one."""
    from workbook.class_run import Options, UsageError, run

    catalog = load_catalog(ROOT)
    out = tmp_path / "out"
    written = run(Options(paths=(str(canvas_zip),), out=out, jobs=2), catalog, io.StringIO())
    assert written.counts()["scored"] == 2 and len(written.skipped) == 1
    assert sorted(p.name for p in out.iterdir()) == [  # no spool left behind
        ".workbook-outputs", "canvas-feedback.zip", "feedback", "grades.csv", "report.html",
        "results.json"]
    terminal = io.StringIO()
    shown = run(Options(paths=(str(canvas_zip),), terminal_format="json"), catalog, terminal)
    assert terminal.getvalue().encode() == (out / "results.json").read_bytes()
    assert ([e._replace(location=None) for e in shown.entries]
            == [e._replace(location=None) for e in written.entries])  # spooled elsewhere
    empty = class_folder(tmp_path)
    with pytest.raises(UsageError, match="no worksheets found"):
        run(Options(paths=(str(empty),), out=tmp_path / "none"), catalog, io.StringIO())


def test_identity_notes_go_to_the_instructor_not_the_learner(capsys, tmp_path: Path):
    archive = make_zip(tmp_path / "a.zip", [
        ("reyesdan_31377_900_x.yaml", as_learner(example("contact-inventory"), "Maya Okafor"))])
    out = tmp_path / "out"
    score(capsys, str(archive), "--out", str(out))
    (row,) = read_csv(out / "grades.csv")
    assert "Identity: the worksheet says 'Maya Okafor'" in row["problems"]
    (submission,) = json.loads((out / "results.json").read_text())["submissions"]
    assert submission["notes"][0].startswith("Identity: the worksheet says")
    for page in (out / "feedback").iterdir():
        assert "Identity" not in page.read_text() and "file name says" not in page.read_text()


@pytest.mark.parametrize(("points", "status"), [(0, "fail"), (2.5, "partial"), (5, "pass")])
def test_overrides_follow_the_scores_rule_for_status_and_totals(points: float, status: str):
    from workbook import overrides
    from workbook.scoring import CriterionResult, Score

    def criterion(key: str, got: float | None, state: str) -> CriterionResult:
        return CriterionResult(key, key, "manual" if got is None else "count", "", got, 5.0,
                               state, "", "")

    before = Score("x", 3.0, 10.0, 5.0, (criterion("a", 3.0, "partial"),
                                         criterion("b", None, "pending")))
    row = overrides.Override(2, "m1", "x", "b", points, "")
    after = overrides.apply(before, [row])
    assert after.criteria[1].status == status and after.criteria[1].graded_by == "instructor"
    assert (after.points, after.pending_points) == (3.0 + points, 0.0)
    assert after.criteria[1].detail == "Scored by your instructor."


def test_records_and_reporters_import_nothing_of_the_batch_side():
    import subprocess
    import sys

    probe = ("import sys, workbook.records, workbook.reporters.outputs, "
             "workbook.reporters.text, workbook.reporters.json_report; "
             "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                check=True, cwd=ROOT).stdout.split())
    batch_side = {"multiprocessing", "concurrent.futures", "workbook.batch", "workbook.pipeline",
                  "workbook.spool", "workbook.class_run", "workbook.gradebook"}
    assert not loaded & batch_side


# --- every file a learner handed in is accounted for (issue 14) ----------------------------

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def test_a_learners_pdf_gets_its_row_and_never_displaces_their_worksheet(capsys,
                                                                        tmp_path: Path):
    archive = make_zip(tmp_path / "export.zip", [
        ("okaformaya_20480_501_contact-inventory.yaml",
         as_learner(example("contact-inventory"), "Maya Okafor", "S1")),
        # Handed in beside it, in a later submission: a PDF of the same exercise.
        ("okaformaya_20480_601_contact_inventory.pdf", PDF),
        # Dan handed in only a Word file.
        ("reyesdan_31377_502_contact-pool.docx",
         make_zip(tmp_path / "d.docx", [("word/document.xml", b"<w:document/>")]).read_bytes()),
        ("instructions.pdf", PDF),  # not named as a learner's file: skipped, with why
    ])
    out = tmp_path / "out"
    code, _, _ = score(capsys, str(archive), "--out", str(out))
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    rows = {e["source"].rsplit("!", 1)[1]: e for e in results["submissions"]}
    maya = rows["okaformaya_20480_501_contact-inventory.yaml"]
    assert maya["status"] == "scored" and maya["score"]["points"] == 40
    (aside,) = results["set_aside"]
    assert aside["source"].endswith("contact_inventory.pdf")
    assert "this one is unreadable, so the one with answers counts" in aside["reason"]
    dan = rows["reyesdan_31377_502_contact-pool.docx"]
    assert (dan["status"], dan["exercise"]) == ("unreadable", "contact-pool")
    assert dan["problems"][0]["message"] == "This is a Word document, not a text file."
    assert [s["reason"] for s in results["skipped"]] == ["not a worksheet (.pdf)"]
    grades = {r["source"].rsplit("!", 1)[1]: r for r in read_csv(out / "grades.csv")}
    assert "Word document" in grades["reyesdan_31377_502_contact-pool.docx"]["problems"]
    page = (out / "feedback" / "31377.md").read_text()
    assert "Word document" in page and "Unknown exercise" not in page


def test_a_big_pdf_in_an_export_is_named_not_called_too_big(capsys, tmp_path: Path):
    archive = make_zip(tmp_path / "export.zip", [
        ("okaformaya_20480_501_contact-inventory.pdf", PDF * 300)])  # about 3 MB
    code, out, _ = score(capsys, str(archive), "--format", "json")
    assert code == 0
    (only,) = json.loads(out)["submissions"]
    assert only["problems"][0]["code"] == "file.pdf"


def test_one_learner_has_one_identity_whatever_became_of_each_file(capsys, tmp_path: Path):
    """Issue 14: Gareth's empty file showed as 'evansgareth' with no student number, his
    feedback page was titled by the slug, and canvas.csv took the empty file's blank
    SIS id, because each row kept what its own file said."""
    blank = (ROOT / "exercises" / "interview-plan" / "worksheet.yaml").read_bytes()
    archive = make_zip(tmp_path / "export.zip", [
        ("evansgareth_12305_700_contact-pool.yaml", b""),  # empty: comes first, names nobody
        ("evansgareth_12305_701_contact-inventory.pdf", PDF),
        ("evansgareth_12305_702_contact-inventory.yaml",
         as_learner(example("contact-inventory"), "Gareth Evans", "S24005")),
        ("evansgareth_12305_703_interview-plan.yaml", blank),
    ])
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, _, _ = score(capsys, str(archive), "--out", str(out), "--jobs", jobs,
                           "--canvas-assignment", "Portfolio (9)")
        assert code == 0
        rows = read_csv(out / "grades.csv")
        assert {(r["learner_id"], r["learner_name"]) for r in rows} == {
            ("S24005", "Gareth Evans")}
        assert len(rows) == 3  # the PDF was set aside for the worksheet beside it
        results = json.loads((out / "results.json").read_text())
        assert {(e["learner"]["id"], e["learner"]["name"])
                for e in results["submissions"]} == {("S24005", "Gareth Evans")}
        assert sorted(p.name for p in (out / "feedback").iterdir()) == ["s24005.html",
                                                                          "s24005.md"]
        page = (out / "feedback" / "s24005.md").read_text()
        assert page.startswith("# Feedback for Gareth Evans\n")
        canvas_rows = list(csv.reader((out / "canvas.csv").read_text().splitlines()))
        assert canvas_rows[2][:3] == ["Gareth Evans", "12305", "S24005"]
    assert (tmp_path / "out1" / "grades.csv").read_bytes() == \
        (tmp_path / "out2" / "grades.csv").read_bytes()
    assert (tmp_path / "out1" / "results.json").read_bytes() == \
        (tmp_path / "out2" / "results.json").read_bytes()


def test_a_rewritten_row_keeps_every_other_cell():
    from workbook.reporters import grades_csv, results_json

    row = grades_csv._line(["=1", "slug", "x", "1", "2", "50", "scored", "no", "a,b",
                            'say "hi"\n'])
    fixed = grades_csv.with_identity(row, "S1", "=Ann")
    assert next(csv.reader(io.StringIO(fixed.decode(), newline=""))) == [
        "S1", "'=Ann", "x", "1", "2", "50", "scored", "no", "a,b", 'say "hi"\n']
    obj = b'{"learner":{"email":"","id":"","key":"lms:1","lms_id":"1","name":"slug"},"z":1}'
    assert results_json.with_identity(obj, "S1", "Ann") == (
        b'{"learner":{"email":"","id":"S1","key":"lms:1","lms_id":"1","name":"Ann"},"z":1}')


# --- report.html opens with the roster (issue 14 part 1) -----------------------------------

def _demo_report(capsys, tmp_path: Path) -> tuple[Path, dict]:
    demo = demo_script()
    archive = tmp_path / "demo.zip"
    archive.write_bytes(demo.build())
    out = tmp_path / "out"
    assert score(capsys, str(archive), "--out", str(out))[0] == 0
    return out, json.loads((out / "results.json").read_text())


def test_the_report_opens_with_a_roster_of_every_learner(capsys, tmp_path: Path):
    import re as regex

    out, results = _demo_report(capsys, tmp_path)
    page = (out / "report.html").read_text()
    roster = page[page.index("<h2 id=roster>"):page.index("<h2>Exercises</h2>")]
    assert page.index("<h2 id=roster>") < page.index("<h2>Exercises</h2>")  # first
    rows = regex.findall(r"<tr(?: class=attention)?><td[^>]*><a href=\"feedback/([^\"]+)\">"
                         r"([^<]+)</a>", roster)
    assert len(rows) == results["summary"]["learners"] == 20
    for link, _ in rows:  # every name opens that learner's feedback page
        assert (out / "feedback" / link).is_file()
    ivan = roster[roster.index(">Ivan Petrov<"):].split("</tr>", 1)[0]
    assert "<span class=flag>similar</span>" in ivan
    kofi = roster[roster.index(">Kofi Boateng<"):].split("</tr>", 1)[0]
    assert "<span class=flag>unreadable</span>" in kofi and ">unreadable</td>" in kofi
    hana = roster[roster.index(">Hana Sato<"):].split("</tr>", 1)[0]
    assert "<span class=flag>resubmitted</span>" in hana
    gustav = roster[roster.index(">Gustav"):].split("</tr>", 1)[0]
    assert "<span class=flag>late</span>" in gustav
    assert "<input type=checkbox id=attention>" in roster
    assert "#attention:checked~.scroll .roster tbody tr:not(.attention){display:none}" in page


@pytest.mark.browser
def test_the_roster_sorts_filters_and_fits_a_phone(capsys, tmp_path: Path, browser,
                                                    canvas_zip: Path):
    out, _ = _demo_report(capsys, tmp_path)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto((out / "report.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    totals = "Array.from(document.querySelectorAll('table.roster tbody tr')).map(" \
             "r => parseFloat(r.cells[r.cells.length - 2].dataset.value))"
    page.click("table.roster th:has-text('Total')")
    ascending = page.evaluate(totals)
    assert ascending == sorted(ascending)
    page.click("table.roster th:has-text('Total')")
    assert page.evaluate(totals) == sorted(ascending, reverse=True)
    # The filter, on a class where Maya (40/40, on time) needs no look and three do.
    small = tmp_path / "small"
    assert score(capsys, str(canvas_zip), "--out", str(small))[0] == 0
    page.goto((small / "report.html").as_uri())
    visible = ("Array.from(document.querySelectorAll('table.roster tbody tr'))"
               ".filter(r => r.offsetParent !== null).map(r => r.cells[0].innerText)")
    assert len(page.evaluate(visible)) == 4
    page.click("label.filter")
    assert "Maya Okafor" not in page.evaluate(visible) and len(page.evaluate(visible)) == 3
    page.close()


def test_next_steps_in_feedback_are_a_numbered_list(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    blank = (ROOT / "exercises" / "contact-pool" / "worksheet.yaml").read_text()
    (folder / "a.yaml").write_text(blank.replace('name: ""', 'name: "Ann"', 1)
                                   .replace('id: ""', 'id: "a1"', 1))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    md = (out / "feedback" / "a1.md").read_text()
    assert "\n- This worksheet is still blank. Next steps:\n\n1. Put your name" in md
    assert "- 1" not in md and "\n2. Fill in each part" in md
    html = (out / "feedback" / "a1.html").read_text()
    assert "<ol><li>Put your name under `learner:`.</li>" in html


# --- grades and feedback back into the LMS (issue 14 part 4) -------------------------------
# Each test holds one rule of the LMS's own importer (see workbook/reporters/lms_returns.py
# for where in canvas-lms and moodle each rule is).

def test_canvas_feedback_zip_follows_re_upload_submissions_rules(capsys, tmp_path: Path,
                                                                 canvas_zip: Path):
    out = tmp_path / "out"
    assert score(capsys, str(canvas_zip), "--out", str(out))[0] == 0
    with zipfile.ZipFile(out / "canvas-feedback.zip") as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    results = json.loads((out / "results.json").read_text())
    counted = {(e["learner"]["lms_id"], str(e["submission_id"]))
               for e in results["submissions"]}
    assert len(members) == 4  # one per learner with a Canvas id
    for name, data in members.items():
        base = name.rsplit("/", 1)[-1]
        assert not base.startswith("._")
        user_id, attachment_id = [part for part in base.split("_") if part.isdigit()][:2]
        assert (user_id, attachment_id) in counted  # a file of theirs that counted
        assert data.startswith(b"<!doctype html>")
    maya = next(d for n, d in members.items() if "_20480_" in n)
    assert b"Feedback for Maya Okafor" in maya


def moodle_zip(tmp_path: Path) -> Path:
    return make_zip(tmp_path / "moodle.zip", [
        ("Maya Okafor_12345_assignsubmission_file_/contacts.yaml",
         as_learner(example("contact-inventory"), "Maya Okafor", "S1")),
        ("Dan_the_Planner Reyes_12346_assignsubmission_file_/mine.yaml",
         as_learner(example("contact-inventory", "partial.yaml"), "", "")),
        ("Ann Lee_12347_assignsubmission_file_/notes.pdf", PDF),
    ])


def test_moodle_feedback_zip_follows_upload_feedback_files_rules(capsys, tmp_path: Path):
    out = tmp_path / "out"
    assert score(capsys, str(moodle_zip(tmp_path)), "--out", str(out))[0] == 0
    with zipfile.ZipFile(out / "moodle-feedback.zip") as archive:
        names = archive.namelist()
        pages = {name: archive.read(name) for name in names}
    assert len(names) == 3
    seen = set()
    for name in names:
        first, *rest = name.split("/")
        info = first.split("_", 4)  # as Moodle splits a path part: at most five pieces
        assert len(info) >= 4 and info[1].isdigit() and info[2:4] == ["assignfeedback", "file"]
        assert rest and not rest[-1].startswith((".", "~"))
        seen.add(info[1])
    assert seen == {"12345", "12346", "12347"}  # "Dan_the_Planner" cannot move the number
    assert b"Feedback for Maya Okafor" in next(
        d for n, d in pages.items() if "_12345_" in n)
    assert not (out / "canvas-feedback.zip").exists()


def test_moodle_grading_worksheet_follows_its_import_rules(capsys, tmp_path: Path):
    out = tmp_path / "out"
    assert score(capsys, str(moodle_zip(tmp_path)), "--out", str(out))[0] == 0
    raw = (out / "moodle-grades.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))  # UTF-8, commas
    header = list(rows[0])
    for needed in ("Identifier", "Grade", "Last modified (grade)", "Feedback comments"):
        assert needed in header
    by_id = {r["Identifier"]: r for r in rows}
    assert set(by_id) == {"Participant 12345", "Participant 12346", "Participant 12347"}
    maya = by_id["Participant 12345"]
    assert (maya["Grade"], maya["Maximum Grade"]) == ("40", "40")
    assert float(by_id["Participant 12346"]["Grade"]) <= 40
    assert by_id["Participant 12347"]["Grade"] == ""  # unreadable: left ungraded, not 0
    assert "not scored (unreadable)" in by_id["Participant 12347"]["Feedback comments"]
    assert "Contact inventory: 40 of 40." in maya["Feedback comments"]


def test_a_class_from_no_lms_gets_no_lms_files(capsys, tmp_path: Path):
    folder = class_folder(tmp_path)
    (folder / "a.yaml").write_bytes(as_learner(example("contact-inventory"), "Ann", "a1"))
    out = tmp_path / "out"
    score(capsys, str(folder), "--out", str(out))
    assert not any((out / name).exists() for name in (
        "canvas-feedback.zip", "moodle-grades.csv", "moodle-feedback.zip"))


# --- identity a learner cannot forge (issue 15 part 3) --------------------------------------

def test_in_a_plain_folder_one_id_under_two_names_is_kept_apart_and_flagged(capsys,
                                                                           tmp_path: Path):
    """A file saying learner.id 20480 used to set aside the real 20480's 40/40 as an
    'older resubmission' and count its own partial work as theirs."""
    folder = class_folder(tmp_path)
    (folder / "a-maya.yaml").write_bytes(as_learner(example("contact-inventory"),
                                                    "Maya Okafor", "20480"))
    (folder / "b-eve.yaml").write_bytes(as_learner(example("contact-inventory", "partial.yaml"),
                                                   "Eve Mallory", "20480"))
    out = tmp_path / "out"
    assert score(capsys, str(folder), "--out", str(out))[0] == 0
    results = json.loads((out / "results.json").read_text())
    assert results["set_aside"] == []
    people = {e["learner"]["name"]: e for e in results["submissions"]}
    assert people["Maya Okafor"]["score"]["points"] == 40
    for person in people.values():
        assert any("name different people (Eve Mallory, Maya Okafor)" in n
                   for n in person["notes"])
    rows = read_csv(out / "grades.csv")
    assert len(rows) == 2 and all("kept apart" in r["problems"] for r in rows)
    report = (out / "report.html").read_text()
    assert report.count("kept apart as different learners") >= 2  # Identity questions


def test_in_a_plain_folder_an_override_by_a_shared_id_reaches_both_and_says_so(
        capsys, tmp_path: Path):
    """With nothing but the worksheets to go by, the run cannot tell which of the two
    is 20480: the override reaches both, and the run says so and what to do."""
    folder = class_folder(tmp_path)
    for name, person in (("a-maya.yaml", "Maya Okafor"), ("b-eve.yaml", "Eve Mallory")):
        (folder / name).write_bytes(as_learner(example("interview-plan"), person, "20480"))
    manual, most = manual_criterion("interview-plan")
    marks = overrides_file(tmp_path, [f"20480,interview-plan,{manual},{most:g},"])
    code, _, err = score(capsys, str(folder), "--out", str(tmp_path / "out"),
                         "--overrides", str(marks))
    assert code == 0
    assert "Override on line 2 for 20480 (interview-plan) was applied to the work of 2 " \
        "learners" in err
    assert "Correct the id in the worksheet that is not theirs" in err


def claimed_id_export(tmp_path: Path, third: bool = False) -> Path:
    """User 1007 writes learner 1001's student number S20480 into their worksheet;
    with ``third``, user 1010 (who claims nobody) hands in too."""
    members = [
        ("okaformaya_1001_501_interview-plan.yaml",
         as_learner(example("interview-plan"), "Maya Okafor", "S20480")),
        ("malloryeve_1007_502_interview-plan.yaml",
         as_learner(example("interview-plan"), "Eve Mallory", "S20480")),
    ]
    if third:
        members.append(("reyesdan_1010_503_interview-plan.yaml",
                        as_learner(example("interview-plan"), "Dan Reyes", "S31377")))
    return make_zip(tmp_path / "export.zip", members)


def manual_criterion(exercise: str) -> tuple[str, float]:
    rubric = load_catalog(ROOT).exercises[exercise].rubric
    criterion = next(c for c in rubric.criteria if c.kind == "manual")
    return criterion.id, criterion.points


def test_in_a_canvas_export_the_user_id_decides_and_a_claimed_id_is_a_question(capsys,
                                                                             tmp_path: Path):
    """User 1007 wrote learner 1001's student number: both rows showed S20480, the
    instructor's override for S20480 reached both, and Identity questions said None.
    Now each row is its LMS user's, and an override by the contested id reaches neither
    (it cannot say whose work it is), with a note saying to use the LMS user id."""
    manual, most = manual_criterion("interview-plan")
    marks = overrides_file(tmp_path, [f"S20480,interview-plan,{manual},{most:g},"])
    out = tmp_path / "out"
    code, _, err = score(capsys, str(claimed_id_export(tmp_path)), "--out", str(out),
                         "--overrides", str(marks))
    assert code == 0
    rows = {r["learner_name"]: r for r in read_csv(out / "grades.csv")}
    assert (rows["Maya Okafor"]["learner_id"], rows["Eve Mallory"]["learner_id"]) == (
        "1001", "1007")
    assert "which the worksheets of another LMS user (1007) give too" in \
        rows["Maya Okafor"]["problems"]
    assert ("Override on line 2 for S20480 (interview-plan) not applied: the worksheets of "
            "more than one LMS user (1001, 1007) give that learner id") in err
    results = json.loads((out / "results.json").read_text())
    for submission in results["submissions"]:
        criterion = next(c for c in submission["score"]["criteria"] if c["id"] == manual)
        assert criterion["points"] is None, submission["learner"]  # pending for both
    for page in (out / "feedback").glob("*.md"):
        assert "Scored by your instructor" not in page.read_text()
    report = (out / "report.html").read_text()
    assert "Identity questions</h2><p class=muted>None" not in report


def test_an_override_by_lms_user_id_reaches_only_that_user_when_the_id_is_contested(
        capsys, tmp_path: Path):
    """What the note tells the instructor to do works: the same points keyed by the
    LMS user id go to that learner alone."""
    manual, most = manual_criterion("interview-plan")
    marks = overrides_file(tmp_path, [f"1001,interview-plan,{manual},{most:g},Clear plan."])
    out = tmp_path / "out"
    code, _, err = score(capsys, str(claimed_id_export(tmp_path)), "--out", str(out),
                         "--overrides", str(marks))
    assert code == 0 and "Override" not in err
    results = json.loads((out / "results.json").read_text())
    given = {s["learner"]["lms_id"]: next(c for c in s["score"]["criteria"]
                                          if c["id"] == manual)["points"]
             for s in results["submissions"]}
    assert given == {"1001": most, "1007": None}


def test_an_uncontested_learner_keeps_the_override_by_the_id_they_state(capsys,
                                                                      tmp_path: Path):
    """The outcome rendered in case of a contest is dropped when there is none: user
    1010's override by their own student number is applied, in every output."""
    manual, most = manual_criterion("interview-plan")
    marks = overrides_file(tmp_path, [f"S31377,interview-plan,{manual},{most:g},Clear plan."])
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, _, err = score(capsys, str(claimed_id_export(tmp_path, third=True)), "--out",
                             str(out), "--overrides", str(marks), "--jobs", jobs)
        assert code == 0 and "Override" not in err
        outs.append(out)
    rows = {r["learner_name"]: r for r in read_csv(outs[0] / "grades.csv")}
    assert float(rows["Dan Reyes"]["score"]) == float(rows["Maya Okafor"]["score"]) + most
    dan = next(p for p in (outs[0] / "feedback").glob("*.md") if "Dan Reyes" in p.read_text())
    assert "Clear plan." in dan.read_text()
    for name in ("grades.csv", "results.json", "report.html"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


# --- the late policy the instructor chooses (issue 14 part 5) ------------------------------

def dated_zip(tmp_path: Path) -> Path:
    """Maya hands in on time (full), then again two days late (partial); Dan only late,
    one day and a bit; the dates are the zip members' own, as an export gives them."""
    path = tmp_path / "dated.zip"
    members = [
        ("okaformaya_20480_501_contact-inventory.yaml", (2026, 11, 30, 10, 0, 0),
         as_learner(example("contact-inventory"), "Maya Okafor", "S1")),
        ("okaformaya_20480_601_contact-inventory.yaml", (2026, 12, 3, 9, 0, 0),
         as_learner(example("contact-inventory", "partial.yaml"), "Maya Okafor", "S1")),
        ("reyesdan_31377_502_contact-inventory.yaml", (2026, 12, 2, 18, 0, 0),
         as_learner(example("contact-inventory"), "Dan Reyes", "S2")),
    ]
    with zipfile.ZipFile(path, "w") as archive:
        for name, when, data in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def test_by_default_the_latest_counts_late_or_not(capsys, tmp_path: Path):
    out = tmp_path / "out"
    score(capsys, str(dated_zip(tmp_path)), "--out", str(out), "--due", "2026-12-01")
    rows = {r["learner_name"]: r for r in read_csv(out / "grades.csv")}
    assert rows["Maya Okafor"]["score"] == "18.47" and rows["Maya Okafor"]["late"] == "yes"
    assert ("Late work:</strong> The latest submission counts, late or not (due 2026-12-01 "
            "23:59)") in (out / "report.html").read_text()


def test_on_time_counts_the_latest_on_time_and_tells_the_learner(capsys, tmp_path: Path):
    out = tmp_path / "out"
    code, _, err = score(capsys, str(dated_zip(tmp_path)), "--out", str(out),
                         "--due", "2026-12-01T23:59", "--late", "on-time")
    assert code == 0
    rows = {r["learner_name"]: r for r in read_csv(out / "grades.csv")}
    assert (rows["Maya Okafor"]["score"], rows["Maya Okafor"]["late"]) == ("40", "no")
    assert (rows["Dan Reyes"]["score"], rows["Dan Reyes"]["late"]) == ("40", "yes")  # only late
    policy = "The latest submission made on time counts (due 2026-12-01 23:59)"
    assert f"Late work: {policy}" in err
    assert policy in (out / "report.html").read_text()
    maya = (out / "feedback" / "s1.md").read_text()
    assert "Your late contact-inventory was not counted" in maya and policy in maya
    assert "not counted" not in (out / "feedback" / "s2.md").read_text()


def test_a_deduction_takes_a_share_per_day_late_and_says_so(capsys, tmp_path: Path):
    out = tmp_path / "out"
    score(capsys, str(dated_zip(tmp_path)), "--out", str(out),
          "--due", "2026-12-01T12:00", "--late-deduction", "10")
    rows = {r["learner_name"]: r for r in read_csv(out / "grades.csv")}
    assert rows["Dan Reyes"]["score"] == "32"  # 1 day 6 hours late: two days, 20% of 40
    dan = (out / "feedback" / "s2.md").read_text()
    assert "Handed in 2 days late: 20% of the points deducted (40 became 32)." in dan
    results = json.loads((out / "results.json").read_text())
    assert next(e for e in results["submissions"]
                if e["learner"]["name"] == "Dan Reyes")["score"]["points"] == 32


@pytest.mark.parametrize(("flags", "said"), [
    (["--late-deduction", "10"], "--late-deduction needs --due"),
    (["--due", "soon"], "is not a date such as 2026-12-01"),
    (["--due", "2026-12-01", "--late-deduction", "150"], "0 to 100"),
    (["--due", "2026-12-01", "--late-deduction", "5", "--late", "on-time"],
     "choose one late policy"),
])
def test_a_late_policy_that_cannot_work_is_refused(capsys, tmp_path: Path, flags, said):
    code, _, err = score(capsys, str(dated_zip(tmp_path)), *flags)
    assert code == 2 and said in err, err


def test_the_demo_class_as_a_moodle_export_gives_the_same_class(capsys, tmp_path: Path):
    """Issue 14's done-when: one class with every case, as a Canvas and as a Moodle
    export; Moodle marks no file late in its name, so the late file is late by date."""
    demo = demo_script()
    summaries = {}
    for lms in ("canvas", "moodle"):
        archive = tmp_path / f"{lms}.zip"
        archive.write_bytes(demo.build(lms=lms))
        out = tmp_path / lms
        code, _, _ = score(capsys, str(archive), "--out", str(out), "--due", demo.DUE)
        assert code == 0
        summaries[lms] = json.loads((out / "results.json").read_text())["summary"]
    assert summaries["canvas"] == summaries["moodle"]
    assert summaries["moodle"]["late"] == 1 and summaries["moodle"]["learners"] == 20
    assert (tmp_path / "moodle" / "moodle-grades.csv").exists()
    assert (tmp_path / "moodle" / "moodle-feedback.zip").exists()
    assert (tmp_path / "canvas" / "canvas-feedback.zip").exists()
