"""Turning the writer's facts into phrases a template can place in a sentence.

Facts arrive as people type them ("I'm a CS senior.", "Because you led...",
"Priya Shah (data lead, Northwind)"). The templates need clauses without their
lead-in words or final stop, people split into name and role, and, for the
third-person blurb, the writer's "I" and "my" turned into "they" and "their".
Nothing here adds a word that carries a fact: only glue and pronouns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A leading word in this set is lower-cased when the fact lands mid-sentence; anything else
# (a name, an acronym, "I") keeps its capital.
_LOWER_FIRST = frozenset(
    "a an the who your you you're you've you'd she he they her his their my our it it's we some one "
    "to at on in when during last this that both since with after before for about how what".split()
)
_LEAD_INS: dict[str, re.Pattern[str]] = {
    "me": re.compile(r"^(?:i\s+am|i['’]m)\s+", re.IGNORECASE),
    "why": re.compile(r"^(?:because|since|as)\s+", re.IGNORECASE),
    "offer": re.compile(r"^(?:in\s+return,?\s+)?(?:i\s+(?:can|could)\s+(?:offer|share|bring)|i\s+can)\s+", re.I),
    "ask": re.compile(
        r"^(?:would\s+you\s+be\s+(?:open|up)\s+(?:to|for)|are\s+you\s+open\s+to|could\s+we\s+(?:have|do)"
        r"|i['’]?d\s+like|i\s+would\s+like)\s+",
        re.IGNORECASE,
    ),
    "met": re.compile(r"^(?:we\s+(?:first\s+)?met|met)\s+", re.IGNORECASE),
}
_TITLES = frozenset("dr dr. prof prof. professor mr mr. ms ms. mrs mrs. mx mx.".split())
_SPLIT_PERSON = re.compile(r"\s*(?:,|\(|\s[-–—]\s|:)\s*")
_VERB_ROLE = re.compile(
    r"^(?:leads|led|runs|ran|works|worked|heads|headed|manages|managed|founded|co-founded|directs|directed|"
    r"teaches|taught|studies|studied|owns|builds|built|writes|wrote|designs|designed|researches|coaches)\b",
    re.IGNORECASE,
)
# A time or size already in the ask: a writer's "15-minute call" needs no "in the next few weeks".
_BOUNDED = re.compile(
    r"\d|\b(?:five|ten|fifteen|twenty|thirty|half)\b|\bminutes?\b|\bhour\b|\b(?:quick|brief|short)\b"
    r"|\b(?:this|next|coming)\s+(?:week|month)|\b(?:in|over|within)\s+the\s+(?:next|coming)\b"
    r"|day\b|\bweekdays?\b|\btomorrow\b|\bquestions?\b|\b(?:by|over|via)\s+e-?mail\b|\bcoffee\b",
    re.IGNORECASE,
)


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def clause(text: str | None, lead_in: str | None = None) -> str:
    """A fact as a clause to place mid-sentence: no lead-in words, no final stop, no stray capital."""
    if not text:
        return ""
    out = text.strip().strip('"“”').rstrip(" .!?;:,").strip()
    pattern = _LEAD_INS.get(lead_in or "")
    if pattern:
        out = pattern.sub("", out, count=1)
    first, _, rest = out.partition(" ")
    if first.lower() in _LOWER_FIRST and first != "I":
        out = first.lower() + (" " + rest if rest else "")
    return out


def bounded_ask(ask: str) -> str:
    """The ask with a time frame: a call with no size or date is hard to say yes to."""
    return ask if _BOUNDED.search(ask) else f"{ask} in the next few weeks"


# First person to third (singular "they", which fits whoever the writer is).
_PERSON_SWAPS = [
    (re.compile(r"\bI\s+am\b"), "they are"),
    (re.compile(r"\bI['’]m\b"), "they're"),
    (re.compile(r"\bI\s+was\b"), "they were"),
    (re.compile(r"\bI['’](ve|d|ll)\b"), r"they'\1"),
    (re.compile(r"\bI\b"), "they"),
    (re.compile(r"\bmyself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\bmine\b", re.IGNORECASE), "theirs"),
    (re.compile(r"\bmy\b", re.IGNORECASE), "their"),
    (re.compile(r"\bme\b", re.IGNORECASE), "them"),
    (re.compile(r"\bwe\b"), "they"),
    (re.compile(r"\bour\b"), "their"),
    (re.compile(r"\bus\b"), "them"),
]


def third_person(text: str) -> str:
    """The writer's own words about themselves, as someone else would say them."""
    for pattern, replacement in _PERSON_SWAPS:
        text = pattern.sub(replacement, text)
    return text


