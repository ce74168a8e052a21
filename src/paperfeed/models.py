"""Plain data the pipeline passes around. No I/O, no behaviour beyond conversions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

HF_PAPER_URL = "https://huggingface.co/papers/{arxiv_id}"
HF_DAY_URL = "https://huggingface.co/papers/date/{day}"


@dataclass(frozen=True)
class Translation:
    """One paper in one language, with what it was made from (the cache key: lang, model,
    prompt_version, source_hash) and when (for the entry's updated time; not in the key)."""

    lang: str
    model: str
    prompt_version: str
    source_hash: str
    summary: str
    abstract: str
    key_points: tuple[str, ...]
    translated_at: datetime | None = None


@dataclass(frozen=True)
class Paper:
    """One paper as HF listed it on one day, normalised and validated by `parse`."""

    arxiv_id: str
    title: str
    day: date  # the HF day it was listed on (a UTC calendar date)
    listed_at: datetime  # when HF listed it; frozen once archived
    abstract: str = ""
    upvotes: int = 0
    comments: int = 0
    authors: tuple[str, ...] = ()
    organization: str = ""  # the authors' organisation as HF names it ("NVIDIA")
    organization_id: str = ""  # its HF handle ("nvidia"): the organisation feeds' slug
    published_at: datetime | None = None  # the paper's own (arXiv) publication time
    thumbnail: str = ""
    github_repo: str = ""
    github_stars: int | None = None
    project_page: str = ""
    ai_summary: str = ""
    ai_keywords: tuple[str, ...] = ()
    media_urls: tuple[str, ...] = ()
    # When this record's content last changed (set by the archive, not by parse).
    updated_at: datetime | None = None
    # Machine translations, one per language at most (kept by the archive, never by parse).
    translations: tuple[Translation, ...] = ()

    def translation(self, lang: str) -> Translation | None:
        return next((t for t in self.translations if t.lang == lang), None)

    @property
    def url(self) -> str:
        """The paper's id and link, everywhere, forever."""
        return HF_PAPER_URL.format(arxiv_id=self.arxiv_id)

    @property
    def discussion_url(self) -> str:
        return f"{self.url}#community"

    @property
    def arxiv_abs(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def arxiv_pdf(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"


@dataclass(frozen=True)
class Skipped:
    """An input record that parse refused, and why (logged, never fatal)."""

    index: int
    reason: str


@dataclass(frozen=True)
class ParseResult:
    papers: tuple[Paper, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class Day:
    """An archived HF day: its papers as last seen and when that content last changed."""

    date: date
    papers: tuple[Paper, ...]
    changed_at: datetime | None = None  # None only for a day never seen with content


@dataclass(frozen=True)
class RankedPaper:
    """A paper with its place on its own HF day (1-based), the same in every feed."""

    paper: Paper
    rank: int


@dataclass(frozen=True)
class PaperMeta:
    """A paper entry's machine-readable counts (JSON Feed `_paper`, Atom/RSS `pf:`)."""

    upvotes: int
    comments: int
    rank: int
    day: str  # the HF day, YYYY-MM-DD
    arxiv_id: str
    organization: str = ""

    def fields(self) -> dict[str, object]:
        """In document order; the organisation only when HF named one."""
        out: dict[str, object] = {"upvotes": self.upvotes, "comments": self.comments,
                                  "rank": self.rank, "day": self.day, "arxiv_id": self.arxiv_id}
        if self.organization:
            out["organization"] = self.organization
        return out


@dataclass(frozen=True)
class DigestMeta:
    """A digest entry's machine-readable fields (JSON Feed `_digest`, Atom/RSS `pf:`)."""

    day: str
    papers: int

    def fields(self) -> dict[str, object]:
        return {"day": self.day, "papers": self.papers}


@dataclass(frozen=True)
class Entry:
    """One feed entry as every format will show it: decided once, rendered per format."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    content_html: str
    summary_text: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: str = ""
    # Machine-readable counts (JSON Feed `_paper`, Atom/RSS namespaced elements).
    meta: PaperMeta | DigestMeta | None = None
    # JSON Feed `_paper.translation`: lang, summary, abstract, key_points (when shown).
    translation: dict[str, object] | None = None


@dataclass(frozen=True)
class Feed:
    """A rendered-to-be feed: metadata plus entries in document order."""

    name: str
    title: str
    description: str
    site_url: str
    updated: datetime
    entries: tuple[Entry, ...]
    language: str = "en"
    hub: str = ""  # WebSub hub, advertised in every format when set
    family: str = "main"  # how the feed lists group it (see select/catalogue.py)

    def url(self, ext: str) -> str:
        return f"{self.site_url}feeds/{self.name}.{ext}"


@dataclass(frozen=True)
class FeedListing:
    """A feed as the lists show it (landing page, OPML, `feeds/index.json`)."""

    name: str
    title: str
    description: str
    family: str
    site_url: str
    entries: int = 0
    active: bool = True  # False: kept as last published, no longer updated
    label: str = ""  # its short name where a heading says the family ("NVIDIA")

    def url(self, ext: str) -> str:
        return f"{self.site_url}feeds/{self.name}.{ext}"


@dataclass(frozen=True)
class Criteria:
    """Which papers a feed holds: the feed language's selection (see `select/feeds_file.py`).

    A paper matches when every given condition holds: at least one `include` term (whole
    words, case-insensitive, over title, abstract, HF's keywords, authors and organisation; a
    trailing `*` matches any ending), no `exclude` term, one of the `organizations` (HF handle
    or name), one of the `authors`, at least `min_upvotes`, a code repository if `has_code`.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    min_upvotes: int = 0
    has_code: bool = False
    window: int = 30  # calendar days ending at the run's date
    top: int = 0  # the `top` most upvoted matches; 0: every match, newest first

    @property
    def narrows(self) -> bool:
        """False when it would select every paper of the window."""
        return bool(self.include or self.organizations or self.authors or self.min_upvotes
                    or self.has_code)


@dataclass(frozen=True)
class FeedDefinition:
    """A feed declared in the feed language: the shipped topics and a deployer's own feeds."""

    slug: str  # its path under feeds/ without extension: "topics/diffusion", "my-feed"
    title: str
    description: str
    criteria: Criteria
    family: str = "custom"  # "topics" for the shipped ones, "custom" for a deployer's


@dataclass(frozen=True)
class PaperCard:
    """What the archive site shows of a paper without reading its day's document: the
    month pages' top papers and the search index's record (`archive/summaries.py`)."""

    arxiv_id: str
    title: str
    day: date
    rank: int
    upvotes: int = 0
    comments: int = 0
    organization: str = ""
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    abstract: str = ""


@dataclass(frozen=True)
class DayEntry:
    """An archived day as the archive site's ledger knows it: the stored version (ETag) of
    its document, how many papers it holds, and the digest of their searchable text."""

    version: str
    papers: int
    search: str


class RunStatus(StrEnum):
    """How a run ended (a str, so the JSON summary and the exit code read it as is)."""

    OK = "ok"  # every day of the window fetched, everything rendered was published
    PARTIAL = "partial"  # some days failed, or objects were withheld; the rest published
    FAILED = "failed"  # nothing fetched, or storage failed: nothing broken was published
