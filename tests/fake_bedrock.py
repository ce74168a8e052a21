"""A loopback Amazon Bedrock Runtime speaking the Converse wire protocol, with switches.

The wire format is botocore's service model for bedrock-runtime (rest-json):
`POST /model/{modelId}/converse` (the id URL-encoded) with a JSON body; a 200 JSON answer
`{"output": {"message": ...}, "stopReason": ..., "usage": ..., "metrics": ...}`; errors as
an HTTP status with the `x-amzn-ErrorType` header and `{"message": ...}` (throttling is 429
`ThrottlingException`). boto3 reaches it through AWS_ENDPOINT_URL_BEDROCK_RUNTIME.

Used by the tests (as a thread) and by hand for an offline run with TRANSLATE_TO set:
    python tests/fake_bedrock.py --port 8766
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:8766 AWS_ACCESS_KEY_ID=x \
    AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 TRANSLATE_TO=ko make run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from loopback import LoopbackServer

TOOL = "record_translation"
_PATH = re.compile(r"^/model/(?P<model>[^/]+)/converse$")
_ABSTRACT = re.compile(r"<abstract>(.*?)</abstract>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)

# Model text a renderer must keep inert: markup, script, Markdown/Liquid/Hugo syntax,
# javascript: links, control characters, and far more text than any field may hold.
HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> [click](javascript:alert(3)) "
    "{{ site.secret }} {% include evil.html %} {{< shortcode >}} ]]> &amp; \x00\x07\x1b[31m"
    " **bold** # heading\n---\n"
)


@dataclass
class Request:
    model_id: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def user_text(self) -> str:
        return self.body["messages"][0]["content"][0]["text"]

    @property
    def abstract(self) -> str:
        match = _ABSTRACT.search(self.user_text)
        return match.group(1) if match else ""


# A well-formed answer of the translation tool.
GOOD = {"summary": "요약.", "abstract": "초록.", "key_points": ["하나", "둘", "셋"]}


def tool_answer(payload: Any, stop: str = "tool_use", tokens: tuple[int, int] = (900, 700),
                name: str = TOOL, text: str = "<thinking>Translating.</thinking>") -> dict:
    content: list[dict[str, Any]] = [{"text": text}] if text else []
    content.append({"toolUse": {"toolUseId": "tooluse_1", "name": name, "input": payload}})
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop,
        "usage": {"inputTokens": tokens[0], "outputTokens": tokens[1],
                  "totalTokens": tokens[0] + tokens[1]},
        "metrics": {"latencyMs": 5},
    }


def default_translation(request: Request) -> dict[str, Any]:
    """A deterministic "translation" derived from the request, so tests can check it."""
    abstract = request.abstract
    title = (_TITLE.search(request.user_text) or [None, ""])[1]
    return {
        "summary": f"요약: {title[:80]}",
        "abstract": "[ko] " + abstract[:200],
        "key_points": ["핵심 1", "핵심 2", "핵심 3"],
    }


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    error_type: str = ""


def error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"message": message}, code)


def scripted(kind: str, request: Request) -> Reply:
    """One named behaviour, as Bedrock would answer it."""
    good = default_translation(request)
    if kind == "ok":
        return Reply(200, tool_answer(good))
    if kind == "malformed":  # two key points, summary not a string
        return Reply(200, tool_answer({"summary": 7, "abstract": "x", "key_points": ["a", "b"]}))
    if kind == "missing":
        return Reply(200, tool_answer({"summary": "s", "abstract": "a"}))
    if kind == "text_only":
        answer = tool_answer(good, stop="end_turn")
        answer["output"]["message"]["content"] = [{"text": "Here is the translation: ..."}]
        return Reply(200, answer)
    if kind == "max_tokens":
        return Reply(200, tool_answer({"summary": "요약"}, stop="max_tokens"))
    if kind == "content_filtered":
        return Reply(200, tool_answer({}, stop="content_filtered", text=""))
    if kind == "wrong_tool":
        return Reply(200, tool_answer(good, name="other_tool"))
    if kind == "hostile":
        return Reply(200, tool_answer({
            "summary": HOSTILE * 40,
            "abstract": HOSTILE * 400,
            "key_points": [HOSTILE, "<a href='javascript:alert(1)'>x</a>", "\x1b" + HOSTILE * 20],
        }))
    if kind == "throttle":
        return error(429, "ThrottlingException", "Too many requests, please wait.")
    if kind == "access_denied":
        return error(403, "AccessDeniedException", "You don't have access to the model.")
    if kind == "not_found":
        return error(404, "ResourceNotFoundException", "Model not found.")
    if kind == "server_error":
        return error(500, "InternalServerException", "Internal server error.")
    if kind == "model_error":
        return error(424, "ModelErrorException", "The model returned an error.")
    raise ValueError(f"unknown scripted behaviour {kind!r}")


@dataclass
class Behaviour:
    """A queue of scripted answers consumed one request at a time, then `default`."""

    queue: list[str | Callable[[Request], Reply]] = field(default_factory=list)
    default: str | Callable[[Request], Reply] = "ok"
    delay: float = 0.0  # seconds before answering (read timeouts)


class FakeBedrock(LoopbackServer):
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def script(self, *kinds: str | Callable[[Request], Reply]) -> None:
        with self._lock:
            self.behaviour.queue.extend(kinds)

    def abstracts(self) -> list[str]:
        return [r.abstract for r in self.requests]

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            kind = self.behaviour.queue.pop(0) if self.behaviour.queue else self.behaviour.default
        return kind(request) if callable(kind) else scripted(kind, request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                match = _PATH.match(self.path)
                if not match:
                    return self._send(error(404, "UnknownOperationException", self.path))
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(error(400, "ValidationException", "body is not JSON"))
                request = Request(unquote(match["model"]), body, dict(self.headers))
                reply = fake._next(request)
                if fake.behaviour.delay:
                    time.sleep(fake.behaviour.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                data = json.dumps(reply.body, ensure_ascii=False).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
                if reply.error_type:
                    self.send_header("x-amzn-ErrorType", f"{reply.error_type}:http://internal/")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # fails only when the client gave up (timeout)

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--default", default="ok", help="behaviour of every answer")
    args = parser.parse_args()
    fake = FakeBedrock()
    fake.server.server_close()
    fake.server = ThreadingHTTPServer(("127.0.0.1", args.port), fake._handler())
    fake.behaviour.default = args.default
    print(f"fake Bedrock on {fake.url} (default answer: {args.default})")
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
