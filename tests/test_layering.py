"""The core never imports a shell: parsing, the archive, selection and rendering load neither
an HTTP client nor an AWS SDK, nor the Bedrock adapter, not even through a helper."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = ("paperfeed.parse", "paperfeed.archive", "paperfeed.rank", "paperfeed.catalogue",
        "paperfeed.models", "paperfeed.errors", "paperfeed.render.site",
        "paperfeed.render.entries", "paperfeed.render.post", "paperfeed.validate",
        "paperfeed.translate.identity", "paperfeed.translate.prompt",
        "paperfeed.translate.answer", "paperfeed.translate.batch", "paperfeed.publish")
SHELLS = ("requests", "urllib3", "boto3", "botocore", "paperfeed.hf", "paperfeed.scrape",
          "paperfeed.translate.bedrock", "paperfeed.cdn", "paperfeed.websub")


def test_core_modules_load_no_shell() -> None:
    code = (f"import importlib, json, sys\nfor m in {CORE!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                           text=True, check=True).stdout))
    assert set(CORE) <= loaded
    assert not loaded & set(SHELLS), sorted(loaded & set(SHELLS))
