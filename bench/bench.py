"""`make bench`: how fast, how big and how chatty paperfeed is. Not part of `make test`.

    .venv/bin/python bench/bench.py [--skip-package] [--runs 11] [--readme]
                                    [--scaling-only | --skip-scaling]

Prints a table (metric, value, target, ok?) and writes bench/results.json with:
- cold_import_ms: median over fresh interpreters of importing the Lambda handler module
  (.pyc present, the Lambda's POWERTOOLS_* env), beside the same for `import boto3` alone;
- rebuild_ms: rendering the whole catalogue in every format from a generated 30-day archive
  (bench/archive_gen.py), beside lxml_floor_ms: a bare lxml writer emitting the same entries'
  Atom (bench/lxml_floor.py), timed in the same process, interleaved;
- peak_rss_mb: max RSS of a full `paperfeed run` over that archive (3-day window scraped from
  a loopback fake HF), read with wait4() for that child alone;
- package_mb: the Lambda package built by scripts/build_lambda.sh, zipped (deflate), with
  bytecode compiled by a CPython 3.13 when one is found (else by the host's, reported as a
  stand-in); needs PyPI, skipped with --skip-package;
- requests_per_run: requests the fake HF saw for a 3-day window;
- puts_unchanged: S3 PutObject calls of a second identical run against moto's server;
- scaling (bench/scaling.py): whole runs over archives of 30, 365 and 1,000 days, a full
  rebuild, an unchanged hourly run, a one-day change and the fetch-only floor
  (bench/fetch_floor.py), each in a child: wall, CPU, objects rendered and uploaded, peak
  RSS, and the rebuild ratio at each size. `--scaling-only` measures that alone,
  `--skip-scaling` leaves it out.
`--readme` also rewrites the "Performance" and "Scaling" blocks of README.md between their
markers.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import logging
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

import archive_gen  # noqa: E402
from lxml_floor import render_floor  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
SITE_URL = "https://feeds.example.org/"
WINDOW = 3
TARGETS = {
    "cold_import_ms": 150.0,
    "rebuild_ratio": 3.0,
    "peak_rss_mb": 128.0,
    "package_mb": 10.0,
    "requests_per_run": WINDOW,
    "puts_unchanged": 0,
}
# What the Lambda runtime and template.yaml put in the function's environment.
LAMBDA_ENV = {
    "POWERTOOLS_SERVICE_NAME": "paperfeed",
    "POWERTOOLS_METRICS_NAMESPACE": "Paperfeed",
    "LOG_LEVEL": "INFO",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "paperfeed",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
}
# Modules that must not load with the handler module (Powertools imports botocore's small
# package __init__ to tag the SDK's user agent; botocore.session is the heavy part).
HEAVY = ("requests", "urllib3", "feedgen", "lxml", "bs4", "boto3", "botocore.session",
         "aws_xray_sdk")


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


# ------------------------------------------------------------------------------ machine

def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "implementation": sys.implementation.cache_tag,
        "os": platform.platform(terse=True),
        "arch": platform.machine(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


# ------------------------------------------------------------------------------ cold import

IMPORT_PROBE = """
import json, sys, time
t, c = time.perf_counter(), time.process_time()
import {module}
wall, cpu = time.perf_counter() - t, time.process_time() - c
heavy = [m for m in {heavy!r} if m in sys.modules]
t = time.perf_counter()
{then}
then = time.perf_counter() - t
print(json.dumps({{"wall": wall * 1000, "cpu": cpu * 1000, "then": then * 1000, "heavy": heavy}}))
"""


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **LAMBDA_ENV, **extra}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONPYCACHEPREFIX"):
        env.pop(name, None)
    return env


def probe(module: str, then: str = "pass", args: tuple[str, ...] = (), **env: str) -> dict:
    code = IMPORT_PROBE.format(module=module, then=then, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, *args, "-c", code], env=child_env(**env), check=True,
        capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def import_profile(module: str, top: int = 12) -> list[tuple[str, float]]:
    """`python -X importtime`, summed per top-level package (self times), biggest first."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], env=child_env(),
        check=True, capture_output=True, text=True,
    ).stderr
    per: dict[str, int] = {}
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            name = m[2].split(".")[0]
            if name == "paperfeed":
                name = m[2]
            per[name] = per.get(name, 0) + int(m[1])
    ranked = sorted(per.items(), key=lambda kv: -kv[1])[:top]
    return [(name, round(us / 1000, 1)) for name, us in ranked]


