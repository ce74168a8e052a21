"""What any renderer says about a paper, decided once: which authors, which links, which
counts, which labels. Pure; each format only escapes and places these (HTML in feeds and
pages, Markdown in posts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from ..i18n import Lang
from ..models import Paper, Translation


class Link(NamedTuple):
    text: str
    url: str
    after: str = ""  # plain text right after the link (GitHub's stars)


def authors_line(authors: tuple[str, ...], limit: int, lang: Lang,
                 escape: Callable[[str], str] = str) -> str:
    """The first `limit` names (each through `escape`), then "and N more"."""
    shown = ", ".join(escape(a) for a in authors[:limit])
    more = len(authors) - limit
    if more <= 0:
        return shown
    return lang.n_("{names} and {n} more", "{names} and {n} more", more, names=shown)


def paper_links(p: Paper, lang: Lang, *, hf: bool, discussion: bool,
                stars: Callable[[str], str]) -> list[Link]:
    """HF (if asked), arXiv, PDF, code with its stars, project page, discussion (if asked).
    `stars` formats the star count ("★ 1,234") into what follows the GitHub link."""
    links = [Link("Hugging Face", p.url)] if hf else []
    links += [Link(lang._("arXiv abstract"), p.arxiv_abs), Link("PDF", p.arxiv_pdf)]
    if p.github_repo:
        after = stars(f"★ {lang.number(p.github_stars)}") if p.github_stars is not None else ""
        links.append(Link("GitHub", p.github_repo, after))
    if p.project_page:
        links.append(Link(lang._("Project page"), p.project_page))
    if discussion:
        text = lang.n_("Discussion ({n} comment)", "Discussion ({n} comments)", p.comments)
        links.append(Link(text, p.discussion_url))
    return links


def counts(p: Paper, lang: Lang) -> list[str]:
    """"▲ 117 upvotes", "4 comments"."""
    return ["▲ " + lang.n_("{n} upvote", "{n} upvotes", p.upvotes),
            lang.n_("{n} comment", "{n} comments", p.comments)]


def translation_labels(t: Translation, lang: Lang) -> dict[str, str]:
    """The words around a shown translation, translated once (outside f-strings, where the
    message extractor finds them)."""
    return {
        "summary": lang._("Summary"), "points": lang._("Key points"),
        "abstract": lang._("Abstract (translated)"),
        "note": lang._("Machine translation ({model})", model=t.model),
    }


def daily_post_title(day: date, lang: Lang) -> str:
    return lang._("Hugging Face Daily Papers: {date}", date=lang.long_date(day))
