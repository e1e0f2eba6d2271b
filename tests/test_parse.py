"""Parsing: parts of a draft, placeholders, and offsets into the text exactly as read."""

from __future__ import annotations

import re

import pytest

from coach.text.parse import parse


def part(draft, name):
    return draft.slice(getattr(draft, name))


def test_email_parts_are_found():
    text = (
        "Subject: Your PyData talk\n\nHi Maya,\n\n"
        "I loved your talk. Would you have 15 minutes?\n\nBest,\nSam Lee\nStudent, Lakeside"
    )
    d = parse(text)
    assert part(d, "subject") == "Your PyData talk"
    assert part(d, "greeting") == "Hi Maya,"
    assert part(d, "body") == "I loved your talk. Would you have 15 minutes?"
    assert part(d, "signoff") == "Best"
    assert part(d, "signature") == "Sam Lee\nStudent, Lakeside"
    assert [d.slice(s) for s in d.sentences] == ["I loved your talk.", "Would you have 15 minutes?"]


def test_crlf_offsets_point_at_the_original_characters():
    text = "Subject: Hello\r\n\r\nHi Maya,\r\n\r\nI loved your talk.\r\nCould we talk?\r\n\r\nThanks,\r\nSam"
    d = parse(text)
    assert part(d, "subject") == "Hello"
    start = text.index("Could")
    assert any(s.start == start for s in d.sentences)
    assert d.line_col(start) == (6, 1)
    assert d.line_col(text.index("Maya")) == (3, 4)
    assert part(d, "signature") == "Sam"


def test_unlabelled_first_line_is_a_subject_only_before_a_greeting():
    d = parse("Your PyData talk\n\nHi Maya,\n\nI loved it. Could we talk?\n\nSam")
    assert part(d, "subject") == "Your PyData talk"
    note = parse("Hi Maya, I loved your PyData talk. Would you be open to connecting?")
    assert note.subject is None
    assert part(note, "greeting") == "Hi Maya,"
    assert part(note, "body").startswith("I loved")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hi [Name], see [insert detail here].", ["[Name]", "[insert detail here]"]),
        ("Hi {first_name}, from {{company}}.", ["{first_name}", "{{company}}"]),
        ("Hi <Company> team, XX years of work.", ["<Company>", "XX"]),
        ("Fill this: ____ please. [ASK: your employer]", ["____", "[ASK: your employer]"]),
    ],
)
def test_placeholders(text, expected):
    d = parse(text)
    assert [d.slice(s) for s in d.placeholders] == expected


@pytest.mark.parametrize(
    "text",
    [
        "See [1] and the [docs](https://example.com).",
        "Intro: Maya <> Alice, my e-mail is <sam@example.com>.",
        "We grew 20% in Q3 and shipped XXL sizes.",
    ],
)
def test_things_that_are_not_placeholders(text):
    assert parse(text).placeholders == []


def test_inline_sign_off_and_bare_name_signature():
    d = parse("Hi Femi, I saw your post. Could I ask two questions on a 15-minute call? Thanks, Chiamaka")
    assert part(d, "signoff") == "Thanks"
    assert part(d, "signature") == "Chiamaka"
    d = parse("Hi Stefan, here is my note. Would you be comfortable forwarding it? Aditya")
    assert d.signoff is None
    assert part(d, "signature") == "Aditya"


def test_signature_block_without_sign_off():
    d = parse("Hi Raúl,\n\nWould a 15-minute call on Tuesday work?\n\nAna Sokolova\nFounder, ColdTrace")
    assert part(d, "signature") == "Ana Sokolova\nFounder, ColdTrace"
    assert part(d, "body") == "Would a 15-minute call on Tuesday work?"


def test_free_form_sign_off_over_a_name():
    d = parse("Hi Maya,\n\nWould a short call work?\n\nThanks for considering it,\nDarius Farahani")
    assert part(d, "signoff") == "Thanks for considering it"
    assert part(d, "signature") == "Darius Farahani"


def test_forwarded_material_below_a_separator_is_not_the_body():
    text = "Hi Ethan, Sam,\n\nSam builds tools. Ethan runs breweries.\n\nNadia\n\n---\nNadia, could you ask Ethan?"
    d = parse(text)
    assert part(d, "signature") == "Nadia"
    assert "could you ask" not in part(d, "body")


def test_two_name_greeting_with_text_after_it():
    d = parse("Ethan, Sam, you've both said yes, so here's the intro.\n\nNadia")
    assert part(d, "greeting") == "Ethan, Sam,"
    assert part(d, "body").startswith("you've both")


def test_headers_are_skipped():
    d = parse("To: maya@example.com\nSubject: Hello there\n\nHi Maya,\n\nQuick one. Could we talk?\n\nSam")
    assert part(d, "subject") == "Hello there"
    assert part(d, "greeting") == "Hi Maya,"


def test_sentences_keep_abbreviations_and_hard_wraps():
    d = parse(
        "Hi Maya,\n\nI met Dr. Chen at the U.S. office, e.g. on Monday. My notes\nare attached below."
        "\n- first point\n- second point\n\nSam"
    )
    assert [d.slice(s) for s in d.sentences] == [
        "I met Dr. Chen at the U.S. office, e.g. on Monday.",
        "My notes\nare attached below.",
        "first point",
        "second point",
    ]


def test_empty_text_parses_to_nothing():
    d = parse("")
    assert d.body.start == d.body.end == 0
    assert d.sentences == [] and d.words == []


def test_lazy_patterns_compile_only_when_a_draft_could_need_them():
    from coach.text import parse as parse_module
    from coach.text.literals import LazyPattern

    lazy = LazyPattern(r"[ \t]*(?:wrote|said):", re.IGNORECASE, anywhere=("wrote", "said"), starts=("wrote", "said"))
    assert lazy.search("nothing here") is None and lazy.match("  nope") is None
    assert lazy._compiled is None
    assert lazy.match("\tWROTE:").span() == (0, 7)
    # Characters a case-insensitive regex folds to an ASCII letter are never ruled out.
    assert lazy.fullmatch("ſaid:") is not None and lazy.search("x ſaid:") is not None
    text = "Hi [Name], about {{company}}.\nBest,\nSam"
    found = [m.group() for m in parse_module.PLACEHOLDER_RE.finditer(text)]
    assert found == ["[Name]", "{{company}}"]
    assert parse_module.PLACEHOLDER_RE.search(text, 4, 8) is None
    assert parse_module.PLACEHOLDER_RE.search("no placeholders at all") is None


def test_signoff_and_greeting_after_folded_letters():
    d = parse("Hı Maya,\n\nA question for you.\n\nBeſt,\nSam")
    assert part(d, "greeting") == "Hı Maya," and part(d, "signoff") == "Beſt" and part(d, "signature") == "Sam"
