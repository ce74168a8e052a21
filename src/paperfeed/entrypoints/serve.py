"""`paperfeed serve`: the site folder over HTTP, with the headers S3/CloudFront send.

Same Content-Type and Cache-Control as the published objects, strong ETags (the MD5 S3
reports), Last-Modified, and 304 answers to If-None-Match / If-Modified-Since, so a local
preview behaves like the deployed site for readers and aggregators; and the security headers
of the distribution's response headers policy, so a page the Content-Security-Policy would
break in production breaks in the preview too.
"""

from __future__ import annotations

import email.utils
import posixpath
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..publish.plan import cache_control, content_type
from ..publish.stores.base import md5_hex

CORS_PREFIXES = ("feeds/", "archive/")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# The policy of template.yaml's ResponseHeadersPolicy, word for word (a repo test holds the two
# equal), derived from what the pages load: our scripts, from the site: feed-view.js, which a
# feed opened in a browser loads (and it links feed-view.css), and the search page's; index.html's
# fixed <style> block, by hash; style attributes (the upvote bars' widths); images from the
# site itself and HF's thumbnail CDN (the day pages' thumbnails). The search page runs
# Pagefind: its script fetches the index (connect-src), starts its worker (worker-src) and
# compiles its WebAssembly ('wasm-unsafe-eval', which allows WebAssembly only, never eval);
# its form submits to itself.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'sha256-c3XUPcDfLSnxgzuZhlQ7lXh/gDgU67nnwYHa2Z0PFZQ='",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' https://cdn-thumbnails.huggingface.co",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))
# What the distribution adds to every answer, but HSTS, which means nothing over plain http.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


class SiteHandler(BaseHTTPRequestHandler):
    server_version = "paperfeed"

    def __init__(self, *args: object, directory: str, security_headers: bool = True,
                 **kwargs: object) -> None:
        self.root = Path(directory).resolve()
        self.security_headers = SECURITY_HEADERS if security_headers else {}
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _key(self) -> str | None:
        """The site key a request names, or None: outside the folder, a dotfile (`.git/`
        of a checkout), a NUL, a name the file system refuses: all simply not found."""
        path = posixpath.normpath(unquote(urlsplit(self.path).path)).lstrip("/")
        if path in ("", "."):
            path = "index.html"
        if "\x00" in path or any(part.startswith(".") for part in path.split("/")):
            return None
        try:
            target = (self.root / path).resolve()
            if target != self.root and self.root not in target.parents:
                return None
            if target.is_dir():
                target = target / "index.html"
                path = posixpath.join(path, "index.html")
            return path if target.is_file() else None
        except (OSError, ValueError):  # a 300-character segment, an odd byte
            return None

    def _host_allowed(self) -> bool:
        # A page elsewhere can make a browser ask for http://127.0.0.1:8000/ under its own
        # DNS name (DNS rebinding): answer only requests that name a loopback host.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        return host in getattr(self.server, "allowed_hosts", LOOPBACK_HOSTS)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        self._respond(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(body=True)

    def _respond(self, body: bool) -> None:
        if not self._host_allowed():
            return self._plain(HTTPStatus.BAD_REQUEST, b"unknown host\n", body)
        key = self._key()
        if key is None:
            return self._plain(HTTPStatus.NOT_FOUND, b"not found\n", body)
        try:
            data = (self.root / key).read_bytes()
        except OSError:  # gone or unreadable since it was looked up
            return self._plain(HTTPStatus.NOT_FOUND, b"not found\n", body)
        etag = f'"{md5_hex(data)}"'
        modified = datetime.fromtimestamp(int((self.root / key).stat().st_mtime), UTC)
        headers = {
            "ETag": etag,
            "Last-Modified": email.utils.format_datetime(modified, usegmt=True),
            "Cache-Control": cache_control(key),
            **self.security_headers,
        }
        if key.startswith(CORS_PREFIXES):
            headers["Access-Control-Allow-Origin"] = "*"
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            return self.end_headers()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(key))
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        # RFC 9110: If-None-Match wins over If-Modified-Since when both are sent.
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [t.strip().removeprefix("W/") for t in match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, OverflowError):  # e.g. a year of 10**9
                return False
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return modified <= when
        return False

    def _plain(self, status: HTTPStatus, text: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        for name, value in self.security_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(text)


def make_server(directory: str, port: int = 8000, host: str = "127.0.0.1",
                security_headers: bool = True) -> ThreadingHTTPServer:
    """`security_headers=False` serves a folder that is not a paperfeed site (a test's "other
    site" embedding the widget, a blog), which the site's own policy would not fit."""
    handler = partial(SiteHandler, directory=directory, security_headers=security_headers)
    return ThreadingHTTPServer((host, port), handler)
