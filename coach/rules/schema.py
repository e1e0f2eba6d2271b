"""The typed rule record: what a rule in ``coach/rules/records/*.toml`` may say.

Every record is one :class:`Rule`; the keys of its type are one parameter record
(:class:`PhraseParams`, :class:`AbsentParams`, ...), each field a literal or a typed
value. These are plain frozen dataclasses, so the offline path builds them without
any validation library; :mod:`coach.rules.catalogue` validates the TOML records
against exactly these types (with pydantic) when it loads them, so a wrong measure,
element, message field or rewrite action is an error naming the file, the rule and
the key. ``docs/rules.md`` is generated from these records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any, Literal, NamedTuple, get_args

from coach.rules.phrases import PhraseSet, Prepared, prepare
from coach.text.kinds import KINDS, STAGES

Kind = Literal["connection-note", "cold-email", "intro-request", "blurb", "connector-intro", "follow-up"]
Stage = Literal["ask", "intro", "decline", "nudge", "thanks", "reply", "last"]
Severity = Literal["suggestion", "warning", "error"]
Evidence = Literal["certain", "judgement"]
Scope = Literal["text", "body", "subject", "greeting", "signoff", "opening", "closing", "first-line", "sentences"]
Measure = Literal[
    "characters",
    "words",
    "sentences",
    "questions",
    "paragraphs",
    "links",
    "subject_chars",
    "subject_words",
    "attempt",
    "matching_sentences",
    "matches",
]
Metric = Literal["reading_grade", "sentence_words", "praise_chance"]
Element = Literal["placeholders", "subject", "greeting", "signoff", "signature"]
Expect = Literal["present", "absent", "named"]
InsertAt = Literal["subject", "greeting", "opening", "closing", "end"]
RuleType = Literal["phrase", "absent", "count", "ratio", "metric", "structure"]

SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
# A bound is a number, or a table by kind with "*" as the default (``max = { blurb = 120, "*" = 125 }``).
Bound = float | dict[str, float]
Phrases = tuple[str, ...]
_NO_FIELDS: frozenset[str] = frozenset()


class Example(NamedTuple):
    """A draft a rule must flag (bad) or leave alone (good), with the options to run it."""

    text: str
    kind: Kind
    stage: Stage | None = None
    account: Literal["premium", "free"] = "premium"
    attempt: int | None = None
    template: bool = False


# The parameter records are NamedTuples: as typed as dataclasses, validated by pydantic just
# the same (an unknown key is an error), and several times cheaper to define at start-up.


class PhraseParams(NamedTuple):
    """A finding for each occurrence of one of ``patterns`` in ``scope``. Message fields: ``{text}``."""

    patterns: Phrases = ()
    scope: Scope = "body"
    case_sensitive: bool = False
    when: Phrases = ()
    unless: Phrases = ()


class AbsentParams(NamedTuple):
    """A *check*: none of ``patterns`` occurs in ``scope`` (for drafts of at least ``min_words``)."""

    patterns: Phrases = ()
    scope: Scope = "text"
    anchor: Scope = "body"
    min_words: int = 0
    when: Phrases = ()
    unless: Phrases = ()


class CountParams(NamedTuple):
    """A measure of the draft outside ``min``..``max``. Message fields: ``{value}``, ``{limit}``."""

    measure: Measure = "words"
    patterns: Phrases = ()
    min: Bound | None = None
    max: Bound | None = None
    max_free: Bound | None = None
    scope: Scope | None = None
    when: Phrases = ()
    unless: Phrases = ()


class RatioParams(NamedTuple):
    """More ``numerator`` than ``max`` times ``denominator`` matches. Fields: ``{value}``, ``{other}``, ``{ratio}``."""

    numerator: Phrases = ()
    denominator: Phrases = ()
    max: float = 1.0
    min_numerator: int = 1
    anchor: Scope = "body"
    when: Phrases = ()
    unless: Phrases = ()


class MetricParams(NamedTuple):
    """A computed metric outside ``min``..``max``. Message fields: ``{value}``, ``{limit}``, and for
    ``praise_chance`` ``{text}``, the words that weigh most against the draft."""

    metric: Metric = "reading_grade"
    min: Bound | None = None
    max: Bound | None = None
    min_words: int = 0


class StructureParams(NamedTuple):
    """A part of the draft present, absent or named as ``expect`` says. Message fields: ``{text}``."""

    element: Element = "placeholders"
    expect: Expect = "absent"
    when: Phrases = ()
    unless: Phrases = ()


Params = PhraseParams | AbsentParams | CountParams | RatioParams | MetricParams | StructureParams
PARAMS: dict[str, type[Any]] = {
    "phrase": PhraseParams,
    "absent": AbsentParams,
    "count": CountParams,
    "ratio": RatioParams,
    "metric": MetricParams,
    "structure": StructureParams,
}
# The values each rule type's message may quote ("{value} words, over {limit}").
MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "phrase": frozenset({"text"}),
    "absent": _NO_FIELDS,
    "count": frozenset({"value", "limit"}),
    "ratio": frozenset({"value", "other", "ratio"}),
    "metric": frozenset({"value", "limit", "text"}),
    "structure": frozenset({"text"}),
}
# The structure checks that exist: (element, expect).
STRUCTURES: frozenset[tuple[str, str]] = frozenset(
    {
        ("placeholders", "absent"),
        ("subject", "present"),
        ("greeting", "present"),
        ("greeting", "named"),
        ("greeting", "absent"),
        ("signoff", "present"),
        ("signature", "present"),
    }
)
PHRASE_KEYS: tuple[str, ...] = ("patterns", "when", "unless", "numerator", "denominator")
# The numbers a config file may change, per rule (``[rules.LEN002] max = 150``).
TUNABLE_KEYS: tuple[str, ...] = ("min", "max", "max_free", "min_words", "min_numerator")


class RewriteAction(NamedTuple):
    """What the offline rewrite does with a finding (see :mod:`coach.rules.actions`).

    Every action is either *safe* or *needs the writer*, like a linter's fixes. Safe actions
    only remove or reorder the writer's own words, keeping grammar (filler, stock openers,
    guilt lines, attachment lines, a pitch, a note cut to its limit), and apply by default.
    An action that needs the writer asks for a fact only they know: it leaves an ``[ASK: ...]``
    marker that replaces a whole clause (a greeting, a subject) or stands as a sentence or a
    line of its own, never wedged into the middle of a sentence.

    ``drop-sentence`` deletes the sentence when the rest of it is filler, or whatever the
    rest says with ``always = true`` (a guilt line, a sales pitch, a job ask; never the
    sentence that holds the ask); with ``until_fits = true`` (count rules) it drops the
    draft's lowest-value sentences until the measure fits, keeping the ask. ``drop-match``
    deletes the flagged words; ``replace`` puts ``text`` in their place; ``insert`` adds
    ``text`` at ``at``. ``match`` (a case-insensitive regex) must find the flagged text for
    the action to apply; ``extend`` (a regex, matched right after the flagged words) widens
    the span and must match too. ``safety`` says ``safe`` or ``writer``; when it is not
    given, inserts and texts with an ``[ASK: ...]`` marker need the writer and the rest is
    safe. A list of actions is tried in order until one makes an edit.
    """

    do: Literal["drop-sentence", "drop-match", "replace", "insert"]
    text: str = ""
    at: InsertAt | None = None
    match: str | None = None
    max_other_words: int | None = None
    always: bool = False
    until_fits: bool = False
    extend: str | None = None
    safety: Literal["safe", "writer"] | None = None

    @property
    def needs_writer(self) -> bool:
        """Whether the action asks the writer for a fact (an ``[ASK: ...]`` marker)."""
        if self.safety is not None:
            return self.safety == "writer"
        return self.do == "insert" or "[ASK" in self.text.upper()

    @property
    def safe(self) -> bool:
        return not self.needs_writer

    @property
    def pattern(self) -> re.Pattern[str] | None:
        return _match_pattern(self.match) if self.match else None

    @property
    def extension(self) -> re.Pattern[str] | None:
        return _match_pattern(self.extend) if self.extend else None


# The fields a ``replace`` text may use besides the named groups of ``match``.
REWRITE_TEXT_FIELDS = frozenset({"text", "text_lower", "text_sentence", "first_word"})


@cache
def _match_pattern(match: str) -> re.Pattern[str]:
    return re.compile(match, re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """One rule: what it flags, why, how to fix it, where it applies and how sure it is."""

    code: str
    name: str
    kinds: tuple[Kind, ...]
    severity: Severity
    type: RuleType
    message: str
    fix: str
    rationale: str
    guidance: str
    params: Params
    source: str = ""
    # Stages of the rule's kinds it judges; empty: every stage.
    stages: tuple[Stage, ...] = ()
    # certain: the finding is a fact of the text (a placeholder, a limit); judgement: a reading of it.
    evidence: Evidence = "judgement"
    # For checks (absent rules): the question put to the writer, and the kinds where the element is essential.
    question: str = ""
    essential: tuple[Kind, ...] = ()
    max_hits: int = 3
    english_only: bool = True
    rewrite: tuple[RewriteAction, ...] = ()
    good: tuple[Example, ...] = field(default=(), compare=False, repr=False)
    bad: tuple[Example, ...] = field(default=(), compare=False, repr=False)
    # Each phrase list translated to regexes, with the literals a match needs (see
    # coach.rules.phrases); filled in when the catalogue is built, derived when absent.
    prepared: dict[str, Prepared] = field(default_factory=dict, compare=False, repr=False)

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def is_check(self) -> bool:
        """A check reports something coach could not find, rather than something it found."""
        return self.type == "absent"

    def applies_to(self, kind: str, stage: str | None = None) -> bool:
        if kind not in self.kinds:
            return False
        return not self.stages or stage is None or stage not in STAGES.get(kind, ()) or stage in self.stages

    def tunables(self) -> dict[str, Any]:
        """The numbers a config file may change for this rule, with their current values."""
        values = {key: getattr(self.params, key) for key in TUNABLE_KEYS if hasattr(self.params, key)}
        return {key: value for key, value in values.items() if value is not None} | {"max_hits": self.max_hits}

    def with_overrides(self, severity: str | None = None, params: dict[str, Any] | None = None) -> Rule:
        """A copy with a severity or numeric parameters changed by configuration."""
        changes: dict[str, Any] = {}
        if severity:
            changes["severity"] = severity
        if params:
            tuned = dict(params)
            if "max_hits" in tuned:
                changes["max_hits"] = int(tuned.pop("max_hits"))
            if tuned:
                changes["params"] = self.params._replace(**tuned)
        return replace(self, **changes) if changes else self

    @cached_property
    def on_original_text(self) -> bool:
        """Whether the patterns must see the draft's own case (case-sensitive, or using ``(?-i:``)."""
        if getattr(self.params, "case_sensitive", False):
            return True
        return any("(?-i:" in phrase for key in PHRASE_KEYS for phrase in getattr(self.params, key, ()))

    @cached_property
    def phrase_sets(self) -> dict[str, PhraseSet]:
        """The rule's phrase lists, each compiled on first use and only as far as a draft needs.

        Most rules run in lower case against the draft lowered (see
        :func:`coach.text.measures.lower_same_length`): the regex engine is several times
        faster without IGNORECASE, and offsets do not change.
        """
        mode = self.phrase_mode
        prepared = self.prepared or prepare_phrases(self.params, mode)
        return {key: PhraseSet(lists, mode) for key, lists in prepared.items()}

    @property
    def phrase_mode(self) -> str:
        """How the phrases match: ``exact`` (case-sensitive), ``ignorecase``, or ``lowered``."""
        if getattr(self.params, "case_sensitive", False):
            return "exact"
        return "ignorecase" if self.on_original_text else "lowered"


def prepare_phrases(params: Params, mode: str) -> dict[str, Prepared]:
    """Every phrase list of ``params``, translated for matching in ``mode``."""
    return {key: prepare(getattr(params, key), mode) for key in PHRASE_KEYS if getattr(params, key, ())}


def params_fields(rule_type: str) -> set[str]:
    """The keys a record of ``rule_type`` may set beyond the common ones."""
    return set(PARAMS[rule_type]._fields)


assert set(get_args(Kind)) == set(KINDS)
