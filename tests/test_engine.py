"""Engine internals: lowered matching, the pattern and rule caches, scoring, languages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from coach.rules.engine import Options, critique_text
from coach.rules.report import Finding, score
from coach.text.measures import lower_pattern, lower_same_length

ROOT = Path(__file__).resolve().parent.parent


def test_lower_pattern_keeps_escapes_and_group_names():
    pattern = r"\bPick\s+(?P<Who>Your)\S*\W(?P=Who)[A-Z]\d"
    lowered = lower_pattern(pattern)
    assert lowered == r"\bpick\s+(?P<Who>your)\S*\W(?P=Who)[a-z]\d"
    assert re.compile(lowered).search("pick   your! yourz9")


def test_lower_same_length_never_moves_offsets():
    text = "İstanbul, ÉCOLE and MAYA"
    low = lower_same_length(text)
    assert len(low) == len(text)
    assert low.endswith("école and maya")


def test_case_sensitive_parts_of_a_rule_still_see_capitals():
    draft = "Subject: You two should meet someone\n\nPriya, Sam: thanks for both saying yes.\n\nDana"
    named = "Subject: Meet Priya\n\nPriya, Sam: thanks for both saying yes.\n\nDana"
    codes = lambda text: {f.rule for f in critique_text(text, Options(kind="connector-intro")).hits}  # noqa: E731
    assert "CON004" in codes(draft)
    assert "CON004" not in codes(named)


def test_score_is_clipped_and_explained():
    def finding(severity, code="X"):
        return Finding(code, "x", severity, "m", "f", 0, 1, 1, 1, "t")

    points, breakdown = score([finding("error", f"X{i}") for i in range(5)])
    assert points == 0 and sum(b["cost"] for b in breakdown) == 125
    points, breakdown = score([finding("warning", "W"), finding("suggestion", "S")])
    assert points == 87 and [b["cost"] for b in breakdown] == [10, 3]


def test_non_english_drafts_get_a_notice_and_no_phrase_findings():
    french = (
        "Objet : Votre conférence\n\nBonjour Maya,\n\nJ'ai beaucoup aimé votre présentation sur la logistique du "
        "froid. Auriez-vous quinze minutes la semaine prochaine pour en parler ? Je peux vous envoyer mes notes.\n\n"
        "Merci,\nSam"
    )
    report = critique_text(french, Options(kind="cold-email"))
    assert any("English" in n for n in report.notices)
    from coach.rules.catalogue import rule_by_code

    assert all(not rule_by_code(f.rule).english_only for f in report.findings)


def test_console_entry_keeps_exit_codes_and_flushes_output(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    missing = subprocess.run(
        [sys.executable, "-m", "coach", "critique", str(tmp_path / "none.txt")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("coach: error:") and len(missing.stderr.strip().splitlines()) == 1
    version = subprocess.run([sys.executable, "-m", "coach", "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("coach ")
