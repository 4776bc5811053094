"""Reading submissions: folders and zip archives, with every archive rule enforced."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from workbook import identity
from workbook.intake import (
    ArchiveLimits,
    Skipped,
    Submission,
    declared_member_count,
    iter_inputs,
    read,
    unsafe_member_name,
)
from workbook.loader import Limits

ROOT = Path(__file__).resolve().parent.parent
FULL = (ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml").read_bytes()


def make_zip(path: Path, members: list[tuple[str, bytes]], **kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


DEFAULT_LIMITS, DEFAULT_CAPS = Limits(), ArchiveLimits()


def collect(*paths, limits=DEFAULT_LIMITS, caps=DEFAULT_CAPS):
    """Every item, with files on disk read as a grader would read them."""
    return [read(item, limits) if isinstance(item, Submission) else item
            for item in iter_inputs([str(p) for p in paths], limits, caps)]


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "z.yaml").write_bytes(FULL)
    (tmp_path / "a" / "y.yml").write_bytes(FULL)
    (tmp_path / "a" / "notes.txt").write_text("hi")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_bytes(FULL)
    (tmp_path / ".hidden.yaml").write_bytes(FULL)
    items = collect(tmp_path)
    subs = [i for i in items if isinstance(i, Submission)]
    assert [s.path for s in subs] == ["a/y.yml", "b/z.yaml"]
    assert all(s.raw == FULL for s in subs)
    reasons = sorted(i.reason for i in items if isinstance(i, Skipped))
    assert reasons == ["hidden or system file", "not a worksheet (.txt)"]


def test_zip_members_are_read_in_place(tmp_path: Path):
    archive = make_zip(tmp_path / "class.zip", [("okafor_1_2_w.yaml", FULL),
                                                 ("__MACOSX/._okafor_1_2_w.yaml", b"junk"),
                                                 ("inner.zip", b"PK"),
                                                 ("readme.pdf", b"%PDF")])
    items = collect(archive)
    assert isinstance(items[0], Submission) and items[0].raw == FULL
    assert items[0].source == f"{archive}!okafor_1_2_w.yaml"
    skipped = {i.source.split("!")[1]: i.reason for i in items if isinstance(i, Skipped)}
    assert skipped == {"__MACOSX/._okafor_1_2_w.yaml": "hidden or system file",
                       "inner.zip": "nested archive, not opened",
                       "readme.pdf": "not a worksheet (.pdf)"}
    assert list(tmp_path.iterdir()) == [archive]  # nothing extracted


@pytest.mark.parametrize("name", ["/etc/passwd.yaml", "../up.yaml", "a/../../b.yaml",
                                  "C:evil.yaml", "dir\\win.yaml"])
def test_unsafe_member_names_are_refused_and_the_rest_goes_on(tmp_path: Path, name: str):
    archive = tmp_path / "class.zip"
    archive.write_bytes(_rename_member(FULL, name))
    items = collect(archive)
    refused = [i for i in items if isinstance(i, Submission) and i.problem]
    assert refused and refused[0].problem.code == "archive.unsafe-name"
    assert unsafe_member_name(name) is not None
    assert any(isinstance(i, Submission) and i.raw == FULL for i in items)


def _rename_member(data: bytes, name: str) -> bytes:
    """A zip with one member called ``name`` (bypassing zipfile's sanitising) and a good one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        info = zipfile.ZipInfo("x")
        info.filename = name  # ZipInfo keeps what we set here
        zipped.writestr(info, data)
        zipped.writestr("good.yaml", data)
    return buffer.getvalue()


def test_encrypted_members_are_refused(tmp_path: Path):
    raw = bytearray(_rename_member(FULL, "secret.yaml"))
    # Set the "encrypted" flag bit in both the local header and the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        flags = struct.unpack_from("<H", raw, at + offset)[0] | 0x1
        struct.pack_into("<H", raw, at + offset, flags)
    archive = tmp_path / "enc.zip"
    archive.write_bytes(bytes(raw))
    items = collect(archive)
    assert items[0].problem is not None and items[0].problem.code == "archive.encrypted"
    assert items[1].raw == FULL


def test_zip_bomb_member_is_refused_by_ratio(tmp_path: Path):
    archive = make_zip(tmp_path / "bomb.zip", [("bomb.yaml", b"a: " + b"0" * 1_500_000),
                                                ("ok.yaml", FULL)])
    items = collect(archive)
    assert items[0].problem.code == "archive.ratio"
    assert items[1].raw == FULL


def test_member_over_size_limit_is_refused(tmp_path: Path):
    archive = make_zip(tmp_path / "big.zip", [("big.yaml", FULL * 3), ("ok.yaml", FULL)])
    items = collect(archive, limits=Limits(max_bytes=len(FULL) + 10))
    assert items[0].problem.code == "limits.size"
    assert items[1].raw == FULL


def test_header_that_understates_size_reads_at_most_the_cap(tmp_path: Path):
    payload = b"a: " + bytes(range(256)) * 200  # poorly compressible, ~51 KB
    archive = make_zip(tmp_path / "liar.zip", [("liar.yaml", payload), ("ok.yaml", b"a: 1\n")])
    raw = bytearray(archive.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        struct.pack_into("<I", raw, at + offset, 100)  # claim 100 bytes uncompressed
    archive.write_bytes(bytes(raw))
    items = collect(archive, limits=Limits(max_bytes=1000))
    assert items[0].raw is None and items[0].problem.code in {"limits.size", "archive.corrupt"}
    assert items[1].raw == b"a: 1\n"


def test_member_count_is_capped_before_reading_the_directory(tmp_path: Path):
    archive = make_zip(tmp_path / "many.zip", [(f"m{i}.yaml", b"a: 1\n") for i in range(30)])
    assert declared_member_count(str(archive)) == 30
    items = collect(archive, caps=ArchiveLimits(max_members=10))
    assert len(items) == 1 and items[0].problem.code == "archive.too-many-members"


def test_total_size_cap_stops_reading_and_reports_the_rest(tmp_path: Path):
    archive = make_zip(tmp_path / "t.zip", [(f"m{i}.yaml", FULL) for i in range(5)])
    items = collect(archive, caps=ArchiveLimits(max_total_bytes=len(FULL) * 2))
    read = [i for i in items if isinstance(i, Submission) and i.raw]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(read) == 2 and len(skipped) == 3
    assert all("total size" in s.reason for s in skipped)


def test_not_a_zip_is_a_row_not_a_crash(tmp_path: Path):
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"this is not a zip")
    (item,) = collect(fake)
    assert item.problem.code == "archive.invalid"


def test_corrupt_member_is_refused(tmp_path: Path):
    archive = make_zip(tmp_path / "c.zip", [("c.yaml", FULL), ("ok.yaml", FULL)])
    raw = bytearray(archive.read_bytes())
    start = raw.find(b"PK\x03\x04") + 30 + len("c.yaml")
    raw[start + 20 : start + 40] = b"\xff" * 20
    archive.write_bytes(bytes(raw))
    items = collect(archive)
    assert items[0].problem.code == "archive.corrupt"
    assert items[1].raw == FULL


# --- identity -------------------------------------------------------------------------

def test_canvas_file_names():
    found = identity.from_path("okaformaya_LATE_20480_551_contact-inventory.yaml")
    assert (found.scheme, found.name, found.lms_id, found.submission, found.late) == (
        "canvas", "okaformaya", "20480", 551, True)
    on_time = identity.from_path("export/reyesdan_31377_600_pitch.yaml")
    assert on_time.lms_id == "31377" and not on_time.late


def test_moodle_file_names():
    found = identity.from_path("Maya Okafor_12345_assignsubmission_file_/my-contacts.yaml")
    assert (found.scheme, found.name, found.lms_id) == ("moodle", "Maya Okafor", "12345")


def test_custom_pattern_wins():
    import re
    pattern = re.compile(r"(?P<id>s\d+)-(?P<name>[a-z]+)(?:-(?P<late>late))?\.yaml$")
    found = identity.from_path("week3/s123-maya-late.yaml", pattern)
    assert (found.scheme, found.lms_id, found.name, found.late) == ("pattern", "s123", "maya",
                                                                    True)


def test_plain_names_have_no_identity():
    assert identity.from_path("maya.yaml") == identity.FileIdentity()


@pytest.mark.parametrize(("sheet", "file", "agree"), [
    ("Maya Okafor", "okaformaya", True), ("Maya Okafor", "mayaokafor", True),
    ("José Núñez", "nunezjose", True), ("Maya Okafor", "reyesdan", False),
    ("", "reyesdan", True)])
def test_names_agree(sheet, file, agree):
    assert identity.names_agree(sheet, file) is agree
