"""uv.lock is the one source of versions: for tests, local runs and the Lambda package.

These read the committed files (offline) and the environment the suite runs in, so a lock that
drifted from pyproject.toml, or an install that is not the lock, fails here by name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
LOCKED: dict[str, list[dict]] = {}
for _package in LOCK["package"]:
    LOCKED.setdefault(canonicalize_name(_package["name"]), []).append(_package)


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [Requirement(text) for text in [*project["dependencies"], *sum(extras, [])]]


def uv() -> str:
    found = shutil.which("uv", path=str(ROOT / ".tools" / "bin")) or shutil.which("uv")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("uv not installed: make installs it in .tools/", pytrace=False)
    pytest.skip("uv not installed: run make test")


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in LOCKED, f"{requirement} is in pyproject.toml but not in uv.lock: make lock"
        versions = [Version(p["version"]) for p in LOCKED[name]]
        assert any(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"uv.lock has {name} {versions}, outside {requirement.specifier}: make lock")


def test_the_lock_records_what_pyproject_asks_for() -> None:
    # uv keeps the requirements it resolved from; if they differ from pyproject.toml the lock is
    # stale even when every name is present (a tightened floor, a new extra).
    (project,) = [p for p in LOCK["package"] if p["name"] == PYPROJECT["project"]["name"]]
    recorded = {(canonicalize_name(r["name"]), r.get("specifier", ""))
                for r in project["metadata"]["requires-dist"]}
    asked = {(canonicalize_name(r.name), str(r.specifier)) for r in declared()}
    assert {(n, ",".join(sorted(s.split(",")))) for n, s in recorded} == {
        (n, ",".join(sorted(s.split(",")))) for n, s in asked}


def test_every_locked_file_has_a_hash() -> None:
    for package in LOCK["package"]:
        if "registry" not in package.get("source", {}):
            continue  # the project itself
        files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        assert files, package["name"]
        for file in files:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", file.get("hash", "")), file


def test_the_lock_carries_the_lambda_platform() -> None:
    # The Lambda is python3.13 on arm64 Linux: every locked runtime package must have a wheel it
    # can run, or an sdist to build (pure Python: build_lambda.sh checks every .so is arm64).
    runtime = {canonicalize_name(Requirement(d).name) for d in PYPROJECT["project"]["dependencies"]}
    seen: set[str] = set()
    while runtime:
        name = runtime.pop()
        if name in seen:
            continue
        seen.add(name)
        for package in LOCKED[name]:
            runtime |= {canonicalize_name(d["name"]) for d in package.get("dependencies", [])}
            wheels = [w["url"].rsplit("/", 1)[1] for w in package.get("wheels", [])]
            fits = [w for w in wheels if w.endswith("none-any.whl") or (
                "aarch64" in w and "manylinux" in w and re.search(r"-(cp313|abi3|py3)", w))]
            assert fits or "sdist" in package, f"{name} {package['version']}: no arm64 wheel"
    assert {"feedgen", "lxml", "babel", "aws-lambda-powertools"} <= seen


def test_the_suite_runs_on_exactly_the_locked_versions() -> None:
    # What `uv sync --locked --extra test` must have installed here, markers evaluated for this
    # machine, compared with what is installed: same names, same versions, nothing extra.
    exported = subprocess.run(
        [uv(), "export", "--frozen", "--quiet", "--format", "requirements-txt", "--no-hashes",
         "--extra", "test", "--no-emit-project", "--no-header"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_OFFLINE": "1"},
    ).stdout
    expected = {}
    for line in exported.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (spec,) = requirement.specifier
            expected[canonicalize_name(requirement.name)] = spec.version
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions(path=[p for p in sys.path if "site-packages" in p])
    }
    installed.pop(canonicalize_name(PYPROJECT["project"]["name"]), None)
    assert len(expected) > 40
    assert installed == expected
