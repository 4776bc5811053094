"""Serve the built site as a real host would: gzip for text, and a one-hour cache.

Lighthouse measures what a reader's phone downloads, so the site is measured served
the way GitHub Pages serves it (compressed, cacheable), not as ``python -m
http.server`` serves it (neither), which alone costs 20 to 40 points.

    python scripts/serve_compressed.py [--port 8765] [--root site]

Used by scripts/lighthouse.py; handy on its own to look at the site as published.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import threading
from pathlib import Path

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".yaml",
              ".ipynb", ".mjs")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it and the type is text."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=3600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        return None


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, stamp: int) -> bytes:
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=6, mtime=0)


def serve(root: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start serving ``root`` in a thread; the server and its base URL."""
    handler = functools.partial(Handler, directory=os.fspath(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--root", default="site")
    args = parser.parse_args()
    server, url = serve(Path(args.root), args.port)
    print(f"Serving {args.root} at {url} (gzip, one-hour cache); Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
