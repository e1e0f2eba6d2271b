"""Claims in plain words: what a rewrite says happened, and whether the writer ever said so.

A model asked to make a note "more specific" writes "I read your latest blog post about
sustainable fashion": no name, number or date, so :mod:`coach.guard.extract` sees nothing,
yet it is an experience the writer never had. This module finds such claims and checks
their substance against the sources (the draft and the writer's notes):

* ``experience``: the writer read, saw, watched, heard, met, attended, used or worked on
  something ("I read ...", "we met at ...", "I've been following ...");
* ``reader``: something of the reader's with what it is about ("your post on ...",
  "your talk at ...", "your latest book"), or something they did ("you wrote about ...");
* ``result``: what the writer achieved ("I built ...", "we grew ...", "I led ...");
* ``identity``: who the writer is ("I'm a ...", "As a ..., I").

A claim's *substance* is its words less the filler (pronouns, prepositions, praise, reading
verbs; see :data:`coach.guard.lexicon.CLAIM_FILLER`). Each substance word is compared with
the sources' words by a rough stem, and a word stands for its synonyms ("article" for
"post", "keynote" for "talk"). A claim is unsupported when fewer than half of its substance
words are in the sources, or when it states an encounter ("met", "attended", "used") the
sources never mention. A legitimate rephrasing keeps most of the substance and passes;
an invented detail brings new substance and does not.

Every pattern is a flat scan over literal alternatives, and a claim runs at most to the end
of its clause, so the check is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from coach.guard.extract import TOKEN_RE, Fact, fold_accents, strip_possessive
from coach.guard.lexicon import (
    CLAIM_FILLER,
    CLAIM_SYNONYMS,
    ENCOUNTER_VERBS,
    GENERIC_HEADS,
    IRREGULAR_FORMS,
)
from coach.text.tidy import MARKER_RE

_ADVERBS = r"(?:[ \t]+(?:really|recently|just|also|once|actually|already|even|first|finally|both|all|lately|truly))?"
_HAVE = r"(?:['’]ve|[ \t]+have|[ \t]+had|['’]d)?"
_ENGAGE = (
    r"read|re-read|saw|seen|watched|heard|listened[ \t]+to|came[ \t]+across|come[ \t]+across|stumbled[ \t]+upon|"
    r"noticed|followed|been[ \t]+following|been[ \t]+reading|been[ \t]+watching|enjoyed|loved|liked|admired|"
    r"appreciated|was[ \t]+inspired[ \t]+by|was[ \t]+struck[ \t]+by|was[ \t]+impressed[ \t]+by|caught"
)
_ENCOUNTER = (
    r"met|attended|visited|joined|used|tried|took|spoke[ \t]+with|spoke[ \t]+to|talked[ \t]+with|talked[ \t]+to|"
    r"chatted[ \t]+with|worked[ \t]+on|worked[ \t]+with|worked[ \t]+at|worked[ \t]+for|ran[ \t]+into|studied|"
    r"collaborated[ \t]+with|volunteered|interned"
)
_RESULT = (
    r"built|led|grew|launched|founded|co-founded|raised|shipped|published|won|increased|reduced|doubled|"
    r"tripled|managed|created|designed|developed|organi[sz]ed|completed|graduated|earned|received|wrote|"
    r"taught|mentored|scaled|delivered|saved|improved|automated|migrated|presented|spoke[ \t]+at"
)
_READER_THINGS = (
    r"blog[ \t]+posts?|posts?|articles?|pieces?|essays?|write-?ups?|newsletters?|threads?|talks?|keynotes?|"
    r"presentations?|sessions?|lectures?|panels?|webinars?|podcasts?|episodes?|interviews?|videos?|books?|"
    r"papers?|thesis|research|study|studies|reports?|courses?|workshops?|projects?|launch|launches|products?|"
    r"startups?|company|companies|team|teams|work|apps?|tools?|library|libraries|repos?|frameworks?|series|"
    r"comments?|answers?|story|stories|journey|transition|move|career|role|promotion|award|campaigns?|"
    r"initiatives?|programs?|programmes?|profile|background|experience"
)
# Up to three words before the thing ("your latest blog post", "your streaming migration post"),
# none of them a word that starts another phrase.
_READER_MODIFIERS = (
    r"(?:(?!(?:and|or|but|with|to|for|of|on|about|my|the|a|an|own|time|help)\b)[a-z][\w'’-]*+[ \t]+){0,3}?"
)
_TOPIC_RE = re.compile(r"(?i)[ \t]+(?:about|on|at|for|with|regarding|covering|titled|called|in|from)[ \t]+\w")

_TRIGGERS = re.compile(
    rf"(?i)\b(?:(?P<subject>i|we){_HAVE}{_ADVERBS}[ \t]+(?:(?P<engage>{_ENGAGE})|(?P<encounter>{_ENCOUNTER})"
    rf"|(?P<result>{_RESULT}))\b"
    rf"|(?P<reader>your[ \t]+{_READER_MODIFIERS}(?P<thing>{_READER_THINGS}))\b(?!['’]s\b)"
    rf"|(?P<action>you{_HAVE}{_ADVERBS}[ \t]+(?:wrote|written|published|posted|shared|gave|given|spoke|launched|"
    rf"built|founded|led|started|created|shipped|won|released|hosted|presented|organi[sz]ed))\b"
    rf"|(?P<identity>i(?:['’]m|[ \t]+am|[ \t]+was|['’]ve[ \t]+been|[ \t]+have[ \t]+been)[ \t]+(?:a|an)"
    r"|(?<!\w)as[ \t]+(?:a|an)(?=[ \t][^,.;\n]{2,60},[ \t]*i\b))\b)"
)
# A claim runs to the end of its clause: a stop, a semicolon, a colon, a dash, a bracket, or a
# joining word that starts another clause.
_CLAUSE_END = re.compile(
    r"[.!?;:\n()\[\]]|[ \t][-–—][ \t]|,"
    r"|[ \t](?:and[ \t]+(?:your|you|my|i|we|would|could|it|that|this)|how|what|why|i|we|me|my|made|makes|changed|"
    r"helped|got|gave|inspired|taught|stuck|resonated|but|because|which|who|that|so|while|since|where|when|would|"
    r"could|can|will|if|to[ \t]+(?:ask|see|learn|hear|talk|chat|connect)|is|was|were|are|has|have|had)\b"
)
_MAX_CLAUSE = 160  # characters: a claim is a clause, not a paragraph
_MAX_WORDS = 12

_MARKER_NEEDS = {
    "read": "something of theirs you actually read",
    "saw": "something of theirs you actually saw or heard",
    "met": "where you actually met",
    "attended": "what you actually attended",
    "used": "what of theirs you actually used",
    "worked": "what you actually worked on",
    "reader": "something of theirs you actually know",
    "action": "something they actually did that you know of",
    "result": "what you actually did",
    "identity": "who you are, in your own words",
}
_HEARD = frozenset(
    "talk keynote presentation session lecture speech panel webinar podcast episode interview video".split()
)


@dataclass(frozen=True)
class Claim:
    """A claim in plain words: its kind, its span, its substance and what the sources lack."""

    kind: str  # experience, reader, result, identity
    text: str
    start: int
    end: int
    substance: tuple[str, ...]
    missing: tuple[str, ...]  # substance words the sources do not have
    need: str  # what only the writer can supply, for the [ASK: ...] marker

    @property
    def supported(self) -> bool:
        if not self.substance:
            return True
        encounter = [w for w in self.substance[:1] if w in ENCOUNTER_VERBS]
        if encounter and encounter[0] in self.missing:
            return False
        return len(self.missing) * 2 <= len(self.substance)

    def as_fact(self) -> Fact:
        return Fact("claim", self.text, self.start, self.end, label=self.need)


def stem(word: str) -> str:
    """A rough stem, the same for both sides of a comparison: "migrating" and "migration" meet."""
    w = fold_accents(strip_possessive(word)).lower().strip("'-")
    w = IRREGULAR_FORMS.get(w, w)
    for suffix in ("ations", "ation", "ions", "ion", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "er"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_HEADS)
_SYNONYM_STEMS: tuple[frozenset[str], ...] = tuple(frozenset(stem(w) for w in group) for group in CLAIM_SYNONYMS)


class SourceWords:
    """The stems of every word in the sources, with their synonyms, for substance lookups."""

    def __init__(self, sources: Iterable[str]) -> None:
        self.stems: set[str] = set()
        for source in sources:
            for m in TOKEN_RE.finditer(MARKER_RE.sub(" ", source)):
                word = m.group()
                self.stems.add(stem(word))
                if "-" in word:
                    self.stems.update(stem(part) for part in word.split("-") if part)
        for group in _SYNONYM_STEMS:
            if not self.stems.isdisjoint(group):
                self.stems |= group

    def has(self, word: str) -> bool:
        if stem(word) in self.stems:
            return True
        parts = [p for p in word.split("-") if p]
        return len(parts) > 1 and all(stem(p) in self.stems for p in parts)


def _clause_end(text: str, start: int) -> int:
    """Where the clause that opens at ``start`` ends (its last word, no trailing space)."""
    limit = min(len(text), start + _MAX_CLAUSE)
    m = _CLAUSE_END.search(text, start + 1, limit)
    end = m.start() if m else limit
    words = list(TOKEN_RE.finditer(text, start, end))
    if len(words) > _MAX_WORDS:
        end = words[_MAX_WORDS - 1].end()
    elif words:
        end = words[-1].end()
    return end


def _substance(text: str) -> tuple[str, ...]:
    """The claim's words less the filler, lower case, in order, each once."""
    seen: dict[str, None] = {}
    for m in TOKEN_RE.finditer(MARKER_RE.sub(" ", text)):
        word = fold_accents(strip_possessive(m.group())).lower()
        root = stem(word)
        if word in CLAIM_FILLER or root in CLAIM_FILLER or root in _GENERIC_STEMS or len(word) < 3 or word.isdigit():
            continue
        seen.setdefault(word, None)
    return tuple(seen)


