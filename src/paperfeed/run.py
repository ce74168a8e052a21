"""`run(config)`: scrape the window, merge into the archive, render the catalogue, publish."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .archive import (
    ArchiveError,
    archive_key,
    day_from_key,
    decode_day,
    encode_day,
    merge_day,
    with_translations,
)
from .catalogue import LOOKBACK_CALENDAR_DAYS, LOOKBACK_HF_DAYS
from .cdn import InvalidationError, invalidate
from .config import Config
from .errors import TranslateConfigError
from .hf import HFClient, make_session
from .i18n import lang
from .models import Day, RankedPaper, RunStatus
from .publish import plan_publish, write_uploads
from .rank import rank_papers
from .render.site import SiteOptions, previous_month, render_site
from .scrape import scrape_day
from .store import DirStore, Store, StoreError, md5_hex
from .translate.batch import in_rank_order, translate_papers
from .translate.bedrock import Translator
from .translate.settings import DEFAULT_TIME_BUDGET
from .validate import unpublishable_reason
from .websub import ping_hub

log = logging.getLogger(__name__)

@dataclass
class RunSummary:
    """What a run did; the CLI prints it, the handler returns it."""

    status: RunStatus = RunStatus.OK
    days_fetched: list[str] = field(default_factory=list)
    days_failed: dict[str, str] = field(default_factory=dict)
    papers_fetched: int = 0
    papers_skipped: int = 0
    requests: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    invalidation: str = ""  # CloudFront invalidation id, when one was made
    hub_pings: int = 0
    hub_failures: int = 0
    withheld: dict[str, str] = field(default_factory=dict)  # objects that failed validation
    posts_written: list[str] = field(default_factory=list)  # files written to --posts-dir
    translation: dict[str, int] = field(default_factory=dict)  # Bedrock metrics
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def open_store(config: Config) -> Store:
    if config.bucket:
        from .store import S3Store

        return S3Store(config.bucket)
    return DirStore(config.out)


def window(config: Config) -> list[date]:
    """The last N calendar days ending at the run's date, oldest first."""
    return [config.date - timedelta(days=i) for i in reversed(range(config.days))]


def _load_day(store: Store, day: date) -> Day | None:
    body = store.get(archive_key(day))
    if body is None:
        return None
    try:
        return decode_day(body)
    except ArchiveError as exc:
        # Unreadable: treated as absent, so fresh data may replace it; without fresh data
        # nothing is written and the stored bytes stay as they are.
        log.error("archive %s unreadable, ignored: %s", day, exc)
        return None


def run(
    config: Config,
    *,
    store: Store | None = None,
    client: HFClient | None = None,
    now: datetime | None = None,
    translator: Translator | None = None,
) -> RunSummary:
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    store = store or open_store(config)
    client = client or HFClient(
        config.hf_url, make_session(config.http_retries, config.http_backoff)
    )
    summary = RunSummary()
    if config.translate_to and translator is None:
        translator = Translator(config.translate_to, config.translate_model)
        try:
            translator.check_credentials()  # one clear error now, not one per paper
        except TranslateConfigError as exc:
            summary.status, summary.error = RunStatus.FAILED, str(exc)
            return summary
    try:
        stored = store.digests()
    except StoreError as exc:
        summary.status, summary.error = RunStatus.FAILED, str(exc)
        return summary

    rendered: dict[str, bytes] = {}
    days: dict[date, Day] = {}
    archived = {d for d in map(day_from_key, stored) if d is not None}

    for day in window(config):
        scrape = scrape_day(client, day)
        previous = _load_day(store, day) if day in archived else None
        if scrape.result is None:
            summary.days_failed[day.isoformat()] = scrape.error
            log.error("day %s failed: %s", day, scrape.error)
        else:
            summary.days_fetched.append(day.isoformat())
            summary.papers_fetched += len(scrape.result.papers)
            summary.papers_skipped += len(scrape.result.skipped)
            for skipped in scrape.result.skipped:
                log.warning("day %s item %d skipped: %s", day, skipped.index, skipped.reason)
        merge = merge_day(
            previous, scrape.result.papers if scrape.result else None, day, now
        )
        log.info("day %s via %s: %s", day, scrape.source or "-", merge.reason)
        if merge.changed:
            rendered[archive_key(day)] = encode_day(merge.day)
        if merge.day.papers:
            days[day] = merge.day
    summary.requests = client.requests_made

    # The catalogue reads the newest archived days, whatever the window was, so a backfill
    # of old dates never makes the published feeds older.
    known = archived | days.keys()
    as_of = max([config.date, *known])
    recent = {d for d in known if (as_of - d).days < LOOKBACK_CALENDAR_DAYS}
    month = previous_month(as_of)  # its roundup post needs every one of its days
    needed = recent | set(sorted(known, reverse=True)[:LOOKBACK_HF_DAYS])
    needed |= {d for d in known if (d.year, d.month) == month}
    for day in sorted(needed - days.keys()):
        loaded = _load_day(store, day)
        if loaded and loaded.papers:
            days[day] = loaded
    ranked = {d: rank_papers(day.papers) for d, day in days.items()}
    if translator is not None:
        ranked = _translate(translator, config, days, ranked, rendered, summary, now)
    options = SiteOptions(config.site_url, lang(config.lang), config.hub_url, config.posts,
                          config.translate_to)
    site = render_site(ranked, as_of, options)
    for skipped in site.empty_feeds:
        # An empty feed would replace a good one with nothing: never publish it.
        log.warning("feed %s has no entries; not written", skipped)
    rendered.update(site.objects)

    # Nothing that does not read back is published; its previous version stays.
    for key, body in list(rendered.items()):
        reason = unpublishable_reason(key, body, site.entries.get(key))
        if reason:
            log.error("%s withheld: %s", key, reason)
            summary.withheld[key] = reason
            del rendered[key]

    uploads = plan_publish(rendered, stored, window_start=window(config)[0])
    summary.unchanged = len(rendered) - len(uploads)
    version = md5_hex("".join(md5_hex(u.body) for u in uploads).encode())
    summary.written, failure = write_uploads(store, uploads)
    _notify(config, client, summary, version)  # what was written is live: tell the CDN
    if config.posts_dir and not failure:
        _write_posts(config.posts_dir, rendered, summary)
    if failure:
        summary.status, summary.error = RunStatus.FAILED, str(failure)
        log.error("publishing stopped after %d objects: %s", len(summary.written), failure)
        return summary

    if not summary.days_fetched:
        summary.status = RunStatus.FAILED
        first = next(iter(summary.days_failed.items()), None)
        why = f" ({first[0]}: {first[1][:300]})" if first else ""
        summary.error = "no day of the window could be fetched" + why
    elif summary.days_failed or summary.error or summary.withheld:
        summary.status = RunStatus.PARTIAL
    return summary


