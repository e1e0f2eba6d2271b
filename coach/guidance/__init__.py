"""The coaching guidance: one Markdown document per kind plus a general one.

Sections carry stable anchors (``## Make yes easy {#make-yes-easy}``) that rules
cite as ``general#make-yes-easy``; ``coach guide`` prints the documents and the
LLM prompts include them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from coach.errors import UsageError
from coach.io.data import read_text
from coach.text.kinds import KINDS

DOCS: tuple[str, ...] = ("general", *KINDS)
_HEADING = re.compile(r"^## (?P<title>.+?)\s*\{#(?P<anchor>[a-z0-9-]+)\}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Section:
    doc: str
    anchor: str
    title: str
    text: str  # the section's body, heading excluded

    @property
    def ref(self) -> str:
        return f"{self.doc}#{self.anchor}"


@cache
def raw_doc(name: str) -> str:
    if name not in DOCS:
        raise UsageError(f"no guidance for {name!r}", f"choose one of: {', '.join(DOCS)}")
    return read_text("coach.guidance", f"{name}.md")


@cache
def sections(name: str) -> dict[str, Section]:
    doc = raw_doc(name)
    heads = list(_HEADING.finditer(doc))
    out: dict[str, Section] = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(doc)
        out[m["anchor"]] = Section(name, m["anchor"], m["title"], doc[m.end() : end].strip())
    return out


def section(ref: str) -> Section | None:
    """The section a rule cites (``doc#anchor``), or None if it does not exist."""
    doc, _, anchor = ref.partition("#")
    if doc not in DOCS:
        return None
    return sections(doc).get(anchor)


def readable(name: str, skip: tuple[str, ...] = ()) -> str:
    """The document without anchor markers, optionally without some sections (by anchor)."""
    doc = raw_doc(name)
    for anchor in skip:
        sec = sections(name).get(anchor)
        if sec:
            doc = re.sub(rf"(?ms)^## [^\n]*\{{#{anchor}\}}\s*$.*?(?=^## |\Z)", "", doc)
    return re.sub(r"\s*\{#[a-z0-9-]+\}", "", doc).strip() + "\n"
