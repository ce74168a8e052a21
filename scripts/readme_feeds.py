"""Rewrite the README's feed and topic tables from the catalogue and the shipped topics
file: `python scripts/readme_feeds.py`.

tests/repo/test_docs.py fails when the README and the catalogue or topics disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from paperfeed.i18n import lang
from paperfeed.select.catalogue import CATALOGUE, HAS_CODE, shipped_topics

english = lang("en")

README = Path(__file__).resolve().parent.parent / "README.md"
SHOWN_TERMS = 8  # of each topic's terms, in the table; the file has them all


def feed_table() -> str:
    rows = ["| feed | what it holds | Atom | RSS | JSON Feed |", "|---|---|---|---|---|"]
    for spec in (*CATALOGUE, HAS_CODE):
        files = " | ".join(f"`feeds/{spec.name}.{ext}`" for ext in ("atom", "rss", "json"))
        rows.append(f"| `{spec.name}` | {english._(spec.description, **spec.params)} | {files} |")
    return "\n".join(rows)


def topic_table() -> str:
    rows = ["| topic | feed | matched on (first terms) |", "|---|---|---|"]
    for d in shipped_topics("en"):
        terms = ", ".join(d.criteria.include[:SHOWN_TERMS])
        more = f" and {len(d.criteria.include) - SHOWN_TERMS} more" \
            if len(d.criteria.include) > SHOWN_TERMS else ""
        rows.append(f"| {d.title} | `feeds/{d.slug}.atom` | {terms}{more} |")
    return "\n".join(rows)


def _between(text: str, name: str, table: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{table}\n{end}{tail}"


def with_table(text: str) -> str:
    return _between(_between(text, "feeds", feed_table()), "topics", topic_table())


if __name__ == "__main__":
    README.write_text(with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"readme_feeds: {len(CATALOGUE) + 1} feeds and {len(shipped_topics())} topics "
          f"written to {README.name}", file=sys.stderr)
