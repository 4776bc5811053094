"""The benchmark and the profile still run, and print what the README quotes.

They are developer tools, run by hand (``make bench``, ``make profile``); these
smoke runs on a small class keep them from rotting as the engine changes under them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, tmp_path: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "-n", "60",
                           "--repeat", "1", "--dir", str(tmp_path), *args],
                          check=True, capture_output=True, text=True, timeout=300)
    return done.stdout


def test_the_benchmark_prints_the_four_figures_and_the_ratios(tmp_path: Path):
    printed = _run("bench_score.py", tmp_path)
    for label in ("1. floor", "2. workbook score --jobs 1", "3. workbook score --jobs 2",
                  "on the zip"):
        assert re.search(re.escape(label) + r".*\s\d+ us/submission", printed), printed
    assert re.search(r"ratio 2 / 1 \(target <= 2.0\)\s+\d+\.\d\d", printed), printed
    assert re.search(r"speed-up of 3 over 2 \(target >= 1.7\)\s+\d+\.\d\d", printed), printed
    assert "outputs of --jobs 1 and --jobs 2 identical: yes" in printed
    assert re.search(r"hostile file at the size limit .*\(unreadable\)", printed), printed
    assert list(tmp_path.iterdir()) == []  # the class and the outputs are cleaned up


def test_the_profile_times_every_step(tmp_path: Path):
    printed = _run("profile_score.py", tmp_path)
    for step in ("list the folder", "read the files", "strict load", "schema check",
                 "scoring (valid files)", "similarity sketch", "identity and rows",
                 "class-wide step", "results.json, grades.csv, report.html",
                 "feedback pages", "sum of the steps"):
        assert re.search(re.escape(step) + r"\s+\d+\.\d us", printed), (step, printed)
    assert re.search(r"start-up \(workbook list, end to end\)\s+\d+ ms once", printed)
    assert list(tmp_path.iterdir()) == []


def test_the_lighthouse_server_compresses_and_caches_as_a_host_would(tmp_path: Path):
    """Lighthouse itself runs by hand (make lighthouse, from npm); what it measures
    against, the site served with gzip and a cache header, is held here."""
    import gzip
    import urllib.request

    sys.path.insert(0, str(ROOT / "scripts"))
    from lighthouse import pages
    from serve_compressed import serve

    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>" + "words " * 500)
    (tmp_path / "chapters" / "contact-tiers").mkdir(parents=True)
    (tmp_path / "chapters" / "contact-tiers" / "index.html").write_text("<p>chapter</p>")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    server, base = serve(tmp_path)
    try:
        request = urllib.request.Request(base, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == "public, max-age=3600"
            assert gzip.decompress(response.read()).startswith(b"<!doctype html>")
        request = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None  # images are compressed already
    finally:
        server.shutdown()
    assert pages(tmp_path)["chapter: contact-tiers"] == "chapters/contact-tiers/"
    assert pages(tmp_path)["home"] == ""
