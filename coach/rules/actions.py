"""The offline rewrite: apply each rule's ``rewrite`` action to a draft, with no model.

What to do for a rule is data, the optional ``rewrite`` key of its record in
``coach/rules/records/*.toml`` (the schema is in ``docs/rules.md``). Python only knows the
action types:

* ``drop-sentence``: delete the sentence that holds the finding, when the rest of that
  sentence is filler (no digits, links or placeholders, and at most ``max_other_words``
  content words besides the flagged phrases), or whatever it says with ``always`` (never
  the sentence that carries the ask); with ``until_fits`` (count rules: a note over its
  limit) drop the draft's lowest-value sentences until the measure fits.
* ``drop-match``: delete the flagged words only, tidying spaces and punctuation and
  re-capitalising a sentence start.
* ``replace``: put a template in place of the flagged words (``{text}``, ``{text_lower}``,
  ``{text_sentence}``, ``{first_word}``, or a named group of the action's ``match``).
* ``insert`` at ``subject``, ``greeting``, ``opening``, ``closing`` or ``end``: add a line
  or an ``[ASK: ...]`` marker for a missing element.

Like a linter's fixes, each action is safe or needs the writer
(:attr:`~coach.rules.schema.RewriteAction.needs_writer`). Safe ones apply by default. The
others leave ``[ASK: ...]`` markers, and a marker never sits inside a sentence: it replaces
a whole clause (a greeting, a subject line) or is placed as a sentence of its own after the
sentence it is about, while the words around it are kept grammatical. Markers are only
added for findings and for the checks that are essential to the kind, and none that belongs
to one kind when the kind was guessed and the guess is unsure. Handles, names and acronyms
are never rewritten away.

A list of actions is tried in order until one makes an edit; an action with ``match`` only
applies when that regex (case-insensitive) finds the flagged text. The rewrite never adds a
fact: rule texts are generic words and ``[ASK: ...]`` markers, and everything else is the
writer's own text.

Edits run in two passes, each right to left so offsets stay valid: first the edits to
flagged spans (overlaps resolved by severity, then rule code), then the inserts, placed
on the edited text so they land next to what is left. Running the rewrite again on its
own output adds nothing twice: an insert whose text is already there is skipped, and a
marker is skipped when a marker already sits there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from coach.rules.catalogue import rules_by_code
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text
from coach.rules.report import Check, Finding
from coach.rules.schema import SEVERITY_RANK, CountParams, RewriteAction, Rule
from coach.text.kinds import KINDS
from coach.text.measures import URL_RE, WORD_RE, Span, words_in
from coach.text.parse import PLACEHOLDER_RE, Draft, parse
from coach.text.tidy import MARKER_BEFORE_RE, MARKER_RE, count_markers, shorten

_DIGIT_RE = re.compile(r"\d")
_THANKS_RE = re.compile(r"(?i)(?:thanks|thank you|many thanks|i appreciate|appreciate)\b")
_STANDALONE_I = re.compile(r"(?<![\w'’.])i(?=$|[\s,;:!?)]|\.(?!\w)|['’](?:m|d|ll|ve)\b)")
_CAPS_WORD_RE = re.compile(r"[^\W\d_]*[A-Z][^\W_]*")
_HANDLE_RE = re.compile(r"(?<![\w.])@[\w.-]*\w")
_ASK_RE = re.compile(
    r"(?i)\?|\b(?:would|could|can|will) (?:you|we|i)\b|\blet me know\b|\b(?:are|were) you (?:open|free|up)\b"
    r"|\b(?:happy|love|like|glad|keen) to (?:connect|talk|chat|hear|meet|learn|follow)\b|\bopen to\b"
    r"|(?:\bwould|['’]d) (?:really )?(?:love|like|appreciate|value|welcome)\b"
)
_QUESTION_RE = re.compile(r"(?i)\b(?:would|could|can|will|do|did|are|is|have|may) (?:you|we|i)\b")
_READER_RE = re.compile(r"(?i)\b(?:you|your|yours)\b")
_SELF_START_RE = re.compile(r"(?i)\s*(?:i|i'm|i’m|i've|i’ve|i am|my)\b")
# Capitals that are not shouting: acronyms keep their case when a shouted run is lowered.
_ACRONYMS = frozenset(
    """
    ASAP FYI NASA UX UI AI ML NLP CEO CTO CFO COO CMO CPO VP SVP EVP HR PR QA IT API SDK SQL
    AWS GCP SaaS B2B B2C MBA PhD MSc BSc USA UK EU UN NGO KPI OKR ROI SEO CRM ERP GPA ACM IEEE
    NYC SF LA DC HTML CSS JSON PDF CV ETA EOD EOW TBD RSVP PS NB AM PM FAQ
    """.split()
)
# Words a shouted run often holds that are not acronyms, however short.
_SHOUTED_SHORT = frozenset(
    """
    A AN THE AND OR BUT SO IF AS TO OF IN ON AT BY FOR UP GO DO BE IS IT ME MY WE US NO
    YOU ARE WAS HAS HAD CAN MAY NOT NOW ALL ANY GET GOT HOW WHY WHO YES OUR OUT HER HIM HIS
    SHE HE ITS LET SAY SEE TOO USE BIG NEW ONE TWO OK
    """.split()
)
DEFAULT_MAX_OTHER_WORDS = 2
_TRAILING_RE = re.compile(r"[ \t]+(?=\r?\n|$)")
# What a filled-in marker is scored as: plain, distinct, name-like words (a greeting marker
# filled reads as a name). A marker's instructions are longer than the answer, so a note is
# cut to its limit as if its markers held words of this size.
_STAND_INS = ("Alder", "Birch", "Cedar", "Elm", "Fir", "Hazel", "Larch", "Maple", "Oak", "Pine", "Rowan", "Yew")
STAND_IN = "about six words of the answer"
_AT_ORDER = {"subject": 0, "greeting": 1, "opening": 2, "closing": 3, "end": 4}
_AT_LABEL = {
    "subject": "as the subject",
    "greeting": "as the greeting",
    "opening": "at the opening",
    "closing": "at the close of the body",
    "end": "at the end",
}
# Words that carry no fact of their own: what may go when a filler sentence is dropped.
_FUNCTION_WORDS_TEXT = """
    a an the and or but so if as than then that this these those there here it its it's
    i i'm i've i'd i'll me my mine myself we we're we've we'd our us you you're you've you'd
    your yours he she they them their his her him
    am is are was were be been being have has had having do does did done will would shall
    should can could may might must not no nor don't won't can't isn't aren't wasn't
    to of in on at by for with from about into over out up down off again still just really
    very quite so too also even only ever all any some such each every much many more most
    what which who whom whose when where why how
    like want wanted wanting hope hoping wish feel free sure know think thought quick quickly
    well good great fine lovely nice wonderful doing going get got getting
    please thanks thank kindly time
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


