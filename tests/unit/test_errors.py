"""One root for every error paperfeed raises on purpose, drawn in its module docstring."""

from __future__ import annotations

import inspect
import re

from paperfeed import errors
from paperfeed.config import ConfigError, TranslateConfigError
from paperfeed.errors import ArchiveError, ConflictError, ParseError, StoreError
from paperfeed.fetch.hf import FetchError
from paperfeed.publish.cdn import InvalidationError


def test_every_error_class_is_under_the_root_and_in_the_drawn_tree() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)
               if c.__module__ == errors.__name__]
    assert len(classes) == 12
    for cls in classes:
        assert issubclass(cls, errors.PaperfeedError), cls
        assert re.search(rf"^\s*(├── |└── |│    └── |│    ├── )?{cls.__name__}\b",
                         errors.__doc__ or "", re.M), f"{cls.__name__} is not drawn"


def test_the_modules_raise_the_classes_of_the_tree() -> None:
    # Where the stages raise them, they are the same classes: one `except` catches them all.
    for cls in (ArchiveError, InvalidationError, ConfigError, FetchError, ParseError,
                ConflictError, StoreError, TranslateConfigError):
        assert cls is getattr(errors, cls.__name__)
        assert issubclass(cls, errors.PaperfeedError)
    assert issubclass(ParseError, ValueError) and issubclass(StoreError, RuntimeError)
    assert issubclass(TranslateConfigError, ConfigError)
