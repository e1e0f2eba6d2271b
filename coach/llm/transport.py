"""One structured request to an OpenAI-compatible endpoint, done carefully.

- Retries live here, in tenacity, and only here: the SDK's own retries are off
  (``max_retries=0``), so attempts never multiply. Transport errors, timeouts,
  429 and 5xx are retried with exponential backoff and jitter, honouring
  Retry-After, within a bound on attempts and on total time.
- 401/403 fail at once with a message that says how to fix it; the key is never
  shown (see :func:`coach.llm.settings.redact`).
- Structured output: JSON schema first; when a server rejects that (llama.cpp's
  server does), ``json_object`` with the schema, then plain JSON by instruction,
  and the working mode is remembered for the rest of the run.
- Every answer is validated with pydantic; invalid output is re-asked with the
  validation error (at most twice); a refusal or a truncated answer is a typed
  outcome (:class:`LLMRefusal`, :class:`LLMTruncated`), never a crash.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import json
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base

from coach.errors import GarbledResponse, LLMAuthError, LLMOutputError, LLMRefusal, LLMTruncated, LLMUnavailable
from coach.llm import cache
from coach.llm.models import strict_schema
from coach.llm.settings import LOCAL_PLACEHOLDER_KEY, LLMSettings, redact

T = TypeVar("T", bound=BaseModel)
JSON_MODES = ("json_schema", "json_object", "none")
MAX_REASKS = 2


@dataclass
class Usage:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_answers: int = 0

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_answers += other.cached_answers

    def as_dict(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cached_answers": self.cached_answers,
        }


@dataclass
class _Attempts:
    """What the retry loop saw, for the one-line explanation when it gives up."""

    count: int = 0
    last_error: str = ""
    waits: list[float] = field(default_factory=list)


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's Retry-After (seconds, milliseconds or an HTTP date), if it sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


def is_transient(exc: BaseException) -> bool:
    """Worth another attempt: the network, a timeout, rate limiting or a server error."""
    if isinstance(exc, openai.APIConnectionError | GarbledResponse):  # includes timeouts
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def _rejects_json_mode(exc: openai.APIStatusError) -> bool:
    """Does this error say the server cannot do the structured-output mode we asked for?"""
    if exc.status_code in (400, 422, 501):
        return True
    if exc.status_code >= 500:
        text = f"{exc.message} {getattr(exc, 'body', '')}".lower()
        return any(word in text for word in ("response_format", "json_schema", "schema", "grammar", "json"))
    return False


def extract_json(content: str) -> str:
    """The JSON object in a reply, without code fences or chatter around it."""
    text = content.strip()
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


def parse_answer(content: str, answer: type[T]) -> T:
    """Validate a reply. Small local models often put raw line breaks inside JSON strings,
    which strict JSON forbids; such a reply is read leniently before it is judged invalid."""
    text = extract_json(content)
    try:
        return answer.model_validate_json(text)
    except ValidationError as strict_error:
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            raise strict_error from None
        return answer.model_validate(data)


def _validation_summary(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:4]:
        where = ".".join(str(p) for p in error["loc"]) or "answer"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _clock() -> float:
    return time.monotonic()


@functools.cache
def _certificates() -> ssl.SSLContext:
    """The TLS settings every client of the process shares, built as httpx builds its default
    (certifi's store, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``). httpx would otherwise load the
    certificate store again for each client, about 35 ms every time."""
    return httpx.create_ssl_context()


class HttpClient(openai.DefaultHttpxClient):
    """The SDK's default HTTP client (its timeouts, limits and redirects) on the shared TLS
    settings; closed when dropped, as the SDK's own is."""

    def __init__(self) -> None:
        super().__init__(verify=_certificates())

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class ChatClient:
    """A small client for structured answers; one instance per run remembers the JSON mode."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.settings = settings
        self.json_mode = JSON_MODES[0]
        self.usage = Usage()  # the whole run's; each ask() also fills its caller's own
        self._lock = threading.Lock()
        self._paused_until = 0.0  # a 429 slows every thread of the run, not just the one that got it
        self._sleep = sleep or (lambda seconds: _sleep(seconds))
        self._clock = clock or (lambda: _clock())
        self._client = openai.OpenAI(
            api_key=settings.api_key or LOCAL_PLACEHOLDER_KEY,
            base_url=settings.base_url,
            max_retries=0,  # retries are ours (tenacity), never multiplied by the SDK's
            timeout=settings.timeout,
            http_client=HttpClient(),
        )

    # -- public -----------------------------------------------------------------

    def ask(
        self,
        messages: list[dict[str, str]],
        answer: type[T],
        max_tokens: int | None = None,
        usage: Usage | None = None,
    ) -> T:
        """Send ``messages`` and return a validated ``answer``, or raise an :class:`LLMError`.

        ``usage`` receives this call's requests and tokens (the client's total gets them too),
        so concurrent callers each know their own cost. Safe to call from several threads."""
        call = Usage()
        try:
            return self._ask(messages, answer, max_tokens, call)
        finally:
            with self._lock:
                self.usage.add(call)
            if usage is not None:
                usage.add(call)

    def _ask(self, messages: list[dict[str, str]], answer: type[T], max_tokens: int | None, call: Usage) -> T:
        budget = max_tokens or self.settings.max_tokens
        key = self._cache_key(messages, answer, budget)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                try:
                    value = answer.model_validate_json(hit["content"])
                except (ValidationError, KeyError, TypeError):
                    value = None
                if value is not None:
                    call.cached_answers += 1
                    return value
        conversation = list(messages)
        longer_once = False
        reasks = 0
        while True:
            completion = self._complete(conversation, answer, budget, call)
            choice = completion.choices[0]
            message = choice.message
            if getattr(message, "refusal", None) or choice.finish_reason == "content_filter":
                raise LLMRefusal("the model declined to answer", "coach shows the rule engine's report instead")
            if choice.finish_reason == "length":
                if longer_once:
                    raise LLMTruncated(
                        f"the model's answer was cut off at {budget} tokens twice", "raise [llm] max_tokens"
                    )
                longer_once, budget = True, budget * 2
                continue
            content = message.content or ""
            try:
                value = parse_answer(content, answer)
            except ValidationError as exc:
                if reasks >= MAX_REASKS:
                    raise LLMOutputError(
                        f"the model's answer never matched the expected shape ({_validation_summary(exc)})",
                        "try another model",
                    ) from None
                reasks += 1
                conversation += [
                    {"role": "assistant", "content": content[:4000]},
                    {
                        "role": "user",
                        "content": "That answer is not valid JSON for the required schema: "
                        f"{_validation_summary(exc)}. Reply again with only the corrected JSON object.",
                    },
                ]
                continue
            if key is not None:
                cache.put(key, {"content": value.model_dump_json(), "model": self.settings.model})
            return value

    # -- internals --------------------------------------------------------------

    def _cache_key(self, messages: list[dict[str, str]], answer: type[BaseModel], budget: int) -> str | None:
        if not self.settings.cache:
            return None
        return cache.cache_key(
            endpoint=self.settings.endpoint,
            model=self.settings.model,
            messages=messages,
            schema=strict_schema(answer),
            temperature=self.settings.temperature,
            max_tokens=budget,
        )

    def _pause_all(self, seconds: float) -> None:
        """The server asked us to slow down: every thread waits, not only this one."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _wait_for_pause(self) -> None:
        with self._lock:
            delay = self._paused_until - self._clock()
        if delay > 0:
            self._sleep(delay)

    def request_body(self, messages: list[dict[str, str]], answer: type[BaseModel], budget: int) -> dict[str, Any]:
        """The chat-completions request for ``messages`` (also what a Batch API line carries)."""
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": budget,
        }
        response_format = self._response_format(answer)
        if response_format is not None:
            body["response_format"] = response_format
        return body

    def _response_format(self, answer: type[BaseModel]) -> dict[str, Any] | None:
        schema = strict_schema(answer)
        if self.json_mode == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": answer.__name__, "schema": schema, "strict": True}}
        if self.json_mode == "json_object":
            return {"type": "json_object", "schema": schema}
        return None

    def _complete(self, messages: list[dict[str, str]], answer: type[BaseModel], budget: int, call: Usage) -> Any:
        """One logical request: retried on transient failures, switching JSON mode if refused."""
        settings = self.settings
        deadline = self._clock() + settings.max_seconds
        attempts = _Attempts()

        def one_attempt() -> Any:
            while True:
                attempts.count += 1
                self._wait_for_pause()
                call.requests += 1
                body = self.request_body(messages, answer, budget)
                # The configured timeout, cut to what is left of the budget but never below half a second.
                timeout = min(settings.timeout, max(0.5, deadline - self._clock()))
                try:
                    # The SDK's documented low-level call: the same request, errors and parsing as
                    # chat.completions.create, without importing every resource module (~0.3 s).
                    completion = self._client.post(
                        "/chat/completions", body=body, cast_to=ChatCompletion, options={"timeout": timeout}
                    )
                except openai.APIStatusError as exc:
                    if self.json_mode != "none" and _rejects_json_mode(exc):
                        self.json_mode = JSON_MODES[JSON_MODES.index(self.json_mode) + 1]
                        continue  # same attempt, a format the server accepts
                    raise
                except (ValueError, openai.APIResponseValidationError) as exc:
                    raise GarbledResponse(f"the answer was not valid JSON ({type(exc).__name__})") from None
                usage = getattr(completion, "usage", None)
                if usage is not None:
                    call.prompt_tokens += usage.prompt_tokens or 0
                    call.completion_tokens += usage.completion_tokens or 0
                if not getattr(completion, "choices", None):
                    raise LLMOutputError("the endpoint answered without any choices", "check the server")
                return completion

        def wait(state: RetryCallState) -> float:
            remaining = max(0.0, deadline - self._clock())
            exc = state.outcome.exception() if state.outcome else None
            asked = retry_after_seconds(exc) if exc else None
            if asked is not None:
                # Honour Retry-After for the whole run: the next attempt of every thread waits
                # (see _wait_for_pause), this one included.
                self._pause_all(min(asked, remaining))
                attempts.waits.append(min(asked, remaining))
                return 0.0
            seconds = min(random.uniform(0, min(8.0, 0.5 * 2 ** (state.attempt_number - 1))), remaining)
            attempts.waits.append(seconds)
            return seconds

        clock = self._clock

        class OutOfTime(stop_base):
            """Stop when the next wait (Retry-After, or a minimal back-off) would pass the deadline."""

            def __call__(self, state: RetryCallState) -> bool:
                exc = state.outcome.exception() if state.outcome else None
                asked = retry_after_seconds(exc) if exc else None
                needed = asked if asked is not None else 0.05
                return clock() + needed >= deadline

        def remember(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            attempts.last_error = _describe(exc, settings.api_key)

        retrying = Retrying(
            retry=retry_if_exception(is_transient),
            stop=stop_after_attempt(settings.max_attempts) | OutOfTime(),
            wait=wait,
            sleep=self._sleep,
            before_sleep=remember,
            reraise=True,
        )
        try:
            return retrying(one_attempt)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise LLMAuthError(
                f"{settings.endpoint} refused the credentials ({exc.status_code})",
                "check OPENAI_API_KEY, or unset it for a local server that needs none",
            ) from None
        except openai.NotFoundError:
            raise LLMUnavailable(
                f"model {settings.model!r} was not found at {settings.endpoint}", "check --model or COACH_MODEL"
            ) from None
        except (openai.APIStatusError, openai.APIConnectionError, GarbledResponse) as exc:
            if is_transient(exc):
                raise LLMUnavailable(
                    f"no answer from {settings.endpoint} after {attempts.count} attempts "
                    f"({_describe(exc, settings.api_key)})",
                    "coach uses the rule engine alone; try again later or check the server",
                ) from None
            raise LLMUnavailable(
                f"{settings.endpoint} rejected the request ({_describe(exc, settings.api_key)})",
                "check the model and server",
            ) from None


def _describe(exc: BaseException | None, secret: str | None = None) -> str:
    """A short, key-free description of an SDK error."""
    if exc is None:
        return "unknown error"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    if isinstance(exc, openai.APIStatusError):
        detail = exc.message if isinstance(exc.message, str) else ""
        try:
            body = json.dumps(exc.body)[:200] if exc.body is not None else ""
        except (TypeError, ValueError):
            body = ""
        return redact(f"HTTP {exc.status_code}: {detail or body}"[:240], secret)
    return redact(f"{type(exc).__name__}: {exc}"[:240], secret)