@dataclass
class FixResult:
    text: str  # the rewritten draft
    changes: list[str]  # one human line per applied change, e.g. 'dropped "..." (OPN002)'
    markers: int  # number of [ASK: ...] markers in the result


@dataclass
class _Edit:
    start: int
    end: int
    new: str
    rank: int
    codes: list[str]
    change: str
    drop: bool = False
    order: tuple[int, str] = (0, "")

    def overlaps(self, other: _Edit) -> bool:
        if self.start == self.end and other.start == other.end:
            return False
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end

    def contains(self, other: _Edit) -> bool:
        inside = self.start <= other.start and other.end <= self.end
        return inside and (self.start, self.end) != (other.start, other.end)


class _Text:
    """The draft being edited, with what the edits need to know about it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.markers = [Span(m.start(), m.end()) for m in MARKER_RE.finditer(text)]
        # Parse with each marker masked (same length, no punctuation inside), so that a marker
        # in a greeting or a sentence reads as one word: "Hi [ASK: their name]," is a greeting.
        masked = text
        for m in self.markers:
            masked = masked[: m.start] + "[" + "x" * (len(m) - 2) + "]" + masked[m.end :]
        self.draft: Draft = parse(masked)
        self.sentence_starts = {s.start for s in self.draft.sentences}

    def sentence_of(self, start: int, end: int) -> Span | None:
        for s in self.draft.sentences:
            if s.start <= start and end <= s.end:
                return s
        return None

    def at_sentence_start(self, pos: int) -> bool:
        """Whether ``pos`` starts a sentence, a line or the subject."""
        if pos in self.sentence_starts or (self.draft.subject is not None and pos == self.draft.subject.start):
            return True
        line_start = self.text.rfind("\n", 0, pos) + 1
        if not self.text[line_start:pos].strip():
            return True
        before = self.text[line_start:pos].rstrip()
        return before.endswith((".", "!", "?", "…"))

    def in_marker(self, start: int, end: int) -> bool:
        return any((m.start < end and start < m.end) or m.start <= start < m.end for m in self.markers)

    def newlines(self, s: str) -> str:
        return s.replace("\r\n", "\n").replace("\n", self.nl)


def _capitalise(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1 :] if ch.islower() else s
        if not ch.isspace() and ch not in "\"'“‘(":
            return s
    return s


def _keeps_case(word: str) -> bool:
    """A word with capitals that is not shouting: an acronym (``ASAP``, ``UX``, ``CEO``), a
    word with digits, or a name or brand in mixed case (``Maya``, ``McKinsey``)."""
    if word in _ACRONYMS or any(ch.isdigit() for ch in word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    if any(ch.islower() for ch in letters):
        return True
    return 1 < len(letters) <= 3 and word not in _SHOUTED_SHORT


def _lower(s: str) -> str:
    """``s`` in lower case, keeping acronyms and the pronoun I."""
    out, pos = [], 0
    for m in _CAPS_WORD_RE.finditer(s):
        out.append(s[pos : m.start()].lower())
        word = m.group()
        out.append(word if _keeps_case(word) else word.lower())
        pos = m.end()
    out.append(s[pos:].lower())
    return _STANDALONE_I.sub("I", "".join(out))


def _fields(text: str, m: re.Match[str] | None) -> dict[str, str]:
    words = WORD_RE.findall(text)
    lower = _lower(text)
    fields = {
        "text": text,
        "text_lower": lower,
        "text_sentence": _capitalise(lower),
        "first_word": words[0] if words else text,
    }
    if m is not None:
        fields.update({k: v or "" for k, v in m.groupdict().items()})
    return fields


# --- spans: drop and replace -----------------------------------------------------------------


def _drop_range(t: _Text, s: Span) -> tuple[int, int]:
    """The range to delete so a sentence goes with the whitespace it leaves behind."""
    text, n = t.text, len(t.text)
    start, end = s.start, s.end
    e = end
    while e < n and text[e] in " \t":
        e += 1
    line_start = text.rfind("\n", 0, start) + 1
    starts_line = not text[line_start:start].strip()
    at_line_end = e >= n or text[e] in "\r\n"
    if not at_line_end:
        return start, e
    if not starts_line:
        b = start
        while b > 0 and text[b - 1] in " \t":
            b -= 1
        return b, e
    # The sentence fills its line(s): take the whole line, and one blank line if it sat between two.
    if e >= n:
        b = line_start
        while b > 0 and text[b - 1] in " \t\r\n":
            b -= 1
        return b, n
    e += 2 if text.startswith("\r\n", e) else 1
    prev_blank = line_start == 0 or not text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : line_start].strip()
    next_end = text.find("\n", e)
    next_line = text[e : n if next_end == -1 else next_end]
    if prev_blank and not next_line.strip() and next_end != -1:
        e = next_end + 1
    return line_start, e


def _sentence_is_filler(t: _Text, s: Span, flagged: list[Span], limit: int) -> bool:
    """Whether what is left of the sentence outside the flagged phrases is only filler."""
    text = t.text
    links = [Span(m.start(), m.end()) for m in URL_RE.finditer(text, s.start, s.end)]
    gone = flagged + [u for u in links if any(u.start < f.end and f.start < u.end for f in flagged)]
    pieces, pos = [], s.start
    for g in sorted(gone, key=lambda g: g.start):
        if g.start > pos:
            pieces.append(text[pos : g.start])
        pos = max(pos, g.end)
    pieces.append(text[pos : s.end])
    rest = " ".join(pieces)
    if _DIGIT_RE.search(rest) or URL_RE.search(rest) or PLACEHOLDER_RE.search(rest):
        return False
    content = [w for w in WORD_RE.findall(rest) if w.lower().replace("’", "'") not in _FUNCTION_WORDS]
    return len(content) <= limit


def _drop_match_edit(t: _Text, start: int, end: int) -> tuple[int, int, str] | None:
    """Delete the flagged words and tidy the spaces and punctuation they leave."""
    text, n = t.text, len(t.text)
    b = end
    while b < n and text[b] in " \t":
        b += 1
    if t.at_sentence_start(start):
        while b < n and text[b] in ",;:–—-":
            b += 1
            while b < n and text[b] in " \t":
                b += 1
        if b >= n or text[b] in "\r\n.!?":
            return None  # the sentence would be empty: that is a drop-sentence
        ch = text[b]
        return (start, b + 1, ch.upper()) if ch.islower() else (start, b, "")
    a = start
    while a > 0 and text[a - 1] in " \t":
        a -= 1
    if b >= n or text[b] in "\r\n.!?,;:)":
        # The end of a clause: take the spaces (and a comma) before it, keep its punctuation.
        if a > 0 and text[a - 1] in ",;:" and (b >= n or text[b] in "\r\n.!?,;:)"):
            a -= 1
        return a, b, ""
    return (start, b, "") if a == start else (a, end, "")


def _cut(t: _Text, start: int, end: int, rank: int, code: str) -> _Edit:
    """Delete ``text[start:end]``; when nothing but punctuation would be left, the whole sentence."""
    text = t.text
    tidy = _drop_match_edit(t, start, end)
    if tidy is not None:
        a, b, new = tidy
        return _Edit(a, b, new, rank, [code], f'cut "{shorten(text[start:end], 90)}"', drop=True)
    stop = end
    while stop < len(text) and text[stop] in " \t,;:.!?…":
        stop += 1
    s = t.sentence_of(start, end) or Span(start, len(text[:stop].rstrip()))
    a, b = _drop_range(t, s)
    return _Edit(a, b, "", rank, [code], f'dropped "{shorten(text[s.start : s.end], 90)}"', drop=True)


def _drop_sentence(t: _Text, s: Span, rank: int, code: str) -> _Edit:
    a, b = _drop_range(t, s)
    return _Edit(a, b, "", rank, [code], f'dropped "{shorten(t.text[s.start : s.end], 90)}"', drop=True)


def _carries_ask(t: _Text, s: Span) -> bool:
    """Whether the sentence holds the draft's request (a question, "would you", "let me know")."""
    return _ASK_RE.search(t.text, s.start, s.end) is not None


