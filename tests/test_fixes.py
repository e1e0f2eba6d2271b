"""The offline rewrite (coach.rules.actions): each rule's `rewrite` action, applied to the draft."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest

from coach.errors import ConfigError
from coach.rules.actions import FixResult, apply_fixes, rewrite_offline
from coach.rules.catalogue import all_rules, load_catalogue, parse_rewrite
from coach.rules.engine import Options, critique_text
from coach.rules.report import Finding
from coach.rules.schema import InsertAt, Rule
from coach.text.measures import URL_RE, WORD_RE
from coach.text.parse import parse
from coach.text.tidy import MARKER_RE

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "cold-email" / "weak.txt"
RULES = {r.code: r for r in all_rules()}
WITH_REWRITE = [r for r in all_rules() if r.rewrite]
GENERIC = {w for r in WITH_REWRITE for action in r.rewrite for w in WORD_RE.findall(action.text)}


def fix(text: str, kind: str = "auto", rules: dict[str, Rule] | None = None, **options) -> FixResult:
    report = critique_text(text, Options(kind=kind, **options))
    return apply_fixes(text, report.hits, rules or RULES)


def facts(text: str) -> set[str]:
    """Capitalised words, words with digits and links, outside [ASK: ...] markers."""
    text = MARKER_RE.sub(" ", text)
    found = {w for w in WORD_RE.findall(text) if w[0].isupper() or any(c.isdigit() for c in w)}
    return found | set(URL_RE.findall(text))


def new_facts(before: str, after: str) -> set[str]:
    """Facts in ``after`` that ``before`` lacks. A word re-capitalised at a sentence start is not
    new, nor are the rules' own generic words ("Subject", "Hi", "Thanks"; checked below)."""
    lower = {w.lower() for w in WORD_RE.findall(before)}
    return {w for w in facts(after) - facts(before) if w.lower() not in lower and w not in GENERIC}


def finding(text: str, code: str, start: int, end: int, severity: str = "warning") -> Finding:
    return Finding(code, code.lower(), severity, "m", "f", start, end, 1, start + 1, text[start:end])


def rule_like(code: str, rewrite, severity: str = "warning") -> Rule:
    actions = parse_rewrite(rewrite, "test.toml", code)
    return replace(RULES["HYG006"], code=code, name=code.lower(), severity=severity, rewrite=actions)


# --- the README example ------------------------------------------------------------------------


def test_the_weak_cold_email_is_rewritten_without_inventing_anything():
    text = WEAK.read_text(encoding="utf-8")
    report = critique_text(text, Options())
    result = apply_fixes(text, report.hits, {r.code: r for r in all_rules()})
    out = result.text

    # The stock pleasantry and the vague ask are gone, the résumé line with them.
    assert "I hope this email finds you well." not in out
    assert "pick your brain" not in out and "ask you about your career" in out
    assert "chat sometime" not in out and "available to chat." in out
    assert "I have attached my résumé" not in out
    # "My name is" goes, the rest of its sentence stays.
    assert "My name is" not in out and "I am a third-year computer science student" in out
    # Markers where the draft lacks something, each a sentence of its own: a detail about the
    # reader, the question to ask (after the sentence that asks it, not inside it).
    assert out.count("[ASK: ") == result.markers >= 2
    assert "[ASK: one specific thing of theirs" in out
    assert "on your team. [ASK: the one specific question you want to ask them]" in out
    assert out.endswith("Best regards,\nJason Lee\n")
    assert any("OPN002" in c for c in result.changes) and any("ASK002" in c for c in result.changes)

    # Every sentence no span edit touched is still there, word for word.
    edited = [
        f for f in report.findings if RULES[f.rule].rewrite and all(a.do != "insert" for a in RULES[f.rule].rewrite)
    ]
    draft = parse(text)
    kept = [s for s in draft.sentences if not any(f.start < s.end and s.start < f.end for f in edited)]
    assert len(kept) >= 4
    for s in kept:  # but for background cut to bring the e-mail nearer the ideal length
        if not any(f'dropped "{text[s.start : s.start + 40]}' in c and "(LEN003)" in c for c in result.changes):
            assert text[s.start : s.end] in out
    assert "[Company]" in out  # a rule without a rewrite (HYG001) is left to the writer
    assert text.split("\n\n")[0] == out.split("\n\n")[0]  # the subject line

    # Nothing new: no name, number or link that the draft did not have.
    assert facts(out) <= facts(text)

    again = critique_text(out, Options(kind=report.kind))
    warnings = [f for f in report.findings if f.severity == "warning"]
    assert len([f for f in again.findings if f.severity == "warning"]) < len(warnings)


