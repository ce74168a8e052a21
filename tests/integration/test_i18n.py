"""One message catalogue: complete in every language, compiled, and in step with the code."""

from __future__ import annotations

import ast
import gettext
import io
import json
from datetime import date
from pathlib import Path

import feedparser
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from factories import NOW, client_for, site_config
from fake_hf import FakeHF

from paperfeed.i18n import LOCALE_DIR, available, lang
from paperfeed.publish.stores.folder import DirStore
from paperfeed.render.post import PostOptions
from paperfeed.run import run

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "plural_form": (1, 2)}


def catalog(code: str):  # type: ignore[no-untyped-def]
    return read_po((LOCALE_DIR / code / "LC_MESSAGES/paperfeed.po").open("rb"), locale=code)


def test_every_string_in_the_code_is_in_the_template() -> None:
    found = {m[2] if isinstance(m[2], str) else m[2][0]
             for m in extract_from_dir(ROOT / "src/paperfeed", keywords=KEYWORDS,
                                       method_map=[("**.py", "python")])}
    pot = read_po((LOCALE_DIR / "paperfeed.pot").open("rb"))
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    assert found == template, "run: make locale"


def _messages_in_the_source() -> dict[str, str]:
    """Every message a call of _ / n_ / plural_form names, found by Python's own parser: it
    sees calls inside f-strings, which Babel's extractor (Python < 3.12) reads as one string
    and skips, so a message there would never reach the catalogue. message -> where."""
    found = {}
    for path in sorted((ROOT / "src/paperfeed").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if name in KEYWORDS and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found[first.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_no_message_is_hidden_from_the_extractor() -> None:
    pot = read_po((LOCALE_DIR / "paperfeed.pot").open("rb"))
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    found = _messages_in_the_source()
    assert len(found) > 80
    missing = {message: where for message, where in found.items() if message not in template}
    assert not missing, f"not extracted (a call inside an f-string? hoist it): {missing}"


def test_korean_is_complete_and_keeps_every_placeholder() -> None:
    assert set(available()) >= {"en", "ko"}
    pot = read_po((LOCALE_DIR / "paperfeed.pot").open("rb"))
    ko = catalog("ko")
    for message in pot:
        if not message.id:
            continue
        translated = ko.get(message.id)
        assert translated and all(translated.string), f"untranslated: {message.id!r}"
        source = message.id if isinstance(message.id, str) else message.id[1]
        strings = [translated.string] if isinstance(translated.string, str) else translated.string
        for text in strings:
            for mark in ("{n}", "{day}", "{date}", "{rank}", "{time}", "{name}", "@@LINK@@"):
                assert (mark in source) == (mark in text), f"{mark} in {message.id!r}"


def test_compiled_catalogues_match_their_sources() -> None:
    for code in available():
        compiled = io.BytesIO()
        write_mo(compiled, catalog(code))
        compiled.seek(0)
        fresh = gettext.GNUTranslations(compiled)
        shipped = gettext.GNUTranslations(
            (LOCALE_DIR / code / "LC_MESSAGES/paperfeed.mo").open("rb"))
        # The messages and the plural rule are what a reader sees; the header's other lines
        # (Generated-By names the Babel that compiled it) are a tool's stamp, not content.
        messages = {k: v for k, v in fresh._catalog.items() if k != ""}  # noqa: SLF001
        assert messages == {k: v for k, v in shipped._catalog.items() if k != ""}, (  # noqa: SLF001
            f"{code}: run make locale")
        assert fresh.info().get("plural-forms") == shipped.info().get("plural-forms"), code
        assert [fresh.plural(n) for n in range(200)] == [shipped.plural(n) for n in range(200)]


def test_numbers_and_dates_follow_the_language() -> None:
    assert lang("en").long_date(date(2026, 8, 3)) == "August 3, 2026"
    assert lang("ko").long_date(date(2026, 8, 3)) == "2026년 8월 3일"
    assert lang("ko").n_("{n} upvote", "{n} upvotes", 1234) == "추천 1,234개"
    assert lang("en").n_("{n} upvote", "{n} upvotes", 1) == "1 upvote"


def test_a_korean_site_speaks_korean_everywhere(fake_hf: FakeHF, tmp_path: Path) -> None:
    config = site_config(fake_hf.url, tmp_path, days=30, site_url="https://x.example/", lang="ko",
                         posts=PostOptions(tz="Asia/Seoul"))
    assert run(config, store=DirStore(tmp_path), client=client_for(fake_hf), now=NOW).status == "ok"
    atom = feedparser.parse((tmp_path / "feeds/daily.atom").read_bytes())
    assert atom.feed.title == "Hugging Face 일간 논문" and atom.feed.language == "ko"
    assert atom.entries[0].content[0].value.startswith("<p><strong>▲ 추천 4개 · 댓글 1개 · ")
    rss = feedparser.parse((tmp_path / "feeds/weekly.rss").read_bytes())
    assert rss.feed.title == "Hugging Face 일간 논문: 주간 상위 20편" and rss.feed.language == "ko"
    jf = json.loads((tmp_path / "feeds/upvotes-50.json").read_bytes())
    assert jf["title"] == "Hugging Face 일간 논문: 추천 50개 이상" and jf["language"] == "ko"
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "2026년 8월 3일 논문, 추천순" in page
    view = (tmp_path / "feed-view.js").read_text(encoding="utf-8")
    assert '"lang": "ko"' in view and "웹 피드입니다" in view
    assert '"upvotes": ["추천 {n}개", "추천 {n}개"]' in view and '"feed": "피드"' in view
    opml = (tmp_path / "feeds.opml").read_text(encoding="utf-8")
    assert "paperfeed: Hugging Face 일간 논문 피드" in opml
    # The archive site's words, those written inside f-strings among them.
    day = (tmp_path / "days/2026-07-31.html").read_text(encoding="utf-8")
    assert "2026년 7월 31일의 논문" in day and "일간 글" in day and "주제 피드" in day
    month = (tmp_path / "months/2026-07.html").read_text(encoding="utf-8")
    assert "모든 달" in month and "월간 글" in month
    search = (tmp_path / "search.html").read_text(encoding="utf-8")
    assert 'data-some="논문 {n}편을 찾았습니다."' in search and "JavaScript가 필요합니다" in search
