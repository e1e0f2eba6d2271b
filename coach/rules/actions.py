"""The offline rewrite: apply each rule's ``rewrite`` action to a draft, with no model.

What to do for a rule is data, the optional ``rewrite`` key of its record in
``rules/*.toml`` (see the header of ``rules/hygiene.toml``). Python only knows the
action types:

* ``drop-sentence``: delete the sentence that holds the finding, when the rest of that
  sentence is filler (no digits, links or placeholders, and at most ``max_other_words``
  content words besides the flagged phrases); otherwise leave it for the writer.
* ``drop-match``: delete the flagged words only, tidying spaces and punctuation and
  re-capitalising a sentence start.
* ``replace``: put a template in place of the flagged words (``{text}``, ``{text_lower}``,
  ``{text_sentence}``, ``{first_word}``, or a named group of the action's ``match``).
* ``insert`` at ``subject``, ``greeting``, ``opening``, ``closing`` or ``end``: add a line
  or an ``[ASK: ...]`` marker for a missing element.

A list of actions is tried in order; an action with ``match`` only applies when that
regex (case-insensitive) finds the flagged text. The rewrite never adds a fact: rule
texts are generic words and ``[ASK: ...]`` markers, and everything else is the
writer's own text.

Edits run in two passes, each right to left so offsets stay valid: first the edits to
flagged spans (overlaps resolved by severity, then rule code), then the inserts, placed
on the edited text so they land next to what is left. Running the rewrite again on its
own output adds nothing twice: an insert whose text is already there is skipped, and a
replacement that adds a marker is skipped when a marker already sits there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text
from coach.rules.report import Finding
from coach.rules.schema import SEVERITY_RANK, RewriteAction, Rule
from coach.text.measures import URL_RE, WORD_RE, Span
from coach.text.parse import PLACEHOLDER_RE, Draft, parse
from coach.text.tidy import MARKER_BEFORE_RE, MARKER_RE, count_markers, shorten

_DIGIT_RE = re.compile(r"\d")
_THANKS_RE = re.compile(r"(?i)(?:thanks|thank you|many thanks|i appreciate|appreciate)\b")
_STANDALONE_I = re.compile(r"(?<![\w'’.])i(?=$|[\s,;:!?)]|\.(?!\w)|['’](?:m|d|ll|ve)\b)")
DEFAULT_MAX_OTHER_WORDS = 2
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


def _choose(actions: tuple[RewriteAction, ...], text: str) -> tuple[RewriteAction, re.Match[str] | None] | None:
    """The first action whose ``match`` (if any) finds the flagged text."""
    for action in actions:
        if action.pattern is None:
            return action, None
        m = action.pattern.search(text)
        if m is not None:
            return action, m
    return None


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


def _lower(s: str) -> str:
    return _STANDALONE_I.sub("I", s.lower())


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


def _cut(t: _Text, finding: Finding, rank: int) -> _Edit:
    """Delete the flagged words; when nothing but punctuation would be left, the whole sentence."""
    tidy = _drop_match_edit(t, finding.start, finding.end)
    if tidy is not None:
        a, b, new = tidy
        return _Edit(a, b, new, rank, [finding.rule], f'cut "{shorten(finding.text, 90)}"', drop=True)
    text, end = t.text, finding.end
    while end < len(text) and text[end] in " \t,;:.!?…":
        end += 1
    s = t.sentence_of(finding.start, finding.end) or Span(finding.start, len(text[:end].rstrip()))
    a, b = _drop_range(t, s)
    return _Edit(a, b, "", rank, [finding.rule], f'dropped "{shorten(text[s.start : s.end], 90)}"', drop=True)


def _span_edit(
    t: _Text, finding: Finding, action: RewriteAction, m: re.Match[str] | None, flagged: list[Span]
) -> _Edit | None:
    start, end = finding.start, finding.end
    rank, code = SEVERITY_RANK.get(finding.severity, 0), finding.rule
    text = t.text
    if action.do == "drop-match":
        return _cut(t, finding, rank)
    if action.do == "drop-sentence":
        s = t.sentence_of(start, end)
        limit = DEFAULT_MAX_OTHER_WORDS if action.max_other_words is None else action.max_other_words
        if s is None or not _sentence_is_filler(t, s, [f for f in flagged if s.start <= f.start < s.end], limit):
            return None
        a, b = _drop_range(t, s)
        return _Edit(a, b, "", rank, [code], f'dropped "{shorten(text[s.start : s.end], 90)}"', drop=True)
    if action.do != "replace":
        return None
    template = action.text
    try:
        new = t.newlines(template.format(**_fields(finding.text, m)))
    except (KeyError, IndexError, ValueError):
        return None
    if MARKER_RE.search(new):
        # A marker already next to the flagged words: this was rewritten before.
        near = MARKER_RE.match(text[end:].lstrip(" \t")) or MARKER_BEFORE_RE.search(text, 0, start)
        if near or MARKER_RE.search(finding.text):
            return None
    if not new.strip():
        return _cut(t, finding, rank)
    if t.at_sentence_start(start):
        new = _capitalise(new)
    if new == finding.text:
        return None
    return _Edit(start, end, new, rank, [code], f'replaced "{shorten(finding.text, 90)}" with "{shorten(new, 90)}"')


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
        if not any(e.overlaps(k) for k in kept):
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
    if not len(body):
        line_start = text.rfind("\n", 0, p) + 1
        if p < len(text) and not text[line_start:p].strip() and "\n" in text[p:]:
            return p, insert + nl + nl
    before = " " if p > 0 and not text[p - 1].isspace() else ""
    after = " " if p < len(text) and not text[p].isspace() else ""
    return p, before + insert + after


# --- the rewrite -----------------------------------------------------------------------------


def apply_fixes(text: str, findings: Sequence[Finding], rules: Mapping[str, Rule]) -> FixResult:
    """Apply each finding's rule `rewrite` action to `text` (findings' start/end are offsets into `text`)."""
    t = _Text(text)
    chosen: list[tuple[Finding, RewriteAction, re.Match[str] | None]] = []
    for finding in findings:
        rule = rules.get(finding.rule)
        if rule is None or not rule.rewrite:
            continue
        if not (0 <= finding.start <= finding.end <= len(text)) or text[finding.start : finding.end] != finding.text:
            continue  # not a finding on this text
        picked = _choose(rule.rewrite, finding.text)
        if picked is None:
            continue
        action, m = picked
        if action.do != "insert" and (finding.start == finding.end or t.in_marker(finding.start, finding.end)):
            continue  # never edit inside an [ASK: ...] marker
        chosen.append((finding, action, m))

    # Pass 1: the flagged spans.
    flagged = [Span(f.start, f.end) for f, action, _ in chosen if action.do.startswith("drop")]
    edits = []
    for finding, action, m in chosen:
        if action.do != "insert":
            edit = _span_edit(t, finding, action, m, flagged)
            if edit is not None:
                edits.append(edit)
    kept = _resolve(edits)
    kept.sort(key=lambda e: e.start)
    changes = [f"{e.change} ({', '.join(e.codes)})" for e in kept]
    t = _Text(_apply(text, kept))

    # Pass 2: the missing elements, placed on the edited text.
    inserts: list[_Edit] = []
    seen: set[tuple[str, str]] = set()
    for finding, action, _ in sorted(chosen, key=lambda c: c[0].rule):
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
    text: str, options: Options | None = None, settings: Settings | None = None, rounds: int = 3
) -> FixResult:
    """Critique and fix ``text`` until nothing more changes (at most ``rounds`` passes).

    One pass can uncover another finding (dropping the only question leaves no ask), so
    this repeats :func:`apply_fixes` on its own output, keeping the kind of the first pass.
    """
    from coach.rules.catalogue import all_rules

    options = options or Options()
    rules = {r.code: r for r in all_rules()}
    changes: list[str] = []
    current = text
    for _ in range(max(1, rounds)):
        report = critique_text(current, options, settings)
        if options.kind == "auto":
            options = replace(options, kind=report.kind)
        result = apply_fixes(current, report.hits, rules)
        changes += result.changes
        if result.text == current:
            break
        current = result.text
    return FixResult(text=current, changes=changes, markers=count_markers(current))
