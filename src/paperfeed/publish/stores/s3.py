"""The S3 store: a bucket, or anything speaking S3 (moto's server via AWS_ENDPOINT_URL)."""

from __future__ import annotations

from ...aws import error_code
from ...errors import ConflictError, StoreError


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
