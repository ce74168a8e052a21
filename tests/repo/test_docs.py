"""The README tells the truth about the code: feed table, flags, env vars, commands."""

from __future__ import annotations

import re
from pathlib import Path

from readme_feeds import with_table

from paperfeed.entrypoints.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_feed_table_is_generated_from_the_catalogue() -> None:
    assert with_table(README) == README, "run: .venv/bin/python scripts/readme_feeds.py"


def test_every_cli_option_is_documented() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001
    for name, sub in subparsers.items():
        assert f"paperfeed {name}" in README, name
        for action in sub._actions:  # noqa: SLF001
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    pattern = rf"(?<![\w-]){re.escape(flag)}(?![\w-])"
                    assert re.search(pattern, README), f"README lacks {name} {flag}"


def test_every_env_var_the_code_reads_is_documented() -> None:
    source = "".join(p.read_text() for p in (ROOT / "src/paperfeed").rglob("*.py"))
    names = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    assert names >= {"HF_BASE_URL", "WINDOW_DAYS", "SITE_URL", "BUCKET_NAME"}
    for name in names:
        assert f"`{name}`" in README, name


def test_the_two_commands_are_there() -> None:
    assert "make run " in README and "make test " in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_every_module_the_architecture_names_exists() -> None:
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z0-9_]+/)*[a-z0-9_]+\.py)`", text))
    assert len(named) > 20
    package = ROOT / "src/paperfeed"
    named = {n for n in named if not n.startswith(("tests/", "bench/", "scripts/"))}
    for name in named:
        assert (package / name).is_file(), name
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name != "__init__.py"}
    missing = modules - named
    assert not missing, f"docs/architecture.md does not describe {sorted(missing)}"