def test_the_rewrite_is_idempotent_on_every_example():
    for path in sorted((ROOT / "examples").glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        options = {"template": path.stem == "template"}
        first = rewrite_offline(text, Options(kind=path.parent.name, **options))
        second = fix(first.text, path.parent.name, **options)
        assert second.text == first.text, path
        assert second.markers == first.markers
        assert not new_facts(text, first.text), path


def test_rewrite_offline_reaches_a_fixed_point():
    # Dropping the only question leaves no ask: the next pass asks for one, then nothing changes.
    text = "Hey Priscilla, can you forward this to Omar for me? He seems good to know. Thanks!! Dev"
    result = rewrite_offline(text, Options(kind="blurb"))
    assert "can you forward this" not in result.text
    assert "[ASK: one small, specific request" in result.text
    assert fix(result.text, "blurb").text == result.text
    assert result.text.count("[ASK: ") == result.markers


# --- one test per action -----------------------------------------------------------------------


def test_drop_sentence_takes_the_sentence_and_tidies_the_gap():
    text = (
        "Hi Maya,\n\nI hope this email finds you well. Your talk on search ranking changed my capstone.\n\nThanks,\nSam"
    )
    out = fix(text, "cold-email").text
    assert "Hi Maya,\n\nYour talk on search ranking changed my capstone." in out

    alone = "Hi Maya,\n\nI hope you're doing well!\n\nYour talk on search ranking changed my capstone.\n\nThanks,\nSam"
    out = fix(alone, "cold-email").text
    assert out.startswith("Hi Maya,\n\n") and "doing well" not in out and "\n\n\n" not in out
    assert "Your talk on search ranking changed my capstone." in out


def test_drop_sentence_keeps_a_sentence_that_carries_more_than_filler():
    text = (
        "Hi Maya,\n\nI hope this email finds you well and that the Denver launch of Atlas went smoothly. "
        "Would you have 15 minutes next week?\n\nThanks,\nSam"
    )
    result = fix(text, "cold-email")
    assert "I hope this email finds you well and that the Denver launch of Atlas went smoothly." in result.text
    assert not any("OPN002" in c for c in result.changes)


def test_drop_match_cuts_the_words_and_recapitalises():
    blurb = "As you know, my team maps bus routes for small cities. Would she have 15 minutes next week?"
    out = fix(blurb, "blurb", select=("BLB002",)).text
    assert out == "My team maps bus routes for small cities. Would she have 15 minutes next week?"

    rules = {**RULES, "ASK011": replace(RULES["ASK011"], rewrite=parse_rewrite("drop-match", "test.toml", "ASK011"))}
    text = "Hi Maya, would you have 15 minutes next week? I'd be grateful, thanks in advance. Sam"
    out = fix(text, "cold-email", rules).text
    assert "I'd be grateful. Sam" in out

    text = "Hi Maya,\n\nWould you have 15 minutes next week?\n\nThanks in advance!\n\nSam"
    out = fix(text, "cold-email", rules).text
    assert "advance" not in out and "\n\n\n" not in out and out.endswith("next week?\n\nSam")


def test_replace_uses_the_template_and_sentence_case():
    out = fix("Hi Maya, I'd love to pick your brain about grid storage. Thanks, Sam", "cold-email").text
    assert "I'd love to ask you about grid storage. [ASK: the one specific question you want to ask them]" in out

    out = fix("Hi Maya, PLEASE READ THIS: would you have 15 minutes next week? Thanks, Sam", "cold-email").text
    assert "Please read this: would you have 15 minutes next week?" in out
    assert "I REALLY need" not in fix("Hi Maya, I REALLY need your advice on UX. Thanks, Sam").text

    out = fix("Hi Maya, congratulations on the launch!!! I loved the the talk. Sam", "connection-note").text
    assert "congratulations on the launch! I loved the talk." in out


def test_replace_of_a_form_salutation_and_a_reply_subject():
    text = (
        "Subject: Re: our chat\n\nTo whom it may concern,\n\n"
        "Could I ask you two questions about your hiring? Thanks,\nJake"
    )
    out = fix(text, "cold-email").text
    assert out.startswith("Subject: Our chat\n\nHi [ASK: their first name],\n\nCould I ask you")


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        # subject: the first line, then a blank line
        (
            "cold-email",
            "Hi Maya,\n\nI'm sending this email about your grid talk. "
            "Would you have 15 minutes next week?\n\nBest,\nSam",
            "Subject: [ASK: a few specific words on the topic]\n\nHi Maya,\n\n",
        ),
        # greeting: a line of its own before the body
        (
            "cold-email",
            "Subject: Your grid talk\n\nYour talk on grid storage answered my question. Could I ask you one more, "
            "by phone for 15 minutes next week?\n\nBest,\nSam",
            "Subject: Your grid talk\n\nHi [ASK: their first name],\n\nYour talk",
        ),
        # opening: a new first sentence of the body, after the greeting
        (
            "connection-note",
            "Hi Nadia, I work in logistics and would like to connect. Sam",
            "Hi Nadia, [ASK: one specific thing of theirs you read, watched or used, and what it did for you] I work",
        ),
        # closing: the last sentence of the body, before the sign-off and a closing thank-you line
        (
            "cold-email",
            "Subject: Your grid talk\n\nHi Maya,\n\nYour talk on grid storage changed how I plan my capstone. "
            "I run a small solar cooperative in Ohio.\n\nThanks for reading.\n\nBest,\nSam",
            "cooperative in Ohio. [ASK: one small, specific request, e.g. a short call next week about one question]"
            "\n\nThanks for reading.\n\nBest,\nSam",
        ),
        # end: after everything
        (
            "cold-email",
            "Subject: Your grid talk\n\nHi Maya,\n\nYour talk on grid storage changed my capstone. "
            "Would you have 15 minutes next week?",
            "Would you have 15 minutes next week?\n\nThanks,\n[ASK: your name]",
        ),
        (
            "cold-email",
            "Subject: Your grid talk\n\nHi Maya,\n\nYour talk on grid storage changed my capstone. "
            "Would you have 15 minutes next week?\n\nBest regards,\n",
            "Would you have 15 minutes next week?\n\nBest regards,\n[ASK: your name]\n",
        ),
    ],
    ids=["subject", "greeting", "opening", "closing", "end", "end-after-sign-off"],
)
def test_insert_at_each_position(kind, text, expected):
    result = fix(text, kind)
    assert expected in result.text, result.text
    assert result.markers >= 1
    assert result.text.count("[ASK") == result.markers
    assert fix(result.text, kind).text == result.text


