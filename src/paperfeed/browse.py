"""The archive site's step of a run: day pages, month pages and roundups, the archive index,
the search index and page. A shell: it reads and writes the two derived documents of
`archive/summaries.py` and asks the run for archived days it has not loaded.

It follows what changed, as the rest of the run does. Whether an object changed is decided
from the ledger alone (each day's stored version, count and search digest): a day page
from its day's version and its neighbours, a month page and roundup from its days'
versions, the index from the counts, a month's search bundle from its days' search digests.
A day is read only when an object showing it is rendered, or when the ledger does not know
its version (then its cards are made again). The work goes month by month, so a first run
over years of archive holds one month of days at a time.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from .archive import summaries
from .archive.summaries import LEDGER, Month, card_of, entry_of, month_key
from .errors import SearchError, StoreError
from .models import FeedDefinition, RankedPaper
from .publish.plan import content_type
from .publish.stores.base import Store
from .render import archive_pages as pages
from .render.inputs import digest
from .render.post import PostOptions, daily_key, monthly_key, monthly_post
from .render.site import Objects
from .search.pagefind import build_bundle, bundle_version
from .search.records import search_records
from .select.matching import Matcher

log = logging.getLogger(__name__)

Load = Callable[[date], "tuple[RankedPaper, ...] | None"]
YM = tuple[int, int]


@dataclass(frozen=True)
class ArchiveInputs:
    """What the step needs from the run."""

    versions: Mapping[date, str]  # every archived day -> its document's stored version
    ranked: Mapping[date, tuple[RankedPaper, ...]]  # the days the run has loaded
    load: Load  # reads another archived day (None: unreadable, or not there)
    ctx: pages.PageContext
    posts: PostOptions
    topics: tuple[FeedDefinition, ...]
    base: str  # the digest of the code and the options (render_site's)
    today: date  # the run's "as of": a month that has ended before it gets its roundup


def _ym(d: date) -> YM:
    return (d.year, d.month)


def _neighbours(items: list, i: int) -> tuple:
    return (items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None)


class _State:
    """The ledger and the month documents, read once, written back only when changed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        body = self._get(LEDGER)
        self.ledger, why = summaries.decode_ledger(body)
        if why:
            log.warning("%s unreadable, remade from the archive: %s", LEDGER, why)
        self.ledger_body = body
        self.failed = False
        self.unsaved: dict[YM, Month] = {}  # months whose document could not be written
        self.unreadable: set[date] = set()  # archived days this run could not read

    def _get(self, key: str) -> bytes | None:
        try:
            return self.store.get(key)
        except StoreError as exc:
            log.warning("%s unreadable: %s", key, exc)
            return None

    def month(self, ym: YM) -> Month:
        if ym in self.unsaved:
            return dict(self.unsaved[ym])
        key = month_key(*ym)
        month, why = summaries.decode_month(self._get(key))
        if why:
            log.warning("%s unreadable, remade from the archive: %s", key, why)
        return month

    def put(self, key: str, body: bytes) -> bool:
        try:
            self.store.put(key, body, content_type(key), "no-store")
        except StoreError as exc:
            # The ledger is then not written either: the next run makes these cards again.
            log.warning("%s not written: %s", key, exc)
            self.failed = True
            return False
        return True

    def save_ledger(self) -> None:
        body = summaries.encode_ledger(self.ledger)
        if not self.failed and body != self.ledger_body and self.put(LEDGER, body):
            self.ledger_body = body


def render_archive(store: Store, inputs: ArchiveInputs, out: Objects) -> None:
    """Every archive-site object into `out` (rendered only where its digest changed)."""
    state = _State(store)
    by_month: dict[YM, list[date]] = {}
    for d in sorted(inputs.versions):
        by_month.setdefault(_ym(d), []).append(d)
    months = sorted(by_month)
    # First the ledger, whole: a day page links its neighbours, which may be in a month
    # whose cards are not made yet (a first run).
    for ym in months:
        _refresh(state, inputs, ym, by_month[ym])
    state.save_ledger()
    if state.unreadable:
        # Rendered without them, the month pages, the index, the search and the neighbours'
        # links would all show less than is published: nothing of the archive site is
        # rendered this run, and the next (not recorded as clean) tries again.
        days = ", ".join(sorted(d.isoformat() for d in state.unreadable))
        log.error("archive site not rendered: archived day %s unreadable; the published "
                  "pages stay", days)
        out.incomplete.append("archive site")
        return
    shown = _all_shown(state, inputs)
    topics = tuple((d, Matcher(d.criteria)) for d in inputs.topics if d.criteria.include)
    topics_digest = digest(inputs.topics)
    shown_months = sorted({_ym(d) for d in shown})
    for ym in shown_months:
        _month(state, inputs, out, ym, [d for d in shown if _ym(d) == ym], shown,
               shown_months, topics, topics_digest)
    base, ctx = inputs.base, inputs.ctx
    counts = {d: state.ledger[d].papers for d in shown}
    out.add(pages.ARCHIVE_KEY, digest(base, "archive", sorted(counts.items())),
            lambda: pages.render_archive_index(counts, ctx))
    # One search bundle a month, newest first: a month's papers are what Pagefind holds in
    # memory at once (6,450 took 658 MB, a month's ~900 take 97 MB, within the Lambda's),
    # and a new day rebuilds its month's bundle alone.
    budget = [BUNDLES_PER_RUN]
    bundles = [bundle_prefix(ym) for ym in reversed(shown_months)
               if _search_bundle(state, inputs, out, ym, [d for d in shown if _ym(d) == ym],
                                 budget)]
    out.add(pages.SEARCH_KEY, digest(base, "search page", bundles),
            lambda: pages.render_search_page(bundles, ctx))
    state.save_ledger()  # a month document remade since holds what the ledger did


