"""The Bedrock adapter (`translate/bedrock.py`) against a loopback fake speaking the
Converse wire protocol (tests/fake_bedrock.py): retries, budgets, errors, credentials."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import numbered_paper as paper
from fake_bedrock import GOOD, FakeBedrock, Reply, tool_answer

import paperfeed.archive.codec as archive
from paperfeed.errors import TranslateConfigError
from paperfeed.models import Paper, Translation
from paperfeed.text import FORBIDDEN as _FORBIDDEN
from paperfeed.translate import answer, identity
from paperfeed.translate.batch import translate_papers
from paperfeed.translate.bedrock import Translator
from paperfeed.translate.identity import is_current, source_hash
from paperfeed.translate.settings import DEFAULT_MODEL


def translator(model: str = DEFAULT_MODEL, attempts: int = 1) -> Translator:
    # One attempt by default: botocore's backoff sleeps are not what these tests measure.
    return Translator("ko", model, retry_mode="standard", max_attempts=attempts)


def run_times(t: Translator, papers: list[Paper], runs: int, budget: int = 30):
    """Several scheduled runs, each storing what it translated, as the archive would."""
    stored: dict[str, Translation] = {}
    results = []
    for _ in range(runs):
        result = translate_papers(t, papers, stored, budget)
        stored.update(result.translations)
        results.append(result)
    return stored, results



# --- through the fake --------------------------------------------------------------------

def test_one_call_per_paper_across_three_runs(bedrock: FakeBedrock) -> None:
    papers = [paper(n) for n in range(1, 5)]
    stored, results = run_times(translator(), papers, runs=3)
    assert len(bedrock.requests) == len(papers)
    assert [r.translated for r in results] == [4, 0, 0]
    assert [r.current for r in results] == [0, 4, 4]
    assert all(r.model_id == DEFAULT_MODEL for r in bedrock.requests)
    t = stored[papers[0].arxiv_id]
    assert t.abstract == "[ko] " + papers[0].abstract
    assert t.summary == "요약: " + papers[0].title
    assert t.key_points == ("핵심 1", "핵심 2", "핵심 3")
    assert is_current(t, papers[0], "ko", DEFAULT_MODEL)
    assert t.translated_at is None  # no `now` given
    first = results[0]
    assert (first.calls, first.input_tokens, first.output_tokens) == (4, 3600, 2800)
    assert first.metrics()["PapersTranslated"] == 4 and first.failures == 0


def test_the_budget_holds_highest_ranked_first(bedrock: FakeBedrock) -> None:
    papers = [paper(n) for n in range(1, 6)]  # already in rank order
    _, results = run_times(translator(), papers, runs=4, budget=2)
    assert [sorted(r.translations) for r in results] == [
        ["2608.00001", "2608.00002"], ["2608.00003", "2608.00004"], ["2608.00005"], [],
    ]
    assert [r.deferred for r in results] == [3, 1, 0, 0]
    assert len(bedrock.requests) == 5
    assert bedrock.abstracts() == [p.abstract for p in papers]


def test_a_malformed_answer_is_retried_once_then_falls_back(bedrock: FakeBedrock) -> None:
    bedrock.script("malformed", "malformed")
    papers = [paper(1)]
    stored, results = run_times(translator(), papers, runs=2)
    first, second = results
    assert first.translations == {} and first.failures == 1 and first.calls == 2
    assert first.errors == [("2608.00001", "malformed: summary is not a string "
                                           "(twice; showing the original)")]
    # The retry was a different request: it says why and may write more.
    retry = bedrock.requests[1].body
    assert "could not be used" in retry["system"][0]["text"]
    # Tried again next run, and stored then.
    assert second.translated == 1 and second.calls == 1
    assert "2608.00001" in stored and len(bedrock.requests) == 3


@pytest.mark.parametrize("kind", ["max_tokens", "content_filtered", "text_only", "wrong_tool",
                                  "missing", "model_error"])
def test_a_bad_first_answer_is_rescued_by_the_retry(bedrock: FakeBedrock, kind: str) -> None:
    bedrock.script(kind)
    result = translate_papers(translator(), [paper(1)], {})
    assert result.translated == 1 and result.calls == 2 and result.failures == 0


def test_a_model_error_twice_is_a_fallback(bedrock: FakeBedrock) -> None:
    bedrock.script("model_error", "model_error")
    result = translate_papers(translator(), [paper(1), paper(2)], {})
    assert result.errors == [("2608.00001", "malformed: the model's tool call was rejected "
                                            "(twice; showing the original)")]
    assert sorted(result.translations) == ["2608.00002"] and result.calls == 3


def test_a_throttled_call_does_not_fail_the_run(bedrock: FakeBedrock) -> None:
    bedrock.script("throttle")
    papers = [paper(n) for n in range(1, 4)]
    stored, (first, second) = run_times(translator(attempts=1), papers, runs=2)
    assert first.translations == {} and first.failures == 1
    assert first.errors[0][1].startswith("Bedrock ThrottlingException (HTTP 429)")
    assert first.stopped.startswith("stopped after Bedrock ThrottlingException")
    assert first.deferred == 2  # no point calling again this run: the rest wait
    assert second.translated == 3 and sorted(stored) == [p.arxiv_id for p in papers]


def test_throttling_is_retried_by_botocore_first(bedrock: FakeBedrock) -> None:
    bedrock.script("throttle")
    result = translate_papers(translator(attempts=2), [paper(1)], {})
    assert result.translated == 1 and result.calls == 1  # one call of ours...
    assert len(bedrock.requests) == 2  # ...two HTTP attempts by botocore
    assert bedrock.requests[1].headers.get("amz-sdk-request", "").startswith("ttl=")


@pytest.mark.parametrize("kind", ["access_denied", "not_found"])
def test_a_setup_error_stops_after_one_paper(bedrock: FakeBedrock, kind: str) -> None:
    bedrock.behaviour.default = kind
    result = translate_papers(translator(), [paper(n) for n in range(1, 6)], {})
    assert len(bedrock.requests) == 1
    assert result.failures == 1 and result.deferred == 4 and result.translations == {}


def test_paper_level_errors_skip_the_paper_until_too_many_in_a_row(
    bedrock: FakeBedrock,
) -> None:
    bedrock.script("server_error", "ok", "server_error", "server_error", "server_error")
    papers = [paper(n) for n in range(1, 8)]
    result = translate_papers(translator(), papers, {})
    assert sorted(result.translations) == ["2608.00002"]
    assert result.failures == 4
    assert result.stopped == "stopped after 3 failures in a row"
    assert result.deferred == 2


def test_an_unreachable_endpoint_is_an_error_not_an_exception(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeBedrock()
    url = fake.url
    fake.server.server_close()  # the port is closed: connection refused
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    result = translate_papers(translator(), [paper(1), paper(2)], {})
    assert result.failures == 1 and result.deferred == 1
    assert result.errors[0][1].startswith("Bedrock unreachable")


def test_a_read_timeout_is_a_paper_failure(bedrock: FakeBedrock) -> None:
    bedrock.behaviour.delay = 1.0
    t = Translator("ko", retry_mode="standard", max_attempts=1, read_timeout=0.2)
    result = translate_papers(t, [paper(1)], {})
    assert result.failures == 1 and result.errors[0][1].startswith("Bedrock timed out")


def test_a_changed_abstract_is_translated_again(bedrock: FakeBedrock) -> None:
    t = translator()
    p = paper(1)
    stored = translate_papers(t, [p], {}).translations
    changed = replace(p, abstract=p.abstract + " We also release code.")
    again = translate_papers(t, [changed], stored)
    assert again.translated == 1 and len(bedrock.requests) == 2
    new = again.translations[p.arxiv_id]
    assert new.source_hash == source_hash(changed) != stored[p.arxiv_id].source_hash
    assert new.abstract.endswith("We also release code.")
    # Counts moving (upvotes) do not.
    assert translate_papers(t, [replace(changed, upvotes=500)], again.translations).calls == 0


def test_a_new_prompt_version_or_model_is_translated_again(
    bedrock: FakeBedrock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = paper(1)
    stored = translate_papers(translator(), [p], {}).translations
    assert translate_papers(translator(), [p], stored).calls == 0
    other = "anthropic.claude-3-haiku-20240307-v1:0"
    by_other = translate_papers(translator(other), [p], stored)
    assert by_other.translated == 1 and bedrock.requests[-1].model_id == other
    assert by_other.translations[p.arxiv_id].model == other
    monkeypatch.setattr(identity, "PROMPT_VERSION", "2")
    bumped = translate_papers(translator(), [p], stored)
    assert bumped.translated == 1 and bumped.translations[p.arxiv_id].prompt_version == "2"
    assert len(bedrock.requests) == 3


def test_hostile_model_text_comes_back_capped_and_inert(bedrock: FakeBedrock) -> None:
    bedrock.script("hostile")
    t = translate_papers(translator(), [paper(1)], {}).translations["2608.00001"]
    assert len(t.summary) <= answer.MAX_SUMMARY and len(t.abstract) <= answer.MAX_ABSTRACT
    assert all(len(p) <= answer.MAX_POINT for p in t.key_points)
    for text in (t.summary, t.abstract, *t.key_points):
        assert not _FORBIDDEN.search(text)
    stored = json.loads(json.dumps(archive.translation_to_dict(t)))
    assert archive.translation_from_dict(stored) == t


def test_papers_without_abstract_or_seen_twice_cost_nothing(bedrock: FakeBedrock) -> None:
    papers = [paper(1, abstract=""), paper(2), paper(2)]
    result = translate_papers(translator(), papers, {})
    assert result.translated == 1 and len(bedrock.requests) == 1


def test_no_paper_is_started_after_the_deadline(bedrock: FakeBedrock) -> None:
    ticks = iter([0.0, 5.0, 11.0, 12.0])
    result = translate_papers(translator(), [paper(n) for n in range(1, 5)], {},
                              deadline=10.0, clock=lambda: next(ticks))
    assert result.translated == 2 and result.deferred == 2
    assert result.stopped == "out of time for this run"


def test_translations_are_stamped_with_the_run_time(bedrock: FakeBedrock) -> None:
    now = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
    result = translate_papers(translator(), [paper(1)], {}, now=now)
    assert result.translations["2608.00001"].translated_at == now


def test_a_budget_of_zero_calls_nothing(bedrock: FakeBedrock) -> None:
    result = translate_papers(translator(), [paper(1)], {}, budget=0)
    assert result.calls == 0 and result.deferred == 1 and not bedrock.requests


def test_a_scripted_reply_can_be_any_answer(bedrock: FakeBedrock) -> None:
    bedrock.script(lambda request: Reply(200, tool_answer({**GOOD, "summary": request.model_id})))
    result = translate_papers(translator(), [paper(1)], {})
    assert result.translations["2608.00001"].summary == DEFAULT_MODEL


# --- credentials -------------------------------------------------------------------------

def test_no_credentials_is_one_clear_error_at_start(no_aws_files: None) -> None:
    fake = FakeBedrock().start()
    try:
        with pytest.raises(TranslateConfigError, match="no AWS credentials were found"):
            translator().check_credentials()
        assert fake.requests == []
    finally:
        fake.stop()


def test_no_region_is_one_clear_error_at_start(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with pytest.raises(TranslateConfigError, match="no AWS region"):
        translator().check_credentials()


def test_lambda_style_aws_region_is_enough(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    t = translator()
    t.check_credentials()
    assert t.client().meta.region_name == "eu-west-1"


def test_credentials_from_the_environment_or_a_bedrock_api_key_pass(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each passes the check and leaves a Bedrock client ready, in the configured region.
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "api-key")
    with_key = translator()
    with_key.check_credentials()
    assert with_key.client().meta.service_model.service_name == "bedrock-runtime"
    assert with_key.client().meta.region_name == with_key._boto_session().region_name  # noqa: SLF001
    monkeypatch.delenv("AWS_BEARER_TOKEN_BEDROCK")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    signed = translator()
    signed.check_credentials()
    credentials = signed._boto_session().get_credentials()  # noqa: SLF001
    assert credentials is not None and credentials.access_key == "testing"
    assert signed.client().meta.service_model.service_name == "bedrock-runtime"


def test_a_broken_profile_is_one_clear_error(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile broken]\ncredential_process = /nonexistent/helper\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "broken")
    with pytest.raises(TranslateConfigError, match="cannot be loaded"):
        translator().check_credentials()


def test_an_injected_client_needs_no_credentials(no_aws_files: None) -> None:
    class Client:
        def converse(self, **request: object) -> dict:
            return tool_answer(GOOD)

    t = Translator("ko", client=Client())
    t.check_credentials()
    assert t.translate(paper(1)).translation is not None


def test_missing_boto3_is_one_clear_error(
    no_aws_files: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 -> ImportError
    with pytest.raises(TranslateConfigError, match="needs boto3"):
        translator().check_credentials()