def _line_element(t: _Text, start: int, end: int) -> bool:
    """Whether the span lies in the subject line or the greeting: a clause a marker may replace."""
    d = t.draft
    return any(p is not None and p.start <= start and end <= p.end for p in (d.subject_line, d.subject, d.greeting))


def _marker_after(t: _Text, start: int, end: int, markers: list[str], rank: int, code: str) -> _Edit | None:
    """The writer's markers as a sentence of their own, after the sentence that holds the span."""
    s = t.sentence_of(start, end)
    pos = s.end if s is not None else end
    text = t.text
    after = text[pos:].lstrip(" \t")
    if MARKER_RE.match(after) or MARKER_BEFORE_RE.search(text, 0, pos):
        return None  # a marker already sits there: this sentence was rewritten before
    new = " " + " ".join(markers)
    change = f'added "{shorten(" ".join(markers), 90)}" after "{shorten(text[start:end], 40)}"'
    return _Edit(pos, pos, new, rank, [code], change, order=(9, code))


def _span_edits(
    t: _Text, finding: Finding, action: RewriteAction, m: re.Match[str] | None, flagged: list[Span]
) -> list[_Edit]:
    """The edits one action makes for one finding; empty when it does not apply here."""
    start, end = finding.start, finding.end
    rank, code = SEVERITY_RANK.get(finding.severity, 0), finding.rule
    text = t.text
    if action.extension is not None:
        grown = action.extension.match(text, end)
        if grown is None:
            return []
        end = grown.end()
    if action.do == "drop-match":
        return [_cut(t, start, end, rank, code)]
    if action.do == "drop-sentence":
        s = t.sentence_of(start, end)
        if s is None or t.in_marker(s.start, s.end):
            return []
        if action.always:
            # A guilt line, a pitch, a job ask: it goes, unless it is also the draft's only
            # question and asks something besides the flagged words ("Per my last email,
            # could you send the deck?"); that one is the writer's to reword.
            rest = text[s.start : start] + " " + text[end : s.end]
            only = not any(x != s and "?" in text[x.start : x.end] for x in t.draft.sentences)
            if "?" in text[s.start : s.end] and only and _QUESTION_RE.search(rest):
                return []
            return [_drop_sentence(t, s, rank, code)]
        limit = DEFAULT_MAX_OTHER_WORDS if action.max_other_words is None else action.max_other_words
        if not _sentence_is_filler(t, s, [f for f in flagged if s.start <= f.start < s.end], limit):
            return []
        return [_drop_sentence(t, s, rank, code)]
    if action.do != "replace":
        return []
    flagged_text = text[start:end]
    try:
        new = t.newlines(action.text.format(**_fields(flagged_text, m)))
    except (KeyError, IndexError, ValueError):
        return []
    markers = MARKER_RE.findall(new)
    if markers and (_HANDLE_RE.search(flagged_text) or MARKER_RE.search(flagged_text)):
        return []  # never trade a handle, or a marker already there, for a marker
    edits: list[_Edit] = []
    if markers and not _line_element(t, start, end):
        # Not wedged into the sentence: the words stay grammatical, the markers follow it.
        new = re.sub(r"[ \t]{2,}", " ", MARKER_RE.sub("", new)).strip(" \t")
        placed = _marker_after(t, start, end, markers, rank, code)
        if placed is None:
            return []
        edits.append(placed)
    elif markers:
        near = MARKER_RE.match(text[end:].lstrip(" \t")) or MARKER_BEFORE_RE.search(text, 0, start)
        if near:
            return []  # a marker already next to the flagged words: this was rewritten before
    if not new.strip():
        return [_cut(t, start, end, rank, code), *edits]
    if t.at_sentence_start(start):
        new = _capitalise(new)
    if new != flagged_text:
        change = f'replaced "{shorten(flagged_text, 90)}" with "{shorten(new, 90)}"'
        edits.insert(0, _Edit(start, end, new, rank, [code], change))
    return edits


