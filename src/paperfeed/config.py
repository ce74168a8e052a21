"""Settings: one dataclass, from env vars with CLI flags or event fields on top."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

DEFAULT_HF_URL = "https://huggingface.co"
DEFAULT_SITE_URL = "http://localhost:8000/"
DEFAULT_DAYS = 3
MAX_DAYS = 90


class ConfigError(ValueError):
    """A setting that cannot be used; the message is one line for the user."""


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
    http_retries: int = 3
    http_backoff: float = 1.0


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"date {value!r} is not YYYY-MM-DD") from None


def parse_days(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"days {value!r} is not a whole number") from None
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"days must be between 1 and {MAX_DAYS}, got {days}")
    return days


def _http_url(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) < 10:
        raise ConfigError(f"{name} {value!r} is not an http(s) URL")
    return value


def load_config(env: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> Config:
    """Env vars first, then `overrides` (CLI flags, event fields) where not None."""
    o = {k: v for k, v in (overrides or {}).items() if v is not None}
    today = datetime.now(UTC).date()
    as_of = parse_date(o["date"]) if "date" in o else today
    days = parse_days(o.get("days", env.get("WINDOW_DAYS") or DEFAULT_DAYS))
    hf_url = _http_url("HF URL", str(o.get("hf_url") or env.get("HF_BASE_URL") or DEFAULT_HF_URL))
    site = str(o.get("site_url") or env.get("SITE_URL") or "")
    site_url = _http_url("site URL", site) if site else DEFAULT_SITE_URL
    if not site_url.endswith("/"):
        site_url += "/"
    return Config(
        date=as_of,
        days=days,
        out=str(o.get("out") or "public"),
        bucket=str(o.get("bucket") or env.get("BUCKET_NAME") or ""),
        hf_url=hf_url.rstrip("/"),
        site_url=site_url,
        site_url_is_default=not site,
        distribution_id=str(env.get("DISTRIBUTION_ID") or ""),
        hub_url=_http_url("HUB_URL", hub) if (hub := str(env.get("HUB_URL") or "")) else "",
    )
