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
    r"|day\b|\bweekdays?\b|\btomorrow\b|\bquestions?\b|\b(?:by|over|via)\s+e-?mail\b",
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
    if not first.replace("-", "").isalpha() or not first.islower() or _DETERMINED.match(role):
        return role
    return f"{'an' if _AN.match(first) else 'a'} {role}"


def name_case(text: str) -> str:
    """A person typed all in lower (or upper) case, with capitals: 'dan ortiz - staff eng @ stripe' ->
    'Dan Ortiz - staff eng at Stripe'. Names typed with any capitals are left as written."""
    parts = _SPLIT_PERSON.split(text.strip(), maxsplit=1)
    name = parts[0]
    seps = _SPLIT_PERSON.search(text.strip())
    if name and (name.islower() or (name.isupper() and len(name) > 3)):
        name = re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), name)
    if len(parts) < 2 or seps is None:
        return name
    role = re.sub(
        r"\s*@\s*(\S.*)$", lambda m: " at " + (m[1][:1].upper() + m[1][1:] if m[1].islower() else m[1]), parts[1]
    )
    return name + seps[0] + role


# Words that start a family name ("van der Berg", "de la Cruz"): the given name ends before them.
_SURNAME_PARTICLES = frozenset("van von der den de del della di da das dos du la le bin ibn al st".split())


def given_name(words: list[str]) -> str:
    """The name to use after the first mention: every word before the family name.

    With three or more words the given name may itself be two ("Maria José García" is
    Maria José, not Maria); a particle starts the family name ("Jean-Luc van der Berg" is
    Jean-Luc). Two words: the first."""
    if len(words) < 3:
        return words[0] if words else ""
    given = []
    for word in words[:-1]:
        if word.lower() in _SURNAME_PARTICLES:
            break
        given.append(word)
    return " ".join(given) or words[0]


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
    first = words[1] if titled else given_name(words)
    greet = f"{words[0]} {words[-1]}" if titled else first
    return Person(full=full, first=first, greet=greet, role=role)


# --- the shape of a fact ------------------------------------------------------------------

