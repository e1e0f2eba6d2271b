"""Shared test helpers. Tests never touch the network and need no key."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test may read the developer's own config or keys."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(home)


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A configured model: the sentinel key (which must never show up anywhere) and a mocked endpoint."""
    from tests.llm_fakes import BASE_URL, SENTINEL_KEY

    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    monkeypatch.setenv("COACH_MODEL", "test-model")


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries sleep for real in production; in tests they only record how long they would wait."""
    from coach.llm import transport as client_module

    recorded: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", recorded.append)
    return recorded


@pytest.fixture
def hard_timeout():
    """A regex that backtracks catastrophically never returns: fail the test instead of hanging."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def give_up(signum, frame):
        raise TimeoutError("a check ran for more than 60 s: catastrophic backtracking?")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