# --- a draft over its limit ------------------------------------------------------------------


def _units(text: str, measure: str, start: int, end: int) -> int:
    """How much of ``measure`` the text between ``start`` and ``end`` holds."""
    if measure == "characters":
        return len(text[start:end].strip())
    if measure == "words":
        return len(words_in(text, start, end))
    if measure == "sentences":
        return 1
    return 0


def _fill_slack(text: str, measure: str) -> int:
    """What the draft's markers count beyond what their filled-in text will: a marker's
    instructions are longer than the answer that replaces them."""
    slack = 0
    for m in MARKER_RE.finditer(text):
        slack += max(0, _units(text, measure, m.start(), m.end()) - _units(STAND_IN, measure, 0, len(STAND_IN)))
    return slack


def _sentence_value(t: _Text, s: Span, index: int, flagged: list[Span]) -> float:
    """How much a sentence carries for the reader: the ask most, then what is about them and
    the opening; background about the writer and sentences already flagged least."""
    text = t.text[s.start : s.end]
    value = 0.0
    if _carries_ask(t, s):
        value += 10
    if _READER_RE.search(text):
        value += 3
    if index == 0:
        value += 2
    if any(s.start <= f.start < s.end for f in flagged):
        value -= 3
    if _SELF_START_RE.match(text):
        value -= 1
    return value


