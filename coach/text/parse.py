"""Split a draft into its parts: subject, greeting, body, sign-off, signature.

The parser never changes the text: every part is a :class:`Span` of offsets
into the draft exactly as read (CRLF line endings included), so findings can
quote the writer's own characters and report line and column.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from coach.text.literals import LazyPattern, line_head, split_alternatives
from coach.text.measures import Span, lower_same_length, sentences_in, words_in
from coach.text.tidy import is_marker_at

_HEADER_RE = LazyPattern(
    r"(?i)[ \t]*(to|from|cc|bcc|date|sent)[ \t]*:[^\n]*",
    anywhere=(":",),
    starts=("to", "from", "cc", "bcc", "date", "sent"),
)
_SUBJECT_RE = LazyPattern(r"(?i)[ \t]*(?:subject|subj)[ \t]*:[ \t]*", starts=("subj",))
_GREETING_WORDS = (
    r"hi|hello|hey|heya|hiya|dear|greetings|howdy|good (?:morning|afternoon|evening)"
    r"|to whom it may concern|hola|bonjour|hallo|salut|ciao|olá"
)


def _lead(alternative: str) -> str:
    """The plain text every match of ``alternative`` (words and groups) starts with, lowered."""
    end = next((i for i, ch in enumerate(alternative) if ch in "()[]{}?*+|\\.^$"), len(alternative))
    if alternative[end : end + 1] in ("?", "*", "{"):
        end -= 1  # the last character is optional
    return alternative[:end].lower()


class _Opening:
    """A regex matched at the start of a line, ``[ \\t]*`` then one of a list of words: ``template``
    with ``{words}`` standing for the alternation.

    The full alternation is long and costly to compile, so :meth:`match` compiles only the words
    the line could open with, in their order: the others fail where the match must start, so the
    match is the one the full regex finds."""

    def __init__(self, words: str, template: str) -> None:
        self.template = template
        self.alternatives = tuple(split_alternatives(words))
        self.leads = tuple(_lead(alt) for alt in self.alternatives)
        self.size = max(map(len, self.leads))
        self.full = LazyPattern(template.replace("{words}", words), starts=tuple(dict.fromkeys(self.leads)))
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _subset(self, indices: tuple[int, ...]) -> re.Pattern[str]:
        pattern = self._subsets.get(indices)
        if pattern is None:
            words = "|".join(self.alternatives[i] for i in indices)
            pattern = re.compile(self.template.replace("{words}", words))
            if len(self._subsets) < 64:
                self._subsets[indices] = pattern
        return pattern

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``self.full.match(text, pos, endpos)``."""
        head = line_head(text, pos, endpos, self.size, lower=True)
        if head is None:
            return self.full.match(text, pos, endpos)
        indices = tuple(i for i, lead in enumerate(self.leads) if head.startswith(lead))
        return self._subset(indices).match(text, pos, endpos) if indices else None


