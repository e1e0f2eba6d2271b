"""Against a real local model (llama.cpp's server). Opt-in: run scripts/live-model.sh.

Skipped unless COACH_LIVE_BASE_URL points at a reachable OpenAI-compatible server. A small
base model writes poor, often truncated JSON and the server refuses json_schema: coach must
still finish with a result or a clean fallback to the rules, within its time bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("COACH_LIVE_BASE_URL", "")


def _reachable(url: str) -> bool:
    if not url:
        return False
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not _reachable(BASE_URL), reason="no live model server (set COACH_LIVE_BASE_URL)"),
]


def coach(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env.update(OPENAI_BASE_URL=BASE_URL, XDG_CACHE_HOME=str(tmp / "cache"))
    config = tmp / "live.toml"
    config.write_text("[llm]\ntimeout = 120\nmax_seconds = 300\nmax_tokens = 700\n")
    return subprocess.run(
        [sys.executable, "-m", "coach", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
        check=False,
    )


@pytest.mark.parametrize("example", ["cold-email/weak.txt", "intro-request/strong.txt"])
def test_critique_finishes_with_a_result_or_a_clean_fallback(example, tmp_path):
    proc = coach("critique", "--format", "json", str(ROOT / "examples" / example), tmp=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["mode"] in ("llm", "rules")
    if report["mode"] == "rules":
        assert any("could not be used" in n for n in report["notices"])
    text = (ROOT / "examples" / example).read_text(encoding="utf-8")
    for finding in report["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]  # grounded, always


def test_rewrite_finishes_and_invents_nothing(tmp_path):
    draft = ROOT / "examples" / "cold-email" / "weak.txt"
    proc = coach("rewrite", "--format", "json", str(draft), tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout)
    from coach.guard import unsupported_facts

    assert unsupported_facts(outcome["rewrite"], [draft.read_text(encoding="utf-8")]) == []


def test_demanding_the_live_model_never_hangs(tmp_path):
    proc = coach("critique", "--llm", "--format", "json", str(ROOT / "examples" / "blurb" / "weak.txt"), tmp=tmp_path)
    assert proc.returncode in (0, 1, 3)
    if proc.returncode == 3:
        assert proc.stderr.startswith("coach: error:")


def test_the_live_models_decisions_are_checked_before_they_count(tmp_path):
    """Whatever a real (small) model decides, nothing certain is disputed away, every applied
    clearance quotes the draft, and the score is coach's own."""
    draft = ROOT / "examples" / "connection-note" / "weak.txt"
    proc = coach("critique", "--format", "json", str(draft), tmp=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    if report["mode"] != "llm":
        pytest.skip("the live model could not be used; the fallback is covered above")
    text = draft.read_text(encoding="utf-8")
    from coach.llm.grounding import locate

    for decision in report["adjudication"]:
        if decision["applied"] and decision["verdict"] == "clear":
            assert decision["quote"] and locate(decision["quote"], text) is not None
    certain = {f["rule"] for f in report["findings"] if f["evidence"] == "certain"}
    assert not any(d["applied"] and d["verdict"] == "dispute" and d["code"] in certain for d in report["adjudication"])
    assert isinstance(report["verdict"], str) and report["verdict"]
    assert report["score"] == max(0, 100 - sum(item["cost"] for item in report["breakdown"]))


# --- the guard against a real model (issue 15) --------------------------------------------------

WEAK_DRAFTS: list[tuple[str, str]] = [
    ("connection-note", "Hi Maya,\n\nI would like to add you to my professional network on LinkedIn.\n\nSam"),
    (
        "cold-email",
        "Subject: Quick question\n\nHi Priya,\n\nI am a CS senior. Can I pick your brain sometime about "
        "data engineering?\n\nThanks,\nSam",
    ),
    (
        "intro-request",
        "Hi Dana,\n\nCould you introduce me to Priya Shah at Northwind? I want to work in data.\n\nThanks,\nSam",
    ),
    ("connection-note", "Hello, I'm a student looking to grow my network. Please accept my request. Sam"),
    (
        "cold-email",
        "Subject: Hello\n\nDear Sir,\n\nI hope this email finds you well. I am looking for a job. Any advice?\n\nJo",
    ),
    ("follow-up", "Hi Maya,\n\nJust bumping this to the top of your inbox. Did you get my last email?\n\nSam"),
    ("blurb", "Sam is a student who wants to talk to Priya about careers. He is very passionate about data."),
    ("connection-note", "Hi Lee, I saw we are both in tech. Let's connect! Ana"),
    (
        "cold-email",
        "Subject: Networking\n\nHi Omar,\n\nMy name is Ana and I'm a nurse. I want to move into health tech. "
        "Can we chat?\n\nAna",
    ),
    (
        "intro-request",
        "Hey Marcus, you know lots of people in health tech. Can you introduce me to someone? Thanks, Ana",
    ),
    ("follow-up", "Hi Dana, thanks for the intro to Priya! Sam"),
    ("connection-note", "Hi Priya, I'm a CS senior and would love to connect and learn from you. Sam"),
]
_GUARD_TALLY: list[dict[str, object]] = []


@pytest.mark.parametrize(("kind", "draft"), WEAK_DRAFTS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(WEAK_DRAFTS)])
def test_a_real_models_rewrite_keeps_no_unsupported_claim(kind, draft, tmp_path, monkeypatch):
    """The rewrite that comes back (the model's, marked, or the rules' fallback) states nothing the
    draft does not give: no invented fact, no claim in plain words, nothing from coach's prompt."""
    import time

    from coach.app.rewrite import llm_rewrite
    from coach.errors import LLMError
    from coach.guard import prompt_artefacts, unsupported_spans
    from coach.llm.settings import resolve
    from coach.llm.transport import ChatClient
    from coach.rules.config import Settings
    from coach.rules.engine import Options

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    llm = resolve({"timeout": 240, "max_seconds": 600, "max_tokens": 700}, None, base_url=BASE_URL, no_cache=True)
    assert llm is not None
    started = time.monotonic()
    try:
        outcome = llm_rewrite(draft, Options(kind=kind), Settings(), ChatClient(llm))
    except LLMError as exc:  # the model could not be had: coach falls back to the rules (tested above)
        pytest.skip(f"the live model could not be used: {exc}")
    seconds = time.monotonic() - started
    guard = outcome.extra["guard"]
    _GUARD_TALLY.append({"kind": kind, "seconds": round(seconds, 1), "mode": outcome.mode, **guard})
    report = os.environ.get("COACH_LIVE_REPORT")
    if report:
        Path(report).write_text(json.dumps(_GUARD_TALLY, indent=1), encoding="utf-8")
    assert unsupported_spans(outcome.rewrite, [draft]) == [], outcome.rewrite
    assert prompt_artefacts(outcome.rewrite, [], [draft]) == [], outcome.rewrite
    assert outcome.mode == "rules" or guard["fallback"] is None
    if outcome.mode == "rules" and guard["fallback"]:
        assert outcome.notices[0].startswith("the model's version was not used:")
