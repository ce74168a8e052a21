"""The S3 store: a bucket, or anything speaking S3 (moto's server via AWS_ENDPOINT_URL)."""

from __future__ import annotations

from ...aws import error_code
from ...errors import ConflictError, StoreError
from ..restore import ObjectVersion


class S3Store:
    """An S3 bucket (or anything speaking S3: moto's server via AWS_ENDPOINT_URL)."""

    def __init__(self, bucket: str, client: object | None = None) -> None:
        self.bucket = bucket
        if client is None:
            import boto3  # only here: the folder mode must not pay for it
            from botocore.config import Config

            client = boto3.client(
                "s3", config=Config(retries={"mode": "standard", "max_attempts": 5})
            )
        self._s3 = client

    def _error(self, action: str, key: str, exc: Exception) -> StoreError:
        return StoreError(f"{action} s3://{self.bucket}/{key}: {exc}")

    def get(self, key: str) -> bytes | None:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=key)  # type: ignore[attr-defined]
            return response["Body"].read()
        except Exception as exc:  # botocore's errors are mapped here, in one place
            if error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise self._error("get", key, exc) from None

    def put(
        self, key: str, body: bytes, content_type: str, cache_control: str,
        expect: str | None = None,
    ) -> None:
        condition = {}
        if expect == "":
            condition = {"IfNoneMatch": "*"}
        elif expect:
            condition = {"IfMatch": f'"{expect}"'}
        try:
            self._s3.put_object(  # type: ignore[attr-defined]
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                CacheControl=cache_control,
                **condition,
            )
        except Exception as exc:
            if error_code(exc) in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise ConflictError(f"put s3://{self.bucket}/{key}: changed since read") from None
            raise self._error("put", key, exc) from None

    def digests(self) -> dict[str, str]:
        out: dict[str, str] = {}
        try:
            paginator = self._s3.get_paginator("list_objects_v2")  # type: ignore[attr-defined]
            for page in paginator.paginate(Bucket=self.bucket):
                for obj in page.get("Contents", []):
                    out[obj["Key"]] = obj["ETag"].strip('"')
        except Exception as exc:
            raise self._error("list", "", exc) from None
        return out

    # --- versions, for `paperfeed restore` (an operator's credentials: the function's role
    # lists no versions and deletes nothing) -------------------------------------------------
    def versioned(self) -> bool:
        """Whether versioning is on ("Enabled"): suspended, a copy or a delete would replace
        the "null" version, losing what it held."""
        try:
            answer = self._s3.get_bucket_versioning(Bucket=self.bucket)  # type: ignore[attr-defined]
        except Exception as exc:
            raise self._error("get versioning of", "", exc) from None
        return answer.get("Status") == "Enabled"

    def versions(self, prefix: str = "") -> list[ObjectVersion]:
        """Every version and delete marker under `prefix`, in S3's order (newest first)."""
        out: list[ObjectVersion] = []
        try:
            paginator = self._s3.get_paginator("list_object_versions")  # type: ignore[attr-defined]
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for v in page.get("Versions", []):
                    out.append(ObjectVersion(v["Key"], v["VersionId"], v["LastModified"],
                                             v["IsLatest"], False, v["ETag"].strip('"')))
                for m in page.get("DeleteMarkers", []):
                    out.append(ObjectVersion(m["Key"], m["VersionId"], m["LastModified"],
                                             m["IsLatest"], True))
        except Exception as exc:
            raise self._error("list versions of", prefix, exc) from None
        return out

    def restore_version(self, key: str, version_id: str) -> None:
        """Make `version_id` of `key` current again: a server-side copy of it over the key,
        with its metadata (Content-Type, Cache-Control) copied; the versions since stay."""
        try:
            self._s3.copy_object(  # type: ignore[attr-defined]
                Bucket=self.bucket, Key=key, MetadataDirective="COPY",
                CopySource={"Bucket": self.bucket, "Key": key, "VersionId": version_id},
            )
        except Exception as exc:
            raise self._error(f"restore version {version_id} of", key, exc) from None

    def hide(self, key: str) -> None:
        """Stop serving `key`: in a versioned bucket a delete marker, so no version is lost."""
        try:
            self._s3.delete_object(Bucket=self.bucket, Key=key)  # type: ignore[attr-defined]
        except Exception as exc:
            raise self._error("hide", key, exc) from None
