"""Helpers for tests that drive real external programs (feed readers, browsers, site builders)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(binary: str, debian_package: str) -> str:
    """The path of `binary`; without it the test skips locally but fails under CI=true.

    CI installs these programs (scripts/install_system_deps.sh), so a missing one there is a
    broken install step, not a reason for the test to vanish silently from the run.
    """
    path = shutil.which(binary)
    if path:
        return path
    message = f"{binary} not installed: apt-get install {debian_package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
