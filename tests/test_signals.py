"""Stopping a long ``workbook score`` from outside: Ctrl-C (twice), SIGTERM, kill -9, a
closed pipe. Each ends promptly, says so in a sentence, leaves no worker running and
no spool behind. Real processes and real signals, on a class big enough to be
interrupted mid-way (POSIX only)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals as on Linux")
SENTENCE = "files already written are complete, the rest were not written.\n"


@pytest.fixture(scope="module")
def big_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 valid worksheets: a few seconds of work for two workers."""
    folder = tmp_path_factory.mktemp("signals") / "class"
    folder.mkdir()
    examples = sorted((ROOT / "exercises").glob("*/examples/full.yaml"))
    for index in range(4000):
        text = examples[index % len(examples)].read_text(encoding="utf-8")
        (folder / f"learner{index:05d}.yaml").write_text(
            text.replace("learner:", f"# copy {index}\nlearner:", 1), encoding="utf-8")
    return folder


def _start(big_class: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    def default_signals() -> None:  # a shell's background jobs would ignore SIGINT
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return subprocess.Popen(
        [sys.executable, "-m", "workbook", "score", str(big_class), "--out", str(out),
         "--jobs", "2", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=default_signals)


def _wait_until_scoring(out: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the run has its spool: the workers are up and grading."""
    deadline = time.monotonic() + 30
    while not any(p.name.startswith(".workbook-spool-") for p in out.glob(".*")):
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the run did not start"
        time.sleep(0.01)
    time.sleep(0.2)


def _group_alive(group: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=,stat=", "-g", str(group)],
                            capture_output=True, text=True).stdout.split("\n")
    return [int(line.split()[0]) for line in listed
            if line.strip() and not line.split()[1].startswith("Z")]


def _gone(group: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while _group_alive(group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the run hung after the signal")
    return process.returncode, err.decode()


def _scoring(big_class: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """A run of the big class with two workers, caught mid-way; and its --out."""
    out = tmp_path / "out"
    out.mkdir()
    process = _start(big_class, out)
    _wait_until_scoring(out, process)
    return process, out


def _stopped_cleanly(process: subprocess.Popen[bytes], out: Path) -> None:
    assert _gone(process.pid), "workers went on alone"
    assert not list(out.glob(".workbook-spool-*"))


def test_ctrl_c_twice_ends_at_once_and_cleanly(big_class: Path, tmp_path: Path):
    process, out = _scoring(big_class, tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # the whole terminal group, as Ctrl-C does
    time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    code, err = _finish(process)
    assert code == 130
    assert err == "workbook: interrupted; " + SENTENCE  # no worker's traceback either
    _stopped_cleanly(process, out)


def test_sigterm_to_the_parent_stops_the_workers_too(big_class: Path, tmp_path: Path):
    process, out = _scoring(big_class, tmp_path)
    process.send_signal(signal.SIGTERM)  # the parent only, as kill or timeout would
    code, err = _finish(process)
    assert code == 143
    assert err == "workbook: stopped (SIGTERM); " + SENTENCE
    _stopped_cleanly(process, out)


def test_workers_do_not_outlive_a_parent_killed_outright(big_class: Path, tmp_path: Path):
    process, _ = _scoring(big_class, tmp_path)
    process.kill()  # SIGKILL, as the out-of-memory killer does: no cleanup possible
    process.communicate()
    assert _gone(process.pid), "workers went on alone"


def test_a_closed_pipe_ends_quietly(big_class: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "workbook", "score", str(big_class), "--format", "json",
         "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.read(100)  # like `| head -c 100`
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (141, b"")
