"""What a stored translation was made from, and whether it is current or showable. Pure.

The renderers ask `displayable`; the batch asks `is_current` (nothing to pay for)."""

from __future__ import annotations

import hashlib

from ..models import Paper, Translation

# Bump whenever the prompt, the tool schema or the cleaning changes: every stored
# translation made under another version is then made again (within the run budget).
PROMPT_VERSION = "1"


def source_hash(paper: Paper) -> str:
    """What a translation was made from: the title and the abstract, nothing else."""
    text = f"{paper.title}\n{paper.abstract}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_current(t: Translation | None, paper: Paper, lang: str, model: str) -> bool:
    """True when `t` is what translating `paper` now would store: nothing to pay for."""
    return (
        t is not None
        and t.lang == lang
        and t.model == model
        and t.prompt_version == PROMPT_VERSION
        and t.source_hash == source_hash(paper)
    )


def displayable(t: Translation | None, paper: Paper, lang: str) -> bool:
    """True when `t` may be shown with `paper`: same language and made from the paper's
    current title and abstract. An older model or prompt version is still a translation of
    this text (shown until it is redone); a changed abstract is not (the original shows)."""
    return t is not None and t.lang == lang and t.source_hash == source_hash(paper)