def cold_import(runs: int) -> dict[str, Any]:
    log(f"cold import: {runs} fresh interpreters each for the handler and for boto3")
    # Warm-up: writes the .pyc files, so every measured run reads bytecode.
    probe("paperfeed.entrypoints.lambda_handler")
    probe("boto3")
    handler, boto, total = [], [], []
    for _ in range(runs):  # interleaved, so a load spike hits both sides alike
        h = probe("paperfeed.entrypoints.lambda_handler", then="import paperfeed.run")
        b = probe("boto3")
        handler.append(h)
        boto.append(b)
        total.append(h["wall"] + h["then"])
    out = {
        "cold_import_ms": median([h["wall"] for h in handler]),
        "cold_import_cpu_ms": median([h["cpu"] for h in handler]),
        "boto3_import_ms": median([b["wall"] for b in boto]),
        "boto3_import_cpu_ms": median([b["cpu"] for b in boto]),
        # What the first invocation still imports (the modules `run` needs), and the sum.
        "deferred_import_ms": median([h["then"] for h in handler]),
        "handler_plus_run_import_ms": median(total),
        "modules_loaded_by_handler_import": handler[-1]["heavy"],
        "xray_loaded": "aws_xray_sdk" in handler[-1]["heavy"],
    }
    out["cold_import_vs_boto3"] = round(out["cold_import_ms"] / out["boto3_import_ms"], 2)
    out["profile_handler_import"] = import_profile("paperfeed.entrypoints.lambda_handler")
    out["profile_run_import"] = import_profile("paperfeed.run")
    return out


# ------------------------------------------------------------------------------ rebuild

def load_ranked(store_root: Path, as_run: bool = False) -> tuple[dict, date]:
    """The archive's days, ranked, and the newest; `as_run`: only the days a run reads
    (`days_to_load`: the last 30 calendar days, the latest 14 HF days, last month), which is
    the whole of a 30-day archive but a small part of a bigger one."""
    from paperfeed.archive.codec import decode_day
    from paperfeed.archive.keys import day_from_key
    from paperfeed.publish.stores.folder import DirStore
    from paperfeed.select.catalogue import days_to_load
    from paperfeed.select.rank import rank_papers

    store = DirStore(store_root)
    keys = {key: day for key in store.digests()
            if key.startswith("archive/") and (day := day_from_key(key)) is not None}
    if as_run:
        wanted = days_to_load(set(keys.values()), max(keys.values()))
        keys = {key: day for key, day in keys.items() if day in wanted}
    ranked = {}
    for key, day in sorted(keys.items()):
        ranked[day] = rank_papers(decode_day(store.get(key) or b"").papers)
    return ranked, max(ranked)


def render_all(ranked: dict, as_of: date) -> Any:
    from paperfeed.render.site import SiteOptions, render_site

    return render_site(ranked, as_of, SiteOptions(site_url=SITE_URL))


def catalogue_feeds(ranked: dict, as_of: date) -> list:
    """The Feeds render_site builds, caught on their way to the Atom renderer, so the floor
    writes exactly the entries the catalogue renders."""
    from paperfeed.render import site

    feeds: list = []
    atom = site.RENDERERS["atom"]

    def record(feed: Any) -> bytes:
        feeds.append(feed)
        return atom(feed)

    site.RENDERERS["atom"] = record
    try:
        render_all(ranked, as_of)
    finally:
        site.RENDERERS["atom"] = atom
    return feeds


