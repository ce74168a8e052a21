"""The core never imports a shell: parsing, the archive, selection and rendering load neither
an HTTP client nor an AWS SDK, nor the Bedrock adapter, not even through a helper."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import paperfeed

# The shells: network, AWS, the file system and the entry points. Every other module of the
# package is core, found by walking it, so a new module is checked without being listed.
SHELL_MODULES = {
    "paperfeed.fetch.hf", "paperfeed.fetch.scrape", "paperfeed.translate.bedrock",
    "paperfeed.publish.stores.folder", "paperfeed.publish.stores.s3", "paperfeed.publish.cdn",
    "paperfeed.publish.websub", "paperfeed.aws", "paperfeed.run",
    "paperfeed.entrypoints.cli", "paperfeed.entrypoints.lambda_handler",
    "paperfeed.entrypoints.serve", "paperfeed.entrypoints.restore", "paperfeed.search.pagefind",
    "paperfeed.browse",
}
SHELLS = ("requests", "urllib3", "boto3", "botocore", "aws_lambda_powertools", "pagefind_bin",
          *SHELL_MODULES)


def _modules() -> list[str]:
    root = Path(paperfeed.__file__).parent
    names = (".".join(("paperfeed", *p.relative_to(root).with_suffix("").parts))
             for p in root.rglob("*.py"))
    return sorted(n.removesuffix(".__init__") for n in names)


CORE = tuple(m for m in _modules() if m not in SHELL_MODULES)


def test_the_shell_list_names_real_modules() -> None:
    assert set(_modules()) >= SHELL_MODULES
    assert len(CORE) > 25  # the walk found the package


def test_core_modules_load_no_shell() -> None:
    code = (f"import importlib, json, sys\nfor m in {CORE!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                           text=True, check=True).stdout))
    assert set(CORE) <= loaded
    assert not loaded & set(SHELLS), sorted(loaded & set(SHELLS))
