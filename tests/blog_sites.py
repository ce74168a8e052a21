"""Minimal Jekyll and Hugo blogs around paperfeed's posts, built offline by the real engines.

Each blog is the smallest site a user could wire paperfeed into: no theme, no plugins, no
modules, so Debian's `jekyll` and `hugo` build it with no network and no extra gems. The
layouts print the post's title (escaped by the engine) and date, then the rendered Markdown,
so a test reads exactly what kramdown (Jekyll) or Goldmark (Hugo) made of a post, with each
engine's default Markdown settings: kramdown with GFM input and smart quotes; Goldmark with
Hugo's extensions and typographer, raw HTML off.

Posts reach the blog the documented way: the run's `posts_dir` (`--posts-dir`, `POSTS_DIR`)
is the blog's own posts folder, Jekyll's `_posts/` or Hugo's `content/posts/`.

For the README screenshot (scripts/screenshots.py puts tests/ on sys.path already):

    from blog_sites import build_jekyll_demo
    page = build_jekyll_demo(folder)   # builds the blog into folder/site
    # page is folder/site/posts/hf-daily-papers-2026-08-03/index.html: serve folder/site
    # (browser.serve_site) and photograph /posts/hf-daily-papers-2026-08-03/
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperfeed.run import RunSummary

ENGINES = ("jekyll", "hugo")
DEBIAN_PACKAGE = {"jekyll": "jekyll", "hugo": "hugo"}
BUILD_TIMEOUT = 120  # seconds; a build here takes about 2 s (Jekyll) and 0.3 s (Hugo)
RUN_NOW = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
LATEST_POST = "/posts/hf-daily-papers-2026-08-03/"

# Jekyll: no theme, no plugins; kramdown with Jekyll's own defaults (GFM input, smart quotes).
JEKYLL_CONFIG = """\
title: paperfeed test blog
lang: {lang}
timezone: {timezone}
markdown: kramdown
plugins: []
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: post
"""
STYLE = """\
<style>body{font:17px/1.55 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#222}img{max-width:100%}h2{font-size:1.25rem;margin-top:2rem}.site{color:#777}
blockquote{color:#555;border-left:3px solid #ccc;margin-left:0;padding-left:1rem}</style>
"""
JEKYLL_POST = """\
<!doctype html>
<html lang="{{ site.lang }}">
<head><meta charset="utf-8"><title>{{ page.title | escape }}</title>
@STYLE@</head>
<body>
<header><p class="site">{{ site.title | escape }}</p>
<time class="published" datetime="{{ page.date | date_to_xmlschema }}">
{{- page.date | date_to_xmlschema }}</time></header>
<main class="post">
{{ content }}
</main>
</body>
</html>
""".replace("@STYLE@", STYLE)
JEKYLL_DEFAULT = """\
<!doctype html>
<html lang="{{ site.lang }}">
<head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>
<body><main>{{ content }}</main></body>
</html>
"""
JEKYLL_INDEX = """\
---
layout: default
title: Posts
---
<ul>{% for post in site.posts %}
<li><a href="{{ post.url | relative_url }}">{{ post.title | escape }}</a></li>{% endfor %}
</ul>
"""

# Hugo: no theme, no modules; Goldmark with Hugo's defaults (raw HTML off, typographer on).
HUGO_CONFIG = """\
baseURL = "https://blog.example.org/"
title = "paperfeed test blog"
languageCode = "{lang}"
defaultContentLanguage = "{lang}"
timeZone = "{timezone}"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false
"""
HUGO_SINGLE = """\
<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
@STYLE@</head>
<body>
<header><p class="site">{{ site.Title }}</p>
{{ $date := .Date.Format "2006-01-02T15:04:05-07:00" -}}
<time class="published" datetime="{{ $date }}">{{ $date }}</time></header>
<main class="post">
{{ .Content }}
</main>
</body>
</html>
""".replace("@STYLE@", STYLE)
HUGO_LIST = """\
<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range @PAGES@ }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body>
</html>
"""


class BuildError(RuntimeError):
    """The engine exited non-zero; the message holds the command and its output."""


@dataclass(frozen=True)
class Blog:
    engine: str  # "jekyll" or "hugo"
    src: Path
    dest: Path

    @property
    def posts_dir(self) -> Path:
        """Where paperfeed's `posts_dir` points for this engine."""
        return self.src / ("_posts" if self.engine == "jekyll" else "content/posts")

    def page(self, permalink: str) -> Path:
        """The built HTML file of a post, from its front matter `permalink` (Jekyll) or
        `url` (Hugo): paperfeed writes both with the same value."""
        return self.dest / permalink.strip("/") / "index.html"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_jekyll_site(root: Path, *, lang: str = "en", timezone: str = "UTC") -> Blog:
    """root/src: the site (`_config.yml`, `_layouts/`, `_posts/`); root/site: its build."""
    blog = Blog("jekyll", Path(root) / "src", Path(root) / "site")
    _write(blog.src / "_config.yml", JEKYLL_CONFIG.format(lang=lang, timezone=timezone))
    _write(blog.src / "_layouts/post.html", JEKYLL_POST)
    _write(blog.src / "_layouts/default.html", JEKYLL_DEFAULT)
    _write(blog.src / "index.html", JEKYLL_INDEX)
    blog.posts_dir.mkdir(parents=True, exist_ok=True)
    return blog


def make_hugo_site(root: Path, *, lang: str = "en", timezone: str = "UTC") -> Blog:
    """root/src: the site (`hugo.toml`, `layouts/`, `content/posts/`); root/site: its build."""
    blog = Blog("hugo", Path(root) / "src", Path(root) / "site")
    _write(blog.src / "hugo.toml", HUGO_CONFIG.format(lang=lang, timezone=timezone))
    _write(blog.src / "layouts/_default/single.html", HUGO_SINGLE)
    _write(blog.src / "layouts/_default/list.html", HUGO_LIST.replace("@PAGES@", ".Pages"))
    _write(blog.src / "layouts/index.html", HUGO_LIST.replace("@PAGES@", "site.RegularPages"))
    blog.posts_dir.mkdir(parents=True, exist_ok=True)
    return blog


def make_site(engine: str, root: Path, *, lang: str = "en", timezone: str = "UTC") -> Blog:
    make = {"jekyll": make_jekyll_site, "hugo": make_hugo_site}[engine]
    return make(root, lang=lang, timezone=timezone)


def _env(home: Path) -> dict[str, str]:
    """Offline and reproducible: a throwaway HOME, UTF-8, a UTC process clock, no proxies."""
    drop = ("JEKYLL_", "HUGO_", "BUNDLE_", "GEM_", "RUBY")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(drop) and k.lower() not in ("http_proxy", "https_proxy")}
    env.update(HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC",
               JEKYLL_ENV="production", HUGO_CACHEDIR=str(home / "hugo_cache"))
    return env


