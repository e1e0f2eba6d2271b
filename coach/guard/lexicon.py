"""Word lists the fact guard reads: common words, greetings, generic acronyms, degrees and their
spelled-out forms, titles, name connectors, abbreviations, months, weekdays, quarters, number words,
multipliers, top-level domains and currency signs.

Plain data, lower case (dots removed from degrees); it imports nothing from the rest of the guard.
"""

from __future__ import annotations


def _wordset(words: str) -> frozenset[str]:
    """A set from a whitespace-separated list, so long lists stay readable."""
    return frozenset(words.split())


# Words that open sentences and lines in outreach messages and are no one's name.
COMMON_WORDS = _wordset("""
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
GREETING_WORDS = _wordset(
    "hi hello hey dear greetings thanks thank regards cheers best sincerely warmly congrats congratulations ps re fwd"
)

# Generic acronyms: jargon, roles and places every reader knows; not claims about anyone.
GENERIC_ACRONYMS = _wordset("""
    ai ml ux ui api ceo cto cfo coo cmo cpo cio cro ciso vp svp evp avp hr pm qa b2b b2c d2c saas paas
    iaas faq pdf ok usa uk eu us asap fyi tbd tba eta eod eow rsvp ps cv am nb imo imho btw tldr
    kpi roi okr seo crm erp sql html css json xml http https url it r&d pr ipo mvp gtm sdk cli gpu
    cpu iot nlp dm irl id tv usd eur gbp nda rfp sla p&l ar vr xr ops devops mlops ci cd re fwd fw
    q&a bcc cc sms vc ev icu er gpa ppe pos ehr emr cs hq fte yoy qoq arr mrr ltv cac sdr bdr ae ap fp&a gc
    esg dei ngo
    """)

# Degrees and certifications (lower case, dots removed).
DEGREES = _wordset("""
    phd dphil mba emba msc ms ma meng mphil mres mfa mph msw msn mpa mpp bsc bs ba beng bfa bba bsn
    md jd llm llb cpa cfa pmp rn edd dds dvm psyd pharmd dnp lpn lcsw cissp cisa cism ccna ccnp acca cima
    frm caia cfp sphr phr
    """)
# Abbreviations of the same degree, and the spelled-out forms that support one.
DEGREE_TWINS = {"ms": ("msc",), "msc": ("ms",), "bs": ("bsc",), "bsc": ("bs",), "phd": ("dphil",), "dphil": ("phd",)}
_MASTERS = ("master's", "masters", "master of", "master degree")
_BACHELORS = ("bachelor",)
DEGREE_PHRASES: dict[str, tuple[str, ...]] = {
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
FREE_TITLES = _wordset("mr mrs ms mx miss mme mlle st jr sr")
# ... these claim a doctorate or a chair, and need one in the sources.
_DOCTOR = _wordset("dr doctor doctorate doctoral phd dphil md dds dvm edd psyd pharmd dnp")
_PROFESSOR = _wordset("prof professor")
CLAIM_TITLES: dict[str, frozenset[str]] = {
    "dr": _DOCTOR,
    "doctor": _DOCTOR,
    "prof": _PROFESSOR,
    "professor": _PROFESSOR,
}
# Lower-case words that may sit inside a name run ("Bank of the West", "van der Berg").
CONNECTORS = _wordset("of the de del della der den di da das do dos du la le van von y bin ibn al")
# Words whose closing period is not the end of a sentence.
ABBREVIATIONS = _wordset("dr prof mr mrs ms mx st sr e.g i.e vs cf approx incl esp")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thur": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}  # fmt: skip
FULL_WEEKDAYS = frozenset(w for w in WEEKDAYS if w.endswith("day"))
# Also ordinary words or first names: a date only next to a number.
AMBIGUOUS_DATE_WORDS = _wordset("jan jun mon sat sun")
# In the sources, these count only when capitalised ("you may", "march on", "the sun").
LOWERCASE_NOT_DATES = _wordset("may march mar jan jun mon wed sat sun sept")

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "twelfth": 12, "twentieth": 20,
}  # fmt: skip
# Durations and counts people spell out, which a rewrite may turn into digits.
NUMBER_PHRASES = (
    ("half an hour", (30,)),
    ("half-hour", (30,)),
    ("half hour", (30,)),
    ("quarter of an hour", (15,)),
    ("quarter-hour", (15,)),
    ("an hour", (1, 60)),
    ("a couple", (2,)),
)
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}

TLDS = (
    "com|org|net|io|dev|ai|co|app|edu|gov|me|info|biz|xyz|tech|us|uk|de|fr|eu|ca|au|nl|ch|se|es|jp|ly|gg"
    "|fm|tv|page|site|blog|design|studio|cloud|health|ie|nz|sg|be|at|dk|fi|pl|pt|br|mx|ar|za|cc"
)
CURRENCY = "$€£¥₹"
# "third quarter" is Q3.
QUARTER_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}

# --- claims in plain words (coach.guard.claims) ------------------------------------------------

# Words that carry no substance in a claim: articles, pronouns, prepositions, auxiliaries,
# intensifiers and praise. What is left of a claim (its objects and topics) must be in the sources.
CLAIM_FILLER = _wordset("""
    a an the and or but nor so yet if as of to in on at by for with about from into onto over under
    after before during through across around regarding covering titled called named via than then
    i me my mine we us our ours you your yours he him his she her hers they them their theirs it its
    this that these those there here who whom whose which what when where why how
    am is are was were be been being do does did done have has had having will would can could
    shall should may might must 've 'd 'm 're 'll s t
    not no just also really recently actually already even first finally both once still truly
    very so quite totally particularly especially deeply genuinely lately since ever never always
    all any some every each much many more most one ones own same other another such
    latest recent new last great excellent fascinating insightful brilliant thoughtful amazing
    inspiring popular viral interesting wonderful fantastic awesome impressive incredible nice good
    helpful useful valuable powerful remarkable compelling excellent superb terrific lovely
    enjoyed enjoy enjoying loved love loving liked like admired admire appreciated appreciate
    read reading saw see seen seeing watched watch watching heard hear hearing listened listen
    noticed notice came come across found find stumbled upon caught followed following follow
    inspired struck impressed moved touched resonated resonate thought think
    lot lots bit way something anything thing things stuff kind sort part result reminder matter courtesy
    """)

# Heads that name nothing in particular ("your work", "your team"): a claim about them needs a topic.
GENERIC_HEADS = _wordset("""
    work career team company profile background experience journey role time help advice insight
    insights perspective expertise network message email note content feed path story field
    industry space area organisation organization
    """)

# A writer's meeting or attendance: the sources must say the same kind of thing happened.
ENCOUNTER_VERBS = _wordset("met meet attended visited joined spoke talked chatted ran")

# Words that stand for one another in a claim: a rewrite may say "article" for "post".
CLAIM_SYNONYMS: tuple[frozenset[str], ...] = tuple(
    _wordset(group)
    for group in (
        "post blog article piece essay write-up writeup newsletter thread writing wrote written",
        "talk keynote presentation session lecture speech panel webinar spoke speaking presented",
        "podcast episode interview show",
        "video recording stream",
        "paper study research publication thesis published",
        "launch release announcement launched released announced shipped",
        "course class workshop tutorial bootcamp",
        "company startup firm business",
        "met meet meeting ran chatted",
        "attended attend went joined",
        "used use using tried",
        "built build made make created create developed develop wrote",
        "led lead managed manage ran run headed",
        "student studying study major majoring",
        "question questions ask",
    )
)

# Irregular past forms, so "took" finds "take" and "led" finds "lead".
IRREGULAR_FORMS = {
    "read": "read", "saw": "see", "seen": "see", "met": "meet", "heard": "hear", "took": "take",
    "taken": "take", "ran": "run", "spoke": "speak", "spoken": "speak", "wrote": "write",
    "written": "write", "led": "lead", "built": "build", "won": "win", "grew": "grow", "grown": "grow",
    "taught": "teach", "went": "go", "gone": "go", "gave": "give", "given": "give", "began": "begin",
    "begun": "begin", "made": "make", "found": "find", "thought": "think", "brought": "bring",
    "bought": "buy", "sold": "sell", "told": "tell", "felt": "feel", "kept": "keep", "left": "leave",
}  # fmt: skip