def timed(fn: Any, cpu: list[float] | None = None) -> tuple[float, Any]:
    """Wall milliseconds of fn() (its CPU milliseconds appended to `cpu` if given)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    value = fn()
    if cpu is not None:
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000, value


def profile_text(fn: Any, top: int = 14) -> tuple[str, str]:
    """cProfile of one call: the functions with the most own time, and the project's render
    functions by cumulative time."""
    prof = cProfile.Profile()
    prof.runcall(fn)

    def text(sort: str, *restrict: Any) -> str:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(sort).print_stats(*restrict)
        lines = buf.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        return "\n".join(line.rstrip() for line in lines[start:] if line.strip())

    ours = r"(site|post|atom_rss|jsonfeed|page|entries|opml|catalogue)\.py"
    return text("tottime", top), text("cumulative", ours, top)


def render_vs_floor(ranked: dict, as_of: date, runs: int) -> tuple[dict, list, Any, dict]:
    """The whole catalogue rendered (`render_site`, every format, pages, posts) against the
    bare lxml writer over the same entries, `runs` times interleaved so a load spike hits
    both sides alike: the medians and their ratio (`rebuild_vs_floor`; per entry it is the
    same ratio, both sides write the same entries), with the feeds, the site and the floor's
    bytes of the last round."""
    feeds = catalogue_feeds(ranked, as_of)  # also the warm-up (imports, caches)
    render_floor(feeds)
    site_ms, floor_ms, site_cpu, floor_cpu = [], [], [], []
    for _ in range(runs):
        ms, site = timed(lambda: render_all(ranked, as_of), site_cpu)
        site_ms.append(ms)
        ms, floor = timed(lambda: render_floor(feeds), floor_cpu)
        floor_ms.append(ms)
    out: dict[str, Any] = {
        "rebuild_ms": median(site_ms),
        "lxml_floor_ms": median(floor_ms),
        "rebuild_cpu_ms": median(site_cpu),
        "lxml_floor_cpu_ms": median(floor_cpu),
        "rebuild_runs_ms": [round(x, 1) for x in site_ms],
        "floor_runs_ms": [round(x, 1) for x in floor_ms],
        "feeds": len(feeds),
        "entries": sum(len(f.entries) for f in feeds),
        "objects": len(site.objects),
    }
    out["rebuild_vs_floor"] = round(out["rebuild_ms"] / out["lxml_floor_ms"], 2)
    out["rebuild_vs_floor_cpu"] = round(out["rebuild_cpu_ms"] / out["lxml_floor_cpu_ms"], 2)
    return out, feeds, site, floor


def rebuild(archive_root: Path, runs: int) -> dict[str, Any]:
    from paperfeed.render import site as site_module

    log(f"rebuild: loading the archive, then {runs} renders of the whole catalogue")
    load_ms, (ranked, as_of) = timed(lambda: load_ranked(archive_root))
    out, feeds, site, floor = render_vs_floor(ranked, as_of, runs)
    # Where the time goes: each format over the same feeds (medians of 3); "rest" is
    # selection, entries, pages, posts and OPML.
    breakdown = {
        ext: median([timed(lambda r=render: [r(f) for f in feeds])[0] for _ in range(3)])
        for ext, render in site_module.RENDERERS.items()
    }
    formats_ms = round(sum(breakdown.values()), 1)
    breakdown["rest"] = round(max(0.0, out["rebuild_ms"] - formats_ms), 1)
    out.update({
        "archive_days": len(ranked),
        "archive_papers": sum(len(p) for p in ranked.values()),
        "load_and_rank_ms": round(load_ms, 1),
        "rebuild_breakdown_ms": breakdown,
        "site_bytes": sum(len(b) for b in site.objects.values()),
        "floor_atom_bytes": sum(len(b) for b in floor.values()),
        "sizes": sizes(site.objects),
    })
    # The feeds alone, in every format, from the same entries the floor writes.
    out["formats_ms"] = formats_ms
    out["formats_vs_floor"] = round(formats_ms / out["lxml_floor_ms"], 2)
    out["profile_rebuild"], out["profile_rebuild_ours"] = profile_text(
        lambda: render_all(ranked, as_of)
    )
    return out


def follow_families(archive_root: Path, items: dict, runs: int) -> dict[str, Any]:
    """What the feeds to follow cost: a whole render with the shipped topics, organisations
    and has-code against the catalogue's own feeds alone, and a full run's peak RSS both ways."""
    from paperfeed.render.site import SiteOptions, render_site
    from paperfeed.select.catalogue import CATALOGUE, Catalogue, build_catalogue, shipped_topics

    log(f"feeds to follow: {runs} renders with and without topics and organisations")
    ranked, as_of = load_ranked(archive_root)
    options = SiteOptions(site_url=SITE_URL)
    ways = {"with": lambda: build_catalogue(ranked, as_of, topics=shipped_topics()),
            "without": lambda: Catalogue(CATALOGUE)}
    out: dict[str, Any] = {}
    for way, catalogue in ways.items():
        site = render_site(ranked, as_of, options, catalogue())  # warm-up
        ms = median([timed(lambda c=catalogue: render_site(ranked, as_of, options, c()))[0]
                     for _ in range(runs)])
        feeds = {k.rsplit(".", 1)[0] for k in site.entries}
        out[way] = {"feeds": len(feeds), "objects": len(site.objects),
                    "topic_feeds": sum(k.startswith("feeds/topics/") for k in feeds),
                    "org_feeds": sum(k.startswith("feeds/orgs/") for k in feeds),
                    "site_mb": round(sum(map(len, site.objects.values())) / 1e6, 2),
                    "rebuild_ms": round(ms, 1)}
    out["with"]["peak_rss_mb"] = full_local_run(archive_root, items)["peak_rss_mb"]
    out["without"]["peak_rss_mb"] = full_local_run(
        archive_root, items, ORG_MIN_PAPERS="0", TOPICS="off")["peak_rss_mb"]
    return {"follow": out}


def sizes(objects: dict[str, bytes]) -> dict[str, dict[str, int]]:
    """Bytes of each polled object, raw and gzipped (what CloudFront sends compressed)."""
    out = {}
    for key, body in sorted(objects.items()):
        if key.startswith("feeds/") or key in ("index.html", "feeds.opml"):
            out[key] = {"raw": len(body), "gzip": len(gzip.compress(body, 6, mtime=0))}
    return out


# ------------------------------------------------------------------------------ full runs

MEASURE_CHILD = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
output = child.stdout.read().decode("utf-8", "replace")
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "output": output,
                  "maxrss_kib": usage.ru_maxrss, "seconds": time.perf_counter() - start,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime}))
"""