_TO_YOU = (
    (r"\s+has\b", "you have"),
    (r"\s+is\b", "you are"),
    (r"\s+was\b", "you were"),
    (r"['’]s\b", "your"),
    (
        r"(?=\s+(?:[a-z]+ed|led|ran|built|wrote|spent|made|took|grew|taught|knew|did|had|won|began|can|could|will"
        r"|would|should|might|may)\b)",
        "you",
    ),
)


def second_person(text: str, first: str) -> str:
    """A clause about the reader, by first name, as said to them ("Priya has led" -> "you have led").

    Only the forms that keep the verb right are turned; any other mention keeps the name.
    """
    if not first:
        return text
    for tail, replacement in _TO_YOU:
        text = re.sub(rf"\b{re.escape(first)}{tail}", replacement, text)
    return text


@dataclass(frozen=True)
class Person:
    """Someone the message speaks about: the full name, how to greet them, and their role."""

    full: str
    first: str
    greet: str
    role: str

    @property
    def appositive(self) -> str:
        """'Priya Shah, who leads data engineering at Northwind', or the name alone."""
        return f"{self.full}, {self.role}" if self.role else self.full

    @property
    def sentence(self) -> str:
        """'Priya Shah leads data engineering at Northwind.' ('' with no role)."""
        return self._describe(self.full)

    @property
    def short_sentence(self) -> str:
        """The same with the first name: 'Priya leads data engineering at Northwind.'"""
        return self._describe(self.first)

    def _describe(self, who: str) -> str:
        if not self.role:
            return ""
        if self.role.startswith("who "):
            return f"{who} {self.role[4:]}."
        return f"{who} is {with_article(self.role)}."


_DETERMINED = re.compile(
    r"^(?:a|an|the|one|our|my|his|her|their|its|now|currently|also|still|no|not|[\w-]+ (?:of|for|to)\b)",
    re.IGNORECASE,
)
_AN = re.compile(r"^(?:[aeio]|u(?!n[io]|s[eu]|r[aeiou]))", re.IGNORECASE)


def with_article(role: str) -> str:
    """'data engineering lead at Northwind' -> 'a data engineering lead at Northwind'.

    Only a role that starts with a lower-case noun gets one: 'head of data' (a post one
    person holds), 'CS senior', 'Northwind's lead' and 'the founder' are left as written.
    """
    first = role.split(" ", 1)[0]
    if not first.isalpha() or not first.islower() or _DETERMINED.match(role):
        return role
    return f"{'an' if _AN.match(first) else 'a'} {role}"


def person(text: str | None) -> Person:
    """Split 'Full Name, role' (or 'Full Name (role)', 'Full Name - role') into its parts."""
    if not text:
        return Person("", "", "", "")
    parts = _SPLIT_PERSON.split(text.strip(), maxsplit=1)
    full = parts[0].strip()
    role = clause(parts[1].rstrip(")")) if len(parts) > 1 else ""
    if _VERB_ROLE.match(role):
        role = "who " + role[0].lower() + role[1:]
    words = full.split()
    titled = len(words) > 1 and words[0].lower() in _TITLES
    first = words[1] if titled else (words[0] if words else "")
    greet = f"{words[0]} {words[-1]}" if titled else first
    return Person(full=full, first=first, greet=greet, role=role)
