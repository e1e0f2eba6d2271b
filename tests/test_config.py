"""Configuration: discovery, rule switches, thresholds, and errors that name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.rules.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
WEAK = ROOT / "examples" / "cold-email" / "weak.txt"


def critique_json(*args):
    result = CliRunner().invoke(cli, ["critique", "--format", "json", *map(str, args)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def codes(report):
    return {f["rule"] for f in report["findings"]}


def test_dot_coach_toml_is_found_upwards(tmp_path, monkeypatch):
    (tmp_path / ".coach.toml").write_text('ignore = ["HYG001"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert "HYG001" not in codes(critique_json(WEAK))


def test_user_config_dir_is_the_last_resort(tmp_path, monkeypatch):
    user = tmp_path / "xdg" / "coach"
    user.mkdir(parents=True)
    (user / "config.toml").write_text('fail-on = "never"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_settings().fail_on == "never"
    assert CliRunner().invoke(cli, ["critique", str(WEAK)]).exit_code == 0


def test_thresholds_severities_and_per_kind_switches(tmp_path):
    config = tmp_path / "coach.toml"
    config.write_text(
        """
[severity]
HYG001 = "suggestion"

[kinds.cold-email]
ignore = ["LEN"]

[rules.LEN001]
max = 60

[score]
suggestion = 1
"""
    )
    report = critique_json("--config", config, WEAK)
    placeholder = [f for f in report["findings"] if f["rule"] == "HYG001"]
    assert placeholder and placeholder[0]["severity"] == "suggestion"
    assert not any(c.startswith("LEN") for c in codes(report))
    assert all(item["cost"] == 1 for item in report["breakdown"] if item["severity"] == "suggestion")
    note = tmp_path / "note.txt"
    note.write_text("Hi Maya, your talk on ranking for small catalogues was the clearest I have seen. Sam Lee")
    assert "LEN001" in codes(critique_json("--config", config, "--kind", "connection-note", note))


@pytest.mark.parametrize(
    "content,needle,line",
    [
        ("kind = \n", "TOML", None),
        ('colour = "red"\n', "unknown setting 'colour'", 1),
        ('\n\nignore = ["NOPE123"]\n', "NOPE123", 3),
        ('fail-on = "sometimes"\n', "fail-on", 1),
        ("[rules.LEN001]\nmaximum = 3\n", "no setting 'maximum'", 1),
        ("[kinds.love-letter]\nignore = []\n", "love-letter", 1),
        ('[severity]\n"HYG001" = "fatal"\n', "severity", 2),
    ],
)
def test_bad_config_is_exit_2_naming_file_and_line(tmp_path, content, needle, line):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    result = CliRunner().invoke(cli, ["critique", "--config", str(config), str(WEAK)])
    assert result.exit_code == 2
    assert needle in result.output and str(config) in result.output
    if line:
        assert f"{config}:{line}:" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_config_file_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["critique", "--config", str(tmp_path / "none.toml"), str(WEAK)])
    assert result.exit_code == 2 and "not found" in result.output
