"""Today's date, behind one function so tests can fix it ("last contact 3 years ago" depends on it)."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