# A greeting line: the greeting word, up to 60 characters of names, then , ! : — - or the line end.
_GREETING_RE = _Opening(
    _GREETING_WORDS,
    r"(?i)[ \t]*(?:{words})\b(?:(?:mrs?|ms|mx|dr|prof|st)\.|[^\n,!:.—–]){0,60}?"
    r"(?:[,!:.—–]|[ \t]+-|[ \t]*(?=\r?\n|$))",
)
# "Maya," or "Maya and Alice," alone on a line, or "Ethan, Sam, you've both said yes" also greets.
_NAME_LINE_RE = LazyPattern(r"[ \t]*[A-Z][\w'’.-]*(?:[ \t]+(?:and|&|[A-Z][\w'’.-]*)){0,4}[ \t]*[,—–:][ \t]*(?=\r?\n|$)")
_NAME_LIST_RE = LazyPattern(
    r"[ \t]*[A-Z\u00C0-\u024F][a-z\u00C0-\u024F'’-]+(?:(?:,[ \t]*|[ \t]+(?:and"
    r"|&)[ \t]+)[A-Z\u00C0-\u024F][a-z\u00C0-\u024F'’-]+){0,2}"
    r"[ \t]*[,:—–][ \t]+(?=\S)"
)
_SIGNOFF_WORDS = (
    r"best(?: regards| wishes)?|all the best|regards|kind regards|warm regards|warmest regards"
    r"|warmly|warm wishes|cheers|sincerely|yours(?: truly| sincerely)?|thanks(?: again| so much| a lot"
    r"| very much| in advance)?|thank you(?: so much| again| very much| in advance)?|many thanks"
    r"|with thanks|with gratitude|gratefully|respectfully|talk soon|speak soon|take care|looking forward"
    r"(?: to (?:hearing from you|it|chatting|connecting))?|appreciate it|much appreciated|ty|thx"
)
_SIGNOFF_RE = _Opening(
    _SIGNOFF_WORDS,
    r"(?i)[ \t]*(?P<s>(?:{words}))[ \t]*[,.!]*[ \t]*"
    r"(?P<name>[A-Z\u00C0-\u024F][\w'’.-]*(?:[ \t]+[A-Z\u00C0-\u024F][\w'’.-]*){0,3})?[ \t]*$",
)
_DASH_SIGNATURE_RE = LazyPattern(
    r"[ \t]*(?:--|—|–|-)[ \t]*[A-Z\u00C0-\u024F][\w'’.-]*(?:[ \t]+[\w'’.-]+){0,3}[ \t]*$", starts=("-", "—", "–")
)
_INLINE_SIGNOFF_RE = LazyPattern(
    rf"(?<=[.!?])[ \t]+(?:(?P<s>(?i:{_SIGNOFF_WORDS}))[ \t]*[,.!]*[ \t]*)?"
    r"(?P<name>[A-Z\u00C0-\u024F][\w'’.-]*(?:[ \t]+[A-Z\u00C0-\u024F][\w'’.-]*){0,2})[ \t]*$"
)
# A line that starts quoted or forwarded material: the message itself ends above it.
_SEPARATOR_RE = LazyPattern(
    r"[ \t]*(?:-{3,}|_{3,}|={3,}|-+ ?(?:original|forwarded) message ?-+|on .{1,80} wrote:)[ \t]*$",
    re.IGNORECASE,
    anywhere=("---", "___", "===", "message", "wrote:"),
)
# Quoted history under the writer's own text: an "On <date>, <name> wrote:" header (Gmail may
# wrap it over two lines), an Outlook "-----Original Message-----" or a forwarded-message line.
_QUOTE_HEADER_RE = LazyPattern(
    r"[ \t]*(?:on\b[^\n]{1,160}\bwrote[ \t]*:|-{2,}[ \t]*(?:original|forwarded)[ \t]+message[ \t]*-{2,})[ \t]*$",
    re.IGNORECASE,
    anywhere=("wrote", "message"),
)
_QUOTE_HEADER_START_RE = LazyPattern(r"[ \t]*on[ \t]+[^\n]{1,160}$", re.IGNORECASE, starts=("on",))
_WROTE_RE = LazyPattern(r"[ \t]*(?:[^\n]{0,80}[ \t])?wrote[ \t]*:[ \t]*$", re.IGNORECASE, anywhere=("wrote",))
_NAME_ONLY_RE = LazyPattern(r"[ \t]*[A-Z\u00C0-\u024F][\w'’.-]*(?:[ \t]+[A-Z\u00C0-\u024F][\w'’.-]*){0,3}[ \t]*$")

PLACEHOLDER_RE = LazyPattern(
    r"\[(?:ASK[ \t]*:|TODO\b|TBD\b|INSERT\b)[^\[\]\n]{0,120}\]"  # [ASK: ...] markers and [insert ...]
    r"|\[(?![\d ,.]*\])[^\[\]\n]{1,40}\](?!\()"  # [Name], [month/week], not [1] nor [link](url)
    r"|\{\{[ \t]*[\w.\- ]{1,40}?[ \t]*\}\}"  # {{name}}
    r"|\{[ \t]*[A-Za-z_][\w.\- ]{0,40}?[ \t]*\}"  # {name}
    r"|<(?!(?:br|p|b|i|a|em|strong|div|span|ul|li|ol|hr|html|body)\b)[A-Za-z][A-Za-z _\-/]{1,40}>"
    r"|(?<![A-Za-z0-9])XX+(?![A-Za-z0-9])"  # XX years, $XX
    r"|_{3,}",  # ______
    re.IGNORECASE,
    anywhere=("[", "{", "<", "xx", "___"),
)


