"""Headless Chromium and a local site server, for browser tests and the README screenshots."""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperfeed.entrypoints.serve import make_server

# Without the networking flags Chromium stalls on this closed network; a fresh profile
# each time keeps runs independent.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--disable-features=Translate,MediaRouter")


def chromium(binary: str, *args: str, timeout: float = 60) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def dump_dom(binary: str, url: str) -> str:
    """The DOM after the page (or the feed through its XSLT) has rendered."""
    return chromium(binary, "--virtual-time-budget=5000", "--dump-dom", url)


def screenshot(binary: str, url: str, path: Path, width: int = 1200, height: int = 1500) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    chromium(binary, "--virtual-time-budget=5000", f"--window-size={width},{height}",
             f"--screenshot={path}", url)


@contextmanager
def serve_site(directory: Path, port: int = 0) -> Iterator[str]:
    """The site folder served by `paperfeed serve`'s handler on loopback."""
    server = make_server(str(directory), port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
