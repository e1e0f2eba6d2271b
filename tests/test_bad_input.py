"""Every kind of bad input, through every command that reads input: one line, exit 2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.io.read import MAX_DRAFT_BYTES

ROOT = Path(__file__).resolve().parent.parent
WEAK = str(ROOT / "examples" / "cold-email" / "weak.txt")


@pytest.fixture
def bad(tmp_path: Path) -> dict[str, str]:
    files = {
        "empty": b"",
        "whitespace": b" \n\t\r\n ",
        "image": b"\x89PNG\r\n\x1a\n" + bytes(300),
        "binary": bytes(range(256)) * 4,
        "oversized": b"a word " * (MAX_DRAFT_BYTES // 7 + 10),
        "utf16-bad": b"\xff\xfe\x00\xd8",  # a BOM, then a lone surrogate
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        paths[name] = str(path)
    paths["folder-as-file"] = str(tmp_path)
    paths["missing"] = str(tmp_path / "nope.txt")
    return paths


CASES = ["empty", "whitespace", "image", "binary", "oversized", "utf16-bad", "missing"]


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: error:"), result.output
    return lines[0]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", [["critique"], ["rewrite", "--offline"]])
def test_a_bad_draft_file(bad, case, command):
    one_line_error(CliRunner().invoke(cli, [*command, bad[case]]))


@pytest.mark.parametrize("command", [["critique"], ["rewrite", "--offline"]])
def test_empty_stdin(command):
    one_line_error(CliRunner().invoke(cli, [*command, "-"], input=""))


# An empty config file is a valid, empty configuration: only --notes refuses one.
@pytest.mark.parametrize(
    ("option", "case"),
    [
        (["--notes"], "folder-as-file"),
        (["--notes"], "missing"),
        (["--notes"], "empty"),
        (["--config"], "folder-as-file"),
        (["--config"], "missing"),
    ],
    ids=["notes-folder", "notes-missing", "notes-empty", "config-folder", "config-missing"],
)
def test_a_bad_side_file(bad, option, case):
    line = one_line_error(CliRunner().invoke(cli, ["critique", *option, bad[case], WEAK]))
    assert bad[case] in line


def test_output_to_a_folder_is_refused_and_nothing_is_lost(tmp_path):
    line = one_line_error(CliRunner().invoke(cli, ["critique", "--format", "jsonl", "--output", str(tmp_path), WEAK]))
    assert str(tmp_path) in line


def test_unknown_kind_and_unknown_rule_name_the_bad_value():
    assert "poem" in one_line_error(CliRunner().invoke(cli, ["critique", "--kind", "poem", WEAK]))
    assert "XYZ123" in one_line_error(CliRunner().invoke(cli, ["critique", "--ignore", "XYZ123", WEAK]))
    assert "XYZ123" in one_line_error(CliRunner().invoke(cli, ["explain", "XYZ123"]))


def test_unknown_command_and_option_are_one_line_usage_errors():
    one_line_error(CliRunner().invoke(cli, ["critiq"]))
    one_line_error(CliRunner().invoke(cli, ["critique", "--colour", WEAK]))


def test_non_english_drafts_get_a_notice_and_no_nonsense(tmp_path):
    german = tmp_path / "de.txt"
    german.write_text(
        "Betreff: Ihr Vortrag\n\nHallo Frau Schmidt,\n\nIhr Vortrag über Kältelogistik hat mir sehr geholfen. "
        "Hätten Sie nächste Woche fünfzehn Minuten Zeit für zwei Fragen?\n\nViele Grüße\nSam",
        encoding="utf-8",
    )
    report = json.loads(CliRunner().invoke(cli, ["critique", "--format", "json", str(german)]).stdout)
    assert any("English" in n for n in report["notices"])
    assert report["findings"] == []


# --- tables: a wrong field name is one mistake, said once ---


def test_a_wrong_text_field_is_one_error_naming_the_fields_found(tmp_path):
    table = tmp_path / "drafts.jsonl"
    table.write_text(
        "\n".join(json.dumps({"name": f"r{i}", "body": "Hi Maya, a question. Sam"}) for i in range(49)) + "\n"
    )
    for command in (["critique"], ["rewrite", "--offline"]):
        args = [*command, "--input-format", "jsonl", "--text-field", "text", str(table)]
        line = one_line_error(CliRunner().invoke(cli, args))
        assert f"{table}: no row has a 'text' field (fields found: 'name', 'body')" in line
        assert "--text-field" in line and line.count(str(table)) == 1


def test_a_wrong_id_or_kind_field_and_a_csv_header_are_checked_too(tmp_path):
    table = tmp_path / "drafts.csv"
    table.write_text('name,body\nr1,"Hi Maya, a question. Sam"\n')
    base = ["critique", "--input-format", "csv", "--text-field", "body", str(table)]
    assert "--id-field" in one_line_error(CliRunner().invoke(cli, [*base, "--id-field", "id"]))
    assert "'kind'" in one_line_error(CliRunner().invoke(cli, [*base, "--kind-field", "kind"]))
    line = one_line_error(CliRunner().invoke(cli, ["critique", "--input-format", "csv", str(table)]))
    assert "fields found: 'name', 'body'" in line


def test_an_empty_table_is_one_error(tmp_path):
    table = tmp_path / "empty.jsonl"
    table.write_text("\n")
    assert "no rows" in one_line_error(CliRunner().invoke(cli, ["critique", "--input-format", "jsonl", str(table)]))


def test_a_row_missing_the_field_others_have_gets_its_own_record(tmp_path):
    table = tmp_path / "drafts.jsonl"
    table.write_text('{"text": "Hi Maya, would you have 15 minutes next week? Sam"}\n{"body": "Hi"}\n')
    result = CliRunner().invoke(cli, ["critique", "--input-format", "jsonl", str(table)])
    assert result.exit_code == 4
    assert f"{table}:2: error: this row has no 'text' field" in result.stdout


def test_error_records_in_text_name_the_draft_once(tmp_path):
    result = CliRunner().invoke(cli, ["critique", WEAK, str(tmp_path / "gone.txt")])
    assert result.exit_code == 4
    assert f"{tmp_path / 'gone.txt'}: error: no such file. check the path." in result.stdout
    assert result.stdout.count(str(tmp_path / "gone.txt")) == 1
