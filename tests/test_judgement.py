"""Findings and checks, what they cost, bands, stages, and drafts coach cannot judge."""

from __future__ import annotations

import json

from click.testing import CliRunner

from coach.cli import cli
from coach.rules.engine import Options, critique_text
from coach.rules.report import BANDS, Check, Finding, band, score


def finding(rule: str, severity: str = "warning") -> Finding:
    return Finding(rule, rule.lower(), severity, "m", "f", 0, 1, 1, 1, "t")


def check(rule: str, essential: bool, severity: str = "warning") -> Check:
    return Check(rule, rule.lower(), severity, "m", "f", 0, 1, 1, 1, "t", question="Is it there?", essential=essential)


def test_an_optional_check_costs_nothing_and_an_essential_one_costs_its_severity():
    points, breakdown = score([], None, [check("AAA001", essential=False), check("BBB001", essential=True)])
    assert points == 90
    assert [(b["rule"], b["cost"], b.get("check")) for b in breakdown] == [("AAA001", 0, True), ("BBB001", 10, True)]


def test_a_rule_costs_once_however_often_it_fires():
    points, breakdown = score([finding("AAA001"), finding("AAA001"), finding("BBB001", "error")], None)
    assert points == 100 - 10 - 25
    assert [b["cost"] for b in breakdown] == [10, 0, 25]


def test_fitted_weights_replace_the_severity_cost():
    points, _ = score([finding("AAA001"), finding("BBB001")], None, [], {"AAA001": 4})
    assert points == 100 - 4 - 10


def test_bands_cover_every_score():
    assert band(None) == "not scored"
    assert [band(p) for p in (100, BANDS[0][0], BANDS[0][0] - 1, BANDS[1][0], BANDS[1][0] - 1, 0)] == [
        "ready to send",
        "ready to send",
        "revise",
        "revise",
        "rework",
        "rework",
    ]


GENERIC = (
    "Subject: Hello\n\nHi Dana,\n\nI am a student and would like 15 minutes of your time next week. Thanks,\nSam\n"
)


def test_a_missing_element_is_a_check_with_a_question_not_a_finding():
    report = critique_text(GENERIC, Options(kind="cold-email"))
    assert all(not isinstance(f, Check) for f in report.findings)
    assert report.checks and all(c.question.endswith("?") for c in report.checks)
    assert {c.rule for c in report.checks}.isdisjoint({f.rule for f in report.findings})
    data = report.to_dict()
    assert data["checks"] and all("question" in c and "essential" in c for c in data["checks"])
    assert data["band"] == report.band


def test_the_text_report_puts_checks_as_questions_and_shows_the_band():
    result = CliRunner().invoke(cli, ["critique", "--kind", "cold-email", "-"], input=GENERIC)
    assert "questions (coach found nothing that answers them):" in result.output
    first = critique_text(GENERIC, Options(kind="cold-email"))
    assert f"score {first.score}/100, {first.band}" in result.output


def test_a_draft_coach_cannot_judge_is_not_scored_never_100():
    french = (
        "Bonjour Maya,\n\nJ'ai beaucoup aimé votre présentation sur la logistique du froid. Auriez-vous quinze "
        "minutes la semaine prochaine pour en parler ? Je peux vous envoyer mes notes.\n\nMerci,\nSam"
    )
    report = critique_text(french, Options(kind="cold-email"))
    assert report.score is None and report.band == "not scored"
    result = CliRunner().invoke(cli, ["critique", "--kind", "cold-email", "--format", "json", "-"], input=french)
    data = json.loads(result.output)
    assert data["score"] is None and data["band"] == "not scored"
    assert "not scored" in CliRunner().invoke(cli, ["critique", "--kind", "cold-email", "-"], input=french).output


def test_a_given_stage_is_reported_and_one_of_another_kind_is_a_notice():
    nudge = "Hi Dana, following up on my note from last week about the data team. Any thoughts? Sam"
    report = critique_text(nudge, Options(kind="follow-up", stage="nudge"))
    assert (report.stage, report.stage_reason) == ("nudge", "given with --stage")
    other = critique_text(nudge, Options(kind="cold-email", stage="nudge"))
    assert other.stage is None and any("--stage nudge is not a stage of cold-email" in n for n in other.notices)


