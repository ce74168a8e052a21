"""A loopback Hugging Face serving recorded responses, with failure switches.

Used by the tests (as a thread) and by hand for an offline run:
    python tests/fake_hf.py --port 8765   # then HF_BASE_URL=http://127.0.0.1:8765 make run
"""

from __future__ import annotations

import argparse
import html
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from loopback import LoopbackServer

FIXTURES = Path(__file__).parent / "fixtures" / "hf"
SUBSET_0731 = "api_daily_papers__2026-07-31__all-news-ai_date_subset5_pretty.json"
FULL_0731 = "api_daily_papers__2026-07-31__personal-news-feed_limit50.json"
DAY_0612 = "api_daily_papers__2026-06-12__sotawhat_limit100.json"
TWO_DAYS_07 = "api_daily_papers__2026-07-13_and_07-10__ai-weekly-radar_limit25.json"
DAY_0803 = "api_daily_papers__2026-08-03__newsassistant_subset3_pretty.json"
PAGE_20240801 = "html_papers__2024-08-01__dailay_paper_info.html"


def load_items(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded_days() -> dict[str, list[dict[str, Any]]]:
    """Every recorded API day, as the fake serves it by default (07-31 in its later state)."""
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name in (DAY_0612, TWO_DAYS_07, FULL_0731, DAY_0803):
        for item in load_items(name):
            days[item["paper"]["submittedOnDailyAt"][:10]].append(item)
    return dict(days)


JUNE = FIXTURES / "daily-2026-06"  # 21 real weekday lists of June 2026 (SOURCES.md)


def june_days() -> dict[str, list[dict[str, Any]]]:
    """The month of real days, as the fake serves them: day -> its API items."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(JUNE.glob("*.json"))}


def page_html(day: str, items: list[dict[str, Any]]) -> bytes:
    """A day page shaped like HF's 2026 layout: several data-props, DailyPapers not first."""
    props = html.escape(json.dumps({"dailyPapers": items, "dateString": day}), quote=True)
    return (
        "<!doctype html><html><body>"
        '<div class="SVELTE_HYDRATER" data-target="MainHeader" data-props="{&quot;x&quot;:1}">'
        "</div>"
        '<div class="SVELTE_HYDRATER" data-target="ThemeSwitcher" data-props="{}"></div>'
        f'<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="{props}"></div>'
        "<article><h3>Visible text must not be scraped</h3></article></body></html>"
    ).encode()


@dataclass
class Behaviour:
    """Scripted failures: each queue is consumed one request at a time, then normal service."""

    api_status: dict[str, list[int]] = field(default_factory=dict)  # day -> statuses
    page_status: dict[str, list[int]] = field(default_factory=dict)
    retry_after: str | None = None  # sent with 429/503 answers
    api_body: dict[str, bytes] = field(default_factory=dict)  # day -> raw body override
    page_body: dict[str, bytes] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (read timeouts)
    redirect: dict[str, str] = field(default_factory=dict)  # day -> Location of a 302
    trickle: dict[str, float] = field(default_factory=dict)  # day -> seconds between bytes


class FakeHF(LoopbackServer):
    def __init__(self, days: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.days = recorded_days() if days is None else days
        self.pages: dict[str, bytes] = {"2024-08-01": (FIXTURES / PAGE_20240801).read_bytes()}
        self.behaviour = Behaviour()
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.request_times: list[float] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def api_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/api/")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if status in (429, 503) and fake.behaviour.retry_after is not None:
                    self.send_header("Retry-After", fake.behaviour.retry_after)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                b = fake.behaviour
                with fake._lock:
                    fake.requests.append(self.path)
                    fake.user_agents.append(self.headers.get("User-Agent", ""))
                    fake.request_times.append(time.monotonic())
                if b.delay:
                    time.sleep(b.delay)
                url = urlparse(self.path)
                query = parse_qs(url.query)
                if url.path == "/api/daily_papers":
                    day = query.get("date", [""])[0]
                    limit, page = int(query.get("limit", ["50"])[0]), int(query.get("p", ["0"])[0])
                    self._api(day, limit, page)
                elif url.path.startswith("/papers/date/"):
                    self._page(url.path.rsplit("/", 1)[-1])
                else:
                    self._send(404, b"not found", "text/plain")

            def _scripted(self, queue: dict[str, list[int]], day: str) -> int | None:
                with fake._lock:
                    statuses = queue.get(day)
                    return statuses.pop(0) if statuses else None

            def _api(self, day: str, limit: int, page: int) -> None:
                if day in fake.behaviour.redirect:
                    self.send_response(302)
                    self.send_header("Location", fake.behaviour.redirect[day])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if day in fake.behaviour.trickle:  # every byte in time, the whole far too slow
                    body = json.dumps(fake.days.get(day, [])).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for i in range(len(body)):
                        try:
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                        except OSError:
                            return None
                        time.sleep(fake.behaviour.trickle[day])
                    return None
                status = self._scripted(fake.behaviour.api_status, day)
                if status:
                    return self._send(status, b'{"error":"scripted"}', "application/json")
                if day in fake.behaviour.api_body:
                    return self._send(200, fake.behaviour.api_body[day], "application/json")
                if day in fake.pages and day not in fake.days:
                    # Old days that only the page fixture knows: the API is "down" for them.
                    return self._send(500, b'{"error":"Internal Error"}', "application/json")
                items = fake.days.get(day, [])[page * limit : (page + 1) * limit]
                body = json.dumps(items, ensure_ascii=False).encode()
                self._send(200, body, "application/json; charset=utf-8")

            def _page(self, day: str) -> None:
                status = self._scripted(fake.behaviour.page_status, day)
                if status:
                    return self._send(status, b"<html>error</html>", "text/html")
                if day in fake.behaviour.page_body:
                    return self._send(200, fake.behaviour.page_body[day], "text/html")
                body = fake.pages.get(day) or page_html(day, fake.days.get(day, []))
                self._send(200, body, "text/html; charset=utf-8")

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    fake = FakeHF()
    fake.server.server_close()
    fake.server = ThreadingHTTPServer(("127.0.0.1", args.port), fake._handler())
    print(f"fake HF on {fake.url}; days: {', '.join(sorted(fake.days) + sorted(fake.pages))}")
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
