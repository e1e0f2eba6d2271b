"""The message kinds coach knows, and how it tells them apart.

Detection is a transparent vote: each kind collects points from cues in the
text, and the reason quotes the cue that decided it, so a writer can see why
coach read their draft as (say) an intro request and pass ``--kind`` if not.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from coach.errors import UsageError
from coach.text.literals import LazyPattern
from coach.text.measures import lower_pattern, lower_same_length
from coach.text.parse import Draft

KINDS: tuple[str, ...] = (
    "connection-note",
    "cold-email",
    "intro-request",
    "blurb",
    "connector-intro",
    "follow-up",
)

# The stages a kind has in the wild: a connector's permission ask is not an introduction,
# a thank-you is not a nudge. Kinds not listed have one stage.
STAGES: dict[str, tuple[str, ...]] = {
    "connector-intro": ("ask", "intro", "decline"),
    "follow-up": ("nudge", "thanks", "reply", "last"),
}

KIND_SUMMARIES: dict[str, str] = {
    "connection-note": "note attached to a LinkedIn invitation (300 characters, 200 on free accounts)",
    "cold-email": "first message to a stranger (email, InMail, DM) asking for something",
    "intro-request": "asking a mutual contact to introduce you to someone",
    "blurb": "the self-contained paragraph a connector forwards for you",
    "connector-intro": "the connector's double-opt-in introduction of two people",
    "follow-up": "a nudge after no reply, a reply to an introduction, a thank-you",
}


# The hard facts of each kind, for prompts and reports (numbers from the BRIEF's sources).
KIND_FACTS: dict[str, str] = {
    "connection-note": "at most 300 characters (200 on a free LinkedIn account); a reason to connect and a "
    "personal detail; no pitch and no job ask.",
    "cold-email": "50-125 words in 5-7 short sentences, readable on a phone; a specific subject of 3-4 words; "
    "one small, time-bound ask (15-20 minutes); InMail caps the subject at 200 and the body near 1,900 characters.",
    "intro-request": "name the target in full with their role and say why them; give the connector an easy out; "
    "offer or include a forwardable blurb; say what you offer, not only what you want.",
    "blurb": "3-4 sentences, under about 120 words, self-contained and forwardable unchanged: who you are, why "
    "this person, what you bring, one small ask.",
    "connector-intro": "double opt-in (the target agreed first); context on both people and why they should "
    "talk; a subject like 'Alice <> Maya'; the connector hands off and steps out.",
    "follow-up": "shorter than the first message, in the same thread, adding something new; first nudge after "
    "about a week; at most two attempts to a cold contact; thank a connector within a day and move them to BCC.",
}


def check_kind(kind: str) -> str:
    """Return ``kind`` if coach knows it, else raise a :class:`UsageError` listing the choices."""
    if kind in KINDS:
        return kind
    raise UsageError(f"unknown kind {kind!r}", f"choose one of: auto, {', '.join(KINDS)}")


class Detection(NamedTuple):
    kind: str
    reason: str


def _compile_cue(pattern: str) -> LazyPattern:
    """Cues that test capitals (``(?-i:``) run on the draft; the rest, lowered, on the lowered draft.

    A cue is compiled only for a draft that holds the words it needs."""
    if "(?-i:" in pattern:
        return LazyPattern(pattern, re.IGNORECASE)
    return LazyPattern(lower_pattern(pattern))


_NAME = r"(?-i:[A-Z\u00C0-\u024F][a-z\u00C0-\u024F'’-]+)"

# (kind, weight, cue, what it means). Each cue counts once; the reason quotes the strongest.
_CUES: list[tuple[str, int, LazyPattern, str, bool]] = [
    (kind, weight, _compile_cue(pattern), meaning, "(?-i:" in pattern)
    for kind, weight, pattern, meaning in [
        (
            "connector-intro",
            6,
            rf"\b(?:I'?d|I would|I want to|wanted to|let me|allow me to|happy to|excited to|glad to|"
            rf"delighted to|pleased to|great to)\s+(?:finally\s+)?(?:introduce|connect)\s+(?:you|the two|both"
            rf"|{_NAME}\s+(?:and|&|to|with))",
            "introduces two people",
        ),
        (
            "connector-intro",
            5,
            rf"\bintroducing\s+(?:you\s+(?:two|both)|{_NAME}\s+(?:and|&|to)\s+{_NAME})",
            "introduces two people",
        ),
        ("connector-intro", 5, rf"\bmeet\s+{_NAME}\s*[,.!—–(]", "introduces someone to the reader"),
        (
            "connector-intro",
            4,
            r"\byou two\b|\bboth of you\b|\byou all should\b|\bhey all\b|\bhi (?:both|all|everyone)\b",
            "addresses two people at once",
        ),
        (
            "connector-intro",
            5,
            r"\b(?:you both|both of you|you each|each of you)\s+(?:said|agreed|told me)|\b(?:for"
            r"|thanks for) both saying yes",
            "says both sides agreed",
        ),
        (
            "connector-intro",
            5,
            r"\bI'?ll let you (?:two|both)?\s*(?:take it|find|set|sort|arrange)|\bI'?ll (?:step|bow) (?:out|back|aside)"
            r"|\bmoving myself to bcc|\bmove me to bcc|\btake it away\b|\breply[- ]all\b",
            "hands the conversation over",
        ),
        (
            "connector-intro",
            4,
            rf"\b(?:I'?m\s+)?(?:cc'?ing|looping in|copying in)\s+{_NAME}",
            "copies someone in to introduce them",
        ),
        (
            "connector-intro",
            3,
            rf"^\s*(?:hi|hello|hey|dear)?\s*{_NAME}\s*(?:,|and|&)\s*(?:hi\s+)?{_NAME}\s*[,:—–!]",
            "greets two people",
        ),
        ("intro-request", 6, r"\bintro(?:duc(?:e|ing))?\s+(?:me|us)\b", "asks to be introduced"),
        (
            "intro-request",
            5,
            r"\b(?:an?|the|quick|warm|possible)\s+intro(?:duction)?\s+(?:to|with)\b",
            "asks for an introduction",
        ),
        (
            "intro-request",
            5,
            r"\b(?:connect|put)\s+(?:me|us)\s+(?:in touch\s+)?(?:with|to)\b|\bmake an?\s+(?:intro|introduction)",
            "asks to be connected",
        ),
        (
            "intro-request",
            4,
            r"\b(?:paragraph|note|blurb|something|text|this)\s+(?:below\s+)?(?:you\s+(?:can"
            r"|could)\s+)?(?:for you to\s+)?forward"
            r"|\bforwardable\b|\bblurb\b|\bwhat I'?d send\b",
            "offers text for the reader to forward",
        ),
        (
            "intro-request",
            4,
            rf"\byou(?:'ve| have)? (?:know|worked with|mentioned (?:that )?you (?:know|worked with))\s+(?:Dr\.\s+"
            rf"|Professor\s+)?{_NAME}"
            rf"|\byou(?:'re| are) connected (?:with|to)\b|\bLinkedIn (?:tells|shows) me\b|\bI noticed you know\b",
            "points out that the reader knows someone",
        ),
        (
            "intro-request",
            3,
            r"\b(?:comfortable|willing|open to)\s+(?:asking|checking with|reaching out to)\s+(?:her|him|them)\b",
            "asks the reader to ask someone",
        ),
        (
            "follow-up",
            5,
            r"\bfollow(?:ing)?[ -]up\b|\bcircl(?:e|ing) back\b|\bbump(?:ing)?\b|\bnudge\b",
            "follows up an earlier message",
        ),
        (
            "follow-up",
            5,
            r"\bmy (?:last|previous|earlier|original) (?:e-?mail|message|note)\b|\bdid you (?:get|see|receive) my\b"
            r"|\bper my last\b|\bchecking in (?:again|on)\b|\breached out (?:\w+ )?(?:times|twice)\b"
            r"|\bhaven'?t heard\b|\bnever replied\b",
            "refers to an unanswered message",
        ),
        (
            "follow-up",
            6,
            r"\bthanks?(?: you)?(?: so much)?,? (?:\w+,? )?for (?:the (?:intro|introduction)|introducing|connecting us|"
            r"making the (?:intro|introduction|connection))|\bfor the introduction\b",
            "thanks someone for an introduction",
        ),
        (
            "follow-up",
            6,
            r"\bmov(?:ed?|ing)\s+(?:you|(?-i:[A-Z]\w+))\s+to\s+bcc|\(\s*(?:moved|moving)\s+\w+\s+to\s+bcc",
            "moves the connector to BCC",
        ),
        (
            "follow-up",
            4,
            r"\b(?:great|lovely|good|wonderful|nice) (?:to (?:e-?)?meet|meeting|chatting|speaking|talking)\b"
            r"|\be-?meet\b",
            "answers an introduction or a meeting",
        ),
        (
            "follow-up",
            5,
            r"\bthank(?:s| you)(?: so much)? for (?:your time|meeting|taking the time|the (?:chat|call|coffee|time))"
            r"\s+(?:yesterday|today|this morning|last week|earlier|on \w+day)"
            r"|\bI met\s+(?-i:[A-Z])\w+.{0,40}\b(?:today|yesterday|this morning)",
            "thanks someone for a meeting",
        ),
        ("follow-up", 5, r"\byour (?:kind )?(?:intro|introduction)\b", "refers to the reader's introduction"),
        (
            "follow-up",
            4,
            r"\bclos(?:e|ing) the loop\b|\bwanted to let you know how\b|\bhow it went\b|\bI'?ll leave it there\b"
            r"|\bas you suggested\b",
            "closes the loop after a meeting",
        ),
        ("blurb", 4, r"^\s*about me\s*:", "is a forwardable bio"),
    ]
]

_THIRD_PERSON_OPENING = re.compile(
    r"\s*(?:[A-Z][\w.'’-]*,?\s+)?[A-Z\u00C0-\u024F][\w'’-]+(?:\s+[A-Z\u00C0-\u024F][\w'’-]+){0,2}\s+(?:is|was|has"
    r"|leads|runs|"
    r"works|studies|recently|spent|built|founded|brings|graduated|directs|teaches|manages|designs)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my)\b")
_CONNECT = re.compile(r"\bconnect|\bnetwork\b|\badd you\b", re.IGNORECASE)


def detect_kind(draft: Draft) -> Detection:
    """Guess the kind of ``draft`` and say why in one line."""
    text = draft.text
    votes: dict[str, int] = dict.fromkeys(KINDS, 0)
    reasons: dict[str, tuple[int, str]] = {}

    def vote(kind: str, weight: int, why: str) -> None:
        votes[kind] += weight
        if weight > reasons.get(kind, (0, ""))[0]:
            reasons[kind] = (weight, why)

    lowered = lower_same_length(text)
    for kind, weight, pattern, meaning, on_original in _CUES:
        hit = pattern.search(text if on_original else lowered)
        if hit:
            vote(kind, weight, f"{meaning} ({' '.join(text[hit.start() : hit.end()].split())!r})")
    subject = draft.slice(draft.subject)
    if subject:
        if re.search(r"<>|<->|\bmeet\b", subject, re.IGNORECASE):
            vote("connector-intro", 4, f"an introduction subject ({subject!r})")
        elif re.search(
            r"\bintro(?:duction)?\b.*(?:\bto\b|\brequest\b|\?)|\brequest\b.*\bintro", subject, re.IGNORECASE
        ):
            vote("intro-request", 4, f"a subject asking for an introduction ({subject!r})")
        if re.match(r"(?i)\s*(?:re|fwd?)\s*:", subject):
            vote("follow-up", 4, f"a reply subject ({subject!r})")

    body = draft.slice(draft.body)
    words = len(draft.words)
    first_person = len(_FIRST_PERSON.findall(body))
    paragraphs = len(draft.paragraphs)
    opening = _THIRD_PERSON_OPENING.match(body)
    if draft.subject is None and opening and first_person <= 2:
        vote("blurb", 7, f"is written in the third person ({opening.group(0).strip()!r})")
    if (
        draft.subject is None
        and paragraphs == 1
        and 40 <= words <= 140
        and draft.signoff is None
        and (draft.greeting is None or draft.greeting.end > draft.body.start - 3)
    ):
        vote("blurb", 3, "one self-contained paragraph with no subject or sign-off")
    stripped = text.strip()
    if draft.subject is None and len(stripped) <= 450 and _CONNECT.search(text):
        vote("connection-note", 3, f"short ({len(stripped)} characters) and asks to connect")

    best = max(KINDS, key=lambda k: (votes[k], -KINDS.index(k)))
    if votes[best] > 0:
        return Detection(best, reasons[best][1])
    if draft.subject is None and len(stripped) <= 320:
        return Detection("connection-note", f"short ({len(stripped)} characters) with no subject line")
    if draft.subject is not None:
        return Detection("cold-email", "has a subject line and no intro or follow-up cues")
    return Detection("cold-email", f"a {words}-word message with no intro or follow-up cues")
