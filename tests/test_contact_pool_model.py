"""Chapter 2, its reach figure and its notebook tell the same numbers.

The chapter quotes the notebook's overlap model (a circle of 200, 1 in 4 of each new
person's contacts new) and draws it in docs/images/reach-by-steps.svg; the notebook
explains where its own model runs out of people. These tests run the notebook's model
itself, so a change to the model that the prose does not follow fails here.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "contact-pool.ipynb"
CHAPTER = ROOT / "docs" / "chapters" / "contact-pool.md"
FIGURE = ROOT / "docs" / "images" / "reach-by-steps.svg"


def code_cells() -> list[dict[str, Any]]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    """The notebook's settings and helpers, run as the notebook runs them."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    cells = code_cells()
    namespace: dict[str, Any] = {}
    exec(source(cells[0]), namespace)  # the settings the reader changes
    helpers = next(c for c in cells if "def overlap_pool" in source(c))
    exec(source(helpers), namespace)
    return namespace


def test_the_chapter_and_its_figure_quote_the_notebooks_model(model: dict[str, Any]):
    pool = model["overlap_pool"](200, 3, 0.25, model["POPULATION"])
    rounded = [model["about"](n) for n in pool]
    assert rounded == [200, 10_000, 500_000]
    assert model["naive_pool"](200, 3) == [200, 40_000, 8_000_000]
    chapter = CHAPTER.read_text(encoding="utf-8")
    assert "10,000 people at\ntwo steps and 500,000 at three" in chapter
    assert "a sixteenth of the naive figure" in chapter
    assert round(8_000_000 / pool[-1]) == 16
    figure = FIGURE.read_text(encoding="utf-8")
    for number in ("40,000 naive", "10,000 with overlap", "8,000,000", "500,000"):
        assert number in figure, number


def test_random_mixing_gives_most_of_the_world_at_four_steps(model: dict[str, Any]):
    """The notebook's warning: a circle of 1,000 at 4 steps counts about 6.9 billion."""
    pool = model["overlap_pool"](1000, 4, 0.25, model["POPULATION"])
    assert round(sum(pool) / 1e9, 1) == 6.9
    assert sum(pool) < model["POPULATION"]


def test_at_six_steps_a_larger_share_can_find_fewer_new_people(model: dict[str, Any]):
    """The dip the sensitivity table explains: the pool has run out, reach has not shrunk."""
    population = model["POPULATION"]
    quarter = model["overlap_pool"](200, 6, 0.25, population)
    half = model["overlap_pool"](200, 6, 0.5, population)
    assert half[-1] < quarter[-1]
    assert sum(half) >= sum(quarter)
    assert sum(half[:-1]) > 0.9 * population


def test_the_page_shows_results_and_only_the_settings_as_code():
    cells = code_cells()
    assert "MY_CIRCLE = 200" in source(cells[0])
    assert "remove_input" not in cells[0]["metadata"].get("tags", [])
    for cell in cells[1:]:
        assert "remove_input" in cell["metadata"].get("tags", []), source(cell)[:60]


def test_notebook_chart_and_chapter_figure_share_colours():
    helpers = next(source(c) for c in code_cells() if "def overlap_pool" in source(c))
    figure = FIGURE.read_text(encoding="utf-8")
    for colour in ("#f6dcd8", "#b03a2e", "#1f5fad"):
        assert colour in helpers and colour in figure, colour


def test_the_overlap_model_never_counts_more_people_than_exist(model: dict[str, Any]):
    for circle in (10, 200, 5000):
        for share in (0.1, 0.25, 0.5, 1.0):
            pool = model["overlap_pool"](circle, 6, share, model["POPULATION"])
            assert sum(pool) <= model["POPULATION"] * (1 + 1e-9)
            assert all(n >= 0 and not math.isnan(n) for n in pool)