def test_the_spinner_says_it_is_waiting_for_the_model_and_clears_its_line(monkeypatch):
    import io
    import time

    from coach.cli import terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = Tty()
    monkeypatch.setattr(terminal.sys, "stderr", fake)
    with terminal.waiting(True):
        time.sleep(0.5)
    shown = fake.getvalue()
    assert "waiting for the model..." in shown and " s " in shown
    assert shown.endswith("\r")
    quiet = Tty()
    monkeypatch.setattr(terminal.sys, "stderr", quiet)
    with terminal.waiting(False):
        pass
    assert quiet.getvalue() == ""


def test_short_english_fragments_are_scored_and_other_languages_are_not():
    """Clipped English (few function words) is still judged: before, a 12-word note to a
    connector and a four-line bio were "not scored", so their flaws went unreported."""
    from coach.rules.engine import looks_english

    english = [
        "Hey Marta, btw never ended up talking to Dan, he didn't respond. Thanks anyway",
        "Lina Haas. Builds things. Formerly somewhere interesting. Happy to chat.",
        "Subject: Just following up!!\n\nHi Ms. Okafor,\n\nJust following up! Hope all is well.\n\nWarmly,\nJesse",
    ]
    others = [
        "Olá Ana, vi a sua palestra sobre logística e gostaria de conversar quinze minutos na próxima semana.",
        "Hallo Frau Becker, ich habe Ihren Vortrag gesehen und hätte gern fünfzehn Minuten für ein paar Fragen.",
        "Hoi Sanne, ik zag je presentatie over koude logistiek en het is een goed idee om koffie te drinken.",
        "Здравствуйте, Мария! Я видел ваш доклад о логистике и хотел бы задать вам пару вопросов.",
    ]
    assert all(looks_english(text) for text in english)
    assert not any(looks_english(text) for text in others)
    report = critique_text(english[0], Options(kind="follow-up", stage="last"))
    assert report.score is not None and "FUP001" in {f.rule for f in report.findings}


def test_a_template_slot_named_ask_is_a_slot_and_only_a_colon_marker_must_be_filled():
    """coach's own markers are "[ASK: ...]"; a template's "[ask]" slot (a guide's "Proposed next
    step: [ask]") is filled by the writer like any other slot, so --template accepts it."""
    slot = "Thanks for the time today, [Name]. Proposed next step: [ask]. Would [slot 1] or [slot 2] suit?"
    marker = "Thanks for the time today, [Name]. Proposed next step: [ASK: the next step]. Would [slot 1] suit?"
    options = Options(kind="follow-up", stage="thanks", template=True)
    assert "HYG001" not in {f.rule for f in critique_text(slot, options).findings}
    assert "HYG001" in {f.rule for f in critique_text(marker, options).findings}


PUSHY = (
    "Hi!! I'm a results-driven professional with a proven track record and I'd love to pick your brain!!! "
    "Please find my CV attached. Please get back to me ASAP!!"
)


def test_the_learned_judgement_reads_the_whole_draft_and_quotes_the_words_it_weighed():
    report = critique_text(PUSHY, Options(kind="cold-email"))
    [judged] = [f for f in report.findings if f.rule == "JUD001"]
    assert judged.severity == "warning" and judged.evidence == "judgement"
    assert "chance of praise at" in judged.message and "'please'" in judged.message


def test_without_the_praise_model_or_with_a_marker_to_fill_there_is_no_learned_reading(monkeypatch):
    from coach.text import classify

    marked = PUSHY.replace("Please find", "[ASK: why them] Please find")
    assert "JUD001" not in {f.rule for f in critique_text(marked, Options(kind="cold-email")).findings}
    monkeypatch.setattr(classify, "shipped_praise_model", lambda: None)
    assert "JUD001" not in {f.rule for f in critique_text(PUSHY, Options(kind="cold-email")).findings}


def test_the_bench_reads_each_corpus_message_with_a_praise_model_that_never_saw_it(monkeypatch):
    """The shipped praise model was fitted on the whole corpus; the honest figures use, for each
    message, a model fitted without its fold."""
    import bench.train_kinds as train
    from bench.corpus import load_corpus

    sample = load_corpus()[::12]
    fits: list[frozenset[str]] = []
    read: list[str] = []

    def fit(messages, seed=0):
        fits.append(frozenset(m.text for m in messages))
        return fits[-1]

    def chance(draft, kind, template, model):
        assert draft.text not in model, "a message was read by a model fitted on it"
        read.append(draft.text)
        return 0.25, []

    monkeypatch.setattr(train, "fit_praise", fit)
    monkeypatch.setattr(train, "praise_chance", chance)
    honest = train.praise_out_of_fold(sample)
    assert honest == {m.id: 0.25 for m in sample}
    assert len(fits) == 5 and sorted(read) == sorted(m.text for m in sample)