def full_local_run(archive_root: Path, items: dict, **env: str) -> dict[str, Any]:
    """`paperfeed run` in a child over the archive, HF on loopback: its RSS and requests
    (`env`: settings for the child, e.g. the families to leave out)."""
    from fake_hf import FakeHF

    log("full local run: `paperfeed run` over the 30-day archive, 3-day window, fake HF")
    fake = FakeHF(days=archive_gen.bump_latest(items)).start()
    site = Path(tempfile.mkdtemp(prefix="site-rss-", dir=archive_root.parent))
    shutil.rmtree(site)
    shutil.copytree(archive_root, site)
    cmd = [
        sys.executable, "-m", "paperfeed.entrypoints.cli", "run", "--out", str(site),
        "--date", archive_gen.END.isoformat(), "--days", str(WINDOW),
        "--hf-url", fake.url, "--site-url", SITE_URL, "-q",
    ]
    try:
        # Through a small wrapper: Linux counts the RSS a child had when it was forked (this
        # process, holding the archive) in its ru_maxrss, so fork from something small.
        done = subprocess.run(
            [sys.executable, "-c", MEASURE_CHILD, *cmd], capture_output=True, text=True,
            env=child_env(**env), check=True,
        )
    finally:
        fake.stop()
    measured = json.loads(done.stdout)
    text = measured["output"]
    if measured["status"] != 0:
        raise RuntimeError(f"paperfeed run exited {measured['status']}:\n{text}")
    summary = json.loads(text[text.index("{"):])
    return {
        "peak_rss_mb": round(measured["maxrss_kib"] / 1024, 1),
        "run_seconds": round(measured["seconds"], 2),
        "run_cpu_seconds": round(measured["cpu_seconds"], 2),
        "requests_per_run": len(fake.requests),
        "requests_reported": summary.get("requests"),
        "run_written": len(summary.get("written", [])),
    }


