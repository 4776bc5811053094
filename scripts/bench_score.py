"""Benchmark ``workbook score`` against the cost of merely parsing the same files.

1. Generates N submissions deterministically (``--seed``) from the exercises' own
   examples: learners' names and ids, list lengths and wording vary, and about 10%
   are invalid or hostile (broken examples, alias bombs, deep nesting, Latin-1 bytes,
   tab indents, duplicate keys). They are written as a folder and as one
   Canvas-style zip with the same members.
2. Measures, on the same files:
   * the floor: a plain loop that reads each file and parses it with
     ``yaml.load(data, Loader=yaml.CSafeLoader)``, nothing else;
   * ``workbook score FOLDER --out DIR --jobs 1``, end to end (a fresh process:
     load, validate, score, write every output);
   * the same with ``--jobs 2``, and ``--jobs 1`` on the zip;
   and prints microseconds per submission, the ratio of (2) to (1), the speed-up
   of ``--jobs 2``, peak resident memory of each run, and whether the outputs of
   ``--jobs 1`` and ``--jobs 2`` are byte-identical. Like the floor, each run is the
   best of ``--repeat`` (3), taken in turn, into a fresh folder each time: on a
   shared machine one run of each can be 10 to 20% off, and one variant's bad
   luck would show up as a ratio. Peak memory is the largest of the repeats. The
   runs use a compiled-module cache of their own (see ``_with_bytecode_cache``).
3. Times one 1 MB worksheet and one hostile file at the size limit.

Run it with ``make bench`` (N = 10,000) or ``python scripts/bench_score.py -n N``.
The README's benchmark section records what it printed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


_WORDS = """
call ask meet coffee team plan planning route warehouse hospital product
friend former manager colleague introduce referral write visit week month
schedule shift data software clinic health logistics freight supplier client
board staff partner firm career change interview question answer pitch
practice video coach mirror rehearse listen learn share offer give thanks
article name names contact network industry role office regional night orders
trucks spreadsheet report budget training patients nurses doctors
"""
VOCABULARY = tuple(_WORDS.split())
_PHRASE = "ask about the planning team and the names of two people to meet next week"


def _reword(node: Any, rng: random.Random) -> Any:
    """A learner's own version of an example: new words for every answer of three or
    more words (so no two learners share phrases), and lists cut or lengthened."""
    if isinstance(node, str):
        count = len(node.split())
        if count < 3:
            return node  # names, choices, dates: kept, they carry the schema's rules
        return " ".join(rng.choice(VOCABULARY) for _ in range(count))
    if node is None:
        return ""  # a blank answer, as the checker reads it where text is wanted
    if isinstance(node, list):
        kept = [_reword(item, rng) for item in node]
        if not all(isinstance(item, dict) for item in node):
            return kept  # rankings and choices have fixed lengths
        if len(kept) > 2 and rng.random() < 0.5:
            kept = kept[: max(1, int(len(kept) * rng.uniform(0.3, 1.0)))]
        elif kept and rng.random() < 0.3:
            kept = kept + [_reword(item, rng) for item in node[: rng.randint(1, len(node))]]
        return kept
    if isinstance(node, dict):
        return {key: _reword(value, rng) for key, value in node.items()}
    return node


def _hostile(rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
        lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
        return ("\n".join(lines) + "\n").encode()
    if kind == 1:
        return b"exercise: contact-pool\nx: " + b"[" * 800 + b"]" * 800 + b"\n"
    if kind == 2:
        return "exercise: contact-pool\nlearner:\n  name: Jos\u00e9\n".encode("latin-1")
    if kind == 3:
        return b"exercise: contact-pool\nlearner:\n\tname: x\n"
    if kind == 4:
        return b"exercise: contact-pool\nversion: 1\nversion: 1\n"
    return b"!!python/object/apply:os.system ['echo owned']\n"


def generate(n: int, seed: int) -> list[tuple[str, bytes]]:
    """``n`` (member name, bytes) pairs in Canvas's naming, the same for the same seed.

    Every valid submission's text is reworded on its own, as real learners' answers
    differ; a variant that would break its schema is retried, so the invalid share
    stays near the intended 10%.
    """
    from workbook.catalog import load_catalog
    from workbook.loader import load_bytes

    catalog = load_catalog(ROOT)
    rng = random.Random(seed)
    examples = sorted(ROOT.glob("exercises/*/examples/*.yaml"))
    valid = [load_bytes(p.read_bytes(), str(p)).data
             for p in examples if not p.name.startswith("invalid-")]
    invalid = [p.read_bytes() for p in examples if p.name.startswith("invalid-")]
    members = []
    for index in range(n):
        user, submission = 100_000 + index, 900_000 + index
        if rng.random() < 0.10:
            raw = rng.choice(invalid) if rng.random() < 0.6 else _hostile(rng)
        else:
            base = rng.choice(valid)
            exercise = catalog.exercises[base["exercise"]]
            for _ in range(5):
                data = _reword(base, rng)
                if exercise.validator.is_valid(data):
                    break
            else:
                data = copy.deepcopy(base)
            data["learner"] = {"name": f"Learner {index}", "id": f"S{index:06d}",
                               "email": f"l{index}@example.org"}
            raw = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
        members.append((f"learner{index:06d}_{user}_{submission}_worksheet.yaml", raw))
    return members


def _with_bytecode_cache(cache: Path) -> dict[str, str]:
    """The environment for timed runs: Python's compiled-module cache, in ``cache``.

    Python normally keeps each module compiled in ``__pycache__`` (pip does it at
    install time), so a run does not compile the package again. Some sandboxes set
    PYTHONDONTWRITEBYTECODE, and then every run compiled workbook's ~40 modules from
    source first (about 40 ms). A cache of its own, filled by one untimed run, gives
    the timed runs what an installed workbook has, without writing into the checkout.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of a command and its worker processes."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *command], check=True,
                          capture_output=True, text=True, env=env)
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _default_dir() -> str:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else tempfile.gettempdir()