def build(blog: Blog, binary: str | None = None) -> subprocess.CompletedProcess[str]:
    """Build the blog into `blog.dest`; raises BuildError with the engine's output when the
    engine exits non-zero (a Liquid tag that ran, a broken shortcode, a bad config)."""
    exe = binary or shutil.which(blog.engine) or blog.engine
    if blog.engine == "jekyll":
        # --safe: no plugins, as on GitHub Pages; no cache folder left in the source.
        cmd = [exe, "build", "--safe", "--disable-disk-cache", "-s", str(blog.src),
               "-d", str(blog.dest)]
    else:
        cmd = [exe, "--source", str(blog.src), "--destination", str(blog.dest), "--quiet",
               "--noBuildLock"]
    with tempfile.TemporaryDirectory(prefix=f"{blog.engine}-home-") as home:
        done = subprocess.run(cmd, env=_env(Path(home)), capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT, check=False, cwd=blog.src)
    if done.returncode != 0:
        raise BuildError(f"{blog.engine} build failed ({done.returncode}): {' '.join(cmd)}\n"
                         f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
    return done


def publish_posts(
    blog: Blog, hf_url: str, out: Path, *, lang: str = "en", tz: str = "UTC",
    on: date = date(2026, 8, 3), days: int = 30, now: datetime = RUN_NOW,
) -> RunSummary:
    """One paperfeed run against `hf_url` (a fake HF), site into `out`, posts also into the
    blog's posts folder through `posts_dir`, as the README wires a blog."""
    from factories import site_config

    from paperfeed.fetch.hf import HFClient, make_session
    from paperfeed.publish.stores.folder import DirStore
    from paperfeed.render.post import PostOptions
    from paperfeed.run import run

    config = site_config(hf_url, out, on=on, days=days, lang=lang,
                         posts=PostOptions(tz=tz, layout="post"), posts_dir=str(blog.posts_dir))
    client = HFClient(hf_url, make_session(retries=3, backoff=0))
    return run(config, store=DirStore(out), client=client, now=now)


def build_jekyll_demo(folder: Path, *, lang: str = "en") -> Path:
    """The demo blog for the README screenshot: a 30-day backfill ending 2026-08-03 of the
    recorded HF days (tests/fake_hf.py) into a fresh Jekyll site under `folder` (`src/`,
    paperfeed's own site in `feeds/`), built into `folder/site`. `lang="ko"` gives the
    Korean blog, dated in Seoul time. Returns the HTML file of the 2026-08-03 post."""
    sys.path.insert(0, str(Path(__file__).parent))
    from fake_hf import FakeHF

    folder = Path(folder)
    tz = "Asia/Seoul" if lang == "ko" else "UTC"
    blog = make_jekyll_site(folder, lang=lang, timezone=tz)
    fake = FakeHF().start()
    try:
        summary = publish_posts(blog, fake.url, folder / "feeds", lang=lang, tz=tz)
    finally:
        fake.stop()
    if summary.status != "ok" or not summary.posts_written:
        raise RuntimeError(f"demo run did not write posts: {summary.as_dict()}")
    build(blog)
    return blog.page(LATEST_POST)