def s3_runs(archive_root: Path, items: dict) -> dict[str, Any]:
    """Two identical runs against moto's S3 server: PUTs (and every S3 call) of each."""
    import boto3
    from fake_hf import FakeHF
    from moto.server import ThreadedMotoServer

    from paperfeed.config import Config
    from paperfeed.fetch.hf import HFClient, make_session
    from paperfeed.publish.stores.s3 import S3Store
    from paperfeed.run import run

    log("S3: two identical runs against moto's server, counting S3 calls")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID",
                                            "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                                            "AWS_PROFILE", "AWS_SESSION_TOKEN")}
    os.environ.update(AWS_ENDPOINT_URL=f"http://{host}:{port}", AWS_ACCESS_KEY_ID="testing",
                      AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    fake = FakeHF(days=items).start()
    try:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="bench")
        for path in sorted((archive_root / "archive").glob("*.json")):
            s3.put_object(Bucket="bench", Key=f"archive/{path.name}", Body=path.read_bytes())
        calls: list[str] = []
        put_bytes: list[int] = []

        s3.meta.events.register("before-call.s3.*", lambda model, **_: calls.append(model.name))
        s3.meta.events.register(
            "provide-client-params.s3.PutObject",
            lambda params, **_: put_bytes.append(len(params.get("Body") or b"")),
        )
        config = Config(date=archive_gen.END, days=WINDOW, bucket="bench", hf_url=fake.url,
                        site_url=SITE_URL, site_url_is_default=False)
        now = datetime.combine(archive_gen.END, datetime.min.time(), tzinfo=UTC)
        per_run = []
        # 14:00 publishes the site; 15:00 sees the same answers; 16:00 sees the newest day's
        # upvotes moved (a typical hourly run).
        for hour, days in ((14, items), (15, items), (16, archive_gen.bump_latest(items))):
            fake.days = days
            calls.clear()
            put_bytes.clear()
            summary = run(config, store=S3Store("bench", client=s3),
                          client=HFClient(fake.url, make_session(retries=1, backoff=0)),
                          now=now + timedelta(hours=hour))
            if summary.status != "ok":
                raise RuntimeError(f"S3 run {summary.status}: {summary.error}")
            ops = {op: calls.count(op) for op in sorted(set(calls))}
            per_run.append({**ops, "bytes_put": sum(put_bytes)})
    finally:
        fake.stop()
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {
        "puts_first_run": per_run[0].get("PutObject", 0),
        "puts_unchanged": per_run[1].get("PutObject", 0),
        "puts_changed_run": per_run[2].get("PutObject", 0),
        "s3_calls_first_run": per_run[0],
        "s3_calls_unchanged_run": per_run[1],
        "s3_calls_changed_run": per_run[2],
    }


# ------------------------------------------------------------------------------ package

def dir_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def zip_bytes(root: Path, dest: Path) -> int:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    return dest.stat().st_size