def _known(state: _State, inputs: ArchiveInputs, d: date) -> bool:
    entry = state.ledger.get(d)
    return entry is not None and entry.version == inputs.versions[d]


def _items(state: _State, inputs: ArchiveInputs, d: date) -> tuple[RankedPaper, ...] | None:
    items = inputs.ranked[d] if d in inputs.ranked else inputs.load(d)
    if items is None:
        state.unreadable.add(d)
    return items


def _withhold(out: Objects, key: str, why: str) -> None:
    """`key` is not rendered this run: its published version stays, and the next run,
    which this one is not recorded as clean for, renders it again."""
    log.error("%s not rendered: %s; its published version stays", key, why)
    out.inputs.pop(key, None)
    out.incomplete.append(key)


def _whole(state: _State, month: Month, d: date, version: str) -> bool:
    """Whether the month document holds day `d` at `version`, as the ledger knows it (as
    many cards, the same searchable text): a document that says less is made again."""
    entry = state.ledger.get(d)
    if d not in month or month[d][0] != version or entry is None or entry.version != version:
        return False
    cards = month[d][1]
    return len(cards) == entry.papers and summaries.search_digest(cards) == entry.search


def _refresh(state: _State, inputs: ArchiveInputs, ym: YM, month_days: list[date]) -> None:
    """Make the cards of the month's days the ledger does not know at their version, and
    write the month's document back when that changed it."""
    if all(_known(state, inputs, d) for d in month_days):
        return
    _month_doc(state, inputs, ym, month_days)


def _month_doc(state: _State, inputs: ArchiveInputs, ym: YM, month_days: list[date]) -> Month:
    """The month's document with each of `month_days` at its stored version. A day the
    ledger does not know at that version, or the document does not hold at it (the
    document was lost, replaced or not written while the ledger was), has its cards made
    again from the archive; the document is written back when that changed it."""
    month = state.month(ym)
    before = summaries.encode_month(month)
    for d in month_days:
        if _whole(state, month, d, inputs.versions[d]):
            continue
        items = _items(state, inputs, d)
        if items is None:
            continue  # unreadable: not shown until it reads back (the run says why)
        cards = tuple(card_of(r) for r in items)
        month[d] = (inputs.versions[d], cards)
        state.ledger[d] = entry_of(inputs.versions[d], cards)
    for d in [d for d in month if d not in inputs.versions]:
        del month[d]  # no longer archived under that key
    body = summaries.encode_month(month)
    if body != before and not state.put(month_key(*ym), body):
        state.unsaved[ym] = month
    return month


