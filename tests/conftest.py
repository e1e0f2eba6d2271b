"""Shared test helpers. Tests never touch the network and need no key."""

from __future__ import annotations

import pytest

from coach.engine import Options, critique_text
from coach.registry import Example, Rule


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


def run_example(rule: Rule, example: Example):
    """Critique an example with only ``rule`` selected, under the example's options."""
    options = Options(
        kind=example.kind,
        account=example.account,
        attempt=example.attempt,
        template=example.template,
        select=(rule.code,),
    )
    return critique_text(example.text, options)
