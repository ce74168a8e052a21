"""Settings: one dataclass, from env vars with CLI flags or event fields on top."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .errors import ConfigError, TranslateConfigError
from .models import FeedDefinition
from .render.post import PostOptions
from .text import whole_number

DEFAULT_HF_URL = "https://huggingface.co"
DEFAULT_SITE_URL = "http://localhost:8000/"
DEFAULT_DAYS = 3
MAX_DAYS = 90


@dataclass(frozen=True)
class Config:
    date: date
    days: int = DEFAULT_DAYS
    out: str = "public"
    bucket: str = ""
    hf_url: str = DEFAULT_HF_URL
    site_url: str = DEFAULT_SITE_URL
    site_url_is_default: bool = True
    distribution_id: str = ""  # CloudFront distribution to invalidate after a change
    hub_url: str = ""  # WebSub hub to ping after a change
    lang: str = "en"  # language of every fixed string readers see
    posts: PostOptions = field(default_factory=PostOptions)
    posts_dir: str = ""  # a blog's own posts folder to write the posts into as well
    translate_to: str = ""  # language of machine translations (Bedrock); "" = off
    translate_model: str = ""
    translate_max_papers: int = 30
    http_retries: int = 3
    http_backoff: float = 1.0
    # The deployer's feeds (FEEDS_FILE): a file's definitions are read and checked here,
    # before anything runs; "store:KEY" names a file in the site's store, read by the run.
    feeds_file: str = ""
    feeds: tuple[FeedDefinition, ...] = ()
    org_min_papers: int = 3  # papers in 90 days that give an organisation its feed; 0: none
    topics: bool = True  # the shipped topic feeds (TOPICS=off leaves them out)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"date {value!r} is not YYYY-MM-DD") from None


def parse_days(value: Any) -> int:
    return whole_number(value, "days", 1, MAX_DAYS, ConfigError)


def parse_tz(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"time zone {value!r} is unknown (try Asia/Seoul or UTC)") from None
    return value


def parse_top(value: Any) -> int:
    return whole_number(value, "post top (0 for all)", 0, None, ConfigError)


def _slug(value: str) -> str:
    if not value or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise ConfigError(f"post slug {value!r} must be ASCII letters, digits, - or _")
    return value


def _front_matter(value: str) -> dict[str, object]:
    if not value:
        return {}
    try:
        extra = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"POST_FRONT_MATTER is not JSON: {exc}") from None
    if not isinstance(extra, dict):
        raise ConfigError("POST_FRONT_MATTER must be a JSON object")
    return extra


def _words(value: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.strip() for w in value.split(",") if w.strip()) if value else default


PERMALINK_FIELDS = ("slug", "date", "year", "month")


def _check_placeholders(permalink: str) -> None:
    """Only plain {slug}, {date}, {year}, {month}, {day}: no attribute, index or format,
    so a typo fails here, before anything is fetched, not in the middle of a run."""
    try:
        fields = list(string.Formatter().parse(permalink))
    except ValueError as exc:
        raise ConfigError(f"post permalink {permalink!r}: {exc}") from None
    for _, name, spec, conversion in fields:
        if name is not None and (name not in PERMALINK_FIELDS or spec or conversion):
            raise ConfigError(f"post permalink {permalink!r}: {{{name}}} is not one of "
                              + ", ".join(f"{{{f}}}" for f in PERMALINK_FIELDS))


def load_posts(env: Mapping[str, str], o: Mapping[str, Any]) -> PostOptions:
    base = PostOptions()
    permalink = str(o.get("post_permalink") or env.get("POST_PERMALINK") or base.permalink)
    if not permalink.startswith("/") or "{date}" not in permalink:
        raise ConfigError(f"post permalink {permalink!r} must start with / and hold {{date}}")
    _check_placeholders(permalink)
    return PostOptions(
        slug=_slug(str(o.get("post_slug") or env.get("POST_SLUG") or base.slug)),
        permalink=permalink,
        top=parse_top(o.get("post_top", env.get("POST_TOP") or base.top)),
        tz=parse_tz(str(o.get("tz") or env.get("PAPERFEED_TZ") or "UTC")),
        author=str(o.get("post_author") or env.get("POST_AUTHOR") or ""),
        layout=str(o.get("post_layout") or env.get("POST_LAYOUT") or ""),
        categories=_words(env.get("POST_CATEGORIES", ""), base.categories),
        tags=_words(env.get("POST_TAGS", ""), base.tags),
        extra=_front_matter(env.get("POST_FRONT_MATTER", "")),
    )


def _translation(env: Mapping[str, str], o: Mapping[str, Any]) -> dict[str, Any]:
    from .translate import settings as translate

    target = str(o.get("translate_to") or env.get("TRANSLATE_TO") or "")
    try:
        return {
            "translate_to": translate.parse_target_lang(target) if target else "",
            "translate_model": translate.parse_model(
                env.get("TRANSLATE_MODEL") or translate.DEFAULT_MODEL),
            "translate_max_papers": translate.parse_max_papers(
                env.get("TRANSLATE_MAX_PAPERS") or translate.DEFAULT_MAX_PAPERS),
        }
    except TranslateConfigError as exc:
        raise ConfigError(str(exc)) from None


def parse_lang(value: str) -> str:
    from .i18n import available

    if value not in available():
        raise ConfigError(f"language {value!r} is not one of: {', '.join(available())}")
    return value


def _http_url(name: str, value: str) -> str:
    if (not value.startswith(("http://", "https://")) or len(value) < 10
            or any(c.isspace() or ord(c) < 32 or c in "<>\"'`" for c in value)):
        raise ConfigError(f"{name} {value!r} is not an http(s) URL")
    return value


EARLIEST = date(2020, 1, 1)  # HF Daily Papers began in 2023; anything before is a typo


def check_date(as_of: date, days: int, today: date) -> date:
    """The run's date: not more than a day ahead of the clock (a run for the future would
    take its empty days as the newest), and not before HF Daily Papers existed."""
    if as_of > today + timedelta(days=1):
        raise ConfigError(f"date {as_of} is in the future (today is {today} UTC)")
    if as_of < EARLIEST + timedelta(days=days - 1):
        raise ConfigError(f"date {as_of} with {days} days starts before {EARLIEST}")
    return as_of


STORE_PREFIX = "store:"


def parse_switch(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in ("", "on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise ConfigError(f"{name} {value!r} is not on or off")


def parse_org_min_papers(value: Any) -> int:
    return whole_number(value, "ORG_MIN_PAPERS", 0, 1_000, ConfigError)


def load_feeds_file(value: str, lang: str) -> tuple[FeedDefinition, ...]:
    """FEEDS_FILE's definitions: a local file read and checked now; "store:KEY" is read by
    the run from the site's store (so it is checked there, still before any fetch)."""
    from .select.catalogue import RESERVED
    from .select.feeds_file import parse_feeds_file

    if not value or value.startswith(STORE_PREFIX):
        return ()
    try:
        text = Path(value).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"feeds file {value}: cannot be read: {exc}") from None
    return parse_feeds_file(text, value, lang=lang, reserved=RESERVED)


