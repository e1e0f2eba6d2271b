"""Find the facts a text states: names, numbers, dates, links, e-mail addresses and credentials.

:func:`extract_facts` lists them in text order; :mod:`coach.guard.support` decides which of them
the sources support.

What is a fact (each span is claimed by the first kind that matches, in this order):

* never: placeholders (``[ASK: ...]``, ``[Name]``, ``{first_name}``, ``{{x}}``,
  ``<Company>``, ``$XX``), ``1:1``, ``1-on-1``, ``24/7``;
* ``email``: an address. ``link``: a URL (``http(s)://``, ``www.``) or a bare domain
  with a common lower-case top-level domain (``alicelee.dev``, ``github.com/alice``;
  ``Node.js`` and ``README.md`` are not domains). Trailing punctuation is left out;
* ``date``: a month, weekday or quarter with what is attached to it ("next Tuesday",
  "March 3rd, 2025", "the 3rd of March", "early April", "Q3 2025"). Months must be
  capitalised; "May" opening a question ("May I ...") is a verb; Jan, Jun, Mon, Sat
  and Sun (also names and words) count only next to a number. "next week", "this
  month", "tomorrow" are not facts;
* ``credential``: a degree or certification (PhD, Ph.D., MBA, MSc, CPA, RN, LLM, ...),
  and any lone all-caps acronym of 2-6 letters (MIT, AWS, IBM: an employer, school or
  credential claim) unless it is a generic term (AI, CEO, SaaS, US, Q&A, KPI, ...) or
  a shouted common word (PLEASE);
* ``number``: digits with what is attached: money ($40k, €5, 40,000), decimals,
  percentages, ordinals (3rd), multiples (3x), times (3pm, 15:30), years, ranges
  (15-20, $40k-$60k), slashes (3/15). Not: number words ("fifteen"), "1." and "2)"
  opening a list line, or digits glued to a word (B2B, GPT-4, COVID-19, Web3);
* ``name``: a run of capitalised or CamelCase words (O'Neil, Jean-Luc, LinkedIn),
  which may hold connectors ("Bank of America", "Ernst & Young", "José de la Cruz"),
  initials ("J. Smith"), single-letter labels ("Series A") and titles ("Dr. Chen",
  "Ms. Lopez"; a title alone is not a fact). "I" and greeting or sign-off words
  ("Hi", "Best", "Thanks") never are. A capitalised word opening a sentence or a line,
  or anywhere in a Title Case line, is not a name when it is a common English word,
  is written in lower case elsewhere in the text or in the sources, or is a plain
  inflection or contraction of one ("Intros", "Kindly", "He'd", "Reply-all"). A
  possessive 's is not part of the fact.

Every pattern here is a flat scan (possessive quantifiers where a group repeats,
a look-behind where a match may start) and every backwards look is bounded, so
the guard runs in time linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from coach.guard.lexicon import (
    ABBREVIATIONS,
    AMBIGUOUS_DATE_WORDS,
    CLAIM_TITLES,
    COMMON_WORDS,
    CONNECTORS,
    CURRENCY,
    DEGREES,
    FREE_TITLES,
    FULL_WEEKDAYS,
    GENERIC_ACRONYMS,
    GREETING_WORDS,
    MONTHS,
    TLDS,
    WEEKDAYS,
)
from coach.text.measures import URL_RE
from coach.text.parse import PLACEHOLDER_RE
from coach.text.tidy import fold


@dataclass(frozen=True)
class Fact:
    """A checkable claim in a text: its kind, its exact characters and their offsets."""

    kind: str  # "name", "number", "date", "link", "email", "credential"
    text: str  # exactly as it appears in the text
    start: int  # offsets into the text it was extracted from
    end: int
    label: str = ""  # what its [ASK: ...] marker asks for, when not the kind's own word


# ---------------------------------------------------------------------------
# Patterns (each a flat scan: nothing here can backtrack catastrophically)
# ---------------------------------------------------------------------------

_NON_FACT_RE = re.compile(r"(?<![\w:])1:1(?![\w:])|(?<!\w)1-on-1(?!\w)|(?<![\w/])24/7(?![\w/])")
DOMAIN_RE = re.compile(
    r"(?<![\w.@/+-])(?:[A-Za-z0-9][A-Za-z0-9-]*+\.(?=[A-Za-z0-9]))++"
    rf"(?:{TLDS})(?![\w-])(?:/[^\s<>()]*+)?"
)
TRAILING_PUNCT = ".,;:!?'\"’”)]}>*_…"

_DATE_WORDS = "|".join(sorted({*MONTHS, *WEEKDAYS}, key=len, reverse=True))
DATE_WORD_RE = re.compile(rf"(?i)\b({_DATE_WORDS})(s?)\b")
QUARTER_RE = re.compile(r"(?<!\w)Q[1-4](?!\w)")
_MONTH_RIGHT_RE = re.compile(
    r"(?:\.(?=[ \t]))?(?:[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?(?![\w:]))?(?:,?[ \t]+(?:19|20)\d{2}(?!\w))?"
)
_WEEKDAY_RIGHT_RE = re.compile(r"(?:\.(?=[ \t]))?(?:,?[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)(?!\w))?")
_QUARTER_RIGHT_RE = re.compile(r"(?:[ \t]+(?:19|20)\d{2}(?!\w)|[ \t]*'\d{2}(?!\w))?")
_DAY_LEFT_RE = re.compile(r"(?<![\w.,])(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?$")
_MODIFIER_LEFT_RE = re.compile(r"(?i)(?<!\w)(?:next|this|last|coming|early|mid|late)[ \t-]+$")
_NUMBER_NEXT_RE = re.compile(r"\.?,?[ \t]+\d")
_NUMBER_BEFORE_RE = re.compile(r"\d(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?$")
_MODAL_MAY_RE = re.compile(r"(?i)[ \t]+(?:i|we|you|he|she|they|it|this|that|there|one)\b")
_DATE_GAP_RE = re.compile(r",?[ \t]+(?:the[ \t]+)?|,|[ \t]*[-–—][ \t]*")

_DOTTED_RE = re.compile(
    r"(?<![\w.])(?:[A-Z][a-z]?\.){2,}+(?!\w)|(?<![\w.])(?:[A-Z][a-z]?\.)++[A-Z][a-z]?(?![\w.])|(?<![\w.])LL\.M\.?(?!\w)"
)

NUMBER_CORE = (
    r"(?:\d{1,2}:\d{2}(?![\d:])|\d{1,4}(?:/\d{1,4}){1,2}(?![\d/])|\d{1,3}(?:,\d{3})++(?:\.\d+)?|\d++(?:\.\d++)*+)"
)
NUMBER_SUFFIX = (
    r"(?:st|nd|rd|th|mins?|hrs?|yrs?|mm|MM|bn|BN|[kKmMbBhx])?"
    rf"(?:[ \t]?(?:%|percent\b|[aApP]\.?[mM]\b\.?)|[ \t](?:thousand|million|billion)\b|[{CURRENCY}])?"
)
_NUMBER_RE = re.compile(rf"(?<![\w.,/:@])(?:[{CURRENCY}][ \t]?)?{NUMBER_CORE}{NUMBER_SUFFIX}(?![^\W_])")
_RANGE_GAP_RE = re.compile(r"[ \t]*[-–—][ \t]*")

TOKEN_RE = re.compile(r"[^\W_]+(?:(?:['’-]|&(?=[^\W\d_]))[^\W_]+)*+")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&]{1,5}s?")
_GAP_SPACE_RE = re.compile(r"[ \t\u00a0]+")
_GAP_AMPERSAND_RE = re.compile(r"[ \t\u00a0]*&[ \t\u00a0]*")
_GAP_PERIOD_RE = re.compile(r"\.[ \t\u00a0]*")

_OPENERS = frozenset(" \t\r\u00a0\"'“‘«([{*•·>#_-–—")
_CLOSERS = frozenset("\"'”’)]")


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def fold_accents(text: str) -> str:
    """Straight quotes and no accents, so "José’s" and "Jose's" compare equal."""
    text = fold(text)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _trim_period(text: str, start: int, end: int) -> int:
    """Leave a closing period out of a fact when it ends the sentence, not the abbreviation."""
    if end - start > 1 and text[end - 1] == ".":
        after = text[end : end + 2]
        if not after or after[0] in "\r\n" or (after[0] in " \t" and (len(after) < 2 or not after[1].islower())):
            return end - 1
    return end


def _starts_sentence(text: str, pos: int) -> bool:
    """Does the word at ``pos`` open a sentence or a line (so its capital says nothing)?"""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] in "\n!?…:":
        return True
    ch = text[i]
    if ch in _CLOSERS:
        j = i - 1
        while j > i - 4 and j >= 0 and text[j] in _CLOSERS:
            j -= 1
        return j >= 0 and text[j] in ".!?…"
    if ch != ".":
        return False
    j = i
    while j > max(0, i - 8) and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i].lower()
    return not (len(word) == 1 or word in ABBREVIATIONS)


_CONTRACTIONS = ("d", "ll", "ve", "re", "m", "t", "s")
_INFLECTIONS = ("ing", "ly", "ed", "es", "s")


def _is_ordinary_word(low: str, lower_words: set[str] | frozenset[str]) -> bool:
    """Is ``low`` a common word, one written in lower case nearby, or a plain inflection or
    contraction of one ("intros", "kindly", "he'd", "reply-all")? Only asked of sentence openers."""
    known = (COMMON_WORDS, lower_words)
    if any(low in words for words in known):
        return True
    head, apostrophe, tail = low.partition("'")
    if apostrophe and tail in _CONTRACTIONS:
        return any(head in words for words in known)
    if "-" in low:
        return _is_ordinary_word(low.split("-", 1)[0], lower_words)
    for suffix in _INFLECTIONS:
        stem = low[: -len(suffix)]
        if low.endswith(suffix) and len(stem) >= 3:
            stems = {stem, stem + "e"} | ({stem[:-1]} if len(stem) >= 4 and stem[-1] == stem[-2] else set())
            if any(not words.isdisjoint(stems) for words in known):
                return True
    return False


def strip_possessive(token: str) -> str:
    """``token`` without a closing possessive 's ("Maya's" -> "Maya")."""
    return token[:-2] if len(token) > 2 and token[-2:] in ("'s", "’s") else token