def _trim_edits(t: _Text, finding: Finding, rule: Rule, kept: list[_Edit], flagged: list[Span]) -> list[_Edit]:
    """Drop the lowest-value sentences until the draft fits the limit the finding reports.

    The finding points at the overflow, so its size is how much must go; sentences already
    dropped by other edits count, and so does the room the draft's markers take beyond their
    filled-in text. The ask, and sentences with markers or placeholders, always stay."""
    params = rule.params
    if not isinstance(params, CountParams) or params.measure not in ("characters", "words", "sentences"):
        return []
    measure, text = params.measure, t.text
    if measure == "sentences":
        needed = len([s for s in t.draft.sentences if finding.start <= s.start < finding.end])
    else:
        needed = _units(text, measure, finding.start, finding.end)
    needed -= _fill_slack(text, measure)
    needed -= sum(_units(text, measure, e.start, e.end) for e in kept if e.drop)
    if needed <= 0:
        return []
    rank = SEVERITY_RANK.get(finding.severity, 0)
    sentences = t.draft.sentences
    candidates = []
    for i, s in enumerate(sentences):
        if any(e.start < s.end and s.start < e.end for e in kept):
            continue
        if (
            t.in_marker(s.start, s.end)
            or PLACEHOLDER_RE.search(text, s.start, s.end)
            or MARKER_RE.search(text[s.start : s.end])
        ):
            continue
        value = _sentence_value(t, s, i, flagged)
        if value >= 10:
            continue  # the ask stays
        candidates.append((value, -i, s))
    edits: list[_Edit] = []
    for _, _, s in sorted(candidates, key=lambda c: (c[0], c[1])):
        if needed <= 0 or len(edits) + 1 >= len(sentences):
            break
        edits.append(_drop_sentence(t, s, rank, finding.rule))
        needed -= _units(text, measure, s.start, s.end)
    return edits


