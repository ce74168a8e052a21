"""A live browser session for tests: Playwright driving the machine's Debian Chromium.

Playwright's own browsers are never downloaded: `launch(executable_path=...)` runs the
`chromium` that scripts/install_system_deps.sh installs, with the flags this closed network
needs (tests/browser.py's, bar the ones Playwright sets itself). One browser per test
session (the `live_browser` fixture in conftest.py); each test gets its own context and page.

- `open_page(browser)`: a page whose console messages, page errors and Content-Security-Policy
  violations are collected (`LivePage.console`, `.errors`, `.csp_violations`).
- `run_axe(page)`: axe-core's violations for the page. axe is injected as an inline script,
  which the site's `script-src 'self'` blocks: run it in a page opened with `bypass_csp=True`,
  and check the policy itself in another, which does not bypass it.
- `type_and_wait(page, selector, text, result_selector)`: type as a person does, key by key,
  then wait for what the typing should show.
- `xslt_runs(browser, folder)`: whether this browser still applies an XSLT stylesheet, as
  browsers did before native XSLT was removed; a browser launched with `NO_XSLT` is the one
  without it (the `live_browser_without_xslt` fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools import require_file

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

# tests/browser.py's FLAGS without --headless (Playwright's `headless=True`) and the
# screenshot-only ones; Playwright passes its own --user-data-dir, a fresh one per launch.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
# Chromium's switch for native XSLT (the "XSLT" feature: <?xml-stylesheet?> and
# XSLTProcessor), off as it will be once removed; `xslt_runs` proves it is.
NO_XSLT = "--disable-features=XSLT"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

JS = Path(__file__).resolve().parent / "js"  # tests/js/package.json pins the version
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's console line for a blocked load or script, e.g. "Refused to apply inline style
# because it violates the following Content Security Policy directive: ..."
CSP_MESSAGE = "Content Security Policy"

# Runs before any of the page's own scripts, in every frame: reports each violation to Python.
# Init scripts come in through the DevTools protocol, so the page's CSP does not block them.
_LISTEN_FOR_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__pfCspViolation({directive: e.effectiveDirective, blocked: e.blockedURI,
                           source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""


@contextmanager
def launch(chromium: str) -> Iterator[Browser]:
    """Headless Chromium at `chromium` (a path from require_tool), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class LivePage:
    page: Page
    console: list[str] = field(default_factory=list)  # "type: text", e.g. "error: Refused..."
    errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page
    violations: list[dict[str, Any]] = field(default_factory=list)  # securitypolicyviolation

    @property
    def csp_violations(self) -> list[str]:
        """Every CSP violation seen: the events, and console lines naming the policy (for
        what fires no event, as a blocked inline script in a page without a listener)."""
        events = [f"{v['directive']} blocked {v['blocked'] or 'inline'} at {v['source']}:"
                  f"{v['line']} {v['sample']!r}" for v in self.violations]
        return events + [line for line in self.console if CSP_MESSAGE in line]


@contextmanager
def open_page(browser: Browser, *, bypass_csp: bool = False,
              viewport: dict[str, int] | None = None, **options: Any) -> Iterator[LivePage]:
    """A page in a context of its own; `bypass_csp=True` only to inject scripts (run_axe),
    never where the policy is what is checked. `options` go to the context as they are
    (Playwright's new_context: `is_mobile=True`, `java_script_enabled=False`...)."""
    options.setdefault("has_touch", options.get("is_mobile", False))
    context = browser.new_context(bypass_csp=bypass_csp, viewport=viewport or DESKTOP,
                                  **options)
    try:
        page = context.new_page()
        live = LivePage(page)
        page.on("console", lambda m: live.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: live.errors.append(str(e)))
        page.expose_function("__pfCspViolation", lambda v: live.violations.append(v))
        page.add_init_script(_LISTEN_FOR_CSP)
        yield live
    finally:
        context.close()


def require_axe() -> Path:
    """axe.min.js, installed by `npm ci --prefix tests/js` (scripts/install_system_deps.sh);
    without it the test skips locally and fails under CI=true, as a missing program does."""
    return require_file(AXE, "axe-core", "npm ci --prefix tests/js")


def run_axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page as loaded (its rules' defaults unless `options`,
    axe.run's options, say otherwise): dicts with id, impact, help, helpUrl and nodes."""
    from playwright.sync_api import Error

    axe = require_axe()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        try:
            page.add_script_tag(path=axe)
        except Error as e:
            if CSP_MESSAGE not in str(e):
                raise
            raise RuntimeError("axe-core did not load: the page's CSP blocks the inline "
                               "script it comes in; run it in a page opened with "
                               "open_page(..., bypass_csp=True) (the axe_page fixture)") from e
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # An XML document (a feed and the view its script made): a script element made
            # by document.createElement is not an HTML one there and does not run.
            page.evaluate(axe.read_text(encoding="utf-8"))
    return page.evaluate("async (options) => (await axe.run(document, options)).violations",
                         {"resultTypes": ["violations"], **(options or {})})


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per violation, for an assertion message: id, impact, help, the nodes."""
    blocks = []
    for v in violations:
        nodes = "\n".join(f"    {' '.join(n['target'])}: {n.get('failureSummary', '')}"
                          .replace("\n", " ") for n in v["nodes"])
        blocks.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n{nodes}")
    return "\n".join(blocks)


def type_and_wait(page: Page, selector: str, text: str, result_selector: str,
                  timeout: float = 5000, delay: float = 20) -> Locator:
    """Clear the field at `selector`, type `text` into it key by key (keydown, input, keyup
    per character, as a person types: what a search-as-you-type box listens to), then wait
    until `result_selector` is visible; returns its locator."""
    field_ = page.locator(selector)
    field_.fill("")
    field_.press_sequentially(text, delay=delay)
    result = page.locator(result_selector).first
    result.wait_for(state="visible", timeout=timeout)
    return page.locator(result_selector)


XSLT_PROBE = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="xslt-probe.xsl"?>
<probe>not transformed</probe>
"""
XSLT_PROBE_XSL = """<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><html><body><p id="transformed">transformed</p></body></html>
  </xsl:template>
</xsl:stylesheet>
"""


def xslt_runs(browser: Browser, folder: Path) -> bool:
    """Whether `browser` applies an XML document's XSLT stylesheet: a probe document and its
    stylesheet are written to `folder` and served from it (another site: no CSP)."""
    from browser import serve_site

    (folder / "xslt-probe.xml").write_text(XSLT_PROBE, encoding="utf-8")
    (folder / "xslt-probe.xsl").write_text(XSLT_PROBE_XSL, encoding="utf-8")
    with serve_site(folder, site=False) as url, open_page(browser) as live:
        live.page.goto(url + "xslt-probe.xml", wait_until="load")
        transformed = live.page.locator("#transformed").count() == 1
        raw = "not transformed" in (live.page.text_content("body") or "")
        assert transformed != raw, live.page.content()[:500]  # one or the other, clearly
        return transformed
