"""Lighthouse on every kind of page, as a phone on a slow network sees the site.

Serves the built site with compression and a cache header
(scripts/serve_compressed.py), runs Lighthouse 12.2.3 (npm; 13 needs Node 22) in
Debian's chromium with its mobile defaults (simulated slow 4G, a mid-range phone's
CPU), three times per page, and prints the median score of each category with the
total blocking time and first contentful paint behind the performance score.

    make lighthouse                        # build, then every page below
    python scripts/lighthouse.py --runs 1 --pages home,glossary

Lighthouse comes from npm at run time (``npx lighthouse@12.2.3``), never from the
project's dependencies: the test suite does not need it. Exits 1 when a page's
median is under the targets (performance 95, the others 100), so it can gate a
release; the README keeps what it printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_compressed import serve  # a script beside this one

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


def pages(site: Path) -> dict[str, str]:
    """Every kind of page: name -> path below the site's root."""
    found = {"home": "", "glossary": "glossary/", "sources": "sources/",
             "guide: worksheets": "guides/worksheets/", "notebook": "notebooks/contact-pool/",
             "cast": "cast/", "exercises": "exercises/"}
    for kind in ("chapters", "exercises"):
        for page in sorted((site / kind).glob("*/index.html")):
            found[f"{kind[:-1]}: {page.parent.name}"] = f"{kind}/{page.parent.name}/"
    return found


def measure(url: str, runs: int) -> dict[str, float]:
    """Median of ``runs`` Lighthouse runs: the four scores (0-100), TBT and FCP (ms)."""
    results: dict[str, list[float]] = {key: [] for key in (*CATEGORIES, "tbt", "fcp")}
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            report = Path(folder) / f"{run}.json"
            subprocess.run(
                ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json",
                 f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                 f"--only-categories={','.join(CATEGORIES)}"],
                env=env, check=True, capture_output=True, timeout=300)
            data = json.loads(report.read_text())
            for key in CATEGORIES:
                results[key].append(round((data["categories"][key]["score"] or 0) * 100))
            results["tbt"].append(data["audits"]["total-blocking-time"]["numericValue"])
            results["fcp"].append(data["audits"]["first-contentful-paint"]["numericValue"])
    return {key: statistics.median(values) for key, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    if shutil.which("npx") is None:
        sys.exit("lighthouse: npx (Node.js) is needed: apt-get install nodejs npm")
    site = Path(args.site)
    chosen = pages(site)
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        chosen = {name: path for name, path in chosen.items() if name in wanted}
    server, base = serve(site)
    failing = 0
    try:
        print(f"Lighthouse 12.2.3, mobile, median of {args.runs}; gzip and a one-hour cache")
        print(f"{'page':38} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'TBT ms':>7} "
              f"{'FCP s':>6}")
        for name, path in chosen.items():
            got = measure(base + path, args.runs)
            short = [key for key in CATEGORIES if got[key] < TARGETS[key]]
            failing += bool(short)
            print(f"{name:38} {got['performance']:4.0f} {got['accessibility']:4.0f} "
                  f"{got['best-practices']:4.0f} {got['seo']:4.0f} {got['tbt']:7.0f} "
                  f"{got['fcp'] / 1000:6.1f}" + ("  under target" if short else ""), flush=True)
    finally:
        server.shutdown()
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