def target_compiler() -> tuple[str, str]:
    """A CPython 3.13 (the Lambda's runtime) to compile the package's bytecode with: $PYTHON313,
    python3.13 on PATH, or pyenv's; else the host's own, reported as a stand-in. Bytecode
    depends on the minor version only, not on the CPU, so an x86_64 3.13 serves arm64."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [os.environ.get("PYTHON313", ""), shutil.which("python3.13") or "",
                  *sorted(map(str, pyenv.glob("3.13*/bin/python3.13")), reverse=True)]
    for candidate in filter(None, candidates):
        try:
            tag = subprocess.run(
                [candidate, "-c", "import sys; print(sys.implementation.cache_tag)"],
                capture_output=True, text=True, timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if tag == "cpython-313":
            return candidate, tag
    return sys.executable, f"{sys.implementation.cache_tag} (stand-in: no CPython 3.13 found)"


def package(work: Path) -> dict[str, Any]:
    log("package: sh scripts/build_lambda.sh (uv.lock's wheels for python3.13/aarch64)")
    built = work / "pkg"
    uv = os.environ.get("UV") or str(ROOT / ".tools" / "bin" / "uv")
    proc = subprocess.run(
        ["sh", "scripts/build_lambda.sh", str(built)], cwd=ROOT, capture_output=True,
        text=True, env={**os.environ, "PYTHON": sys.executable, "UV": uv},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"build_lambda.sh failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    compiled = work / "pkg-pyc"
    shutil.copytree(built, compiled)
    compiler, tag = target_compiler()
    # unchecked-hash: a zip keeps mtimes to 2 s only, so timestamp-checked .pyc could look
    # stale on Lambda (read-only /var/task: recompiled in memory at every cold start).
    subprocess.run(
        [compiler, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
         "unchecked-hash", str(compiled)], check=True, capture_output=True,
    )
    biggest = sorted(
        ((dir_bytes(p), p.name) for p in built.iterdir() if p.is_dir()), reverse=True
    )[:5]
    package_mb = round(zip_bytes(compiled, work / "pyc.zip") / 1e6, 2)
    zipped: dict[str, int] = {}
    with zipfile.ZipFile(work / "pyc.zip") as zf:
        for info in zf.infolist():
            top = info.filename.split("/", 1)[0]
            zipped[top] = zipped.get(top, 0) + info.compress_size
    return {
        "package_mb": package_mb,
        # What shipped, as build_lambda.sh recorded it from the installed dist-info folders.
        "package_locked_versions": [
            line for line in (built / "paperfeed-locked-versions.txt").read_text().splitlines()
            if line and not line.startswith("#")
        ],
        "package_zipped_by_top_mb": {
            name: round(size / 1e6, 2)
            for name, size in sorted(zipped.items(), key=lambda kv: -kv[1])[:8]
        },
        "package_bytecode": tag,
        "package_bytecode_compiler": compiler,
        "package_mb_as_built": round(zip_bytes(built, work / "plain.zip") / 1e6, 2),
        "package_unzipped_mb": round(dir_bytes(built) / 1e6, 1),
        "package_unzipped_with_pyc_mb": round(dir_bytes(compiled) / 1e6, 1),
        "package_largest": {name: round(size / 1e6, 1) for size, name in biggest},
    }


def bytecode_effect(work: Path, runs: int) -> dict[str, Any]:
    """The handler imported from a Lambda-like folder (only the runtime dependencies, like
    /var/task) with no .pyc (what a build shipping no bytecode gets) and with .pyc."""
    from importlib import metadata

    from packaging.requirements import Requirement

    log("bytecode: handler import from a task folder without and with .pyc")
    task = work / "task"
    seen: set[str] = set()
    todo = ["aws-lambda-powertools", "feedgen", "requests", "beautifulsoup4"]
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        for rel in dist.files or []:
            src = Path(str(dist.locate_file(rel)))
            if "__pycache__" in rel.parts or ".." in rel.parts or not src.is_file():
                continue
            dest = task / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        for req in dist.requires or []:
            r = Requirement(req)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(r.name)
    shutil.copytree(ROOT / "src" / "paperfeed", task / "paperfeed",
                    ignore=shutil.ignore_patterns("__pycache__"))
    args = ("-S", "-B")  # no site-packages, write no bytecode: /var/task is read-only

    def sample() -> tuple[float, float]:
        got = [probe("paperfeed.entrypoints.lambda_handler", then="import paperfeed.run", args=args,
                     PYTHONPATH=str(task)) for _ in range(max(3, runs // 2))]
        return median([g["wall"] for g in got]), median([g["wall"] + g["then"] for g in got])

    nopyc, nopyc_all = sample()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
                    "unchecked-hash", str(task)], check=True, capture_output=True)
    pyc, pyc_all = sample()
    return {"task_import_nopyc_ms": nopyc, "task_import_pyc_ms": pyc,
            "task_import_with_run_nopyc_ms": nopyc_all, "task_import_with_run_pyc_ms": pyc_all}


# ------------------------------------------------------------------------------ report

def rows(r: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    out: list[tuple[str, str, str, bool | None]] = [
        ("cold_import_ms",
         f"{r['cold_import_ms']:.0f} ms, CPU {r['cold_import_cpu_ms']:.0f} ms (`import boto3` "
         f"alone {r['boto3_import_ms']:.0f} ms: ratio {r['cold_import_vs_boto3']:.2f})",
         "<= 150 ms", r["cold_import_ms"] <= TARGETS["cold_import_ms"]),
        ("rebuild_ms",
         f"{r['rebuild_ms']:.0f} ms vs `lxml_floor_ms` {r['lxml_floor_ms']:.0f} ms: "
         f"{r['rebuild_vs_floor']:.2f}x (CPU time: {r['rebuild_vs_floor_cpu']:.2f}x)",
         "<= 3x floor", r["rebuild_vs_floor"] <= TARGETS["rebuild_ratio"]),
        ("peak_rss_mb", f"{r['peak_rss_mb']:.1f} MB", "<= 128 MB",
         r["peak_rss_mb"] <= TARGETS["peak_rss_mb"]),
    ]
    if "package_mb" in r:
        out.append(("package_mb",
                    f"{r['package_mb']:.2f} MB with {r['package_bytecode'].split()[0]} .pyc "
                    f"({r['package_mb_as_built']:.2f} MB as built today, no .pyc)",
                    "<= 10 MB", r["package_mb"] <= TARGETS["package_mb"]))
    else:
        out.append(("package_mb", "skipped (--skip-package)", "<= 10 MB", None))
    out += [
        ("requests_per_run", f"{r['requests_per_run']} ({WINDOW}-day window)",
         f"= {WINDOW}", r["requests_per_run"] == TARGETS["requests_per_run"]),
        ("puts_unchanged", f"{r['puts_unchanged']} (first run {r['puts_first_run']}, "
         f"a run where counts moved {r['puts_changed_run']})", "0",
         r["puts_unchanged"] == TARGETS["puts_unchanged"]),
    ]
    return out


def table(r: dict[str, Any]) -> str:
    lines = ["| metric | value | target | ok? |", "|---|---|---|---|"]
    for name, value, target, ok in rows(r):
        mark = "n/a" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| `{name}` | {value} | {target} | {mark} |")
    return "\n".join(lines)


def context(r: dict[str, Any]) -> str:
    """What the table's figures leave out, one line each."""
    lines = [
        f"- The handler defers `paperfeed.run` (requests, feedgen, lxml) to its first call: "
        f"handler + run imported together take {r['handler_plus_run_import_ms']:.0f} ms.",
        f"- Archive: {r['archive_days']} days x {r['archive_papers'] // r['archive_days']} "
        f"papers ({r['archive_mb']} MB of day documents); the catalogue renders "
        f"{r['feeds']} feeds, {r['entries']} entries, {r['site_bytes'] / 1e6:.1f} MB "
        f"({r['objects']} objects, daily posts included). Rebuild by stage: "
        + ", ".join(f"{k} {v:.0f} ms" for k, v in r["rebuild_breakdown_ms"].items())
        + f"; the three feed formats alone take {r['formats_vs_floor']:.2f}x the floor.",
        f"- Full local run: {r['run_seconds']} s wall, {r['run_cpu_seconds']} s CPU.",
    ]
    if "follow" in r:
        w, wo = r["follow"]["with"], r["follow"]["without"]
        lines.append(
            f"- Feeds to follow ({w['topic_feeds']} topics, {w['org_feeds']} organisations, "
            f"has-code): {w['feeds']} feeds and {w['objects']} objects ({w['site_mb']} MB) "
            f"against {wo['feeds']} and {wo['objects']} ({wo['site_mb']} MB) without them; "
            f"a whole render {w['rebuild_ms']:.0f} ms against {wo['rebuild_ms']:.0f} ms, "
            f"a full run's peak RSS {w['peak_rss_mb']} MB against {wo['peak_rss_mb']} MB.")
    if "task_import_nopyc_ms" in r:
        lines.append(
            f"- Bytecode: handler + run imported from a Lambda-like folder take "
            f"{r['task_import_with_run_nopyc_ms']:.0f} ms without .pyc (what a package "
            f"without bytecode costs at every cold start) and "
            f"{r['task_import_with_run_pyc_ms']:.0f} ms with them."
        )
    return "\n".join(lines)