def test_every_insert_position_is_known():
    used = {action.at for r in WITH_REWRITE for action in r.rewrite if action.do == "insert"}
    assert used <= set(get_args(InsertAt))
    assert {"subject", "greeting", "opening", "closing", "end"} <= used


def test_one_insert_per_text_even_when_two_rules_ask_for_it():
    text = "Subject: Intro?\n\nHey Marcy,\n\nCould you introduce me to Ben? You can just cc me.\n\nThanks!!\nCaleb\n"
    result = fix(text, "intro-request")
    assert result.text.count("[ASK: why this person") == 1
    # An optional check (REC001: nothing offered) costs nothing, so it adds no marker to fill.
    assert "[ASK: one thing you bring or can offer them" not in result.text


# --- overlaps, line endings, stale findings, rules without rewrite -------------------------------


def test_overlapping_edits_keep_the_more_severe_then_the_earlier_code():
    text = "We saw alpha beta gamma."
    a, b = text.index("alpha beta"), text.index("beta gamma")
    rules = {
        "AAA001": rule_like("AAA001", {"replace": "one"}),
        "BBB001": rule_like("BBB001", {"replace": "two"}, severity="error"),
        "CCC001": rule_like("CCC001", {"replace": "three"}),
    }
    overlapping = [finding(text, "AAA001", a, a + 10), finding(text, "BBB001", b, b + 10, "error")]
    result = apply_fixes(text, overlapping, rules)
    assert result.text == "We saw alpha two."
    assert result.changes == ['replaced "beta gamma" with "two" (BBB001)']

    same_severity = [finding(text, "CCC001", b, b + 10), finding(text, "AAA001", a, a + 10)]
    assert apply_fixes(text, same_severity, rules).text == "We saw one gamma."


