"""`coach compose`: every kind and tone passes its own critique, fits its limits, invents nothing;
facts from options, files and prompts; the model polishes under the fact guard."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import respx
from click.testing import CliRunner

from coach.cli import cli
from coach.cli import compose as compose_cli
from coach.compose.assemble import NOTE_DROPS, assemble
from coach.compose.facts import RELATIONSHIPS, STAGES, Facts, facts_text, missing_facts
from coach.compose.message import compose_offline
from coach.compose.words import clause, person, second_person, third_person
from coach.guard import unsupported_facts
from coach.text.kinds import KINDS
from coach.text.parse import parse
from tests.llm_fakes import CHAT_URL, SENTINEL_KEY, body, by_schema, error, rewrite_calls

# Two writers: one who types facts the way the hints show, one who types them loosely
# (lead-in words, full stops, a title, a role in brackets).
SAM = {
    "name": "Sam Rivera",
    "me": "a CS senior at Lakeside University choosing between data and backend roles",
    "target": "Priya Shah, who leads data engineering at Northwind",
    "connector": "Dana Brooks",
    "why": "you have led both data and backend teams at Northwind",
    "offer": "the load-test notes from my streaming pipeline for campus transit data",
    "ask": "a 15-minute call about how you chose between data and backend work",
    "met_connector": "at the Lakeside alumni mixer in March",  # Sam met Dana there, not Priya
    "topic": "choosing between data and backend roles",
    "days_since": 6,
}
SAM_CONNECTOR = {  # Dana, composing the double opt-in for Sam
    "name": "Dana Brooks",
    "requester": "Sam Rivera, a CS senior at Lakeside University",
    "target": "Priya Shah, who leads data engineering at Northwind",
    "why": "Sam is choosing between data and backend roles, and Priya has led both",
    "met": "when Sam interned on my team",
}
ANA = {
    "name": "Ana Lima",
    "me": "I'm a nurse turned health-tech analyst.",
    "target": "Dr. Lena Ortiz (head of clinical AI, Medisys)",
    "connector": "Marcus Webb",
    "why": "Because your team at Medisys built the triage model our ward uses every day",
    "offer": "I can share eight years of ward experience with triage tools",
    "ask": "Would you be open to a 20-minute video call next week?",
    "met_connector": "when we worked on the same ward",
    "met_target": "we met at the HIMSS conference in Leeds",
    "topic": "triage models on busy wards",
    "days_since": 5,
}
ANA_CONNECTOR = {
    "name": "Marcus Webb",
    "requester": "Ana Lima - nurse turned health-tech analyst",
    "target": "Dr. Lena Ortiz (head of clinical AI, Medisys)",
    "why": "Ana wants to understand how triage models get validated, and Lena's team does exactly that",
    "met": "when Ana joined my ward",
}
WRITERS = {"sam": (SAM, SAM_CONNECTOR), "ana": (ANA, ANA_CONNECTOR)}
CASES = [(kind, stage) for kind in KINDS for stage in STAGES.get(kind, (None,))]
# Messages written to the target greet them; the others speak about them and must name them in full.
TO_THE_TARGET = {
    ("connection-note", None),
    ("cold-email", None),
    ("blurb", None),
    ("connector-intro", "ask"),
    ("follow-up", "nudge"),
    ("follow-up", "reply"),
}


def facts_for(writer: str, kind: str, relationship: str | None = None, **more) -> Facts:
    own, as_connector = WRITERS[writer]
    values = {**(as_connector if kind == "connector-intro" else own), **more}
    return Facts(**values, relationship=relationship)


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["compose", *args], input=input)
    assert SENTINEL_KEY not in result.output, "the API key leaked into the output"
    return result


def options(values: dict) -> list[str]:
    return [arg for key, value in values.items() for arg in (f"--{key.replace('_', '-')}", str(value))]


# ---------------------------------------------------------------------------
# The offline matrix
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("relationship", RELATIONSHIPS)
@pytest.mark.parametrize(("kind", "stage"), CASES)
def test_every_kind_and_tone_passes_its_own_critique_and_invents_nothing(kind, stage, relationship, writer):
    facts = facts_for(writer, kind, relationship)
    outcome = compose_offline(kind, stage, facts)
    message, report = outcome.message, outcome.report
    assert message is not None and report is not None
    assert report.kind == kind and not report.kind_detected
    errors = [f.rule for f in report.findings if f.severity == "error"]
    assert errors == [] and report.score >= 85, [(f.rule, f.text) for f in report.findings]
    assert unsupported_facts(message, [facts_text(facts)]) == []
    assert "[ASK" not in message and "{" not in message and "  " not in message
    target = person(facts.target)
    if (kind, stage) in TO_THE_TARGET:
        assert re.search(rf"^(?:Hi )?{re.escape(target.greet)},", message, re.MULTILINE), message
    else:
        assert target.full in message, message
    if kind in ("cold-email", "intro-request", "connector-intro"):
        assert message.startswith("Subject: ")
    else:
        assert "Subject:" not in message


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("relationship", RELATIONSHIPS)
@pytest.mark.parametrize("account", ["premium", "free"])
def test_connection_notes_fit_the_account_limit(writer, relationship, account):
    outcome = compose_offline(
        "connection-note", None, facts_for(writer, "connection-note", relationship), None, account
    )
    limit = 300 if account == "premium" else 200
    assert outcome.message is not None and len(outcome.message.strip()) <= limit
    assert outcome.extra["characters"] == {"count": len(outcome.message.strip()), "limit": limit}
    assert all(f.rule != "LEN001" for f in outcome.report.findings)


def test_a_long_note_is_shortened_deterministically_and_says_what_it_left_out():
    facts = facts_for("sam", "connection-note", "recent", met="at the Lakeside alumni mixer in March")
    full = assemble("connection-note", None, facts, "premium").text
    short = assemble("connection-note", None, facts, "free")
    assert len(full.strip()) > 200 >= len(short.text.strip())
    assert short.dropped and short.dropped in NOTE_DROPS
    assert "left out" in short.notices[0] and "the line about you" in short.notices[0]
    assert facts.why in short.text  # the reason for writing is the last thing to go
    assert assemble("connection-note", None, facts, "free").text == short.text


def test_a_note_that_cannot_fit_is_not_emitted():
    why = "you have led both data and backend teams at Northwind, and your streaming talk changed my capstone plan"
    facts = facts_for("sam", "connection-note", why=why * 2)
    outcome = compose_offline("connection-note", None, facts, None, "free")
    assert outcome.message is None and outcome.report is None
    assert "no connection note fits 200 characters" in outcome.notices[-1] and "--why" in outcome.notices[-1]
    args = ["connection-note", "--account", "free", *options({**SAM, "why": why * 2})]
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "coach: error: no connection note fits 200 characters" in result.stderr
    data = json.loads(run(*args, "--format", "json").stdout)
    assert data["message"] is None and data["notices"]


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_blurb_is_three_or_four_sentences_in_the_third_person_and_forwardable(writer):
    facts = facts_for(writer, "blurb")
    outcome = compose_offline("blurb", None, facts)
    message = outcome.message
    assert 3 <= outcome.report.stats.sentences <= 4 and outcome.report.stats.words <= 120
    assert len(parse(message).paragraphs) == 1
    assert not re.search(r"\b(?:I|I'm|I've|I'd|me|my|we|our)\b", message)
    assert person(facts.connector).first not in message  # never addressed to the connector
    assert message.count(person(facts.name).full) == 1


def test_the_intro_request_carries_the_blurb_word_for_word():
    facts = facts_for("sam", "intro-request", "acquaintance")
    request = compose_offline("intro-request", None, facts).message
    blurb = compose_offline("blurb", None, facts).message.strip()
    assert f'"{blurb}"' in request


def test_the_wording_follows_the_relationship():
    requests = {
        r: compose_offline("intro-request", None, facts_for("sam", "intro-request", r)).message for r in RELATIONSHIPS
    }
    assert len(set(requests.values())) == len(RELATIONSHIPS)
    assert "met at the Lakeside alumni mixer" not in requests["close"]  # no reminder for someone who knows you
    assert "It's been a while since we met" in requests["in-between"]
    assert "return the favour" in requests["acquaintance"]
    assert requests["close"].rstrip().endswith("\nSam")
    assert requests["recent"].rstrip().endswith("\nSam Rivera")


def test_subjects_name_both_people_for_introductions():
    intro = compose_offline("connector-intro", "intro", facts_for("sam", "connector-intro")).message
    assert intro.startswith("Subject: Intro: Sam Rivera <> Priya Shah\n")
    assert compose_offline("cold-email", None, facts_for("sam", "cold-email")).subject == (
        "Choosing between data and backend roles"
    )


def test_the_connector_asks_the_target_in_the_second_person():
    ask = compose_offline("connector-intro", "ask", facts_for("sam", "connector-intro")).message
    assert "and you have led both" in ask and "Priya has led" not in ask


def test_follow_up_stages_do_their_one_job():
    reply = compose_offline("follow-up", "reply", facts_for("sam", "follow-up")).message
    assert reply.startswith("Dana, thank you") and "BCC" in reply.split("\n")[0]
    thanks = compose_offline("follow-up", "thanks", facts_for("sam", "follow-up")).message
    assert thanks.startswith("Hi Dana,") and "Priya Shah and I spoke" in thanks
    nudge = compose_offline("follow-up", "nudge", facts_for("sam", "follow-up", days_since=2))
    assert "one-line reply" in nudge.message
    assert any("after about a week" in n for n in nudge.notices)


# ---------------------------------------------------------------------------
# Facts: required per kind, options, files, prompts
# ---------------------------------------------------------------------------


def test_required_facts_depend_on_kind_stage_and_relationship():
    empty = Facts()
    assert missing_facts("blurb", None, empty) == ["name", "me", "target", "why", "offer", "ask"]
    assert missing_facts("follow-up", "thanks", empty) == ["name", "target", "connector"]
    assert missing_facts("connector-intro", "intro", empty) == ["name", "target", "requester", "why"]
    assert "met" in missing_facts("intro-request", None, Facts(relationship="recent"))
    assert "met" not in missing_facts("intro-request", None, Facts(relationship="close"))


def test_missing_facts_without_a_terminal_exit_2_naming_them():
    result = run("intro-request", "--name", "Sam Rivera", "--me", "a CS senior")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        "coach: error: missing facts for intro-request: --target, --connector, --why, --offer, --ask, --met; "
        "pass them as options or in --facts FILE."
    )
    result = run("follow-up", "--stage", "reply", "--name", "Sam Rivera", "--target", SAM["target"], "--ask", "a call")
    assert "missing facts for follow-up (reply): --connector;" in result.stderr


def test_missing_facts_on_a_terminal_are_asked_one_by_one(monkeypatch):
    monkeypatch.setattr(compose_cli, "is_interactive", lambda: True)
    given = {k: v for k, v in SAM.items() if k not in ("why", "offer")}
    result = run("blurb", *options(given), input="\n" + SAM["why"] + "\n" + SAM["offer"] + "\n")
    assert result.exit_code == 0, result.output
    assert "coach needs 2 more fact(s) for blurb: --why, --offer" in result.stderr
    assert "as it would follow 'because'" in result.stderr and "as it would follow 'I can offer'" in result.stderr
    assert result.stdout.strip() == compose_offline("blurb", None, facts_for("sam", "blurb")).message.strip()


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_facts_from_a_file_with_dashes_or_underscores_and_options_win(tmp_path, fmt):
    values = {"name": SAM["name"], "days-since": 2, "target": "Someone Else, a stranger", "topic": SAM["topic"]}
    path = tmp_path / f"facts.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(values), encoding="utf-8")
    else:
        path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8")
    result = run("follow-up", "--facts", str(path), "--target", SAM["target"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["facts"]["target"] == SAM["target"] and data["facts"]["days_since"] == 2
    assert data["message"].startswith("Hi Priya,") and "Someone" not in data["message"]
    assert data["stage"] == "nudge"


def test_facts_file_mistakes_are_exit_2_naming_the_file_and_key(tmp_path):
    unknown = tmp_path / "facts.toml"
    unknown.write_text('name = "Sam"\nemployer = "Northwind"\n', encoding="utf-8")
    result = run("blurb", "--facts", str(unknown))
    assert result.exit_code == 2 and str(unknown) in result.stderr and "'employer'" in result.stderr
    wrong = tmp_path / "facts.json"
    wrong.write_text('{"relationship": "best friends"}', encoding="utf-8")
    result = run("blurb", "--facts", str(wrong))
    assert result.exit_code == 2 and str(wrong) in result.stderr and "--relationship" in result.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n", encoding="utf-8")
    assert run("blurb", "--facts", str(broken)).exit_code == 2
    assert run("blurb", "--facts", str(tmp_path / "nope.toml")).exit_code == 2


def test_stages_are_checked_per_kind():
    assert run("blurb", "--stage", "ask", *options(SAM)).exit_code == 2
    result = run("follow-up", "--stage", "intro", *options(SAM))
    assert result.exit_code == 2 and "choose one of: nudge, thanks, reply" in result.stderr


def test_text_output_is_the_message_and_the_report_is_one_line_on_stderr():
    result = run("cold-email", *options(SAM), "--relationship", "close")
    assert result.exit_code == 0
    assert result.stdout.startswith("Subject: ") and result.stdout.rstrip().endswith("Sam Rivera")
    assert "coach: cold-email: score 100/100, ready to send, no findings (rules only)" in result.stderr
    assert (
        "coach: notice: --connector, --met-connector, --relationship, --days-since: not used for cold-email"
        in result.stderr
    )


def test_json_output_carries_the_message_and_its_report():
    result = run("connector-intro", "--stage", "intro", *options(SAM_CONNECTOR), "--format", "json")
    data = json.loads(result.stdout)
    assert {"kind", "stage", "facts", "message", "subject", "report", "mode", "notices"} <= set(data)
    assert data["kind"] == "connector-intro" and data["stage"] == "intro" and data["mode"] == "rules"
    assert data["subject"] == "Intro: Sam Rivera <> Priya Shah"
    assert data["report"]["kind"] == "connector-intro" and data["report"]["score"] == 100
    assert data["facts"] == SAM_CONNECTOR


# ---------------------------------------------------------------------------
# Phrases from facts
# ---------------------------------------------------------------------------


def test_facts_become_clauses_and_people():
    assert clause("I'm a nurse.", "me") == "a nurse"
    assert clause("Because Your team built it!", "why") == "your team built it"
    assert clause("Would you be open to a short call?", "ask") == "a short call"
    assert clause("We met at PyData Berlin", "met") == "at PyData Berlin"
    assert third_person("I'm sharing my notes, and I've tested them with me") == (
        "they're sharing their notes, and they've tested them with them"
    )
    assert second_person("Sam is new, and Priya has led both; Priya's team", "Priya") == (
        "Sam is new, and you have led both; your team"
    )
    doctor = person("Dr. Lena Ortiz (head of clinical AI, Medisys)")
    assert (doctor.full, doctor.first, doctor.greet) == ("Dr. Lena Ortiz", "Lena", "Dr. Ortiz")
    assert doctor.role == "head of clinical AI, Medisys"
    assert person("Priya Shah, leads data at Northwind").sentence == "Priya Shah leads data at Northwind."
    assert person("Ana Lima - nurse turned analyst").short_sentence == "Ana is a nurse turned analyst."


# ---------------------------------------------------------------------------
# With a model: the same guard as coach rewrite
# ---------------------------------------------------------------------------


def polished(kind: str, stage: str | None = None, change=lambda body: body) -> dict:
    """A model answer: the assembled draft's body, changed, with its subject apart."""
    draft = compose_offline(kind, stage, facts_for("sam", kind, "acquaintance")).message
    subject = None
    if draft.startswith("Subject: "):
        first, draft = draft.split("\n\n", 1)
        subject = first.removeprefix("Subject: ")
    return {"text": change(draft.strip()), "subject": subject, "changes": ["tightened the easy out"]}


