"""The development corpus (bench/corpus) is well formed, and the bench's statistics are right."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.corpus import (
    FRESH_DIR,
    HELDOUT_SOURCES,
    KINDS,
    STAGES,
    Message,
    load_corpus,
    read_heldout,
    separation,
    validate,
)
from bench.folds import assign_folds, cross_validated, source_key
from bench.stats import auc, bootstrap, grouped_auc, pooled_auc, quantile


@pytest.fixture(scope="module")
def corpus() -> list[Message]:
    return load_corpus()


def test_corpus_has_no_problems(corpus: list[Message]) -> None:
    # The held-out check runs when ../shared/heldout_sources.txt exists, and is skipped otherwise.
    assert validate(corpus) == []


def test_corpus_covers_every_kind_stage_and_verdict(corpus: list[Message]) -> None:
    seen = Counter((m.kind, m.stage, m.verdict) for m in corpus)
    for kind in KINDS:
        for stage in STAGES[kind] or ("",):
            for verdict in ("praised", "criticised"):
                assert seen[kind, stage, verdict] > 0, (kind, stage, verdict)


def test_the_untouched_set_is_well_formed_and_apart_from_the_development_corpus(corpus: list[Message]) -> None:
    fresh = load_corpus(FRESH_DIR)
    assert len(fresh) >= 100
    assert validate(fresh) == []
    assert separation(corpus, fresh) == []
    assert {m.kind for m in fresh} == set(KINDS)
    assert sum(m.verdict == "criticised" for m in fresh) >= len(fresh) // 3


def test_separation_names_a_shared_id_and_a_shared_page() -> None:
    development = [_message(id="a-1", source="https://example.org/guide")]
    fresh = [_message(id="a-1", source="https://example.org/other"), _message(id="b-1")]
    assert separation(development, fresh) == [
        ": a-1: the id is also in the development corpus",
        ": b-1: modelled on a page the development corpus uses (https://example.org/guide)",
    ]


def _message(**changes: object) -> Message:
    base = Message(
        id="x-1",
        kind="cold-email",
        stage="",
        verdict="praised",
        origin="modelled",
        source="https://example.org/guide",
        source_says="a model",
        template=False,
        channel="email",
        embedded="",
        text="Hi Ana, would 15 minutes next week work?",
    )
    return replace(base, **changes)


def test_validate_reports_each_problem(tmp_path: Path) -> None:
    heldout = tmp_path / "heldout_sources.txt"
    heldout.write_text("# comment\nheld.example\ngithub.com/Owner/Repo\n", encoding="utf-8")
    messages = [
        _message(),
        _message(),  # duplicate id
        _message(id="x-2", kind="memo"),
        _message(id="x-3", stage="nudge"),
        _message(id="x-4", kind="follow-up", stage=""),
        _message(id="x-5", kind="connector-intro", stage="nudge"),
        _message(id="x-6", verdict="fine", origin="found", channel="fax"),
        _message(id="x-7", text="  \n"),
        _message(id="x-8", source=""),
        _message(id="x-9", source="example.org/page"),
        _message(id="x-10", source="https://blog.held.example/post"),
        _message(id="x-11", source="https://github.com/owner/repo/blob/main/a.md"),
        _message(id="x-12", origin="shape", source=""),
        _message(id="x-13", kind="follow-up", stage="thanks"),
    ]
    problems = validate(messages, heldout)
    joined = "\n".join(problems)
    assert "x-1: duplicate id" in joined
    assert "x-2: unknown kind 'memo'" in joined
    assert "x-3: stage 'nudge' given, but cold-email has no stages" in joined
    assert "x-4: stage '' is not one of follow-up's" in joined
    assert "x-5: stage 'nudge' is not one of connector-intro's" in joined
    for bad in ("verdict 'fine'", "origin 'found'", "channel 'fax'"):
        assert f"x-6: unknown {bad}" in joined
    assert "x-7: empty text" in joined
    assert "x-8: modelled, but its source is not an http(s) URL" in joined
    assert "x-9: modelled, but its source is not an http(s) URL" in joined
    assert "x-10: source https://blog.held.example/post is from a held-out source (held.example)" in joined
    assert "x-11: source" in joined and "(github.com/owner/repo)" in joined
    assert not any(p.startswith(("x-12:", "x-13:")) for p in problems)
    assert len(problems) == 13
    # Without the file (or with None), the held-out check is skipped and nothing else changes.
    assert len(validate(messages, tmp_path / "absent.txt")) == 11
    assert len(validate(messages, None)) == 11


def test_heldout_entries_cover_domains_subdomains_and_repositories(tmp_path: Path) -> None:
    path = tmp_path / "heldout_sources.txt"
    path.write_text("# Sources\n\nheld.example\ngithub.com/someone/site\n", encoding="utf-8")
    held = read_heldout(path)
    assert held is not None
    assert held.covers("https://held.example/a") == "held.example"
    assert held.covers("http://www.held.example/a?b=1") == "held.example"
    assert held.covers("https://deep.sub.held.example/") == "held.example"
    assert held.covers("https://notheld.example/a") is None
    assert held.covers("https://held.example.org/a") is None
    assert held.covers("https://github.com/Someone/Site/blob/abc/x.md") == "github.com/someone/site"
    assert held.covers("https://raw.githubusercontent.com/someone/site/main/x.md") == "github.com/someone/site"
    assert held.covers("https://someone.github.io/site/post") == "github.com/someone/site"
    assert held.covers("https://github.com/someone/other") is None
    assert held.covers("https://github.com/someone") is None
    assert read_heldout(tmp_path / "absent.txt") is None


@pytest.mark.skipif(not HELDOUT_SOURCES.exists(), reason="no shared held-out source list here")
def test_the_shared_heldout_list_reads() -> None:
    held = read_heldout()
    assert held is not None and held.domains and held.repos


# --- AUC and the bootstrap --------------------------------------------------------------------


def test_auc_by_hand() -> None:
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([1, 2], [3, 4]) == 0.0
    assert auc([1, 1], [1, 1]) == 0.5  # all ties count half
    # (2,1) win, (2,2) tie, (3,1) win, (3,2) win: 3.5 of 4 pairs.
    assert auc([2, 3], [1, 2]) == 0.875
    assert auc([5], [5, 1, 9]) == pytest.approx(1.5 / 3)
    assert math.isnan(auc([], [1]))
    assert math.isnan(auc([1], []))


def test_within_group_auc_only_compares_pairs_of_a_group() -> None:
    items = [("a", 2, True), ("a", 1, False), ("b", 0, True), ("b", 5, False)]
    # Within: a's one pair is a win, b's one pair a loss: 1 of 2.
    assert grouped_auc(items) == 0.5
    # Pooled: positives 2, 0 against negatives 1, 5: only (2, 1) is a win.
    assert pooled_auc(items) == 0.25
    # Pairs are pooled across groups, not group AUCs averaged: a has 4 pairs (all wins), b has 1 (a loss).
    items = [("a", 9, True), ("a", 9, True), ("a", 1, False), ("a", 1, False), ("b", 0, True), ("b", 5, False)]
    assert grouped_auc(items) == 0.8
    assert math.isnan(grouped_auc([("a", 1, True), ("b", 0, False)]))


def test_quantile_interpolates() -> None:
    assert quantile([0, 10], 0.25) == 2.5
    assert quantile([3, 1, 2], 0.5) == 2
    assert quantile([7], 0.975) == 7
    assert math.isnan(quantile([], 0.5))


def test_bootstrap_by_hand() -> None:
    def mean(sample: list[float]) -> float:
        return sum(sample) / len(sample)

    # Every resample of identical items has the same mean.
    assert bootstrap(mean, [4.0, 4.0, 4.0]) == (4.0, 4.0)
    # Resamples of [0, 1] have mean 0, 0.5 or 1 with chances 1/4, 1/2, 1/4: the 2.5% and 97.5% points are 0 and 1.
    assert bootstrap(mean, [0.0, 1.0]) == (0.0, 1.0)
    # A perfectly separated set stays separated in every resample that has both classes; the others
    # (NaN) are left out rather than counted.
    items = [(None, 9, True), (None, 1, False)]
    assert bootstrap(pooled_auc, items) == (1.0, 1.0)
    assert all(math.isnan(v) for v in bootstrap(pooled_auc, [(None, 1, True)]))  # never both classes


def test_bootstrap_draws_the_stated_number_of_resamples_with_a_fixed_seed() -> None:
    calls: list[int] = []

    def record(sample: list[int]) -> float:
        calls.append(len(sample))
        return float(sum(sample))

    data = list(range(10))
    first = bootstrap(record, data, resamples=2000, seed=7)
    assert calls == [10] * 2000
    assert bootstrap(record, data, resamples=2000, seed=7) == first
    low, high = first
    assert 0 <= low < sum(data) < high <= 90


# --- cross-validation ---------------------------------------------------------------------------


def _recorder_predictions(messages: list, folds: int = 5, seed: int = 0) -> tuple[list[frozenset[str]], int]:
    fits: list[frozenset[str]] = []

    def fit(train: list) -> frozenset[str]:
        seen = frozenset(m.id for m in train)
        fits.append(seen)
        return seen

    def predict(model: frozenset[str], message: object) -> frozenset[str]:
        assert message.id not in model, f"{message.id} predicted by a model that saw it"
        return model

    return cross_validated(fit, predict, messages, folds=folds, seed=seed), len(fits)


def test_cross_validated_never_predicts_a_message_with_a_model_that_saw_it(corpus: list[Message]) -> None:
    predictions, fits = _recorder_predictions(corpus)
    assert fits == 5
    assert all(p is not None for p in predictions)
    by_source: dict[str, set[str]] = defaultdict(set)
    for m in corpus:
        if source_key(m):
            by_source[source_key(m)].add(m.id)
    for m, seen in zip(corpus, predictions, strict=True):
        assert m.id not in seen
        # Near-duplicates (same source) are never in the training set of a message they share a source with.
        if source_key(m):
            assert not by_source[source_key(m)] & seen
        # Everything outside the message's own fold was trained on.
        assert len(seen) >= len(corpus) - len(corpus) // 5 - 10


def test_folds_are_stratified_grouped_and_deterministic(corpus: list[Message]) -> None:
    folds = assign_folds(corpus, 5, seed=0)
    assert folds == assign_folds(corpus, 5, seed=0)
    strata = Counter((m.kind, m.verdict) for m in corpus)
    for stratum, total in strata.items():
        per_fold = Counter(f for m, f in zip(corpus, folds, strict=True) if (m.kind, m.verdict) == stratum)
        assert max(abs(per_fold[f] - total / 5) for f in range(5)) <= 3, (stratum, per_fold)
    fold_of_source: dict[str, set[int]] = defaultdict(set)
    for m, f in zip(corpus, folds, strict=True):
        if source_key(m):
            fold_of_source[source_key(m)].add(f)
    assert all(len(fs) == 1 for fs in fold_of_source.values())


def test_cross_validated_works_on_plain_objects_and_groups_github_by_repository() -> None:
    messages = [
        SimpleNamespace(id=f"d{i}", kind="cold-email" if i % 2 else "blurb", label="strong" if i % 3 else "weak")
        for i in range(20)
    ]
    messages += [
        SimpleNamespace(id=f"g{i}", kind="blurb", verdict="praised", source=f"https://github.com/o/r/blob/c{i}/f{i}.md")
        for i in range(3)
    ]
    predictions, fits = _recorder_predictions(messages, folds=4, seed=3)
    assert fits == 4
    github = [p for m, p in zip(messages, predictions, strict=True) if m.id.startswith("g")]
    assert all(not {"g0", "g1", "g2"} & seen for seen in github)
    with pytest.raises(ValueError):
        assign_folds(messages, folds=1)


def test_the_second_annotators_kinds_name_corpus_messages_and_real_kinds():
    from bench.kinds_eval import read_agreement
    from coach.text.kinds import KINDS

    second = read_agreement()
    ids = {m.id for m in load_corpus()}
    assert len(second) >= 200 and set(second) <= ids
    assert all(kind in KINDS for kind, _ in second.values())