class Line(NamedTuple):
    start: int
    end: int  # content end, line terminator excluded

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass
class Draft:
    """A parsed draft: the original text and the spans of its parts."""

    text: str
    subject: Span | None = None
    subject_line: Span | None = None
    greeting: Span | None = None
    body: Span = field(default_factory=lambda: Span(0, 0))
    signoff: Span | None = None
    signature: Span | None = None
    placeholders: list[Span] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    # The writer's own text: everything before quoted history (">" lines at the end, an
    # "On <date>, <name> wrote:" header and all below it, an "-----Original Message-----"
    # block), trailing whitespace excluded; the whole text when nothing is quoted. Every
    # other part lies inside it.
    own: Span = field(default_factory=lambda: Span(0, 0))

    @property
    def quoted(self) -> bool:
        """Whether the draft carries quoted history below the writer's own text."""
        return bool(self.text[self.own.end :].strip())

    def slice(self, span: Span | None) -> str:
        return "" if span is None else self.text[span.start : span.end]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    @cached_property
    def own_lowered(self) -> str:
        """The writer's own text lowered, offsets kept: kind, stage and praise readings share it."""
        return lower_same_length(self.slice(self.own))

    @cached_property
    def sentences(self) -> list[Span]:
        return sentences_in(self.text, self.body.start, self.body.end)

    @cached_property
    def words(self) -> list[Span]:
        return words_in(self.text, self.body.start, self.body.end)

    @cached_property
    def paragraphs(self) -> list[Span]:
        out: list[Span] = []
        for m in re.finditer(r"\S(?:.|\n(?![ \t\r]*\n))*", self.text[self.body.start : self.body.end]):
            out.append(Span(self.body.start + m.start(), self.body.start + m.end()))
        return out

    def placeholder_is_ask_marker(self, span: Span) -> bool:
        return is_marker_at(self.text, span.start)


def _lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    n = len(text)
    while True:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        lines.append(Line(pos, content_end))
        if nl == -1:
            return lines
        pos = nl + 1


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _looks_like_subject(text: str, lines: list[Line], idx: int) -> bool:
    """An unlabelled first line reads as a subject when it is short, unpunctuated,
    set apart by a blank line, and a greeting follows."""
    line = lines[idx].text(text).strip()
    if not line or len(line) > 80 or line[-1] in ".,!?;:" or _GREETING_RE.match(line):
        return False
    nxt = idx + 1
    if nxt >= len(lines) or lines[nxt].text(text).strip():
        return False
    while nxt < len(lines) and not lines[nxt].text(text).strip():
        nxt += 1
    return nxt < len(lines) and bool(_GREETING_RE.match(lines[nxt].text(text)))


def _quote_start(text: str, lines: list[Line]) -> int:
    """The index of the first line of quoted history, or ``len(lines)`` when there is none.

    Quoted history needs some of the writer's own text above it: a draft that is all quote
    is taken whole."""
    n = len(lines)
    start = n
    # Each header needs "wrote" or "message": one test of the whole draft, not one per line.
    header = _QUOTE_HEADER_RE.for_text(text)
    wrote = _WROTE_RE.for_text(text)
    opening = _QUOTE_HEADER_START_RE.compiled if wrote else None
    for k, line in enumerate(lines if header or wrote else ()):
        if header and header.fullmatch(text, line.start, line.end):
            start = k
            break
        if (
            opening
            and wrote
            and k + 1 < n
            and opening.fullmatch(text, line.start, line.end)
            and wrote.fullmatch(text, lines[k + 1].start, lines[k + 1].end)
        ):
            start = k
            break
    # ">" lines (blank lines among them) ending the message.
    k = start - 1
    seen_quote = False
    while k >= 0:
        content = lines[k].text(text).lstrip()
        if content.startswith(">"):
            seen_quote = True
        elif content:
            break
        k -= 1
    if seen_quote:
        k += 1
        while k < start and not lines[k].text(text).lstrip().startswith(">"):
            k += 1
        start = k
    if not any(lines[j].text(text).strip() for j in range(start)):
        return n
    return start