def test_a_dropped_sentence_swallows_the_edits_inside_it():
    text = "Hi Maya,\n\nSorry to bother you!! Your talk on grid storage changed my capstone.\n\nThanks,\nSam"
    result = fix(text, "cold-email")
    assert "Sorry" not in result.text and "!!" not in result.text
    assert "Hi Maya,\n\nYour talk on grid storage changed my capstone." in result.text


def test_crlf_line_endings_are_kept():
    text = WEAK.read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    lf_result, crlf_result = fix(text), fix(crlf)
    assert "\n" not in crlf_result.text.replace("\r\n", "")
    assert crlf_result.text == lf_result.text.replace("\n", "\r\n")
    note = "Subject: Your grid talk\r\n\r\nHi Maya,\r\n\r\nYour talk changed my capstone. Would you have 15 minutes?"
    out = fix(note, "cold-email").text
    assert out.endswith("15 minutes?\r\n\r\nThanks,\r\n[ASK: your name]")


def test_findings_that_do_not_match_the_text_are_ignored():
    text = "Hi Maya, I hope this email finds you well. Would you have 15 minutes? Sam"
    stale = finding(text, "OPN002", 12, 40)
    stale.text = "something else"
    assert apply_fixes(text, [stale], RULES).text == text


def test_a_rule_without_rewrite_is_left_alone():
    assert not RULES["OPN005"].rewrite and not RULES["HYG001"].rewrite
    text = "Hi [Name], I run a pantry in Sacramento and would love to connect. Grace"
    report = critique_text(text, Options(kind="connection-note", select=("HYG001", "OPN005")))
    assert {f.rule for f in report.findings} == {"HYG001", "OPN005"}
    result = apply_fixes(text, report.findings, RULES)
    assert result == FixResult(text=text, changes=[], markers=0)

    # The same finding with its rewrite taken away is untouched too.
    bare = {**RULES, "OPN002": replace(RULES["OPN002"], rewrite=())}
    draft = "Hi Maya, I hope this email finds you well. Would you have 15 minutes next week? Sam"
    assert fix(draft, "connection-note", bare, select=("OPN002",)).text == draft


def test_words_inside_a_marker_are_never_edited():
    text = "Hi Maya, [ASK: any advice you want, and when] would you have 15 minutes next week? Sam"
    report = critique_text(text, Options(kind="cold-email", select=("ASK002",)))
    assert report.findings  # "any advice" inside the marker is flagged...
    assert apply_fixes(text, report.findings, RULES).text == text  # ...but not rewritten


@pytest.mark.parametrize(
    ("rule", "example"),
    [pytest.param(r, e, id=f"{r.code}-bad{i}") for r in WITH_REWRITE for i, e in enumerate(r.bad)],
)
def test_each_rewrite_on_its_rules_bad_examples_invents_nothing(rule, example):
    options = Options(kind=example.kind, account=example.account, attempt=example.attempt, template=example.template)
    report = critique_text(example.text, replace(options, select=(rule.code,)))
    result = apply_fixes(example.text, report.hits, RULES)
    assert not new_facts(example.text, result.text), result.text
    assert result.text.count("[ASK: ") == result.markers
    again = critique_text(result.text, replace(options, select=(rule.code,)))
    assert apply_fixes(result.text, again.hits, RULES).text == result.text


# --- the rewrite key in the catalogue ----------------------------------------------------------


ALLOWED_CAPITALS = {"ASK", "I"}


