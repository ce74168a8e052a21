"""HTTP to Hugging Face: one session, timeouts, retries, a byte cap. Returns bytes only.

Every failure comes out as `FetchError` with what went wrong named (status, timeout, size,
connection), so the caller can log it and fall back; nothing here parses a body.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import PROJECT_URL, __version__
from ..errors import FetchError

USER_AGENT = f"paperfeed/{__version__} (+{PROJECT_URL})"
API_PAGE_SIZE = 100  # HF's largest page; without `limit` the API stops at 50
MAX_BODY_BYTES = 8 * 1024 * 1024  # a full API page is ~0.6 MB, a day page ~1 MB
RETRY_AFTER_CAP = 60.0  # a longer Retry-After is not worth a Lambda's time: fail the day


class _CappedRetry(Retry):
    # urllib3 honours Retry-After (seconds or an HTTP date) as given; cap it so a
    # hostile or mistaken header cannot park the run for an hour.
    def get_retry_after(self, response):  # type: ignore[no-untyped-def]
        value = super().get_retry_after(response)
        return None if value is None else min(value, RETRY_AFTER_CAP)


def make_session(retries: int = 3, backoff: float = 1.0) -> requests.Session:
    """A session that retries GETs on connection errors, 429 and 5xx, honouring Retry-After."""
    retry = _CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        backoff_max=30,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # we name the final status ourselves
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def _cut_off(response: requests.Response) -> None:
    """Wake the read waiting on `response` by shutting its socket (closing alone does not)."""
    # urllib3 keeps the socket under http.client's response: raw._fp.fp (a SocketIO).
    socket_io = getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None)
    sock = getattr(socket_io, "_sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    response.close()


@dataclass
class HFClient:
    """Fetches the raw bytes of a day's API pages and of its HTML page."""

    base_url: str = "https://huggingface.co"
    session: requests.Session = field(default_factory=make_session)
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_bytes: int = MAX_BODY_BYTES
    # The whole request, however the bytes arrive: the read timeout applies per read, so a
    # server trickling a byte at a time would otherwise never be cut off.
    deadline: float = 60.0
    requests_made: int = 0

    def api_page(self, day: date, page: int = 0, limit: int = API_PAGE_SIZE) -> bytes:
        params: dict[str, str | int] = {"date": day.isoformat(), "limit": limit}
        if page:
            params["p"] = page
        return self._get("/api/daily_papers", params, "application/json")

    def day_page(self, day: date) -> bytes:
        return self._get(f"/papers/date/{day.isoformat()}", None, "text/html")

    def _same_origin(self, response: requests.Response, **_: object) -> None:
        """A response hook: a redirect may only stay on the configured HF origin."""
        if response.is_redirect:
            target = urlsplit(urljoin(response.url, response.headers.get("Location", "")))
            origin = urlsplit(self.base_url)
            if (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
                raise FetchError(f"GET {response.url}: redirected off {origin.netloc} "
                                 f"to {target.scheme}://{target.netloc}, refused")

    def _get(self, path: str, params: dict[str, str | int] | None, accept: str) -> bytes:
        url = self.base_url.rstrip("/") + path
        self.requests_made += 1
        started = time.monotonic()
        try:
            with self.session.get(
                url,
                params=params,
                headers={"Accept": accept},
                timeout=(self.connect_timeout, self.read_timeout),
                stream=True,
                hooks={"response": self._same_origin},
            ) as response:
                # Past the deadline the connection is closed under the read that waits.
                watchdog = threading.Timer(self.deadline, _cut_off, (response,))
                watchdog.daemon = True
                watchdog.start()
                if response.status_code != 200:
                    raise FetchError(f"GET {response.url}: HTTP {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"GET {url}: {declared} bytes, over the cap")
                body = bytearray()
                try:
                    for chunk in response.iter_content(64 * 1024):
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchError(f"GET {url}: over {self.max_bytes} bytes, refused")
                except (requests.RequestException, OSError, AttributeError, ValueError):
                    if time.monotonic() - started < self.deadline:
                        raise
                finally:
                    watchdog.cancel()
                if time.monotonic() - started >= self.deadline:
                    raise FetchError(f"GET {url}: not done within {self.deadline:.0f} s, cut off")
        except requests.Timeout as exc:
            raise FetchError(f"GET {url}: timed out ({exc.__class__.__name__})") from None
        except requests.exceptions.RetryError as exc:
            raise FetchError(f"GET {url}: gave up after retries ({exc})") from None
        except requests.RequestException as exc:
            raise FetchError(f"GET {url}: {exc.__class__.__name__}: {exc}") from None
        if not body:
            raise FetchError(f"GET {url}: empty body")
        return bytes(body)
