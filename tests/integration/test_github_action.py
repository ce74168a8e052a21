"""The GitHub Action and its example workflows, run step by step as a runner would
(tests/actions_runner.py) against the loopback HF and local bare git repositories standing in
for github.com: the blog gets its posts committed only when their bytes changed, and the Pages
example leaves a site whose feeds read back as `make run`'s do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from actions_runner import Runner
from fake_hf import FakeHF
from lxml import etree

from paperfeed.publish.validate import unpublishable_reason
from paperfeed.render.feed_index import is_feed_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples/github"
SCHEMAS = ROOT / "tests/schemas"
DAY = "2026-08-03"  # the recorded days; the examples run for "today" otherwise


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def pinned_to(workflow: Path, out: Path) -> Path:
    """The workflow with the action's `date` input set: the one change from what a user
    copies, so the recorded HF days are 'today'."""
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    for job in doc["jobs"].values():
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("paperfeed/paperfeed@"):
                step["with"]["date"] = DAY
    out.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return out


@pytest.fixture
def machine(tmp_path: Path, fake_hf: FakeHF) -> dict[str, str]:
    """The runner machine's environment: a `python` and the pinned uv on PATH, uv offline
    (its cache holds the lock's wheels since `make test` synced), HF on loopback."""
    assert shutil.which("git"), "git is needed"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys.base_prefix) / "bin" / f"python{version}"
    (bin_dir / "python").symlink_to(base if base.exists() else Path(sys.executable))
    uv = ROOT / ".tools/bin/uv"
    assert uv.exists(), "make test installs the pinned uv into .tools/"
    (bin_dir / "uv").symlink_to(uv)
    env = {k: v for k, v in os.environ.items()
           if k == "UV_CACHE_DIR"  # the cache `make test`'s sync filled, wherever it is
           or not k.startswith(("UV_", "VIRTUAL_ENV", "SITE_URL", "BUCKET_NAME", "POSTS_DIR"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", UV_OFFLINE="1",
               UV_PYTHON_DOWNLOADS="never", HF_BASE_URL=fake_hf.url,
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return env


def runner(tmp_path: Path, name: str, env: dict[str, str], repo: Path) -> Runner:
    workspace, temp = tmp_path / name / "work", tmp_path / name / "temp"
    workspace.mkdir(parents=True)
    temp.mkdir()
    return Runner(workspace=workspace, temp=temp, action_path=ROOT, repository_url=str(repo),
                  env=env, github={
                      "workspace": str(workspace), "token": "", "ref_name": "main",
                      "server_url": str(tmp_path / "github"), "repository": "owner/blog",
                      "repository_owner": "owner", "event": {"repository": {"name": "blog"}},
                  })


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """A bare 'owner/blog' repository with a Jekyll blog's skeleton on main."""
    bare = tmp_path / "github/owner/blog.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    src = tmp_path / "blog-src"
    git("init", "--quiet", "--initial-branch=main", str(src))
    (src / "_config.yml").write_text("title: papers\n")
    (src / "_posts").mkdir()
    (src / "_posts/.keep").write_text("")
    git("add", ".", cwd=src)
    git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "--quiet", "-m", "blog",
        cwd=src)
    git("push", "--quiet", str(bare), "main", cwd=src)
    return bare


def test_the_blog_workflow_commits_posts_only_when_their_bytes_change(
    tmp_path: Path, fake_hf: FakeHF, machine: dict[str, str], blog: Path
) -> None:
    workflow = pinned_to(EXAMPLES / "blog-posts.yml", tmp_path / "blog-posts.yml")

    first = runner(tmp_path, "first", machine, blog)
    first.run_workflow(workflow)
    log = git("log", "--format=%s", "main", cwd=blog).splitlines()
    assert log == [f"Hugging Face Daily Papers: posts for {DAY}", "blog"]
    posts = git("show", "--name-only", "--format=", "main", cwd=blog).splitlines()
    assert posts == [f"_posts/{DAY}-hf-daily-papers.md"]
    data = git("ls-tree", "-r", "--name-only", "paperfeed-data", cwd=blog).splitlines()
    assert f"archive/{DAY}.json" in data and "feeds/daily.atom" in data

    # Nothing changed at HF: nothing is committed, not even an empty commit.
    head = git("rev-parse", "main", cwd=blog)
    runner(tmp_path, "second", machine, blog).run_workflow(workflow)
    assert git("rev-parse", "main", cwd=blog) == head

    # Upvotes moved on the day: only that day's post is committed again.
    fake_hf.days[DAY][0]["paper"]["upvotes"] += 50
    third = runner(tmp_path, "third", machine, blog)
    third.run_workflow(workflow)
    assert git("rev-parse", "main~1", cwd=blog) == head
    assert git("log", "-1", "--format=%s", "main", cwd=blog) == (
        f"Hugging Face Daily Papers: posts for {DAY}")
    assert git("show", "--name-only", "--format=", "main", cwd=blog).splitlines() == posts
    post = git("show", f"main:_posts/{DAY}-hf-daily-papers.md", cwd=blog)
    assert "layout: post" in post
    # The action's outputs came through: a step of the job could read them.
    assert any("posts_written" in line for line in third.log)


def test_the_pages_workflow_leaves_a_valid_site_and_keeps_the_archive_on_a_branch(
    tmp_path: Path, fake_hf: FakeHF, machine: dict[str, str]
) -> None:
    bare = tmp_path / "github/owner/blog.git"  # this repository, seen by the workflow
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    workflow = pinned_to(EXAMPLES / "pages.yml", tmp_path / "pages.yml")

    first = runner(tmp_path, "first", machine, bare)
    jobs = first.run_workflow(workflow, job="build")
    (site,) = first.uploaded
    assert site == Path(jobs["build"]["env"]["SITE_DIR"])
    assert jobs["build"]["steps"]["paperfeed"]["outputs"]["status"] == "ok"
    # The checks of tests/integration/test_validity.py: RFC 4287's RELAX NG schema, the JSON
    # Feed 1.1 schema with its formats, feedparser, and the run's own read-back.
    atom = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    jsonfeed = cls(schema, format_checker=cls.FORMAT_CHECKER)
    objects = [p for p in site.rglob("*") if p.is_file() and ".git" not in p.parts]
    for path in objects:
        key = path.relative_to(site).as_posix()
        assert not unpublishable_reason(key, path.read_bytes()), key
        if not is_feed_key(key):
            continue
        if key.endswith((".atom", ".rss")):
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, key
        if key.endswith(".atom"):
            assert atom.validate(etree.parse(str(path))), (key, atom.error_log)
        if key.endswith(".json"):
            errors = [e.message for e in jsonfeed.iter_errors(json.loads(path.read_bytes()))]
            assert not errors, (key, errors[:3])
            assert all(e.link.startswith("https://huggingface.co/papers/") for e in parsed.entries)
    assert feedparser.parse((site / "feeds/daily.atom").read_bytes()).entries
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://owner.github.io/blog/feeds/daily.atom"' in index

    # The archive is on the data branch; the next run starts from it and changes nothing.
    branch = git("ls-tree", "-r", "--name-only", "paperfeed-data", cwd=bare).splitlines()
    assert f"archive/{DAY}.json" in branch
    head = git("rev-parse", "paperfeed-data", cwd=bare)
    second = runner(tmp_path, "second", machine, bare)
    jobs = second.run_workflow(workflow, job="build")
    assert jobs["build"]["steps"]["paperfeed"]["outputs"]["written"] == "0"
    assert git("rev-parse", "paperfeed-data", cwd=bare) == head
    assert any("restored 1 archived days" in line for line in second.log)