@pytest.mark.parametrize("rule", WITH_REWRITE, ids=lambda r: r.code)
def test_every_rewrite_is_valid_and_can_only_add_generic_words(rule):
    for action in rule.rewrite:
        if action.do not in ("replace", "insert"):
            continue
        words = action.text
        fields = {name for _, name, _, _ in string.Formatter().parse(words) if name}
        literal = re.sub(r"\{[a-z_]+\}", " ", words)
        assert not re.search(r"\d", literal), f"{rule.code}: a digit in {words!r}"
        assert not URL_RE.search(literal) and "@" not in literal, f"{rule.code}: a link in {words!r}"
        # A capital only where a sentence, line, bracket or marker starts, or an allowed acronym.
        for m in WORD_RE.finditer(literal):
            word = m.group()
            before = literal[: m.start()].rstrip(" ")
            starts = not before or before[-1] in ".!?:([\n"
            assert word[0].islower() or starts or word in ALLOWED_CAPITALS, f"{rule.code}: {word!r} in {words!r}"
        if action.do == "insert":
            assert not fields, f"{rule.code}: an insert is literal text"
            assert MARKER_RE.search(words), f"{rule.code}: an insert must leave a marker for the writer"
        for marker in MARKER_RE.findall(literal):
            assert marker.startswith("[ASK: ")


@pytest.mark.parametrize(
    "bad",
    [
        "drop-everything",
        {"insert": "[ASK: x]"},
        {"insert": "[ASK: x]", "at": "middle"},
        {"replace": "x", "at": "opening"},
        {"replace": "x", "insert": "y", "at": "end"},
        {"replace": "{name}"},
        {"replace": "{word}", "match": "(?P<other>x)"},
        {"replace": "x", "match": "("},
        {"drop": "paragraph"},
        {"drop": "match", "max_other_words": 3},
        {"drop": "sentence", "max_other_words": -1},
        {"replace": ""},
        {"replace": "x", "colour": "red"},
        [],
        [["drop-match"]],
        3,
    ],
)
def test_a_bad_rewrite_value_is_a_rule_file_error(bad, tmp_path):
    (tmp_path / "z.toml").write_text(RECORD + f"rewrite = {toml_value(bad)}\n")
    with pytest.raises(ConfigError, match=r"z\.toml: rule ZZZ001: key 'rewrite"):
        load_catalogue(tmp_path)


RECORD = (
    '[[rule]]\ncode = "ZZZ001"\nname = "zzz"\nkinds = ["*"]\nseverity = "warning"\ntype = "phrase"\n'
    'patterns = ["zzz"]\nmessage = "m"\nfix = "f"\nrationale = "r"\nguidance = "general#proofread"\n'
    'good = ["a"]\nbad = ["zzz"]\n'
)


