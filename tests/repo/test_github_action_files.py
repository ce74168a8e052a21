"""action.yml and the example workflows against GitHub's own schemas (check-jsonschema's
vendored copies, offline) and zizmor's offline security audit; third-party actions pinned."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / "examples/github").glob("*.yml"))
WORKFLOWS = [w for w in WORKFLOWS if w.name != "zizmor.yml"]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)


def test_there_are_the_two_examples() -> None:
    assert {w.name for w in WORKFLOWS} == {"pages.yml", "blog-posts.yml"}


@pytest.mark.parametrize(("schema", "path"), [
    ("vendor.github-actions", ROOT / "action.yml"),
    *(("vendor.github-workflows", w) for w in WORKFLOWS),
], ids=lambda x: getattr(x, "name", x))
def test_valid_against_githubs_schema(schema: str, path: Path) -> None:
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_broken_workflow_is_refused_by_the_schema(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / "examples/github/pages.yml").read_text().replace(
        "runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", str(broken)], capture_output=True, text=True)
    assert done.returncode != 0


def zizmor(*paths: Path) -> list[dict]:
    done = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", "--config",
         str(ROOT / "examples/github/zizmor.yml"), *map(str, paths)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # findings exit 1x
    return json.loads(done.stdout or "[]")


def test_zizmor_finds_nothing_medium_or_high() -> None:
    findings = zizmor(ROOT / "action.yml", *WORKFLOWS)
    serious = [(f["ident"], f["determinations"]["severity"]) for f in findings
               if f["determinations"]["severity"] in ("Medium", "High")]
    assert not serious, serious


def test_zizmor_would_catch_an_input_spliced_into_a_script(tmp_path: Path) -> None:
    bad = tmp_path / "action.yml"
    bad.write_text((ROOT / "action.yml").read_text().replace(
        'args=(run --out "$PAPERFEED_OUT")', 'args=(run --out "${{ inputs.site-dir }}")'))
    idents = {f["ident"] for f in zizmor(bad)}
    assert "template-injection" in idents


def test_third_party_actions_are_pinned_to_a_commit_with_the_version_beside_it() -> None:
    for path in (ROOT / "action.yml", *WORKFLOWS):
        for ref, rest in USES.findall(path.read_text()):
            if ref.startswith("paperfeed/paperfeed@"):
                continue
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), (path.name, ref)
            assert re.match(r"\s+# v\d+\.\d+\.\d+$", rest), (path.name, ref, rest)


def test_the_readmes_inline_workflow_is_valid_too(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("The smallest Pages workflow:", 1)[1].split("```yaml\n", 1)[1]
    inline = tmp_path / "inline.yml"
    inline.write_text(block.split("```", 1)[0])
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", str(inline)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    serious = [f["ident"] for f in zizmor(inline)
               if f["determinations"]["severity"] in ("Medium", "High")]
    assert not serious, serious
