"""The one reading of an AWS SDK error that several shells need. Imports no SDK."""

from __future__ import annotations

from collections.abc import Mapping


def error_code(exc: BaseException) -> str:
    """botocore's ClientError code ("NoSuchKey", "ThrottlingException"), or "" for any other
    exception: read from the `response` it carries, so callers need not import botocore."""
    response = getattr(exc, "response", None)
    error = response.get("Error") if isinstance(response, Mapping) else None
    return str(error.get("Code") or "") if isinstance(error, Mapping) else ""
