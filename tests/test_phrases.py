"""Phrase lists find exactly what their whole alternation would, however few regexes a draft
lets through the word index (coach.text.literals.PhraseSet, Alternation)."""

from __future__ import annotations

import re

import pytest

from bench.corpus import load_corpus
from coach.rules.catalogue import all_rules
from coach.text.kinds import CUES
from coach.text.literals import PhraseSet, haystack, satisfied
from coach.text.measures import lower_same_length

TEXTS = [m.text for m in load_corpus()][::18]  # one message in eighteen (about 50): every kind, real shapes


def _sets() -> list[tuple[str, PhraseSet, bool]]:
    """Every phrase list, and whether it runs on the lowered draft (as the engine runs it)."""
    found = [
        (f"{rule.code}.{key}", s, rule.phrase_mode == "lowered")
        for rule in all_rules()
        for key, s in rule.phrase_sets.items()
    ]
    return found + [(f"cue {i}", cue.pattern, not cue.on_original) for i, cue in enumerate(CUES)]


def _full(phrase_set: PhraseSet) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{source})" for source, _ in phrase_set.prepared), phrase_set.flags)


@pytest.mark.parametrize("name,phrase_set,lowered", _sets(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_candidates_match_as_the_whole_list_would(name, phrase_set, lowered):
    full = _full(phrase_set)
    for text in TEXTS:
        for seen in (lower_same_length(text),) if lowered else (text, text.lower()):
            candidates = phrase_set.for_text(seen)
            spans = [m.span() for m in candidates.finditer(seen)] if candidates else []
            assert spans == [m.span() for m in full.finditer(seen)], (name, seen[:60])
            first = phrase_set.search(seen)
            expected = full.search(seen)
            assert (first and first.span()) == (expected and expected.span()), (name, seen[:60])


def test_a_phrase_is_ruled_out_only_when_its_words_are_missing():
    phrase_set = next(s for rule in all_rules() for s in rule.phrase_sets.values() if len(s.prepared) > 5)
    text = "Would you be open to a short call next week? I could share my notes."
    for source, clauses in phrase_set.prepared:
        if not satisfied(clauses, haystack(text.lower())):
            assert re.search(source, text.lower(), phrase_set.flags) is None, source


def test_word_pairs_are_read_only_where_a_match_must_hold_them_side_by_side():
    from coach.text.literals import adjacent_words

    assert adjacent_words(r"\b(?:gentle|quick)\s+reminder\b") == ((" gentle reminder ", " quick reminder "),)
    assert adjacent_words(r"(?!\bnext\s+week\b)\bthis\s+week\b") == ((" this week ",),)  # not the lookahead's
    for source in (
        r"\bi\s+(?:really\s+)?admire\b",  # an optional word between
        r"\bto\s+meet(?:s|ing)?\b",  # a word that may go on
        r"quick\s+reminder\b",  # no boundary before: "superquick reminder" matches
        r"\bhi (?:both|all)\b|\bx y\b",  # two branches
        r"\bi['’]m\s+sure\b",  # an apostrophe
    ):
        assert adjacent_words(source) == (), source