_AUX = frozenset(
    "am is are was were be been being has have had do does did can could will would shall should might must "
    "'m 're 's 've 'd 'll".split()
)
_IRREGULAR = frozenset(
    "built wrote made ran led took gave grew taught spoke read met saw found began won knew got held kept left "
    "brought bought thought told sent spent went came became chose drove flew fought heard lost meant paid put "
    "said sold set shared showed stood understood".split()
)
_PRESENT = frozenset(
    "builds leads runs uses makes works writes teaches studies owns designs manages heads helps needs wants "
    "plans hopes loves likes knows thinks wonders focuses covers explains shows solves ships maintains "
    "build lead run use make work write teach study own design manage head help need want plan hope love "
    "like know think wonder focus cover explain show solve ship maintain read".split()
)
_SUBJECTS = frozenset("i you we he she they it".split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:['’][a-z]+)?|['’](?:m|re|s|ve|d|ll)\b", text.lower())


def has_verb(text: str) -> bool:
    """Whether a clause has a verb (a heuristic that errs towards yes): an auxiliary, a past
    tense, a common verb, or any word after a subject pronoun."""
    words = _words(text.replace("’", "'"))
    for i, word in enumerate(words):
        bare, _, tail = word.partition("'")
        if bare in _AUX or tail in {"m", "re", "ve", "d", "ll"}:
            return True
        if (word.endswith("ed") and len(word) > 4) or word in _IRREGULAR:
            return True
        if bare in _SUBJECTS and i + 1 < len(words):
            return True
        if word in _PRESENT and i > 0:
            return True
    return False


_MASS = frozenset(
    "advice feedback help guidance input insight insights thoughts coffee lunch time tips pointers "
    "mentorship mentoring support".split()
)
_GERUNDS = {
    "meet": "meeting", "talk": "talking", "speak": "speaking", "discuss": "discussing", "share": "sharing",
    "review": "reviewing", "join": "joining", "grab": "grabbing", "hop": "hopping", "jump": "jumping",
    "connect": "connecting", "meeting": "meeting", "get": "getting", "have": "having", "do": "doing",
}  # fmt: skip
_DURATION = re.compile(r"^(\d+|a few|few|five|ten|fifteen|twenty|thirty)[\s-]*(?:min|minute|hour)", re.IGNORECASE)


def ask_phrase(ask: str) -> str | None:
    """An ask as it follows 'Would you be open to': 'coffee chat' -> 'a coffee chat', '15-minute call'
    -> 'a 15-minute call', 'meet for coffee' -> 'meeting for coffee'; None when it is a question or a
    sentence of its own ('can we talk?')."""
    out = clause(ask, "ask")
    first, _, rest = out.partition(" ")
    low = first.lower()
    if low in _SUBJECTS - {"you"} and rest:
        return None
    if low in _GERUNDS:
        return _GERUNDS[low] + (" " + rest if rest else "")
    if _DURATION.match(out):
        return ("an " if low in ("eight", "eighteen", "eleven") else "a ") + out
    after = rest.split(" ", 1)[0].lower() if rest else ""
    if (low in _MASS and after in ("", "on", "about", "with", "from", "for", "in", "over", "and")) or (
        low.endswith("ing") or (low.endswith("s") and not low.endswith("ss"))
    ):
        return out
    return with_article(out)


@dataclass(frozen=True)
class Subject:
    """A fact that is a whole clause about the writer: who is its subject, and the rest."""

    plural: bool  # "we", "my co-founder and I": the verb after it is plural
    partner: str  # "co-founder" of "my co-founder and I"; "" for "I" or a bare "we"
    rest: str  # the clause after its subject ("are building a tool for small clinics")

    def first(self) -> str:
        """In the writer's voice: 'my co-founder and I are building ...'."""
        if self.partner:
            return f"my {self.partner} and I {self.rest}"
        return f"{'we' if self.plural else 'I'} {self.rest}"

    def third(self, who: str) -> str:
        """Of the writer by name: 'Sam and their co-founder are building ...', 'Sam is building ...'."""
        rest = third_person(self.rest)
        if self.partner:
            return f"{who} and their {self.partner} {rest}"
        if self.plural:
            return f"{who} and their colleagues {rest}"
        return f"{who} {agree(rest)}"


_SUBJECT_FORMS = (
    re.compile(r"^(?:me|i)\s+and\s+(?:my|our)\s+(?P<a>[\w-]+)\s+(?P<rest>.+)$", re.IGNORECASE),
    re.compile(r"^(?:my|our)\s+(?P<b>[\w-]+(?:\s+[\w-]+)?)\s+and\s+(?:i|me)\s+(?P<rest>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<we>we)(?:\s+|['’](?=re\b))(?P<rest>.+)$", re.IGNORECASE),
    re.compile(r"^[Ii](?:\s+|(?=['’](?:m|ve|d|ll)\b))(?P<rest>.+)$"),
)


def split_subject(text: str) -> Subject | None:
    """The subject of a fact that is a whole clause ('me and my co-founder are building ...'), or None
    when the fact is a phrase that follows 'I am' or 'I can offer'."""
    for form in _SUBJECT_FORMS:
        m = form.match(text.strip())
        if not m:
            continue
        groups = m.groupdict()
        partner = groups.get("a") or groups.get("b") or ""
        rest = m["rest"].strip()
        head, _, tail = rest.partition(" ")
        if groups.get("a") and tail and not _verbish(head):  # "me and my business partner run ..."
            partner, rest = f"{partner} {head}", tail
        if rest.startswith(("'", "’")):
            rest = {"'re": "are", "'m": "am", "'ve": "have", "'d": "would", "'ll": "will"}.get(
                rest[:3].replace("’", "'").rstrip(" "), rest[:3]
            ) + rest[3:]
            rest = rest.replace("'ve", "have").strip()
        if not rest or not has_verb(("we " if partner or groups.get("we") else "i ") + rest):
            return None
        return Subject(plural=bool(partner or groups.get("we")), partner=partner, rest=rest)
    return None


def _verbish(word: str) -> bool:
    low = word.lower().replace("’", "'")
    return low in _AUX or low in _IRREGULAR or low in _PRESENT or low.endswith("ed") or low.startswith("'")


_AGREE = {"am": "is", "are": "is", "have": "has", "do": "does", "were": "was", "'m": "is"}
_KEEP = frozenset("can could will would should might may must shall was did had".split())


def agree(rest: str) -> str:
    """The first verb of a clause whose subject was 'I', made to agree with a name: 'am building' ->
    'is building', 'build tools' -> 'builds tools', 'built' stays."""
    first, _, tail = rest.partition(" ")
    low = first.lower()
    if low in _AGREE:
        verb = _AGREE[low]
    elif low in _KEEP or low.endswith("ed") or low in _IRREGULAR:
        verb = first
    elif re.search(r"(?:s|sh|ch|x|z|o)$", low):
        verb = first + "es"
    elif re.search(r"[^aeiou]y$", low):
        verb = first[:-1] + "ies"
    else:
        verb = first + "s"
    return verb + (" " + tail if tail else "")


_TO_READER = (
    (r"\b(?:he|she)\s+(?:is|'s)\b", "you are"),
    (r"\b(?:he|she)\s+has\b", "you have"),
    (r"\b(?:he|she)\s+was\b", "you were"),
    (r"\b(?:he|she)\s+does\b", "you do"),
    (r"\b(?:himself|herself)\b", "yourself"),
    (r"\bhis\b", "your"),
    (r"\bhim\b", "you"),
    (
        r"\bher\b(?=\s*(?:$|[.,;:!?)]|\s(?:and|or|but|about|at|in|on|for|with|to|from|last|this|when|after|"
        r"before|since|speak|talk|present|give|say)\b))",
        "you",
    ),
    (r"\bher\b", "your"),
)


def to_reader(text: str) -> str:
    """A fact about the reader, said to them: 'I read his post' -> 'I read your post', 'she leads' ->
    'you lead'."""
    for pattern, replacement in _TO_READER:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)

    def verb(m: re.Match[str]) -> str:
        word = m[1]
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif re.search(r"(?:sh|ch|x|z|ss|o)es$", word):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        return "you " + word

    return re.sub(r"\b(?:he|she)\s+([a-z]+)", verb, text, flags=re.IGNORECASE)
