"""LinkedIn's ``Connections.csv``, as it comes: a few lines of notes, then the header.

LinkedIn's header is ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``
(dates like ``15 Mar 2023``, e-mails mostly empty). Other exports and CRMs rename the
columns, so each is recognised by its folded name. A structural fault (an unclosed quote,
a row with more fields than the header) stops the run naming the line: a silently
misaligned row would put people at the wrong company.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from coach.errors import InputError
from coach.plan.files import csv_rows, read_text
from coach.plan.names import fold

HEADER_SEARCH_ROWS = 30
LINKEDIN_HEADER = "First Name, Last Name, URL, Email Address, Company, Position, Connected On"
# Field -> folded header names that mean it (letters and digits only).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "name": ("name", "fullname", "contactname"),
    "url": ("url", "profileurl", "linkedinurl", "profile", "linkedinprofile", "publicprofileurl", "linkedin"),
    "email": ("emailaddress", "email", "emailaddresses", "mail"),
    "company": ("company", "organization", "organisation", "companyname", "employer", "currentcompany", "org"),
    "position": ("position", "title", "jobtitle", "role", "headline", "currentposition", "currenttitle"),
    "connected_on": ("connectedon", "connected", "connectiondate", "dateconnected", "connectedat", "connectedsince"),
}
_ALIAS = {alias: field for field, aliases in COLUMN_ALIASES.items() for alias in aliases}
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


class Connection(BaseModel):
    """One first-degree connection; ``line`` is where its row starts in the file."""

    name: str
    company: str = ""
    position: str = ""
    url: str = ""
    email: str = ""
    connected_on: date | None = None
    line: int


class ConnectionsFile(BaseModel):
    path: str
    header_line: int
    columns: dict[str, str]  # field -> the header as written in the file
    missing_columns: list[str]
    connections: list[Connection]
    notices: list[str] = []


def _key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(header))


def _header_map(row: list[str]) -> dict[str, int] | None:
    """Field -> column index if ``row`` is a header (a name and a company or position), else None."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _ALIAS.get(_key(cell))
        if field and field not in found:
            found[field] = index
    has_name = "name" in found or {"first_name", "last_name"} <= found.keys()
    return found if has_name and ({"company", "position"} & found.keys()) else None


def parse_date(text: str) -> date | None:
    """``15 Mar 2023`` (LinkedIn), ``2023-03-15``, ``Mar 15, 2023``, ``3/15/2023``; None if not a date."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,})\.?[ -,]*(\d{4})", text):
            return date(int(m[3]), MONTHS[m[2][:3].lower()], int(m[1]))
        if m := re.fullmatch(r"([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})", text):
            return date(int(m[3]), MONTHS[m[1][:3].lower()], int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            first, second = int(m[1]), int(m[2])
            month, day = (first, second) if first <= 12 else (second, first)
            return date(int(m[3]), month, day)
    except (KeyError, ValueError):
        return None
    return None


def parse_connections(text: str, path: str) -> ConnectionsFile:
    """Find the header after any notes, then read every row; raise naming the line on a fault."""
    header: dict[str, int] | None = None
    header_row: list[str] = []
    header_line = 0
    people: list[Connection] = []
    nameless = bad_dates = 0
    for start, row in csv_rows(text, path):
        if header is None:
            header = _header_map(row)
            if header is not None:
                header_row, header_line = row, start
            elif start > HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header_row) and not (len(row) > len(header_row) and not any(row[len(header_row) :])):
            raise InputError(
                f"{path}:{start}: {len(row)} fields where the header (line {header_line}) has {len(header_row)}",
                "a comma inside a field needs double quotes around the field",
            )
        cell = {field: row[i].strip() for field, i in header.items()}
        name = cell.get("name") or " ".join(p for p in (cell.get("first_name"), cell.get("last_name")) if p)
        if not name:
            nameless += 1
            continue
        connected = parse_date(cell["connected_on"]) if cell.get("connected_on") else None
        bad_dates += bool(cell.get("connected_on")) and connected is None
        people.append(
            Connection(
                name=" ".join(name.split()),
                company=cell.get("company", ""),
                position=cell.get("position", ""),
                url=cell.get("url", ""),
                email=cell.get("email", ""),
                connected_on=connected,
                line=start,
            )
        )
    if header is None:
        raise InputError(
            f"{path}: no header row in the first {HEADER_SEARCH_ROWS} lines",
            f"expected LinkedIn's columns ({LINKEDIN_HEADER}) or similar names",
        )
    wanted: tuple[str, ...] = ("first_name", "last_name", "url", "email", "company", "position", "connected_on")
    if "name" in header:
        wanted = ("name", *wanted[2:])
    result = ConnectionsFile(
        path=path,
        header_line=header_line,
        columns={field: header_row[i].strip() for field, i in sorted(header.items(), key=lambda kv: kv[1])},
        missing_columns=[field for field in wanted if field not in header],
        connections=people,
    )
    if nameless:
        result.notices.append(f"{nameless} row(s) without a name skipped")
    if bad_dates:
        result.notices.append(f"{bad_dates} connection date(s) not understood; they are shown as unknown")
    if not people:
        result.notices.append(f"{path} has a header (line {header_line}) but no connections")
    return result


def read_connections(path: str) -> ConnectionsFile:
    """Read and parse the export (a CSV, or LinkedIn's ZIP with Connections.csv inside)."""
    text, notices = read_text(path, zip_member="Connections.csv")
    result = parse_connections(text, path)
    result.notices[:0] = notices
    return result
