"""Decide which facts of a rewrite the writer's own texts support.

:func:`unsupported_facts` lists the facts of a candidate rewrite (as :mod:`coach.guard.extract`
finds them) that neither the draft nor the writer's notes support, and :func:`mark_unsupported`
turns each into a visible ``[ASK: ...]`` marker the writer fills in.

How support is decided (the sources are the draft and the notes):

* names: each capitalised word of the run is looked up on its own among the source
  words, ignoring case, accents, possessive 's and a plural s, so "Maya Chen" is
  unsupported when the sources only say "Maya", and the whole run is reported. A
  hyphenated word is supported whole or by its capitalised parts ("Python-based");
  an initial by a capitalised source word with that letter; a label letter only by
  the same letter standing alone; "Dr"/"Doctor" need a doctorate in the sources
  and "Prof"/"Professor" a professorship; Mr, Ms, Mrs, Mx, St, Jr, Sr need nothing;
* numbers: every number in the fact (both ends of a range) must appear in the
  sources, compared after normalising commas, currency signs and k/m/bn multipliers
  ("40,000" = "40000" = "$40k"); spelled numbers count ("fifteen", "twenty-five",
  "forty thousand", "a dozen", "half an hour"); 3pm matches 15:00;
* dates: every month, weekday or quarter named must be named in the sources
  (abbreviations and "third quarter" count; lower-case "may" and "march" do not),
  and any day or year number must be among the sources' numbers;
* links: the same URL ignoring scheme, ``www.``, a trailing slash and the case of
  the host (a source URL also supports its bare host); e-mails: the same address,
  ignoring case;
* credentials: the same token ignoring dots and case, its twin (MS/MSc, BS/BSc,
  PhD/DPhil) or its spelled-out form ("doctorate", "master's", "business
  administration", "registered nurse"); an acronym is also supported by the
  initials of a capitalised run in the sources ("Amazon Web Services" -> AWS).

The patterns that read the sources follow the extractor's rule: flat scans with bounded
backwards looks, so checking runs in time linear in the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coach.guard.claims import unsupported_claims
from coach.guard.extract import (
    DATE_WORD_RE,
    DOMAIN_RE,
    NUMBER_CORE,
    NUMBER_SUFFIX,
    QUARTER_RE,
    TOKEN_RE,
    TRAILING_PUNCT,
    Fact,
    acronym_stem,
    extract_facts,
    fold_accents,
    is_generic,
    strip_possessive,
)
from coach.guard.lexicon import (
    CLAIM_TITLES,
    CURRENCY,
    DEGREE_PHRASES,
    DEGREE_TWINS,
    DEGREES,
    FREE_TITLES,
    GREETING_WORDS,
    LOWERCASE_NOT_DATES,
    MONTHS,
    MULTIPLIERS,
    NUMBER_PHRASES,
    NUMBER_WORDS,
    QUARTER_ORDINALS,
    SCALE_WORDS,
    WEEKDAYS,
)
from coach.text.measures import URL_RE

_MARKER_LABELS = {
    "name": "name",
    "number": "number",
    "date": "date",
    "link": "link",
    "email": "e-mail",
    "credential": "credential",
}

# ---------------------------------------------------------------------------
# Patterns for reading the sources (flat scans, like the extractor's)
# ---------------------------------------------------------------------------

_SOURCE_QUARTER_RE = re.compile(r"(?i)\bq([1-4])\b|\b(first|second|third|fourth|1st|2nd|3rd|4th)[ -]quarter\b")
_SOURCE_NUMBER_RE = re.compile(rf"(?:[{CURRENCY}][ \t]?)?{NUMBER_CORE}{NUMBER_SUFFIX}")
_NUMBER_CORE_RE = re.compile(r"\d[\d,.:/]*")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_RANGE_SPLIT_RE = re.compile(r"(?<=[\w%$€£¥₹.])[ \t]*[-–—][ \t]*(?=[\d$€£¥₹])")
_ALL_NUMBER_WORDS = "|".join(sorted({*NUMBER_WORDS, *SCALE_WORDS}, key=len, reverse=True))
_NUMBER_WORDS_RE = re.compile(rf"\b(?:{_ALL_NUMBER_WORDS})(?:[ -]+(?:{_ALL_NUMBER_WORDS}))*+\b")
_SOURCE_DOTTED_RE = re.compile(r"(?<![\w.])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})++")
_SOURCE_RUN_RE = re.compile(
    r"(?<![\w'&-])[A-Z][\w'&-]*+"
    r"(?:[ \t]++(?:(?:of|the|and|for|de|la|van|von|der|du|da|di|del|&)[ \t]++){0,3}+[A-Z][\w'&-]*+)++"
)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _forms(word: str) -> set[str]:
    """A lower-case word with its possessive and a plural s taken off, for loose matching."""
    out = {word}
    if word.endswith("'s"):
        word = word[:-2]
        out.add(word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
        if len(word) > 4 and word.endswith("es"):
            out.add(word[:-2])
    return out


def _num_key(value: float) -> str:
    """One spelling per number: 40000, 40000.0 and 4e4 all become "40000"."""
    return format(value, ".12g")


# ---------------------------------------------------------------------------
# Support
# ---------------------------------------------------------------------------


def _number_components(atom: str, *, source: bool = False) -> list[set[str]]:
    """The numbers one atom states, each as the set of spellings that would support it.

    "$40k" is 40000; "3pm" is 3 or 15; "15:30" is (15 or 3) and 30; "3/15" is 3 and 15.
    From a source (``source=True``) the bare figure of "$40k" is kept too.
    """
    m = _NUMBER_CORE_RE.search(atom)
    if m is None:
        return []
    core = m.group().rstrip(".,:/")
    suffix = atom[m.start() + len(core) :].lower().replace(".", "").replace(" ", "").replace("\t", "")
    suffix = suffix.strip(CURRENCY)
    currency = any(c in atom for c in CURRENCY)
    if ":" in core:
        hour_text, _, minute_text = core.partition(":")
        hour = int(hour_text[-2:] or 0)
        hours = {hour}
        if suffix == "pm" and hour < 12:
            hours.add(hour + 12)
        elif suffix == "am" and hour == 12:
            hours.add(0)
        elif not suffix and 1 <= hour < 12:
            hours.add(hour + 12)
        elif not suffix and hour > 12:
            hours.add(hour - 12)
        parts = [{_num_key(h) for h in hours}]
        minutes = int(minute_text[:2]) if minute_text[:2].isdigit() else 0
        if minutes:
            parts.append({_num_key(minutes)})
        return parts
    if "/" in core:
        return [{_num_key(float(p))} for p in core.split("/") if p.isdigit()]
    if core.count(".") > 1 or ("," in core and not _THOUSANDS_RE.fullmatch(core)):
        return [{"v:" + core}]
    value = float(core.replace(",", ""))
    values = {value}
    multiplier = MULTIPLIERS.get(suffix)
    if multiplier:
        if suffix in ("m", "b") and not currency:
            values.add(value * multiplier)  # "5m" may be minutes or millions
        else:
            values = {value * multiplier}
        if source:
            values.add(value)
    elif suffix == "pm" and value < 12:
        values.add(value + 12)
    elif suffix == "am" and value == 12:
        values.add(0.0)
    return [{_num_key(v) for v in values}]


def _spelled_numbers(text: str) -> set[str]:
    """Numbers written as words in ``text``: "fifteen", "twenty-five", "forty thousand"."""
    found: set[str] = set()
    for m in _NUMBER_WORDS_RE.finditer(text):
        total = current = 0
        for word in m.group().replace("-", " ").split():
            if word == "dozen":
                current = max(current, 1) * 12
            elif word in NUMBER_WORDS:
                current += NUMBER_WORDS[word]
            elif word == "hundred":
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALE_WORDS[word]
                current = 0
            if word in NUMBER_WORDS:
                found.add(_num_key(NUMBER_WORDS[word]))
        found.add(_num_key(total + current))
    for phrase, values in NUMBER_PHRASES:
        if phrase in text:
            found.update(_num_key(v) for v in values)
    return found


def _normalise_link(link: str) -> str:
    """Scheme, ``www.``, a trailing slash and the host's case do not make a link different."""
    link = link.strip()
    lowered = link.lower()
    for prefix in ("https://", "http://"):
        if lowered.startswith(prefix):
            link = link[len(prefix) :]
            break
    if link.lower().startswith("www."):
        link = link[4:]
    host, slash, path = link.partition("/")
    return (host.lower() + slash + path).rstrip("/")


