"""Does the score separate the messages sources praise from the ones they criticise?

    python bench/quality.py [--set corpus|fresh|regression|all] [--per-kind] [--misses] [--json]

The main figures are on the development corpus (bench/corpus/*.toml, see bench/corpus.py):
real-shaped messages written blind to the rules, each labelled with its source's verdict
(praised: offered as a model; criticised: shown as what not to send). For it:
- pooled AUC of the score between praised and criticised messages (1.0 = every praised
  message scores above every criticised one; ties count half), with a bootstrap 95% interval
  (messages resampled with replacement, 2000 resamples, fixed seed);
- within-kind AUC: the same over praised/criticised pairs of the same kind only (pairs pooled
  across kinds), with its interval, and each kind's own AUC; for the kinds with stages
  (connector-intro, follow-up) the same within stage;
- the share of praised messages with at least one error (target: at most 10%) and of
  criticised messages with at least one warning or error (target: at least 90%);
- how often ``--kind auto`` picks the labelled kind, and the labelled stage for kinds with
  stages (when the engine's report carries a stage).
Scores use the labelled kind and stage, as a user who passes ``--kind``/``--stage`` would get;
detection uses ``--kind auto``. The corpus is for development: once rules are tuned against
it, its figures flatter them; the honest check is the held-out one outside this repository.
Anything *fitted* (weights, a classifier) is measured with ``bench.folds.cross_validated``:
in-sample figures are never to be quoted.

The ``fresh`` section runs the untouched check set (bench/fresh/*.toml, see bench/corpus.py):
messages written the same way, but after the rules and cues were frozen and from pages the
development corpus does not use. The shipped engine was fitted to the development corpus
only, so its scores and kinds here are out of sample as they stand. Nothing may be tuned by
reading this set's misses; once something is, its figures are development figures too.

The ``regression`` section runs the older drafts written to the rules' own checklist
(bench/data/drafts.toml, which rule authors tuned on, and bench/data/holdout.toml, written
apart but to the same checklist). They catch a rule change that breaks what used to work;
they are not evidence that the score tracks real messages.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import CORPUS_DIR, FRESH_DIR, STAGES, load_corpus
from bench.labelled import SETS, load
from bench.stats import bootstrap, grouped_auc, pooled_auc
from coach.rules.engine import Options, critique_text

RESAMPLES = 2000
SEED = 0
MAX_PRAISED_WITH_ERROR = 0.10
MIN_CRITICISED_FLAGGED = 0.90
_OPTION_FIELDS = {f.name for f in dataclasses.fields(Options)}


def options(kind: str, stage: str = "", template: bool = False) -> Options:
    """Engine options for a labelled message; ``stage`` only if this engine knows stages."""
    kwargs: dict[str, Any] = {"kind": kind}
    if "template" in _OPTION_FIELDS:
        kwargs["template"] = template
    if stage and "stage" in _OPTION_FIELDS:
        kwargs["stage"] = stage
    return Options(**kwargs)


@dataclass(frozen=True)
class Case:
    """One labelled message, from the corpus or the older drafts."""

    id: str
    kind: str
    stage: str
    positive: bool  # praised (corpus) or strong (older drafts)
    template: bool
    text: str


@dataclass(frozen=True)
class Judged:
    case: Case
    score: int
    findings: tuple[tuple[str, str], ...]  # (rule, severity)
    detected_kind: str
    detected_stage: str | None  # None when the report carries no stage

    @property
    def has_error(self) -> bool:
        return any(severity == "error" for _, severity in self.findings)

    @property
    def flagged(self) -> bool:
        return any(severity in ("error", "warning") for _, severity in self.findings)


def judge(case: Case) -> Judged:
    report = critique_text(case.text, options(case.kind, case.stage, case.template))
    auto = critique_text(case.text, options("auto", template=case.template))
    return Judged(
        case=case,
        score=report.score if report.score is not None else 0,
        findings=tuple((f.rule, f.severity) for f in report.findings)
        + tuple((c.rule, c.severity) for c in getattr(report, "checks", ()) if c.essential),
        detected_kind=auto.kind,
        detected_stage=getattr(auto, "stage", None) or None,
    )


# --- figures ------------------------------------------------------------------------------


def _share(hits: int, n: int) -> dict[str, Any]:
    return {"count": hits, "n": n, "share": hits / n if n else math.nan}


def _interval(value: float, low_high: tuple[float, float]) -> dict[str, float]:
    return {"value": value, "low": low_high[0], "high": low_high[1]}


def _items(judged: Iterable[Judged], group: str) -> list[tuple[Any, float, bool]]:
    def key(j: Judged) -> Any:
        return {"all": None, "kind": j.case.kind, "stage": (j.case.kind, j.case.stage)}[group]

    return [(key(j), j.score, j.case.positive) for j in judged]


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else math.nan


def summary(judged: list[Judged]) -> dict[str, Any]:
    """The figures that make sense for any subset (a whole set, one kind, one stage)."""
    praised = [j for j in judged if j.case.positive]
    criticised = [j for j in judged if not j.case.positive]
    return {
        "n": len(judged),
        "praised": len(praised),
        "criticised": len(criticised),
        "auc": pooled_auc(_items(judged, "all")),
        "praised_with_error": _share(sum(j.has_error for j in praised), len(praised)),
        "criticised_flagged": _share(sum(j.flagged for j in criticised), len(criticised)),
        "kind_accuracy": _share(sum(j.detected_kind == j.case.kind for j in judged), len(judged)),
        "mean_score_praised": _mean([j.score for j in praised]),
        "mean_score_criticised": _mean([j.score for j in criticised]),
    }


def evaluate(judged: list[Judged], misses: bool = False) -> dict[str, Any]:
    """All the figures for one labelled set."""
    result = summary(judged)
    pooled = _items(judged, "all")
    result["auc"] = _interval(result["auc"], bootstrap(pooled_auc, pooled, RESAMPLES, SEED))
    within = _items(judged, "kind")
    result["within_kind_auc"] = _interval(grouped_auc(within), bootstrap(grouped_auc, within, RESAMPLES, SEED))
    kinds = sorted({j.case.kind for j in judged})
    result["per_kind"] = {kind: summary([j for j in judged if j.case.kind == kind]) for kind in kinds}

    staged = [k for k in kinds if STAGES.get(k) and any(j.case.stage for j in judged if j.case.kind == k)]
    result["within_stage_auc"] = {}
    for kind in staged:
        members = [j for j in judged if j.case.kind == kind]
        items = _items(members, "stage")
        stages = sorted({j.case.stage for j in members})
        result["within_stage_auc"][kind] = {
            **_interval(grouped_auc(items), bootstrap(grouped_auc, items, RESAMPLES, SEED)),
            "stages": {
                stage: {
                    "n": sum(j.case.stage == stage for j in members),
                    "auc": pooled_auc(_items([j for j in members if j.case.stage == stage], "all")),
                }
                for stage in stages
            },
        }

    with_stage = [j for j in judged if j.case.kind in staged and j.case.stage]
    if with_stage and any(j.detected_stage for j in judged):
        per_kind = {}
        for kind in staged:
            members = [j for j in with_stage if j.case.kind == kind]
            per_kind[kind] = {
                **_share(sum(j.detected_stage == j.case.stage for j in members), len(members)),
                "carried": sum(j.detected_stage is not None for j in members),
            }
        result["stage_accuracy"] = {
            **_share(sum(j.detected_stage == j.case.stage for j in with_stage), len(with_stage)),
            "carried": sum(j.detected_stage is not None for j in with_stage),
            "per_kind": per_kind,
        }
    else:
        result["stage_accuracy"] = None  # the engine's reports carry no stage under --kind auto

    if misses:
        result["misses"] = {
            "praised_with_error": [_miss(j) for j in judged if j.case.positive and j.has_error],
            "criticised_unflagged": [_miss(j) for j in judged if not j.case.positive and not j.flagged],
        }
    return result


def _miss(j: Judged) -> dict[str, Any]:
    return {
        "id": j.case.id,
        "kind": j.case.kind,
        "stage": j.case.stage,
        "score": j.score,
        "rules": [f"{rule}:{severity}" for rule, severity in j.findings],
    }


# --- the sets -----------------------------------------------------------------------------


def corpus_cases(directory: Path = CORPUS_DIR) -> list[Case]:
    return [
        Case(m.id, m.kind, m.stage, m.verdict == "praised", m.template, m.text)
        for m in load_corpus(directory)
        if m.verdict in ("praised", "criticised")
    ]


def regression_cases(name: str) -> list[Case]:
    return [Case(d.id, d.kind, "", d.label == "strong", False, d.text) for d in load(SETS[name])]


# --- printing -----------------------------------------------------------------------------


def _pct(share: dict[str, Any]) -> str:
    return f"{share['count']}/{share['n']} = {share['share']:.0%}" if share["n"] else "n/a"


def _auc(value: float) -> str:
    return "  n/a" if math.isnan(value) else f"{value:.3f}"


def _ci(figure: dict[str, float]) -> str:
    return f"{_auc(figure['value'])}  [{_auc(figure['low'])}, {_auc(figure['high'])}]"


def show_corpus(result: dict[str, Any], per_kind: bool, title: str = "development corpus") -> None:
    directory = FRESH_DIR if title.startswith("untouched") else CORPUS_DIR
    print(
        f"== {title} (bench/{directory.name}: {result['n']} messages, "
        f"{result['praised']} praised / {result['criticised']} criticised) =="
    )
    print(f"({result['note']})")
    print(
        f"scores with the labelled kind and stage; 95% intervals from {RESAMPLES} bootstrap resamples "
        f"of messages (seed {SEED})"
    )
    print(f"pooled AUC                        {_ci(result['auc'])}")
    print(f"within-kind AUC                   {_ci(result['within_kind_auc'])}   (same-kind pairs, pooled)")
    print("  kind                 n  praised  criticised    AUC")
    for kind, k in result["per_kind"].items():
        print(f"  {kind:<18} {k['n']:>3}  {k['praised']:>7}  {k['criticised']:>10}  {_auc(k['auc'])}")
    for kind, s in result["within_stage_auc"].items():
        print(f"within-stage AUC: {kind:<16}{_ci(s)}   (same-stage pairs, pooled)")
        for stage, st in s["stages"].items():
            print(f"  {stage:<18} {st['n']:>3}  {_auc(st['auc'])}")
    print(
        f"praised with an error             {_pct(result['praised_with_error'])}   "
        f"(target <= {MAX_PRAISED_WITH_ERROR:.0%})"
    )
    print(
        f"criticised with warning/error     {_pct(result['criticised_flagged'])}   "
        f"(target >= {MIN_CRITICISED_FLAGGED:.0%})"
    )
    print(
        f"mean score                        praised {result['mean_score_praised']:.1f} / "
        f"criticised {result['mean_score_criticised']:.1f}"
    )
    print(f"kind detection (--kind auto)      {_pct(result['kind_accuracy'])}")
    for kind, k in result["per_kind"].items():
        print(f"  {kind:<18} {_pct(k['kind_accuracy'])}")
    stage = result["stage_accuracy"]
    if stage is None:
        print("stage detection (--kind auto)     n/a: the engine's reports carry no stage")
    else:
        print(
            f"stage detection (--kind auto)     {_pct(stage)}   ({stage['carried']} reports carry a stage; "
            "a missing stage counts as wrong)"
        )
        for kind, s in stage["per_kind"].items():
            print(f"  {kind:<18} {_pct(s)}   ({s['carried']} carry a stage)")
    if per_kind:
        print("per kind:")
        _show_per_kind(result["per_kind"], "praised", "criticised")
    if "misses" in result:
        _show_misses(result["misses"], "praised with an error", "criticised with no warning or error")


def _show_per_kind(per_kind: dict[str, Any], positive: str, negative: str) -> None:
    print(
        f"  {'kind':<18} {'n':>3}    AUC  {positive} w/ error  {negative} flagged  kind auto  "
        f"mean {positive}/{negative}"
    )
    for kind, k in per_kind.items():
        print(
            f"  {kind:<18} {k['n']:>3}  {_auc(k['auc'])}  {k['praised_with_error']['share']:>{len(positive) + 9}.0%}"
            f"  {k['criticised_flagged']['share']:>{len(negative) + 8}.0%}  {k['kind_accuracy']['share']:>9.0%}"
            f"  {k['mean_score_praised']:>5.1f} / {k['mean_score_criticised']:.1f}"
        )


def _show_misses(misses: dict[str, list[dict[str, Any]]], positive: str, negative: str) -> None:
    for key, title in (("praised_with_error", positive), ("criticised_unflagged", negative)):
        print(f"{title} ({len(misses[key])}):")
        for m in misses[key]:
            label = f"{m['kind']}/{m['stage']}" if m["stage"] else m["kind"]
            print(f"  {m['id']:<34} {label:<24} score {m['score']:>3}: {' '.join(m['rules']) or '-'}")


def show_regression(results: dict[str, dict[str, Any]], per_kind: bool) -> None:
    print("== regression: checklist-written drafts (bench/data), NOT evidence ==")
    print("written to the rules' own checklist ('tuning' was read by rule authors); a drop here flags a")
    print("regression, a high figure says nothing about real messages. strong = praised, weak = criticised.")
    print("'kind auto' here is in-sample (the kind classifier is trained on these drafts); the cross-validated")
    print("figure is printed by bench/kinds_eval.py.")
    for name, r in results.items():
        print(
            f"{name:<8} n={r['n']:>3}  AUC {_ci(r['auc'])}  within-kind {_auc(r['within_kind_auc']['value'])}  "
            f"strong with error {r['praised_with_error']['share']:.0%}  "
            f"weak with warning/error {r['criticised_flagged']['share']:.0%}  "
            f"kind auto {r['kind_accuracy']['share']:.0%}  "
            f"mean strong {r['mean_score_praised']:.0f} / weak {r['mean_score_criticised']:.0f}"
        )
        if per_kind:
            _show_per_kind(r["per_kind"], "strong", "weak")
        if "misses" in r:
            _show_misses(r["misses"], f"{name}: strong with an error", f"{name}: weak with no warning or error")


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def out_of_fold(judged: list[Judged]) -> list[Judged]:
    """The corpus judged honestly: each score with rule costs fitted without the message's fold
    (``bench/fit_weights.py``), each detected kind and stage by classifiers fitted without it
    (``bench/train_kinds.py``), and JUD001's reading by a praise model fitted without it. The
    shipped engine was fitted to the whole corpus, so its own scores, kinds, stages and
    readings here would be in-sample figures, which are never quoted."""
    from dataclasses import replace

    from bench.fit_weights import cross_validated_scores
    from bench.folds import cross_validated
    from bench.train_kinds import (
        JUDGEMENT_RULE,
        fit,
        fit_stages,
        predictor,
        reads_criticised_out_of_fold,
        stage_predictor,
    )

    scores = cross_validated_scores()
    corpus = load_corpus()
    reads_criticised = reads_criticised_out_of_fold(corpus)
    checklist = [d for path in SETS.values() for d in load(path)]
    detected = cross_validated(lambda train: fit(train, checklist), predictor, corpus, folds=5, seed=0)
    kinds = {m.id: kind for m, kind in zip(corpus, detected, strict=True)}
    # A stage is detected for the detected kind: right only when the kind is (the stages differ by kind).
    staged = [m for m in corpus if m.stage]
    stages = cross_validated(fit_stages, stage_predictor, staged, folds=5, seed=0)
    stage_of = {m.id: stage for m, stage in zip(staged, stages, strict=True)}
    return [
        replace(
            j,
            score=scores[j.case.id],
            findings=tuple(f for f in j.findings if f[0] != JUDGEMENT_RULE)
            + (((JUDGEMENT_RULE, "warning"),) if reads_criticised[j.case.id] else ()),
            detected_kind=kinds[j.case.id],
            detected_stage=stage_of.get(j.case.id) if kinds[j.case.id] == j.case.kind else None,
        )
        for j in judged
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["corpus", "fresh", "regression", "all"], default="corpus")
    parser.add_argument("--per-kind", action="store_true", help="also report every figure for each kind")
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list praised messages with an error and criticised ones with no warning or error, with rule codes",
    )
    parser.add_argument("--json", action="store_true", help="print all figures as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures: dict[str, Any] = {}
    if args.set in ("corpus", "all"):
        figures["corpus"] = evaluate(out_of_fold([judge(c) for c in corpus_cases()]), args.misses)
        figures["corpus"]["note"] = "scores, kinds and stages out of fold (5 folds by source)"
    if args.set in ("fresh", "all") and any(FRESH_DIR.glob("*.toml")):
        figures["fresh"] = evaluate([judge(c) for c in corpus_cases(FRESH_DIR)], args.misses)
        figures["fresh"]["note"] = (
            "the shipped engine, fitted to the development corpus only: out of sample as it stands"
        )
    if args.set in ("regression", "all"):
        figures["regression"] = {
            name: evaluate([judge(c) for c in regression_cases(name)], args.misses)
            for name in SETS
            if SETS[name].exists()
        }
    if args.json:
        print(json.dumps(_json_safe(figures), indent=2))
        return 0
    if "corpus" in figures:
        show_corpus(figures["corpus"], args.per_kind)
    if "fresh" in figures:
        if "corpus" in figures:
            print()
        show_corpus(figures["fresh"], args.per_kind, "untouched check set")
    if "regression" in figures:
        if "corpus" in figures or "fresh" in figures:
            print()
        show_regression(figures["regression"], args.per_kind)
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
