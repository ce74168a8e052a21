"""Whether a paper meets a feed's `Criteria`, and which of its terms it matched. Pure.

Terms are whole words or phrases, case-insensitive: "agent" matches "an agent" and "Agent,"
but not "agents" or "reagent"; "agent*" matches all three endings ("agents", "agentic").
Hyphens, spaces and punctuation all separate words, so "vision-language" and "vision
language" are the same term. Terms are looked for in the title, the abstract, HF's
keywords, the author names and the organisation; a phrase never spans two of them.

Each paper is cut into words once per run (`paper_words`, cached), and a term is a lookup
in its word n-grams, so twenty topic feeds cost twenty set lookups per paper, not twenty
scans of its abstract.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..models import Criteria, Paper

MAX_PHRASE = 6  # words in the longest exact phrase looked up as one n-gram
_WORD = re.compile(r"\w+")


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class PaperWords:
    """A paper's searchable text as words: n-grams for exact terms, the sorted vocabulary
    for one-word prefixes, and each field's words for longer prefixed phrases."""

    ngrams: frozenset[tuple[str, ...]]
    vocabulary: tuple[str, ...]
    fields: tuple[tuple[str, ...], ...]

    def has(self, term: tuple[str, ...], prefix: bool) -> bool:
        if not prefix:
            return term in self.ngrams
        if len(term) == 1:
            i = bisect_left(self.vocabulary, term[0])
            return i < len(self.vocabulary) and self.vocabulary[i].startswith(term[0])
        head, last, n = term[:-1], term[-1], len(term)
        return any(f[i:i + n - 1] == head and f[i + n - 1].startswith(last)
                   for f in self.fields for i in range(len(f) - n + 1))


@lru_cache(maxsize=8192)
def paper_words(paper: Paper) -> PaperWords:
    fields = tuple(w for w in map(words, (paper.title, paper.abstract, *paper.ai_keywords,
                                          *paper.authors, paper.organization,
                                          paper.organization_id)) if w)
    ngrams = {f[i:i + n] for f in fields for n in range(1, MAX_PHRASE + 1)
              for i in range(len(f) - n + 1)}
    return PaperWords(frozenset(ngrams), tuple(sorted({w for f in fields for w in f})), fields)


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
