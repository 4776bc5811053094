"""The command line: output, formats and exit codes, run as a learner would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "exercises" / "contact-inventory" / "examples"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_valid_file_exits_0_with_score_preview(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLES / "full.yaml"))
    assert code == 0
    assert "Score preview: 40 / 40" in out and "[pass]" in out


def test_check_partial_file_shows_advice(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLES / "partial.yaml"))
    assert code == 0
    assert "[part]" in out and "[miss]" in out and "Keep going" in out


def test_check_invalid_file_exits_1_with_location(capsys):
    path = EXAMPLES / "invalid-tier.yaml"
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:13:5:" in out and "Did you mean 'AA'?" in out


def test_check_missing_file_exits_2(capsys, tmp_path):
    code, out, _ = run(capsys, "check", str(tmp_path / "nope.yaml"))
    assert code == 2 and "Cannot read the file" in out


def test_check_many_files_summarises(capsys):
    code, out, _ = run(capsys, "check", *map(str, sorted(EXAMPLES.glob("*.yaml"))))
    assert code == 1 and "2 of 5 files valid." in out


def test_check_json_is_machine_readable(capsys):
    files = [str(EXAMPLES / "full.yaml"), str(EXAMPLES / "invalid-tier.yaml")]
    code, out, _ = run(capsys, "check", "--format", "json", *files)
    report = json.loads(out)
    assert code == 1
    assert report["summary"]["valid"] == 1 and report["summary"]["by_status"]["invalid"] == 1
    full, invalid = report["files"]
    assert full["score"]["points"] == 40 and len(full["score"]["criteria"]) == 6
    assert "key" not in json.dumps(full["score"]["criteria"][0])
    problem = invalid["problems"][0]
    assert (problem["line"], problem["column"], problem["path"]) == (13, 5, "contacts[1].tier")


def test_check_blank_template_gives_next_steps(capsys, tmp_path):
    code, out, _ = run(capsys, "check",
                       str(ROOT / "exercises" / "contact-inventory" / "worksheet.yaml"))
    assert code == 1 and "still blank" in out and "Next steps" in out


def test_list_shows_every_exercise(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0 and "contact-inventory" in out
    code, out, _ = run(capsys, "list", "--format", "json")
    listed = json.loads(out)["exercises"]
    assert code == 0 and any(e["id"] == "contact-inventory" and e["max_points"] == 40
                             for e in listed)


def test_new_writes_the_blank_worksheet_and_never_overwrites(capsys, tmp_path):
    target = tmp_path / "mine.yaml"
    code, out, _ = run(capsys, "new", "contact-inventory", "-o", str(target))
    assert code == 0 and "workbook check" in out
    blank = ROOT / "exercises" / "contact-inventory" / "worksheet.yaml"
    assert target.read_bytes() == blank.read_bytes()
    target.write_text("my answers")
    code, _, err = run(capsys, "new", "contact-inventory", "-o", str(target))
    assert code == 2 and "already exists" in err
    assert target.read_text() == "my answers"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temp files left


def test_new_unknown_exercise(capsys, tmp_path):
    code, _, err = run(capsys, "new", "contact-inventroy", "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "contact-inventory" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["check"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0 and "exit codes" in out and "--format" in out


def test_the_parser_is_the_same_whichever_command_is_built(capsys, tmp_path):
    """Only the command being run gets its arguments built (cli._parser): the rest of
    the command line still behaves as one parser."""
    from workbook.cli import COMMANDS, _command_in

    assert _command_in(["--content", "check", "list"]) == "list"  # a folder called check
    assert _command_in(["--content=x", "check", "f.yaml"]) == "check"
    assert _command_in(["--help"]) is None
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0 and all(f"    {name}" in out for name in COMMANDS)
    with pytest.raises(SystemExit) as caught:
        main(["score", "--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0 and "--canvas-assignment" in out
    with pytest.raises(SystemExit):
        main(["chek", "x.yaml"])
    assert "invalid choice: 'chek'" in capsys.readouterr().err
    code, out, _ = run(capsys, "--content", str(ROOT), "list")
    assert code == 0 and "contact-inventory" in out


def test_missing_content_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "--content", str(tmp_path), "list")
    assert code == 2 and "exercises/ and schemas/" in err


def test_python_dash_m_and_console_script(tmp_path):
    for command in ([sys.executable, "-m", "workbook"],
                    [str(Path(sys.executable).parent / "workbook")]):
        done = subprocess.run([*command, "check", str(EXAMPLES / "invalid-tier.yaml")],
                              capture_output=True, text=True, cwd=tmp_path, check=False)
        assert done.returncode == 1 and "Did you mean 'AA'?" in done.stdout
        assert "Traceback" not in done.stderr


def test_check_never_modifies_the_file(capsys, tmp_path):
    copy = tmp_path / "w.yaml"
    copy.write_bytes((EXAMPLES / "partial.yaml").read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    run(capsys, "check", str(copy))
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before
