"""Which rules fire on which labelled drafts: a tool for tuning rules against false positives.

    python bench/rule_hits.py [--select OPN,PER] [--show]
    python bench/rule_hits.py --corpus [--select OPN,PER] [--kind follow-up] [--show] [--all] [--attempt N]

Without ``--corpus``: for each rule, how many strong drafts of the regression sets it fires
on (false-positive risk) and how many weak ones (what it catches). ``--show`` prints the
quoted spans on strong drafts.

With ``--corpus``: the same over the development corpus (``bench/corpus``), each message
judged with its labelled kind, stage and template flag. For each rule: how many praised
and how many criticised messages it fires on, out of how many of the kinds and stages it
judges, per kind (and stage), and a separation figure (criticised rate minus praised rate). Rules that
fire about as often on praised messages as on criticised ones are the ones to narrow.
``--show`` prints the quoted spans, praised first; ``--all`` lists rules that fired on
nothing too; ``--kind`` keeps one kind; ``--attempt N`` judges every follow-up as the writer's
N-th message (the corpus carries no attempt number, so rules on it, such as FUP003, fire only
with this).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.labelled import load
from coach.rules.catalogue import all_rules
from coach.rules.engine import Options, critique_text


def _selected(code: str, select: tuple[str, ...]) -> bool:
    return not select or any(code.startswith(s) for s in select)


def _hits(report: object) -> list:
    """Findings and checks (reports that keep checks apart list them in ``checks``)."""
    return [*getattr(report, "findings", []), *getattr(report, "checks", [])]


def labelled_sets(select: tuple[str, ...], show: bool) -> None:
    strong: dict[str, list[str]] = defaultdict(list)
    weak: dict[str, list[str]] = defaultdict(list)
    for draft in load():
        report = critique_text(draft.text, Options(kind=draft.kind, select=select))
        for f in _hits(report):
            (strong if draft.label == "strong" else weak)[f.rule].append(f"{draft.id}: {f.text[:80]!r}")
    for rule in all_rules():
        if not _selected(rule.code, select):
            continue
        print(f"{rule.code} {rule.name:<34} strong {len(strong[rule.code]):>2}  weak {len(weak[rule.code]):>2}")
        if show:
            for line in strong[rule.code]:
                print(f"    FP? {line}")


def corpus(select: tuple[str, ...], show: bool, every: bool, only_kind: str, attempt: int | None = None) -> None:
    from bench.corpus import load_corpus

    messages = [m for m in load_corpus() if not only_kind or m.kind == only_kind]
    rules = [r for r in all_rules() if _selected(r.code, select)]
    # rule -> verdict -> message ids it fired on (with the quoted text), and how many it judged
    fired: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_kind: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    judged: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in messages:
        stage = m.stage or None
        tries = attempt if m.kind == "follow-up" else None
        report = critique_text(
            m.text, Options(kind=m.kind, stage=stage, template=m.template, select=select, attempt=tries)
        )
        seen: dict[str, list[str]] = defaultdict(list)
        for f in _hits(report):
            seen[f.rule].append(f"{f.severity[0]}:{f.text[:70]!r}")
        for rule in rules:
            if rule.applies_to(m.kind, stage):
                judged[rule.code][m.verdict] += 1
        for code, texts in seen.items():
            where = f"{m.id:<8} {m.kind}{'/' + m.stage if m.stage else ''}"
            fired[code][m.verdict].append(f"{where:<28} {' | '.join(texts)}")
            by_kind[code][(m.kind + ("/" + m.stage if m.stage else ""), m.verdict)] += 1
    print(f"{len(messages)} corpus messages; per rule: praised fired/judged, criticised fired/judged, separation")
    for rule in rules:
        p, c = fired[rule.code]["praised"], fired[rule.code]["criticised"]
        np_, nc = judged[rule.code]["praised"], judged[rule.code]["criticised"]
        if not every and not p and not c:
            continue
        sep = (len(c) / nc if nc else 0.0) - (len(p) / np_ if np_ else 0.0)
        kinds = "  ".join(
            f"{k}:{by_kind[rule.code][(k, 'praised')]}/{by_kind[rule.code][(k, 'criticised')]}"
            for k in sorted({k for k, _ in by_kind[rule.code]})
        )
        rate_p, rate_c = (len(p) / np_ if np_ else 0.0), (len(c) / nc if nc else 0.0)
        # praised at least half as often as criticised: the rule does not tell them apart
        flag = "  <-- fires on praised about as often" if p and rate_p >= rate_c / 2 else ""
        print(
            f"{rule.code} {rule.name:<34} {rule.severity[:4]:<4} praised {len(p):>3}/{np_:<3} "
            f"criticised {len(c):>3}/{nc:<3} sep {sep:+.2f}  [{kinds}]{flag}"
        )
        if show:
            for line in p:
                print(f"    P {line}")
            for line in c:
                print(f"    C {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--select", default="")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--corpus", action="store_true", help="count over the development corpus")
    parser.add_argument("--all", action="store_true", help="with --corpus: list rules that fire on nothing too")
    parser.add_argument("--kind", default="", help="with --corpus: only this kind")
    parser.add_argument("--attempt", type=int, default=None, help="with --corpus: judge follow-ups as attempt N")
    args = parser.parse_args()
    select = tuple(s for s in args.select.split(",") if s)
    if args.corpus:
        corpus(select, args.show, args.all, args.kind, args.attempt)
    else:
        labelled_sets(select, args.show)


if __name__ == "__main__":
    main()