def _translate(
    translator: Translator,
    config: Config,
    days: dict[date, Day],
    ranked: dict[date, tuple[RankedPaper, ...]],
    rendered: dict[str, bytes],
    summary: RunSummary,
    now: datetime,
) -> dict[date, tuple[RankedPaper, ...]]:
    """Translate what the site shows that is not translated yet (within the budget), store
    the new translations in their days' archive documents, and rank again."""
    lang_code = translator.lang
    existing = {p.arxiv_id: t for day in days.values() for p in day.papers
                if (t := p.translation(lang_code)) is not None}
    done = translate_papers(
        translator, in_rank_order(ranked), existing, config.translate_max_papers,
        deadline=time.monotonic() + DEFAULT_TIME_BUDGET, now=now,
    )
    for arxiv_id, error in done.errors:
        log.warning("translation of %s failed (original shown): %s", arxiv_id, error)
    if done.stopped:
        log.info("translation: %s", done.stopped)
    summary.translation = done.metrics()
    for d, day in list(days.items()):
        updated = with_translations(day, done.translations, now)
        if updated is not None:
            days[d] = updated
            rendered[archive_key(d)] = encode_day(updated)
            ranked[d] = rank_papers(updated.papers)
    return ranked


def _write_posts(folder: str, rendered: dict[str, bytes], summary: RunSummary) -> None:
    """The posts, also into a blog's own folder (Jekyll `_posts/`, Hugo `content/posts/`),
    rewriting only those whose bytes changed so the blog's git history stays quiet."""
    blog = DirStore(folder)
    posts = {k.removeprefix("posts/"): v for k, v in rendered.items() if k.startswith("posts/")}
    try:
        written, failure = write_uploads(blog, plan_publish(posts, blog.digests()))
    except StoreError as exc:
        written, failure = [], exc
    summary.posts_written = written
    if failure:
        log.error("posts folder %s: %s", folder, failure)
        summary.error = f"posts folder: {failure}"


def _notify(config: Config, client: HFClient, summary: RunSummary, version: str) -> None:
    """After a publish that changed something: invalidate the CDN, ping the WebSub hub."""
    if not summary.written:
        return
    if config.distribution_id:
        try:
            summary.invalidation = invalidate(config.distribution_id, summary.written, version)
        except InvalidationError as exc:
            # Published but cached copies stay until they expire: partial, not failed.
            log.error("%s", exc)
            summary.error = str(exc)
    feeds = [config.site_url + k for k in summary.written if k.startswith("feeds/")]
    if config.hub_url and feeds:
        failed = ping_hub(client.session, config.hub_url, feeds)
        summary.hub_pings, summary.hub_failures = len(feeds), len(failed)