def _need(m: re.Match[str], substance: tuple[str, ...]) -> str:
    if m.group("encounter"):
        verb = m.group("encounter").split()[0].lower()
        key = {"met": "met", "ran": "met", "spoke": "met", "talked": "met", "chatted": "met", "used": "used"}
        key |= {"tried": "used", "attended": "attended", "visited": "attended", "joined": "attended"}
        return _MARKER_NEEDS[key.get(verb, "worked")]
    if m.group("engage"):
        return _MARKER_NEEDS["saw" if any(stem(w) in _HEARD_STEMS for w in substance) else "read"]
    if m.group("result"):
        return _MARKER_NEEDS["result"]
    if m.group("identity"):
        return _MARKER_NEEDS["identity"]
    return _MARKER_NEEDS["action" if m.group("action") else "reader"]


_HEARD_STEMS = frozenset(stem(w) for w in _HEARD)


def find_claims(text: str, sources: SourceWords) -> list[Claim]:
    """Every claim of ``text`` (outer claims only: "I read your post on X" is one), in text order."""
    claims: list[Claim] = []
    covered = -1
    for m in _TRIGGERS.finditer(text):
        start = m.start()
        if start < covered:
            continue
        body_start = m.end()
        if m.group("reader"):
            body_start = m.start("reader") + len("your")
        end = _clause_end(text, m.end() - 1)
        if m.group("reader") and not _TOPIC_RE.match(text, m.end(), end):
            end = m.end()  # "your work inspires me": only a topic after the thing is part of the claim
        elif end <= m.end() and not m.group("reader"):
            continue  # "I read." says nothing
        span = text[start:end]
        substance = _substance(text[body_start:end])
        verb = m.group("encounter") or m.group("result")
        if verb:
            substance = tuple(dict.fromkeys((verb.split()[0].lower(), *substance)))
        if not substance:
            continue  # "I came across your profile", "your work": nothing in particular
        missing = tuple(w for w in substance if not sources.has(w))
        kind = "reader" if m.group("reader") or m.group("action") else ""
        kind = kind or ("identity" if m.group("identity") else "result" if m.group("result") else "experience")
        claims.append(Claim(kind, span, start, end, substance, missing, _need(m, substance)))
        covered = end
    return claims


def unsupported_claims(candidate: str, sources: Iterable[str]) -> list[Claim]:
    """The claims of ``candidate`` whose substance the sources do not give, in text order."""
    words = SourceWords(sources)
    return [claim for claim in find_claims(candidate, words) if not claim.supported]
