"""Headless Chromium and a local site server, for browser tests and the README screenshots."""

from __future__ import annotations

import socket
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


def _run(binary: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def chromium(binary: str, *args: str, timeout: float = 60) -> str:
    return _run(binary, *args, timeout=timeout).stdout


def dump_dom_and_console(binary: str, url: str) -> tuple[str, list[str]]:
    """The rendered DOM, and the page's console messages (Content-Security-Policy violations
    among them), which Chromium logs to stderr as `...:CONSOLE:<line>] "message", source`."""
    done = _run(binary, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
                "--dump-dom", url)
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def dump_dom(binary: str, url: str) -> str:
    """The DOM after the page (or the feed through its feed-view.js) has rendered."""
    return chromium(binary, "--virtual-time-budget=5000", "--dump-dom", url)


def screenshot(binary: str, url: str, path: Path, width: int = 1200, height: int = 1500) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    chromium(binary, "--virtual-time-budget=5000", f"--window-size={width},{height}",
             f"--screenshot={path}", url)


def free_port() -> int:
    """A loopback port free now: to build a site for http://127.0.0.1:<port>/ (its pages link
    absolutely, from their SITE_URL) before serving it there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_site(directory: Path, port: int = 0, site: bool = True) -> Iterator[str]:
    """The site folder served by `paperfeed serve`'s handler on loopback; `site=False` for a
    folder that is another site (no paperfeed security headers, so not its CSP)."""
    server = make_server(str(directory), port, security_headers=site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
