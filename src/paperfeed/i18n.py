"""Every fixed string a reader sees, in the reader's language.

Messages come from gettext catalogues (`locale/{lang}/LC_MESSAGES/paperfeed.po`, compiled to
`.mo` with Babel: `make locale`); dates and numbers are formatted for the language by Babel.
A new language is one `.po` file.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "paperfeed"


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Marks a string for extraction where it is translated later (catalogue titles)."""
    return message


def available() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()))


class Lang:
    """One language: translated messages plus Babel's date and number formats."""

    def __init__(self, code: str) -> None:
        if code not in available():
            raise ValueError(f"language {code!r} has no catalogue; have: {', '.join(available())}")
        self.code = code
        self._t = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])

    def __repr__(self) -> str:
        return f"Lang({self.code!r})"

    def _(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, n: int, **values: object) -> str:
        """A count with its noun: "1 comment", "3 comments", "댓글 3개"."""
        return self._t.ngettext(singular, plural, n).format(n=self.number(n), **values)

    def plural_form(self, singular: str, plural: str, n: int) -> str:
        """The translated pattern for `n`, "{n}" not yet filled (for templates)."""
        return self._t.ngettext(singular, plural, n)

    # Babel takes ~40 µs a call and a rebuild makes thousands with few distinct values.
    def number(self, n: int) -> str:
        return _number(self.code, n)

    def month_year(self, day: date) -> str:
        """"July 2026" / "2026년 7월"."""
        return _month_year(self.code, day)

    def weekday_short(self, index: int) -> str:
        """"Mon" / "월" for 0, Monday first (ISO)."""
        return _weekday_short(self.code, index)

    def long_date(self, day: date) -> str:
        """"August 3, 2026" / "2026년 8월 3일"."""
        return _long_date(self.code, day)


@lru_cache(maxsize=4096)
def _number(code: str, n: int) -> str:
    from babel.numbers import format_decimal  # Babel's data loads on first use only

    return format_decimal(n, locale=code)


@lru_cache(maxsize=64)
def _weekday_short(code: str, index: int) -> str:
    from babel.dates import get_day_names

    return get_day_names("abbreviated", locale=code)[index]


@lru_cache(maxsize=1024)
def _month_year(code: str, day: date) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", day, locale=code)


@lru_cache(maxsize=1024)
def _long_date(code: str, day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "long", locale=code)


@cache
def lang(code: str = "en") -> Lang:
    return Lang(code)