def _is_acronym(base: str) -> bool:
    """All capitals (a plural s allowed), 2-6 characters, at least two letters: "MIT", "APIs"."""
    return bool(_ACRONYM_RE.fullmatch(base)) and sum(c.isupper() for c in base) >= 2


def acronym_stem(base: str) -> str:
    """An acronym without its plural s ("APIs" -> "API"); other words unchanged."""
    return base[:-1] if base.endswith("s") and base[:-1].isupper() else base


def _is_degree(base: str) -> bool:
    low = acronym_stem(base).replace(".", "").lower()
    return low in DEGREES and sum(c.isupper() for c in base) >= 2


def is_generic(base: str) -> bool:
    """Is ``base`` (or its singular) a generic acronym: "AI", "CEO", "KPIs"?"""
    low = base.lower()
    return low in GENERIC_ACRONYMS or acronym_stem(base).lower() in GENERIC_ACRONYMS


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------


class _Scan:
    """One pass per kind over the text; each kind claims its characters so later kinds skip them."""

    def __init__(self, text: str, known_lowercase: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.known_lowercase = known_lowercase  # words the sources write in lower case
        self.mask = bytearray(len(text))
        self.facts: list[Fact] = []

    def free(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) == -1

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

    def add(self, kind: str, start: int, end: int) -> None:
        self.facts.append(Fact(kind, self.text[start:end], start, end))
        self.take(start, end)

    def run(self) -> list[Fact]:
        for pattern in (PLACEHOLDER_RE, _NON_FACT_RE):
            for m in pattern.finditer(self.text):
                self.take(m.start(), m.end())
        self.links()
        self.dates()
        self.dotted()
        self.numbers()
        self.words()
        self.facts.sort(key=lambda f: (f.start, f.end))
        return self.facts

    def links(self) -> None:
        text = self.text
        for pattern in (URL_RE, DOMAIN_RE):
            for m in pattern.finditer(text):
                start, end = m.span()
                raw = m.group()
                is_email = pattern is URL_RE and "@" in raw and not raw.lower().startswith(("http", "www."))
                if not is_email:
                    while end > start and text[end - 1] in TRAILING_PUNCT:
                        end -= 1
                    if "." not in text[start:end].removeprefix("www.").removeprefix("WWW."):
                        continue
                if self.free(start, end):
                    self.add("email" if is_email else "link", start, end)

    def dates(self) -> None:
        text = self.text
        atoms: list[tuple[int, int]] = []
        for m in DATE_WORD_RE.finditer(text):
            start, end = m.span()
            word, plural = m.group(1), m.group(2)
            low = word.lower()
            if not self.free(start, end) or (plural and low not in FULL_WEEKDAYS):
                continue
            if low in WEEKDAYS:
                if low not in FULL_WEEKDAYS and not word[0].isupper():
                    continue
                right = _WEEKDAY_RIGHT_RE
            else:
                if not word[0].isupper():
                    continue
                right = _MONTH_RIGHT_RE
            if low in AMBIGUOUS_DATE_WORDS and not self._number_nearby(start, end):
                continue
            if low == "may" and _starts_sentence(text, start) and _MODAL_MAY_RE.match(text, end):
                continue
            atoms.append(self._extend_date(start, end, right, month=low in MONTHS))
        for m in QUARTER_RE.finditer(text):
            if self.free(m.start(), m.end()):
                atoms.append(self._extend_date(m.start(), m.end(), _QUARTER_RIGHT_RE, month=False))
        atoms.sort()
        merged: list[list[int]] = []
        for start, end in atoms:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            elif merged and _DATE_GAP_RE.fullmatch(text, merged[-1][1], start):
                merged[-1][1] = end
            else:
                merged.append([start, end])
        for start, end in merged:
            if self.free(start, end):
                self.add("date", start, end)

    def _number_nearby(self, start: int, end: int) -> bool:
        window = self.text[max(0, start - 12) : start]
        return bool(_NUMBER_NEXT_RE.match(self.text, end) or _NUMBER_BEFORE_RE.search(window))

    def _extend_date(self, start: int, end: int, right_re: re.Pattern[str], *, month: bool) -> tuple[int, int]:
        text = self.text
        right = right_re.match(text, end)
        if right and right.end() > end and text[end : right.end()] != "." and self.free(end, right.end()):
            end = right.end()
        window_start = max(0, start - 24)
        window = text[window_start:start]
        left = _DAY_LEFT_RE.search(window) if month else None
        left = left or _MODIFIER_LEFT_RE.search(window)
        if left and self.free(window_start + left.start(), start):
            start = window_start + left.start()
        return start, end

    def dotted(self) -> None:
        """Dotted abbreviations: "Ph.D." and "M.S." are credentials; "U.S." and "A.M." nothing."""
        for m in _DOTTED_RE.finditer(self.text):
            start, end = m.span()
            if not self.free(start, end):
                continue
            letters = m.group().replace(".", "")
            end = _trim_period(self.text, start, end)
            if letters.lower() in DEGREES or (letters.isupper() and letters.lower() not in GENERIC_ACRONYMS):
                self.add("credential", start, end)
            elif letters.lower() in GENERIC_ACRONYMS:
                self.take(start, end)

    def numbers(self) -> None:
        text = self.text
        atoms: list[tuple[int, int]] = []
        for m in _NUMBER_RE.finditer(text):
            start, end = m.span()
            if not self.free(start, end):
                continue
            end = _trim_period(text, start, end)
            glued = start > 1 and text[start - 1] in "-–" and text[start - 2].isalpha()
            if glued and not (atoms and atoms[-1][1] == start - 1):
                continue  # GPT-4, COVID-19: the digits belong to the word
            if self._is_list_marker(start, end):
                continue
            atoms.append((start, end))
        merged: list[list[int]] = []
        for start, end in atoms:
            if merged and _RANGE_GAP_RE.fullmatch(text, merged[-1][1], start):
                merged[-1][1] = end
            else:
                merged.append([start, end])
        for start, end in merged:
            self.add("number", start, end)

    def _is_list_marker(self, start: int, end: int) -> bool:
        """ "1." or "2)" opening a line numbers a list item; it states nothing."""
        text = self.text
        if end - start > 2 or not text[start:end].isdigit() or end >= len(text) or text[end] not in ".)":
            return False
        if end + 1 < len(text) and not text[end + 1].isspace():
            return False
        i = start - 1
        if i >= 0 and text[i] == "(":
            i -= 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        return i < 0 or text[i] == "\n"

    def words(self) -> None:
        """Names (runs of capitalised words), degrees and stand-alone acronyms."""
        text = self.text
        tokens = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text) if self.free(m.start(), m.end())]
        lower_words = {fold_accents(strip_possessive(text[s:e])).lower() for s, e in tokens if text[s].islower()}
        lower_words |= self.known_lowercase
        title_lines = self._title_case_lines(tokens)
        newlines = [m.start() for m in re.finditer("\n", text)]
        classes: list[str] = []
        for s, e in tokens:
            in_title_line = bisect_right(newlines, s) in title_lines
            classes.append(self._classify(s, e, lower_words, in_title_line))
        i = 0
        while i < len(tokens):
            cls = classes[i]
            if cls == "credential":
                s, e = tokens[i]
                self.add("credential", s, e - (len(text[s:e]) - len(strip_possessive(text[s:e]))))
            if cls not in ("name", "title"):
                i += 1
                continue
            run = [i]
            j = i
            while not self._possessive(tokens[j]):
                k = j + 1
                while k < len(tokens) and k - j <= 3 and classes[k] == "connector":
                    if not _GAP_SPACE_RE.fullmatch(text, tokens[k - 1][1], tokens[k][0]):
                        break
                    if k == j + 1 and text[tokens[k][0] : tokens[k][1]] == "the":
                        break
                    k += 1
                if (
                    k >= len(tokens)
                    or classes[k] not in ("name", "title")
                    or not self._joins(tokens, classes, k - 1, k)
                ):
                    break
                run.extend(range(j + 1, k + 1))
                j = k
            i = j + 1
            if all(classes[t] == "title" for t in run):
                continue  # a bare "Mr" or "Dr" names no one
            start = tokens[run[0]][0]
            last_start, last_end = tokens[run[-1]]
            end = last_start + len(strip_possessive(text[last_start:last_end]))
            lone_acronym = len(run) == 1 and _is_acronym(text[start:end])
            self.add("credential" if lone_acronym else "name", start, end)

    def _possessive(self, token: tuple[int, int]) -> bool:
        word = self.text[token[0] : token[1]]
        return strip_possessive(word) != word

    def _joins(self, tokens: list[tuple[int, int]], classes: list[str], a: int, b: int) -> bool:
        """May tokens ``a`` and ``b`` sit in one name: "Maya Chen", "Ernst & Young", "Dr. Chen", "J. Smith"."""
        text = self.text
        gap_start, gap_end = tokens[a][1], tokens[b][0]
        if _GAP_SPACE_RE.fullmatch(text, gap_start, gap_end):
            return True
        if classes[a] == "connector":
            return False
        if _GAP_AMPERSAND_RE.fullmatch(text, gap_start, gap_end):
            return True
        word = text[tokens[a][0] : tokens[a][1]]
        short = classes[a] == "title" or (len(word) == 1 and word.isupper())
        return short and bool(_GAP_PERIOD_RE.fullmatch(text, gap_start, gap_end)) and gap_end > gap_start + 1

    def _title_case_lines(self, tokens: list[tuple[int, int]]) -> set[int]:
        """Lines Written Like This (subjects, headings): their capitals say nothing either."""
        text = self.text
        counts: dict[int, list[int]] = {}
        line = 0
        pos = 0
        for s, e in tokens:
            line += text.count("\n", pos, s)
            pos = s
            word = text[s:e]
            if not word[0].isalpha() or word.lower() in CONNECTORS or word.lower() in ("a", "an", "and", "or", "to"):
                continue
            entry = counts.setdefault(line, [0, 0])
            entry[0] += 1
            entry[1] += word[0].isupper()
        return {ln for ln, (total, caps) in counts.items() if total >= 2 and caps >= 0.8 * total}

    def _classify(self, start: int, end: int, lower_words: set[str], in_title_line: bool) -> str:
        """name, title, credential, connector or other."""
        word = self.text[start:end]
        if not word[0].isalpha():
            return "other"
        if not any(c.isupper() for c in word):
            return "connector" if word in CONNECTORS else "other"
        base = strip_possessive(word)
        low = fold_accents(base).lower()
        if low == "i" or low.startswith("i'") or low in GREETING_WORDS:
            return "other"
        if (low in FREE_TITLES or low in CLAIM_TITLES) and base[1:].islower():
            return "title"
        if is_generic(base) or (len(base) > 1 and base.isupper() and low in COMMON_WORDS):
            return "other"
        if _is_degree(base):
            return "credential"
        if (in_title_line or _starts_sentence(self.text, start)) and _is_ordinary_word(low, lower_words):
            return "other"
        return "name"


def extract_facts(text: str, *, known_lowercase: frozenset[str] = frozenset()) -> list[Fact]:
    """Every checkable fact in ``text``, in text order (placeholders excluded).

    ``known_lowercase`` are words the sources write in lower case: a capitalised sentence opener
    spelled like one of them is an ordinary word, not a name.
    """
    return _Scan(text, known_lowercase).run()
