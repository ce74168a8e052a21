"""A run's worth of translation: what is worth translating, in which order, within a budget.

`translate_papers` spends at most a budget of papers per run, in the order given, and
returns only successful translations: a failure or a fallback is never stored, so the
paper is simply tried again on a later run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..models import Paper, RankedPaper, Translation
from .backend import Backend
from .identity import is_current
from .settings import DEFAULT_MAX_PAPERS

# Stop calling Bedrock for the rest of the run after this many failures in a row.
MAX_CONSECUTIVE_FAILURES = 3


@dataclass
class TranslateRun:
    """What one run's translation did: new translations only, plus the metrics."""

    translations: dict[str, Translation] = field(default_factory=dict)  # arxiv_id -> new
    translated: int = 0
    failures: int = 0
    current: int = 0  # already translated and still current: nothing paid
    deferred: int = 0  # over the budget or the deadline: next run
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (arxiv_id, reason)
    stopped: str = ""  # why calls stopped before the budget was spent, if they did

    def metrics(self) -> dict[str, int]:
        return {
            "PapersTranslated": self.translated,
            "TranslationFailures": self.failures,
            "TranslationInputTokens": self.input_tokens,
            "TranslationOutputTokens": self.output_tokens,
            "TranslationCalls": self.calls,
            "TranslationsDeferred": self.deferred,
        }


def in_rank_order(ranked: Mapping[date, Sequence[RankedPaper]]) -> list[Paper]:
    """Every paper of the loaded days, highest-ranked first: every day's #1 (newest day
    first), then every #2, and so on; so the papers the digest, weekly and monthly feeds
    lead with come before the tail of any one day."""
    items = [r for papers in ranked.values() for r in papers]
    items.sort(key=lambda r: (r.rank, -r.paper.day.toordinal(), r.paper.arxiv_id))
    return [r.paper for r in items]


def pending(
    papers: Iterable[Paper], existing: Mapping[str, Translation], lang: str, model: str
) -> tuple[list[Paper], int]:
    """Papers still to translate, in the given order, each once; and how many are current.
    Papers without an abstract have nothing to translate and are left out."""
    todo: list[Paper] = []
    seen: set[str] = set()
    current = 0
    for paper in papers:
        if paper.arxiv_id in seen or not paper.abstract:
            continue
        seen.add(paper.arxiv_id)
        if is_current(existing.get(paper.arxiv_id), paper, lang, model):
            current += 1
        else:
            todo.append(paper)
    return todo, current


def translate_papers(
    translator: Backend,
    papers: Iterable[Paper],
    existing: Mapping[str, Translation],
    budget: int = DEFAULT_MAX_PAPERS,
    *,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    now: datetime | None = None,
) -> TranslateRun:
    """Translate what is not current yet, highest-ranked first (the order of `papers`), at
    most `budget` papers and starting none after `deadline` (a `clock()` value). Stops
    early after a failure that would repeat (throttled, no access, unreachable) or
    MAX_CONSECUTIVE_FAILURES in a row; what is left waits for the next run."""
    todo, current = pending(papers, existing, translator.lang, translator.model)
    run = TranslateRun(current=current)
    in_a_row = 0
    for index, paper in enumerate(todo):
        if index >= budget:
            run.stopped = f"budget of {budget} papers spent"
        elif deadline is not None and clock() >= deadline:
            run.stopped = "out of time for this run"
        if run.stopped:
            run.deferred = len(todo) - index
            break
        outcome = translator.translate(paper, now)
        run.calls += outcome.calls
        run.input_tokens += outcome.input_tokens
        run.output_tokens += outcome.output_tokens
        if outcome.translation is not None:
            run.translations[paper.arxiv_id] = outcome.translation
            run.translated += 1
            in_a_row = 0
            continue
        run.failures += 1
        run.errors.append((paper.arxiv_id, outcome.error))
        in_a_row += 1
        if outcome.stop:
            run.stopped = f"stopped after {outcome.error}"
        elif in_a_row >= MAX_CONSECUTIVE_FAILURES:
            run.stopped = f"stopped after {in_a_row} failures in a row"
        if run.stopped:
            run.deferred = len(todo) - index - 1
            break
    return run
