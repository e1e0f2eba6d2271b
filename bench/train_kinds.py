"""Train the kind, stage and praise models shipped as coach/text/_kind_model.py,
_stage_model.py and _praise_model.py.

    python bench/train_kinds.py          # fit all three on the development data, write the modules

Each model is a multinomial logistic regression over binary features, fitted by stochastic
gradient descent with L2 shrinkage; features seen in fewer than two training messages are
dropped. The kind model reads ``coach.text.classify.features`` (words, kind-cue hits, shape)
of the corpus and the checklist drafts; the stage model reads ``stage_features`` (words,
shape, stage-cue hits) of the corpus messages that have a stage. Their accuracy on the
corpus is measured only out-of-fold by ``bench/kinds_eval.py``. The praise model reads
``praise_features`` (words and shape, tagged with the labelled kind, and the template flag)
of the corpus messages and their sources' verdicts; rule JUD001 fires on a low chance, and
``bench/quality.py`` and ``bench/fit_weights.py`` judge each corpus message with a praise
model fitted without the message's fold (``praise_out_of_fold``).
"""

from __future__ import annotations

import array
import base64
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import load_corpus
from bench.labelled import SETS, load
from coach.text.classify import Model, features, praise_chance, praise_features, scores, stage_features
from coach.text.kinds import (
    ALL_STAGES,
    KINDS,
    STAGES,
    combine,
    length_prior,
    rank_stages,
    read_signals,
    read_stage_signals,
)
from coach.text.parse import parse

OUT = Path(__file__).resolve().parent.parent / "coach" / "text" / "_kind_model.py"
STAGE_OUT = OUT.with_name("_stage_model.py")
PRAISE_OUT = OUT.with_name("_praise_model.py")
# The praise model is shrunk harder than the kind model, so that words marking a verdict in
# one writer's messages carry less alone; its cross-validated AUC on the corpus is flat from
# 1e-3 to 1e-2 (0.956-0.959), and this is the middle of that range.
PRAISE_L2 = 3e-3
JUDGEMENT_RULE = "JUD001"  # the rule that reads the praise model
EPOCHS = 10
RATE = 0.2
L2 = 1e-3
MIN_DF = 2
DIGITS = 3

_cache: dict[str, set[str]] = {}
_votes: dict[str, tuple[dict[str, int], float]] = {}


def featurise(text: str) -> set[str]:
    found = _cache.get(text)
    if found is None:
        draft = parse(text)
        found = _cache[text] = features(draft, read_signals(draft))
    return found


def fit(messages: Sequence[Any], extra: Sequence[Any] = (), seed: int = 0) -> Model:
    """Fit the kind model on ``messages`` and ``extra`` (anything with ``.text`` and ``.kind``)."""
    return fit_rows([(featurise(m.text), KINDS.index(m.kind)) for m in [*messages, *extra]], KINDS, seed)


_stage_cache: dict[tuple[str, str], tuple[set[str], dict[str, tuple[int, str]]]] = {}


def stage_signals(text: str, kind: str) -> tuple[set[str], dict[str, tuple[int, str]]]:
    """The stage features and the stage cues' scores of ``text`` read as ``kind`` (cached)."""
    found = _stage_cache.get((text, kind))
    if found is None:
        draft = parse(text)
        signals = read_stage_signals(draft, kind)
        found = _stage_cache[text, kind] = (stage_features(draft, signals.fired), signals.scores)
    return found


def fit_stages(messages: Sequence[Any], seed: int = 0) -> Model:
    """Fit the stage model on the ``messages`` that have a stage (``.text``, ``.kind``, ``.stage``)."""
    staged = [m for m in messages if m.stage]
    return fit_rows([(stage_signals(m.text, m.kind)[0], ALL_STAGES.index(m.stage)) for m in staged], ALL_STAGES, seed)


def stage_predictor(model: Model, message: Any) -> str:
    """The stage ``detect_stage`` gives ``message`` (read as its labelled kind) with ``model`` shipped."""
    found, cue_scores = stage_signals(message.text, message.kind)
    return rank_stages(STAGES[message.kind], cue_scores, scores(model, found))


_praise_cache: dict[tuple[str, str, bool], set[str]] = {}


def praise_signals(message: Any) -> set[str]:
    """The praise model's features of ``message`` read as its labelled kind (cached)."""
    key = (message.text, message.kind, bool(message.template))
    found = _praise_cache.get(key)
    if found is None:
        found = _praise_cache[key] = praise_features(parse(message.text), message.kind, bool(message.template))
    return found


def fit_praise(messages: Sequence[Any], seed: int = 0) -> Model:
    """Fit the praise model on ``messages`` (``.text``, ``.kind``, ``.template``, ``.verdict``)."""
    rows = [(praise_signals(m), 1 if m.verdict == "praised" else 0) for m in messages]
    return fit_rows(rows, ("criticised", "praised"), seed, l2=PRAISE_L2)


def praise_out_of_fold(messages: Sequence[Any], folds: int = 5) -> dict[str, float]:
    """Each message's chance of praise under a praise model fitted without its fold."""
    from bench.folds import cross_validated

    def chance(model: Model, message: Any) -> float:
        read = praise_chance(parse(message.text), message.kind, bool(message.template), model)
        assert read is not None
        return read[0]

    return dict(
        zip((m.id for m in messages), cross_validated(fit_praise, chance, messages, folds=folds, seed=0), strict=True)
    )


