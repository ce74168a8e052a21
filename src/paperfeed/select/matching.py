"""Whether a paper meets a feed's `Criteria`, and which of its terms it matched. Pure.

Terms are whole words or phrases, case-insensitive: "agent" matches "an agent" and "Agent,"
but not "agents" or "reagent"; "agent*" matches all three endings ("agents", "agentic").
Hyphens, spaces and punctuation all separate words, so "vision-language" and "vision
language" are the same term. Terms are looked for in the title, the abstract, HF's
keywords, the author names and the organisation; a phrase never spans two of them.

Each paper is cut into words once per run (`paper_words`, cached) and kept as one string
of its words; a term is one substring search in it (C speed, no regex). An earlier set of
every word n-gram was faster by a little and took 47 MB on a 30-day archive of 1,500 papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..models import Criteria, Paper

MAX_PHRASE = 6  # words in the longest exact phrase looked up as one n-gram
_WORD = re.compile(r"\w+")


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class PaperWords:
    """A paper's searchable text as words: each field's words between single spaces, fields
    apart on lines, so a term is one substring search (a prefix term leaves its end open)."""

    text: str

    def has(self, term: tuple[str, ...], prefix: bool) -> bool:
        phrase = " " + " ".join(term)
        return (phrase if prefix else phrase + " ") in self.text


@lru_cache(maxsize=4096)
def paper_words(paper: Paper) -> PaperWords:
    fields = (w for w in map(words, (paper.title, paper.abstract, *paper.ai_keywords,
                                     *paper.authors, paper.organization,
                                     paper.organization_id)) if w)
    return PaperWords("\n".join(" " + " ".join(f) + " " for f in fields))


def _term(term: str) -> tuple[tuple[str, ...], bool]:
    """A term as (its words, whether its last word is a prefix)."""
    return words(term.rstrip("*")), term.endswith("*")


@dataclass(frozen=True)
class Matcher:
    """`Criteria` compiled: `matches(paper)` and the include terms a paper `matched`."""

    criteria: Criteria

    @cached_property
    def _include(self) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
        # Longest first: the reader sees "reinforcement learning" before "RL".
        ordered = sorted(self.criteria.include, key=len, reverse=True)
        return tuple((t, *_term(t)) for t in ordered if words(t.rstrip("*")))

    @cached_property
    def _exclude(self) -> tuple[tuple[tuple[str, ...], bool], ...]:
        return tuple(_term(t) for t in self.criteria.exclude if words(t.rstrip("*")))

    @cached_property
    def _organizations(self) -> frozenset[str]:
        return frozenset(o.casefold() for o in self.criteria.organizations)

    @cached_property
    def _authors(self) -> frozenset[str]:
        return frozenset(a.casefold() for a in self.criteria.authors)

    def matched(self, paper: Paper) -> tuple[str, ...]:
        """The include terms found in the paper, longest first, as the definition says them."""
        if not self._include:
            return ()
        found = paper_words(paper)
        return tuple(text for text, term, prefix in self._include if found.has(term, prefix))

    def matches(self, paper: Paper) -> bool:
        c = self.criteria
        if paper.upvotes < c.min_upvotes or (c.has_code and not paper.github_repo):
            return False
        if self._organizations and not (
                {paper.organization.casefold(), paper.organization_id.casefold()}
                & self._organizations):
            return False
        if self._authors and not {a.casefold() for a in paper.authors} & self._authors:
            return False
        if not (self._include or self._exclude):
            return True
        found = paper_words(paper)
        if self._include and not any(found.has(t, p) for _, t, p in self._include):
            return False
        return not any(found.has(t, p) for t, p in self._exclude)
