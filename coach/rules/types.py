"""The six rule types. Each turns a rule record and a parsed draft into hits.

A hit is a span of the draft plus the values its message may quote
(``{text}``, ``{value}``, ``{limit}``). Rules never contain code: a new rule is a
new record of one of these types.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

from coach.rules.schema import (
    AbsentParams,
    CountParams,
    MetricParams,
    PhraseParams,
    RatioParams,
    Rule,
    StructureParams,
)
from coach.text.literals import Alternation
from coach.text.measures import URL_RE, Span, lower_same_length, reading_grade
from coach.text.parse import Draft
from coach.text.tidy import count_markers


class Hit(NamedTuple):
    span: Span
    values: Mapping[str, object] = MappingProxyType({})


@dataclass
class Context:
    """What a check may know besides the draft: the kind and the writer's options."""

    draft: Draft
    kind: str
    account: str = "premium"
    attempt: int | None = None
    template: bool = False

    @cached_property
    def lowered(self) -> str:
        return lower_same_length(self.draft.text)

    def text_for(self, rule: Rule) -> str:
        """The text a rule's compiled patterns run against (lowered unless case-sensitive)."""
        return self.draft.text if rule.on_original_text else self.lowered

    @cached_property
    def questions(self) -> list[Span]:
        text = self.draft.text
        return [s for s in self.draft.sentences if text[s.start : s.end].rstrip("\"')]’” ").endswith("?")]

    @cached_property
    def grade(self) -> float:
        return reading_grade(self.draft.text, self.draft.words, len(self.draft.sentences))

    @cached_property
    def _scopes(self) -> dict[str, list[Span]]:
        """Every named part of the draft, worked out once (rules ask for them thousands of times)."""
        d = self.draft
        sentences = d.sentences
        parts: dict[str, list[Span | None]] = {
            "text": [Span(0, len(d.text))],
            "body": [d.body],
            "subject": [d.subject],
            "greeting": [d.greeting],
            "signoff": [Span(d.signoff.start, len(d.text)) if d.signoff else d.signature],
            "opening": [sentences[0] if sentences else None],
            "closing": list(sentences[-2:]),
            "first-line": [_first_line(d)],
            "sentences": list(sentences),
        }
        return {name: [s for s in spans if s is not None and len(s)] for name, spans in parts.items()}

    def scope(self, name: str) -> list[Span]:
        """The spans a rule's ``scope`` (or ``anchor``) names; empty when the part is missing."""
        try:
            return self._scopes[name]
        except KeyError:
            raise ValueError(f"unknown scope {name!r}") from None


def _first_line(d: Draft) -> Span | None:
    text = d.text
    start = len(text) - len(text.lstrip())
    if start >= len(text):
        return None
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    return Span(start, end - 1 if text[end - 1 : end] == "\r" else end)


# A compiled regex, or the candidates of a phrase list searched as its alternation would be.
Searcher = re.Pattern[str] | Alternation


def _search(pattern: Searcher | None, text: str, spans: list[Span]) -> list[Span]:
    """Every match of ``pattern`` inside ``spans``; ``^`` anchors at each span's start."""
    if pattern is None:
        return []
    found: list[Span] = []
    for span in spans:
        piece = text if span.start == 0 and span.end == len(text) else text[span.start : span.end]
        found.extend(
            Span(span.start + m.start(), span.start + m.end()) for m in pattern.finditer(piece) if m.end() > m.start()
        )
    return found


def _occurs(pattern: re.Pattern[str], text: str, spans: list[Span]) -> bool:
    """Whether ``pattern`` matches (non-empty) anywhere inside ``spans``; stops at the first match."""
    for span in spans:
        piece = text if span.start == 0 and span.end == len(text) else text[span.start : span.end]
        m = pattern.search(piece)
        while m is not None and m.end() == m.start():
            m = pattern.search(piece, m.end() + 1) if m.end() < len(piece) else None
        if m is not None:
            return True
    return False


def matches(rule: Rule, key: str, ctx: Context, spans: list[Span]) -> list[Span]:
    """Every match of the rule's ``key`` phrases inside ``spans``."""
    text = ctx.text_for(rule)
    phrases = rule.phrase_sets.get(key)
    return _search(phrases.for_text(text) if phrases else None, text, spans)


def occurs(rule: Rule, key: str, ctx: Context, spans: list[Span]) -> bool:
    """Whether one of the rule's ``key`` phrases matches (non-empty) anywhere inside ``spans``:
    the phrases are tried one by one, and the first match ends the search."""
    text = ctx.text_for(rule)
    phrases = rule.phrase_sets.get(key)
    if phrases is None or not spans:
        return False
    return any(_occurs(pattern, text, spans) for pattern in phrases.candidates(text))


