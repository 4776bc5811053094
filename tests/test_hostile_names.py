"""A learner controls the names in an export: none of them may crash, hang, leak or act.

Issue 15, parts 2, 4, 5, 6, 7 and 11, each made at test time in a temporary folder:
a file name that is not UTF-8, escape sequences and bidirectional overrides in
names, a name that breaks out of a Markdown code span, a symbolic link to a file
of the instructor's, and a named pipe. Each case failed on the code before.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbook.cli import main
from workbook.display import shown

ROOT = Path(__file__).resolve().parent.parent
FULL = (ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml").read_bytes()
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file names, links and pipes")


def worksheet(name: str, learner_id: str) -> bytes:
    return FULL.replace(b"  name: Maya Okafor\n", f'  name: "{name}"\n'.encode(), 1) \
        .replace(b'id: "20480"', f'id: "{learner_id}"'.encode(), 1)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["score", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def every_output(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


@POSIX
def test_a_name_that_is_not_utf8_is_shown_and_scored(capsys, tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/m\xfcller_1_2_w\xf6rk.yaml", "wb") as handle:
        handle.write(worksheet("Jo M\u00fcller", "m1"))
    (folder / "other.yaml").write_bytes(worksheet("Ann Lee", "a1"))
    out = tmp_path / "out"
    code, _, err = run(capsys, str(folder), "--out", str(out))
    assert code == 0 and "Traceback" not in err
    results = json.loads((out / "results.json").read_text())
    sources = {e["source"] for e in results["submissions"]}
    assert str(folder / "m\ufffdller_1_2_w\ufffdrk.yaml") in sources
    assert all(e["status"] == "scored" for e in results["submissions"])


ACTING = ["evil\x1b]0;pwned\x07", "clear\x1b[2J", "link\x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\",
          "hide\x1b[8m", "bidi\u202e)hcraeser(", "line\nbreak"]


@pytest.mark.parametrize("name", ACTING, ids=["title", "clear", "osc8", "conceal", "bidi",
                                              "newline"])
def test_names_that_act_are_made_visible_everywhere(capsys, tmp_path: Path, name: str):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"{name}_7_70_contact-inventory.yaml", worksheet("Ann Lee", "a1"))
    code, table, err = run(capsys, str(archive))  # to the terminal, as a table
    assert code == 0
    # Any control character but the line ends CSV and text files are made of.
    acting = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    assert not acting.search(table + err), repr(table + err)
    out = tmp_path / "out"
    run(capsys, str(archive), "--out", str(out))
    written = every_output(out).decode("utf-8")
    assert not acting.search(written)
    assert shown(name) in json.loads((out / "results.json").read_text())["submissions"][0][
        "source"]


def test_shown_leaves_plain_names_alone_and_escapes_the_rest():
    assert shown("Maya Okafor_12345_assignsubmission_file_/a.yaml") == \
        "Maya Okafor_12345_assignsubmission_file_/a.yaml"
    assert shown("Zo\u00eb \u0639\u0644\u064a.yaml") == "Zo\u00eb \u0639\u0644\u064a.yaml"
    assert shown("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert shown("Jane\u202eDoe") == "Jane\\u202eDoe"
    assert shown("x\udcfcy") == "x\ufffdy"


def test_a_name_cannot_break_out_of_the_feedbacks_code_span(capsys, tmp_path: Path):
    """Rendered by CommonMark (markdown-it) and by Python-Markdown (what MkDocs uses),
    the feedback page holds no HTML element a learner's name could have made."""
    markdown_it = pytest.importorskip("markdown_it")
    import markdown

    archive = tmp_path / "export.zip"
    name = "evil_7_70_x\n\n<script>alert(7)</script>\n\n.yaml"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(name, worksheet("Ann Lee", "a1"))
    out = tmp_path / "out"
    assert run(capsys, str(archive), "--out", str(out))[0] == 0
    (page,) = (out / "feedback").glob("*.md")
    for html in (markdown_it.MarkdownIt("commonmark").render(page.read_text()),
                 markdown.markdown(page.read_text(), extensions=["tables"])):
        assert "<script" not in html
        assert set(re.findall(r"</?([a-z0-9]+)", html)) <= {
            "h1", "h2", "p", "code", "strong", "table", "thead", "tbody", "tr", "th", "td",
            "ul", "ol", "li", "em", "br"}


@POSIX
def test_a_symbolic_link_is_listed_never_followed(capsys, tmp_path: Path):
    private = tmp_path / "private.yaml"
    private.write_bytes(worksheet("SECRET INSTRUCTOR NOTE", "s9"))
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.yaml").write_bytes(worksheet("Ann Lee", "a1"))
    for target, link in ((private, "copy.yaml"), (Path("/etc/passwd"), "pw.yaml"),
                         (Path("/dev/zero"), "zero.yaml"), (tmp_path, "folder-link")):
        (folder / link).symlink_to(target)
    out = tmp_path / "out"
    code, _, _ = run(capsys, str(folder), "--out", str(out))
    assert code == 0
    assert b"SECRET" not in every_output(out) and b"root:" not in every_output(out)
    skipped = {s["source"].rsplit("/", 1)[1]: s["reason"]
               for s in json.loads((out / "results.json").read_text())["skipped"]}
    assert skipped == {name: "a symbolic link, not followed"
                       for name in ("copy.yaml", "pw.yaml", "zero.yaml", "folder-link")}


