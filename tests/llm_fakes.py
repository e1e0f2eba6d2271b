"""Helpers for tests that talk to a mocked OpenAI-compatible endpoint (respx, no network)."""

from __future__ import annotations

import json
from typing import Any

import httpx

SENTINEL_KEY = "sk-test-SENTINEL-4f9c2b7e1d"
BASE_URL = "https://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"


def completion(
    content: str | dict[str, Any] | None,
    finish: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 1200,
    completion_tokens: int = 150,
) -> dict[str, Any]:
    if isinstance(content, dict):
        content = json.dumps(content)
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def ok(content: str | dict[str, Any] | None, **kw: Any) -> httpx.Response:
    return httpx.Response(200, json=completion(content, **kw))


def error(status: int, message: str = "boom", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": message, "type": "test"}}, headers=headers or {})


def body(call: Any) -> dict[str, Any]:
    """The JSON body of a recorded respx call."""
    return json.loads(call.request.content)


def critique_answer(
    *findings: dict[str, Any],
    strengths: list[str] | None = None,
    decisions: list[dict[str, Any]] | None = None,
    verdict: str = "Ask one specific question instead of a general chat.",
) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "decisions": decisions or [],
        "findings": list(findings),
        "strengths": strengths or ["clear subject line"],
    }


def decision(code: str, verdict: str, quote: str | None = None, reason: str = "As the draft shows.") -> dict[str, Any]:
    return {"code": code, "verdict": verdict, "quote": quote, "reason": reason}


def mentor(
    quote: str, severity: str = "warning", family: str | None = "ASK", problem: str = "The ask is vague."
) -> dict:
    return {
        "quote": quote,
        "severity": severity,
        "problem": problem,
        "suggestion": "Name one question.",
        "family": family,
    }


def by_schema(rewrites: list[dict[str, Any]] | None = None, critique: dict[str, Any] | None = None) -> Any:
    """A respx side effect that answers each request by the schema it asks for: the critique
    (``CritiqueAnswer``, the adjudication a rewrite starts from) with ``critique``, and the
    rewrites (``RewriteAnswer``) with ``rewrites`` in turn (the last one repeats)."""
    queue = list(rewrites or [])

    def answer(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        name = (sent.get("response_format") or {}).get("json_schema", {}).get("name")
        if name == "CritiqueAnswer":
            return ok(critique or critique_answer())
        content = queue.pop(0) if len(queue) > 1 else queue[0]
        return ok(content)

    return answer


def rewrite_calls(route: Any) -> list[Any]:
    """The recorded calls that asked for a rewrite (not the critique that precedes it)."""
    return [c for c in route.calls if body(c)["response_format"]["json_schema"]["name"] == "RewriteAnswer"]