def _create_cost(folder: str, count: int = 500) -> float:
    """Microseconds to create and write one small new file in ``folder``."""
    with tempfile.TemporaryDirectory(dir=folder) as temp:
        started = time.perf_counter()
        for index in range(count):
            with open(os.path.join(temp, f"f{index}"), "wb") as handle:
                handle.write(b"x" * 2000)
        return (time.perf_counter() - started) / count * 1e6


def _floor(folder: Path) -> float:
    files = sorted(folder.iterdir())
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        with contextlib.suppress(yaml.YAMLError):  # the floor pays for failures too
            yaml.load(data, Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def _single_files() -> list[tuple[str, float, str]]:
    from workbook.catalog import load_catalog
    from workbook.loader import DEFAULT_LIMITS
    from workbook.worksheet import check_bytes

    catalog = load_catalog(ROOT)
    # The largest valid worksheet the schemas allow (500 contacts, every answer at its
    # maximum length, about 0.9 MB), and a 1 MB one with more contacts than allowed.
    words = tuple(_PHRASE.split())
    text = " ".join(words[k % len(words)] for k in range(120))

    def contact(i: int) -> dict[str, Any]:
        return {"name": f"Person {i}", "tier": ("AA", "AB", "AC")[i % 3],
                "relationship": text[:300], "field": text[:200], "organisation": text[:200],
                "offer": text[:500], "next_action": text[:500], "gatekeeper": i % 50 == 0}

    def sheet(count: int) -> bytes:
        return yaml.safe_dump({"exercise": "contact-inventory", "version": 1,
                               "learner": {"name": "Big", "id": "B1", "email": ""},
                               "contacts": [contact(i) for i in range(count)]},
                              sort_keys=False, width=10_000).encode()

    largest, big = sheet(500), sheet(560)
    hostile = b"a: [" + b"1," * ((DEFAULT_LIMITS.max_bytes - 10) // 2) + b"1]\n"
    hostile = hostile[: DEFAULT_LIMITS.max_bytes]
    rows = []
    for label, raw in (("largest valid worksheet", largest), ("1 MB worksheet", big),
                       ("hostile file at the size limit", hostile)):
        started = time.perf_counter()
        result = check_bytes(raw, label, catalog)
        rows.append((f"{label} ({len(raw) / 1e6:.2f} MB)", time.perf_counter() - started,
                     result.status))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="submissions (default 10,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each variant, taken in turn; the best time counts "
                             "(default 3)")
    parser.add_argument("--dir", default=_default_dir(),
                        help="where to put the class and the outputs (default: /dev/shm "
                             "when available, so disk speed does not swamp what is measured)")
    args = parser.parse_args()
    workbook = [sys.executable, "-m", "workbook"]
    print(f"files in {args.dir}; creating a file on the disk's temp folder costs "
          f"{_create_cost(tempfile.gettempdir()):.0f} us here, in {args.dir} "
          f"{_create_cost(args.dir):.0f} us")
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        base = Path(temp)
        folder, archive = base / "class", base / "class.zip"
        folder.mkdir()
        started = time.perf_counter()
        members = generate(args.n, args.seed)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name, raw in members:
                (folder / name).write_bytes(raw)
                zipped.writestr(zipfile.ZipInfo(name, (2026, 11, 1, 0, 0, 0)), raw)
        archive.write_bytes(buffer.getvalue())
        size = sum(len(raw) for _, raw in members)
        del members, buffer
        print(f"{args.n:,} submissions, {size / args.n:,.0f} bytes on average "
              f"(generated in {time.perf_counter() - started:.1f} s; seed {args.seed})")

        _floor(folder)  # warm the page cache so every run reads from memory
        floor = min(_floor(folder) for _ in range(3))
        env = _with_bytecode_cache(base / "pycache")
        subprocess.run([*workbook, "list"], check=True, env=env,  # fills the cache
                       stdout=subprocess.DEVNULL)
        runs: dict[str, tuple[float, int]] = {}
        for _ in range(max(1, args.repeat)):
            for label, jobs, source in (("jobs1", "1", folder), ("jobs2", "2", folder),
                                        ("zip1", "1", archive)):
                out = base / f"out-{label}"
                shutil.rmtree(out, ignore_errors=True)  # every run starts from nothing
                seconds, peak = _measured([*workbook, "score", str(source), "--out",
                                           str(out), "--jobs", jobs], env)
                best = runs.get(label, (seconds, peak))
                runs[label] = (min(seconds, best[0]), max(peak, best[1]))
        identical = _digest(base / "out-jobs1") == _digest(base / "out-jobs2")
        summary = json.loads((base / "out-jobs1" / "results.json").read_text())["summary"]

    def per(seconds: float) -> float:
        return seconds / args.n * 1e6

    one, two, zipped_run = runs["jobs1"], runs["jobs2"], runs["zip1"]
    print(f"  (best of {max(1, args.repeat)} runs each; peak memory: the largest)")
    print(f"  1. floor: read + yaml.load(CSafeLoader)   {per(floor):8.0f} us/submission")
    print(f"  2. workbook score --jobs 1 (end to end)   {per(one[0]):8.0f} us/submission   "
          f"peak {one[1] / 1024:6.0f} MB")
    print(f"  3. workbook score --jobs 2                {per(two[0]):8.0f} us/submission   "
          f"peak {two[1] / 1024:6.0f} MB (largest process)")
    print(f"     workbook score --jobs 1 on the zip     {per(zipped_run[0]):8.0f} "
          f"us/submission   peak {zipped_run[1] / 1024:6.0f} MB")
    print(f"  ratio 2 / 1 (target <= 2.0)               {one[0] / floor:8.2f}")
    print(f"  speed-up of 3 over 2 (target >= 1.7)      {one[0] / two[0]:8.2f}")
    print(f"  outputs of --jobs 1 and --jobs 2 identical: {'yes' if identical else 'NO'}")
    print(f"  statuses: {summary['by_status']}")
    for label, seconds, status in _single_files():
        print(f"  {label}: {seconds * 1000:.0f} ms ({status})")


if __name__ == "__main__":
    main()
