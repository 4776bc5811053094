"""Every slip named for what it is, on the line where it was made: checker and form alike.

Each case below is a file a learner could hand in; ``workbook check`` (through
workbook/loader.py and workbook/slips.py) and the form's Open (web/form/yaml-read.js
and slips.js, run by node through tests/slips_harness.mjs) must both refuse it with
the same code, line, column and words. The slips, and where each was seen:

* a Word document (.docx, old .doc), PDF, picture (PNG, JPEG, GIF, WebP, HEIC,
  TIFF), spreadsheet (.xlsx, .xls, .ods), .odt, .pptx, Pages, RTF, zip or saved web
  page under a .yaml name (``file.*``): issue 13, a learner working in Word;
* a non-breaking or other Unicode space in the indentation or after a colon
  (``paste.space``), an en or em dash or a bullet where the list's hyphen belongs
  (``paste.dash``), curly quotes that do not protect a colon (``paste.curly-quote``):
  issue 13, text pasted from word processors and web pages;
* an answer wrapped onto the next line at or left of its field's column
  (``slip.wrapped-answer``): issue 13;
* no space after a colon, ``tier:A`` (``slip.no-space-after-colon``):
  swar/Swar-Chia-Plot-Manager#250;
* ``*``, ``&``, ``@``, ``%``, ``!``, a backtick, ``|``, ``>``, ``? `` or ``- `` at the
  start of an answer (``slip.reserved-start``, ``yaml.alias``, ``yaml.anchor``,
  ``yaml.tag``): issue 13;
* a colon and a space inside an answer (``slip.colon-in-answer``): jaspervdj/hakyll#455,
  eyeseast/python-frontmatter#70, garbagemule/MobArena#51;
* a field indented under a field that already has an answer (``slip.over-indented``):
  de-jcup/eclipse-yaml-editor#64;
* ``"Dan" the planner`` or ``[optional] note``: text after a closed quote or bracket
  (``slip.closed-then-more``);
* ``-name: Dan``, no space after a list's hyphen (``slip.list-dash-space``);
* ``“name”: Dan``, a field name in curly quotes, as Word's "smart quotes" write
  it (``paste.curly-key``): issue 13;
* ``name: #1 fan``, an answer read as a comment, so empty (``slip.hash-answer``):
  issue 13; ``# a note`` after a field, with a space after the mark, stays a comment.

libyaml reports several of these a line late (a wrapped answer, a missing space, a
dash); the tests hold the line to the one where the slip was made.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from workbook.loader import load_bytes, load_text
from workbook.problems import Problem, WorkbookError
from workbook.slips import diagnose, file_kind

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "slips_harness.mjs"
NODE = shutil.which("node")

HEAD = "exercise: contact-inventory\n"


def zipped(*members: tuple[str, bytes], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data,
                             compress_type=kind)
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le")


# (name, file, code); the whole file is at fault, so no line.
FILES: list[tuple[str, bytes, str]] = [
    ("docx", zipped(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")),
     "file.word"),
    ("doc", ole("WordDocument"), "file.word-old"),
    ("xls", ole("Workbook"), "file.spreadsheet"),
    ("other OLE", ole("Something"), "file.office-old"),
    ("xlsx", zipped(("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")),
     "file.spreadsheet"),
    ("pptx", zipped(("ppt/presentation.xml", b"<p/>")), "file.presentation"),
    ("odt", zipped(("mimetype", b"application/vnd.oasis.opendocument.text"),
                   ("content.xml", b"<x/>"), stored_first=True), "file.odt"),
    ("ods", zipped(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                   ("content.xml", b"<x/>"), stored_first=True), "file.spreadsheet"),
    ("pages", zipped(("Index/Document.iwa", b"\x00")), "file.pages"),
    ("zip", zipped(("worksheet.yaml", HEAD.encode())), "file.zip"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "file.pdf"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "file.image"),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "file.image"),
    ("gif", b"GIF89a" + bytes(40), "file.image"),
    ("webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(40), "file.image"),
    ("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + bytes(40), "file.image"),
    ("tiff", b"II*\x00" + bytes(40), "file.image"),
    ("rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}\nexercise: x\n}", "file.rtf"),
    ("html", b"<!DOCTYPE html>\n<html><body>exercise: x</body></html>", "file.html"),
    ("html with BOM", b"\xef\xbb\xbf<html>\n<body></body></html>", "file.html"),
]

# Larger than a worksheet may be: still called a Word document, not "too big".
BIG_DOCX = zipped(("word/document.xml", b"<w:document/>")) + bytes(3 * 1024 * 1024)

# (name, text, code, line, column): a slip, and where it was made.
TEXTS: list[tuple[str, str, str, int, int]] = [
    ("nbsp in indentation", HEAD + "contacts:\n  - name: Dan\n  \u00a0 tier: A\n",
     "paste.space", 4, 3),
    ("ideographic space in indentation", HEAD + "contacts:\n  - name: Dan\n  \u3000 tier: A\n",
     "paste.space", 4, 3),
    ("nbsp before a field name", HEAD + "contacts:\n  - name: Dan\n    \u00a0tier: AA\n",
     "paste.space", 4, 5),
    ("en dash in a file that parses", HEAD + "contacts:\n  \u2013 name: Dan\n", "paste.dash", 3, 3),
    ("nbsp after a colon", HEAD + "learner:\u00a0Dan\nb: 1\n", "paste.space", 2, 9),
    ("en dash for the hyphen", HEAD + "contacts:\n  \u2013 name: Dan\n    tier: A\n",
     "paste.dash", 3, 3),
    ("em dash at the margin", HEAD + "contacts:\n\u2014 name: Dan\n  tier: A\n",
     "paste.dash", 3, 1),
    ("bullet for the hyphen", HEAD + "contacts:\n  \u2022 name: Dan\n    tier: A\n",
     "paste.dash", 3, 3),
    ("curly double quotes", HEAD + "name: \u201cDan: the planner\u201d\nb: 1\n",
     "paste.curly-quote", 2, 7),
    ("curly single quotes", HEAD + "contacts:\n  - name: \u2018Dan: the planner\u2019\n",
     "paste.curly-quote", 3, 11),
    ("wrapped answer in a list item",
     HEAD + "contacts:\n  - name: Dan\n    next_action: Send Dan a short note about the\n"
     "    meeting next week and ask for an introduction\n    tier: A\n",
     "slip.wrapped-answer", 5, 5),
    ("wrapped answer at the margin",
     HEAD + "goal: Find a role in supply chain planning where I\ncan use my logistics years\n"
     "b: 1\n", "slip.wrapped-answer", 3, 1),
    ("wrapped after an indented continuation",
     HEAD + "goal: Find a role in supply chain\n  planning where I can use\nmy logistics years\n"
     "b: 1\n", "slip.wrapped-answer", 4, 1),
    ("no space after a colon", HEAD + "contacts:\n  - name: Dan\n    tier:A\n    how_met: x\n",
     "slip.no-space-after-colon", 4, 10),
    ("no space after a colon, Windows line ends",
     (HEAD + "learner:Dan\nb: 1\n").replace("\n", "\r\n"), "slip.no-space-after-colon", 2, 9),
    ("no space after a top-level colon", HEAD + "learner:Dan\nb: 1\n",
     "slip.no-space-after-colon", 2, 9),
    ("star", HEAD + "name: *important* person\nb: 1\n", "slip.reserved-start", 2, 7),
    ("star, one word", HEAD + "name: *Dan\nb: 1\n", "yaml.alias", 2, 7),
    ("ampersand and a space", HEAD + "name: & co\nb: 1\n", "slip.reserved-start", 2, 7),
    ("ampersand, one word", HEAD + "name: &co partners\nb: 1\n", "yaml.anchor", 2, 7),
    ("at sign", HEAD + "name: @dan on LinkedIn\nb: 1\n", "slip.reserved-start", 2, 7),
    ("percent", HEAD + "name: %50 more replies\nb: 1\n", "slip.reserved-start", 2, 7),
    ("exclamation mark", HEAD + "name: !important call\nb: 1\n", "yaml.tag", 2, 7),
    ("backtick", HEAD + "name: `Dan` from the meetup\nb: 1\n", "slip.reserved-start", 2, 7),
    ("greater-than", HEAD + "name: > 5 years in logistics\nb: 1\n", "slip.reserved-start", 2, 7),
    ("bar", HEAD + "name: | a or b\nb: 1\n", "slip.reserved-start", 2, 7),
    ("question mark", HEAD + "name: ? not sure\nb: 1\n", "slip.reserved-start", 2, 7),
    ("hyphen and space", HEAD + "name: - Dan\nb: 1\n", "slip.reserved-start", 2, 7),
    ("reserved start in a list item", HEAD + "notes:\n  - @dan on LinkedIn\n",
     "slip.reserved-start", 3, 5),
    ("quoted then more", HEAD + 'name: "Dan" the planner\nb: 1\n', "slip.closed-then-more", 2, 7),
    ("bracket then more", HEAD + "name: [optional] note\nb: 1\n", "slip.closed-then-more", 2, 7),
    ("colon inside an answer", HEAD + "name: Dan: the planner\nb: 1\n",
     "slip.colon-in-answer", 2, 10),
    ("over-indented field", HEAD + "contacts:\n  - name: Dan\n      tier: A\n",
     "slip.over-indented", 4, 7),
    ("no space after the list hyphen", HEAD + "contacts:\n  -name: Dan\n   tier: A\n",
     "slip.list-dash-space", 3, 4),
    ("curly quotes around a field name",
     HEAD + "contacts:\n  - \u201cname\u201d: Dan\n    tier: AA\n", "paste.curly-key", 3, 5),
    ("curly quotes around a top-level field name",
     HEAD + "\u201clearner\u201d:\n  name: Dan\n", "paste.curly-key", 2, 1),
    ("a hash at the start of an answer", HEAD + "learner:\n  name: #1 fan\n  id: \"7\"\n",
     "slip.hash-answer", 3, 9),
    ("a hash at the start of a list item's answer",
     HEAD + "contacts:\n  - name: Dan\n    next_action: #call Tom\n    tier: AA\n",
     "slip.hash-answer", 4, 18),
]

# Files that must keep their existing, already precise, refusal (no slip in the way).
PLAIN: list[tuple[str, str, str, int]] = [
    ("tab", HEAD + "contacts:\n\t- name: Dan\n", "yaml.syntax", 3),
    ("unclosed quote", HEAD + 'name: "Dan\n', "yaml.syntax", 3),
]


def refusal(raw: bytes) -> Problem:
    with pytest.raises(WorkbookError) as refused:
        load_bytes(raw, "w.yaml")
    return refused.value.problems[0]


@pytest.fixture(scope="module")
def form() -> dict[bytes, dict[str, object] | None]:
    """The form's reader's verdict on every case, from one node run."""
    if NODE is None:
        pytest.skip("node is not installed")
    raws = [raw for _, raw, _ in FILES] + [text.encode() for _, text, *_ in TEXTS + PLAIN]
    raws.append(BIG_DOCX)
    request = json.dumps([base64.b64encode(raw).decode() for raw in raws])
    done = subprocess.run([NODE, str(HARNESS)], input=request, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    return dict(zip(raws, json.loads(done.stdout), strict=True))


@pytest.mark.parametrize(("name", "raw", "code"), FILES, ids=[f[0] for f in FILES])
def test_a_file_that_is_not_text_is_named_for_what_it_is(name, raw, code, form):
    problem = refusal(raw)
    assert (problem.code, problem.line, problem.column) == (code, None, None), name
    assert "not a text file" in problem.message or "not a plain text file" in problem.message
    assert "encoding" not in problem.message + problem.hint
    seen = form[raw]
    assert seen is not None
    assert (seen["code"], seen["message"], seen["hint"]) == (code, problem.message, problem.hint)
    assert seen["line"] is None


def test_the_word_advice_says_what_to_do():
    problem = refusal(FILES[0][1])
    assert problem.message == "This is a Word document, not a text file."
    assert problem.hint.startswith("Open it in Word, copy the text into a plain text editor")
    assert "Notepad" in problem.hint and "TextEdit" in problem.hint and ".yaml" in problem.hint
    assert "screenshot" in refusal(FILES[11][1]).hint  # a PNG
    assert "the file you made it from" in refusal(FILES[10][1]).hint  # a PDF


def test_a_big_word_document_is_still_a_word_document(form):
    assert len(BIG_DOCX) > 2 * 1024 * 1024
    assert refusal(BIG_DOCX).code == "file.word"
    assert form[BIG_DOCX]["code"] == "file.word"


@pytest.mark.parametrize("raw", [b"", b"exercise: x\n", b"# a comment\nexercise: x\n",
                                 b"\xef\xbb\xbfexercise: x\n", b"Exercise: x\n", b"PK: 1\n",
                                 b"%YAML 1.2\n---\na: 1\n", b"{a: 1}\n", b"<<: 1\n"])
def test_text_is_never_taken_for_another_kind_of_file(raw):
    assert file_kind(raw) is None


@pytest.mark.parametrize(("name", "text", "code", "line", "column"), TEXTS,
                         ids=[t[0] for t in TEXTS])
def test_a_slip_is_named_on_its_own_line(name, text, code, line, column, form):
    problem = refusal(text.encode())
    assert (problem.code, problem.line, problem.column) == (code, line, column), problem
    assert not problem.message.startswith("Not valid YAML"), problem
    assert problem.hint
    seen = form[text.encode()]
    assert seen is not None, name
    assert (seen["line"], seen["column"], seen["message"], seen["hint"]) == (
        problem.line, problem.column, problem.message, problem.hint), seen
    if seen["code"] is not None:  # alias, anchor and tag refusals carry no code in the form
        assert seen["code"] == code


@pytest.mark.parametrize(("name", "text", "code", "line"), PLAIN, ids=[p[0] for p in PLAIN])
def test_precise_refusals_are_kept(name, text, code, line, form):
    problem = refusal(text.encode())
    assert (problem.code, problem.line) == (code, line), problem
    assert form[text.encode()]["code"] is None


@pytest.mark.parametrize("text", [
    HEAD + "name: \u201cDan the planner\u201d\n",  # curly quotes, no colon: just text
    HEAD + "goal: |\n  line one\n  @ not a slip inside a block\n",
    HEAD + "link: https://example.com/a:b\n",
    HEAD + "time: 10:30\n",
    HEAD + "note: ratio 1:2 is fine\n",
    HEAD + "name: Dan \u2013 the planner\n",  # a dash inside an answer
    HEAD + "name: \u00a0Dan\n",  # a non-breaking space inside an answer is the answer's
    HEAD + '"\u00a0quoted": 1\n',  # a quoted field name means what it says
    HEAD + "name: Dan\n  \u2013 and Lee\n",  # a dash starting a continued answer
    HEAD + "name:  # your name\n",  # a comment after an empty answer, as worksheets have
    HEAD + "name: Dan # #1 fan\n",  # a comment after an answer
    HEAD + "name: \u201cDan\u201d the planner\n",  # curly quotes inside an answer
])
def test_honest_answers_are_not_slips(text):
    load_text(text, "w.yaml")


def test_diagnosis_only_looks_up_to_the_reported_line():
    text = HEAD + "a: 1\nb: @x\n"
    assert diagnose(text, 1) is None
    assert diagnose(text, 2) is not None


def test_diagnosis_is_bounded_on_a_huge_broken_file():
    long_line = "note: " + "word: " * 20_000
    text = HEAD + "\n".join(["x: " + ":" + " " * 5_000 + "|"] * 100 + [long_line] * 10) + "\n"
    started = time.perf_counter()
    problem = refusal(text.encode())
    assert time.perf_counter() - started < 2
    assert problem.line is not None


def test_sniffing_costs_nothing_for_a_worksheet():
    raw = (ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml").read_bytes()
    started = time.perf_counter()
    for _ in range(10_000):
        file_kind(raw)
    assert time.perf_counter() - started < 0.1


def test_workbook_score_gives_the_same_words(capsys, tmp_path: Path):
    from workbook.cli import main

    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "leeann_40001_503_contact-inventory.yaml").write_bytes(FILES[0][1])  # a .docx
    out = tmp_path / "out"
    main(["score", str(folder), "--out", str(out)])
    capsys.readouterr()
    feedback = (out / "feedback" / "40001.md").read_text(encoding="utf-8")
    assert "This is a Word document, not a text file." in feedback
    assert "Open it in Word, copy the text into a plain text editor" in feedback
    assert "encoding" not in feedback
