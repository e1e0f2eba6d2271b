"""The model as the judge, measured: the model critique over the development corpus, beside the rules.

    OPENAI_BASE_URL=http://127.0.0.1:8765/v1 python bench/llm_quality.py --model NAME [--limit 40] [--jobs 1]

Runs ``coach critique`` with the configured endpoint (any OpenAI-compatible server; the key,
if needed, from OPENAI_API_KEY) on the corpus messages, with their labelled kind and stage,
and prints the figures of ``bench/quality.py`` for the rules alone and for the adjudicated
critique, on the same messages, plus the time per draft and what the model's decisions did.
Both columns score with the severities' default costs (no fitted weights), so neither figure
is in-sample. ``--limit N`` takes N messages spread over kinds and verdicts (a small local
model on two cores takes a minute or more a draft).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import Message, load_corpus  # noqa: E402
from bench.quality import Case, Judged, evaluate  # noqa: E402
from coach.app.coach import Coach, ModelChoice  # noqa: E402
from coach.rules.config import Settings  # noqa: E402
from coach.rules.engine import Options  # noqa: E402
from coach.rules.report import DEFAULT_PENALTIES, Report  # noqa: E402


def spread(messages: list[Message], limit: int) -> list[Message]:
    """``limit`` messages taken in turn from each (kind, verdict) group, so every group is seen."""
    groups: dict[tuple[str, str], list[Message]] = {}
    for m in messages:
        groups.setdefault((m.kind, m.verdict), []).append(m)
    out: list[Message] = []
    while len(out) < limit and any(groups.values()):
        for key in sorted(groups):
            if groups[key] and len(out) < limit:
                out.append(groups[key].pop(0))
    return out


def judged(m: Message, report: Report) -> Judged:
    case = Case(m.id, m.kind, m.stage, m.verdict == "praised", m.template, m.text)
    findings = tuple((f.rule, f.severity) for f in report.findings)
    findings += tuple((c.rule, c.severity) for c in report.checks if c.essential)
    return Judged(case, report.score or 0, findings, m.kind, report.stage)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--limit", type=int, default=0, help="at most N messages, spread over kinds and verdicts")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--max-tokens", type=int, default=900, help="answer budget (a small local model is slow)")
    args = parser.parse_args(argv)
    messages = load_corpus()
    if args.limit:
        messages = spread(messages, args.limit)
    settings = Settings(penalties=dict(DEFAULT_PENALTIES), llm={"max_tokens": args.max_tokens, "max_seconds": 1800})
    choice = ModelChoice(demand=True, model=args.model, base_url=args.base_url, no_cache=True, timeout=args.timeout)
    notices: list[str] = []
    rules, model = [], []
    verdicts: Counter[str] = Counter()
    started = time.perf_counter()
    for i, m in enumerate(messages, 1):
        options = Options(kind=m.kind, stage=m.stage or None, template=m.template)
        offline = Coach(settings, options).critique(m.text)
        rules.append(judged(m, offline))
        one = time.perf_counter()
        report = Coach(settings, options, choice, notify=notices.append).critique(m.text)
        model.append(judged(m, report))
        for d in report.extra.get("adjudication", []):
            verdicts[f"{d['verdict']} {'applied' if d['applied'] else 'void'}"] += 1
        print(
            f"  {i}/{len(messages)} {m.id}: rules {offline.score} -> model {report.score} "
            f"({time.perf_counter() - one:.0f} s)",
            file=sys.stderr,
        )
    elapsed = time.perf_counter() - started
    for label, items in (("rules only", rules), ("model as the judge", model)):
        result = evaluate(items)
        print(
            f"{label:<20} n={result['n']}  AUC {result['auc']['value']:.3f} [{result['auc']['low']:.3f}, "
            f"{result['auc']['high']:.3f}]  within-kind {result['within_kind_auc']['value']:.3f}  "
            f"praised with error {result['praised_with_error']['share']:.0%}  "
            f"criticised flagged {result['criticised_flagged']['share']:.0%}"
        )
    print(f"decisions: {dict(verdicts)}")
    print(f"time: {elapsed / max(len(messages), 1):.1f} s per draft (the rules' share is milliseconds)")
    for notice in dict.fromkeys(notices):
        print(f"notice: {notice}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