def parse(text: str) -> Draft:
    """Parse ``text`` into a :class:`Draft` without altering a single character."""
    all_lines = _lines(text)
    draft = Draft(text=text, line_starts=[ln.start for ln in all_lines])
    lines = all_lines[: _quote_start(text, all_lines)]
    own_end = lines[-1].end if lines else len(text)
    while own_end > 0 and text[own_end - 1].isspace():
        own_end -= 1
    draft.own = Span(0, own_end)
    draft.placeholders = [Span(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text, 0, draft.own.end)]
    nonblank = [i for i, ln in enumerate(lines) if ln.text(text).strip()]
    if not nonblank:
        draft.body = Span(0, 0)
        return draft

    i = nonblank[0]
    # E-mail headers pasted along with the draft are not part of the message.
    while i < len(lines) and _HEADER_RE.fullmatch(lines[i].text(text)):
        i += 1
    while i < len(lines) and not lines[i].text(text).strip():
        i += 1
    if i < len(lines):
        line = lines[i]
        m = _SUBJECT_RE.match(text, line.start, line.end)
        if m or _looks_like_subject(text, lines, i):
            value_start = m.end() if m else line.start
            draft.subject = _strip_span(text, value_start, line.end)
            draft.subject_line = Span(line.start, line.end)
            i += 1
    while i < len(lines) and not lines[i].text(text).strip():
        i += 1
    body_start = lines[i].start if i < len(lines) else own_end

    if i < len(lines):
        line = lines[i]
        g = (
            _GREETING_RE.match(text, line.start, line.end)
            or _NAME_LINE_RE.match(text, line.start, line.end)
            or _NAME_LIST_RE.match(text, line.start, line.end)
        )
        if g:
            greeting_end = g.end()
            while greeting_end > line.start and text[greeting_end - 1] in " \t":
                greeting_end -= 1
            draft.greeting = _strip_span(text, line.start, greeting_end)
            rest = text[g.end() : line.end]
            body_start = g.end() if rest.strip() else (lines[i + 1].start if i + 1 < len(lines) else own_end)

    tail = [j for j in nonblank if lines[j].end > body_start]
    # Quoted or forwarded material below a separator is not part of the message.
    # With a separator line, quoted material may follow the signature: look above it
    # first; a sign-off at the very end (after a quoted blurb, say) is the other case.
    separator: int | None = None
    content = tail
    sep_re = _SEPARATOR_RE.for_text(text)  # one test of the whole draft, not one per line
    if sep_re:
        separator = next((k for k, j in enumerate(tail) if sep_re.fullmatch(lines[j].text(text))), None)
        content = [j for j in tail if not sep_re.fullmatch(lines[j].text(text))]
    body_end = lines[content[-1]].end if content else own_end
    signoff = None
    if separator:
        signoff = _find_signoff(draft, lines, tail[:separator])
    if signoff is None:
        signoff = _find_signoff(draft, lines, content)
    if signoff is not None:
        body_end = signoff
    draft.body = _strip_span(text, body_start, max(body_start, body_end))
    return draft


def _is_name_line(text: str, line: Line) -> bool:
    return line.end - line.start <= 40 and bool(
        _DASH_SIGNATURE_RE.match(text, line.start, line.end) or _NAME_ONLY_RE.match(text, line.start, line.end)
    )


def _find_signoff(draft: Draft, lines: list[Line], message_lines: list[int]) -> int | None:
    """Set the sign-off and signature spans; return where the body ends, if they were found."""
    text = draft.text
    if not message_lines:
        return None
    end = lines[message_lines[-1]].end
    last = message_lines[-6:]
    for pos, j in reversed(list(enumerate(last))):
        line = lines[j]
        after = last[pos + 1 :]
        # Only short lines, followed by nothing but a short signature block.
        if line.end - line.start > 60 or any(lines[k].end - lines[k].start > 80 for k in after):
            continue
        s = _SIGNOFF_RE.match(text, line.start, line.end)
        # "Thanks for considering it," over a name line is a sign-off too.
        free_form = (
            not s
            and after
            and line.end - line.start <= 40
            and text[line.start : line.end].rstrip().endswith(",")
            and _is_name_line(text, lines[after[0]])
        )
        if s:
            draft.signoff = Span(s.start("s"), s.end("s"))
            sig_start = s.start("name") if s.group("name") else (lines[after[0]].start if after else end)
        elif free_form:
            draft.signoff = _strip_span(text, line.start, text.rindex(",", line.start, line.end))
            sig_start = lines[after[0]].start
        else:
            continue
        sig = _strip_span(text, sig_start, max(sig_start, end))
        draft.signature = sig if len(sig) else None
        return line.start
    final = lines[message_lines[-1]]
    inline = _INLINE_SIGNOFF_RE.search(text, final.start, final.end)
    if inline:
        if inline.group("s"):
            draft.signoff = Span(inline.start("s"), inline.end("s"))
        draft.signature = Span(inline.start("name"), inline.end("name"))
        return inline.start("s") if inline.group("s") else inline.start("name")
    # A signature with no sign-off: a name line ending the message, maybe a title line under it.
    for size in (2, 1):
        block = message_lines[-size:]
        if len(message_lines) > size and block[-1] - block[0] == size - 1:
            first = lines[block[0]]
            if _is_name_line(text, first) and all(lines[k].end - lines[k].start <= 60 for k in block):
                draft.signature = _strip_span(text, first.start, end)
                return first.start
    return None
