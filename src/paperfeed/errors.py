"""Every error a user of paperfeed can see, under one root.

    PaperfeedError
     ├── ConfigError            a setting that cannot be used (one-line message; exit 2)
     │    ├── TranslateConfigError   TRANSLATE_* set but translation cannot work
     │    └── FeedsFileError         a feed definitions file that cannot be used
     ├── FetchError             an HTTP request to Hugging Face failed for good
     ├── ParseError             a whole HF answer is unusable (not JSON, layout changed)
     ├── ArchiveError           a stored day document cannot be read back
     ├── StoreError             the folder or bucket failed (other than "not found")
     │    └── ConflictError     a conditional archive write found newer data
     ├── InvalidationError      CloudFront refused the invalidation (never fails a run)
     ├── SearchError            Pagefind could not build the search index (the published
     │                          one stays; never fails a run)
     └── RunFailed              the Lambda's run failed, raised for retries and the DLQ

Each keeps the builtin base it always had (ValueError for bad input, RuntimeError for
failures), so `except ValueError` around a parser still works. Pure: no imports.
"""

from __future__ import annotations


class PaperfeedError(Exception):
    """The root: `except PaperfeedError` catches every error paperfeed raises on purpose."""


class ConfigError(PaperfeedError, ValueError):
    """A setting that cannot be used; the message is one line for the user."""


class TranslateConfigError(ConfigError):
    """Translation was asked for but cannot work (no credentials, no region, bad code)."""


class FeedsFileError(ConfigError):
    """A feed definitions file (FEEDS_FILE) is unusable: the message names the file, the
    feed and the problem, and the run stops before fetching anything."""


class FetchError(PaperfeedError, RuntimeError):
    """A request that failed for good (after retries), with the reason in the message."""


class ParseError(PaperfeedError, ValueError):
    """The response as a whole is unusable (not JSON, wrong shape, layout changed)."""


class ArchiveError(PaperfeedError, ValueError):
    """A stored day document that cannot be read back."""


class StoreError(PaperfeedError, RuntimeError):
    """A storage failure other than "not found", with the key and the cause."""


class ConflictError(StoreError):
    """A conditional write found the object changed since it was read."""


class InvalidationError(PaperfeedError, RuntimeError):
    """CloudFront did not accept the invalidation; the objects are published all the same."""


class SearchError(PaperfeedError, RuntimeError):
    """The search index could not be built; the published one stays as it is."""


class RunFailed(PaperfeedError, RuntimeError):
    """Raised by the Lambda handler so Lambda counts an error, the schedule retries and the
    dead-letter queue sees it."""
