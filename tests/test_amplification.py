"""Output in proportion to the class, not to a learner's choice (issue 15 part 1).

A 1 MB worksheet whose list holds 100,000 answers of the wrong type used to make
`workbook check` enumerate every error (a minute, a gigabyte, 35 MB printed) and
`workbook score` write a grades.csv cell longer than any spreadsheet holds. Now the
first 100 problems are listed with a note that there are more, the validator stops
there, and CSV cells are capped.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

from workbook.checking import MAX_ERRORS
from workbook.cli import main
from workbook.reporters.common import MAX_CELL

ROOT = Path(__file__).resolve().parent.parent
HEAD = (ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml").read_text() \
    .split("contacts:")[0]


def flood(items: int = 100_000) -> bytes:
    return (HEAD + "contacts:\n" + "  - 1\n" * items).encode()


def test_check_lists_the_first_problems_and_says_there_are_more(capsys, tmp_path: Path):
    path = tmp_path / "flood.yaml"
    path.write_bytes(flood())
    code = main(["check", str(path), "--format", "json"])
    printed = capsys.readouterr().out
    assert code == 1 and len(printed) < 200_000
    (result,) = json.loads(printed)["files"]
    assert len(result["problems"]) == MAX_ERRORS + 1
    assert result["problems"][-1]["code"] == "schema.too-many"


def test_a_class_of_floods_writes_outputs_the_size_of_a_class(capsys, tmp_path: Path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number in range(4):
            zipped.writestr(f"flood{'abcd'[number]}_{number + 1}_{number + 10}_x.yaml", flood())
    out = tmp_path / "out"
    assert main(["score", str(archive), "--out", str(out)]) == 0
    capsys.readouterr()
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert total < 2_000_000, total  # it was about 776 MB
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            assert all(len(cell) < 32_767 for cell in row)


def test_a_long_cell_is_cut_with_a_note():
    from workbook.reporters.common import csv_text

    cell = csv_text("=" + "x" * 100_000)
    assert cell.startswith("'=") and len(cell) < MAX_CELL + 100
    assert cell.endswith("more characters cut; see results.json]")
