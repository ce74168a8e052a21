"""`run(config)`: scrape the window, merge into the archive, render the catalogue, publish."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .archive.codec import decode_day, encode_day, skipped_records
from .archive.keys import SET_ASIDE, archive_key, day_from_key, set_aside_key
from .archive.merge import merge_day, with_translations
from .browse import ArchiveInputs, render_archive
from .config import STORE_PREFIX, Config
from .errors import ArchiveError, FeedsFileError, StoreError, TranslateConfigError
from .fetch.hf import HFClient, make_session
from .fetch.scrape import scrape_day
from .i18n import lang
from .models import Day, FeedDefinition, RankedPaper, RunStatus
from .publish.cdn import InvalidationError, invalidate
from .publish.manifest import KEY as MANIFEST
from .publish.manifest import Manifest, decode_manifest, encode_manifest, next_manifest
from .publish.plan import content_type, plan_publish, write_uploads
from .publish.stores.base import Store, md5_hex
from .publish.stores.folder import DirStore
from .publish.stream import Publisher
from .publish.websub import ping_hub
from .render.archive_pages import PageContext
from .render.feed_index import is_feed_key
from .render.inputs import code_version, digest
from .render.site import Objects, Site, SiteOptions, render_site
from .select.catalogue import RESERVED, build_catalogue, days_to_load, shipped_topics
from .select.feeds_file import parse_feeds_file
from .select.rank import rank_papers
from .translate.batch import in_rank_order, translate_papers
from .translate.bedrock import Translator
from .translate.settings import DEFAULT_TIME_BUDGET

log = logging.getLogger(__name__)

@dataclass
class RunSummary:
    """What a run did; the CLI prints it, the handler returns it."""

    status: RunStatus = RunStatus.OK
    days_fetched: list[str] = field(default_factory=list)
    days_failed: dict[str, str] = field(default_factory=dict)
    # Stored days that did not read back whole (their documents are set aside, kept).
    days_unreadable: dict[str, str] = field(default_factory=dict)
    # Archive keys of days after tomorrow: no run can have written them, so they are not
    # read (a stray one would otherwise make "as of" a future day and empty every feed).
    keys_ignored: list[str] = field(default_factory=list)
    papers_fetched: int = 0
    papers_skipped: int = 0
    requests: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    rendered: int = 0  # objects rendered (their inputs changed); the rest were kept as they are
    invalidation: str = ""  # CloudFront invalidation id, when one was made
    hub_pings: int = 0
    hub_failures: int = 0
    withheld: dict[str, str] = field(default_factory=dict)  # objects that failed validation
    posts_written: list[str] = field(default_factory=list)  # files written to --posts-dir
    translation: dict[str, int] = field(default_factory=dict)  # Bedrock metrics
    error: str = ""
    # "config" when a setting stopped the run before it fetched (the CLI exits 2 then).
    error_kind: str = ""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def open_store(config: Config) -> Store:
    if config.bucket:
        from .publish.stores.s3 import S3Store

        return S3Store(config.bucket)
    return DirStore(config.out)


def window(config: Config) -> list[date]:
    """The last N calendar days ending at the run's date, oldest first."""
    return [config.date - timedelta(days=i) for i in reversed(range(config.days))]


def _archived_days(stored: dict[str, str], today: date, summary: RunSummary) -> set[date]:
    """The days the store's archive holds, up to tomorrow (HF's date runs ahead of UTC by
    hours, never by days); a later day key is ignored and named in the summary."""
    days = set()
    for key in stored:
        day = day_from_key(key)
        if day is None:
            continue
        if day > today + timedelta(days=1):
            summary.keys_ignored.append(key)
            log.warning("%s ignored: a day after tomorrow cannot have been archived", key)
        else:
            days.add(day)
    return days


def _load_day(store: Store, day: date, rendered: dict[str, bytes],
              summary: RunSummary) -> Day | None:
    """A stored day, read as strictly as an HF answer. A document that does not read back
    whole (not a day at all, or records left out) is set aside under archive/set-aside/
    before anything can replace it, and the day is named in `summary.days_unreadable`."""
    try:
        body = store.get(archive_key(day))
    except StoreError as exc:
        summary.days_unreadable[day.isoformat()] = str(exc)
        log.error("archive %s unreadable: %s", day, exc)
        return None
    if body is None:
        return None
    try:
        loaded = decode_day(body)
    except ArchiveError as exc:
        loaded, why = None, str(exc)
    else:
        why = "; ".join(skipped_records(body))
    if why:
        rendered[set_aside_key(day, md5_hex(body))] = body
        summary.days_unreadable[day.isoformat()] = why[:300]
        log.error("archive %s did not read back whole, kept in %s: %s", day, SET_ASIDE, why)
    return loaded


