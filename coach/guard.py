"""Keep a rewrite honest: find the facts it states that the writer never gave.

A rewrite (by a model or anything else) may reword, reorder and trim, but it may
not invent a name, a number, a date, a link, an address or a credential: the
writer would be sending a claim they never made. :func:`unsupported_facts` lists
the facts of a candidate rewrite that neither the draft nor the writer's notes
support, and :func:`mark_unsupported` turns each into a visible ``[ASK: ...]``
marker the writer fills in. Both ways of failing matter: an invented fact must be
caught, and the writer's own facts, reworded or re-cased, must pass.

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

Every pattern here is a flat scan (possessive quantifiers where a group repeats,
a look-behind where a match may start) and every backwards look is bounded, so
the guard runs in time linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach import regexcache
from coach.parse import PLACEHOLDER_RE
from coach.textutil import URL_RE

__all__ = ["Fact", "extract_facts", "mark_unsupported", "unsupported_facts"]


@dataclass(frozen=True)
class Fact:
    """A checkable claim in a text: its kind, its exact characters and their offsets."""

    kind: str  # "name", "number", "date", "link", "email", "credential"
    text: str  # exactly as it appears in the text
    start: int  # offsets into the text it was extracted from
    end: int


_MARKER_LABELS = {
    "name": "name",
    "number": "number",
    "date": "date",
    "link": "link",
    "email": "e-mail",
    "credential": "credential",
}

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    """A set from a whitespace-separated list, so long lists stay readable."""
    return frozenset(words.split())


# Words that open sentences and lines in outreach messages and are no one's name.
_COMMON_WORDS = _wordset("""
    a an the and or but nor so yet if because since as though although while whereas unless until till than
    then once whether about above across after against along among around at before behind below beneath
    beside besides between beyond by despite down during except for from in inside into like near of off on
    onto out outside over past per regarding through throughout to toward towards under unlike up upon via
    with within without
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his she her hers
    it its they them their theirs this that these those there here who whom whose which what whatever
    whoever whenever wherever whichever when where why how all any both each every either neither few many
    much more most other others another some such no none nothing something anything everything someone
    anyone everyone somebody anybody everybody nobody one ones own same
    am is are was were be been being do does did done doing have has had having will would shall should can
    could may might must ought need needs needed let lets
    i'm i've i'd i'll you're you've you'd you'll we're we've we'd we'll they're they've they'd they'll
    he's she's it's that's what's here's there's let's who's how's where's don't doesn't didn't can't
    couldn't won't wouldn't shouldn't isn't aren't wasn't weren't haven't hasn't hadn't
    not just also only even still already always never ever often sometimes usually really very quite
    rather too well now today tomorrow yesterday tonight soon later again maybe perhaps probably certainly
    definitely absolutely actually basically honestly truly frankly hopefully ideally luckily fortunately
    unfortunately sadly finally first firstly second secondly third lastly next last meanwhile otherwise
    anyway anyways however moreover furthermore additionally therefore thus hence instead overall
    altogether especially particularly recently currently previously originally initially eventually
    briefly quickly simply clearly obviously apparently totally entirely mostly partly nearly almost
    hi hello hey heya hiya dear greetings howdy morning afternoon evening good thanks thank thx ty cheers
    best regards regard sincerely warmly warm warmest kind kindest yours respectfully gratefully cordially
    faithfully love congrats congratulations welcome bye goodbye ps re fwd fw subject attached attachment
    note notes email e-mail mail
    ask asked asking hope hoping hoped want wanted wanting wonder wondering wondered think thinking thought
    know knew known feel feeling felt believe believed see saw seen seeing read reading notice noticed
    loved loving liked like enjoyed enjoy enjoying admire admired come came coming go went going get got
    getting make made making take took taking give gave giving find found look looking looked meet met
    meeting hear heard follow following followed reach reaching reached connect connecting connected chat
    chatting talk talking call calling share sharing shared send sending sent tell telling told mention
    mentioned learn learning learned learnt work working worked build building built lead leading led run
    running ran use using used try trying tried help helping helped keep keeping kept start starting
    started join joining joined happen happened grab pick choose book schedule check please reply respond
    say said says write writing wrote wish wishing sounds sound looks seems seem works means count glad
    appreciate appreciated understand understood imagine curious given based speaking having being
    happy great nice amazing awesome excellent fantastic wonderful incredible impressive interesting
    exciting inspiring helpful useful quick short brief long excited thrilled delighted honored honoured
    grateful thankful keen eager interested open free available sure yes yeah yep nope okay ok sorry
    apologies apology question questions idea ideas update updates background context new old recent big
    small huge whole full real true important worth happy super cool fine
    week weeks month months year years day days time times minute minutes hour hours
    team teams company role job project projects talk talks post posts article paper work
    attaching including pleased planning circling checking bumping hearing offering managing studying moving
    switching preparing applying exploring researching separately personally professionally specifically
    alternatively together plus speak step steps home right early late urgent reminder action required
    coffee lunch resume portfolio link calendar agenda goal goals reason purpose topic topics detail details
    experience skills feedback advice support intro introduction catch manage forward sponsor owe favor
    favour possible referral partnership founder deck blurb mainly
    """)

# Greeting and sign-off words are never names, wherever they stand ("say Hi", "All the Best").
_GREETING_WORDS = _wordset(
    "hi hello hey dear greetings thanks thank regards cheers best sincerely warmly congrats congratulations ps re fwd"
)

# Generic acronyms: jargon, roles and places every reader knows; not claims about anyone.
_GENERIC_ACRONYMS = _wordset("""
    ai ml ux ui api ceo cto cfo coo cmo cpo cio cro ciso vp svp evp avp hr pm qa b2b b2c d2c saas paas
    iaas faq pdf ok usa uk eu us asap fyi tbd tba eta eod eow rsvp ps cv am nb imo imho btw tldr
    kpi roi okr seo crm erp sql html css json xml http https url it r&d pr ipo mvp gtm sdk cli gpu
    cpu iot nlp dm irl id tv usd eur gbp nda rfp sla p&l ar vr xr ops devops mlops ci cd re fwd fw
    q&a bcc cc sms vc ev icu er gpa ppe pos ehr emr cs hq fte yoy qoq arr mrr ltv cac sdr bdr ae ap fp&a gc
    esg dei ngo
    """)

# Degrees and certifications (lower case, dots removed).
_DEGREES = _wordset("""
    phd dphil mba emba msc ms ma meng mphil mres mfa mph msw msn mpa mpp bsc bs ba beng bfa bba bsn
    md jd llm llb cpa cfa pmp rn edd dds dvm psyd pharmd dnp lpn lcsw cissp cisa cism ccna ccnp acca cima
    frm caia cfp sphr phr
    """)
# Abbreviations of the same degree, and the spelled-out forms that support one.
_DEGREE_TWINS = {"ms": ("msc",), "msc": ("ms",), "bs": ("bsc",), "bsc": ("bs",), "phd": ("dphil",), "dphil": ("phd",)}
_MASTERS = ("master's", "masters", "master of", "master degree")
_BACHELORS = ("bachelor",)
_DEGREE_PHRASES: dict[str, tuple[str, ...]] = {
    "phd": ("doctorate", "doctoral", "ph d"),
    "dphil": ("doctorate", "doctoral"),
    "mba": ("business administration",),
    "emba": ("business administration",),
    "md": ("doctor of medicine", "medical degree"),
    "jd": ("juris doctor", "law degree"),
    "llm": ("master of laws", "language model"),
    "llb": ("bachelor of laws",),
    "cpa": ("certified public accountant",),
    "cfa": ("chartered financial analyst",),
    "rn": ("registered nurse",),
    "pmp": ("project management professional",),
    **{d: _MASTERS for d in ("ms", "msc", "ma", "meng", "mphil", "mres", "mfa", "mph", "msw", "msn", "mpa", "mpp")},
    **{d: _BACHELORS for d in ("bs", "bsc", "ba", "beng", "bfa", "bba", "bsn")},
}

# Titles: these carry no claim of their own ...
_FREE_TITLES = _wordset("mr mrs ms mx miss mme mlle st jr sr")
# ... these claim a doctorate or a chair, and need one in the sources.
_DOCTOR = _wordset("dr doctor doctorate doctoral phd dphil md dds dvm edd psyd pharmd dnp")
_PROFESSOR = _wordset("prof professor")
_CLAIM_TITLES: dict[str, frozenset[str]] = {
    "dr": _DOCTOR,
    "doctor": _DOCTOR,
    "prof": _PROFESSOR,
    "professor": _PROFESSOR,
}
# Lower-case words that may sit inside a name run ("Bank of the West", "van der Berg").
_CONNECTORS = _wordset("of the de del della der den di da das do dos du la le van von y bin ibn al")
# Words whose closing period is not the end of a sentence.
_ABBREVIATIONS = _wordset("dr prof mr mrs ms mx st sr e.g i.e vs cf approx incl esp")

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thur": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}  # fmt: skip
_FULL_WEEKDAYS = frozenset(w for w in _WEEKDAYS if w.endswith("day"))
# Also ordinary words or first names: a date only next to a number.
_AMBIGUOUS_DATE_WORDS = _wordset("jan jun mon sat sun")
# In the sources, these count only when capitalised ("you may", "march on", "the sun").
_LOWERCASE_NOT_DATES = _wordset("may march mar jan jun mon wed sat sun sept")

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "twelfth": 12, "twentieth": 20,
}  # fmt: skip
# Durations and counts people spell out, which a rewrite may turn into digits.
_NUMBER_PHRASES = (
    ("half an hour", (30,)),
    ("half-hour", (30,)),
    ("half hour", (30,)),
    ("quarter of an hour", (15,)),
    ("quarter-hour", (15,)),
    ("an hour", (1, 60)),
    ("a couple", (2,)),
)
_SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}

_TLDS = (
    "com|org|net|io|dev|ai|co|app|edu|gov|me|info|biz|xyz|tech|us|uk|de|fr|eu|ca|au|nl|ch|se|es|jp|ly|gg"
    "|fm|tv|page|site|blog|design|studio|cloud|health|ie|nz|sg|be|at|dk|fi|pl|pt|br|mx|ar|za|cc"
)
_CURRENCY = "$€£¥₹"

# ---------------------------------------------------------------------------
# Patterns (each a flat scan: nothing here can backtrack catastrophically)
# ---------------------------------------------------------------------------

_NON_FACT_RE = regexcache.compile(r"(?<![\w:])1:1(?![\w:])|(?<!\w)1-on-1(?!\w)|(?<![\w/])24/7(?![\w/])")
_DOMAIN_RE = regexcache.compile(
    r"(?<![\w.@/+-])(?:[A-Za-z0-9][A-Za-z0-9-]*+\.(?=[A-Za-z0-9]))++"
    rf"(?:{_TLDS})(?![\w-])(?:/[^\s<>()]*+)?"
)
_TRAILING_PUNCT = ".,;:!?'\"’”)]}>*_…"

_DATE_WORDS = "|".join(sorted({*_MONTHS, *_WEEKDAYS}, key=len, reverse=True))
_DATE_WORD_RE = regexcache.compile(rf"(?i)\b({_DATE_WORDS})(s?)\b")
_QUARTER_RE = regexcache.compile(r"(?<!\w)Q[1-4](?!\w)")
_QUARTER_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_SOURCE_QUARTER_RE = regexcache.compile(r"(?i)\bq([1-4])\b|\b(first|second|third|fourth|1st|2nd|3rd|4th)[ -]quarter\b")
_MONTH_RIGHT_RE = regexcache.compile(
    r"(?:\.(?=[ \t]))?(?:[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?(?![\w:]))?(?:,?[ \t]+(?:19|20)\d{2}(?!\w))?"
)
_WEEKDAY_RIGHT_RE = regexcache.compile(r"(?:\.(?=[ \t]))?(?:,?[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)(?!\w))?")
_QUARTER_RIGHT_RE = regexcache.compile(r"(?:[ \t]+(?:19|20)\d{2}(?!\w)|[ \t]*'\d{2}(?!\w))?")
_DAY_LEFT_RE = regexcache.compile(r"(?<![\w.,])(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?$")
_MODIFIER_LEFT_RE = regexcache.compile(r"(?i)(?<!\w)(?:next|this|last|coming|early|mid|late)[ \t-]+$")
_NUMBER_NEXT_RE = regexcache.compile(r"\.?,?[ \t]+\d")
_NUMBER_BEFORE_RE = regexcache.compile(r"\d(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?$")
_MODAL_MAY_RE = regexcache.compile(r"(?i)[ \t]+(?:i|we|you|he|she|they|it|this|that|there|one)\b")
_DATE_GAP_RE = regexcache.compile(r",?[ \t]+(?:the[ \t]+)?|,|[ \t]*[-–—][ \t]*")

_DOTTED_RE = regexcache.compile(
    r"(?<![\w.])(?:[A-Z][a-z]?\.){2,}+(?!\w)|(?<![\w.])(?:[A-Z][a-z]?\.)++[A-Z][a-z]?(?![\w.])|(?<![\w.])LL\.M\.?(?!\w)"
)

_NUMBER_CORE = (
    r"(?:\d{1,2}:\d{2}(?![\d:])|\d{1,4}(?:/\d{1,4}){1,2}(?![\d/])|\d{1,3}(?:,\d{3})++(?:\.\d+)?|\d++(?:\.\d++)*+)"
)
_NUMBER_SUFFIX = (
    r"(?:st|nd|rd|th|mins?|hrs?|yrs?|mm|MM|bn|BN|[kKmMbBhx])?"
    rf"(?:[ \t]?(?:%|percent\b|[aApP]\.?[mM]\b\.?)|[ \t](?:thousand|million|billion)\b|[{_CURRENCY}])?"
)
_NUMBER_RE = regexcache.compile(rf"(?<![\w.,/:@])(?:[{_CURRENCY}][ \t]?)?{_NUMBER_CORE}{_NUMBER_SUFFIX}(?![^\W_])")
_SOURCE_NUMBER_RE = regexcache.compile(rf"(?:[{_CURRENCY}][ \t]?)?{_NUMBER_CORE}{_NUMBER_SUFFIX}")
_NUMBER_CORE_RE = regexcache.compile(r"\d[\d,.:/]*")
_THOUSANDS_RE = regexcache.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_RANGE_GAP_RE = regexcache.compile(r"[ \t]*[-–—][ \t]*")
_RANGE_SPLIT_RE = regexcache.compile(r"(?<=[\w%$€£¥₹.])[ \t]*[-–—][ \t]*(?=[\d$€£¥₹])")
_ALL_NUMBER_WORDS = "|".join(sorted({*_NUMBER_WORDS, *_SCALE_WORDS}, key=len, reverse=True))
_NUMBER_WORDS_RE = regexcache.compile(rf"\b(?:{_ALL_NUMBER_WORDS})(?:[ -]+(?:{_ALL_NUMBER_WORDS}))*+\b")

_TOKEN_RE = regexcache.compile(r"[^\W_]+(?:(?:['’-]|&(?=[^\W\d_]))[^\W_]+)*+")
_ACRONYM_RE = regexcache.compile(r"[A-Z][A-Z0-9&]{1,5}s?")
_SOURCE_DOTTED_RE = regexcache.compile(r"(?<![\w.])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})++")
_SOURCE_RUN_RE = regexcache.compile(
    r"(?<![\w'&-])[A-Z][\w'&-]*+"
    r"(?:[ \t]++(?:(?:of|the|and|for|de|la|van|von|der|du|da|di|del|&)[ \t]++){0,3}+[A-Z][\w'&-]*+)++"
)
_GAP_SPACE_RE = regexcache.compile(r"[ \t\u00a0]+")
_GAP_AMPERSAND_RE = regexcache.compile(r"[ \t\u00a0]*&[ \t\u00a0]*")
_GAP_PERIOD_RE = regexcache.compile(r"\.[ \t\u00a0]*")

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_OPENERS = frozenset(" \t\r\u00a0\"'“‘«([{*•·>#_-–—")
_CLOSERS = frozenset("\"'”’)]")


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Straight quotes and no accents, so "José’s" and "Jose's" compare equal."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


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
    return not (len(word) == 1 or word in _ABBREVIATIONS)


_CONTRACTIONS = ("d", "ll", "ve", "re", "m", "t", "s")
_INFLECTIONS = ("ing", "ly", "ed", "es", "s")


def _is_ordinary_word(low: str, lower_words: set[str] | frozenset[str]) -> bool:
    """Is ``low`` a common word, one written in lower case nearby, or a plain inflection or
    contraction of one ("intros", "kindly", "he'd", "reply-all")? Only asked of sentence openers."""
    known = (_COMMON_WORDS, lower_words)
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


def _strip_possessive(token: str) -> str:
    return token[:-2] if len(token) > 2 and token[-2:] in ("'s", "’s") else token


def _is_acronym(base: str) -> bool:
    """All capitals (a plural s allowed), 2-6 characters, at least two letters: "MIT", "APIs"."""
    return bool(_ACRONYM_RE.fullmatch(base)) and sum(c.isupper() for c in base) >= 2


def _acronym_stem(base: str) -> str:
    return base[:-1] if base.endswith("s") and base[:-1].isupper() else base


def _is_degree(base: str) -> bool:
    low = _acronym_stem(base).replace(".", "").lower()
    return low in _DEGREES and sum(c.isupper() for c in base) >= 2


def _is_generic(base: str) -> bool:
    low = base.lower()
    return low in _GENERIC_ACRONYMS or _acronym_stem(base).lower() in _GENERIC_ACRONYMS


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
        for pattern in (URL_RE, _DOMAIN_RE):
            for m in pattern.finditer(text):
                start, end = m.span()
                raw = m.group()
                is_email = pattern is URL_RE and "@" in raw and not raw.lower().startswith(("http", "www."))
                if not is_email:
                    while end > start and text[end - 1] in _TRAILING_PUNCT:
                        end -= 1
                    if "." not in text[start:end].removeprefix("www.").removeprefix("WWW."):
                        continue
                if self.free(start, end):
                    self.add("email" if is_email else "link", start, end)

    def dates(self) -> None:
        text = self.text
        atoms: list[tuple[int, int]] = []
        for m in _DATE_WORD_RE.finditer(text):
            start, end = m.span()
            word, plural = m.group(1), m.group(2)
            low = word.lower()
            if not self.free(start, end) or (plural and low not in _FULL_WEEKDAYS):
                continue
            if low in _WEEKDAYS:
                if low not in _FULL_WEEKDAYS and not word[0].isupper():
                    continue
                right = _WEEKDAY_RIGHT_RE
            else:
                if not word[0].isupper():
                    continue
                right = _MONTH_RIGHT_RE
            if low in _AMBIGUOUS_DATE_WORDS and not self._number_nearby(start, end):
                continue
            if low == "may" and _starts_sentence(text, start) and _MODAL_MAY_RE.match(text, end):
                continue
            atoms.append(self._extend_date(start, end, right, month=low in _MONTHS))
        for m in _QUARTER_RE.finditer(text):
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
            if letters.lower() in _DEGREES or (letters.isupper() and letters.lower() not in _GENERIC_ACRONYMS):
                self.add("credential", start, end)
            elif letters.lower() in _GENERIC_ACRONYMS:
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
        tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text) if self.free(m.start(), m.end())]
        lower_words = {_fold(_strip_possessive(text[s:e])).lower() for s, e in tokens if text[s].islower()}
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
                self.add("credential", s, e - (len(text[s:e]) - len(_strip_possessive(text[s:e]))))
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
            end = last_start + len(_strip_possessive(text[last_start:last_end]))
            lone_acronym = len(run) == 1 and _is_acronym(text[start:end])
            self.add("credential" if lone_acronym else "name", start, end)

    def _possessive(self, token: tuple[int, int]) -> bool:
        word = self.text[token[0] : token[1]]
        return _strip_possessive(word) != word

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
            if not word[0].isalpha() or word.lower() in _CONNECTORS or word.lower() in ("a", "an", "and", "or", "to"):
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
            return "connector" if word in _CONNECTORS else "other"
        base = _strip_possessive(word)
        low = _fold(base).lower()
        if low == "i" or low.startswith("i'") or low in _GREETING_WORDS:
            return "other"
        if (low in _FREE_TITLES or low in _CLAIM_TITLES) and base[1:].islower():
            return "title"
        if _is_generic(base) or (len(base) > 1 and base.isupper() and low in _COMMON_WORDS):
            return "other"
        if _is_degree(base):
            return "credential"
        if (in_title_line or _starts_sentence(self.text, start)) and _is_ordinary_word(low, lower_words):
            return "other"
        return "name"


def extract_facts(text: str) -> list[Fact]:
    """Every checkable fact in ``text``, in text order (placeholders excluded)."""
    return _Scan(text).run()


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
    suffix = suffix.strip(_CURRENCY)
    currency = any(c in atom for c in _CURRENCY)
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
    multiplier = _MULTIPLIERS.get(suffix)
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
            elif word in _NUMBER_WORDS:
                current += _NUMBER_WORDS[word]
            elif word == "hundred":
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * _SCALE_WORDS[word]
                current = 0
            if word in _NUMBER_WORDS:
                found.add(_num_key(_NUMBER_WORDS[word]))
        found.add(_num_key(total + current))
    for phrase, values in _NUMBER_PHRASES:
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
        folded = _fold(raw)
        self.text = folded.lower()
        self.words: set[str] = set()
        self.initials: set[str] = set()
        self.lowercase: set[str] = set()  # words the sources write in lower case
        self.letters: set[str] = set()  # capital letters standing alone: "Series B", "Plan C"
        for m in _TOKEN_RE.finditer(folded):
            word = m.group()
            low = word.lower()
            self.words |= _forms(low)
            if word[0].islower():
                self.lowercase.add(_strip_possessive(low))
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
        for m in _DATE_WORD_RE.finditer(folded):
            word = m.group(1)
            if word.lower() in _LOWERCASE_NOT_DATES and not word[0].isupper():
                continue
            self.dates.add(_date_key(word))
        for m in _SOURCE_QUARTER_RE.finditer(folded):
            ordinal = (m.group(2) or "").lower()
            self.dates.add("q" + (m.group(1) or _QUARTER_ORDINALS.get(ordinal, ordinal[:1])))
        self.links: set[str] = set()
        self.emails: set[str] = set()
        for pattern in (URL_RE, _DOMAIN_RE):
            for m in pattern.finditer(raw):
                found = m.group()
                if pattern is URL_RE and "@" in found and not found.lower().startswith(("http", "www.")):
                    self.emails.add(found.lower())
                    continue
                link = _normalise_link(found.rstrip(_TRAILING_PUNCT))
                self.links.add(link)
                self.links.add(link.partition("/")[0])

    def has_word(self, word: str) -> bool:
        return not self.words.isdisjoint(_forms(_fold(word).lower()))

    def has_number(self, alternatives: set[str]) -> bool:
        return not self.numbers.isdisjoint(alternatives)


def _date_key(word: str) -> str:
    low = word.lower()
    if low in _MONTHS:
        return f"month-{_MONTHS[low]}"
    return f"weekday-{_WEEKDAYS[low]}"


def _name_token_supported(token: str, index: _Index, *, initial: bool = False) -> bool:
    """One capitalised word of a name run; ``initial`` when it is a letter and a period ("J.")."""
    base = _strip_possessive(token)
    low = _fold(base).lower()
    if low in _FREE_TITLES or _is_generic(base) or low in _GREETING_WORDS:
        return True
    if low in _CLAIM_TITLES:
        return not index.words.isdisjoint(_CLAIM_TITLES[low])
    if len(low) == 1:  # "J. Smith" abbreviates a source name; "Series B" must say B itself
        return base in index.letters or (initial and low in index.initials)
    if index.has_word(base):
        return True
    if "-" in base:
        parts = [p for p in base.split("-") if any(c.isupper() or c.isdigit() for c in p)]
        if parts and all(index.has_word(p) for p in parts):
            return True
    if sum(c.isupper() for c in base) >= 2:
        letters = "".join(c for c in _acronym_stem(base) if c.isalpha()).upper()
        return letters in index.initialisms
    return False


def _credential_supported(text: str, index: _Index) -> bool:
    base = _acronym_stem(_fold(text).replace(".", "").replace(" ", ""))
    low = base.lower()
    if low in _DEGREES:
        if any(index.has_word(w) for w in (low, *_DEGREE_TWINS.get(low, ()))):
            return True
        return any(phrase in index.text for phrase in _DEGREE_PHRASES.get(low, ()))
    return _is_generic(base) or index.has_word(base) or _name_token_supported(base, index)


def _date_supported(text: str, index: _Index) -> bool:
    for m in _DATE_WORD_RE.finditer(text):
        if _date_key(m.group(1)) not in index.dates:
            return False
    for m in _QUARTER_RE.finditer(text):
        if "q" + m.group()[1] not in index.dates:
            return False
    rest = _QUARTER_RE.sub(" ", text)
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
        for m in _TOKEN_RE.finditer(fact.text):
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
    facts = _Scan(candidate, frozenset(index.lowercase)).run()
    return [fact for fact in facts if not _supported(fact, index)]


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
        if spans and fact.end > spans[-1][0]:
            spans[-1] = (fact.start, max(fact.end, spans[-1][1]), fact.kind)
        else:
            spans.append((fact.start, fact.end, fact.kind))
    pieces: list[str] = []
    limit = len(candidate)
    for start, end, kind in spans:
        pieces.append(candidate[end:limit])
        pieces.append(f"[ASK: {_MARKER_LABELS.get(kind, kind)}]")
        limit = start
    pieces.append(candidate[:limit])
    return "".join(reversed(pieces))
