"""Daily and monthly Markdown posts for static blogs (Jekyll, Hugo). Pure.

Text from HF is data, never markup, in both engines:
- `&`, `<`, `>` become entities, so raw HTML shows as text;
- Markdown punctuation is backslash-escaped, so a title reads as written;
- `{` and `}` become entities, because Jekyll runs Liquid (`{{ }}`, `{% %}`) and Hugo runs
  shortcodes (`{{< >}}`) over the file *before* Markdown, where backslashes do not help;
- URLs are http(s) only (parse guarantees it) and percent-encode what could end a link.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from ..i18n import Lang
from ..models import Paper, RankedPaper, Translation
from ..select.rank import rank_key
from ..text import shorten
from ..translate.identity import displayable
from .paper_facts import authors_line, daily_post_title, paper_links, translation_labels
from .paper_facts import counts as paper_counts

AUTHORS_SHOWN = 5
MONTHLY_TOP = 20
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
# A fixed local time, so the date never moves between runs; midnight, so a post written
# early in the day is not "in the future", which Jekyll and Hugo skip by default.
POST_HOUR = 0

# Backslash escapes both kramdown (Jekyll) and CommonMark (Hugo) honour; "~" is not one
# of kramdown's, so it becomes an entity like the braces. Quotes are escaped so that smart
# quotes (kramdown, Goldmark's typographer) leave "Can't" as written.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!|$:'\"])")


@dataclass(frozen=True)
class PostOptions:
    slug: str = "hf-daily-papers"
    permalink: str = "/posts/{slug}-{date}/"  # {slug}, {date} (YYYY-MM-DD), {year}, {month}
    top: int = 10  # papers shown in a daily post; 0 = all
    tz: str = "UTC"
    author: str = ""
    layout: str = ""
    categories: tuple[str, ...] = ("papers",)
    tags: tuple[str, ...] = ("huggingface", "daily-papers")
    extra: Mapping[str, object] = field(default_factory=dict)  # more front matter keys


def md(text: str) -> str:
    """Untrusted text as inert Markdown that renders exactly as written."""
    text = escape(text, quote=False)  # & < > first: the entities below must survive
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("{", "&#123;").replace("}", "&#125;").replace("~", "&#126;")


def md_url(url: str) -> str:
    """A URL safe inside (...) of a Markdown link, and invisible to Liquid/shortcodes."""
    # A backslash would escape the closing paren in CommonMark (Hugo) and end the link early.
    for char, code in (("\\", "%5C"), ("(", "%28"), (")", "%29"), ("{", "%7B"), ("}", "%7D"),
                       (" ", "%20")):
        url = url.replace(char, code)
    return url


def _link(text: str, url: str) -> str:
    return f"[{md(text)}]({md_url(url)})"


def daily_key(day: date, options: PostOptions) -> str:
    return f"posts/{day.isoformat()}-{options.slug}.md"


def monthly_key(year: int, month: int, options: PostOptions) -> str:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return f"posts/{last.isoformat()}-{options.slug}-monthly.md"


def _permalink(options: PostOptions, day: date, suffix: str = "") -> str:
    return options.permalink.format(
        slug=options.slug + suffix, date=day.isoformat(), year=f"{day.year:04d}",
        month=f"{day.month:02d}",
    )


def _front_matter(title: str, day: date, options: PostOptions, permalink: str) -> str:
    import yaml  # only the posts need it

    stamp = datetime.combine(day, time(POST_HOUR), tzinfo=ZoneInfo(options.tz))
    data: dict[str, object] = {
        "title": title,
        "date": stamp.strftime("%Y-%m-%d %H:%M:%S %z"),
        "categories": list(options.categories),
        "tags": list(options.tags),
        "permalink": permalink,  # Jekyll
        "url": permalink,  # Hugo
    }
    if options.author:
        data["author"] = options.author
    if options.layout:
        data["layout"] = options.layout
    for key, value in options.extra.items():
        data.setdefault(key, value)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{body}---\n"


def _authors(p: Paper, lang: Lang) -> str:
    return authors_line(p.authors, AUTHORS_SHOWN, lang, md)


def _paper_links(p: Paper, lang: Lang) -> str:
    links = paper_links(p, lang, hf=False, discussion=False, stars=lambda s: f" {s}")
    return " · ".join(_link(link.text, link.url) + link.after for link in links)


def _translation_lines(t: Translation, lang: Lang) -> list[str]:
    labels = {key: md(text) for key, text in translation_labels(t, lang).items()}
    points = [f"- {md(point)}" for point in t.key_points]
    return ["", f"**{labels['summary']}:** {md(t.summary)}", "", f"**{labels['points']}:**",
            "", *points, "", f"**{labels['abstract']}:** {md(t.abstract)}", "",
            f"*{labels['note']}*"]


def _paper_section(item: RankedPaper, lang: Lang, translate_to: str = "") -> list[str]:
    p = item.paper
    counts = " · ".join(paper_counts(p, lang))
    label = {  # translated once, outside f-strings, where the extractor finds them
        "org": md(lang._("Organisation")), "authors": md(lang._("Authors")),
        "summary": md(lang._("AI summary")), "keywords": md(lang._("Keywords")),
        "abstract": md(lang._("Abstract")), "figures": md(lang._("Figures")),
    }
    lines = [f"## {item.rank}. {_link(p.title, p.url)}", "", md(counts)]
    if p.organization:
        lines += ["", f"**{label['org']}:** {md(p.organization)}"]
    if p.authors:
        lines += ["", f"**{label['authors']}:** {_authors(p, lang)}"]
    lines += ["", _paper_links(p, lang)]
    if p.thumbnail:
        # Empty alt: the thumbnail repeats the title right above it (decorative), and Hugo's
        # Goldmark builds alt text from raw Markdown, escapes and all.
        lines += ["", f"![]({md_url(p.thumbnail)})"]
    if p.ai_summary:
        lines += ["", f"> **{label['summary']}:** {md(p.ai_summary)}"]
    if p.ai_keywords:
        lines += ["", f"**{label['keywords']}:** {md(', '.join(p.ai_keywords))}"]
    if p.abstract:
        lines += ["", f"**{label['abstract']}:** {md(p.abstract)}"]
    if p.media_urls:
        figures = []
        for i, url in enumerate(p.media_urls, start=1):
            name = md(lang._("Figure {n}", n=i))
            # HF lists videos too: an image tag would show nothing, so those are links.
            image = url.lower().rsplit("?", 1)[0].endswith(IMAGE_SUFFIXES)
            figures.append(f"{'!' if image else ''}[{name}]({md_url(url)})")
        lines += ["", f"**{label['figures']}:** {' '.join(figures)}"]
    t = p.translation(translate_to) if translate_to else None
    if t is not None and displayable(t, p, translate_to):
        lines += _translation_lines(t, lang)
    return [*lines, ""]


def daily_post(
    day: date, ranked: tuple[RankedPaper, ...], options: PostOptions, lang: Lang,
    translate_to: str = "",
) -> tuple[str, bytes]:
    """The post of one HF day: front matter, a count line, the top N in rank order."""
    shown = ranked if options.top == 0 else ranked[: options.top]
    title = daily_post_title(day, lang)
    count = lang.n_(
        "Hugging Face listed {n} paper on {date}; this post shows the top {shown} by upvotes.",
        "Hugging Face listed {n} papers on {date}; this post shows the top {shown} by upvotes.",
        len(ranked), date=lang.long_date(day), shown=lang.number(len(shown)),
    )
    lines = [f"# {md(title)}", "", md(count), ""]
    for item in shown:
        lines += _paper_section(item, lang, translate_to)
    text = _front_matter(title, day, options, _permalink(options, day)) + "\n" + "\n".join(lines)
    return daily_key(day, options), text.encode("utf-8")


def monthly_post(
    year: int, month: int, ranked: Mapping[date, tuple[RankedPaper, ...]],
    options: PostOptions, lang: Lang,
) -> tuple[str, bytes]:
    """The month's top papers by upvotes across its days, each with its day and day rank."""
    papers = [r for d, items in ranked.items() if (d.year, d.month) == (year, month)
              for r in items]
    top = sorted(papers, key=lambda r: rank_key(r.paper))[:MONTHLY_TOP]
    last = date(year, month, calendar.monthrange(year, month)[1])
    month_name = lang.month_year(last)
    title = lang._("Hugging Face Daily Papers: top {n} of {month}", n=len(top), month=month_name)
    intro = lang.n_(
        "The {shown} most upvoted of the {n} paper Hugging Face listed in {month}.",
        "The {shown} most upvoted of the {n} papers Hugging Face listed in {month}.",
        len(papers), shown=lang.number(len(top)), month=month_name,
    )
    lines = [f"# {md(title)}", "", md(intro), ""]
    for place, item in enumerate(top, start=1):
        p = item.paper
        where = lang._("#{rank} on {day}", rank=item.rank, day=lang.long_date(p.day))
        counts = "▲ " + lang.n_("{n} upvote", "{n} upvotes", p.upvotes)
        org = f" · {md(p.organization)}" if p.organization else ""
        lines += [f"## {place}. {_link(p.title, p.url)}", "", f"{md(counts)} · {md(where)}{org}",
                  "", _paper_links(p, lang), ""]
        if p.abstract:
            lines += [md(shorten(p.abstract, 600)), ""]
    permalink = _permalink(options, last, "-monthly")
    text = _front_matter(title, last, options, permalink) + "\n" + "\n".join(lines)
    return monthly_key(year, month, options), text.encode("utf-8")
