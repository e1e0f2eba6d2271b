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