class _Index:
    """What the sources say, in the forms the candidate's facts are compared in."""

    def __init__(self, sources: Iterable[str]) -> None:
        raw = "\n\n".join(sources)
        folded = fold_accents(raw)
        self.text = folded.lower()
        self.words: set[str] = set()
        self.initials: set[str] = set()
        self.lowercase: set[str] = set()  # words the sources write in lower case
        self.letters: set[str] = set()  # capital letters standing alone: "Series B", "Plan C"
        for m in TOKEN_RE.finditer(folded):
            word = m.group()
            low = word.lower()
            self.words |= _forms(low)
            if word[0].islower():
                self.lowercase.add(strip_possessive(low))
            if len(word) == 1 and word not in "aiI":  # the article and the pronoun label nothing
                self.letters.add(word.upper())
            if "-" in low:
                for part in low.split("-"):
                    self.words |= _forms(part)
            if word[0].isupper():
                self.initials.add(low[0])
        for m in _SOURCE_DOTTED_RE.finditer(folded):
            self.words.add(m.group().replace(".", "").lower())
        self.initialisms: set[str] = set()
        for m in _SOURCE_RUN_RE.finditer(folded):
            words = [w for w in m.group().split() if w != "&"]
            capitals = [w[0] for w in words if w[0].isupper()]
            self.initialisms.add("".join(w[0].upper() for w in words))
            for size in range(2, 7):
                for at in range(len(capitals) - size + 1):
                    self.initialisms.add("".join(capitals[at : at + size]))
        self.numbers: set[str] = set()
        for m in _SOURCE_NUMBER_RE.finditer(folded):
            for alternatives in _number_components(m.group(), source=True):
                self.numbers |= alternatives
        self.numbers |= _spelled_numbers(self.text)
        self.dates: set[str] = set()
        for m in DATE_WORD_RE.finditer(folded):
            word = m.group(1)
            if word.lower() in LOWERCASE_NOT_DATES and not word[0].isupper():
                continue
            self.dates.add(_date_key(word))
        for m in _SOURCE_QUARTER_RE.finditer(folded):
            ordinal = (m.group(2) or "").lower()
            self.dates.add("q" + (m.group(1) or QUARTER_ORDINALS.get(ordinal, ordinal[:1])))
        self.links: set[str] = set()
        self.emails: set[str] = set()
        for pattern in (URL_RE, DOMAIN_RE):
            for m in pattern.finditer(raw):
                found = m.group()
                if pattern is URL_RE and "@" in found and not found.lower().startswith(("http", "www.")):
                    self.emails.add(found.lower())
                    continue
                link = _normalise_link(found.rstrip(TRAILING_PUNCT))
                self.links.add(link)
                self.links.add(link.partition("/")[0])

    def has_word(self, word: str) -> bool:
        return not self.words.isdisjoint(_forms(fold_accents(word).lower()))

    def has_number(self, alternatives: set[str]) -> bool:
        return not self.numbers.isdisjoint(alternatives)


