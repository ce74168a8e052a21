"""The site's pages in a live browser (Playwright on Debian's Chromium): axe-core finds no
violation of impact serious or critical, at desktop and at phone width, in the light and the
dark colour scheme; and each page loads under the deployed CSP with nothing blocked and no
script error. A new page is one more entry in PAGES."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_browser import DESKTOP, PHONE, LivePage, describe, run_axe, serious

# Paths under the site's root. The 30-day site ending 2026-08-03 archives 2026-07-10, -13,
# -31 and 08-03 (the recorded days); 07-31 is the fullest day (30 papers). A search with a
# query is checked once its results show (RESULTS). Topic and organisation pages share one
# template: a topic's stands for both.
PAGES = ["index.html", "days/2026-07-31.html", "months/2026-07.html", "archive.html",
         "search.html", "search.html?q=benchmark", "topics/agents.html"]
RESULTS = "#search-results li"
# A feed opened in a browser: the page feed-view.js makes of it (Atom and RSS alike).
PAGES += ["feeds/daily.atom", "feeds/digest.rss"]


@pytest.fixture(scope="module")
def site(served_site_30: tuple[Path, str]) -> str:
    """The 30-day site, served from its own SITE_URL (conftest's served_site_30)."""
    return served_site_30[1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(
    site: str, path: str, viewport: dict[str, int], scheme: str, axe_page: LivePage
) -> None:
    page = axe_page.page
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    response = page.goto(site + path)
    assert response is not None and response.ok, path
    if "?q=" in path:
        page.locator(RESULTS).first.wait_for()
    violations = serious(run_axe(page))
    where = f"{path} at {viewport['width']}px, {scheme}"
    assert violations == [], f"{where}:\n{describe(violations)}"
    assert axe_page.errors == [], where


@pytest.mark.parametrize("path", PAGES)
def test_loads_under_the_policy_with_nothing_blocked(
    site: str, path: str, live_page: LivePage
) -> None:
    response = live_page.page.goto(site + path)
    assert response is not None and response.ok, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    live_page.page.wait_for_load_state("load")
    if "?q=" in path:  # the search ran: its script, worker, WebAssembly and index loaded
        live_page.page.locator(RESULTS).first.wait_for()
    assert live_page.csp_violations == [], live_page.console
    assert live_page.errors == []
