"""The live-browser helpers (tests/live_browser.py) can fail: axe-core reports what a page
gets wrong, the CSP's blocks are seen, and typing works under the deployed policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import serve_site
from live_browser import LivePage, describe, run_axe, serious, type_and_wait

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>broken</title></head>
<body><main><h1>broken</h1>
<img src="pixel.png">
<input type="text" id="q">
</main></body></html>
"""

# A search-as-you-type page as the coming search.html will be: its script is a file of the
# site's own ('self'), no inline script or style, so the deployed policy lets it run.
TYPING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>typing</title>
<script src="echo.js" defer></script></head>
<body><main><h1>typing</h1>
<label for="q">Search</label> <input type="search" id="q">
<ul id="results"></ul>
</main></body></html>
"""
ECHO_JS = """document.getElementById("q").addEventListener("input", (e) => {
  const li = document.createElement("li");
  li.className = "hit";
  li.textContent = "you typed " + e.target.value;
  document.getElementById("results").replaceChildren(li);
});
"""


def test_axe_reports_an_image_without_alt_and_an_unlabelled_input(
    axe_page: LivePage, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(BROKEN)
    with serve_site(tmp_path, site=False) as url:
        axe_page.page.goto(url)
        violations = run_axe(axe_page.page)
    found = {v["id"]: v for v in serious(violations)}
    assert {"image-alt", "label"} <= found.keys(), describe(violations)
    assert found["image-alt"]["nodes"][0]["target"] == ["img"]
    assert found["label"]["nodes"][0]["target"] == ["#q"]
    assert "image-alt (critical)" in describe(violations)


def test_typing_works_under_the_deployed_policy(live_page: LivePage, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(TYPING)
    (tmp_path / "echo.js").write_text(ECHO_JS)
    with serve_site(tmp_path) as url:  # paperfeed's security headers: its CSP
        response = live_page.page.goto(url)
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        hits = type_and_wait(live_page.page, "#q", "zoë 김", "#results .hit")
        assert hits.all_inner_texts() == ["you typed zoë 김"]
        assert live_page.page.input_value("#q") == "zoë 김"
    assert live_page.csp_violations == []
    assert live_page.errors == []


def test_a_blocked_inline_script_is_seen_as_a_csp_violation(
    live_page: LivePage, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        "<script>document.title = 'ran'</script><p style='color:red'>x</p></body></html>")
    with serve_site(tmp_path) as url:
        live_page.page.goto(url)
        live_page.page.wait_for_load_state("load")
        assert live_page.page.title() == "x"  # the script did not run
    assert any("script-src" in line for line in live_page.csp_violations), live_page.console
    assert any("script-src-elem blocked inline" in v for v in live_page.csp_violations)


def test_axe_says_so_when_the_policy_keeps_it_out(live_page: LivePage, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(BROKEN)
    with serve_site(tmp_path) as url:  # script-src 'self': axe's inline script is blocked
        live_page.page.goto(url)
        with pytest.raises(RuntimeError, match="bypass_csp=True"):
            run_axe(live_page.page)
