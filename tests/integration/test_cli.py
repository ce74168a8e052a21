"""The `paperfeed` command as a user runs it: a subprocess against the loopback HF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_hf import FakeHF

BIN = Path(sys.executable).parent / "paperfeed"


def paperfeed(*args: str, hf: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BUCKET_NAME")}
    env["HF_BASE_URL"] = hf
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def test_run_writes_the_site_to_public_by_default(fake_hf: FakeHF, tmp_path: Path) -> None:
    done = paperfeed("run", "--date", "2026-08-03", "--days", "30", hf=fake_hf.url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "ok" and summary["requests"] == 30
    for name in ("daily", "digest"):
        for ext in ("atom", "rss", "json"):
            assert (tmp_path / "public" / "feeds" / f"{name}.{ext}").stat().st_size > 1000
    assert len(list((tmp_path / "public" / "archive").glob("*.json"))) == 4
    # Without SITE_URL the run says where its links point.
    assert "SITE_URL not set" in done.stderr and "http://localhost:8000/" in done.stderr
    assert b"http://localhost:8000/feeds/daily.atom" in (
        tmp_path / "public/feeds/daily.atom").read_bytes()


def test_nothing_fetched_exits_1_with_a_one_line_reason(fake_hf: FakeHF, tmp_path: Path) -> None:
    fake_hf.behaviour.api_status["2026-08-03"] = [404]
    fake_hf.behaviour.page_status["2026-08-03"] = [404]
    done = paperfeed("run", "--date", "2026-08-03", "--days", "1", "-q", hf=fake_hf.url,
                     cwd=tmp_path)
    assert done.returncode == 1
    assert "paperfeed: failed: no day of the window could be fetched" in done.stderr


def test_some_days_failing_exits_3_and_still_publishes(fake_hf: FakeHF, tmp_path: Path) -> None:
    fake_hf.behaviour.api_status["2026-08-02"] = [404]
    fake_hf.behaviour.page_status["2026-08-02"] = [404]
    done = paperfeed("run", "--date", "2026-08-03", "--days", "3", "-q", hf=fake_hf.url,
                     cwd=tmp_path)
    assert done.returncode == 3
    assert list(json.loads(done.stdout)["days_failed"]) == ["2026-08-02"]
    assert (tmp_path / "public/feeds/daily.atom").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "91"], "days must be between 1 and 90"),
        (["--days", "two"], "is not a whole number"),
        (["--date", "2026-13-01"], "is not YYYY-MM-DD"),
        (["--hf-url", "ftp://example.org"], "is not an http(s) URL"),
        (["--out", "x", "--bucket", "y"], "not allowed with argument"),
    ],
)
def test_bad_arguments_get_one_line_errors(args: list[str], message: str, tmp_path: Path) -> None:
    done = paperfeed("run", *args, hf="http://127.0.0.1:9", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_folder_mode_never_imports_boto3(fake_hf: FakeHF, tmp_path: Path) -> None:
    code = (
        "import sys; from paperfeed.entrypoints.cli import main\n"
        "rc = main(['run', '--date', '2026-08-03', '--days', '1', '-q'])\n"
        "assert rc == 0, rc\n"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)\n"
    )
    env = dict(os.environ, HF_BASE_URL=fake_hf.url)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False"
