"""The built wheel carries its package data (rules, guidance, prompts, templates, the page) and runs anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stderr[-2000:]}")
    return next(out.glob("coach-*.whl"))


def test_wheel_contains_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [
        *(ROOT / "coach" / "rules" / "records").glob("*.toml"),
        *(ROOT / "coach" / "guidance").glob("*.md"),
        *(ROOT / "coach" / "llm" / "prompts").glob("*.j2"),
        *(ROOT / "coach" / "compose" / "templates").glob("*.j2"),
        *(ROOT / "coach" / "web" / "static").glob("*.*"),
    ]
    assert len(data) >= 35  # the globs find the data where it lives
    assert {p.relative_to(ROOT).as_posix() for p in data} <= names
    assert {"coach/cli/__init__.py", "coach/py.typed", "coach/rules/_generated.py"} <= names


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    draft = (ROOT / "examples" / "cold-email" / "weak.txt").read_text(encoding="utf-8")
    probe = "import coach, sys; print(coach.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert where.stdout.strip().startswith(str(site))
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "critique", "--format", "json", "-"],
        cwd=elsewhere,
        env=env,
        input=draft,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"]
    guide = subprocess.run(
        [sys.executable, "-m", "coach", "guide", "blurb"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert guide.stdout.startswith("# ")
