"""The typed rule schema: every mistake in a rule record is an error naming the file, the rule and the key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.errors import RuleFileError
from coach.rules import build
from coach.rules.catalogue import all_rules, load_catalogue
from coach.rules.schema import CountParams, RewriteAction

ROOT = Path(__file__).resolve().parent.parent

PHRASE = (
    '[[rule]]\ncode = "ZZZ001"\nname = "zzz"\nkinds = ["cold-email"]\nseverity = "warning"\ntype = "phrase"\n'
    'patterns = ["zzz"]\nmessage = "Found {text}."\nfix = "f"\nrationale = "r"\nguidance = "general#proofread"\n'
    'good = ["a"]\nbad = ["zzz"]\n'
)
COUNT = PHRASE.replace('type = "phrase"\npatterns = ["zzz"]', 'type = "count"\nmeasure = "words"\nmax = 3').replace(
    "Found {text}.", "{value} words, over {limit}."
)
ABSENT = PHRASE.replace('type = "phrase"', 'type = "absent"\nquestion = "Is zzz there?"').replace(
    "Found {text}.", "No zzz."
)


@pytest.mark.parametrize(
    ("record", "key", "problem"),
    [
        (COUNT.replace('measure = "words"', 'measure = "wrods"'), "measure", "'wrods' is not allowed"),
        (PHRASE.replace("Found {text}.", "Found {txet}."), "message", "unknown field {txet}"),
        (COUNT.replace("{value} words", "{text} words"), "message", "unknown field {text}"),
        (
            PHRASE.replace('type = "phrase"', 'type = "structure"\nelement = "footer"\nexpect = "absent"').replace(
                'patterns = ["zzz"]\n', ""
            ),
            "element",
            "'footer' is not allowed",
        ),
        (PHRASE + 'rewrite = "drop-everything"\n', "rewrite", "must be 'drop-sentence', 'drop-match' or a table"),
        (PHRASE + 'rewrite = { insert = "[ASK: x]", at = "middle" }\n', "rewrite.at", "'middle' is not allowed"),
        (PHRASE + 'rewrite = { replace = "{name}" }\n', "rewrite.replace", "unknown fields ['name']"),
        (PHRASE.replace('kinds = ["cold-email"]', 'kinds = ["cold-email"]\nstages = ["nudge"]'), "stages", "must be"),
        (PHRASE.replace('severity = "warning"', 'severity = "fatal"'), "severity", "'fatal' is not allowed"),
        (PHRASE.replace('severity = "warning"', 'severity = "warning"\nevidence = "sure"'), "evidence", "'sure'"),
        (PHRASE + 'colour = "red"\n', "colour", "unknown key"),
        (PHRASE + 'question = "Why?"\n', "question", "only checks"),
        (ABSENT.replace('question = "Is zzz there?"\n', ""), "question", "a check needs the question"),
        (PHRASE + 'essential = ["*"]\n', "essential", "only checks"),
        (PHRASE.replace('patterns = ["zzz"]', 'patterns = ["(zzz"]'), "patterns", "bad pattern"),
        (PHRASE.replace('bad = ["zzz"]', 'bad = [{ text = "zzz", account = "gold" }]'), "bad.account", "'gold'"),
        (COUNT.replace("max = 3", 'max = "three"'), "max", "valid number"),
    ],
    ids=[
        "measure",
        "message-field",
        "message-field-of-another-type",
        "element",
        "rewrite-shorthand",
        "rewrite-at",
        "rewrite-field",
        "stage-of-another-kind",
        "severity",
        "evidence",
        "unknown-key",
        "question-on-a-finding",
        "check-without-question",
        "essential-on-a-finding",
        "pattern",
        "example-option",
        "bound",
    ],
)
def test_a_bad_record_names_the_file_the_rule_and_the_key(tmp_path, record, key, problem):
    (tmp_path / "mine.toml").write_text(record, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_catalogue(tmp_path)
    message = caught.value.one_line()
    assert message.startswith(f"rule file mine.toml: rule ZZZ001: key '{key}': ")
    assert problem in message


def test_a_good_record_loads_typed(tmp_path):
    (tmp_path / "mine.toml").write_text(COUNT + 'rewrite = [{ drop = "sentence", max_other_words = 4 }]\n')
    (rule,) = load_catalogue(tmp_path).rules
    assert isinstance(rule.params, CountParams) and rule.params.max == 3
    assert rule.rewrite == (RewriteAction(do="drop-sentence", max_other_words=4),)
    assert rule.tunables() == {"max": 3, "max_hits": 3}


def test_the_generated_catalogue_and_reference_are_in_step_with_the_records():
    stale = [path for path, text in build.targets().items() if Path(path).read_text(encoding="utf-8") != text]
    assert not stale, "run 'python -m coach.rules.build'"


def test_the_shipped_records_validate_to_the_same_catalogue_as_the_generated_one():
    validated = load_catalogue(build.records_dir())
    assert validated.rules == all_rules()
    assert [r.good for r in validated.rules] == [r.good for r in all_rules()]


def test_checks_ask_a_question_and_only_checks_can_be_essential():
    for rule in all_rules():
        assert bool(rule.question) == rule.is_check, rule.code
        assert not rule.essential or rule.is_check, rule.code


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_explain_shows_the_message_with_real_values_and_the_settings(rule):
    result = CliRunner().invoke(cli, ["explain", rule.code])
    assert result.exit_code == 0, result.output
    flags = result.output.split("What it", 1)[1].split("Why:", 1)[0]
    assert not re.search(r"\{[a-z_]+\}", flags), flags
    assert f"[rules.{rule.code}]" in result.output and "max_hits = " in result.output
    for key, value in rule.tunables().items():
        if not isinstance(value, dict):
            assert f"{key} = " in result.output


def test_an_offline_run_writes_nothing_under_home(tmp_path):
    """No rule cache, no pattern cache, no template cache: only the model-answer cache stays on disk."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "OPENAI_", "COACH_"))}
    env["HOME"] = str(home)
    draft = ROOT / "examples" / "cold-email" / "weak.txt"
    runs = {("critique", str(draft)): 1, ("rewrite", str(draft)): 0, ("rules",): 0, ("explain", "LEN002"): 0}
    for args, code in runs.items():
        done = subprocess.run([sys.executable, "-m", "coach", *args], env=env, capture_output=True, check=False)
        assert done.returncode == code and done.stdout, done.stderr
    assert list(home.rglob("*")) == []
