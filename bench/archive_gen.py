"""A generated archive for the benchmark: N days x M papers with realistic field sizes.

The papers are made as raw Hugging Face API items (the shape `tests/fake_hf.py` serves and
`paperfeed.parse` reads), then parsed by the project's own parser into `Paper` records, so the
archive holds exactly what a run would have stored. Deterministic: same seed, same bytes.

Sizes follow the recorded responses in tests/fixtures/hf/ (88 papers): title ~75-125 chars,
abstract ~1,500 chars, 3-31 authors, a thumbnail on every paper, a GitHub repo on ~60%, an
organisation on ~60%, AI summary and keywords on about half. Author names are drawn from a pool
with non-ASCII names (Zoë, Łukasz, 김민수, 王伟, Nguyễn...), as real author lists are.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from paperfeed.archive.codec import encode_day
from paperfeed.archive.keys import archive_key
from paperfeed.models import Day, Paper
from paperfeed.parse.papers import papers_from_items
from paperfeed.publish.stores.folder import DirStore

SEED = 20260803
END = date(2026, 8, 3)
DAYS = 30
PER_DAY = 50

GIVEN = (
    "Zoë", "Łukasz", "José", "Jürgen", "François", "Björn", "Søren", "Ngọc", "Ángel", "Çağrı",
    "Mihály", "Ólafur", "Tomáš", "Eléonore", "Dmitrï", "Anaïs", "Noémie", "Jiří", "Gökhan",
    "Wei", "Yuki", "Priya", "Ahmed", "Chen", "Maria", "David", "Sarah", "Kenji", "Olga",
    "Ravi", "Hyun-woo", "Minh", "Aisha", "Lucas", "Emma", "Ivan", "Fatima", "Ji-ho", "Mateus",
)
FAMILY = (
    "Müller", "Kovačević", "Dvořák", "Nguyễn", "Đặng", "Çelik", "Şahin", "Ólafsdóttir",
    "Żukowski", "García", "Løkke", "Håkansson", "Sánchez", "Pérez", "Gonçalves", "Öztürk",
    "Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Kim", "Park", "Tanaka", "Sato",
    "Smith", "Johnson", "Patel", "Singh", "Ivanov", "Rossi", "Schmidt", "Dubois", "Novak",
)
WHOLE_NAMES = ("김민수", "王伟", "李娜", "田中 太郎", "Ђорђе Петровић", "Алексей Смирнов")
ORGS = (
    "Tsinghua University", "Google DeepMind", "Meta AI", "ETH Zürich", "Université de Montréal",
    "KAIST", "Alibaba Qwen", "Shanghai AI Laboratory", "NVIDIA", "Technische Universität München",
    "Microsoft Research Asia", "Carnegie Mellon University", "Mistral AI", "Hugging Face",
)
WORDS = (
    "language", "model", "models", "diffusion", "transformer", "attention", "reasoning",
    "agents", "multimodal", "vision", "benchmark", "scaling", "tokens", "retrieval", "training",
    "inference", "efficient", "sparse", "mixture-of-experts", "reinforcement", "learning",
    "alignment", "preference", "optimization", "video", "generation", "policy", "reward",
    "evaluation", "dataset", "long-context", "memory", "compression", "quantization", "latent",
    "robust", "zero-shot", "few-shot", "instruction", "tuning", "distillation", "speculative",
    "decoding", "graph", "3D", "speech", "audio", "embodied", "robotics", "safety",
    "chain-of-thought", "verifier", "self-play", "curriculum", "contrastive", "representation",
    "geometry", "physics",
)
KEYWORDS = (
    "large language models", "diffusion models", "reinforcement learning", "RLHF", "DPO",
    "mixture-of-experts", "vision-language models", "chain-of-thought", "KV cache",
    "speculative decoding", "retrieval-augmented generation", "LoRA", "benchmarking",
    "tokenization", "world models", "embodied agents", "text-to-video", "3D generation",
    "reward modeling", "test-time scaling", "quantization", "distillation", "long context",
)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(12, 28))
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ", with 34.8% fewer errors."))


def _text(rng: random.Random, target: int) -> str:
    parts: list[str] = []
    size = 0
    while size < target:
        parts.append(_sentence(rng))
        size += len(parts[-1]) + 1
    return " ".join(parts)


def _title(rng: random.Random) -> str:
    head = _words(rng, rng.randint(1, 2)).title().replace(" ", "")
    body = _words(rng, rng.randint(8, 14))
    return f"{head}: {body[0].upper()}{body[1:]}"[: rng.randint(70, 125)].rstrip()


def _author(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(WHOLE_NAMES)
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _upvotes(rng: random.Random) -> int:
    # Heavy-tailed like HF's: median ~7, a few per month in the hundreds.
    return min(int(rng.lognormvariate(2.0, 1.3)), 2000)


def make_item(rng: random.Random, arxiv_id: str, day: date) -> dict[str, Any]:
    """One raw HF API item, shaped as huggingface.co/api/daily_papers answers."""
    listed = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
        minutes=rng.randint(0, 18 * 60)
    )
    published = listed - timedelta(days=rng.randint(1, 6))
    title = _title(rng)
    abstract = _text(rng, rng.randint(1000, 1800))
    paper: dict[str, Any] = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"{arxiv_id}-{i}", "name": _author(rng), "hidden": False}
            for i in range(rng.randint(5, 15))
        ],
        "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "submittedOnDailyAt": listed.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "title": title,
        "summary": abstract,
        "upvotes": _upvotes(rng),
        "discussionId": f"d{arxiv_id.replace('.', '')}",
    }
    if rng.random() < 0.6:
        paper["githubRepo"] = f"https://github.com/{rng.choice(WORDS)}-lab/{title.split(':')[0]}"
        paper["githubStars"] = int(rng.lognormvariate(3.0, 1.8))
    if rng.random() < 0.4:
        paper["projectPage"] = f"https://{title.split(':')[0].lower()}.github.io/"
    if rng.random() < 0.7:
        paper["ai_summary"] = _text(rng, rng.randint(120, 240))
        paper["ai_keywords"] = rng.sample(KEYWORDS, rng.randint(5, 15))
    item: dict[str, Any] = {
        "paper": paper,
        "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "title": title,
        "summary": abstract,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
        "numComments": rng.choice((0, 0, 1, 1, 2, 3, 5, 8)),
        "isAuthorParticipating": rng.random() < 0.5,
    }
    if rng.random() < 0.6:
        org = rng.choice(ORGS)
        item["organization"] = {"name": org.split()[0].lower(), "fullname": org}
    return item


def generate_items(
    end: date = END, days: int = DAYS, per_day: int = PER_DAY, seed: int = SEED
) -> dict[str, list[dict[str, Any]]]:
    """Raw API items per day (ISO date -> items), `days` calendar days ending at `end`."""
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {}
    serial = 0
    for offset in reversed(range(days)):
        day = end - timedelta(days=offset)
        items = []
        for _ in range(per_day):
            serial += 1
            items.append(make_item(rng, f"{day:%y%m}.{10000 + serial:05d}", day))
        out[day.isoformat()] = items
    return out


def papers_of(items: dict[str, list[dict[str, Any]]], seed: int = SEED) -> dict[date, Day]:
    """The items as archived days: parsed `Paper`s, each with the time its counts last changed."""
    rng = random.Random(seed + 1)
    out: dict[date, Day] = {}
    for iso, raw in items.items():
        day = date.fromisoformat(iso)
        parsed = papers_from_items(raw, day)
        assert not parsed.skipped, parsed.skipped
        papers: list[Paper] = [
            replace(p, updated_at=p.listed_at + timedelta(hours=rng.randint(1, 60)))
            for p in parsed.papers
        ]
        changed = max(p.updated_at for p in papers if p.updated_at)
        out[day] = Day(day, tuple(papers), changed)
    return out


def write_archive(root: str | Path, days: dict[date, Day]) -> int:
    """Encode the days into `root` as a DirStore holds them; returns the bytes written."""
    store = DirStore(root)
    total = 0
    for day in days.values():
        body = encode_day(day)
        store.put(archive_key(day.date), body, "application/json", "")
        total += len(body)
    return total


def bump_latest(
    items: dict[str, list[dict[str, Any]]], seed: int = SEED
) -> dict[str, list[dict[str, Any]]]:
    """What HF answers an hour later: the newest day's upvotes have moved (a realistic run
    changes one archive day and the feeds that show it)."""
    rng = random.Random(seed + 2)
    latest = max(items)
    bumped = []
    for item in items[latest]:
        paper = {**item["paper"], "upvotes": item["paper"]["upvotes"] + rng.randint(0, 5)}
        bumped.append({**item, "paper": paper})
    return {**items, latest: bumped}


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-archive")
    size = write_archive(target, papers_of(generate_items()))
    print(f"{DAYS} days x {PER_DAY} papers, {size / 1e6:.1f} MB of day documents in {target}")
