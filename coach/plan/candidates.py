"""Candidate connectors the user names: inline specs, or a TOML or CSV file of them.

An inline spec reads ``"Jane Park; tie=weak; knows-target=well; last-contact=2026-09;
given-before=no"``; every key is optional and an unknown key or value is an error naming
it (and the file and line), because a silently dropped fact changes the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from coach.errors import CoachError, InputError, UsageError
from coach.plan.connections import parse_date
from coach.plan.files import csv_rows, read_text
from coach.plan.names import person_key

TIES = ("weak", "acquaintance", "close")
KNOWS = ("well", "somewhat", "no")
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
KEYS = ("tie", "knows-target", "last-contact", "given-before", "met")
EXAMPLE = '"Jane Park; tie=weak; knows-target=well; last-contact=2026-09; given-before=no"'

Fail = Callable[[str, str | None], CoachError]  # (problem, the key at fault)


class Candidate(BaseModel):
    """A possible connector and what the user told coach about them (None: not said)."""

    name: str
    tie: Literal["weak", "acquaintance", "close"] | None = None
    knows_target: Literal["well", "somewhat", "no"] | None = None
    last_contact: date | None = None
    last_contact_text: str | None = None  # as written: "2026-09" is a month, not its first day
    given_before: bool | None = None
    met: str | None = None
    where: str = "--candidate"


_MONTH_NAMES = "january february march april may june july august september october november december".split()


def _month(word: str) -> int:
    """1-12 for a month's name or its abbreviation ("Mar", "Sept", "March"); 0 for anything else."""
    word = word.lower()
    return next((i for i, name in enumerate(_MONTH_NAMES, 1) if len(word) >= 3 and name.startswith(word)), 0)


_MONTH_YEAR = re.compile(r"([A-Za-z]{3,})\.?,?\s+(\d{4})")


def parse_last_contact(value: str, today: date) -> date:
    """``2026``, ``2026-09``, ``2026-09-15``, or as the connections file writes dates (``March 2025``,
    ``15 Mar 2025``, ``Mar 15, 2025``, ``3/15/2025``); not in the future."""
    text = " ".join(value.split())
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    month_year = _MONTH_YEAR.fullmatch(text)
    if m:
        try:
            when = date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError:
            raise ValueError("is not a real date") from None
    elif month_year and _month(month_year[1]):
        when = date(int(month_year[2]), _month(month_year[1]), 1)
    else:
        parsed = parse_date(text)
        if parsed is None:
            raise ValueError("is not a date: use YYYY-MM (e.g. 2026-09), YYYY-MM-DD, YYYY, 'Mar 2026' or '15 Mar 2026'")
        when = parsed
    if when > today:
        raise ValueError(f"is in the future (today is {today.isoformat()})")
    return when


def _set(candidate: Candidate, key: str, value: Any, today: date, fail: Fail) -> None:
    key = key.strip().lower().replace("_", "-").replace(" ", "-")
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if isinstance(value, bool):
        text = "yes" if value else "no"
    low = text.lower()
    if key == "tie":
        if low not in TIES:
            raise fail(f"tie={text!r} is not one of {', '.join(TIES)}", key)
        candidate.tie = low  # type: ignore[assignment]
    elif key == "knows-target":
        if low not in KNOWS:
            raise fail(f"knows-target={text!r} is not one of {', '.join(KNOWS)}", key)
        candidate.knows_target = low  # type: ignore[assignment]
    elif key == "last-contact":
        try:
            candidate.last_contact = parse_last_contact(text, today)
        except ValueError as exc:
            raise fail(f"last-contact={text!r} {exc}", key) from None
        candidate.last_contact_text = text
    elif key == "given-before":
        if low not in YES_NO:
            raise fail(f"given-before={text!r} is not yes or no", key)
        candidate.given_before = YES_NO[low]
    elif key == "met":
        candidate.met = text or None
    else:
        raise fail(f"unknown key {key!r}; the keys are: name, {', '.join(KEYS)}", key)


def _build(name: str, pairs: Iterable[tuple[str, Any]], today: date, fail: Fail, where: str) -> Candidate:
    name = " ".join(str(name).split())
    if not name or "=" in name:
        raise fail(f"a candidate needs a name first, as in {EXAMPLE}", None)
    candidate = Candidate(name=name, where=where)
    for key, value in pairs:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        _set(candidate, key, value, today, fail)
    return candidate