def profiles(r: dict[str, Any]) -> str:
    """The profiles behind the figures, as a collapsed block for the README."""
    imports = "\n".join(f"{ms:8.1f} ms  {name}" for name, ms in r["profile_handler_import"])
    rebuild = "\n".join(r["profile_rebuild"].splitlines()[:11])
    return (
        "<details><summary>Profiles: one <code>render_site</code> under cProfile (own time), "
        "and <code>python -X importtime</code> of the handler (own time per package)"
        "</summary>\n\n```\n" + rebuild + "\n```\n\n```\n" + imports + "\n```\n</details>"
    )


def machine_line(m: dict[str, Any]) -> str:
    return (f"{m['date']}: {m['nproc']} x {m['cpu']}, {m['memory_gb']} GB, Python "
            f"{m['python']} ({m['arch']}), load average at start {m['loadavg_start'][0]}")


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(r: dict[str, Any]) -> bool:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        log("README.md has no bench markers; left as it is")
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    block = (f"{README_START}\nMeasured {machine_line(r['machine'])}:\n\n{table(r)}\n\n"
             f"{context(r)}\n\n{profiles(r)}\n{README_END}")
    readme.write_text(head + block + tail, encoding="utf-8")
    return True


def sizes_arg(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(x) for x in value.split(",") if x.strip()}))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: archive sizes in days, e.g. 30,365,1000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-package", action="store_true",
                        help="skip building and zipping the Lambda package (needs PyPI)")
    parser.add_argument("--runs", type=int, default=11, help="fresh interpreters per import")
    parser.add_argument("--rebuild-runs", type=int, default=7, help="renders to take a median of")
    parser.add_argument("--readme", action="store_true",
                        help="also rewrite README.md's Performance and Scaling blocks")
    scale = parser.add_argument_group("scaling table (bench/scaling.py)")
    scale.add_argument("--scaling-only", action="store_true",
                       help="measure the scaling table alone (results.json keeps the rest)")
    scale.add_argument("--skip-scaling", action="store_true", help="leave the scaling table out")
    scale.add_argument("--scaling-sizes", type=sizes_arg, default=None, metavar="DAYS,...",
                       help="archive sizes in days (default 30,365,1000)")
    scale.add_argument("--scaling-rounds", type=int, default=3,
                       help="rounds of runs per archive size to take medians of")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.scaling_only and args.skip_scaling:
        parser.error("--scaling-only and --skip-scaling leave nothing to measure")
    # scaling.py imports this module's helpers as `bench`, also when it runs as a script.
    sys.modules.setdefault("bench", sys.modules[__name__])
    import scaling

    here = machine()
    results: dict[str, Any] = {"machine": here}
    if args.scaling_only and args.out.exists():
        # Only the scaling figures are new: keep what the last whole run measured (and the
        # machine it was measured on; the scaling figures carry their own).
        results = {**results, **json.loads(args.out.read_text())}
    with tempfile.TemporaryDirectory(prefix="paperfeed-bench-") as tmp:
        work = Path(tmp)
        if not args.scaling_only:
            items = archive_gen.generate_items()
            archive_root = work / "archive-site"
            results["archive_mb"] = round(
                archive_gen.write_archive(archive_root, archive_gen.papers_of(items)) / 1e6, 2
            )
            results.update(cold_import(args.runs))
            results.update(rebuild(archive_root, args.rebuild_runs))
            results.update(full_local_run(archive_root, items))
            results.update(follow_families(archive_root, items, args.rebuild_runs))
            results.update(s3_runs(archive_root, items))
            if not args.skip_package:
                results.update(package(work))
                results.update(bytecode_effect(work, args.runs))
        if not args.skip_scaling:
            results["scaling"] = scaling.measure(
                work, args.scaling_sizes or scaling.SIZES, args.scaling_rounds,
                max(3, args.rebuild_runs // 2))
            results["scaling"]["machine"] = here
    here["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    if "cold_import_ms" in results:
        results["ok"] = {name: ok for name, _, _, ok in rows(results)}

    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    sys.stderr.flush()
    print(f"\nMeasured {machine_line(here)}\n")
    if not args.scaling_only:
        print(table(results))
        print()
        print(context(results))
    if not args.skip_scaling:
        print("\nScaling:\n")
        print(scaling.table(results["scaling"]))
        print()
        print(scaling.context(results["scaling"]))
    print(f"\nresults: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if args.readme:
        if not args.scaling_only and update_readme(results):
            print("README.md: Performance block updated")
        if not args.skip_scaling and scaling.update_readme(results["scaling"], here):
            print("README.md: Scaling block updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
