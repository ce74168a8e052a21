"""Shared fixtures: a loopback fake HF, moto's S3 over HTTP, and helpers to run the job."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from factories import run_local
from fake_hf import FakeHF

if TYPE_CHECKING:
    from fake_bedrock import FakeBedrock
    from live_browser import LivePage
    from playwright.sync_api import Browser


@pytest.fixture
def fake_hf() -> Iterator[FakeHF]:
    fake = FakeHF().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def site_30(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site after a 30-day backfill ending 2026-08-03 from the recorded days, as a fresh
    `fake_hf` serves them: built once per session. Read it only; `site_30_copy` to change it."""
    fake = FakeHF().start()
    try:
        out = tmp_path_factory.mktemp("site-30")
        summary = run_local(fake, out, days=30)
    finally:
        fake.stop()
    assert summary.status == "ok", summary
    return out


@pytest.fixture(scope="session")
def served_site_30(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A 30-day backfill from the loopback HF built for http://127.0.0.1:<port>/ and served
    there with the deployed headers ('self' is its own origin, as deployed): (folder, URL).
    Built once per session for the live-browser tests; read it only."""
    from browser import free_port, serve_site
    from factories import NOW, client_for, site_config

    from paperfeed.publish.stores.folder import DirStore
    from paperfeed.run import run

    port = free_port()
    out = tmp_path_factory.mktemp("served-site-30")
    fake = FakeHF().start()
    try:
        config = site_config(fake.url, out, days=30, site_url=f"http://127.0.0.1:{port}/")
        summary = run(config, store=DirStore(out), client=client_for(fake), now=NOW)
    finally:
        fake.stop()
    assert summary.status == "ok", summary
    with serve_site(out, port) as url:
        yield out, url


@pytest.fixture
def site_30_copy(site_30: Path, tmp_path: Path) -> Path:
    """A copy of `site_30` of the test's own, to run again over or to tamper with."""
    out = tmp_path / "site"
    shutil.copytree(site_30, out)
    return out


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The XSS corpus's site (`xss_corpus.build_site`), built once for its feed and page tests."""
    from xss_corpus import build_site

    return build_site(tmp_path_factory.mktemp("xss-site"))


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 as a real HTTP server on loopback; clients reach it via AWS_ENDPOINT_URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return moto_endpoint


@pytest.fixture
def bucket(aws_env: str, request: pytest.FixtureRequest) -> str:
    import boto3

    name = "pf-" + request.node.name.lower().replace("_", "-")[:40]
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def distribution(aws_env: str, request: pytest.FixtureRequest) -> str:
    """A CloudFront distribution in moto, for the invalidations a run or a restore makes."""
    import boto3

    answer = boto3.client("cloudfront").create_distribution(DistributionConfig={
        "CallerReference": request.node.name, "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "site", "DomainName": "site.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all"},
    })
    return answer["Distribution"]["Id"]


# --- Bedrock: a loopback fake speaking Converse, and an AWS environment with nothing else --
_AWS_VARS = (
    "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
)


@pytest.fixture
def no_aws_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No profile, no ~/.aws, no instance metadata: only what a test puts in the env."""
    for name in (*_AWS_VARS, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def bedrock(no_aws_files: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    from fake_bedrock import FakeBedrock

    fake = FakeBedrock().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield fake
    fake.stop()


# --- a live browser: Playwright driving Debian's Chromium (tests/live_browser.py) ---------
@pytest.fixture(scope="session")
def live_browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session, started by the first test that asks."""
    from live_browser import launch
    from tools import require_tool

    with launch(require_tool("chromium", "chromium")) as browser:
        yield browser


@pytest.fixture(scope="session")
def live_browser_without_xslt(live_browser: Browser) -> Iterator[Browser]:
    """A second headless Chromium, with native XSLT switched off (`NO_XSLT`): browsers as
    they will be once XSLT is removed."""
    from live_browser import LAUNCH_ARGS, NO_XSLT
    from tools import require_tool

    browser = live_browser.browser_type.launch(
        executable_path=require_tool("chromium", "chromium"), headless=True,
        args=[*LAUNCH_ARGS, NO_XSLT])
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def live_page(live_browser: Browser) -> Iterator[LivePage]:
    """A fresh page under the CSP the server sends; its console, errors and CSP violations
    are collected (`.console`, `.errors`, `.csp_violations`)."""
    from live_browser import open_page

    with open_page(live_browser) as live:
        yield live


@pytest.fixture
def axe_page(live_browser: Browser) -> Iterator[LivePage]:
    """A fresh page that bypasses the CSP, so run_axe can inject axe-core: never the page to
    check the policy with (that is `live_page`)."""
    from live_browser import open_page, require_axe

    require_axe()
    with open_page(live_browser, bypass_csp=True) as live:
        yield live



os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "PaperfeedTest")


# --- kinds of test ------------------------------------------------------------------------
# The folder a test lives in is its kind, and its marker: `unit` (the pure core, in process),
# `integration` (whole runs against loopback HF and Bedrock fakes, moto's S3 over HTTP, the
# CLI as a subprocess), `external` (real programs from Debian read what we publish: newsboat,
# Chromium, Jekyll, Hugo), `repo` (the repository itself: docs, lock, template, layering).
# `pytest -m "not external"` runs the fast part alone; `make test` runs everything.
KINDS = ("unit", "integration", "external", "repo")
_TESTS = Path(__file__).resolve().parent


def _calls_a_real_program(function: object) -> bool:
    import inspect

    try:
        return "require_tool(" in inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        kind = Path(str(item.fspath)).resolve().relative_to(_TESTS).parts[0]
        if kind not in KINDS:
            raise pytest.UsageError(f"{item.nodeid}: a test lives in one of tests/{KINDS}")
        item.add_marker(getattr(pytest.mark, kind))
        if kind in ("external", "repo"):
            continue  # repo/test_tools.py tests require_tool itself, with a faked PATH
        # A real program outside external/ would make `-m "not external"` need it: refuse.
        functions = [getattr(item, "function", None)]
        info = getattr(item, "_fixtureinfo", None)
        for defs in (info.name2fixturedefs.values() if info else ()):
            functions += [d.func for d in defs]
        if any(_calls_a_real_program(f) for f in functions if f is not None):
            raise pytest.UsageError(f"{item.nodeid} drives a real program: move it to external/")