def parse_spec(spec: str, today: date) -> Candidate:
    """One ``--candidate`` value: the name, then ``key=value`` parts separated by semicolons."""

    def fail(problem: str, key: str | None = None) -> CoachError:
        return UsageError(f"--candidate {spec.strip()!r}: {problem}", f"write it as {EXAMPLE}")

    name, *parts = spec.split(";")
    pairs = []
    for part in parts:
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise fail(f"{part.strip()!r} is not key=value")
        pairs.append((key, value))
    return _build(name, pairs, today, fail, "--candidate")


def _toml_line(raw: str, name: str, key: str | None) -> int:
    """The line of ``key`` in the table whose name is ``name`` (or of the name itself)."""
    lines = raw.splitlines()
    start = next((i for i, line in enumerate(lines) if name in line and "name" in line), 0)
    if key:
        spelled = "[-_]".join(re.escape(part) for part in key.split("-"))
        for i in range(start, len(lines)):
            if re.match(rf"\s*[\"']?{spelled}[\"']?\s*=", lines[i]):
                return i + 1
            if i > start and lines[i].strip().startswith("[["):
                break
    return start + 1


def load_toml(path: str, raw: str, today: date) -> list[Candidate]:
    import tomllib

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: {exc}", "fix the TOML syntax") from None
    unknown = sorted(set(data) - {"candidate", "candidates"})
    if unknown:
        line = _toml_line(raw, unknown[0], None)
        raise InputError(f"{path}:{line}: unknown table {unknown[0]!r}", "list people as [[candidate]] tables")
    tables = [*data.get("candidate", []), *data.get("candidates", [])]
    out = []
    for table in tables:
        if not isinstance(table, dict):
            raise InputError(f"{path}: candidate must be [[candidate]] tables", "one table per person")
        name = str(table.get("name", ""))
        pairs = [(k, v) for k, v in table.items() if k != "name"]
        line = _toml_line(raw, name, None) if name else 1

        def fail(problem: str, key: str | None, name: str = name) -> CoachError:
            where = _toml_line(raw, name, key) if name else 1
            return InputError(
                f"{path}:{where}: {problem}", f"a [[candidate]] has a name and may have {', '.join(KEYS)}"
            )

        out.append(_build(name, pairs, today, fail, f"{path}:{line}"))
    if not out:
        raise InputError(f"{path}: no [[candidate]] tables", 'add one per person: [[candidate]] name = "Jane Park"')
    return out


def load_csv(path: str, raw: str, today: date) -> list[Candidate]:
    out: list[Candidate] = []
    header: list[str] | None = None
    for start, row in csv_rows(raw, path):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower().replace("_", "-") for cell in row]
            bad = [h for h in header if h not in ("name", *KEYS)]
            if "name" not in header or bad:
                problem = f"unknown column {bad[0]!r}" if bad else "no name column"
                raise InputError(f"{path}:{start}: {problem}", f"the header is name,{','.join(KEYS[:4])} (and met)")
            continue
        if len(row) > len(header):
            raise InputError(f"{path}:{start}: {len(row)} fields where the header has {len(header)}", "quote commas")
        cells = dict(zip(header, row, strict=False))

        def fail(problem: str, key: str | None, line: int = start) -> CoachError:
            return InputError(f"{path}:{line}: {problem}", "fix that line")

        pairs = [(k, v) for k, v in cells.items() if k != "name"]
        out.append(_build(cells.get("name", ""), pairs, today, fail, f"{path}:{start}"))
    if not out:
        raise InputError(f"{path}: no candidates in it", "one row per person under the header name,tie,...")
    return out


def load_file(path: str, today: date) -> list[Candidate]:
    raw, _ = read_text(path)
    return load_toml(path, raw, today) if path.lower().endswith(".toml") else load_csv(path, raw, today)


def load_candidates(values: Iterable[str], today: date) -> tuple[list[Candidate], list[str]]:
    """Every ``--candidate`` value (a spec, or a .toml/.csv file), merged by person; and notices."""
    by_person: dict[str, Candidate] = {}
    notices = []
    for value in values:
        is_file = ";" not in value and "=" not in value and value.strip().lower().endswith((".toml", ".csv"))
        for candidate in load_file(value.strip(), today) if is_file else [parse_spec(value, today)]:
            key = person_key(candidate.name)
            if key in by_person:
                notices.append(f"{candidate.name} is named twice; using {candidate.where}")
            by_person[key] = candidate
    return list(by_person.values()), notices
