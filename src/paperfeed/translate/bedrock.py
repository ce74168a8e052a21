"""The Bedrock backend: Converse with a forced tool, through boto3 (imported here only).

Every SDK failure is mapped, in one place (`describe_error`), to an outcome naming the
reason; nothing here raises on a Bedrock failure, so translation never fails a run."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from ..aws import error_code
from ..errors import TranslateConfigError
from ..models import Paper, Translation
from ..text import clean_text
from . import identity
from .answer import parse_response, usage
from .backend import TranslateOutcome
from .prompt import build_request
from .settings import DEFAULT_MODEL

# Error codes after which every further call this run would fail the same way.
_STOP_CODES = frozenset({
    "ThrottlingException",  # still throttled after botocore's retries: wait for next run
    "ServiceQuotaExceededException",
    "AccessDeniedException",  # no model access / IAM: a setup problem, not a paper problem
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "ResourceNotFoundException",  # wrong model id for this region
    "ValidationException",  # the request shape is wrong for this model
    "ModelNotReadyException",
})


def describe_error(exc: Exception) -> tuple[str, bool]:
    """Any exception from boto3/botocore -> (one-line reason, stop the batch?). The one
    place SDK errors are mapped."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
        message = clean_text(str(error.get("Message") or ""), 200)
        return f"Bedrock {code} (HTTP {status}): {message}", code in _STOP_CODES
    if isinstance(exc, bx.NoCredentialsError | bx.NoRegionError | bx.PartialCredentialsError):
        return f"AWS setup: {exc}", True
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectTimeoutError):
        return f"Bedrock unreachable: {exc}", True
    if isinstance(exc, bx.ReadTimeoutError):
        return f"Bedrock timed out: {exc}", False
    return f"{exc.__class__.__name__}: {clean_text(str(exc), 300)}", False


class Translator:
    """Translates papers into one language with one model, through Bedrock's Converse."""

    def __init__(
        self,
        lang: str,
        model: str = DEFAULT_MODEL,
        client: Any = None,
        *,
        region: str | None = None,
        retry_mode: str = "adaptive",
        max_attempts: int = 4,
        connect_timeout: float = 5,
        read_timeout: float = 60,
    ) -> None:
        self.lang = lang
        self.model = model
        self.region = region
        self._client = client
        self._session: Any = None
        self._config = {
            # total_max_attempts counts the first try; botocore's "max_attempts" would not
            "retries": {"mode": retry_mode, "total_max_attempts": max_attempts},
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
        }

    def _boto_session(self) -> Any:
        if self._session is None:
            import boto3  # only when translation is on: the default run never loads it

            # A session of our own: the default one caches credentials across clients.
            session = boto3.session.Session(region_name=self.region)
            if not session.region_name and os.environ.get("AWS_REGION"):
                # botocore reads AWS_DEFAULT_REGION and profiles; Lambda also sets AWS_REGION
                session = boto3.session.Session(region_name=os.environ["AWS_REGION"])
            self._session = session
        return self._session

    def client(self) -> Any:
        if self._client is None:
            from botocore.config import Config

            from .. import __version__

            # Throttling (429) and 5xx are retried by botocore (adaptive mode also slows
            # the client down after a throttle); our own retry is for unusable answers.
            config = Config(user_agent_extra=f"paperfeed/{__version__}", **self._config)
            self._client = self._boto_session().client("bedrock-runtime", config=config)
        return self._client

    def check_credentials(self) -> None:
        """Raise one clear TranslateConfigError at start instead of a failure per paper."""
        if self._client is not None:
            return
        try:
            session = self._boto_session()
        except ImportError:
            raise TranslateConfigError(
                "TRANSLATE_TO needs boto3 (in the Lambda runtime; locally: pip install "
                "'paperfeed[s3]')"
            ) from None
        try:
            region = session.region_name
            # A Bedrock API key (bearer token) stands in for signed credentials.
            has_key = bool(os.environ.get("AWS_BEARER_TOKEN_BEDROCK"))
            credentials = None if has_key else session.get_credentials()
        except Exception as exc:  # a broken profile, an expired SSO token, a failing helper
            raise TranslateConfigError(
                f"TRANSLATE_TO is set but the AWS credentials cannot be loaded: "
                f"{exc.__class__.__name__}: {exc}"
            ) from None
        if not region:
            raise TranslateConfigError(
                "TRANSLATE_TO is set but no AWS region is configured (set AWS_REGION or "
                "AWS_DEFAULT_REGION to a region where the model is offered, e.g. us-east-1)"
            )
        if not has_key and credentials is None:
            raise TranslateConfigError(
                "TRANSLATE_TO is set but no AWS credentials were found (environment, "
                "AWS_PROFILE / ~/.aws, SSO, or the Lambda role); unset TRANSLATE_TO or "
                "configure credentials allowed bedrock:InvokeModel on the model"
            )
        self.client()

    def translate(self, paper: Paper, now: datetime | None = None) -> TranslateOutcome:
        """One paper: one call, a second only when the first answer is unusable. Never
        raises; a failure comes back as an outcome with the reason. `now` is stamped on the
        translation as `translated_at`."""
        calls = tokens_in = tokens_out = 0
        reason = ""
        for _attempt in range(2):
            request = build_request(paper, self.lang, self.model, retry_reason=reason)
            calls += 1
            try:
                response = self.client().converse(**request)
            except Exception as exc:  # mapped in one place; nothing escapes
                if error_code(exc) == "ModelErrorException":
                    # Nova reports an invalid tool call this way: an unusable answer.
                    reason = "malformed: the model's tool call was rejected"
                    continue
                error, stop = describe_error(exc)
                return TranslateOutcome(None, error, tokens_in, tokens_out, calls, stop)
            i, o = usage(response)
            tokens_in, tokens_out = tokens_in + i, tokens_out + o
            fields_, reason = parse_response(response)
            if fields_ is not None:
                t = Translation(
                    self.lang, self.model, identity.PROMPT_VERSION, identity.source_hash(paper),
                    translated_at=now, **fields_,
                )
                return TranslateOutcome(t, "", tokens_in, tokens_out, calls)
        error = f"{reason} (twice; showing the original)"
        return TranslateOutcome(None, error, tokens_in, tokens_out, calls)
