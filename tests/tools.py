"""Helpers for tests that drive real external programs (feed readers, browsers, site builders)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest


def require_tool(binary: str, debian_package: str) -> str:
    """The path of `binary`; without it the test skips locally but fails under CI=true.

    CI installs these programs (scripts/install_system_deps.sh), so a missing one there is a
    broken install step, not a reason for the test to vanish silently from the run.
    """
    path = shutil.which(binary)
    if path:
        return path
    missing(f"{binary} not installed: apt-get install {debian_package}")


def require_file(path: Path, name: str, install: str) -> Path:
    """`path`, a file some installer puts there (as axe-core's, from npm), with the same rule:
    without it the test skips locally and fails under CI=true."""
    if path.is_file():
        return path
    missing(f"{name} not installed ({path} is missing): {install}")


def missing(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