def _resolve(edits: list[_Edit]) -> list[_Edit]:
    """Keep the edits that do not clash: a deletion swallows what it contains, otherwise the
    higher severity (then the earlier rule code) wins, and identical edits merge."""
    merged: list[_Edit] = []
    for e in sorted(edits, key=lambda e: (-e.rank, e.codes[0], e.start)):
        same = next((k for k in merged if (k.start, k.end, k.new) == (e.start, e.end, e.new)), None)
        if same is not None:
            if e.codes[0] not in same.codes:
                same.codes.append(e.codes[0])
            continue
        merged.append(e)
    live = [e for e in merged if not any(d.drop and d.contains(e) for d in merged)]
    kept: list[_Edit] = []
    for e in live:  # already in priority order
        for k in kept:
            if e.drop and k.drop and e.overlaps(k) and not e.contains(k):
                # Two dropped sentences side by side share only the space between them.
                a, b = max(e.start, k.start), min(e.end, k.end)
                if e.start < k.start:
                    e.end = a
                else:
                    e.start = b
        if e.end >= e.start and not any(e.overlaps(k) for k in kept):
            kept.append(e)
    return kept


def _apply(text: str, edits: list[_Edit]) -> str:
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.order), reverse=True):
        text = text[: e.start] + e.new + text[e.end :]
    return text


# --- inserts ---------------------------------------------------------------------------------


def _closing_position(t: _Text) -> int | None:
    sentences = t.draft.sentences
    if not sentences:
        return None
    last = sentences[-1]
    text = t.text
    line_start = text.rfind("\n", 0, last.start) + 1
    own_paragraph = not text[line_start : last.start].strip() and len(sentences) > 1
    if own_paragraph and _THANKS_RE.match(text, last.start) and len(WORD_RE.findall(text, last.start, last.end)) <= 12:
        return sentences[-2].end  # before a closing thank-you line
    return last.end


def _insert_edit(t: _Text, at: str, insert: str) -> tuple[int, str] | None:
    """Where an insert goes and the text to put there, with its separators."""
    text, nl, d = t.text, t.nl, t.draft
    body = d.body
    if at == "subject":
        if d.subject is not None:
            return None
        p = len(text) - len(text.lstrip())
        return p, insert + nl + nl
    if at == "end":
        p = len(text.rstrip())
        if p == 0:
            return 0, insert
        sep = nl if d.signoff is not None and d.signature is None else nl + nl
        return p, sep + insert
    if at == "greeting":
        p = body.start
        if d.greeting is not None or MARKER_RE.match(text, p):
            return None  # a greeting, or a marker standing in for one, is already there
        rest = text[p:].rstrip()
        return p, insert + (nl + nl if "\n" in rest else " ")
    if at == "closing":
        closing = _closing_position(t)
        if closing is not None:
            p = closing
            line_end = text.find("\n", p)
            # Text after it on the same line (an inline sign-off): close the marker's sentence.
            tail = text[p : len(text) if line_end == -1 else line_end].strip()
            return p, " " + insert + ("." if tail and insert[-1:] not in ".!?" else "")
    # opening, or a closing with no sentence left: the start of the body.
    p = body.start
    sentences = d.sentences
    if p < len(text) and text[p].islower() and sentences and sentences[0].start == p:
        # "Priya, meet Sam": the greeting runs on into the sentence, so the marker follows it.
        return sentences[0].end, " " + insert
    if not len(body):
        line_start = text.rfind("\n", 0, p) + 1
        if p < len(text) and not text[line_start:p].strip() and "\n" in text[p:]:
            return p, insert + nl + nl
    before = " " if p > 0 and not text[p - 1].isspace() else ""
    after = " " if p < len(text) and not text[p].isspace() else ""
    return p, before + insert + after


