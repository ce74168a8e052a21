"""require_tool: a missing program skips a test locally, and fails it under CI."""

from __future__ import annotations

import shutil

import pytest
from tools import require_tool

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
