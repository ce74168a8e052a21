"""The Lambda entry point: config from env (+ event for backfills), `run`, a summary back."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

from ..config import load_config
from ..errors import RunFailed
from ..models import RunStatus

logger = Logger(service="paperfeed")
metrics = Metrics(namespace="Paperfeed", service="paperfeed")
# The core logs through stdlib loggers; give them the same structured JSON output.
copy_config_to_registered_loggers(source_logger=logger, include={"paperfeed"})


@metrics.log_metrics
@logger.inject_lambda_context(log_event=True)
def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    event = event if isinstance(event, dict) else {}
    config = load_config(os.environ, {"date": event.get("date"), "days": event.get("days")})
    # Imported here, not at module level: `run` pulls in requests, feedgen and lxml (~2/3 of
    # the handler's import time; see bench/), so the Lambda's init phase stays small.
    from ..run import run

    summary = run(config)
    metrics.add_metric("PapersFetched", MetricUnit.Count, summary.papers_fetched)
    metrics.add_metric("DaysFailed", MetricUnit.Count, len(summary.days_failed))
    metrics.add_metric("ObjectsWritten", MetricUnit.Count, len(summary.written))
    for name, value in summary.translation.items():  # only when TRANSLATE_TO is set
        metrics.add_metric(name, MetricUnit.Count, value)
    if summary.status is RunStatus.FAILED:
        raise RunFailed(summary.error)
    if summary.status is RunStatus.OK:
        metrics.add_metric("SuccessfulPublish", MetricUnit.Count, 1)
    logger.info("run finished", extra=summary.as_dict())
    return summary.as_dict()
