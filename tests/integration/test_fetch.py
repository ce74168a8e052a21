"""Fetching days from a loopback HF: requests made, retries, fallback, failures named."""

from __future__ import annotations

import copy
import time
from datetime import date

from factories import client_for
from fake_hf import FakeHF

from paperfeed.fetch.scrape import scrape_day


def test_happy_path_is_one_api_request_per_day_with_limit_and_user_agent(fake_hf: FakeHF) -> None:
    client = client_for(fake_hf)
    scrape = scrape_day(client, date(2026, 6, 12))
    assert scrape.source == "api" and len(scrape.result.papers) == 30  # type: ignore[union-attr]
    assert fake_hf.requests == ["/api/daily_papers?date=2026-06-12&limit=100"]
    assert fake_hf.user_agents[0].startswith("paperfeed/") and "https://" in fake_hf.user_agents[0]


def test_a_full_page_fetches_the_next_so_busy_days_are_not_cut(fake_hf: FakeHF) -> None:
    template = fake_hf.days["2026-06-12"][0]
    busy = []
    for i in range(230):
        item = copy.deepcopy(template)
        item["paper"]["id"] = f"2606.{i:05d}"
        busy.append(item)
    fake_hf.days["2026-06-12"] = busy
    scrape = scrape_day(client_for(fake_hf), date(2026, 6, 12))
    assert len(scrape.result.papers) == 230  # type: ignore[union-attr]
    assert fake_hf.requests == [
        "/api/daily_papers?date=2026-06-12&limit=100",
        "/api/daily_papers?date=2026-06-12&limit=100&p=1",
        "/api/daily_papers?date=2026-06-12&limit=100&p=2",
    ]


def test_empty_day_is_a_normal_outcome(fake_hf: FakeHF) -> None:
    scrape = scrape_day(client_for(fake_hf), date(2026, 8, 1))  # a Saturday
    assert scrape.ok and scrape.result.papers == () and scrape.source == "api"  # type: ignore[union-attr]
    assert len(fake_hf.requests) == 1


def test_503_is_retried_and_then_succeeds(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.api_status["2026-06-12"] = [503, 502]
    scrape = scrape_day(client_for(fake_hf), date(2026, 6, 12))
    assert scrape.source == "api" and len(scrape.result.papers) == 30  # type: ignore[union-attr]
    assert len(fake_hf.api_requests()) == 3


def test_429_waits_as_long_as_retry_after_says(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.api_status["2026-06-12"] = [429]
    fake_hf.behaviour.retry_after = "1"
    scrape = scrape_day(client_for(fake_hf), date(2026, 6, 12))
    assert scrape.source == "api"
    waited = fake_hf.request_times[1] - fake_hf.request_times[0]
    assert waited >= 0.95, f"retried after {waited:.2f}s despite Retry-After: 1"


def test_api_failure_falls_back_to_the_page(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.api_status["2026-06-12"] = [500] * 10
    scrape = scrape_day(client_for(fake_hf), date(2026, 6, 12))
    assert scrape.source == "page" and len(scrape.result.papers) == 30  # type: ignore[union-attr]
    assert fake_hf.requests[-1] == "/papers/date/2026-06-12"


def test_recorded_2024_page_is_used_when_the_api_fails(fake_hf: FakeHF) -> None:
    scrape = scrape_day(client_for(fake_hf), date(2024, 8, 1))
    assert scrape.source == "page" and len(scrape.result.papers) == 13  # type: ignore[union-attr]


def test_non_json_and_wrong_shape_fall_back_to_the_page(fake_hf: FakeHF) -> None:
    for body in (b"<html>maintenance</html>", b'{"error": "x"}', b'[{"paper": '):
        fake_hf.requests.clear()
        fake_hf.behaviour.api_body["2026-06-12"] = body
        scrape = scrape_day(client_for(fake_hf), date(2026, 6, 12))
        assert scrape.source == "page", body


def test_read_timeout_falls_back_then_fails_with_a_named_reason(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.delay = 0.5
    client = client_for(fake_hf, retries=0, read_timeout=0.1)
    started = time.monotonic()
    scrape = scrape_day(client, date(2026, 6, 12))
    assert not scrape.ok and "timed out" in scrape.error
    assert time.monotonic() - started < 5


def test_both_paths_failing_names_both_errors(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.api_status["2026-06-12"] = [503] * 10
    fake_hf.behaviour.page_status["2026-06-12"] = [500] * 10
    scrape = scrape_day(client_for(fake_hf, retries=1), date(2026, 6, 12))
    assert not scrape.ok
    assert "api: " in scrape.error and "page: " in scrape.error and "500" in scrape.error


def test_connection_refused_is_a_failed_day_not_a_crash() -> None:
    fake = FakeHF()
    url = fake.url
    fake.server.server_close()  # nothing listens there any more
    from paperfeed.fetch.hf import HFClient, make_session

    scrape = scrape_day(HFClient(url, make_session(retries=1, backoff=0)), date(2026, 6, 12))
    assert not scrape.ok and "ConnectionError" in scrape.error


def test_oversized_answer_is_refused(fake_hf: FakeHF) -> None:
    fake_hf.behaviour.api_body["2026-06-12"] = b"[" + b" " * 2_000_000 + b"]"
    fake_hf.behaviour.page_status["2026-06-12"] = [404]
    scrape = scrape_day(client_for(fake_hf, max_bytes=1_000_000), date(2026, 6, 12))
    assert not scrape.ok and "cap" in scrape.error