def gated(rule: Rule, ctx: Context) -> bool:
    """True when the rule's ``when`` phrases are absent or its ``unless`` phrases present."""
    whole = ctx.scope("text")
    if "when" in rule.phrase_sets and not occurs(rule, "when", ctx, whole):
        return True
    return "unless" in rule.phrase_sets and occurs(rule, "unless", ctx, whole)


def _limit(rule: Rule, ctx: Context, key: str) -> float | None:
    """A bound that may be a number or a table by kind; ``max_free`` wins on free accounts."""
    if key == "max" and ctx.account == "free" and getattr(rule.params, "max_free", None) is not None:
        key = "max_free"
    value = getattr(rule.params, key, None)
    if isinstance(value, dict):
        value = value.get(ctx.kind, value.get("*"))
    return value


def check_phrase(rule: Rule, ctx: Context) -> list[Hit]:
    params = rule.params
    assert isinstance(params, PhraseParams)
    spans = matches(rule, "patterns", ctx, ctx.scope(params.scope))
    text = ctx.draft.text
    return [Hit(s, {"text": text[s.start : s.end]}) for s in spans]


def check_absent(rule: Rule, ctx: Context) -> list[Hit]:
    d = ctx.draft
    params = rule.params
    assert isinstance(params, AbsentParams)
    if len(d.words) < params.min_words:
        return []
    if occurs(rule, "patterns", ctx, ctx.scope(params.scope)):
        return []
    anchor = ctx.scope(params.anchor) or ctx.scope("text")
    return [Hit(anchor[-1] if params.anchor == "closing" else anchor[0])] if anchor else []


def _measure(rule: Rule, ctx: Context) -> tuple[int, list[Span]]:
    """The measured value and the units it counts (for pointing at the overflow)."""
    d = ctx.draft
    params = rule.params
    assert isinstance(params, CountParams)
    measure = params.measure
    if measure == "characters":
        stripped = Span(len(d.text) - len(d.text.lstrip()), len(d.text.rstrip()))
        return len(stripped), [stripped]
    if measure == "words":
        return len(d.words), d.words
    if measure == "sentences":
        return len(d.sentences), d.sentences
    if measure == "questions":
        return len(ctx.questions), ctx.questions
    if measure == "paragraphs":
        return len(d.paragraphs), d.paragraphs
    if measure == "links":
        links = [Span(m.start(), m.end()) for m in URL_RE.finditer(d.text, d.body.start, d.body.end)]
        return len(links), links
    if measure in ("subject_chars", "subject_words"):
        if d.subject is None:
            return 0, []
        subject = d.slice(d.subject)
        n = len(subject) if measure == "subject_chars" else len(subject.split())
        return n, [d.subject]
    if measure == "attempt":
        return ctx.attempt or 0, ctx.scope("opening") or ctx.scope("text")
    if measure == "matches":
        found = matches(rule, "patterns", ctx, ctx.scope(params.scope or "body"))
        return len(found), found
    if measure == "matching_sentences":
        units = [s for s in ctx.scope(params.scope or "sentences") if occurs(rule, "patterns", ctx, [s])]
        return len(units), units
    raise ValueError(f"rule {rule.code}: unknown measure {measure!r}")


def check_count(rule: Rule, ctx: Context) -> list[Hit]:
    params = rule.params
    assert isinstance(params, CountParams)
    value, units = _measure(rule, ctx)
    high, low = _limit(rule, ctx, "max"), _limit(rule, ctx, "min")
    if high is not None and value > high:
        limit = int(high)
        measure = params.measure
        if measure == "characters":
            over = [Span(units[0].start + limit, units[0].end)]
        elif measure in ("subject_chars", "subject_words", "attempt"):
            over = units[:1]
        elif measure in ("words", "sentences"):
            over = [Span(units[limit].start, units[-1].end)]
        else:
            over = units[limit:]
        return [Hit(s, {"value": value, "limit": limit}) for s in over]
    if low is not None and value < low:
        anchor = (ctx.scope(params.scope) if params.scope else []) or ctx.scope("body") or ctx.scope("text")
        return [Hit(anchor[0], {"value": value, "limit": int(low)})] if anchor else []
    return []


