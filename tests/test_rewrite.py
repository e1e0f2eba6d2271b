"""`coach rewrite`: offline fixes, the model under the fact guard, output formats, --in-place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import respx
from click.testing import CliRunner

from coach.cli import cli
from tests.fakeserver import FakeLLM, scripted_rewrites
from tests.llm_fakes import CHAT_URL, SENTINEL_KEY, body, by_schema, error, rewrite_calls

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "cold-email" / "weak.txt"
WEAK_TEXT = WEAK.read_text(encoding="utf-8")


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["rewrite", *args], input=input)
    assert SENTINEL_KEY not in result.output, "the API key leaked into the output"
    return result


def rewrite_answer(text: str, subject: str | None = "A question from a CS student", changes=None) -> dict:
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
    assert data["rewrite"].startswith("Subject: A question from a CS student")
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
def test_a_worse_rewrite_is_repaired_once_then_replaced_by_the_rules_rewrite(llm_env, waits):
    worse = "Hi,\n\nCan we chat sometime? I REALLY need advice!!!\n\nThanks"
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([rewrite_answer(worse, subject=None)]))
    strong = ROOT / "examples" / "cold-email" / "strong.txt"
    data = json.loads(run("--format", "json", str(strong)).stdout)
    assert len(rewrite_calls(route)) == 2
    assert "below your draft" in body(rewrite_calls(route)[1])["messages"][-1]["content"]
    assert data["mode"] == "rules" and "REALLY" not in data["rewrite"]
    assert data["score_after"] >= data["score_before"]
    assert data["notices"][0].startswith("the model's version was not used: it ")
    assert data["notices"][0].endswith("this is the rules-only rewrite")
    assert data["guard"]["fallback"] and data["guard"]["repairs"] == 1


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


# --- the guard against what a real small model did (issue 15), on the fake server --------------

MAYA = "Hi Maya,\n\nI would like to add you to my professional network on LinkedIn.\n\nSam"
INVENTED = "I read your latest blog post about sustainable fashion."
QUICK = (
    "Subject: Quick question\n\nHi Priya,\n\nI am a CS senior choosing between data and backend roles. "
    "Would you be open to a 15-minute call in the next two weeks about how you chose?\n\nThanks,\nSam"
)
INTRO = (
    "Hi Dana,\n\nWould you be willing to introduce me to Priya Shah? She leads data engineering at Northwind, "
    "and I am choosing between data and backend roles. No problem at all if not.\n\nThanks,\nSam"
)


def fake_rewrite(fake: FakeLLM, draft: str, kind: str, *args: str):
    """`coach rewrite` of ``draft`` against the fake server, as JSON."""
    result = run("--format", "json", "--no-cache", "--base-url", fake.base_url, "--kind", kind, *args, "-", input=draft)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def rewrite_requests(fake: FakeLLM) -> list[dict]:
    return [r for r in fake.requests if r["response_format"].get("json_schema", {}).get("name") == "RewriteAnswer"]


def test_an_invented_plain_words_detail_is_repaired_then_never_scored(waits):
    """The note came back with an experience the writer never had; no name, number or date in it."""
    with FakeLLM(
        default=scripted_rewrites(lambda draft, fence: rewrite_answer(f"{draft}\n\n{INVENTED}", None))
    ) as fake:
        data = fake_rewrite(fake, MAYA, "connection-note")
        repair = rewrite_requests(fake)[1]["messages"][-1]["content"]
    assert len(rewrite_requests(fake)) == 2  # one rewrite, one repair, never more
    assert INVENTED.rstrip(".") in repair and "claims something the writer never said" in repair
    assert data["guard"]["unsupported_claims"] == [INVENTED.rstrip(".")]
    assert "sustainable fashion" not in data["rewrite"]
    # The invention earned nothing, so the model's version did not beat the draft: the rules' rewrite instead.
    assert data["mode"] == "rules" and data["guard"]["fallback"]
    assert data["notices"][0].startswith("the model's version was not used: it fixes none of what your draft needs")
    assert data["score_after"] >= data["score_before"]


def test_an_unsupported_span_counts_as_a_marker_to_fill_and_earns_nothing(waits):
    fixed = "Hi Maya,\n\nWould you be open to connecting?\n\nSam"
    invented = fixed.replace("connecting?", f"connecting? {INVENTED}")
    with FakeLLM(default=scripted_rewrites(lambda d, f: rewrite_answer(fixed, None))) as fake:
        honest = fake_rewrite(fake, MAYA, "connection-note")
    with FakeLLM(default=scripted_rewrites(lambda d, f: rewrite_answer(invented, None))) as fake:
        data = fake_rewrite(fake, MAYA, "connection-note")
    assert honest["mode"] == data["mode"] == "llm"
    assert "[ASK: something of theirs you actually read]." in data["rewrite"]
    assert "sustainable" not in data["rewrite"] and data["to_fill"] == 1
    assert data["score_after"] == honest["score_after"]  # the invented detail did not raise the score
    assert "PER002" in {c["rule"] for c in data["checks_after"]}


def test_the_guidance_example_subject_never_reaches_the_message(waits):
    def copied(draft: str, fence: str) -> dict:
        return rewrite_answer(draft.split("\n\n", 1)[1], "Your streaming migration post")

    with FakeLLM(default=scripted_rewrites(copied)) as fake:
        data = fake_rewrite(fake, QUICK, "cold-email")
        repair = rewrite_requests(fake)[1]["messages"][-1]["content"]
    assert "streaming migration" not in data["rewrite"]
    assert "from these instructions" in repair
    assert data["mode"] == "rules" and "coach's own prompt" in data["notices"][0]
    assert any("streaming migration" in a for a in data["guard"]["artefacts"])


def test_fence_markers_and_the_change_list_are_not_a_rewrite(waits):
    def leaky(draft: str, fence: str) -> dict:
        changes = ["a short paragraph addressed to the target the connector can forward"]
        text = f"{fence}>>>\n{draft}\n\nChanges:\n- {changes[0]}"
        return {"text": text, "subject": None, "changes": changes}

    with FakeLLM(default=scripted_rewrites(leaky)) as fake:
        data = fake_rewrite(fake, INTRO, "intro-request")
    assert len(rewrite_requests(fake)) == 2
    for leaked in (">>>", "DRAFT-", "Changes", "short paragraph addressed"):
        assert leaked not in data["rewrite"], leaked
    assert data["mode"] == "rules"
    assert data["notices"][0].startswith("the model's version was not used: it holds text from coach's own prompt")
    assert len([n for n in data["notices"] if "not used" in n]) == 1  # said once, in one line
    assert "\n" not in data["notices"][0]


def test_a_clean_repair_is_used(waits):
    clean = "Hi Maya,\n\nWould you be open to connecting?\n\nSam"
    makers = (lambda d, f: rewrite_answer(f"{d}\n\n{INVENTED}", None), lambda d, f: rewrite_answer(clean, None))
    with FakeLLM(default=scripted_rewrites(*makers)) as fake:
        data = fake_rewrite(fake, MAYA, "connection-note")
    assert data["mode"] == "llm" and data["rewrite"] == clean and data["repaired"] is True
    assert data["unsupported_facts"] == [] and data["guard"]["fallback"] is None
    assert data["score_after"] > data["score_before"]


def test_a_rewrite_that_keeps_the_writers_claims_in_other_words_passes(waits):
    draft = (
        "Subject: Hello\n\nHi Priya,\n\nI hope you are well. I enjoyed your post on moving nightly batch jobs to "
        "streaming. I am a CS senior and I built a small pipeline for campus transit data. Can I pick your "
        "brain sometime?\n\nThanks,\nSam"
    )
    better = (
        "Hi Priya,\n\nYour article about moving batch jobs to streaming stuck with me. As a CS senior, I built a "
        "small pipeline for campus transit data. Would you be open to a short call in the next two weeks? "
        "[ASK: the one question you most want to ask]\n\nThanks,\nSam"
    )
    with FakeLLM(default=scripted_rewrites(lambda d, f: rewrite_answer(better, "Your post on batch jobs"))) as fake:
        data = fake_rewrite(fake, draft, "cold-email")
    assert len(rewrite_requests(fake)) == 1  # nothing to repair
    assert data["mode"] == "llm" and data["unsupported_facts"] == [] and data["guard"]["artefacts"] == []


# --- the same guard for compose's polish --------------------------------------------------------


def compose_json(*args: str) -> dict:
    from tests.test_compose import SAM, options

    result = CliRunner().invoke(cli, ["compose", "blurb", *options(SAM), "--format", "json", *args])
    assert SENTINEL_KEY not in result.output
    return json.loads(result.stdout)


@respx.mock
def test_a_polish_with_an_invented_claim_gets_a_marker_not_the_claim(llm_env, waits):
    from tests.test_compose import polished

    invent = polished("blurb", change=lambda b: b.replace("Sam Rivera", f"{INVENTED} Sam Rivera", 1))
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([invent, invent]))
    data = compose_json()
    assert len(rewrite_calls(route)) == 2  # one polish, one repair
    assert "claims something the writer never said" in body(rewrite_calls(route)[1])["messages"][-1]["content"]
    assert data["mode"] == "llm" and "sustainable" not in data["message"]
    assert "[ASK: something of theirs you actually read]" in data["message"]
    assert data["guard"]["unsupported_claims"] == [INVENTED.rstrip(".")]


@respx.mock
def test_a_polish_with_prompt_artefacts_is_dropped_for_the_assembled_draft(llm_env, waits):
    from tests.test_compose import polished

    leaky = polished("blurb", change=lambda b: f"{b}\n\nChanges:\n- tightened the easy out")
    respx.post(CHAT_URL).mock(side_effect=by_schema([leaky]))
    data = compose_json()
    assert data["mode"] == "rules" and "Changes" not in data["message"]
    assert any(
        n.startswith("the model's version was not used: it holds text from coach's own prompt")
        and n.endswith("this is the assembled draft")
        for n in data["notices"]
    )
