"""Model configuration: flags over environment over the [llm] table; mistakes name the file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coach.app.model import resolve_model
from coach.cli import cli
from coach.errors import ConfigError, redact
from coach.llm.settings import DEFAULT_MODEL, resolve
from coach.rules.config import load_settings


def test_nothing_configured_means_rules_only():
    assert resolve({}, None, environ={}) is None


def test_precedence_flags_then_environment_then_table():
    table = {"model": "from-table", "base_url": "http://table/v1", "timeout": 5}
    env = {"COACH_MODEL": "from-env", "OPENAI_BASE_URL": "http://env/v1/"}
    s = resolve(table, "x.toml", model="from-flag", base_url=None, environ=env)
    assert s.model == "from-flag" and s.base_url == "http://env/v1" and s.timeout == 5
    s = resolve(table, "x.toml", environ={})
    assert s.model == "from-table" and s.base_url == "http://table/v1" and s.api_key is None
    s = resolve({}, None, environ={"OPENAI_API_KEY": "sk-abc12345678"})
    assert s.model == DEFAULT_MODEL and s.base_url is None and s.endpoint == "https://api.openai.com/v1"
    assert "sk-abc" not in repr(s) and "api_key" not in s.model_dump()


def test_no_cache_flag_wins_over_the_table():
    assert resolve({"cache": True}, None, base_url="http://x/v1", no_cache=True, environ={}).cache is False


@pytest.mark.parametrize(
    "table,needle",
    [({"timeout": -1}, "timeout"), ({"max_attempts": "many"}, "max_attempts"), ({"temperature": 9}, "temperature")],
)
def test_bad_llm_values_name_the_file_and_key(table, needle):
    with pytest.raises(ConfigError, match=needle) as info:
        resolve(table, "team.toml", base_url="http://x/v1", environ={})
    assert "team.toml" in str(info.value)


def test_unknown_llm_key_is_a_config_error_even_offline(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[llm]\nmodle = 'x'\n")
    result = CliRunner().invoke(cli, ["critique", "--offline", "--config", str(config), "-"], input="Hi Maya")
    assert result.exit_code == 2 and "modle" in result.output and f"{config}:2:" in result.output


def test_base_url_in_the_config_turns_the_model_on(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text("[llm]\nbase_url = 'http://127.0.0.1:9/v1'\nmodel = 'local'\n")
    settings = load_settings(str(config))
    llm = resolve_model(settings)
    assert llm is not None and llm.model == "local"
    assert resolve_model(settings, offline=True) is None


def test_redact_hides_the_key_and_key_shaped_strings(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "custom-secret-value")
    assert redact("bad key custom-secret-value and sk-proj-ABCDEFGH12345") == "bad key *** and ***"
