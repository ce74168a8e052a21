"""`paperfeed restore --to TIME`: the shell around `publish/restore.py`'s plan.

List the bucket's versions, plan (pure), then, unless a dry run: copy each rolled-back
version over its key (feeds first, then the pages), hide the new keys if asked, and
invalidate what changed in CloudFront when DISTRIBUTION_ID is set (`publish/cdn.py`).
An operator command, run with the operator's credentials: the function's role has neither
s3:ListBucketVersions nor s3:DeleteObject, on purpose.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..errors import ConfigError, InvalidationError, StoreError
from ..publish.cdn import invalidate
from ..publish.restore import RestorePlan, plan_restore
from ..publish.stores.s3 import S3Store
from ..text import iso_utc

NEXT_RUN = ("the next run re-renders every published object from the archive with the "
            "deployed code: pause the schedule until the cause is fixed if it would publish "
            "the same again")


def _version(plan: RestorePlan) -> str:
    """What this restore writes, for CloudFront's CallerReference: a retry reuses it."""
    steps = [f"{r.key}@{r.to_version}" for r in plan.rollbacks] + [f"-{k}" for k in plan.deletes]
    return hashlib.sha256("\n".join(steps).encode()).hexdigest()


def restore_bucket(store: S3Store, to: datetime, *, prefix: str = "", dry_run: bool = False,
            delete_new: bool = False, distribution_id: str = "",
            cdn_client: object | None = None) -> dict[str, object]:
    """Plan and (unless `dry_run`) apply; the summary's `status` is ok, partial (published
    but the invalidation failed) or failed (a store error, `error` says which key).
    ConfigError when the bucket keeps no versions or nothing in it existed at `to`."""
    if not store.versioned():
        raise ConfigError(f"bucket {store.bucket} does not have versioning enabled: "
                          "there are no versions to restore from")
    plan = plan_restore(store.versions(prefix), to, delete_new=delete_new)
    if not plan.existed:
        raise ConfigError(f"nothing in s3://{store.bucket}/{prefix} existed at {iso_utc(to)}")
    summary: dict[str, object] = {"status": "ok", "bucket": store.bucket, "prefix": prefix,
                                  "dry_run": dry_run, **plan.as_dict(), "written": [],
                                  "invalidation": "", "error": ""}
    if dry_run:
        return summary
    written: list[str] = []
    summary["written"] = written
    try:
        for step in plan.rollbacks:
            store.restore_version(step.key, step.to_version)
            written.append(step.key)
        for key in plan.deletes:
            store.hide(key)
            written.append(key)
    except StoreError as exc:
        summary.update(status="failed", error=str(exc))
    if written and distribution_id:
        try:
            summary["invalidation"] = invalidate(distribution_id, written, _version(plan),
                                                 client=cdn_client)
        except InvalidationError as exc:
            if summary["status"] == "ok":
                summary.update(status="partial", error=str(exc))
    return summary