@respx.mock
def test_the_model_polishes_with_the_facts_and_the_guard_in_the_request(llm_env, waits):
    answer = polished("intro-request", change=lambda b: b.replace("no problem at all", "no worries at all"))
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([answer]))
    result = run("intro-request", *options(SAM), "--relationship", "acquaintance", "--format", "json")
    assert result.exit_code == 0, result.output
    assert route.call_count == 2  # the adjudicated critique, then the polish
    sent = body(rewrite_calls(route)[0])
    system, user = sent["messages"][0]["content"], sent["messages"][1]["content"]
    assert "Invent nothing" in system and "[ASK:" in system
    assert "<<<NOTES-" in user and "<<<DRAFT-" in user
    for fact in (
        SAM["target"],
        SAM["why"],
        SAM["offer"],
        SAM["met_connector"],
        "the mutual contact (connector): Dana Brooks",
    ):
        assert fact in user
    data = json.loads(result.stdout)
    assert data["mode"] == "llm" and data["model"] == "test-model"
    assert "no worries at all" in data["message"] and data["message"].startswith("Subject: Introduction to Priya")
    assert "no problem at all" in data["draft"]
    assert data["report"]["score"] >= 85 and data["unsupported_facts"] == []


@respx.mock
def test_an_invented_fact_comes_back_as_an_ask_marker(llm_env, waits):
    invent = polished("blurb", change=lambda b: b.replace("Lakeside University", "Lakeside University and Stanford"))
    route = respx.post(CHAT_URL).mock(side_effect=by_schema([invent, invent]))
    result = run("blurb", *options(SAM), "--format", "json")
    assert len(rewrite_calls(route)) == 2  # one polish, one repair
    assert "Stanford" in body(rewrite_calls(route)[1])["messages"][-1]["content"]
    data = json.loads(result.stdout)
    assert "Stanford" not in data["message"] and "[ASK: name]" in data["message"]
    assert data["unsupported_facts"] == ["Stanford"]
    assert any("[ASK: ...]" in n for n in data["notices"])
    assert result.exit_code == 1  # an unfilled marker is an error until the writer fills it in


