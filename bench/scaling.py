"""The scaling table of `make bench`: whole runs over archives of 30, 365 and 1,000 days.

For each size, an archive of that many days x 50 papers (bench/archive_gen.py, the same
generator and seed as the rest of the bench) is written to a temporary folder, and a fresh
copy of it goes through, per round, with the loopback fake HF serving its newest days
(the bench's 3-day window), each step a real `paperfeed run` (CLI, folder store) in a child
of its own, measured by bench.MEASURE_CHILD (wall, CPU and peak RSS by wait4, for that
child alone):

1. full rebuild: the first run over the archive, no manifest, nothing published before;
2. fetch-only floor: bench/fetch_floor.py, the same CLI run stopped where `run()` has
   fetched the window (the same HF requests, store listing and day reads; nothing rendered);
3. unchanged hourly run: the same answers again; then 2 and 3 once more, and 2;
4. one-day change: the newest day's upvotes moved (`archive_gen.bump_latest`).

Medians over the rounds (peak RSS: the highest). Beside the runs, per size, the rebuild
ratio the main table reports (`bench.render_vs_floor`: `render_site` over the days a run
reads, against the bare lxml writer over the same entries, interleaved in this process).
The checks: an unchanged run within 1.5x the floor at every size; a one-day change at
1,000 days within 1.5x of 30 days; the rebuild at most 3x the lxml writer per entry. A
missed check gets the slow case's cProfile (top 10 functions by own time).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import archive_gen

import bench

SIZES = (30, 365, 1000)
CASES = ("full", "floor", "unchanged", "change")
NAMES = {"full": "full rebuild", "floor": "fetch-only floor", "unchanged": "unchanged hourly run",
         "change": "one-day change"}
PROFILED = {"unchanged": "unchanged hourly run (`paperfeed run` under cProfile)",
            "change": "one-day change (`paperfeed run` under cProfile)",
            "rebuild": "one `render_site` of the days a run reads, in process"}
TARGETS = {"unchanged_vs_floor": 1.5, "change_vs_smallest": 1.5, "rebuild_ratio": 3.0}
FLOOR = str(Path(__file__).with_name("fetch_floor.py"))
README_START, README_END = "<!-- scaling:start -->", "<!-- scaling:end -->"


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def last_json(text: str) -> dict[str, Any]:
    """The last JSON object printed at the start of a line (after any log lines)."""
    decoder, found = json.JSONDecoder(), None
    for i in [0] + [i + 1 for i in range(len(text)) if text[i] == "\n"]:
        if text.startswith("{", i):
            try:
                found = decoder.raw_decode(text, i)[0]
            except ValueError:
                continue
    if found is None:
        raise RuntimeError(f"no JSON in the output:\n{text[-2000:]}")
    return found


def run_args(site: Path, hf_url: str) -> list[str]:
    return ["run", "--out", str(site), "--date", archive_gen.END.isoformat(),
            "--days", str(bench.WINDOW), "--hf-url", hf_url, "--site-url", bench.SITE_URL, "-q"]


def command(case: str, site: Path, hf_url: str) -> list[str]:
    if case == "floor":
        return [sys.executable, FLOOR, *run_args(site, hf_url)]
    return [sys.executable, "-m", "paperfeed.entrypoints.cli", *run_args(site, hf_url)]


def measured(cmd: list[str]) -> dict[str, Any]:
    """One child, through the small wrapper (it forks the measured process from something
    small, so ru_maxrss is that process's own)."""
    done = subprocess.run([sys.executable, "-c", bench.MEASURE_CHILD, *cmd], capture_output=True,
                          text=True, env=bench.child_env(), check=True)
    m = json.loads(done.stdout)
    if m["status"] not in (0,):
        raise RuntimeError(f"{' '.join(cmd[:4])} exited {m['status']}:\n{m['output'][-3000:]}")
    out = last_json(m["output"])
    return {"wall_s": m["seconds"], "cpu_s": m["cpu_seconds"],
            "rss_mb": m["maxrss_kib"] / 1024, "out": out}


def profiled(cmd: list[str], work: Path, top: int = 10) -> str:
    """cProfile of one child run: the `top` functions by own time."""
    prof = work / "run.prof"
    code = cmd.index("-m") if "-m" in cmd else 1
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *cmd[code:]],
                   capture_output=True, env=bench.child_env(), check=True)
    return top_own_time(str(prof), top)


