"""The target's line of work, from their role, and whether a position is in it.

"VP of Engineering" is in engineering; so are "Engineering Manager" and "Software
Engineer" elsewhere. People in the same function are worth knowing for the goal
itself and often know each other across companies.
"""

from __future__ import annotations

from coach.plan.names import tokens

# Function -> word stems that mark it in a title. A stem matches a word that is the stem
# or the stem plus a short ending (engineer, engineers, engineering), never "production".
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "engineering": ("engineer", "develop", "programmer", "software", "sre", "devops", "cto", "architect", "technology"),
    "product": ("product", "cpo"),
    "design": ("design", "ux", "ui"),
    "data": ("data", "analytic", "analyst", "ml", "scientist"),
    "research": ("research",),
    "marketing": ("marketing", "marketer", "brand", "growth", "cmo"),
    "sales": ("sales", "account executive", "bdr", "sdr"),
    "finance": ("finance", "financial", "accountant", "accounting", "controller", "cfo"),
    "people": ("hr", "people", "talent", "recruit", "human resources"),
    "operations": ("operation", "ops", "coo", "supply chain", "logistic"),
    "legal": ("legal", "counsel", "lawyer", "attorney", "paralegal"),
    "customer success": ("customer", "support"),
    "security": ("security",),
}
_ENDINGS = ("", "s", "er", "ers", "ing", "ed", "al", "ment")
_NOT_A_FUNCTION = frozenset(
    "vp svp evp avp vice president head of director senior sr lead principal chief officer manager staff "
    "junior jr associate assistant the and for global group team at executive".split()
)


def _matches(stem: str, words: list[str]) -> bool:
    parts = stem.split()
    if len(parts) > 1:
        return any(words[i : i + len(parts)] == parts for i in range(len(words)))
    # "develop" matches developer, not development (business development is not engineering).
    endings = _ENDINGS if stem != "develop" else ("er", "ers")
    return any(word.startswith(stem) and word[len(stem) :] in endings for word in words)


def role_function(role: str) -> tuple[str | None, tuple[str, ...]]:
    """The function named in ``role`` and the stems that mark it; (None, leftover words) if unknown."""
    words = tokens(role)
    for name, stems in FUNCTIONS.items():
        if any(_matches(stem, words) for stem in stems):
            return name, stems
    rest = tuple(w for w in words if w not in _NOT_A_FUNCTION and len(w) > 2)
    return (rest[0] if rest else None), rest


def in_function(position: str, stems: tuple[str, ...]) -> bool:
    words = tokens(position)
    return bool(stems) and any(_matches(stem, words) for stem in stems)


# Seniority from a title, lowest to highest; a title with none of these words is level 2.
SENIORITY: tuple[tuple[int, str, frozenset[str]], ...] = (
    (8, "executive", frozenset("chief ceo cto cfo coo cmo cpo ciso founder cofounder president".split())),
    (7, "VP", frozenset("vp svp evp avp vice".split())),
    (6, "director", frozenset("director head".split())),
    (5, "manager", frozenset("manager".split())),
    (4, "staff", frozenset("staff principal lead distinguished fellow architect".split())),
    (3, "senior", frozenset("senior sr".split())),
    (1, "junior", frozenset("junior jr associate graduate entry".split())),
    (0, "intern", frozenset("intern internship student trainee apprentice".split())),
)
MID_LEVEL = (2, "mid")


def seniority(title: str) -> tuple[int, str]:
    """The highest seniority a title names, as (level, label): "Staff Engineer" -> (4, "staff")."""
    words = set(tokens(title))
    if "vice" in words and "president" in words:
        return 7, "VP"
    for level, label, marks in SENIORITY:
        if words & marks:
            return level, label
    return MID_LEVEL
