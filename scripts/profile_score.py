"""Where ``workbook score`` spends its time: each step timed on its own, in one process.

``bench_score.py`` measures the whole command against the parse floor; this script
splits the same work (the same generated class, by default 10,000 submissions with
the benchmark's seed) into the steps it is made of and times each over every file,
best of ``--repeat`` runs, in microseconds per submission. Steps that need the one
before get its output, prepared outside the timing:

* list the folder, read each file (``workbook.intake``);
* load it under the strict rules (``workbook.loader``);
* check it against its schema, and score the valid ones (``workbook.checking``,
  ``workbook.scoring``);
* sketch its free text for similarity (``workbook.similarity``);
* identify the learner and render the submission's own rows: its results.json
  object, grades.csv row and feedback sections (``workbook.pipeline.render_parts``);
* the class-wide step: resubmissions and order, then similarity
  (``workbook.gradebook.collect`` and ``find_similar``);
* assemble results.json, grades.csv and report.html from the rendered rows;
* write every learner's two feedback pages (``workbook.files.write_many``);
* start-up: ``workbook list`` end to end, in a fresh interpreter.

For a flame graph of a real run, across the workers too, use py-spy (not a
dependency of the project: ``pip install py-spy`` into the virtual environment):

    py-spy record --subprocesses -o score.svg -- .venv/bin/workbook score CLASS --out OUT --jobs 2

Run: ``python scripts/profile_score.py [-n N]``. The README's benchmark section
shows what it printed.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import ROOT, _default_dir, _with_bytecode_cache, generate

from workbook import gradebook, intake, pipeline, similarity
from workbook.batch import load
from workbook.catalog import load_catalog
from workbook.checking import validate
from workbook.files import write_many
from workbook.loader import DEFAULT_LIMITS, Document
from workbook.records import Entry, Location, Summary, summarise
from workbook.reporters import class_report, feedback, grades_csv, results_json
from workbook.scoring import score
from workbook.worksheet import check_document


def _best(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs of ``step``, in seconds, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - started)
    return best, result


def _startup(repeat: int, cache: Path) -> float:
    env = _with_bytecode_cache(cache)
    command = [sys.executable, "-m", "workbook", "list"]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)  # fills the cache
    return _best(repeat, lambda: subprocess.run(command, check=True, env=env,
                                                stdout=subprocess.DEVNULL))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="submissions (default 10,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (default 3)")
    parser.add_argument("--dir", default=_default_dir(),
                        help="where to put the class and the pages (default: /dev/shm "
                             "when available)")
    args = parser.parse_args()
    catalog = load_catalog(ROOT)
    limits = DEFAULT_LIMITS
    rows: list[tuple[str, float, str]] = []

    def timed(label: str, step: Callable[[], Any], note: str = "") -> Any:
        seconds, result = _best(args.repeat, step)
        rows.append((label, seconds, note))
        return result

    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp) / "class"
        folder.mkdir()
        for name, raw in generate(args.n, args.seed):
            (folder / name).write_bytes(raw)
        items = timed("list the folder", lambda: list(intake.iter_inputs([str(folder)])))
        submissions = [item for item in items if isinstance(item, intake.Submission)]
        read = timed("read the files", lambda: [intake.read(s, limits) for s in submissions])
        loaded = timed("strict load", lambda: [load(s, limits) for s in read],
                       "refused files are read again by the full rules, to word the refusal")
        documents = [doc for doc in loaded if isinstance(doc, Document)]
        exercises = [(doc, catalog.get(doc.data.get("exercise"))) for doc in documents]
        to_check = [(doc, ex) for doc, ex in exercises if ex is not None]
        for _, exercise in to_check:
            exercise.fast_validate  # noqa: B018  (compiled once, as in a worker's first check)
        checked = timed("schema check",
                        lambda: [validate(doc, ex.validator, ex.fast_validate)
                                 for doc, ex in to_check],
                        "fastjsonschema yes/no; jsonschema explains a no")
        valid = [(data, ex) for (data, problems), (_, ex) in zip(checked, to_check, strict=True)
                 if not problems]
        timed("scoring (valid files)", lambda: [score(data, ex.rubric) for data, ex in valid])
        results = [check_document(doc, catalog) if isinstance(doc, Document) else doc
                   for doc in loaded]
        sketches = timed("similarity sketch",
                         lambda: [similarity.sketch(doc.data)
                                  if isinstance(doc, Document) and result.exercise else b""
                                  for doc, result in zip(loaded, results, strict=True)])
        graded = [(s.path, result, sketch)
                  for s, result, sketch in zip(read, results, sketches, strict=True)]

        def identify_and_render() -> list[tuple[Entry, tuple[bytes, ...]]]:
            entries = [gradebook.make_entry(order, *one) for order, one in enumerate(graded)]
            return [(entry, pipeline.render_parts(entry, catalog)) for entry in entries]

        rendered = timed("identity and rows", identify_and_render,
                         "results.json object, grades.csv row, feedback sections")
        parts = {entry.order: rows_ for entry, rows_ in rendered}
        summaries = [summarise(entry, Location(0, 0, (0, 0, 0, 0)))
                     for entry, _ in rendered]
        result = timed("class-wide step",
                       lambda: gradebook.find_similar(gradebook.collect(summaries)),
                       "resubmissions, order, similarity")

        def assemble() -> None:
            grades, results_out = io.BytesIO(), io.BytesIO()
            grades.write(grades_csv.header())

            def both(entry: Summary) -> bytes:
                own = parts[entry.order]
                grades.write(own[1])
                return own[0]

            results_json.write_to(results_out, result, both)
            class_report.render(result, catalog)

        timed("results.json, grades.csv, report.html", assemble, "from the rendered rows")
        pages_folder = Path(temp) / "feedback"
        pages_folder.mkdir()

        def write_pages() -> None:
            learners = result.learners()
            names = feedback.assign_names(learners, learners)
            for key, entries in learners.items():
                own = [parts[e.order] for e in entries]
                write_many(pages_folder, feedback.pages(
                    names[key], entries[0].label, entries[0].learner_id,
                    [p[2].decode() for p in own], [p[3].decode() for p in own]))

        timed("feedback pages", write_pages, "two files per learner, each renamed into place")
        startup = _startup(args.repeat, Path(temp) / "pycache")
    total = sum(seconds for _, seconds, _ in rows)
    print(f"{args.n:,} submissions (seed {args.seed}), best of {args.repeat}, in "
          f"{args.dir}; per submission:")
    for label, seconds, note in rows:
        print(f"  {label:40s} {seconds / args.n * 1e6:7.1f} us   {note}")
    print(f"  {'sum of the steps':40s} {total / args.n * 1e6:7.1f} us")
    print(f"  start-up (workbook list, end to end)     {startup * 1000:7.0f} ms once "
          f"({startup / args.n * 1e6:.1f} us per submission)")


if __name__ == "__main__":
    main()