def _date_key(word: str) -> str:
    low = word.lower()
    if low in MONTHS:
        return f"month-{MONTHS[low]}"
    return f"weekday-{WEEKDAYS[low]}"


def _name_token_supported(token: str, index: _Index, *, initial: bool = False) -> bool:
    """One capitalised word of a name run; ``initial`` when it is a letter and a period ("J.")."""
    base = strip_possessive(token)
    low = fold_accents(base).lower()
    if low in FREE_TITLES or is_generic(base) or low in GREETING_WORDS:
        return True
    if low in CLAIM_TITLES:
        return not index.words.isdisjoint(CLAIM_TITLES[low])
    if len(low) == 1:  # "J. Smith" abbreviates a source name; "Series B" must say B itself
        return base in index.letters or (initial and low in index.initials)
    if index.has_word(base):
        return True
    if "-" in base:
        parts = [p for p in base.split("-") if any(c.isupper() or c.isdigit() for c in p)]
        if parts and all(index.has_word(p) for p in parts):
            return True
    if sum(c.isupper() for c in base) >= 2:
        letters = "".join(c for c in acronym_stem(base) if c.isalpha()).upper()
        return letters in index.initialisms
    return False


def _credential_supported(text: str, index: _Index) -> bool:
    base = acronym_stem(fold_accents(text).replace(".", "").replace(" ", ""))
    low = base.lower()
    if low in DEGREES:
        if any(index.has_word(w) for w in (low, *DEGREE_TWINS.get(low, ()))):
            return True
        return any(phrase in index.text for phrase in DEGREE_PHRASES.get(low, ()))
    return is_generic(base) or index.has_word(base) or _name_token_supported(base, index)


