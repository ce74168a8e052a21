"""Builders every kind of test shares: the fixed clock, a run's Config, a Paper, a local run.

One place decides what "a normal test run" is (the date, the declared site URL, a client
without backoff sleeps), so a test states only what it changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperfeed.config import Config
from paperfeed.fetch.hf import HFClient, make_session
from paperfeed.models import Paper
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import RunSummary, run

if TYPE_CHECKING:
    from fake_hf import FakeHF

AS_OF = date(2026, 8, 3)  # the newest day of the recorded fixtures
NOW = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
SITE_URL = "https://feeds.example.org/"


def site_config(hf_url: str, out: str | Path = "public", *, on: date = AS_OF, days: int = 3,
                site_url: str = SITE_URL, **options: Any) -> Config:
    """A run's Config with a declared site URL; `options` are any other Config fields."""
    return Config(date=on, days=days, out=str(out), hf_url=hf_url, site_url=site_url,
                  site_url_is_default=False, **options)


def paper(arxiv_id: str = "2608.00001", upvotes: int = 1, comments: int = 0,
          day: date = AS_OF, **fields: Any) -> Paper:
    """A Paper listed at midnight UTC of `day`, titled after its id unless `title` is given."""
    fields.setdefault("title", f"Paper {arxiv_id}")
    fields.setdefault("listed_at", datetime(day.year, day.month, day.day, tzinfo=UTC))
    return Paper(arxiv_id=arxiv_id, day=day, upvotes=upvotes, comments=comments, **fields)


def numbered_paper(n: int, abstract: str | None = None, title: str | None = None) -> Paper:
    """Paper n of 2026-08-03 (id 2608.0000n), listed at 09:00, with an abstract to translate."""
    return paper(
        f"2608.{n:05d}", title=title or f"Paper {n}: scaling laws for things",
        listed_at=datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
        abstract=abstract if abstract is not None else f"Abstract {n}. We study reinforcement "
        "learning from human feedback (RLHF) and find that it helps.",
    )


def client_for(fake: FakeHF, **kw: float) -> HFClient:
    """A real client pointed at the fake, without real backoff sleeps."""
    return HFClient(fake.url, make_session(retries=int(kw.pop("retries", 3)), backoff=0), **kw)


def run_local(fake: FakeHF, out: Path, on: str = "2026-08-03", days: int = 3,
              now: datetime = NOW, site_url: str = SITE_URL) -> RunSummary:
    """One run into the folder `out` against the fake HF, as `make run` would do it."""
    config = site_config(fake.url, out, on=date.fromisoformat(on), days=days,
                         site_url=site_url)
    return run(config, store=DirStore(out), client=client_for(fake), now=now)
