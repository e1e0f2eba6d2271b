"""Every rule's own examples: bad ones must be flagged by it, good ones must not."""

from __future__ import annotations

import pytest

from coach.rules.catalogue import all_rules
from coach.rules.engine import run_example

BAD = [pytest.param(r, e, id=f"{r.code}-bad{i}") for r in all_rules() for i, e in enumerate(r.bad)]
GOOD = [pytest.param(r, e, id=f"{r.code}-good{i}") for r in all_rules() for i, e in enumerate(r.good)]


@pytest.mark.parametrize(("rule", "example"), BAD)
def test_bad_example_is_flagged(rule, example):
    report = run_example(rule, example)
    hits = [f for f in report.hits if f.rule == rule.code]
    assert hits, f"{rule.code} did not flag its bad example:\n{example.text}"
    for f in hits:
        assert example.text[f.start : f.end] == f.text
        assert f.end > f.start


@pytest.mark.parametrize(("rule", "example"), GOOD)
def test_good_example_is_not_flagged(rule, example):
    report = run_example(rule, example)
    hits = [f for f in report.hits if f.rule == rule.code]
    assert not hits, f"{rule.code} flagged its good example: {[h.text for h in hits]}\n{example.text}"