def _date_supported(text: str, index: _Index) -> bool:
    for m in DATE_WORD_RE.finditer(text):
        if _date_key(m.group(1)) not in index.dates:
            return False
    for m in QUARTER_RE.finditer(text):
        if "q" + m.group()[1] not in index.dates:
            return False
    rest = QUARTER_RE.sub(" ", text)
    for m in _NUMBER_CORE_RE.finditer(rest):
        digits = m.group().rstrip(".,:/")
        if not digits.isdigit():
            continue
        spellings = {_num_key(float(digits))}
        if m.start() > 0 and rest[m.start() - 1] in "'’":
            spellings.add(_num_key(2000 + float(digits)))  # Q3 '25
        if not index.has_number(spellings):
            return False
    return True


def _number_supported(text: str, index: _Index) -> bool:
    for part in _RANGE_SPLIT_RE.split(text):
        for alternatives in _number_components(part):
            if not index.has_number(alternatives):
                return False
    return True


def _supported(fact: Fact, index: _Index) -> bool:
    if fact.kind == "name":
        for m in TOKEN_RE.finditer(fact.text):
            token = m.group()
            if not any(c.isupper() or c.isdigit() for c in token):
                continue  # a connector: "of", "de", "van"
            initial = len(token) == 1 and fact.text[m.end() : m.end() + 1] == "."
            if not _name_token_supported(token, index, initial=initial):
                return False
        return True
    if fact.kind == "number":
        return _number_supported(fact.text, index)
    if fact.kind == "date":
        return _date_supported(fact.text, index)
    if fact.kind == "link":
        return _normalise_link(fact.text) in index.links
    if fact.kind == "email":
        return fact.text.lower() in index.emails
    return _credential_supported(fact.text, index)


def unsupported_facts(candidate: str, sources: Iterable[str]) -> list[Fact]:
    """Facts of `candidate` that none of `sources` (the draft, the notes) supports, in text order."""
    index = _Index(sources)
    facts = extract_facts(candidate, known_lowercase=frozenset(index.lowercase))
    return [fact for fact in facts if not _supported(fact, index)]


def unsupported_spans(candidate: str, sources: Sequence[str]) -> list[Fact]:
    """What `candidate` states that the sources do not give: the facts (names, numbers, ...) and the
    claims in plain words (kind ``claim``, labelled with what the writer must supply), in text order."""
    facts = unsupported_facts(candidate, sources)
    claims = [claim.as_fact() for claim in unsupported_claims(candidate, sources)]
    return sorted([*facts, *claims], key=lambda f: (f.start, -f.end))


def mark_unsupported(candidate: str, facts: Sequence[Fact]) -> str:
    """`candidate` with each fact replaced by an [ASK: ...] marker, e.g. [ASK: name], [ASK: number],
    [ASK: date], [ASK: link], [ASK: e-mail], [ASK: credential]; offsets handled right to left.

    Facts must come from this very text (ValueError otherwise). Overlapping facts become one
    marker over both, labelled by the one that starts first, so no invented character survives.
    """
    spans: list[tuple[int, int, str]] = []  # right to left
    for fact in sorted(facts, key=lambda f: (f.start, -f.end), reverse=True):
        if candidate[fact.start : fact.end] != fact.text:
            raise ValueError(f"fact {fact.text!r} is not at {fact.start}:{fact.end} of this text")
        label = fact.label or _MARKER_LABELS.get(fact.kind, fact.kind)
        if spans and fact.end > spans[-1][0]:
            spans[-1] = (fact.start, max(fact.end, spans[-1][1]), label)
        else:
            spans.append((fact.start, fact.end, label))
    pieces: list[str] = []
    limit = len(candidate)
    for start, end, label in spans:
        pieces.append(candidate[end:limit])
        pieces.append(f"[ASK: {label}]")
        limit = start
    pieces.append(candidate[:limit])
    return "".join(reversed(pieces))
