"""The restore planner and TIME, over plain version listings (a model of a versioned bucket)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import hypothesis_profiles  # noqa: F401  (registers and loads the profile)
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperfeed.errors import ConfigError
from paperfeed.publish.restore import ObjectVersion, Rollback, parse_time, plan_restore

NOW = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
T0 = datetime(2026, 8, 3, 10, 0, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Bucket:
    """A versioned bucket as S3 keeps one: every write appends a version, a delete a marker."""

    def __init__(self) -> None:
        self.history: dict[str, list[ObjectVersion]] = {}
        self.bodies: dict[str, str] = {}  # version id -> etag (the bytes, for the model)
        self._ids = itertools.count()

    def _append(self, key: str, when: datetime, etag: str, marker: bool) -> str:
        vid = f"v{next(self._ids)}"
        self.history.setdefault(key, []).append(
            ObjectVersion(key, vid, when, is_delete_marker=marker, etag=etag))
        return vid

    def put(self, key: str, etag: str, when: datetime) -> None:
        self._append(key, when, etag, marker=False)

    def delete(self, key: str, when: datetime) -> None:
        self._append(key, when, "", marker=True)

    def copy(self, key: str, version_id: str, when: datetime) -> None:
        source = next(v for v in self.history[key] if v.version_id == version_id)
        assert not source.is_delete_marker
        self.put(key, source.etag, when)

    def listing(self) -> list[ObjectVersion]:
        """S3's answer: each key's versions newest first, the newest flagged latest."""
        out = []
        for versions in self.history.values():
            newest_first = list(reversed(versions))
            out.append(ObjectVersion(**{**newest_first[0].__dict__, "is_latest": True}))
            out.extend(newest_first[1:])
        return out

    def served(self, key: str) -> str | None:
        """The etag of what the key serves now, None when it serves nothing."""
        return self.served_at(key, datetime.max.replace(tzinfo=UTC))

    def served_at(self, key: str, moment: datetime) -> str | None:
        before = [v for v in self.history.get(key, []) if v.last_modified <= moment]
        return None if not before or before[-1].is_delete_marker else before[-1].etag


def apply(bucket: Bucket, plan, when: datetime) -> None:  # type: ignore[no-untyped-def]
    for step in plan.rollbacks:
        bucket.copy(step.key, step.to_version, when)
    for key in plan.deletes:
        bucket.delete(key, when)


def bad_day() -> Bucket:
    """A good publish at 0s, a bad one at 60s: an emptied feed, a new feed, a grown archive."""
    b = Bucket()
    for key in ("feeds/daily.atom", "index.html", "archive/2026-08-03.json", "feed-view.js"):
        b.put(key, f"good-{key}", at(0))
    b.put("feeds/daily.atom", "empty", at(60))
    b.put("index.html", "broken", at(60))
    b.put("feeds/orgs/spam.atom", "spam", at(60))
    b.put("archive/2026-08-03.json", "more papers", at(60))
    b.put("archive/2026-08-04.json", "a new day", at(60))
    return b


def test_published_objects_go_back_archive_and_new_keys_are_reported() -> None:
    b = bad_day()
    plan = plan_restore(b.listing(), at(30))
    assert [r.key for r in plan.rollbacks] == ["feeds/daily.atom", "index.html"]  # feeds first
    assert plan.rollbacks[0] == Rollback("feeds/daily.atom", "v4", "v0")
    assert plan.unchanged == ("feed-view.js",)
    assert plan.skipped == ("archive/2026-08-03.json", "archive/2026-08-04.json")
    assert plan.created_after == ("feeds/orgs/spam.atom",) and plan.deletes == ()
    assert plan.existed
    assert plan.as_dict() == {
        "to": "2026-08-03T10:00:30Z",
        "restored": [{"key": "feeds/daily.atom", "from": "v4", "to": "v0"},
                     {"key": "index.html", "from": "v5", "to": "v1"}],
        "unchanged": 1, "skipped": ["archive/2026-08-03.json", "archive/2026-08-04.json"],
        "created_after": ["feeds/orgs/spam.atom"], "deleted": [],
    }


def test_delete_new_hides_new_published_keys_but_never_archive_ones() -> None:
    plan = plan_restore(bad_day().listing(), at(30), delete_new=True)
    assert plan.deletes == ("feeds/orgs/spam.atom",)


def test_a_time_on_a_write_counts_that_write_and_a_time_before_everything_has_nothing() -> None:
    b = bad_day()
    assert plan_restore(b.listing(), at(60)).rollbacks == ()
    nothing = plan_restore(b.listing(), at(-1))
    assert not nothing.existed and nothing.rollbacks == () and nothing.unchanged == ()


def test_a_key_deleted_since_comes_back_and_one_absent_then_and_now_is_left() -> None:
    b = Bucket()
    b.put("feeds/a.atom", "a", at(0))
    b.delete("feeds/a.atom", at(60))
    b.put("feeds/b.atom", "b", at(60))
    b.delete("feeds/b.atom", at(61))
    plan = plan_restore(b.listing(), at(30))
    assert plan.rollbacks == (Rollback("feeds/a.atom", "", "v0"),)
    assert plan.created_after == () and plan.unchanged == ()


def test_same_bytes_written_again_is_unchanged_so_a_second_restore_does_nothing() -> None:
    b = bad_day()
    apply(b, plan_restore(b.listing(), at(30)), at(90))
    again = plan_restore(b.listing(), at(30))
    assert again.rollbacks == () and "feeds/daily.atom" in again.unchanged


def test_delete_markers_listed_apart_still_order_by_time() -> None:
    # S3 lists delete markers after the versions of the page: the order is the times'.
    b = Bucket()
    b.put("feeds/a.atom", "a", at(0))
    b.delete("feeds/a.atom", at(10))
    b.put("feeds/a.atom", "a2", at(20))
    listing = b.listing()
    markers = [v for v in listing if v.is_delete_marker]
    listing = [v for v in listing if not v.is_delete_marker] + markers
    assert plan_restore(listing, at(15)).created_after == ("feeds/a.atom",)
    assert plan_restore(listing, at(5)).rollbacks == (Rollback("feeds/a.atom", "v2", "v0"),)


# --- the property: after the plan is applied, every published key serves what it served at
# TIME (or, if it is new, what it serves now unless told to hide it); the archive is
# untouched; a second plan has nothing left to do.
KEYS = ("feeds/daily.atom", "feeds/orgs/x.json", "index.html", "posts/2026-08-03.md",
        "archive/2026-08-03.json", "archive/set-aside/2026-08-02.json")
events = st.lists(st.tuples(st.sampled_from(KEYS), st.integers(0, 4) | st.none()),
                  min_size=1, max_size=25)


@given(events=events, to=st.integers(-1, 26), delete_new=st.booleans(),
       same_second=st.booleans())
def test_applying_the_plan_serves_what_was_served_at_time(
    events: list[tuple[str, int | None]], to: int, delete_new: bool, same_second: bool,
) -> None:
    b = Bucket()
    for i, (key, body) in enumerate(events):
        when = at(i // 2 if same_second else i)  # S3's times are whole seconds: ties happen
        if body is None:
            b.delete(key, when)
        else:
            b.put(key, f"e{body}", when)
    before = {k: b.served(k) for k in KEYS}
    moment = at(to)
    plan = plan_restore(b.listing(), moment, delete_new=delete_new)
    apply(b, plan, at(100))
    for key in KEYS:
        then = b.served_at(key, moment)
        if key.startswith("archive/"):
            assert b.served(key) == before[key]
        elif then is not None:
            assert b.served(key) == then
        elif delete_new:
            assert b.served(key) is None
        else:
            assert b.served(key) == before[key]
    again = plan_restore(b.listing(), moment, delete_new=delete_new)
    assert again.rollbacks == () and again.deletes == ()


# --- TIME --------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("2026-08-03T12:00:00Z", datetime(2026, 8, 3, 12, 0, tzinfo=UTC)),
    ("2026-08-03T12:00+09:00", datetime(2026, 8, 3, 3, 0, tzinfo=UTC)),
    ("2026-08-03T12:00:00.5z", datetime(2026, 8, 3, 12, 0, 0, 500_000, tzinfo=UTC)),
    ("2026-08-02", datetime(2026, 8, 2, 23, 59, 59, 999_999, tzinfo=UTC)),  # its end, UTC
])
def test_time_is_iso_8601_with_a_zone_or_a_date(value: str, expected: datetime) -> None:
    assert parse_time(value, NOW) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("yesterday", "not an ISO 8601 time"),
    ("2026-13-01", "not an ISO 8601 time"),
    ("2026-08-03T12:00", "no time zone"),
    ("2026-08-03T15:00Z", "in the future"),
    ("2026-08-03", "in the future"),  # today's end has not come yet
    ("2026-07-01T00:00Z", "more than 30 days ago"),
])
def test_a_time_that_cannot_be_used_is_one_line_naming_it(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_time(value, NOW)
    assert value in str(caught.value) and "\n" not in str(caught.value)
