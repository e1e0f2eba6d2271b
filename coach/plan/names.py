"""Folding names for comparison: case, accents and punctuation must not hide a match."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DROPPED = re.compile(r"['’.]")  # "McDonald's" -> mcdonalds, "S.A." -> sa


def fold(text: str) -> str:
    """Lower case, accents removed (José -> jose), apostrophes and dots dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DROPPED.sub("", plain.replace("ß", "ss").replace("ø", "o").replace("ł", "l"))


def tokens(text: str) -> list[str]:
    """The words of ``text`` after :func:`fold`, split on anything that is not a letter or digit."""
    return [t for t in _NON_WORD.split(fold(text)) if t]


def person_key(name: str) -> str:
    """A key under which "José Álvarez" and "jose  alvarez" are the same person."""
    return " ".join(tokens(name))


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


# Short and long forms of the same first name (folded). A connection "Daniel Ortiz" may be
# the "Dan Ortiz" you want to meet; coach flags it rather than rank the target as a connector.
_NICKNAME_GROUPS = (
    "daniel dan danny",
    "robert rob bob bobby robbie",
    "william will bill billy liam",
    "michael mike mick mikey",
    "james jim jimmy jamie",
    "thomas tom tommy",
    "richard rich rick dick ricky",
    "elizabeth liz beth betty lisa eliza",
    "katherine catherine kathryn kate katie kathy cathy kat",
    "margaret maggie meg peggy",
    "alexander alex sasha",
    "alexandra alex sasha lexi",
    "christopher chris kit",
    "christine chris christina tina",
    "jonathan jon",
    "john jack johnny",
    "joseph joe joey",
    "samuel sam sammy",
    "samantha sam",
    "benjamin ben benny",
    "nicholas nick nicky",
    "matthew matt",
    "andrew andy drew",
    "anthony tony",
    "edward ed eddie ted ned",
    "charles charlie chuck",
    "patricia pat patty trish",
    "patrick pat paddy",
    "jennifer jen jenny",
    "rebecca becky becca",
    "victoria vicky tori",
    "stephen steve",
    "steven steve",
    "timothy tim",
    "gregory greg",
    "jessica jess jessie",
    "susan sue susie",
    "deborah debbie deb",
    "abigail abby",
    "zachary zach zack",
    "nathaniel nate nathan",
    "kenneth ken kenny",
    "david dave davey",
    "frederick fred freddie",
    "henry harry hank",
    "lawrence larry",
    "leonard leo len lenny",
    "raymond ray",
    "ronald ron ronnie",
    "donald don donnie",
    "gerald gerry jerry",
    "jacob jake",
    "josephine jo josie",
    "joanna jo",
    "olivia liv",
    "isabella bella izzy",
    "madeline maddie",
    "eleanor ellie nora",
    "theodore theo ted",
    "vincent vince",
)
NICKNAMES: dict[str, frozenset[str]] = {}
for _group in _NICKNAME_GROUPS:
    for _name in _group.split():
        NICKNAMES[_name] = NICKNAMES.get(_name, frozenset()) | frozenset(_group.split())


def same_first_name(a: str, b: str) -> bool:
    """Whether two first names may be forms of one name: "Dan" and "Daniel", "Bob" and "Robert"."""
    a, b = " ".join(tokens(a)), " ".join(tokens(b))
    if not a or not b or a == b:
        return bool(a) and a == b
    if b in NICKNAMES.get(a, frozenset()):
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short)


def possibly_same_person(target: str, other: str) -> bool:
    """Same surname and a first name that may be a short or long form of the target's ("Daniel Ortiz")."""
    t, o = tokens(target), tokens(other)
    if len(t) < 2 or len(o) < 2 or t == o or t[-1] != o[-1]:
        return False
    return same_first_name(t[0], o[0])