def reads_criticised_out_of_fold(messages: Sequence[Any]) -> dict[str, bool]:
    """Whether rule JUD001 fires on each message when the praise model is fitted without the
    message's fold (the shipped model has seen every corpus message)."""
    from coach.rules.catalogue import all_rules
    from coach.rules.schema import MetricParams

    params = next(r.params for r in all_rules() if r.code == JUDGEMENT_RULE)
    assert isinstance(params, MetricParams) and params.min is not None
    limit = float(params.min)
    return {key: round(100 * chance) < limit for key, chance in praise_out_of_fold(messages).items()}


def fit_rows(
    data: Sequence[tuple[set[str], int]], classes: tuple[str, ...], seed: int = 0, l2: float | None = None
) -> Model:
    """A multinomial logistic regression of the class indices on the feature sets of ``data``."""
    df = Counter(f for found, _ in data for f in found)
    vocabulary = {f for f, n in df.items() if n >= MIN_DF}
    rows = [([f for f in found if f in vocabulary], y) for found, y in data]
    k = len(classes)
    weights: dict[str, list[float]] = {f: [0.0] * k for f in vocabulary}
    bias = [0.0] * k
    # Balance the classes: each weighs as much as the others in total.
    counts = Counter(y for _, y in rows)
    balance = [len(rows) / (k * counts[y]) if counts[y] else 0.0 for y in range(k)]
    rng = random.Random(seed)
    order = list(range(len(rows)))
    step = 0
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch * 0.2)
        for i in order:
            found, y = rows[i]
            logits = bias[:]
            for f in found:
                row = weights[f]
                for j in range(k):
                    logits[j] += row[j]
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            total = sum(exps)
            grad = [e / total for e in exps]
            grad[y] -= 1.0
            g = [rate * balance[y] * v for v in grad]
            for j in range(k):
                bias[j] -= g[j]
            shrink = 1 - rate * (L2 if l2 is None else l2)
            for f in found:
                row = weights[f]
                for j in range(k):
                    row[j] = row[j] * shrink - g[j]
            step += 1
    kept = {f: tuple(round(w, DIGITS) for w in row) for f, row in weights.items() if max(abs(w) for w in row) >= 0.01}
    return Model(classes, tuple(round(b, DIGITS) for b in bias), kept)


def cues_of(text: str) -> tuple[dict[str, int], float]:
    """The cues' points per kind and the short-note prior of ``text`` (cached)."""
    found = _votes.get(text)
    if found is None:
        draft = parse(text)
        found = _votes[text] = (read_signals(draft).votes, length_prior(draft))
    return found


def predictor(model: Model, message: Any) -> str:
    """The kind ``detect_kind`` gives ``message`` with ``model`` shipped: the model's
    log-probability plus the cues' weighted points (see ``coach.text.kinds.combine``)."""
    return judged(model, message)[0]


def judged(model: Model, message: Any) -> tuple[str, bool, dict[str, float]]:
    """(kind, unsure, the model's own probabilities) as ``detect_kind`` would give them."""
    votes, prior = cues_of(message.text)
    probabilities = scores(model, featurise(message.text))
    ranked, unsure = combine(votes, probabilities, prior)
    return ranked[0][1], unsure, probabilities


def write(model: Model, path: Path = OUT, what: str = "kind") -> int:
    """Write ``model`` as a Python module of three strings: the features (one a line), and their
    weights in thousandths as little-endian 16-bit integers, base64-encoded, class by class
    within a feature. It imports and unpacks in a few milliseconds, bytecode cache or not."""
    features = sorted(model.weights)
    if any("\n" in f or '"""' in f or "\\" in f for f in features):
        raise ValueError("a feature cannot be written into the model module")
    packed = array.array("h", (max(-32768, min(32767, round(w * 1000))) for f in features for w in model.weights[f]))
    if sys.byteorder != "little":
        packed.byteswap()
    encoded = base64.b64encode(packed.tobytes()).decode("ascii")
    lines = [
        f'"""Generated by bench/train_kinds.py: do not edit. The {what} model of coach.text.classify."""',
        "",
        f"CLASSES: tuple[str, ...] = ({', '.join(f'{c!r}'.replace(chr(39), chr(34)) for c in model.classes)})",
        f"BIAS: tuple[float, ...] = {model.bias!r}",
        "# The features, one a line; WEIGHTS holds len(CLASSES) weights for each, in thousandths, as",
        "# little-endian int16, base64-encoded.",
        'FEATURES = """\\',
        *features,
        '"""',
        "WEIGHTS = (",
        *(f'    "{encoded[i : i + 100]}"' for i in range(0, len(encoded), 100)),
        ")",
        "",
    ]
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main() -> int:
    corpus = load_corpus()
    checklist = [d for path in SETS.values() for d in load(path)]
    staged = sum(bool(m.stage) for m in corpus)
    jobs: list[tuple[str, Callable[[], Model], Path, str]] = [
        (
            f"kinds: {len(corpus)} corpus messages and {len(checklist)} checklist drafts",
            lambda: fit(corpus, checklist),
            OUT,
            "kind",
        ),
        (f"stages: {staged} corpus messages", lambda: fit_stages(corpus), STAGE_OUT, "stage"),
        (f"praise: {len(corpus)} corpus messages", lambda: fit_praise(corpus), PRAISE_OUT, "praise"),
    ]
    for trained_on, fit_model, path, what in jobs:
        started = time.perf_counter()
        model = fit_model()
        size = write(model, path, what)
        print(
            f"{trained_on}, trained in {time.perf_counter() - started:.1f}s: "
            f"{len(model.weights)} features, {size / 1024:.0f} KiB -> {path}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
