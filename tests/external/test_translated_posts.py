"""A translated daily post built by real Jekyll: hostile model text stays inert text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from blog_sites import build, make_site
from bs4 import BeautifulSoup
from factories import client_for, site_config
from fake_bedrock import FakeBedrock
from fake_hf import FakeHF
from tools import require_tool

from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import run
from paperfeed.translate.bedrock import Translator

T0 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)


def test_hostile_model_text_builds_inert_in_jekyll(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    require_tool("jekyll", "jekyll")
    bedrock.behaviour.default = "hostile"
    blog = make_site("jekyll", tmp_path / "blog")
    config = site_config(fake_hf.url, tmp_path / "site", days=1, site_url="https://x.example/",
                         translate_to="ko", translate_model="amazon.nova-lite-v1:0",
                         posts_dir=str(blog.posts_dir))
    translator = Translator("ko", retry_mode="standard", max_attempts=1)
    run(config, store=DirStore(tmp_path / "site"), client=client_for(fake_hf), now=T0,
        translator=translator)
    build(blog)  # an executed {% include evil.html %} would fail the build
    page = blog.page("/posts/hf-daily-papers-2026-08-03/").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find("script") and not soup.select("img[src=x]")
    assert not any(a.get("href", "").startswith("javascript") for a in soup("a"))
    text = soup.get_text(" ")
    assert "<script>alert(1)</script>" in text and "{{ site.secret }}" in text