# --- the rewrite -----------------------------------------------------------------------------


def _candidates(actions: tuple[RewriteAction, ...], text: str) -> list[tuple[RewriteAction, re.Match[str] | None]]:
    """The actions whose ``match`` (if any) finds the flagged text, in order."""
    out: list[tuple[RewriteAction, re.Match[str] | None]] = []
    for action in actions:
        m = action.pattern.search(text) if action.pattern is not None else None
        if action.pattern is None or m is not None:
            out.append((action, m))
    return out


def _wanted(finding: Finding, rule: Rule, action: RewriteAction, writer: bool, kinds: tuple[str, ...] | None) -> bool:
    """Whether to take this action: safe ones always; the writer's only when asked for, for a
    finding or an essential check, and not for one kind when the kind is unsure."""
    if not action.needs_writer:
        return True
    if not writer or (isinstance(finding, Check) and not finding.essential):
        return False
    return kinds is None or all(rule.applies_to(k) for k in kinds if k in KINDS)


def apply_fixes(
    text: str,
    findings: Sequence[Finding],
    rules: Mapping[str, Rule],
    *,
    writer: bool = True,
    kinds: tuple[str, ...] | None = None,
) -> FixResult:
    """Apply each finding's rule `rewrite` action to `text` (findings' start/end are offsets into `text`).

    Safe actions always apply; ``writer=False`` leaves out the ones that need the writer (the
    ``[ASK: ...]`` markers). ``kinds``: the kinds the draft may be when its kind is unsure;
    then no marker is added for a rule that does not judge them all."""
    t = _Text(text)
    chosen: list[tuple[Finding, Rule, list[tuple[RewriteAction, re.Match[str] | None]]]] = []
    for finding in findings:
        rule = rules.get(finding.rule)
        if rule is None or not rule.rewrite:
            continue
        if not (0 <= finding.start <= finding.end <= len(text)) or text[finding.start : finding.end] != finding.text:
            continue  # not a finding on this text
        picked = [
            (a, m) for a, m in _candidates(rule.rewrite, finding.text) if _wanted(finding, rule, a, writer, kinds)
        ]
        if not picked:
            continue
        if picked[0][0].do != "insert" and (finding.start == finding.end or t.in_marker(finding.start, finding.end)):
            continue  # never edit inside an [ASK: ...] marker
        chosen.append((finding, rule, picked))

    # Pass 1: the flagged spans, then a draft over its limit cut to fit.
    flagged = [
        Span(f.start, f.end)
        for f, _, picked in chosen
        if picked[0][0].do.startswith("drop") and not picked[0][0].until_fits
    ]
    edits: list[_Edit] = []
    trims: list[tuple[Finding, Rule]] = []
    for finding, rule, picked in chosen:
        for action, m in picked:
            if action.do == "insert":
                break
            if action.until_fits:
                trims.append((finding, rule))
                break
            made = _span_edits(t, finding, action, m, flagged)
            if made:
                edits += made
                break
    kept = _resolve(edits)
    for finding, rule in trims:
        kept += _trim_edits(t, finding, rule, kept, flagged + [Span(f.start, f.end) for f, _, _ in chosen])
    kept = _resolve(kept)
    kept.sort(key=lambda e: (e.start, e.order))
    # One marker of a kind is enough: the same question asked twice is asked once.
    asked: set[str] = set()
    for e in list(kept):
        if e.start == e.end and MARKER_RE.search(e.new):
            if e.new.strip() in asked or e.new.strip() in text:
                kept.remove(e)
            asked.add(e.new.strip())
    changes = [f"{e.change} ({', '.join(e.codes)})" for e in kept]
    t = _Text(_TRAILING_RE.sub("", _apply(text, kept)) if kept else text)

    # Pass 2: the missing elements, placed on the edited text.
    inserts: list[_Edit] = []
    seen: set[tuple[str, str]] = set()
    for finding, _, picked in sorted(chosen, key=lambda c: c[0].rule):
        action = picked[0][0]
        if action.do != "insert" or action.at is None:
            continue
        at = action.at
        insert = t.newlines(action.text)
        if (finding.rule, at) in seen or (at, insert) in seen or insert in t.text:
            continue
        seen.update({(finding.rule, at), (at, insert)})
        placed = _insert_edit(t, at, insert)
        if placed is None:
            continue
        p, new = placed
        change = f'added "{shorten(action.text, 90)}" {_AT_LABEL[at]} ({finding.rule})'
        inserts.append(_Edit(p, p, new, 0, [finding.rule], change, order=(_AT_ORDER[at], finding.rule)))
    inserts.sort(key=lambda e: (e.start, e.order))
    changes += [e.change for e in inserts]
    result = _apply(t.text, inserts)
    return FixResult(text=result, changes=changes, markers=count_markers(result))