def toml_value(value) -> str:
    """A Python value as a TOML inline value (strings, numbers, lists and tables)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"


def test_a_rewrite_list_is_parsed_once_into_typed_actions(tmp_path):
    (tmp_path / "z.toml").write_text(RECORD + 'rewrite = [{ match = "^z", replace = "{text_lower}" }, "drop-match"]\n')
    (rule,) = load_catalogue(tmp_path).rules
    assert [(a.do, a.text, a.match) for a in rule.rewrite] == [
        ("replace", "{text_lower}", "^z"),
        ("drop-match", "", None),
    ]
    assert all(a.safe and not a.needs_writer for a in rule.rewrite)


def test_the_offline_rewrite_passes_the_fact_guard():
    from coach import guard

    drafts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*/weak.txt"))]
    drafts += [e.text for r in WITH_REWRITE for e in r.bad]
    for text in drafts:
        result = rewrite_offline(text)
        assert not guard.unsupported_facts(result.text, [text]), result.text


# --- the cases: safe fixes apply, markers never sit inside a sentence ------------------


def _offline(text: str, kind: str = "auto", **options) -> FixResult:
    return rewrite_offline(text, Options(kind=kind, **options))


def test_a_guilt_line_is_dropped_and_the_ask_kept():
    text = (
        "Hi Maya,\n\nI'm a bit disappointed that I never heard back about the design review I sent. "
        "Would you have 15 minutes this week to look at the new prototype?\n\nThanks,\nSam"
    )
    out = _offline(text, "follow-up").text
    assert "disappointed" not in out and "never heard back" not in out
    assert "Would you have 15 minutes this week to look at the new prototype?" in out
    # The only question, with a guilt phrase in it, is the writer's to reword: it stays.
    ask = "Hi Maya,\n\nPer my last email, could you send the deck?\n\nThanks,\nSam"
    assert "could you send the deck?" in _offline(ask, "follow-up").text


def test_a_pitch_and_a_job_ask_leave_a_connection_note():
    pitch = (
        "Hi Dana, I enjoyed your talk on clinic scheduling. Our platform helps clinics like yours cut "
        "no-shows by 30%. Would love to connect. Sam"
    )
    out = _offline(pitch, "connection-note").text
    assert out == "Hi Dana, I enjoyed your talk on clinic scheduling. Would love to connect. Sam"
    job = (
        "Hi Nadia, your post on churn models was great. I'm looking for a new role in data science, so please "
        "refer me if anything opens up. Would love to connect. Sam"
    )
    out = _offline(job, "connection-note").text
    assert out == "Hi Nadia, your post on churn models was great. Would love to connect. Sam"
    report = critique_text(out, Options(kind="connection-note"))
    assert not {"ASK008", "ASK009"} & {f.rule for f in report.findings}


def test_a_note_over_the_limit_loses_its_lowest_value_sentences():
    text = (
        "Hi Nadia, I read your post on churn models at Spotify and it changed how I think about retention "
        "curves. I've spent six years in analytics at two startups and a bank, where I led a team of four. "
        "I'm now moving into product analytics and would love to hear how you structure experiments. "
        "Would you be open to connecting? Sam"
    )
    assert len(text) > 300
    result = _offline(text, "connection-note")
    assert len(result.text) <= 300
    assert "six years in analytics" not in result.text  # background about the writer goes first
    assert "I read your post on churn models" in result.text and "Would you be open to connecting?" in result.text
    assert not any(f.rule == "LEN001" for f in critique_text(result.text, Options(kind="connection-note")).findings)


def test_a_wall_of_text_is_cut_to_the_ideal_length_keeping_the_ask():
    background = [
        "Over the past two years I have completed coursework in data structures, algorithms and databases.",
        "I am also vice president of our ACM chapter, where I help organize hackathons every semester.",
        "Last summer I interned at a local insurance company, where I built dashboards for the claims team.",
        "Before that I worked part-time at the campus library, where I rebuilt the booking system for rooms.",
        "In my free time I contribute to open-source tools for energy modelling and write a small newsletter.",
        "I also volunteer with a local group that installs solar panels on the roofs of community centres.",
        "My friends say I am the most organised person they know, and my professors tend to agree with them.",
    ]
    text = (
        "Subject: Degradation costs in your paper\n\nHi Maya,\n\n"
        "Your talk on grid storage at PyData changed how I think about my capstone on battery sizing. "
        + " ".join(background)
        + " I have read most of your papers on storage dispatch and your approach to degradation is what my "
        "capstone is missing. Would you have 15 minutes next week for one question about how you priced "
        "degradation?\n\nThanks,\nJason"
    )
    assert len(text.split()) > 175
    result = _offline(text, "cold-email")
    report = critique_text(result.text, Options(kind="cold-email"))
    assert report.stats.words <= 125 and not any(f.rule == "LEN003" for f in report.findings)
    assert "Would you have 15 minutes next week" in result.text
    assert "Your talk on grid storage at PyData" in result.text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("My name is Jason Lee and I am a student at the University of Illinois.", "I am a student at the"),
        ("My name is Jason Lee, a student at the University of Illinois.", "I'm a student at the"),
        ("My name is Jason Lee.", "Your talk"),
    ],
)
def test_my_name_is_goes_and_the_rest_of_the_sentence_stays(sentence, expected):
    text = (
        f"Subject: Your grid storage talk\n\nHi Maya,\n\n{sentence} Your talk on grid storage changed my "
        "capstone. Would you have 15 minutes next week for one question about battery sizing?\n\nThanks,\nJason"
    )
    out = _offline(text, "cold-email").text
    assert "My name is" not in out and f"Hi Maya,\n\n{expected}" in out


def test_handles_names_and_acronyms_are_kept():
    out = _offline("hey there @marta, loved your thread on design systems. Would you be open to connecting? Sam").text
    assert out.startswith("Hey @marta, loved your thread") and "[ASK" not in out
    out = _offline("Hello there Marta,\n\nloved your thread. Would you be open to connecting?\n\nSam").text
    assert out.startswith("Hello Marta,")
    asap = "Hi Maya, I need an answer ASAP on one UX question: would you have 15 minutes next week? Thanks, Sam"
    assert "ASAP" in _offline(asap, "cold-email").text
    shouted = "Hi Maya, PLEASE HELP ME with UX research at NASA: would you have 15 minutes next week? Thanks, Sam"
    out = _offline(shouted, "cold-email").text
    assert "Please help me with UX research at NASA:" in out


def _marker_is_on_its_own(text: str, m: re.Match[str]) -> bool:
    """A marker replaces a line's clause (a greeting, a subject) or stands as a sentence."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start : len(text) if line_end == -1 else line_end]
    before = MARKER_RE.sub("", text[line_start : m.start()]).rstrip()
    after = MARKER_RE.sub("", text[m.end() : len(text) if line_end == -1 else line_end]).lstrip()
    if line.lower().startswith("subject:") or re.match(r"(?i)(?:hi|hello|hey|dear)\b", line):
        return True
    starts = not before or before[-1] in ".!?:,"
    ends = not after or after[0] in ".,!?" or after[0].isupper() or after[:1] in '"('
    return starts and ends


