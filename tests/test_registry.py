"""The catalogue's integrity: codes, names, examples, rationale, guidance links, coverage."""

from __future__ import annotations

import re

import pytest

from coach import guidance
from coach.errors import ConfigError
from coach.rules.catalogue import all_rules, catalogue, load_catalogue
from coach.rules.config import Settings
from coach.rules.schema import SEVERITIES
from coach.text.kinds import KINDS

RULES = all_rules()
REQUIRED_FAMILIES = {"HYG", "LEN", "SUB", "OPN", "PER", "ASK", "REC", "INT", "BLB", "CON", "FUP"}


def test_there_are_at_least_forty_rules_in_every_required_family():
    assert len(RULES) >= 40
    assert {r.family for r in RULES} >= REQUIRED_FAMILIES
    assert set(catalogue().families) >= REQUIRED_FAMILIES


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.code)
        assert rule.severity in SEVERITIES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented_and_has_examples(rule):
    assert rule.good and rule.bad, f"{rule.code} needs good and bad examples"
    assert len(rule.rationale.split()) >= 12, f"{rule.code} needs a real rationale"
    assert rule.fix.strip() and rule.message.strip()
    assert guidance.section(rule.guidance) is not None, f"{rule.code} cites missing section {rule.guidance}"


def test_every_kind_has_rules_of_its_own():
    for kind in KINDS:
        assert sum(1 for r in RULES if r.applies_to(kind) and len(r.kinds) < len(KINDS)) >= 3, kind


def test_guidance_has_every_doc_with_anchored_sections():
    for doc in guidance.DOCS:
        assert guidance.sections(doc), doc


def test_a_broken_rule_file_is_reported_with_its_name(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text('[[rule]]\ncode = "BAD001"\ntype = "phrase"\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_catalogue(tmp_path)
    (tmp_path / "bad.toml").write_text("[[rule]\n")
    with pytest.raises(ConfigError, match="TOML"):
        load_catalogue(tmp_path)


PATHOLOGICAL = [
    "word " * 6000,
    ("I would love to pick your brain about it. " * 800),
    "a" * 50_000,
    "Hi Maya,\n" + ("[" * 2000) + ("{" * 2000) + ("<" * 2000),
    "!" * 20_000 + "?" * 20_000,
    ("Thanks, " * 3000) + "Sam",
    "\n".join(["Best,"] * 3000),
    ("ALL CAPS WORDS HERE " * 1000),
    ("the the " * 3000),
    ("-" * 5000 + "\n") * 10,
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_rule_backtracks_catastrophically(kind, hard_timeout):
    """Generous bound: each pathological draft must finish well within seconds."""
    from coach.rules.engine import Options, critique_text

    for text in PATHOLOGICAL:
        report = critique_text(text, Options(kind=kind))
        assert report.kind == kind


def test_the_whole_pipeline_is_bounded_on_pathological_drafts(hard_timeout):
    """Detection, parsing, the offline rewrite and the guard too, not only the rules."""
    from coach.app.rewrite import offline_rewrite
    from coach.guard import unsupported_facts
    from coach.rules.engine import Options

    for text in PATHOLOGICAL[:6]:
        outcome = offline_rewrite(text, Options(), Settings())
        assert not unsupported_facts(outcome.rewrite, [text])  # fixes only remove words or add markers
