"""Restore (pure): which object versions put the published site back as it was at a time.

`paperfeed restore --to TIME` lists the bucket's object versions (`S3Store.versions`), asks
`plan_restore` what to do, and applies the plan with the store's copies
(`entrypoints/restore.py`). The decisions, and why:

- **Published objects are rolled back.** Feeds, posts, the pages, OPML, the feed view, the
  assets (and a deployer's feeds file kept in the bucket): the version that was current at
  TIME, the newest with LastModified <= TIME, is copied over the key (S3 CopyObject with its
  VersionId, metadata copied, so Content-Type and Cache-Control are those it was served
  with). The copy is a new version: the bad versions stay in the history, so a restore can
  itself be undone by another one. An object whose served bytes already are TIME's (same
  ETag) is left alone, so a restore run twice does nothing the second time.
- **archive/ is never rolled back.** The day documents are the store of record: an older
  version lacks the papers seen since, and "nothing archived is ever lost". Archive documents
  that changed or appeared since TIME are reported as `skipped` and left as they are; if the
  archive is what went bad, that is a repair by hand (`aws s3api` on the one document).
- **Keys created after TIME** (no version at or before it) are reported as `created_after`
  and left served: the function's role cannot delete, and a new feed is rarely the harm.
  With `delete_new` they are hidden by a delete marker, which in a versioned bucket removes
  nothing (the versions stay; deleting the marker brings the object back). Never archive/.
- **The next run re-renders everything** from the archive with the deployed code and writes
  whatever differs, papers seen since TIME included. A restore therefore holds until then:
  it is the relief while the cause (a bad deploy, a bad archive document) is fixed, with the
  schedule paused if the cause would publish the same thing again.
- **TIME** is ISO 8601 with a zone (`2026-08-03T12:00:00Z`, `2026-08-03T12:00+09:00`); a time
  without one is refused rather than guessed (an operator's local clock is not UTC). A bare
  date means the end of that day, UTC: the site as that day left it. TIME may not be in the
  future, nor older than `KEPT_DAYS`: the bucket's lifecycle rule (template.yaml) expires
  replaced versions after 30 days, and past that a key whose old versions are gone would look
  "created after" when it was not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..errors import ConfigError
from ..text import iso_utc

KEPT_DAYS = 30  # template.yaml: NoncurrentVersionExpiration, NoncurrentDays: 30
ARCHIVE_PREFIX = "archive/"


def parse_time(value: str, now: datetime) -> datetime:
    """`--to`'s TIME as an aware UTC datetime; ConfigError with a one-line reason otherwise."""
    text = value.strip()
    try:
        if len(text) == 10:  # YYYY-MM-DD: the end of that day, UTC
            moment = datetime.combine(date.fromisoformat(text), time.max, UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{value!r} is not an ISO 8601 time such as 2026-08-03T12:00:00Z "
                          "or a date (YYYY-MM-DD)") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ConfigError(f"{value!r} has no time zone: add Z for UTC or an offset (+09:00)")
    moment = moment.astimezone(UTC)
    if moment > now:
        raise ConfigError(f"{value!r} is in the future (now is {iso_utc(now)})")
    if moment < now - timedelta(days=KEPT_DAYS):
        raise ConfigError(f"{value!r} is more than {KEPT_DAYS} days ago: the bucket keeps "
                          f"replaced versions {KEPT_DAYS} days, the site then is not all there")
    return moment


@dataclass(frozen=True)
class ObjectVersion:
    """One entry of S3's version listing: a version of a key, or a delete marker."""

    key: str
    version_id: str
    last_modified: datetime
    is_latest: bool = False
    is_delete_marker: bool = False
    etag: str = ""  # without quotes; "" for a delete marker


@dataclass(frozen=True)
class Rollback:
    """Copy `to_version` (current at TIME) over `key`, whose current version is `from_version`
    ("" when the key is deleted now)."""

    key: str
    from_version: str
    to_version: str


@dataclass(frozen=True)
class RestorePlan:
    to: datetime
    rollbacks: tuple[Rollback, ...] = ()
    unchanged: tuple[str, ...] = ()  # served as they were at TIME already
    skipped: tuple[str, ...] = ()  # archive documents changed or created since TIME: kept
    created_after: tuple[str, ...] = ()  # published objects that did not exist at TIME
    delete_new: bool = False
    existed: bool = False  # whether any listed key existed at TIME (else nothing to go by)

    @property
    def deletes(self) -> tuple[str, ...]:
        """The keys to hide behind a delete marker: the new ones, when asked for."""
        return self.created_after if self.delete_new else ()

    def as_dict(self) -> dict[str, object]:
        return {
            "to": iso_utc(self.to),
            "restored": [{"key": r.key, "from": r.from_version, "to": r.to_version}
                         for r in self.rollbacks],
            "unchanged": len(self.unchanged),
            "skipped": list(self.skipped),
            "created_after": list(self.created_after),
            "deleted": list(self.deletes),
        }


def _newest_first(history: list[ObjectVersion]) -> list[ObjectVersion]:
    # S3 lists a key's versions newest first; the delete markers come in a list of their own,
    # so order by time, the latest first among equal times, the listing's order otherwise.
    return sorted(history, key=lambda v: (v.last_modified, v.is_latest), reverse=True)


def _order(key: str) -> tuple[int, str]:
    # Feeds before the pages that link them, as a publish writes them.
    return (0 if key.startswith("feeds/") else 1, key)


def plan_restore(versions: Iterable[ObjectVersion], to: datetime, *,
                 delete_new: bool = False) -> RestorePlan:
    """What makes every published key serve what it served at `to` (see the module's rules)."""
    by_key: dict[str, list[ObjectVersion]] = defaultdict(list)
    for version in versions:
        by_key[version.key].append(version)
    rollbacks: list[Rollback] = []
    unchanged: list[str] = []
    skipped: list[str] = []
    created: list[str] = []
    existed = False
    for key in sorted(by_key, key=_order):
        history = _newest_first(by_key[key])
        current = next((v for v in history if v.is_latest), history[0])
        then = next((v for v in history if v.last_modified <= to), None)
        archive = key.startswith(ARCHIVE_PREFIX)
        if then is None or then.is_delete_marker:  # the key was not there at TIME
            if current.is_delete_marker:
                continue  # nor is it now
            (skipped if archive else created).append(key)
            continue
        existed = True
        if then.version_id == current.version_id or (
                not current.is_delete_marker and then.etag and current.etag == then.etag):
            unchanged.append(key)
        elif archive:
            skipped.append(key)
        else:
            was = "" if current.is_delete_marker else current.version_id
            rollbacks.append(Rollback(key, was, then.version_id))
    return RestorePlan(to, tuple(rollbacks), tuple(unchanged), tuple(skipped), tuple(created),
                       delete_new, existed)
