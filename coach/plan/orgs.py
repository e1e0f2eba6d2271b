"""Is this connection at the target's organisation, or in the target's line of work?

Organisations are compared on their distinctive leading words after legal suffixes
are dropped, so "Northwind", "Northwind Inc." and "Northwind Traders" meet, while a
generic word alone ("Group", "Labs", "Bank") never makes a match: precision over recall,
because a false "works there" sends the user to the wrong connector.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.plan.names import tokens

LEGAL_SUFFIXES = frozenset(
    "inc incorporated llc llp lp ltd limited gmbh mbh corp corporation co plc sa sas sarl srl spa ag nv bv kg "
    "kk oy ab asa pty pvt pte se pllc pc".split()
)
# Words that say what kind of business, not which one: never enough on their own.
GENERIC_WORDS = frozenset(
    "group labs lab bank holdings holding technologies technology tech systems solutions software services "
    "service international global partners consulting consultants industries enterprises traders trading "
    "ventures capital digital media networks network company companies worldwide studio studios agency "
    "associates the of and for de la le du des und".split()
)


# Words that mark a regional or legal entity of a larger organisation ("Stripe Payments UK Ltd").
REGION_WORDS = frozenset(
    "uk gb us usa america americas north south emea apac latam asia pacific europe european eu ireland germany "
    "deutschland france italia italy spain espana netherlands nederland nordics nordic sweden denmark norway "
    "finland switzerland schweiz austria poland portugal belgium india japan china singapore hong kong korea "
    "australia canada brasil brazil mexico uae africa israel turkey".split()
)
SIMILAR = "similar name: check it is the same organisation"


@dataclass(frozen=True)
class OrgMatch:
    how: str  # "same" (normalised names equal), "subsidiary" (a regional entity of it) or "similar"
    reason: str

    @property
    def certain(self) -> bool:
        return self.how in ("same", "subsidiary")


def org_words(name: str) -> list[str]:
    """The name's words with legal suffixes dropped from the end and a leading "the" removed."""
    words = tokens(name)
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def distinctive(words: list[str]) -> list[str]:
    """The leading run of non-generic words ("northwind" of "northwind traders europe")."""
    lead: list[str] = []
    for word in words:
        if word in GENERIC_WORDS:
            break
        lead.append(word)
    return lead


def match_org(target_org: str, company: str) -> OrgMatch | None:
    """How ``company`` matches ``target_org``, or None."""
    target, other = org_words(target_org), org_words(company)
    if not target or not other:
        return None
    if target == other:
        return OrgMatch("same", "same organisation")
    core = distinctive(target)
    if core and core == distinctive(other):
        return OrgMatch("similar", SIMILAR)
    extra = other[len(core) :]
    if core and other[: len(core)] == core and len(extra) <= 4 and REGION_WORDS & set(extra):
        return OrgMatch("subsidiary", f"part of {target_org.strip()}")
    return None