@respx.mock
def test_a_polish_that_breaks_the_note_limit_is_dropped_for_the_draft(llm_env, waits):
    long_note = polished(
        "connection-note", change=lambda b: b.replace("Glad to stay in touch.", "Glad to stay in touch. " * 12)
    )
    respx.post(CHAT_URL).mock(side_effect=by_schema([long_note]))
    data = json.loads(
        run("connection-note", *options(SAM), "--relationship", "acquaintance", "--format", "json").stdout
    )
    assert data["mode"] == "rules" and len(data["message"].strip()) <= 300
    assert any("LEN001" in n for n in data["notices"])


@respx.mock
def test_without_the_model_the_assembled_draft_is_shown(llm_env, waits):
    respx.post(CHAT_URL).mock(return_value=error(503))
    result = run("blurb", *options(SAM), "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["mode"] == "rules"
    assert data["message"] == compose_offline("blurb", None, facts_for("sam", "blurb")).message
    assert any("could not be used" in n for n in data["notices"])
    assert run("blurb", *options(SAM), "--llm").exit_code == 3


def test_offline_never_calls_a_model(llm_env):
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(CHAT_URL)
        assert run("blurb", *options(SAM), "--offline").exit_code == 0
        assert route.call_count == 0


# ---------------------------------------------------------------------------
# The README's worked example is real output
# ---------------------------------------------------------------------------


def test_the_readme_warm_intro_example_is_what_coach_prints(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Compose") : readme.index("## The rule catalogue")]
    for name, text in re.findall(r"```toml\n# (\S+)\n(.*?)```", section, re.DOTALL):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    examples = re.findall(r"```text\n\$ coach (.*?)\n(.*?)```", section, re.DOTALL)
    assert len(examples) == 6
    for command, shown in examples:
        result = CliRunner().invoke(cli, shlex.split(command))
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout + result.stderr == shown, command


# ---------------------------------------------------------------------------
# The fact reader: facts typed for a person, read before any template places them
# ---------------------------------------------------------------------------

PRIYA = {
    "name": "Priya Raman",
    "me": "Priya, final-year CS student at UT Austin",
    "target": "Dan Ortiz, staff engineer at Stripe",
    "why": "I read his post on idempotency keys and loved it",
    "ask": "a 15-minute call",
    "topic": "idempotency keys",
}
CLINIC = {
    "name": "Sam",
    "me": "me and my co-founder are building a tool for small clinics",
    "target": "Jo Lee, CTO at Acme",
    "why": "you scaled Acme's EHR integrations",
    "offer": "we can give you free early access",
    "ask": "a 15 minute call",
}


def test_a_fact_about_the_reader_is_said_to_them_and_a_leading_name_is_dropped():
    result = run("cold-email", *options(PRIYA))
    assert result.exit_code == 0, result.output
    assert "because I read your post on idempotency keys and loved it" in result.stdout
    assert "I'm a final-year CS student at UT Austin." in result.stdout
    assert "his post" not in result.stdout and "I'm Priya," not in result.stdout


def test_a_blurb_turns_a_first_person_clause_into_the_third_with_agreeing_verbs():
    message = compose_offline("blurb", None, Facts(**CLINIC)).message
    assert message.startswith("Jo, Sam and their co-founder are building a tool for small clinics.")
    assert "In return, Sam and their co-founder can give you free early access." in message
    assert "is them" not in message and "offer they" not in message
    single = compose_offline("blurb", None, Facts(**{**CLINIC, "me": "I build scheduling tools for clinics",
                                                      "offer": "free early access"})).message  # fmt: skip
    assert single.startswith("Jo, Sam builds scheduling tools for clinics.")
    priya = compose_offline("blurb", None, Facts(**PRIYA, offer="my notes")).message
    assert "because they read your post" in priya and "his" not in priya


def test_an_ask_gets_an_article_and_the_promised_time_bound():
    message = compose_offline("blurb", None, Facts(**{**CLINIC, "ask": "coffee chat"})).message
    assert "Would you be open to a coffee chat in the next few weeks?" in message
    assert (
        clause("meet for coffee")
        and "open to meeting for coffee"
        in compose_offline("blurb", None, Facts(**{**CLINIC, "ask": "meet for coffee next week"})).message
    )


def test_names_typed_in_lower_case_are_title_cased():
    facts = Facts(**{**SAM, "target": "dan ortiz - staff eng @ stripe"}, relationship="close")
    outcome = compose_offline("intro-request", None, facts)
    assert outcome.message.startswith("Subject: Introduction to Dan Ortiz?")
    assert "dan ortiz" not in outcome.message and any("'Dan Ortiz - staff eng at Stripe'" in n
                                                      for n in outcome.notices)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "change", "named"),
    [
        ("cold-email", {"why": "his post on idempotency keys"}, "--why 'his post on idempotency keys': has no verb"),
        ("blurb", {"me": "a founder", "offer": "we can give you free early access"}, "--offer"),
        ("cold-email", {"why": "Dana says he wrote the RFC", "connector": "Dana Brooks"}, "could mean Dana or Dan"),
    ],
)
def test_a_fact_that_cannot_be_placed_safely_is_exit_2_naming_it(kind, change, named):
    base = CLINIC if kind == "blurb" else PRIYA
    result = run(kind, *options({**base, **change}))
    assert result.exit_code == 2 and result.stdout == ""
    assert named in result.stderr and result.stderr.count("\n") == 1 and "write" in result.stderr


