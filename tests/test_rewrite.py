"""`coach rewrite`: offline fixes, the model under the fact guard, output formats, --in-place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import respx
from click.testing import CliRunner

from coach.cli import cli
from tests.llm_fakes import CHAT_URL, SENTINEL_KEY, body, by_schema, error, rewrite_calls

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "cold-email" / "weak.txt"
WEAK_TEXT = WEAK.read_text(encoding="utf-8")


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["rewrite", *args], input=input)
    assert SENTINEL_KEY not in result.output, "the API key leaked into the output"
    return result


def rewrite_answer(text: str, subject: str | None = "Your post on flaky CI tests", changes=None) -> dict:
    return {"text": text, "subject": subject, "changes": changes or ["cut the opener", "one specific ask"]}


GOOD_REWRITE = (
    "Dear Ms. Okafor,\n\nI am a third-year computer science student at the University of Illinois, and I "
    "build dashboards in Tableau and Python. Would you have time for a short call in the next two weeks to tell me "
    "[ASK: the one question you most want to ask]?\n\nBest regards,\nJason Lee"
)


def test_offline_rewrite_prints_only_the_message_and_reports_on_stderr():
    result = run("--offline", str(WEAK))
    assert result.exit_code == 0, result.output
    assert "I hope this email finds you well" not in result.stdout
    assert result.stdout.strip()
    assert "score" in result.stderr and "->" in result.stderr
    assert "score" not in result.stdout.splitlines()[0]


def test_offline_rewrite_json_has_the_documented_fields():
    data = json.loads(run("--offline", "--format", "json", str(WEAK)).stdout)
    for key in ("original", "rewrite", "changes", "score_before", "score_after", "findings_after", "unsupported_facts"):
        assert key in data
    assert data["mode"] == "rules" and data["original"] == WEAK_TEXT
    assert data["unsupported_facts"] == []
    assert data["changes"]
    markers = data["rewrite"].count("[ASK:")
    assert markers == data["ask_markers"]
    assert data["to_fill"] == markers >= 1
    # Scored as sent, once filled: the markers are listed to fill, not scored as placeholders.
    placeholders = [f for f in data["findings_after"] if f["rule"] == "HYG001" and f["text"].startswith("[ASK")]
    assert placeholders == []
    assert data["score_after"] >= data["score_before"]


def test_diff_format_is_a_unified_diff():
    out = run("--offline", "--format", "diff", str(WEAK)).stdout
    assert out.startswith(f"--- a/{WEAK}") and "\n+++ b/" in out
    assert "\n-" in out and "\n+" in out


def test_in_place_keeps_a_backup_and_never_overwrites_one(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(WEAK_TEXT, encoding="utf-8")
    assert run("--offline", "--in-place", str(draft)).exit_code == 0
    backup = tmp_path / "draft.txt.bak"
    assert backup.read_text(encoding="utf-8") == WEAK_TEXT
    first = draft.read_text(encoding="utf-8")
    assert first != WEAK_TEXT
    assert run("--offline", "--in-place", str(draft)).exit_code == 0
    assert (tmp_path / "draft.txt.bak.1").read_text(encoding="utf-8") == first
    assert backup.read_text(encoding="utf-8") == WEAK_TEXT


def test_in_place_failure_leaves_the_original_intact(tmp_path, monkeypatch):
    draft = tmp_path / "draft.txt"
    draft.write_text(WEAK_TEXT, encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("--offline", "--in-place", str(draft))
    assert result.exit_code == 2 and "original is unchanged" in result.output
    assert draft.read_text(encoding="utf-8") == WEAK_TEXT
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_in_place_refuses_stdin():
    assert run("--offline", "--in-place", "-", input=WEAK_TEXT).exit_code == 2


@respx.mock
def test_model_rewrite_request_and_result(llm_env, waits):
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([rewrite_answer(GOOD_REWRITE)]))
    result = run("--format", "json", str(WEAK))
    assert route.call_count == 2  # the adjudicated critique, then the rewrite
    assert body(route.calls[0])["response_format"]["json_schema"]["name"] == "CritiqueAnswer"
    sent = body(route.calls[1])
    assert sent["response_format"]["json_schema"]["name"] == "RewriteAnswer"
    system = sent["messages"][0]["content"]
    assert "Invent nothing" in system and "[ASK:" in system
    assert "<<<DRAFT-" in sent["messages"][1]["content"]
    data = json.loads(result.stdout)
    assert data["mode"] == "llm" and data["unsupported_facts"] == []
    assert data["rewrite"].startswith("Subject: Your post on flaky CI tests")
    assert data["score_after"] >= data["score_before"]
    assert data["usage"]["requests"] == 1  # the rewrite's own; the critique is reported with the verdict
    assert data["verdict"] and data["adjudication"] == []


@respx.mock
def test_invented_facts_get_one_repair_then_become_ask_markers(llm_env, waits):
    invented = GOOD_REWRITE.replace("University of Illinois", "University of Illinois (PhD track at Stanford)")
    still = GOOD_REWRITE.replace("a short call", "a short call on Tuesday")
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([rewrite_answer(invented), rewrite_answer(still)]))
    data = json.loads(run("--format", "json", str(WEAK)).stdout)
    assert len(rewrite_calls(route)) == 2  # one rewrite, one repair, never more
    repair = body(rewrite_calls(route)[1])["messages"][-1]["content"]
    assert "Stanford" in repair and "PhD" in repair and "do not invent" in repair
    assert data["unsupported_facts"] == ["Tuesday"]
    assert "Tuesday" not in data["rewrite"] and "[ASK: date]" in data["rewrite"]
    assert data["repaired"] is True


@respx.mock
def test_a_worse_rewrite_is_repaired_or_flagged(llm_env, waits):
    worse = "Hi,\n\nCan we chat sometime? I REALLY need advice!!!\n\nThanks"
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([rewrite_answer(worse, subject="Networking")]))
    data = json.loads(run("--format", "json", str(ROOT / "examples" / "cold-email" / "strong.txt")).stdout)
    assert len(rewrite_calls(route)) == 2
    assert "below the draft" in body(rewrite_calls(route)[1])["messages"][-1]["content"]
    assert data["score_after"] < data["score_before"]
    assert any("scores lower than your draft" in n for n in data["notices"])


@respx.mock
def test_model_unavailable_falls_back_to_the_rules_rewrite(llm_env, waits):
    respx.post(CHAT_URL).mock(return_value=error(503))
    result = run("--format", "json", str(WEAK))
    data = json.loads(result.stdout)
    assert data["mode"] == "rules" and any("could not be used" in n for n in data["notices"])
    assert "coach: notice:" in result.stderr
    assert run("--llm", str(WEAK)).exit_code == 3


@respx.mock
def test_notes_are_sources_for_the_guard(llm_env, waits, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("She gave a talk at PyData Berlin on flaky CI tests.", encoding="utf-8")
    with_talk = GOOD_REWRITE.replace("Would you", "I enjoyed your PyData Berlin talk. Would you")
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([rewrite_answer(with_talk)]))
    data = json.loads(run("--format", "json", "--notes", str(notes), str(WEAK)).stdout)
    assert len(rewrite_calls(route)) == 1 and data["unsupported_facts"] == []
    assert "NOTES-" in body(rewrite_calls(route)[0])["messages"][1]["content"]


def test_offline_rewrites_of_the_weak_examples_never_score_below_their_drafts():
    from coach.app.rewrite import offline_rewrite
    from coach.rules.config import Settings
    from coach.rules.engine import Options

    for path in sorted((ROOT / "examples").glob("*/weak.txt")):
        outcome = offline_rewrite(path.read_text(encoding="utf-8"), Options(), Settings(), path=str(path))
        assert outcome.after.score >= outcome.before.score, path
        assert not any("review it before using it" in n for n in outcome.notices), path
        assert outcome.after.extra["to_fill"] == outcome.markers
        assert not any(f.rule == "HYG001" and f.text.startswith("[ASK") for f in outcome.after.findings)


def test_the_summary_gives_the_filled_score_and_what_is_left_to_fill():
    result = run("--offline", str(WEAK))
    data = json.loads(run("--offline", "--format", "json", str(WEAK)).stdout)
    assert f"score {data['score_before']}/100 -> {data['score_after']}/100 once its markers are filled" in result.stderr
    assert f"to fill: {data['to_fill']}" in result.stderr and data["to_fill"] >= 1