@POSIX
def test_a_named_pipe_never_hangs_a_run_or_a_check(tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.yaml").write_bytes(worksheet("Ann Lee", "a1"))
    os.mkfifo(folder / "pipe.yaml")
    command = [sys.executable, "-m", "workbook"]
    scored = subprocess.run([*command, "score", str(folder), "--format", "json"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert scored.returncode == 0
    (skip,) = json.loads(scored.stdout)["skipped"]
    assert skip["reason"] == "not a regular file (a named pipe)"
    checked = subprocess.run([*command, "check", str(folder / "pipe.yaml")],
                             capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 2 and "it is a named pipe, not a file to read" in checked.stdout


@POSIX
def test_a_file_swapped_for_a_pipe_after_listing_is_refused(tmp_path: Path):
    from workbook.intake import Submission, read

    pipe = tmp_path / "ann.yaml"
    os.mkfifo(pipe)
    refused = read(Submission(str(pipe), "ann.yaml", None, disk=str(pipe)))
    assert refused.raw is None and refused.problem is not None
    assert "named pipe" in refused.problem.message


def test_the_terminal_table_of_a_hostile_class_is_plain_text(capsys, tmp_path: Path):
    archive = tmp_path / "export.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("a\x1b[2J_7_70_x.yaml", worksheet("Ann\x1b[8m Lee", "a1"))
    archive.write_bytes(buffer.getvalue())
    code, table, err = run(capsys, str(archive))
    assert code == 0 and "\x1b" not in table + err


def test_a_bidirectional_override_in_a_learners_name_is_made_visible(capsys, tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(worksheet("Jane Doe \u202e(research)", "j1"))
    out = tmp_path / "out"
    assert run(capsys, str(folder), "--out", str(out))[0] == 0
    written = every_output(out).decode("utf-8")
    assert "\u202e" not in written and "Jane Doe \\u202e(research)" in written


def test_every_html_output_carries_a_strict_content_security_policy(capsys, tmp_path: Path):
    """Issue 15 part 10: were an escape ever missed, the browser would still run nothing
    but the report's own sorting script (allowed by its hash; the roster's browser test
    shows it still runs under the policy)."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(worksheet("Ann Lee", "a1"))
    out = tmp_path / "out"
    assert run(capsys, str(folder), "--out", str(out))[0] == 0
    pages = [out / "report.html", *(out / "feedback").glob("*.html")]
    for page in pages:
        head = page.read_text().split("</head>", 1)[0]
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head)
        assert policy, page.name
        rules = dict(rule.strip().split(" ", 1) for rule in policy.group(1).split(";"))
        assert rules["default-src"] == "'none'"
        assert "unsafe-inline" not in rules.get("script-src", "")
        assert ("script-src" in rules) == (page.name == "report.html")


def test_a_member_name_flagged_utf8_that_is_not_costs_no_one_else(capsys, tmp_path: Path):
    """zipfile refused the whole archive for one such name: every learner in it lost."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("mXller_1_2_work.yaml", worksheet("Jo Muller", "m1"))
        zipped.writestr("ann_3_4_work.yaml", worksheet("Ann Lee", "a1"))
    data = bytearray(buffer.getvalue().replace(b"mXller", b"m\xfcller"))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            flags, = struct.unpack("<H", data[at + flag_at: at + flag_at + 2])
            struct.pack_into("<H", data, at + flag_at, flags | 0x800)
            start = at + 4
    archive = tmp_path / "export.zip"
    archive.write_bytes(bytes(data))
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(archive)  # what the standard library makes of it
    code, out, _ = run(capsys, str(archive), "--format", "json")
    assert code == 0
    submissions = json.loads(out)["submissions"]
    assert sorted(e["source"].rsplit("!", 1)[1] for e in submissions) == [
        "ann_3_4_work.yaml", "m\ufffdller_1_2_work.yaml"]
    assert all(e["status"] == "scored" for e in submissions)


@POSIX
def test_a_linked_feedback_folder_is_refused_not_written_through(capsys, tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(worksheet("Ann Lee", "a1"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("the instructor's page")
    out = tmp_path / "out"
    assert run(capsys, str(folder), "--out", str(out))[0] == 0  # a folder of the tool's
    for page in (out / "feedback").iterdir():
        page.unlink()
    (out / "feedback").rmdir()
    (out / "feedback").symlink_to(elsewhere)  # then swapped for a link to elsewhere
    code, _, err = run(capsys, str(folder), "--out", str(out))
    assert code == 2 and "is a link or a file" in err
    assert [p.name for p in elsewhere.iterdir()] == ["index.html"]
