"""Text from coach's own prompts that a model copied into a rewrite.

A small model asked to rewrite a draft may hand back pieces of what it was shown: the fence
markers around the draft (``<<<DRAFT-...``), the answer's field names ("Changes:", ``"text":``),
its own change list, or an example from the guidance ("Subject: Your streaming migration
post"). None of that is the writer's message. :func:`prompt_artefacts` lists such pieces;
a rewrite that holds any is not a rewrite (the caller repairs it once, then falls back).

A quoted example from the prompt counts only when it brings at least two uncommon words the
writer's sources do not have: "Would you be open to" and "chat sometime" are everyday words a
rewrite may echo; "Your streaming migration post" is somebody else's topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coach.guard.claims import SourceWords, stem
from coach.guard.extract import TOKEN_RE
from coach.guard.lexicon import CLAIM_FILLER, COMMON_WORDS
from coach.text.tidy import fold, shorten

_FENCE_RE = re.compile(r"<<<|>>>|\b(?:DRAFT|NOTES)-[0-9a-f]{6,}\b")
# The answer's own field names at the start of a line ("Changes:", "- text:", '"subject":').
_FIELD_RE = re.compile(
    r"(?im)^[ \t]*(?:[-*•][ \t]*)?[\"']?(text|subject|changes?|change list|verdict|decisions|findings|strengths"
    r"|problems to fix)[\"']?[ \t]*:"
)
_JSON_RE = re.compile(r"\{[ \t]*\"|\"[ \t]*:[ \t]*[\[{\"]")
_QUOTED_RE = re.compile(r"\"([^\"\n]{4,120})\"|(?<!\w)'([^'\n]{4,120})'(?!\w)")
_SENTENCE_RE = re.compile(r"[^.!?\n]+")
_MIN_SENTENCE_WORDS = 6  # a shorter sentence shared with the prompt may be a coincidence
# Everyday words: a quoted example made of them ("chat sometime") is advice anyone might echo.
_EVERYDAY = frozenset(stem(w) for w in CLAIM_FILLER | COMMON_WORDS)
_MIN_NEW_WORDS = 2  # "Your streaming migration post" brings two words of somebody else's topic


def _flat(text: str) -> str:
    """Lower case, plain quotes and dashes, words only, single spaces: for finding one text in another."""
    return " ".join(m.group() for m in TOKEN_RE.finditer(fold(text).lower()))


def _first_line(text: str) -> int:
    """Where the first non-empty line ends: a subject line there is the message's own."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    end = stripped.find("\n")
    return offset + (len(stripped) if end == -1 else end)


def prompt_artefacts(
    candidate: str, prompt: Iterable[str], sources: Sequence[str], changes: Iterable[str] = ()
) -> list[str]:
    """Pieces of ``candidate`` that come from the prompt (``prompt``: the messages sent) or from the
    answer's ``changes`` rather than from the writer's ``sources``; each described in a few words."""
    found: list[str] = []
    own = "\n".join(sources)  # what the writer wrote may hold any of these itself (">>>" quoting)
    own_fields = {m.group(1).lower() for m in _FIELD_RE.finditer(own)}
    for m in _FENCE_RE.finditer(candidate):
        if m.group() not in own:
            found.append(f'the fence marker "{m.group()}"')
    first_line_end = _first_line(candidate)
    for m in _FIELD_RE.finditer(candidate):
        if m.group(1).lower() == "subject" and m.start() < first_line_end:
            continue  # the message's own subject line
        if m.group(1).lower() not in own_fields:
            found.append(f'the answer\'s field name "{m.group(1)}:"')
    if _JSON_RE.search(candidate) and not _JSON_RE.search(own):
        found.append("JSON from the answer")
    flat_candidate = f" {_flat(candidate)} "
    flat_sources = f" {_flat(' '.join(sources))} "
    for change in changes:
        flat = _flat(change)
        if len(flat.split()) >= 3 and f" {flat} " in flat_candidate and f" {flat} " not in flat_sources:
            found.append(f'the change list ("{shorten(change, 60)}")')
    words = SourceWords(sources)
    seen: set[str] = set()
    for text in prompt:
        for m in _QUOTED_RE.finditer(fold(text)):
            quoted = m.group(1) or m.group(2)
            flat = _flat(quoted)
            if len(flat.split()) < 2 or flat in seen or f" {flat} " not in flat_candidate:
                continue
            new = [w for w in flat.split() if stem(w) not in _EVERYDAY and not words.has(w)]
            if len(new) >= _MIN_NEW_WORDS and f" {flat} " not in flat_sources:
                seen.add(flat)
                found.append(f'"{shorten(quoted, 60)}", an example from coach\'s instructions')
        for m in _SENTENCE_RE.finditer(text):
            flat = _flat(m.group())
            if len(flat.split()) < _MIN_SENTENCE_WORDS or flat in seen:
                continue
            if f" {flat} " in flat_candidate and f" {flat} " not in flat_sources:
                seen.add(flat)
                found.append(f'"{shorten(m.group().strip(), 60)}", a line of coach\'s instructions')
    return found