def test_markers_are_never_wedged_into_a_sentence():
    coffee = (
        "Subject: Your career path\n\nHi Maya,\n\nYour talk on grid storage changed my capstone. I would really "
        "appreciate it if we could grab a coffee sometime so I could pick your brain about your career path and "
        "any advice you may have for someone like me.\n\nThanks,\nSam"
    )
    out = _offline(coffee, "cold-email").text
    assert (
        "grab a coffee so I could ask you about your career path and advice you may have for someone like me. "
        "[ASK: the one specific question you want to ask them]" in out
    )
    drafts = [coffee] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*/weak.txt"))]
    drafts += [e.text for r in WITH_REWRITE for e in r.bad]
    for text in drafts:
        result = _offline(text)
        for m in MARKER_RE.finditer(result.text):
            if not MARKER_RE.search(text):
                assert _marker_is_on_its_own(result.text, m), (m.group(), result.text)


def test_an_unsure_kind_adds_no_markers_of_one_kind(monkeypatch):
    from coach.text import kinds

    monkeypatch.setattr(kinds, "UNSURE_BELOW", 1.01)  # every detection is unsure
    text = (
        "Hi Nadia,\n\nReally glad we got to talk at the analytics meetup, and thanks for the pointers on churn "
        "models. Let's keep in touch here.\n\nCheers,\nSam\n"
    )
    report = critique_text(text, Options())
    assert any("unsure of the kind" in n for n in report.notices)
    result = _offline(text)
    for m in MARKER_RE.finditer(result.text):
        owners = [r for r in WITH_REWRITE if any(m.group() in a.text for a in r.rewrite)]
        assert all(
            set(r.kinds) >= {report.kind, *report.notices[0].split("(")[1].split(")")[0].split(" or ")} for r in owners
        ), m.group()


def test_every_action_says_whether_it_needs_the_writer():
    for rule in WITH_REWRITE:
        for action in rule.rewrite:
            has_marker = bool(MARKER_RE.search(action.text))
            assert action.needs_writer == (has_marker or action.do == "insert"), (rule.code, action)
            assert action.safe != action.needs_writer
            if action.extend:
                re.compile(action.extend, re.IGNORECASE)
            assert not (action.always or action.until_fits) or action.do == "drop-sentence", rule.code
            assert not action.until_fits or rule.type == "count", rule.code


def test_safe_fixes_alone_add_no_markers():
    text = WEAK.read_text(encoding="utf-8")
    safe = rewrite_offline(text, writer=False)
    assert safe.markers == 0 and "I hope this email finds you well." not in safe.text
    assert "pick your brain" in safe.text  # the vague ask needs the writer's question: left alone