def run(
    config: Config,
    *,
    store: Store | None = None,
    client: HFClient | None = None,
    now: datetime | None = None,
    translator: Translator | None = None,
) -> RunSummary:
    """One run: fetch the window, merge it into the archive, load what the catalogue reads,
    translate (optional), render, withhold what does not read back, publish what changed,
    tell the CDN and the hub. Returns what it did; never raises for a failure it can name."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    store = store or open_store(config)
    client = client or HFClient(config.hf_url, make_session(config.http_retries,
                                                            config.http_backoff))
    summary = RunSummary()
    try:
        translator = _ready_translator(config, translator)
        stored = store.digests()
        declared = _ready_feeds(config, store)
    except FeedsFileError as exc:
        summary.status, summary.error, summary.error_kind = RunStatus.FAILED, str(exc), "config"
        return summary
    except (TranslateConfigError, StoreError) as exc:
        summary.status, summary.error = RunStatus.FAILED, str(exc)
        return summary
    rendered: dict[str, bytes] = {}  # key -> bytes to publish, archive documents first
    archived = _archived_days(stored, max(now.date(), config.date), summary)
    days = _fetch_window(config, client, store, archived, now, rendered, summary)
    as_of = max([config.date, *archived, *days])
    needed = days_to_load(archived | days.keys(), as_of)
    manifest = _read_manifest(store)
    # The archive site shows every archived day: the run's inputs are all their versions.
    inputs = run_inputs(config, declared, as_of, archived | days.keys(), stored, rendered)
    if translator is None and not rendered and manifest.run == inputs \
            and manifest.whole(stored):
        # Nothing the site is made from changed, and every object is as it was published.
        log.info("inputs unchanged since the last clean run: nothing to render")
        summary.unchanged = len(manifest.objects)
        if config.posts_dir:
            _write_posts(config.posts_dir, store, stored, {}, manifest.objects, summary)
        summary.status = _status(summary)
        return summary
    _load_days(store, needed, days, rendered, summary)
    ranked = {d: rank_papers(day.papers) for d, day in days.items()}
    if translator is not None:
        ranked = _translate(translator, config, days, ranked, rendered, summary, now)
    kept = manifest.still_published(stored)
    publisher = Publisher(store, stored, window_start=window(config)[0])
    publisher.offer_all(rendered)  # the archive documents, before anything that shows them
    rendered.clear()  # written: a 90-day backfill's documents are ~35 MB not to hold on to
    if summary.days_unreadable:
        publisher.withhold_all = ("archived day " + ", ".join(sorted(summary.days_unreadable))
                                  + " could not be read")
        log.error("%s: feeds, pages and posts withheld; their published versions stay",
                  publisher.withhold_all)
    site = None
    if publisher.failure is None:
        site = _render(config, ranked, as_of, declared, stored, kept, publisher,
                       archived | days.keys(), summary)
        summary.rendered = len(site.rendered)
    if _finish(config, store, client, publisher, summary, site):
        summary.status = _status(summary)
        # The next run sees the store as this one left it: that is what it will compare.
        after = {**stored, **publisher.published}
        # Not clean when an object could not be made: the next run must not stop early.
        clean = summary.status is RunStatus.OK and not (site and site.incomplete)
        _record(store, manifest, site, kept, publisher.published,
                run_inputs(config, declared, as_of, archived | days.keys(), after, {})
                if clean else "")
    return summary


def run_inputs(config: Config, declared: tuple[FeedDefinition, ...], as_of: date,
               needed: set[date], stored: dict[str, str], rendered: dict[str, bytes]) -> str:
    """The digest of everything a run's site is made from, known before anything is read:
    the code, the settings, the deployer's feeds, the date, the feeds already published and
    the stored version (ETag, or the new bytes' MD5) of every archived day it reads."""
    versions = []
    for day in sorted(needed):
        key = archive_key(day)
        versions.append((key, md5_hex(rendered[key]) if key in rendered else stored.get(key)))
    return digest(code_version(), config.site_url, config.lang, config.hub_url, config.posts,
                  config.translate_to, config.topics, config.org_min_papers, declared, as_of,
                  sorted(_published_feeds(stored)), versions)


def _read_manifest(store: Store) -> Manifest:
    try:
        manifest, why = decode_manifest(store.get(MANIFEST))
    except StoreError as exc:
        manifest, why = Manifest(), str(exc)
    if why:
        log.warning("%s unreadable, everything is rendered: %s", MANIFEST, why)
    return manifest


def _record(store: Store, previous: Manifest, site: Site | None, kept: dict[str, str],
            published: dict[str, str], run: str) -> None:
    """Write the manifest of what is now published (only when it changed). A failure here
    costs the next run a full render, nothing else."""
    if site is None:
        return
    outputs = {k: v for k, v in published.items() if k in site.inputs}
    body = encode_manifest(next_manifest(previous, site.inputs, kept, outputs, run))
    if body == encode_manifest(previous):
        return
    try:
        store.put(MANIFEST, body, content_type(MANIFEST), "no-store")
    except StoreError as exc:
        log.warning("%s not written (the next run renders everything): %s", MANIFEST, exc)


def _ready_translator(config: Config, translator: Translator | None) -> Translator | None:
    """The Bedrock translator when TRANSLATE_TO is set, its credentials checked once now
    (TranslateConfigError) rather than failing once per paper."""
    if not config.translate_to or translator is not None:
        return translator
    translator = Translator(config.translate_to, config.translate_model)
    translator.check_credentials()
    return translator


def _fetch_window(
    config: Config, client: HFClient, store: Store, archived: set[date], now: datetime,
    rendered: dict[str, bytes], summary: RunSummary,
) -> dict[date, Day]:
    """Scrape every day of the window and merge it into its archived document; changed
    documents go into `rendered`. Returns the window's non-empty days."""
    days: dict[date, Day] = {}
    for day in window(config):
        scrape = scrape_day(client, day)
        previous = _load_day(store, day, rendered, summary) if day in archived else None
        if scrape.result is None:
            summary.days_failed[day.isoformat()] = scrape.error
            log.error("day %s failed: %s", day, scrape.error)
        else:
            # A fresh list replaces an unreadable stored one (set aside, kept): the day is
            # whole again, nothing is shown emptier for it.
            summary.days_unreadable.pop(day.isoformat(), None)
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
    return days


def _load_days(store: Store, needed: set[date], days: dict[date, Day],
               rendered: dict[str, bytes], summary: RunSummary) -> None:
    """Add the archived days the catalogue reads that the window did not bring. The newest
    archived days are read whatever the window was, so a backfill of old dates never makes
    the published feeds older."""
    for day in sorted(needed - days.keys()):
        loaded = _load_day(store, day, rendered, summary)
        if loaded and loaded.papers:
            days[day] = loaded


def _ready_feeds(config: Config, store: Store) -> tuple[FeedDefinition, ...]:
    """The deployer's feeds: from the config, or read now from the store ("store:KEY"),
    checked before anything is fetched (FeedsFileError)."""
    if not config.feeds_file.startswith(STORE_PREFIX):
        return config.feeds
    key = config.feeds_file[len(STORE_PREFIX):].lstrip("/")
    body = store.get(key)
    if body is None:
        raise FeedsFileError(f"{config.feeds_file}: no such object in the store")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FeedsFileError(f"{config.feeds_file}: not UTF-8: {exc}") from None
    return parse_feeds_file(text, config.feeds_file, lang=config.lang, reserved=RESERVED)


def _published_feeds(stored: dict[str, str]) -> frozenset[str]:
    """The feeds already in the store, by name (`feeds/orgs/qwen.atom` -> `orgs/qwen`)."""
    return frozenset(k[len("feeds/"):-len(".atom")] for k in stored
                     if k.startswith("feeds/") and k.endswith(".atom"))


def _render(
    config: Config, ranked: dict[date, tuple[RankedPaper, ...]], as_of: date,
    declared: tuple[FeedDefinition, ...], stored: dict[str, str], kept: dict[str, str],
    publisher: Publisher, archived: set[date], summary: RunSummary,
) -> Site:
    """Render what changed, each object handed to the publisher as it is made; an empty
    feed is never published over a good one."""
    options = SiteOptions(config.site_url, lang(config.lang), config.hub_url, config.posts,
                          config.translate_to)
    topics = shipped_topics(config.lang) if config.topics else ()
    catalogue = build_catalogue(
        ranked, as_of, topics=topics, declared=declared,
        org_min_papers=config.org_min_papers, published=_published_feeds(stored))
    now_stored = {**stored, **publisher.published}
    versions = {d: now_stored[archive_key(d)] for d in archived if archive_key(d) in now_stored}
    featured = tuple((s.name, s.texts(options.lang)[0]) for s in catalogue.feeds if s.featured)

    # A day that did not read back whole is read once: set aside and reported once, and
    # what of it did read back is what the archive site shows of it each time it asks.
    read_badly: dict[date, tuple[RankedPaper, ...] | None] = {}

    def load(day: date) -> tuple[RankedPaper, ...] | None:
        if day in read_badly:
            return read_badly[day]
        if day.isoformat() in summary.days_unreadable:
            return None  # read before rendering (then the run withholds everything)
        aside: dict[str, bytes] = {}
        loaded = _load_day(store=publisher.store, day=day, rendered=aside, summary=summary)
        publisher.offer_all(aside)  # a set-aside copy, before anything else is decided
        items = rank_papers(loaded.papers) if loaded else None
        if aside or items is None:
            read_badly[day] = items
        return items

    def archive(out: Objects, base: str) -> None:
        render_archive(publisher.store, ArchiveInputs(
            versions, ranked, load, PageContext(config.site_url, options.lang, featured,
                                                config.translate_to),
            config.posts, topics, base, as_of), out)

    site = render_site(ranked, as_of, options, catalogue, previous=kept, sink=publisher.offer,
                       archive=archive)
    for skipped in site.empty_feeds:
        log.warning("feed %s has no entries; not written", skipped)
    return site


def _finish(config: Config, store: Store, client: HFClient, publisher: Publisher,
            summary: RunSummary, site: Site | None) -> bool:
    """Report what was published, tell the CDN and the hub, copy the posts to the blog
    folder. False when a write failed (the run has then failed)."""
    summary.written, summary.withheld = publisher.written, publisher.withheld
    summary.unchanged = publisher.unchanged
    version = md5_hex("".join(publisher.written_digests).encode())
    _notify(config, client, summary, version)  # what was written is live: tell the CDN
    if publisher.failure is not None:
        summary.status, summary.error = RunStatus.FAILED, str(publisher.failure)
        log.error("publishing stopped after %d objects: %s", len(summary.written),
                  publisher.failure)
        return False
    if config.posts_dir and site is not None and not publisher.withhold_all:
        _write_posts(config.posts_dir, store, {**publisher.stored, **publisher.published},
                     publisher.posts, site.inputs, summary)
    return True


def _status(summary: RunSummary) -> RunStatus:
    """Failed when no day could be fetched (with the first day's reason in the error),
    partial when some day failed or something was withheld or not delivered."""
    if not summary.days_fetched:
        first = next(iter(summary.days_failed.items()), None)
        why = f" ({first[0]}: {first[1][:300]})" if first else ""
        summary.error = "no day of the window could be fetched" + why
        return RunStatus.FAILED
    if summary.days_failed or summary.error or summary.withheld or summary.days_unreadable:
        return RunStatus.PARTIAL
    return RunStatus.OK


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


def _write_posts(folder: str, store: Store, published: Mapping[str, str],
                 rendered: dict[str, bytes], keys: Mapping[str, object],
                 summary: RunSummary) -> None:
    """The posts, also into a blog's own folder (Jekyll `_posts/`, Hugo `content/posts/`),
    rewriting only those whose bytes differ so the blog's git history stays quiet: those
    rendered now, and those kept in the store that the folder does not hold as stored."""
    blog = DirStore(folder)
    try:
        there = blog.digests()
        posts: dict[str, bytes] = {}
        for key in sorted(k for k in keys if k.startswith("posts/")):
            name = key.removeprefix("posts/")
            body = rendered.get(key)
            if body is None and there.get(name) != published.get(key):
                body = store.get(key)
            if body is not None:
                posts[name] = body
        written, failure = write_uploads(blog, plan_publish(posts, there))
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
    feeds = [config.site_url + k for k in summary.written if is_feed_key(k)]
    if config.hub_url and feeds:
        failed = ping_hub(client.session, config.hub_url, feeds)
        summary.hub_pings, summary.hub_failures = len(feeds), len(failed)
