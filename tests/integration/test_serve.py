"""`paperfeed serve`: the local preview answers like the deployed site, including 304s."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from paperfeed.entrypoints.serve import SECURITY_HEADERS, make_server


@pytest.fixture
def served(site_30: Path) -> Iterator[str]:
    server = make_server(str(site_30), port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_types_and_caching_headers_match_the_published_objects(served: str) -> None:
    index = requests.get(served + "/", timeout=5)
    assert index.status_code == 200 and index.headers["Content-Type"] == "text/html; charset=utf-8"
    atom = requests.get(served + "/feeds/daily.atom", timeout=5)
    assert atom.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert atom.headers["Access-Control-Allow-Origin"] == "*"
    assert "stale-while-revalidate" in atom.headers["Cache-Control"]
    assert atom.headers["ETag"].startswith('"') and len(atom.headers["ETag"]) == 34
    jf = requests.get(served + "/feeds/daily.json", timeout=5)
    assert jf.headers["Content-Type"] == "application/json; charset=utf-8"


def test_conditional_requests_get_304_and_changed_etags_get_200(served: str) -> None:
    url = served + "/feeds/daily.rss"
    first = requests.get(url, timeout=5)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = requests.get(url, headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    since = requests.get(url, headers={"If-Modified-Since": modified}, timeout=5)
    assert since.status_code == 304
    other = requests.get(url, headers={"If-None-Match": '"0000"'}, timeout=5)
    assert other.status_code == 200 and other.content == first.content
    # If-None-Match decides when both are sent (RFC 9110).
    both = requests.get(url, headers={"If-None-Match": '"0000"', "If-Modified-Since": modified},
                        timeout=5)
    assert both.status_code == 200


def test_missing_files_and_escapes_are_404(served: str) -> None:
    for path in ("/nope.atom", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
        assert requests.get(served + path, timeout=5).status_code == 404, path


def test_every_answer_carries_the_distributions_security_headers(served: str) -> None:
    index = requests.get(served + "/", timeout=5)
    etag = index.headers["ETag"]
    answers = [index, requests.get(served + "/feeds/daily.atom", timeout=5),
               requests.get(served + "/", headers={"If-None-Match": etag}, timeout=5),
               requests.get(served + "/nope.atom", timeout=5)]
    assert [a.status_code for a in answers] == [200, 200, 304, 404]
    for answer in answers:
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.url, name)
    assert "default-src 'none'" in SECURITY_HEADERS["Content-Security-Policy"]


def test_another_site_is_served_without_paperfeeds_policy(site_30: Path) -> None:
    server = make_server(str(site_30), port=0, security_headers=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        answer = requests.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status_code == 200
    assert not set(SECURITY_HEADERS) & set(answer.headers)