def load_config(env: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> Config:
    """Env vars first, then `overrides` (CLI flags, event fields) where not None."""
    o = {k: v for k, v in (overrides or {}).items() if v is not None}
    today = datetime.now(UTC).date()
    as_of = parse_date(o["date"]) if "date" in o else today
    days = parse_days(o.get("days", env.get("WINDOW_DAYS") or DEFAULT_DAYS))
    as_of = check_date(as_of, days, today)
    hf_url = _http_url("HF URL", str(o.get("hf_url") or env.get("HF_BASE_URL") or DEFAULT_HF_URL))
    site = str(o.get("site_url") or env.get("SITE_URL") or "")
    site_url = _http_url("site URL", site) if site else DEFAULT_SITE_URL
    if not site_url.endswith("/"):
        site_url += "/"
    site_lang = parse_lang(str(o.get("lang") or env.get("PAPERFEED_LANG") or "en"))
    feeds_file = str(o.get("feeds_file") or env.get("FEEDS_FILE") or "")
    if feeds_file.startswith(STORE_PREFIX) and not feeds_file[len(STORE_PREFIX):].strip("/"):
        raise ConfigError(f"FEEDS_FILE {feeds_file!r} names no key after {STORE_PREFIX}")
    return Config(
        date=as_of,
        days=days,
        out=str(o.get("out") or "public"),
        bucket=str(o.get("bucket") or env.get("BUCKET_NAME") or ""),
        hf_url=hf_url.rstrip("/"),
        site_url=site_url,
        site_url_is_default=not site,
        distribution_id=str(env.get("DISTRIBUTION_ID") or ""),
        lang=site_lang,
        posts=load_posts(env, o),
        posts_dir=str(o.get("posts_dir") or env.get("POSTS_DIR") or ""),
        **_translation(env, o),
        hub_url=_http_url("HUB_URL", hub) if (hub := str(env.get("HUB_URL") or "")) else "",
        feeds_file=feeds_file,
        feeds=load_feeds_file(feeds_file, site_lang),
        org_min_papers=parse_org_min_papers(
            o.get("org_min_papers", env.get("ORG_MIN_PAPERS") or 3)),
        topics=parse_switch("TOPICS", str(env.get("TOPICS") or "on")),
    )