def rewrite_offline(
    text: str,
    options: Options | None = None,
    settings: Settings | None = None,
    rounds: int = 3,
    *,
    writer: bool = True,
) -> FixResult:
    """Critique and fix ``text`` until nothing more changes (at most ``rounds`` passes).

    One pass can uncover another finding (dropping the only question leaves no ask), so
    this repeats :func:`apply_fixes` on its own output, keeping the kind of the first pass
    (and, when that kind was an unsure guess, adding no marker that belongs to one kind).
    """
    options = options or Options()
    rules = rules_by_code()
    changes: list[str] = []
    current = text
    kinds: tuple[str, ...] | None = None
    for i in range(max(1, rounds)):
        report = critique_text(current, options, settings)
        if i == 0 and report.kind_alternatives:
            kinds = report.kind_alternatives
        if options.kind == "auto":
            options = replace(options, kind=report.kind)
        result = apply_fixes(current, report.hits, rules, writer=writer, kinds=kinds)
        changes += result.changes
        if result.text == current:
            break
        current = result.text
    return FixResult(text=current, changes=changes, markers=count_markers(current))


# --- scoring a rewrite as if its markers were filled -----------------------------------------


@cache
def _marker_owners() -> dict[str, frozenset[str]]:
    """Each marker the rules can write, with the codes of the rules that write it."""
    from coach.rules.catalogue import all_rules

    owners: dict[str, set[str]] = {}
    for rule in all_rules():
        for action in rule.rewrite:
            for marker in MARKER_RE.findall(action.text):
                owners.setdefault(_marker_key(marker), set()).add(rule.code)
    return {k: frozenset(v) for k, v in owners.items()}


def _marker_key(marker: str) -> str:
    return " ".join(marker.lower().split())


def answered_rules(text: str) -> set[str]:
    """The rules whose question the draft's ``[ASK: ...]`` markers answer once they are filled."""
    owners = _marker_owners()
    found: set[str] = set()
    for m in MARKER_RE.finditer(text):
        found |= owners.get(_marker_key(m.group()), frozenset())
    return found


def fill_markers(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``text`` with each ``[ASK: ...]`` marker replaced by a short stand-in for the writer's
    answer (a distinct plain word, so two never read as a doubled word), and the spans
    replaced as (start in ``text``, end, start in the result, end)."""
    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = size = 0
    for i, m in enumerate(MARKER_RE.finditer(text)):
        out.append(text[pos : m.start()])
        size += m.start() - pos
        word = _STAND_INS[i % len(_STAND_INS)]
        spans.append((m.start(), m.end(), size, size + len(word)))
        out.append(word)
        size += len(word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans
