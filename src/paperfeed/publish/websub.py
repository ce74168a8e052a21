"""WebSub: tell the hub which feeds changed, so subscribers get them pushed."""

from __future__ import annotations

import logging

import requests

log = logging.getLogger(__name__)


def ping_hub(session: requests.Session, hub: str, feed_urls: list[str]) -> list[str]:
    """One `hub.mode=publish` per changed feed; returns the URLs whose ping failed.

    A failed ping is logged and counted, never raised: the feeds are already published
    and subscribers' pollers still find them.
    """
    failed: list[str] = []
    for url in feed_urls:
        try:
            answer = session.post(
                hub, data={"hub.mode": "publish", "hub.url": url}, timeout=(5, 10)
            )
            if not 200 <= answer.status_code < 300:
                raise requests.HTTPError(f"HTTP {answer.status_code}")
        except requests.RequestException as exc:
            log.warning("WebSub ping for %s to %s failed: %s", url, hub, exc)
            failed.append(url)
    return failed
