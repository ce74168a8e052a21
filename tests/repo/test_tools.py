"""require_tool: a missing program skips a test locally, and fails it under CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tools import require_file, require_tool

MESSAGE = "newsboat not installed: apt-get install newsboat"


def test_returns_the_path_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("CI", "true")
    assert require_tool("newsboat", "newsboat") == "/usr/bin/newsboat"


@pytest.mark.parametrize("ci", [None, "", "false", "1"])
def test_missing_tool_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception) as excinfo:
        require_tool("newsboat", "newsboat")
    assert excinfo.value.msg == MESSAGE


def test_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as excinfo:
        require_tool("newsboat", "newsboat")
    assert excinfo.value.msg == MESSAGE


def test_require_file_returns_the_path_when_there(tmp_path: Path) -> None:
    (tmp_path / "axe.min.js").write_text("")
    assert require_file(tmp_path / "axe.min.js", "axe-core", "npm ci") == tmp_path / "axe.min.js"


@pytest.mark.parametrize(("ci", "outcome"), [("", pytest.skip.Exception),
                                             ("true", pytest.fail.Exception)])
def test_a_missing_file_skips_or_fails_as_a_missing_tool_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome) as excinfo:
        require_file(tmp_path / "axe.min.js", "axe-core", "npm ci --prefix tests/js")
    assert excinfo.value.msg == (  # type: ignore[attr-defined]
        f"axe-core not installed ({tmp_path / 'axe.min.js'} is missing): npm ci --prefix tests/js")
