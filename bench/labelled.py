"""Load the labelled bench drafts (bench/data/drafts.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA = DATA_DIR / "drafts.toml"
SETS = {"tuning": DATA_DIR / "drafts.toml", "holdout": DATA_DIR / "holdout.toml"}


@dataclass(frozen=True)
class Labelled:
    id: str
    kind: str
    label: str  # "strong" or "weak"
    why: str
    text: str


def load(path: Path = DATA) -> list[Labelled]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [Labelled(d["id"], d["kind"], d["label"], d.get("why", ""), d["text"]) for d in data["draft"]]
