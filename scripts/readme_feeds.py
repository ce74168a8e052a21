"""Rewrite the README's feed table from the catalogue: `python scripts/readme_feeds.py`.

tests/test_docs.py fails when the README and the catalogue disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from paperfeed.i18n import lang
from paperfeed.select.catalogue import CATALOGUE

english = lang("en")

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- feeds:start -->", "<!-- feeds:end -->"


def feed_table() -> str:
    rows = ["| feed | what it holds | Atom | RSS | JSON Feed |", "|---|---|---|---|---|"]
    for spec in CATALOGUE:
        files = " | ".join(f"`feeds/{spec.name}.{ext}`" for ext in ("atom", "rss", "json"))
        rows.append(f"| `{spec.name}` | {english._(spec.description, **spec.params)} | {files} |")
    return "\n".join(rows)


def with_table(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{feed_table()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"readme_feeds: {len(CATALOGUE)} feeds written to {README.name}", file=sys.stderr)
