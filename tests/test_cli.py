"""The CLI contract: formats, exit codes, rule switches and the catalogue commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach import __version__
from coach.cli import cli
from coach.rules.catalogue import all_rules
from coach.text.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "cold-email" / "weak.txt"
STRONG = ROOT / "examples" / "cold-email" / "strong.txt"
FINDING_KEYS = {"rule", "name", "severity", "message", "fix", "start", "end", "line", "column", "text", "source"}


def run(args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_json_report_has_the_documented_shape():
    result = run(["critique", "--format", "json", WEAK])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["path"] == str(WEAK)
    assert data["kind"] == "cold-email" and data["kind_detected"] is True
    assert data["mode"] == "rules"
    assert isinstance(data["score"], int) and 0 <= data["score"] < 100
    assert set(data["stats"]) == {"characters", "words", "sentences", "questions", "reading_grade"}
    assert isinstance(data["notices"], list)
    text = WEAK.read_text(encoding="utf-8")
    assert data["findings"]
    for f in data["findings"]:
        assert set(f) >= FINDING_KEYS
        assert f["source"] == "rules"
        assert text[f["start"] : f["end"]] == f["text"]
    assert sum(item["cost"] for item in data["breakdown"]) == 100 - data["score"] or data["score"] == 0


def test_weak_example_gets_the_mentor_findings():
    data = json.loads(run(["critique", "--format", "json", WEAK]).stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert "HYG001" in rules  # [Company] placeholder
    assert any(f["severity"] == "error" for f in data["findings"])


def test_text_report_shows_kind_score_and_findings():
    result = run(["critique", WEAK])
    out = result.stdout
    assert "kind: cold-email (detected:" in out
    assert "score " in out and "/100" in out
    assert "HYG001" in out and "fix:" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_several_inputs_give_an_array_and_jsonl_gives_lines():
    data = json.loads(run(["critique", "--format", "json", WEAK, STRONG]).stdout)
    assert isinstance(data, list) and [d["path"] for d in data] == [str(WEAK), str(STRONG)]
    lines = run(["critique", "--format", "jsonl", WEAK, STRONG]).stdout.strip().splitlines()
    assert [json.loads(line)["path"] for line in lines] == [str(WEAK), str(STRONG)]


def test_stdin_is_read_when_no_file_is_given():
    result = run(["critique", "--format", "json"], input=WEAK.read_text(encoding="utf-8"))
    assert json.loads(result.stdout)["path"] == "<stdin>"


def test_exit_codes_follow_fail_on():
    assert run(["critique", "--fail-on", "never", WEAK]).exit_code == 0
    assert run(["critique", "--fail-on", "error", WEAK]).exit_code == 1
    # A draft whose only findings are below the threshold passes.
    note = "Hi Maya, your PyData talk on ranking for small catalogues was great. Would you be open to connecting?"
    data = json.loads(run(["critique", "--format", "json", "--kind", "connection-note", "-"], input=note).stdout)
    worst = {f["severity"] for f in data["findings"]}
    assert "error" not in worst
    assert run(["critique", "--kind", "connection-note", "-"], input=note).exit_code == 0


def test_select_ignore_and_min_severity():
    data = json.loads(run(["critique", "--format", "json", "--select", "HYG", WEAK]).stdout)
    assert data["findings"] and all(f["rule"].startswith("HYG") for f in data["findings"])
    data = json.loads(run(["critique", "--format", "json", "--ignore", "HYG001,HYG002", WEAK]).stdout)
    assert not {"HYG001", "HYG002"} & {f["rule"] for f in data["findings"]}
    data = json.loads(run(["critique", "--format", "json", "--min-severity", "warning", WEAK]).stdout)
    assert all(f["severity"] != "suggestion" for f in data["findings"])


def test_unknown_rule_code_and_kind_are_usage_errors():
    result = run(["critique", "--select", "ZZZ999", WEAK])
    assert result.exit_code == 2 and "ZZZ999" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run(["critique", "--kind", "love-letter", WEAK])
    assert result.exit_code == 2 and "love-letter" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_template_mode_skips_placeholders_but_counts_their_text():
    template = ROOT / "examples" / "connection-note" / "template.txt"
    plain = json.loads(run(["critique", "--format", "json", template]).stdout)
    assert "HYG001" in {f["rule"] for f in plain["findings"]}
    templ = json.loads(run(["critique", "--format", "json", "--template", template]).stdout)
    assert "HYG001" not in {f["rule"] for f in templ["findings"]}


def test_free_account_lowers_the_connection_note_limit():
    note = "Hi Maya, " + "your talk on ranking for small catalogues was the clearest I have seen, " * 3 + "thanks. Sam"
    assert 200 < len(note) <= 300
    premium = json.loads(run(["critique", "--format", "json", "--kind", "connection-note", "-"], input=note).stdout)
    free = json.loads(
        run(["critique", "--format", "json", "--kind", "connection-note", "--account", "free", "-"], input=note).stdout
    )
    assert "LEN001" not in {f["rule"] for f in premium["findings"]}
    over = [f for f in free["findings"] if f["rule"] == "LEN001"]
    assert over and over[0]["start"] == 200


def test_attempt_is_checked_for_follow_ups():
    nudge = (
        "Hi Maya, sharing the benchmark I mentioned: it halves cold-start time. Would 15 minutes next week work? Sam"
    )
    third = json.loads(
        run(
            ["critique", "--format", "json", "--kind", "follow-up", "--stage", "nudge", "--attempt", "3", "-"],
            input=nudge,
        ).stdout
    )
    second = json.loads(
        run(
            ["critique", "--format", "json", "--kind", "follow-up", "--stage", "nudge", "--attempt", "2", "-"],
            input=nudge,
        ).stdout
    )
    assert "FUP003" in {f["rule"] for f in third["findings"]}
    assert "FUP003" not in {f["rule"] for f in second["findings"]}


def test_rules_listing_and_json():
    result = run(["rules"])
    assert result.exit_code == 0
    for rule in all_rules():
        assert rule.code in result.stdout
    data = json.loads(run(["rules", "--format", "json", "--kind", "blurb"]).stdout)
    assert data and all("blurb" in r["kinds"] for r in data)


def test_explain_shows_rationale_fix_and_examples():
    rule = all_rules()[0]
    out = run(["explain", rule.code]).stdout
    assert rule.code in out and "Why:" in out and "Fix:" in out and "Flagged:" in out
    assert run(["explain", "NOPE001"]).exit_code == 2
    assert rule.code in run(["explain", rule.name]).stdout


@pytest.mark.parametrize("kind", ["general", *KINDS])
def test_guide_prints_each_kind_without_anchor_markers(kind):
    result = run(["guide", kind])
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "{#" not in result.stdout


def test_version_and_python_dash_m():
    assert run(["--version"]).stdout.strip() == f"coach {__version__}"
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "critique", "--format", "json", str(WEAK)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["kind"] == "cold-email"


def test_no_color_and_colour_on_a_terminal(monkeypatch):
    from coach.cli import critique as critique_module

    monkeypatch.setattr(critique_module, "use_colour", lambda choice="auto": True)
    coloured = CliRunner().invoke(cli, ["critique", str(WEAK)], color=True).stdout
    assert "\x1b[" in coloured
    monkeypatch.undo()
    monkeypatch.setenv("NO_COLOR", "1")
    assert critique_module.use_colour() is False


@pytest.mark.parametrize(
    ("flag", "env", "coloured"),
    [
        ("always", {}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
        ("auto", {}, False),  # CliRunner's stdout is not a terminal
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "0"}, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
        ("always", {"NO_COLOR": "1"}, True),  # the flag wins over both
    ],
)
def test_color_flag_and_the_environment(monkeypatch, flag, env, coloured):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = run(["critique", "--color", flag, WEAK]).stdout
    assert ("\x1b[" in out) is coloured


def test_color_never_reaches_an_output_file_unless_always(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    run(["critique", "--output", tmp_path / "a.txt", WEAK])
    assert "\x1b[" not in (tmp_path / "a.txt").read_text()
    run(["critique", "--color", "always", "--output", tmp_path / "b.txt", WEAK])
    assert "\x1b[" in (tmp_path / "b.txt").read_text()


def test_reading_a_terminal_says_what_coach_is_waiting_for(monkeypatch, capsys):
    from coach.cli import terminal

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(terminal.sys, "stdin", Tty())
    terminal.prompt_for_paste(())
    terminal.prompt_for_paste(("-",))
    terminal.prompt_for_paste((str(WEAK),))  # a file: nothing to say
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "paste your draft, then press Ctrl-" in err[0]


def test_stats_are_pluralised():
    result = run(["critique", "--kind", "connection-note", "-"], input="Hi Maya, would you connect? Sam")
    stats = next(line.strip() for line in result.stdout.splitlines() if "reading grade" in line)
    assert ", 1 sentence, 1 question, " in stats and "sentences" not in stats


def test_rules_lists_a_kind_but_not_auto():
    assert run(["rules", "--kind", "auto"]).exit_code == 2
    assert run(["rules", "--kind", "blurb"]).exit_code == 0


def test_one_calendar_link_is_one_finding():
    draft = (
        "Subject: Your no-show study\n\nHi Andrea,\n\nYour study on clinic no-shows matched what we see. "
        "Grab a time on my calendar link: https://calendly.com/lee-park/15min\n\nThanks,\nLee\n"
    )
    data = json.loads(run(["critique", "--kind", "cold-email", "--format", "json", "-"], input=draft).stdout)
    assert [f["rule"] for f in data["findings"]].count("ASK007") == 1


def test_a_doubled_place_name_is_not_a_repeated_word():
    draft = "Hi Maya,\n\nI grew up in Walla Walla. The the data was great. Would you connect?\n\nSam\n"
    data = json.loads(run(["critique", "--select", "HYG008", "--format", "json", "-"], input=draft).stdout)
    assert [f["text"] for f in data["findings"]] == ["The the"]


def test_a_stand_in_greeting_is_quoted_without_its_comma():
    draft = "Hello there,\n\nYour talk on flaky tests helped my team. Would you have 15 minutes next week?\n\nSam\n"
    args = ["critique", "--kind", "cold-email", "--select", "HYG002", "--format", "json", "-"]
    finding = json.loads(run(args, input=draft).stdout)["findings"][0]
    assert finding["message"].startswith("The greeting 'Hello there' greets a stand-in")
    bare = json.loads(run(args, input=draft.replace("Hello there,", "Hi,")).stdout)
    assert bare["findings"] == []


def test_the_fallback_notice_says_rules_only_once():
    from coach.app.session import fallback_notice, fallback_reason
    from coach.errors import LLMUnavailable

    exc = LLMUnavailable(
        "no answer from http://x/v1 after 4 attempts (could not connect)",
        "coach uses the rule engine alone; try again later or check the server",
    )
    for reason in (fallback_reason(exc), exc.one_line()):
        notice = fallback_notice(reason, "this is the rule engine's report")
        assert notice.count("rule") == 1, notice
        assert "try again later or check the server" in notice and ". try" not in notice


def test_without_the_model_each_surface_says_so_once(llm_env, waits):
    import respx

    from tests.llm_fakes import CHAT_URL, error

    with respx.mock:
        respx.post(CHAT_URL).mock(return_value=error(503))
        text = run(["critique", WEAK])
        rewrite = run(["rewrite", WEAK])
        machine = run(["critique", "--format", "json", WEAK])
    assert text.stdout.count("could not be used") == 1 and "could not be used" not in text.stderr
    assert rewrite.stderr.count("could not be used") == 1 and "(rules only)" in rewrite.stderr
    assert machine.stderr.count("could not be used") == 1  # JSON on stdout: a person reads stderr
    for result in (text, rewrite, machine):
        assert "alone" not in result.output.replace("rules only", "")
