"""The examples in examples/ against their stored reports (golden files).

Run with COACH_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change,
then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.rules.engine import Options, critique_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.txt"))


def report_for(path: Path) -> dict:
    options = Options(template=path.stem == "template")
    text = path.read_bytes().decode("utf-8")
    return critique_text(text, options, path=path.relative_to(ROOT).as_posix()).to_dict()


def test_every_kind_has_a_weak_and_a_strong_example():
    kinds = {p.parent.name for p in EXAMPLES}
    for kind in kinds:
        assert (ROOT / "examples" / kind / "weak.txt").exists()
        assert (ROOT / "examples" / kind / "strong.txt").exists()
    assert len(kinds) == 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_matches_its_golden_report(path):
    golden = path.with_suffix(".expected.json")
    report = report_for(path)
    if os.environ.get("COACH_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {path}; run with COACH_UPDATE_GOLDEN=1"
    assert report == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_kind_is_detected_and_strong_beats_weak(path):
    report = report_for(path)
    assert report["kind"] == path.parent.name
    if path.stem == "strong":
        weak = report_for(path.with_name("weak.txt"))
        assert report["score"] > weak["score"]
        assert not any(f["severity"] == "error" for f in report["findings"])
