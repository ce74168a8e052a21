"""The fetch-only floor of a run: what no run can do without, measured as a run.

    python bench/fetch_floor.py run --out SITE --date D --days N --hf-url URL ... (CLI flags)

This is `paperfeed run` exactly as the CLI starts it (same flags, same `Config`, same imports,
same `HFClient` and `DirStore`), cut short where `run()` has fetched the window: it lists the
store (`store.digests()`), reads the feeds file if any, scrapes every day of the window and
merges each into its stored day document (`_fetch_window`: the same HF requests and archive
reads). Then it stops, before the manifest is read or anything is decided or rendered, and
prints one JSON line: the requests made, the days fetched and the day documents that changed.

The cut is made by wrapping the real `paperfeed.run._fetch_window`, so the floor runs the
project's own code and cannot drift from what `run()` does before it; nothing is
re-implemented here. An unchanged hourly run should cost this, plus reading the manifest and
digesting the run's inputs.
"""

from __future__ import annotations

import json
import sys
from typing import Any


class Fetched(Exception):  # noqa: N818 (not an error: the point where the floor stops)
    def __init__(self, summary: Any, rendered: dict[str, bytes]) -> None:
        super().__init__("window fetched")
        self.summary, self.rendered = summary, rendered


def main(argv: list[str]) -> int:
    from paperfeed import run as run_module
    from paperfeed.entrypoints import cli

    fetch_window = run_module._fetch_window  # noqa: SLF001

    def fetch_then_stop(config: Any, client: Any, store: Any, archived: Any, now: Any,
                        rendered: dict[str, bytes], summary: Any) -> Any:
        fetch_window(config, client, store, archived, now, rendered, summary)
        raise Fetched(summary, rendered)

    run_module._fetch_window = fetch_then_stop  # noqa: SLF001
    try:
        code = cli.main(argv)
    except Fetched as done:
        print(json.dumps({
            "requests": done.summary.requests,
            "days_fetched": len(done.summary.days_fetched),
            "archive_changed": sum(k.startswith("archive/") for k in done.rendered),
        }))
        return 0
    print(f"fetch_floor: the run ended ({code}) without reaching the fetch", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