def top_own_time(prof: Any, top: int = 10) -> str:
    """The `top` functions of a profile (a cProfile.Profile or a saved file) by own time."""
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(top)
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip())


def spread(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def summarise(runs: list[dict[str, Any]], case: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "wall_s": round(statistics.median(r["wall_s"] for r in runs), 3),
        "cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
        "peak_rss_mb": round(max(r["rss_mb"] for r in runs), 1),
        "runs_wall_s": [round(r["wall_s"], 3) for r in runs],
        "runs_cpu_s": [round(r["cpu_s"], 3) for r in runs],
        "requests": spread([r["requests"] for r in runs]),
    }
    if case == "floor":
        out["rendered"] = out["uploaded"] = "0"
        out["archive_changed"] = spread([r["out"]["archive_changed"] for r in runs])
    else:
        out["rendered"] = spread([r["out"]["rendered"] for r in runs])
        out["uploaded"] = spread([len(r["out"]["written"]) for r in runs])
        out["status"] = sorted({r["out"]["status"] for r in runs})
    return out


def measure_size(work: Path, days: int, rounds: int, renders: int,
                 smallest: dict[str, Any] | None, biggest: bool) -> dict[str, Any]:
    from fake_hf import FakeHF

    out: dict[str, Any] = {"days": days, "papers_per_day": archive_gen.PER_DAY,
                           "loadavg_start": loadavg()}
    bench.log(f"scaling: generating {days} days x {archive_gen.PER_DAY} papers")
    start = time.perf_counter()
    items = archive_gen.generate_items(days=days)
    root = work / f"archive-{days}"
    size = archive_gen.write_archive(root, archive_gen.papers_of(items))
    # The fake serves the days the window asks for; the rest of the items are not needed.
    served = {d: items[d] for d in sorted(items)[-bench.WINDOW:]}
    del items
    out["archive_mb"] = round(size / 1e6, 1)
    out["generate_s"] = round(time.perf_counter() - start, 1)
    answers = {"full": served, "floor": served, "unchanged": served,
               "change": archive_gen.bump_latest(served)}
    # The floor and the unchanged run are cheap and their ratio is the tightest target:
    # more of them, interleaved, so a load spike hits both alike.
    steps = ("full", "floor", "unchanged", "floor", "unchanged", "floor", "change")
    got: dict[str, list[dict[str, Any]]] = {case: [] for case in CASES}
    site = work / f"site-{days}"
    fake = FakeHF(days=served).start()
    try:
        for i in range(rounds):
            bench.log(f"scaling: {days} days, round {i + 1}/{rounds}: "
                      "full rebuild, floor and unchanged runs, one-day change")
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(root, site)
            for case in steps:
                fake.days = answers[case]
                fake.requests.clear()
                result = measured(command(case, site, fake.url))
                result["requests"] = len(fake.requests)
                got[case].append(result)
        out["cases"] = {case: summarise(runs, case) for case, runs in got.items()}
        c = out["cases"]
        out["objects_published"] = sum(1 for p in site.rglob("*") if p.is_file()) - (
            len(list((site / "archive").glob("*.json"))))
        out["unchanged_vs_floor"] = round(c["unchanged"]["wall_s"] / c["floor"]["wall_s"], 2)
        out["unchanged_vs_floor_cpu"] = round(c["unchanged"]["cpu_s"] / c["floor"]["cpu_s"], 2)
        if smallest is not None:
            base = smallest["cases"]["change"]
            out["change_vs_smallest"] = round(c["change"]["wall_s"] / base["wall_s"], 2)
            out["change_vs_smallest_cpu"] = round(c["change"]["cpu_s"] / base["cpu_s"], 2)
        # A missed check: where that run's time goes, at this size.
        profiles = {}
        if out["unchanged_vs_floor"] > TARGETS["unchanged_vs_floor"]:
            fake.days = answers["change"]  # as the last run left the store: nothing moved
            profiles["unchanged"] = profiled(command("unchanged", site, fake.url), work)
        if out.get("change_vs_smallest", 0) > TARGETS["change_vs_smallest"]:
            fake.days = archive_gen.bump_latest(answers["change"])  # moved once more
            profiles["change"] = profiled(command("change", site, fake.url), work)
        if profiles:
            out["profiles"] = profiles
    finally:
        fake.stop()
        shutil.rmtree(site, ignore_errors=True)

    bench.log(f"scaling: {days} days: {renders} renders of what a run reads vs the lxml writer")
    ranked, as_of = bench.load_ranked(root, as_run=True)
    rebuild, *_ = bench.render_vs_floor(ranked, as_of, renders)
    rebuild["days_read"] = len(ranked)
    rebuild["rebuild_ms_per_entry"] = round(rebuild["rebuild_ms"] / rebuild["entries"], 3)
    rebuild["lxml_floor_ms_per_entry"] = round(rebuild["lxml_floor_ms"] / rebuild["entries"], 3)
    out["rebuild"] = rebuild
    if biggest and rebuild["rebuild_vs_floor"] > TARGETS["rebuild_ratio"]:
        prof = cProfile.Profile()
        prof.runcall(lambda: bench.render_all(ranked, as_of))
        out.setdefault("profiles", {})["rebuild"] = top_own_time(prof)
    shutil.rmtree(root)
    out["loadavg_end"] = loadavg()
    return out


def measure(work: Path, sizes: tuple[int, ...] = SIZES, rounds: int = 3,
            renders: int = 3) -> dict[str, Any]:
    """Every size, smallest first (the one-day change is compared with the smallest)."""
    out: dict[str, Any] = {"window_days": bench.WINDOW, "rounds": rounds, "renders": renders,
                           "loadavg_start": loadavg(), "sizes": []}
    smallest = None
    for days in sorted(sizes):
        result = measure_size(work, days, rounds, renders, smallest, days == max(sizes))
        smallest = smallest or result
        out["sizes"].append(result)
    out["loadavg_end"] = loadavg()
    out["ok"] = {name: ok for name, ok, _ in checks(out)}
    return out


# ------------------------------------------------------------------------------ report

def checks(s: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(name, met, what was compared) of every target, per size."""
    out = []
    for size in s["sizes"]:
        n = size["days"]
        out.append((f"unchanged_vs_floor_{n}d",
                    size["unchanged_vs_floor"] <= TARGETS["unchanged_vs_floor"],
                    f"{size['unchanged_vs_floor']:.2f}x"))
        if "change_vs_smallest" in size:
            out.append((f"change_{n}d_vs_{s['sizes'][0]['days']}d",
                        size["change_vs_smallest"] <= TARGETS["change_vs_smallest"],
                        f"{size['change_vs_smallest']:.2f}x"))
        ratio = size["rebuild"]["rebuild_vs_floor"]
        out.append((f"rebuild_vs_lxml_{n}d", ratio <= TARGETS["rebuild_ratio"], f"{ratio:.2f}x"))
    return out


def mark(ok: bool) -> str:
    return "ok" if ok else "**missed**"


def table(s: dict[str, Any]) -> str:
    lines = ["| archive | run | wall | CPU | rendered | uploaded | peak RSS | measure | target "
             "| ok? |", "|---|---|---|---|---|---|---|---|---|---|"]
    base = s["sizes"][0]["days"]
    for size in s["sizes"]:
        n, c = size["days"], size["cases"]
        for case in ("floor", "unchanged", "change", "full"):
            r = c[case]
            measure, target, ok = "", "", ""
            if case == "unchanged":
                measure = (f"{size['unchanged_vs_floor']:.2f}x floor (CPU "
                           f"{size['unchanged_vs_floor_cpu']:.2f}x)")
                target = "<= 1.5x floor"
                ok = mark(size["unchanged_vs_floor"] <= TARGETS["unchanged_vs_floor"])
            elif case == "change" and "change_vs_smallest" in size:
                measure = (f"{size['change_vs_smallest']:.2f}x {base} days (CPU "
                           f"{size['change_vs_smallest_cpu']:.2f}x)")
                target = f"<= 1.5x {base} days"
                ok = mark(size["change_vs_smallest"] <= TARGETS["change_vs_smallest"])
            elif case == "full":
                rb = size["rebuild"]
                measure = (f"render {rb['rebuild_ms_per_entry']:.2f} ms/entry vs lxml "
                           f"{rb['lxml_floor_ms_per_entry']:.2f}: {rb['rebuild_vs_floor']:.2f}x "
                           f"(CPU {rb['rebuild_vs_floor_cpu']:.2f}x)")
                target = "<= 3x lxml writer"
                ok = mark(rb["rebuild_vs_floor"] <= TARGETS["rebuild_ratio"])
            lines.append(
                f"| {n:,} days | {NAMES[case]} | {r['wall_s']:.2f} s | {r['cpu_s']:.2f} s | "
                f"{r['rendered']} | {r['uploaded']} | {r['peak_rss_mb']:.0f} MB | {measure} | "
                f"{target} | {ok} |")
    return "\n".join(lines)


def context(s: dict[str, Any]) -> str:
    sizes = s["sizes"]
    per = ", ".join(f"{x['days']:,} days {x['archive_mb']} MB (generated in {x['generate_s']} s, "
                    f"load average {x['loadavg_start'][0]} to {x['loadavg_end'][0]})"
                    for x in sizes)
    rb = sizes[-1]["rebuild"]
    return "\n".join([
        f"- Archives of {sizes[0]['papers_per_day']} papers a day at every size (none reduced): "
        f"{per}. Window {s['window_days']} days; medians of {s['rounds']} rounds, each on a "
        f"fresh copy of the archive (per round: full rebuild, then the floor and the "
        f"unchanged run interleaved, 3 and 2 of them, then the one-day change), every run a "
        f"child of its own (interpreter start and imports included); peak RSS is the "
        f"highest of the rounds.",
        "- rendered: objects rendered (their inputs' digest changed); uploaded: objects "
        "written. The floor is `bench/fetch_floor.py`: the same CLI run stopped once the "
        "window is fetched and merged (same HF requests, store listing and day reads).",
        f"- Rebuild ratio: `render_site` over the days a run reads ({rb['days_read']} at "
        f"{sizes[-1]['days']:,} days: `days_to_load`) against `bench/lxml_floor.py` over "
        f"the same {rb['entries']:,} entries, medians of {s['renders']} interleaved renders.",
    ])


def profiles(s: dict[str, Any]) -> str:
    blocks = [(f"{PROFILED[case]}, {size['days']:,} days", text)
              for size in s["sizes"] for case, text in size.get("profiles", {}).items()]
    if not blocks:
        return ""
    body = "\n\n".join(f"{title}:\n\n```\n{text}\n```" for title, text in blocks)
    return ("<details><summary>Profiles of the missed targets (top 10 by own time)</summary>"
            f"\n\n{body}\n</details>")


def block(s: dict[str, Any], machine: dict[str, Any]) -> str:
    extra = profiles(s)
    m = machine

    def avg(a: list[float]) -> str:
        return " / ".join(f"{x:.2f}" for x in a)

    return (f"Measured {m['date']}: {m['nproc']} x {m['cpu']}, {m['memory_gb']} GB, Python "
            f"{m['python']} ({m['arch']}), load average (1 / 5 / 15 min) {avg(s['loadavg_start'])}"
            f" at start, {avg(s['loadavg_end'])} at end:\n\n{table(s)}\n\n{context(s)}"
            + (f"\n\n{extra}" if extra else ""))


def update_readme(s: dict[str, Any], machine: dict[str, Any]) -> bool:
    readme = bench.ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        bench.log("README.md has no scaling markers; left as it is")
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{block(s, machine)}\n{README_END}{tail}",
                      encoding="utf-8")
    return True