def _month(state: _State, inputs: ArchiveInputs, out: Objects, ym: YM, month_days: list[date],
           shown: list[date], months: list[YM], topics: tuple, topics_digest: str) -> None:
    """One month's day pages, month page and (once it has ended) roundup post."""
    base, ctx, versions = inputs.base, inputs.ctx, inputs.versions
    loaded: dict[date, tuple[RankedPaper, ...] | None] = {}  # this month's days, once each

    def items_of(d: date) -> tuple[RankedPaper, ...] | None:
        if d not in loaded:
            loaded[d] = _items(state, inputs, d)
        return loaded[d]

    for d in month_days:
        prev_day, next_day = _neighbours(shown, shown.index(d))
        post = ctx.site_url + daily_key(d, inputs.posts)
        key = pages.day_key(d)
        if not out.wanted(key, digest(base, "day", d, versions[d], prev_day, next_day,
                                      topics_digest, post)):
            continue
        items = items_of(d)
        if items is None:
            _withhold(out, key, f"archived day {d} unreadable")
            continue
        out.emit(key, _day_page(d, items, prev_day, next_day, post, inputs, topics))
    prev_month, next_month = _neighbours(months, months.index(ym))
    ended = date(*ym, calendar.monthrange(*ym)[1]) < inputs.today
    roundup = ctx.site_url + monthly_key(*ym, inputs.posts) if ended else ""
    versions_of_month = tuple((d, versions[d]) for d in month_days)
    key = pages.month_key(*ym)
    if out.wanted(key, digest(base, "month", ym, versions_of_month, prev_month, next_month,
                              roundup)):
        doc = _month_doc(state, inputs, ym, month_days)
        cards = {d: doc[d][1] for d in month_days if d in doc and doc[d][0] == versions[d]}
        if len(cards) < len(month_days):
            _withhold(out, key, "a day of the month unreadable")
        else:
            out.emit(key, pages.render_month_page(*ym, cards, prev_month, next_month, ctx,
                                                  roundup))
    key = monthly_key(*ym, inputs.posts)
    if ended and out.wanted(key, digest(base, "roundup", ym, versions_of_month)):
        ranked = {d: items_of(d) for d in month_days}
        if any(items is None for items in ranked.values()):
            _withhold(out, key, "a day of the month unreadable")
        else:
            out.emit(key, monthly_post(*ym, {d: i for d, i in ranked.items() if i},
                                       inputs.posts, ctx.lang)[1])


def _all_shown(state: _State, inputs: ArchiveInputs) -> list[date]:
    """The days with a page (archived, read, not empty), oldest first."""
    return sorted(d for d, e in state.ledger.items()
                  if e.papers and d in inputs.versions and e.version == inputs.versions[d])


def _day_page(d: date, items: tuple[RankedPaper, ...], prev_day: date | None,
              next_day: date | None, post: str, inputs: ArchiveInputs,
              topics: tuple[tuple[FeedDefinition, Matcher], ...]) -> bytes:
    links = {r.paper.arxiv_id: [pages.TopicLink(t.slug, t.title) for t, m in topics
                                if m.matches(r.paper)] for r in items}
    return pages.render_day_page(d, items, prev_day, next_day, inputs.ctx, links, post)


# The most bundles one run builds (newest months first), so a first build over years of
# archive, in a Lambda of 0.3 vCPU and 300 s, goes in steps: each run publishes what it
# built, is not recorded as clean, and the next one goes on. An hourly run builds one.
BUNDLES_PER_RUN = 12


def bundle_prefix(ym: YM) -> str:
    return f"search/{ym[0]:04d}-{ym[1]:02d}/"


def _search_bundle(state: _State, inputs: ArchiveInputs, out: Objects, ym: YM,
                   month_days: list[date], budget: list[int]) -> bool:
    """A month's part of the search index, built again only when the searchable text of
    one of its days changed; each file goes out through the publisher, which uploads only
    the bytes that differ (Pagefind names its chunks by content). Whether the bundle is
    there to search (built now or published before)."""
    entries: list[tuple[date, str]] = [(d, state.ledger[d].search) for d in month_days]
    prefix = bundle_prefix(ym)
    entry_key = prefix + "pagefind-entry.json"
    # The records link days/...#anchor relative to the site, and show the day's date in the
    # site's language: that is all of the run a bundle depends on.
    probe = (inputs.ctx.lang.long_date(date(2026, 1, 9)), pages.day_key(date(2026, 1, 9)),
             pages.paper_anchor("2601.00001"))
    inputs_digest = digest(bundle_version(inputs.ctx.lang.code), probe, "search", ym, entries)
    published = out.previous is not None and entry_key in out.previous
    if not out.wanted(entry_key, inputs_digest):
        return True
    if budget[0] <= 0:
        log.info("%s deferred to the next run (%d bundles a run)", prefix, BUNDLES_PER_RUN)
        out.inputs.pop(entry_key, None)
        out.incomplete.append(prefix)
        return published
    budget[0] -= 1
    month = _month_doc(state, inputs, ym, month_days)
    if any(d not in month or month[d][0] != inputs.versions[d] for d in month_days):
        _withhold(out, entry_key, "a day of the month unreadable")
        return published
    cards = [card for d in month_days for card in month[d][1]]
    try:
        files = build_bundle(search_records(cards, inputs.ctx.lang), inputs.ctx.lang.code)
    except SearchError as exc:
        log.error("%s", exc)
        out.inputs.pop(entry_key, None)  # try again next run
        out.incomplete.append(prefix)  # even if nothing else changes by then
        return published  # the published bundle stays searchable; a missing one is not listed
    # The entry file last: it names the metadata file, which must be there first.
    for path in sorted(files, key=lambda p: p == "pagefind-entry.json"):
        out.emit(prefix + path, files[path])
    return True