def test_met_is_named_per_step_so_one_facts_file_serves_them_all(tmp_path):
    ambiguous = tmp_path / "sam.toml"
    ambiguous.write_text(
        "".join(
            f"{k} = {json.dumps(v)}\n"
            for k, v in {**SAM, "met": SAM["met_connector"]}.items()
            if k not in ("met_connector", "days_since")
        ),
        encoding="utf-8",
    )
    result = run("cold-email", "--facts", str(ambiguous))
    assert result.exit_code == 2 and "--met 'at the Lakeside alumni mixer in March'" in result.stderr
    assert "--met-connector" in result.stderr and "--met-target" in result.stderr
    cold = compose_offline("cold-email", None, facts_for("sam", "cold-email"))
    assert "Lakeside alumni mixer" not in cold.message  # where Sam met Dana, not Priya
    request = compose_offline("intro-request", None, facts_for("sam", "intro-request", "acquaintance"))
    assert "since we met at the Lakeside alumni mixer in March" in request.message
    note = compose_offline("connection-note", None, facts_for("ana", "connection-note", "acquaintance"))
    assert "we met at the HIMSS conference in Leeds" in note.message
    assert "missing" not in " ".join(missing_facts("intro-request", None, facts_for("sam", "intro-request")))


def test_the_nudge_names_the_topic_once():
    facts = Facts(**{**PRIYA, "ask": "a 15-minute call about idempotency keys"})
    message = compose_offline("follow-up", "nudge", facts).message
    assert message.lower().count("idempotency keys") == 1 and "my earlier note" in message
    plain = compose_offline("follow-up", "nudge", Facts(**{**PRIYA, "ask": None})).message
    assert "my note about idempotency keys" in plain


