"""The one thing the batch needs of a translation service, and what a call gives back.

`Backend` is the protocol (Bedrock is the adapter in `bedrock.py`); a backend never raises
on a service failure: the outcome names the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ..models import Paper, Translation


@dataclass(frozen=True)
class TranslateOutcome:
    translation: Translation | None
    error: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    stop: bool = False  # further calls this run would fail the same way


class Backend(Protocol):
    """Translates papers into one language (`lang`) with one model (`model`)."""

    lang: str
    model: str

    def translate(self, paper: Paper, now: datetime | None = None) -> TranslateOutcome:
        """One paper; never raises on a service failure."""
        ...
