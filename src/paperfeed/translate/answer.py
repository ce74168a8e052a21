"""A Converse answer, checked by hand: the tool call, its three fields, the usage. Pure.

Model text is as untrusted as HF's: every field is stripped of characters XML forbids,
whitespace-collapsed and length-capped here; escaping it is the renderers' job."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..text import clean_text
from .prompt import KEY_POINTS, TOOL_NAME

# Longest text kept per field; beyond it the text is cut with a visible "…".
MAX_SUMMARY = 600
MAX_ABSTRACT = 6_000
MAX_POINT = 400

_STOP_REASONS = {
    "max_tokens": "truncated: the answer hit maxTokens",
    "model_context_window_exceeded": "truncated: the context window was exceeded",
    "content_filtered": "refused: content filtered",
    "guardrail_intervened": "refused: a guardrail intervened",
    "end_turn": "no tool call: the model answered in text",
    "stop_sequence": "no tool call: a stop sequence ended the answer",
    "malformed_model_output": "malformed: the model's output was malformed",
    "malformed_tool_use": "malformed: the model's tool call was malformed",
}


def translation_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """summary/abstract/key_points checked by hand (types, counts, non-empty) and cleaned."""
    summary = data.get("summary")
    abstract = data.get("abstract")
    points = data.get("key_points")
    if not isinstance(summary, str):
        return None, "malformed: summary is not a string"
    if not isinstance(abstract, str):
        return None, "malformed: abstract is not a string"
    if not isinstance(points, list | tuple):
        return None, "malformed: key_points is not a list"
    if len(points) != KEY_POINTS:
        return None, f"malformed: {len(points)} key points, not {KEY_POINTS}"
    if not all(isinstance(p, str) for p in points):
        return None, "malformed: a key point is not a string"
    out = {
        "summary": clean_text(summary, MAX_SUMMARY),
        "abstract": clean_text(abstract, MAX_ABSTRACT),
        "key_points": tuple(clean_text(p, MAX_POINT) for p in points),
    }
    if not out["summary"]:
        return None, "malformed: empty summary"
    if not out["abstract"]:
        return None, "malformed: empty abstract"
    if not all(out["key_points"]):
        return None, "malformed: an empty key point"
    return out, ""


def parse_response(response: Any) -> tuple[dict[str, Any] | None, str]:
    """A Converse response -> (cleaned fields, "") or (None, why it is unusable)."""
    if not isinstance(response, Mapping):
        return None, "malformed: the response is not an object"
    stop = response.get("stopReason")
    if stop != "tool_use":
        return None, _STOP_REASONS.get(str(stop), f"unexpected stopReason {stop!r}")
    output = response.get("output")
    message = output.get("message") if isinstance(output, Mapping) else None
    content = message.get("content") if isinstance(message, Mapping) else None
    if not isinstance(content, list):
        return None, "malformed: no output.message.content"
    calls = [
        b["toolUse"] for b in content
        if isinstance(b, Mapping) and isinstance(b.get("toolUse"), Mapping)
    ]  # text blocks (Nova's <thinking>) are ignored, never shown
    ours = [c for c in calls if c.get("name") == TOOL_NAME]
    if not ours:
        names = ", ".join(sorted({str(c.get("name")) for c in calls})) or "none"
        return None, f"no {TOOL_NAME} tool call (tool calls: {names})"
    data = ours[0].get("input")
    if isinstance(data, str):  # some models send the arguments as a JSON string
        try:
            data = json.loads(data)
        except ValueError:
            return None, "malformed: tool input is not JSON"
    if not isinstance(data, Mapping):
        return None, "malformed: tool input is not an object"
    return translation_fields(data)


def usage(response: Any) -> tuple[int, int]:
    """(input tokens, output tokens) as Bedrock billed them; (0, 0) when absent."""
    u = response.get("usage") if isinstance(response, Mapping) else None
    if not isinstance(u, Mapping):
        return 0, 0

    def count(key: str) -> int:
        value = u.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    return count("inputTokens"), count("outputTokens")