def test_a_message_that_does_not_read_right_is_never_ready(monkeypatch):
    from coach.compose import message as message_module
    from coach.compose.reader import sanity_problems

    assert sanity_problems("Hi Jo,\n\nSam is them and their co-founder.\n", "blurb", None)
    assert sanity_problems("I read the the post.\n", "cold-email", None)
    assert sanity_problems("I'm writing because his post on keys.\n", "cold-email", None)
    assert sanity_problems("Thanks because your post on keys.\n", "cold-email", None)
    assert sanity_problems(compose_offline("blurb", None, Facts(**CLINIC)).message, "blurb", None) == []
    monkeypatch.setattr(message_module, "read_facts", lambda kind, stage, facts: (facts, []))
    result = run("blurb", *options({**CLINIC, "me": "them", "offer": "free early access"}))
    assert result.exit_code == 1 and "ready to send" not in result.stderr and "CMP001 error" in result.stderr


def test_a_compound_given_name_is_kept_after_the_first_mention():
    from coach.compose.words import given_name

    assert given_name("Maria José García".split()) == "Maria José"
    assert given_name("Jean-Luc van der Berg".split()) == "Jean-Luc"
    assert given_name("Sam Rivera".split()) == "Sam"
    result = run(
        "blurb",
        "--name",
        "Maria José García",
        "--me",
        "I am a data engineer at Acme",
        "--target",
        "Jo Lee, CTO at Acme",
        "--why",
        "you scaled Acme's EHR integrations",
        "--offer",
        "notes from the migration",
        "--ask",
        "a 15-minute call",
    )
    assert "Maria José would value" in result.stdout and "Maria would" not in result.stdout
