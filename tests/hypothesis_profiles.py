"""Hypothesis profiles for the property tests; import this module before using `@given`.

HYPOTHESIS_PROFILE picks one:
- "default" (what `make test` runs): 60 examples per test, a few seconds each. Under CI=true
  it is derandomized, so a submission is never failed by an input no one has seen before;
  locally every run draws new inputs, and failing ones are kept in .hypothesis/ (which
  gitignores itself) to be replayed first next time.
- "deep": 10,000 examples per test, for a fuzzing session by hand (about an hour):
      HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest -q -p no:logging tests/unit/test_fuzz.py \
          --hypothesis-show-statistics
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Rendering a whole site per example is slow by hypothesis' standards, and huge strings make
# large examples on purpose.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
_CI = os.environ.get("CI") == "true"

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    derandomize=_CI,
    # derandomize excludes a database: nothing to replay when every run draws the same.
    **({"database": None} if _CI else {}),
    print_blob=True,
)
settings.register_profile(
    "deep",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)