def check_ratio(rule: Rule, ctx: Context) -> list[Hit]:
    params = rule.params
    assert isinstance(params, RatioParams)
    body = ctx.scope("body")
    numerator = len(matches(rule, "numerator", ctx, body))
    denominator = len(matches(rule, "denominator", ctx, body))
    if numerator < params.min_numerator:
        return []
    ratio = numerator / max(denominator, 1)
    if ratio <= params.max:
        return []
    anchor = ctx.scope(params.anchor)
    values = {"value": numerator, "other": denominator, "ratio": round(ratio, 1)}
    return [Hit(anchor[0], values)] if anchor else []


def check_metric(rule: Rule, ctx: Context) -> list[Hit]:
    d = ctx.draft
    params = rule.params
    assert isinstance(params, MetricParams)
    metric = params.metric
    high, low = _limit(rule, ctx, "max"), _limit(rule, ctx, "min")
    if metric == "reading_grade":
        if len(d.words) < params.min_words or not d.sentences:
            return []
        grade = ctx.grade
        if (high is not None and grade > high) or (low is not None and grade < low):
            return [Hit(d.body, {"value": grade, "limit": high if high is not None else low})]
        return []
    if metric == "praise_chance":
        # A learned reading, not a count: the chance in percent that sources would praise this
        # draft, from the shipped praise model (coach.text.classify); nothing without the model.
        from coach.text.classify import praise_chance

        # With an [ASK: ...] marker still to fill, the whole is not written yet: no reading.
        if not d.words or count_markers(d.text):
            return []
        read = praise_chance(d, ctx.kind, ctx.template)
        if read is None:
            return []
        chance, words = round(100 * read[0]), read[1]
        if (low is not None and chance < low) or (high is not None and chance > high):
            shown = ", ".join(repr(w) for w in words) if words else "its overall wording"
            return [Hit(d.body, {"value": chance, "limit": low if low is not None else high, "text": shown})]
        return []
    if metric == "sentence_words":
        hits = []
        starts = [w.start for w in d.words]
        for s in d.sentences:
            n = bisect.bisect_left(starts, s.end) - bisect.bisect_left(starts, s.start)
            if high is not None and n > high:
                hits.append(Hit(s, {"value": n, "limit": int(high)}))
        return hits
    raise ValueError(f"rule {rule.code}: unknown metric {metric!r}")


_NAMED = re.compile(r"[A-Z\u00C0-\u024F]|\{|\[|<")
_GREETING_WORD = re.compile(
    r"(?i)\s*(?:hi|hello|hey|heya|hiya|dear|greetings|howdy|good (?:morning|afternoon|evening))\b"
)


def check_structure(rule: Rule, ctx: Context) -> list[Hit]:
    d = ctx.draft
    params = rule.params
    assert isinstance(params, StructureParams)
    element, expect = params.element, params.expect
    text = d.text
    if element == "placeholders":
        spans = [s for s in d.placeholders if not ctx.template or d.placeholder_is_ask_marker(s)]
        return [Hit(s, {"text": text[s.start : s.end]}) for s in spans]
    start_anchor = ctx.scope("opening") or ctx.scope("text")
    if element == "subject" and expect == "present":
        return [] if d.subject else [Hit(ctx.scope("first-line")[0])] if ctx.scope("first-line") else []
    if element == "greeting" and expect == "present":
        return [] if d.greeting else [Hit(start_anchor[0])] if start_anchor else []
    if element == "greeting" and expect == "named":
        if d.greeting is None:
            return []
        greeting = d.slice(d.greeting)
        words = _GREETING_WORD.match(greeting)
        rest = greeting[words.end() :] if words else greeting
        return [] if _NAMED.search(rest) else [Hit(d.greeting, {"text": greeting})]
    if element == "signoff" and expect == "present":
        if d.signoff or d.signature:
            return []
        closing = ctx.scope("closing")
        return [Hit(closing[-1])] if closing else []
    if element == "signature" and expect == "present":
        if d.signoff and not d.signature:
            return [Hit(d.signoff, {"text": d.slice(d.signoff)})]
        return []
    if element == "greeting" and expect == "absent":
        return [Hit(d.greeting, {"text": d.slice(d.greeting)})] if d.greeting else []
    raise ValueError(f"rule {rule.code}: unknown structure check {element}/{expect}")


CHECKS: dict[str, Callable[[Rule, Context], list[Hit]]] = {
    "phrase": check_phrase,
    "absent": check_absent,
    "count": check_count,
    "ratio": check_ratio,
    "metric": check_metric,
    "structure": check_structure,
}


def run_rule(rule: Rule, ctx: Context) -> list[Hit]:
    """Hits of one rule on one draft, honouring its gates and hit cap."""
    if gated(rule, ctx):
        return []
    return CHECKS[rule.type](rule, ctx)[: rule.max_hits]
