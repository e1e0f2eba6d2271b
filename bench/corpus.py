"""The development corpus: real-shaped outreach messages labelled with their source's verdict.

    python bench/corpus.py [--fresh]

prints counts by kind, stage, verdict and origin, the number of distinct sources, and any
problems ``validate`` finds (exit status 1 if there are any).

Each ``[[message]]`` in ``bench/corpus/*.toml`` is a message written blind to the rules,
either modelled on a real example (``origin = "modelled"``, with the page it came from in
``source`` and what that page says about it in ``source_says``) or written to the shape of
one (``origin = "shape"``). ``verdict`` is the source's: ``praised`` (offered as a model) or
``criticised`` (shown as what not to send).

It is a *development* set: rule authors may read it, so once rules are tuned against it
its figures flatter them. The honest check is the held-out one, kept outside this
repository; no message here may come from one of its sources (``../shared/heldout_sources.txt``
relative to the repository root, checked whenever that file exists).

``--fresh`` reads the untouched check set (``bench/fresh/*.toml``) instead: the same fields,
written after the rules were frozen, from pages the development corpus does not use (also
checked), and never tuned on.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# The untouched check set: written the same way after the rules were frozen, from pages the
# development corpus does not use; measured, never tuned on (see bench/quality.py --set fresh).
FRESH_DIR = Path(__file__).resolve().parent / "fresh"
HELDOUT_SOURCES = ROOT.parent / "shared" / "heldout_sources.txt"

# Kept here rather than imported from coach, so the corpus can be checked whatever state the
# package is in; tests/test_corpus.py keeps nothing in sync, the brief's table is the reference.
STAGES: dict[str, tuple[str, ...]] = {
    "connection-note": (),
    "cold-email": (),
    "intro-request": (),
    "blurb": (),
    "connector-intro": ("ask", "intro", "decline"),
    "follow-up": ("nudge", "thanks", "reply", "last"),
}
KINDS: tuple[str, ...] = tuple(STAGES)
VERDICTS: tuple[str, ...] = ("praised", "criticised")
ORIGINS: tuple[str, ...] = ("modelled", "shape")
CHANNELS: tuple[str, ...] = ("email", "linkedin", "dm", "other")
EMBEDDED: tuple[str, ...] = ("", "blurb", "quoted")

FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "stage",
    "verdict",
    "origin",
    "source",
    "source_says",
    "template",
    "channel",
    "embedded",
    "text",
)


@dataclass(frozen=True)
class Message:
    id: str
    kind: str
    stage: str  # "" for kinds without stages
    verdict: str  # "praised" or "criticised"
    origin: str  # "modelled" or "shape"
    source: str  # URL of the page it is modelled on, or ""
    source_says: str
    template: bool  # has [Name]-style slots meant to be filled per recipient
    channel: str
    embedded: str  # "", "blurb" (carries a blurb inside) or "quoted" (earlier mail quoted below)
    text: str
    file: str = field(default="", compare=False)  # the corpus file it came from, for problem reports


class CorpusError(ValueError):
    """A corpus file that cannot be read as messages at all (bad TOML, missing fields)."""


def load_corpus(directory: Path = CORPUS_DIR) -> list[Message]:
    """Every message in ``directory/*.toml``, in file order (files sorted by name)."""
    messages: list[Message] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise CorpusError(f"{path.name}: not valid TOML: {exc}") from exc
        for index, raw in enumerate(data.get("message", [])):
            missing = [name for name in FIELDS if name not in raw]
            if missing:
                where = raw.get("id", f"message #{index + 1}")
                raise CorpusError(f"{path.name}: {where}: missing {', '.join(missing)}")
            messages.append(Message(**{name: raw[name] for name in FIELDS}, file=path.name))
    return messages


# --- held-out sources -----------------------------------------------------------------------


@dataclass(frozen=True)
class HeldOut:
    """The held-out sources: web domains (with their subdomains) and GitHub repositories."""

    domains: frozenset[str]
    repos: frozenset[str]  # "owner/repo", lower case

    def covers(self, url: str) -> str | None:
        """The held-out entry ``url`` falls under, or None."""
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = (parts.hostname or "").lower().rstrip(".")
        for domain in self.domains:
            if host == domain or host.endswith("." + domain):
                return domain
        for repo in _repositories(host, parts.path):
            if repo in self.repos:
                return f"github.com/{repo}"
        return None


def _repositories(host: str, path: str) -> list[str]:
    """The GitHub repositories a URL may be served from ("owner/repo", lower case)."""
    segments = [s.lower() for s in path.split("/") if s]
    if host in ("github.com", "www.github.com", "raw.githubusercontent.com") and len(segments) >= 2:
        return [f"{segments[0]}/{segments[1].removesuffix('.git')}"]
    if host.endswith(".github.io"):
        owner = host.removesuffix(".github.io")
        repos = [f"{owner}/{host}"]  # a user or organisation site
        if segments:
            repos.append(f"{owner}/{segments[0]}")  # a project site
        return repos
    return []


def read_heldout(path: Path = HELDOUT_SOURCES) -> HeldOut | None:
    """The held-out sources listed in ``path``, or None when the file does not exist."""
    if not path.exists():
        return None
    domains: set[str] = set()
    repos: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        entry = entry.split("://", 1)[-1].rstrip("/")
        if entry.startswith("www.") and "/" not in entry:
            entry = entry.removeprefix("www.")
        if entry.startswith(("github.com/", "www.github.com/")):
            owner_repo = entry.split("/", 1)[1].split("/")
            if len(owner_repo) >= 2:
                repos.add(f"{owner_repo[0]}/{owner_repo[1].removesuffix('.git')}")
                continue
        domains.add(entry.split("/", 1)[0])
    return HeldOut(frozenset(domains), frozenset(repos))


# --- validation ---------------------------------------------------------------------------


def validate(messages: Iterable[Message], heldout: Path | None = HELDOUT_SOURCES) -> list[str]:
    """Everything wrong with ``messages``, one line each (an empty list when all is well).

    The held-out check runs when ``heldout`` names a file that exists; pass None to skip it."""
    held = read_heldout(heldout) if heldout is not None else None
    problems: list[str] = []
    seen: dict[str, str] = {}
    for m in messages:
        where = f"{m.file}: {m.id}" if m.file else m.id

        def bad(problem: str, where: str = where) -> None:
            problems.append(f"{where}: {problem}")

        if not isinstance(m.id, str) or not m.id.strip():
            bad("empty id")
        elif m.id in seen:
            bad(f"duplicate id (also in {seen[m.id] or 'another message'})")
        else:
            seen[m.id] = m.file
        for name in FIELDS:
            value = getattr(m, name)
            expected = bool if name == "template" else str
            if not isinstance(value, expected):
                bad(f"{name} should be a {expected.__name__}, not {type(value).__name__}")
        if m.kind not in STAGES:
            bad(f"unknown kind {m.kind!r}")
        elif STAGES[m.kind] and m.stage not in STAGES[m.kind]:
            bad(f"stage {m.stage!r} is not one of {m.kind}'s: {', '.join(STAGES[m.kind])}")
        elif not STAGES[m.kind] and m.stage:
            bad(f"stage {m.stage!r} given, but {m.kind} has no stages")
        if m.verdict not in VERDICTS:
            bad(f"unknown verdict {m.verdict!r}")
        if m.origin not in ORIGINS:
            bad(f"unknown origin {m.origin!r}")
        if m.channel not in CHANNELS:
            bad(f"unknown channel {m.channel!r}")
        if m.embedded not in EMBEDDED:
            bad(f"unknown embedded {m.embedded!r}")
        if not isinstance(m.text, str) or not m.text.strip():
            bad("empty text")
        source = m.source if isinstance(m.source, str) else ""
        if m.origin == "modelled" and not source.startswith(("http://", "https://")):
            bad(f"modelled, but its source is not an http(s) URL: {source!r}")
        if held is not None and source:
            entry = held.covers(source)
            if entry:
                bad(f"source {source} is from a held-out source ({entry})")
    return problems


# --- the command line ---------------------------------------------------------------------


def _table(title: str, counts: Counter[str], verdicts: dict[str, Counter[str]]) -> None:
    print(f"{title}:")
    for key, n in sorted(counts.items()):
        split = verdicts[key]
        line = f"  {key:<28} {n:>4}"
        if title != "by verdict":
            line += f"   praised {split['praised']:>3}  criticised {split['criticised']:>3}"
        print(line)


def separation(development: Iterable[Message], fresh: Iterable[Message]) -> list[str]:
    """Everything that ties the untouched set to the development corpus: a shared id, or a
    fresh message modelled on a page the development corpus already used."""
    development = list(development)
    ids = {m.id for m in development}
    pages = {m.source.strip() for m in development if m.source}
    problems = []
    for m in fresh:
        if m.id in ids:
            problems.append(f"{m.file}: {m.id}: the id is also in the development corpus")
        if m.source and m.source.strip() in pages:
            problems.append(f"{m.file}: {m.id}: modelled on a page the development corpus uses ({m.source})")
    return problems


def main(argv: list[str] | None = None) -> int:
    fresh = "--fresh" in (sys.argv[1:] if argv is None else argv)
    directory = FRESH_DIR if fresh else CORPUS_DIR
    messages = load_corpus(directory)
    by: dict[str, Counter[str]] = {name: Counter() for name in ("kind", "stage", "verdict", "origin", "channel")}
    verdicts: dict[str, dict[str, Counter[str]]] = {name: {} for name in by}
    for m in messages:
        keys = {
            "kind": m.kind,
            "stage": f"{m.kind}/{m.stage}" if m.stage else None,
            "verdict": m.verdict,
            "origin": m.origin,
            "channel": m.channel,
        }
        for name, key in keys.items():
            if key is None:
                continue
            by[name][key] += 1
            verdicts[name].setdefault(key, Counter())[m.verdict] += 1
    print(f"{len(messages)} messages in {directory.relative_to(ROOT)}/")
    for name in by:
        _table(f"by {name}", by[name], verdicts[name])
    sources = {m.source for m in messages if m.source}
    print(f"templates: {sum(m.template for m in messages)}; embedded: {sum(bool(m.embedded) for m in messages)}")
    print(f"distinct sources: {len(sources)} (and {sum(not m.source for m in messages)} messages with none)")
    held = "checked" if HELDOUT_SOURCES.exists() else f"not checked ({HELDOUT_SOURCES} not found)"
    print(f"held-out sources: {held}")
    problems = validate(messages) + (separation(load_corpus(), messages) if fresh else [])
    if problems:
        print(f"{len(problems)} problem(s):")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
