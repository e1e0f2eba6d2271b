"""``coach plan``: reading LinkedIn's export, matching, ranking, readiness and the next commands."""

from __future__ import annotations

import codecs
import json
import shlex
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
import respx
from click.testing import CliRunner

from coach.cli import cli
from coach.plan import clock
from coach.plan.build import PlanInputs, build_plan
from coach.plan.candidates import Candidate, load_candidates
from coach.plan.commands import shell_quote
from coach.plan.connections import parse_connections, parse_date, read_connections
from coach.plan.functions import in_function, role_function
from coach.plan.orgs import match_org
from coach.plan.scoring import WEIGHTS, score
from coach.plan.target import parse_target

DATA = Path(__file__).resolve().parent / "data" / "connections"
LINKEDIN = DATA / "linkedin.csv"
VARIANT = DATA / "variant.csv"
TODAY = date(2026, 11, 1)
MAYA = "Maya Chen, VP of Engineering at Northwind"
JANE = "Jane Park; tie=weak; knows-target=well; last-contact=2026-03; given-before=no; met=at PyData Lisbon"
SAM = "Sam Lee; tie=close; knows-target=somewhat; last-contact=2026-10; given-before=no"
# The options `coach compose` takes: the plan's commands may use no others.
COMPOSE_OPTIONS = {
    "--me", "--target", "--connector", "--why", "--offer", "--ask", "--met", "--relationship", "--topic",
    "--days-since", "--name",
}  # fmt: skip
RELATIONSHIPS = {"recent", "acquaintance", "in-between", "close"}


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch):
    """Every plan is made on the same day, and never at a terminal unless a test says so."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr("coach.cli.plan.is_interactive", lambda: False)


def run(*args, input=None):
    return CliRunner().invoke(cli, ["plan", *[str(a) for a in args]], input=input)


def plan_json(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def plan_of(target=MAYA, **kw):
    return build_plan(PlanInputs(target=target, **kw), today=TODAY)


# --- Connections.csv ---------------------------------------------------------------------------


def test_linkedin_export_is_read_as_it_comes():
    book = read_connections(str(LINKEDIN))
    assert book.header_line == 4  # after three lines of notes
    assert list(book.columns.values()) == [
        "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
    ]  # fmt: skip
    assert book.missing_columns == []
    assert len(book.connections) == 11
    jose = next(c for c in book.connections if c.name == "José Álvarez")  # accents kept
    assert jose.company == "Northwind, Inc."  # a quoted comma stays inside the field
    assert jose.position == "Product Designer, Payments"
    assert jose.email == "" and jose.connected_on == date(2021, 2, 2)
    assert jose.line == 6
    assert any(c.name == "Zoë O'Brien" for c in book.connections)


def test_variant_headers_are_recognised_and_named():
    book = read_connections(str(VARIANT))
    assert book.header_line == 1
    assert book.columns == {
        "first_name": "FirstName", "last_name": "LastName", "url": "Profile URL", "email": "E-mail",
        "company": "Organization", "position": "Title", "connected_on": "Connected",
    }  # fmt: skip
    assert book.connections[0].connected_on == date(2023, 3, 15)
    assert any("not understood" in n for n in book.notices)
    out = run("--target", MAYA, "--connections", VARIANT).stdout
    assert "columns found: FirstName, LastName, Profile URL, E-mail, Organization, Title, Connected" in out


def test_a_single_name_column_and_missing_columns_are_reported():
    book = parse_connections("Name,Company\nRenée Dubois,Northwind\n", "mini.csv")
    assert book.connections[0].name == "Renée Dubois"
    assert book.missing_columns == ["url", "email", "position", "connected_on"]
    out = run("--target", MAYA, "--connections", _write("mini.csv", "Name,Company\nRenée Dubois,Northwind\n")).stdout
    assert "not found: URL, Email Address, Position, Connected On" in out


def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
    path = Path.cwd() / name  # the isolated home folder of this test
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("unterminated-quote.csv", 6, "never closed"),
        ("too-many-fields.csv", 6, "8 fields where the header (line 4) has 7"),
    ],
)
def test_a_malformed_file_is_exit_2_naming_the_line(fixture, line, words):
    result = run("--target", MAYA, "--connections", DATA / fixture)
    assert result.exit_code == 2
    assert f"{fixture}:{line}: " in result.stderr and words in result.stderr
    assert "Traceback" not in result.output


def test_a_file_with_no_header_or_no_file_is_exit_2():
    no_header = _write("notes.csv", "just,some\nnotes,here\n")
    result = run("--target", MAYA, "--connections", no_header)
    assert result.exit_code == 2 and "no header row" in result.stderr and "First Name" in result.stderr
    assert run("--target", MAYA, "--connections", "missing.csv").exit_code == 2
    assert run("--target", MAYA, "--connections", _write("empty.csv", "")).exit_code == 2


def test_bom_crlf_and_windows_1252_are_read():
    text = LINKEDIN.read_text(encoding="utf-8").replace("\n", "\r\n")
    bom = Path.cwd() / "bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    book = read_connections(str(bom))
    assert book.header_line == 4 and book.connections[1].name == "José Álvarez"
    assert book.connections[1].line == 6
    legacy = _write("legacy.csv", "First Name,Last Name,Company\nJosé,Álvarez,Northwind\n", "cp1252")
    book = read_connections(str(legacy))
    assert book.connections[0].name == "José Álvarez" and "Windows-1252" in book.notices[0]


def test_the_linkedin_zip_is_read_directly():
    archive = Path.cwd() / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Connections.csv", LINKEDIN.read_text(encoding="utf-8"))
        z.writestr("Profile.csv", "First Name\nSam\n")
    assert len(read_connections(str(archive)).connections) == 11
    other = Path.cwd() / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("Profile.csv", "x")
    result = run("--target", MAYA, "--connections", other)
    assert result.exit_code == 2 and "no Connections.csv" in result.stderr


# --- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("company", "how"),
    [
        ("Northwind", "same"),
        ("Northwind Inc.", "same"),
        ("NORTHWIND, LLC", "same"),
        ("Northwind Traders", "similar"),
        ("The Northwind Group", "similar"),
        ("Northwind Traders GmbH", "similar"),
        ("Bank of Northwind", None),  # the distinctive word must lead
        ("Northwinds Bank", None),
        ("Northwind Health", None),  # a distinctive second word: another organisation
        ("Southwind", None),
        ("", None),
    ],
)
def test_organisations_match_on_distinctive_words(company, how):
    match = match_org("Northwind", company)
    assert (match.how if match else None) == how


def test_generic_words_alone_never_match():
    assert match_org("Acme Labs", "Initech Labs") is None
    assert match_org("Bank", "Bank of America") is None
    assert match_org("Group", "Labs Group") is None
    assert match_org("Société Générale", "Societe Generale SA").how == "same"  # accents and legal suffixes


def test_function_keywords_come_from_the_role():
    function, stems = role_function("VP of Engineering")
    assert function == "engineering"
    assert in_function("Engineering Manager", stems) and in_function("Software Engineer", stems)
    assert in_function("Senior Developer", stems)
    assert not in_function("Production Manager", stems)
    assert not in_function("Business Development Manager", stems)
    assert role_function("Chief Technology Officer")[0] == "engineering"
    assert role_function("Head of Talent")[0] == "people"


@pytest.mark.parametrize(
    ("spec", "name", "role", "org"),
    [
        ("Maya Chen, VP of Engineering at Northwind", "Maya Chen", "VP of Engineering", "Northwind"),
        ("Maya Chen (VP of Engineering, Northwind)", "Maya Chen", "VP of Engineering", "Northwind"),
        ("Maya Chen (VP of Engineering at Northwind)", "Maya Chen", "VP of Engineering", "Northwind"),
        ("Maya Chen, VP of Engineering, Northwind", "Maya Chen", "VP of Engineering", "Northwind"),
        ("Maya Chen - Head of Data @ Scale AI", "Maya Chen", "Head of Data", "Scale AI"),
        ("Maya Chen, VP of Engineering at Northwind, Inc.", "Maya Chen", "VP of Engineering", "Northwind, Inc."),
        ("Maya Chen at Northwind", "Maya Chen", None, "Northwind"),
        ("Maya Chen, CTO", "Maya Chen", "CTO", None),
        ("  Maya   Chen  ", "Maya Chen", None, None),
    ],
)
def test_target_specs(spec, name, role, org):
    target = parse_target(spec)
    assert (target.name, target.role, target.org) == (name, role, org)


def test_a_target_without_an_organisation_says_so_and_skips_org_matching():
    data = plan_json("--target", "Maya Chen, VP of Engineering", "--connections", LINKEDIN)
    assert data["target"]["org"] is None
    assert any("no organisation" in n for n in data["notices"])
    assert data["routes"]["at_org"] == []
    assert data["routes"]["in_function_total"] > 0  # function matching still runs
    assert run("--target", " , ").exit_code == 2


def test_routes_list_people_at_the_organisation_then_in_the_function():
    data = plan_json("--target", MAYA, "--connections", LINKEDIN)
    at_org = [p["name"] for p in data["routes"]["at_org"]]
    assert at_org == ["José Álvarez", "Priya Natarajan"]  # exact name first, then the similar one
    assert "similar name" in data["routes"]["at_org"][1]["match"]
    elsewhere = {p["name"] for p in data["routes"]["in_function"]}
    assert elsewhere == {"Jane Park", "Łukasz Wiśniewski", "Sofia Rossi"}
    assert data["connections"]["count"] == 11 and data["connections"]["header_line"] == 4


# --- ranking -------------------------------------------------------------------------------------


def test_a_weak_tie_who_knows_the_target_well_outranks_a_close_friend_who_barely_does():
    weak = "Dana Brooks; tie=weak; knows-target=well"
    close = "Alex Kim; tie=close; knows-target=somewhat"
    data = plan_json("--target", MAYA, "--candidate", close, "--candidate", weak)
    ranked = [(c["name"], c["score"]) for c in data["connectors"]]
    assert ranked == [("Dana Brooks", 50), ("Alex Kim", 30)]
    assert data["recommendation"]["connector"] == "Dana Brooks"


def test_each_score_component_is_shown_with_its_points():
    cand = Candidate(name="Jane Park", tie="weak", knows_target="well", given_before=False)
    cand.last_contact, cand.last_contact_text = date(2023, 9, 1), "2023-09"
    parts = score(cand, "Maya", "Northwind", False, TODAY)
    assert [(p.factor, p.points) for p in parts] == [
        ("knows-target", 40), ("tie", 10), ("last-contact", -15), ("given-before", -10),
    ]  # fmt: skip
    assert "3 years ago" in parts[2].reason
    old = Candidate(name="Old Friend", last_contact=date(2010, 1, 1), last_contact_text="2010")
    assert score(old, "Maya", None, False, TODAY)[2].points == WEIGHTS["last-contact"]["floor"]
    out = run("--target", MAYA, "--candidate", "Jane Park; tie=weak; knows-target=well; last-contact=2023-09; "
              "given-before=no").stdout  # fmt: skip
    assert "1. Jane Park: 25 points" in out
    for line in ("+40  knows Maya well", "+10  weak tie", "-15  last contact 3 years ago", "-10  you have never"):
        assert line in out


def test_json_scores_add_up_and_carry_the_weights():
    data = plan_json("--target", MAYA, "--connections", LINKEDIN, "--candidate", JANE, "--candidate", SAM)
    assert data["weights"] == WEIGHTS and data["offline"] is True and data["today"] == TODAY.isoformat()
    for c in data["connectors"]:
        assert c["score"] == sum(p["points"] for p in c["components"])
    assert [c["rank"] for c in data["connectors"]] == list(range(1, len(data["connectors"]) + 1))
    unnamed = [c for c in data["connectors"] if c["source"] == "connections"]
    assert {c["name"] for c in unnamed} == {"José Álvarez", "Priya Natarajan"}  # people at Northwind
    assert all(c["components"][0]["points"] == WEIGHTS["knows-target"]["works-there-unstated"] for c in unnamed)


def test_a_named_candidate_at_the_organisation_is_not_listed_twice():
    data = plan_json("--target", MAYA, "--connections", LINKEDIN, "--candidate", "priya natarajan; knows-target=well")
    names = [c["name"] for c in data["connectors"]]
    assert names.count("priya natarajan") == 1 and "Priya Natarajan" not in names
    priya = data["connectors"][0]
    assert priya["at_target_org"] is True and priya["company"] == "Northwind Traders"


def test_equal_scores_go_to_whoever_knows_the_target_better():
    well = "Dana Brooks; tie=weak; knows-target=well; given-before=no; last-contact=2020-01"  # 40+10-10-20 = 20
    somewhat = "Alex Kim; tie=weak; knows-target=somewhat; last-contact=2026-10; given-before=no"  # 15+10+5-10 = 20
    data = plan_json("--target", MAYA, "--candidate", somewhat, "--candidate", well)
    assert [(c["name"], c["score"]) for c in data["connectors"]] == [("Dana Brooks", 20), ("Alex Kim", 20)]


def test_the_fallback_connector_must_know_the_target():
    data = plan_json("--target", MAYA, "--candidate", JANE, "--candidate", "Sam Lee; tie=close; knows-target=no")
    assert data["recommendation"]["advice"][-1] == "If Jane says no or goes quiet, the next best is a cold message."
    data = plan_json("--target", MAYA, "--candidate", JANE, "--candidate", SAM)
    assert data["recommendation"]["advice"][-1].endswith("the next best is Sam Lee.")


# --- candidate specs and files -------------------------------------------------------------------


def test_a_person_named_twice_keeps_the_last_facts():
    people, notices = load_candidates(["Jane Park; tie=weak", "jane park; tie=close"], TODAY)
    assert [(p.name, p.tie) for p in people] == [("jane park", "close")]
    assert notices == ["jane park is named twice; using --candidate"]


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("Jane Park; tie=strong", "'strong'"),
        ("Jane Park; colour=blue", "'colour'"),
        ("Jane Park; knows-target=yes", "'yes'"),
        ("Jane Park; last-contact=Smarch 2026", "'Smarch 2026'"),
        ("Jane Park; last-contact=Dec 2026", "in the future"),
        ("Jane Park; last-contact=2027-01", "in the future"),
        ("Jane Park; given-before=maybe", "'maybe'"),
        ("Jane Park; tie", "'tie' is not key=value"),
        ("tie=weak", "needs a name"),
    ],
)
def test_bad_candidate_specs_are_exit_2_naming_the_value(spec, named):
    result = run("--target", MAYA, "--candidate", spec)
    assert result.exit_code == 2
    assert named in result.stderr and result.stderr.count("\n") == 1


def test_candidates_from_toml_and_csv_files():
    toml = _write(
        "people.toml",
        '[[candidate]]\nname = "Jane Park"\ntie = "weak"\nknows-target = "well"\nlast-contact = "2026-03"\n'
        'given-before = false\n\n[[candidate]]\nname = "Sam Lee"\ntie = "close"\nlast-contact = 2026-10-02\n',
    )
    csv_file = _write(
        "people.csv",
        "name,tie,knows-target,last-contact,given-before\nAlex Kim,acquaintance,somewhat,2025-01,yes\n"
        '"Ruiz, Ana",weak,,,\n',
    )
    people, notices = load_candidates([str(toml), str(csv_file)], TODAY)
    by_name = {p.name: p for p in people}
    assert by_name["Jane Park"].given_before is False and by_name["Jane Park"].last_contact == date(2026, 3, 1)
    assert by_name["Sam Lee"].last_contact == date(2026, 10, 2)
    assert by_name["Alex Kim"].knows_target == "somewhat" and by_name["Alex Kim"].given_before is True
    assert by_name["Ruiz, Ana"].tie == "weak" and by_name["Ruiz, Ana"].knows_target is None
    assert notices == []


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("bad.toml", '[[candidate]]\nname = "Jane Park"\ntie = "weak"\nknows-target = "maybe"\n', "bad.toml:4:"),
        ("bad2.toml", '[[candidate]]\nname = "Jane Park"\ncolour = "blue"\n', "bad2.toml:3:"),
        ("bad3.toml", "[[candidate]\nname = 1\n", "bad3.toml:"),
        ("bad.csv", "name,tie\nJane Park,weak\nSam Lee,strong\n", "bad.csv:3:"),
        ("bad2.csv", "name,colour\nJane Park,blue\n", "bad2.csv:1:"),
    ],
)
def test_bad_candidate_files_are_exit_2_naming_file_and_line(name, text, where):
    result = run("--target", MAYA, "--candidate", _write(name, text))
    assert result.exit_code == 2
    assert where in result.stderr


# --- readiness ---------------------------------------------------------------------------------


def _check(data: dict, key: str) -> dict:
    return next(item for item in data["readiness"] if item["key"] == key)


def test_readiness_is_answered_from_the_facts_with_next_steps_for_gaps():
    data = plan_json("--target", MAYA, "--goal", "how Northwind runs on-call", "--candidate", JANE)
    assert _check(data, "goal")["status"] == "ok"
    relationship = _check(data, "relationship")
    assert relationship["status"] == "ok" and relationship["source"] == "facts"
    given = _check(data, "given-before")
    assert given["status"] == "todo" and given["next_step"].startswith("Offer Jane something before asking")
    for key in ("other-way", "timing"):  # nothing known, no terminal: unknown, yet with a next step
        assert _check(data, key)["status"] == "unknown" and _check(data, key)["next_step"]


def test_a_stale_tie_gets_reconnect_first():
    data = plan_json("--target", MAYA, "--candidate", "Jane Park; tie=weak; knows-target=well; last-contact=2024-05")
    item = _check(data, "relationship")
    assert item["status"] == "todo"
    assert item["next_step"].startswith("Reconnect with Jane first: a short note about something you share")
    data = plan_json("--target", MAYA, "--candidate", JANE.replace("2026-03", "2023-01"))
    assert "where you met (at PyData Lisbon)" in _check(data, "relationship")["next_step"]
    assert _check(plan_json("--target", MAYA), "goal")["status"] == "todo"


def test_answers_on_the_command_line_win():
    data = plan_json(
        "--target", MAYA, "--candidate", JANE, "--answer", "timing=no", "--answer", "given-before=yes",
        "--answer", "other-way=no",
    )  # fmt: skip
    assert _check(data, "timing")["status"] == "todo" and _check(data, "timing")["source"] == "--answer"
    assert _check(data, "given-before")["status"] == "ok"
    assert _check(data, "other-way")["status"] == "ok"
    assert run("--target", MAYA, "--answer", "timing=maybe").exit_code == 2


def test_questions_are_asked_one_by_one_on_a_terminal(monkeypatch):
    monkeypatch.setattr("coach.cli.plan.is_interactive", lambda: True)
    candidate = "Jane Park; knows-target=well"  # tie, contact and giving unknown: four questions
    result = run("--target", MAYA, "--candidate", candidate, "--format", "json", input="y\nn\nmaybe\n\nn\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # questions went to stderr: stdout is clean JSON
    assert "strong enough to ask a favour?" in result.stderr
    assert "please answer y or n" in result.stderr
    assert (_check(data, "relationship")["status"], _check(data, "relationship")["source"]) == ("ok", "asked")
    assert _check(data, "given-before")["status"] == "todo"
    assert _check(data, "other-way")["status"] == "unknown"  # "maybe", then Enter: skipped
    assert _check(data, "timing")["status"] == "todo"


def test_no_question_is_asked_without_a_terminal():
    result = run("--target", MAYA, "--candidate", "Jane Park; knows-target=well", input="y\ny\ny\ny\n")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "[?]    Is your relationship with Jane Park strong enough" in result.stdout


def test_known_answers_are_not_asked_again(monkeypatch):
    monkeypatch.setattr("coach.cli.plan.is_interactive", lambda: True)
    result = run("--target", MAYA, "--candidate", JANE, "--answer", "timing=yes", input="n\n")
    assert result.stderr.count("?") == 1 and "another way" in result.stderr  # relationship and giving are known


# --- routes and next commands --------------------------------------------------------------------


def _compose_commands(data: dict) -> list[list[str]]:
    return [shlex.split(c["command"]) for c in data["next_commands"] if c["command"].startswith("coach compose")]


def _assert_compose_options(words: list[str]) -> None:
    options = [w for w in words if w.startswith("--")]
    assert set(options) <= COMPOSE_OPTIONS, options
    if "--relationship" in words:
        assert words[words.index("--relationship") + 1] in RELATIONSHIPS


def test_the_intro_route_ends_with_a_prefilled_compose_command():
    data = plan_json("--target", MAYA, "--goal", "how Northwind moved to streaming", "--candidate", JANE)
    assert data["recommendation"]["route"] == "introduction"
    (words,) = _compose_commands(data)
    assert words[:3] == ["coach", "compose", "intro-request"]
    _assert_compose_options(words)
    pairs = dict(zip(words[3::2], words[4::2], strict=True))
    assert pairs == {
        "--connector": "Jane Park",
        "--target": MAYA,
        "--relationship": "acquaintance",
        "--met": "at PyData Lisbon",
        "--topic": "how Northwind moved to streaming",
    }
    assert set(data["next_commands"][0]["add"]) == {"--name", "--me", "--why", "--offer", "--ask"}
    text = run("--target", MAYA, "--candidate", JANE).stdout
    assert 'coach compose intro-request --connector "Jane Park" --target "Maya Chen, VP of Engineering at' in text
    assert "coach critique --kind intro-request request.txt" in text


def test_the_compose_relationship_follows_tie_and_last_contact():
    def relationship(spec: str) -> str | None:
        return plan_json("--target", MAYA, "--candidate", spec)["connectors"][0]["relationship"]

    assert relationship("A B; knows-target=well; tie=close; last-contact=2020") == "close"
    assert relationship("A B; knows-target=well; tie=weak; last-contact=2026-09") == "recent"
    assert relationship("A B; knows-target=well; tie=acquaintance; last-contact=2024-01") == "in-between"
    assert relationship("A B; knows-target=well; tie=acquaintance") == "acquaintance"
    assert relationship("A B; knows-target=well") is None


def test_no_warm_route_recommends_a_bounded_cold_message():
    data = plan_json("--target", "Maya Chen, VP of Engineering at Fabrikam", "--candidate", "Sam Lee; knows-target=no")
    rec = data["recommendation"]
    assert rec["route"] == "cold" and "No warm route" in rec["summary"]
    advice = " ".join(rec["advice"])
    assert "one small, time-bound ask" in advice and "At most two attempts" in advice
    assert "ask them who does" in advice
    kinds = [words[2] for words in _compose_commands(data)]
    assert kinds == ["cold-email", "connection-note"]
    for words in _compose_commands(data):
        _assert_compose_options(words)
    assert [item["key"] for item in data["readiness"]] == ["goal", "other-way", "timing"]
    text = run("--target", "Maya Chen, VP of Engineering at Fabrikam").stdout
    assert "No warm route to Maya Chen found" in text and "--attempt 2" in text


def test_candidates_without_knows_target_are_asked_for_it_before_going_cold():
    data = plan_json("--target", "Maya Chen, VP of Engineering at Fabrikam", "--candidate", "Sam Lee; tie=close")
    assert data["recommendation"]["route"] == "cold"
    assert data["recommendation"]["advice"][0] == "Say how well Sam Lee know Maya (knows-target=well|somewhat|no)."


def test_cold_route_points_at_people_in_the_same_function_first():
    data = plan_json("--target", "Maya Chen, VP of Engineering at Fabrikam Robotics", "--connections", LINKEDIN)
    assert data["recommendation"]["route"] == "cold"
    assert "Ask your connections in engineering" in data["recommendation"]["advice"][0]


def test_a_target_you_are_already_connected_to_is_a_direct_route():
    path = _write("c.csv", "First Name,Last Name,Company,Position\nMaya,Chen,Northwind Inc.,VP Engineering\n")
    data = plan_json("--target", MAYA, "--connections", path, "--candidate", JANE)
    assert data["routes"]["target_connected"]["name"] == "Maya Chen"
    assert data["recommendation"]["route"] == "direct"
    assert _check(data, "other-way")["status"] == "ok"
    (words,) = _compose_commands(data)
    assert words[2] == "cold-email" and "--connector" not in words
    _assert_compose_options(words)


def test_a_connection_with_the_targets_name_at_another_company_is_flagged():
    path = _write("c.csv", "First Name,Last Name,Company\nMaya,Chen,Contoso\n")
    data = plan_json("--target", MAYA, "--connections", path)
    assert "check it is the same person: yours is at Contoso" in data["recommendation"]["summary"]


def test_prefilled_facts_survive_the_shell():
    spec = 'Jane Park; tie=weak; knows-target=well; met=at the "Data, Lisbon" meetup; it cost $0!'
    data = plan_json("--target", MAYA, "--goal", "Maya's move to streaming", "--candidate", spec.replace("; it", ","))
    (words,) = _compose_commands(data)
    assert words[words.index("--met") + 1] == 'at the "Data, Lisbon" meetup, cost $0!'
    assert words[words.index("--topic") + 1] == "Maya's move to streaming"


def test_shell_quoting_of_prefilled_facts():
    assert shell_quote("acquaintance") == "acquaintance"
    assert shell_quote("Jane Park") == '"Jane Park"'
    assert shell_quote('Say "hi" for $5!') == "'Say \"hi\" for $5!'"
    assert shlex.split(f"x {shell_quote(chr(39) + 'quoted' + chr(39))}") == ["x", "'quoted'"]


def test_text_report_has_every_section_in_order():
    out = run("--target", MAYA, "--connections", LINKEDIN, "--candidate", JANE).stdout
    sections = ["Target", "Routes found", "Ranked connectors", "Recommended route", "Readiness checklist",
                "Next commands"]  # fmt: skip
    positions = [out.index(f"\n{s}") for s in sections]
    assert positions == sorted(positions)
    assert "offline: made on this machine" in out


# --- privacy -------------------------------------------------------------------------------------


def test_llm_is_refused_with_a_reason():
    result = run("--target", MAYA, "--llm")
    assert result.exit_code == 2 and "never uses a model" in result.stderr


def test_nothing_is_sent_even_with_a_key_configured(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-plan-never-sends-this")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    with respx.mock(assert_all_called=False) as router:  # its own router: no route leaks into other tests
        route = router.route().respond(500)
        data = plan_json("--target", MAYA, "--connections", LINKEDIN, "--candidate", JANE)
    assert data["offline"] is True
    assert route.call_count == 0


def test_the_plan_does_not_load_the_model_layer(tmp_path):
    probe = (
        "import sys; from coach.cli import cli\n"
        f"cli.main(['plan', '--target', {MAYA!r}, '--connections', {str(LINKEDIN)!r}, '--format', 'json'],"
        " standalone_mode=False)\n"
        "loaded = [m for m in sys.modules if m == 'openai' or m.startswith(('coach.llm', 'httpx'))]\n"
        "print('LOADED', loaded)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENAI_API_KEY": "sk-test-not-used", "PYTHONPATH": ""}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("15 Mar 2023", date(2023, 3, 15)),
        ("15 March 2023", date(2023, 3, 15)),
        ("2023-03-15", date(2023, 3, 15)),
        ("Mar 15, 2023", date(2023, 3, 15)),
        ("3/15/2023", date(2023, 3, 15)),
        ("31 Feb 2023", None),
        ("yesterday", None),
    ],
)
def test_connection_dates(text, when):
    assert parse_date(text) == when


# --- Stripe: ties, former positions, subsidiaries, nicknames, dates ----------------------------

DAN = "Dan Ortiz, Staff Engineer at Stripe"
STRIPE = """First Name,Last Name,URL,Email Address,Company,Position,Connected On
Aisha,Bello,,,Stripe,Technical Recruiter,10 Jan 2022
Ben,Carter,,,Stripe,Account Executive,11 Jan 2022
Farah,Khan,,,Stripe Payments UK Ltd,Software Engineer,13 Jan 2022
Greg,Hall,,,Stripe Payments Europe Limited,Staff Software Engineer,14 Jan 2022
Hana,Ito,,,Stripe,Product Manager,15 Jan 2022
Ivan,Petrov,,,Stripe,Senior Software Engineer,16 Jan 2022
Kim,Moss,,,Stripe,Engineering Manager,18 Jan 2022
Jo,Lane,,,Stripe,Former Staff Engineer,17 Jan 2022
Daniel,Ortiz,,,Stripe,Staff Engineer,12 Jan 2022
"""


def test_equal_scores_go_to_the_closest_role_not_the_alphabet():
    path = _write("stripe.csv", STRIPE)
    data = plan_json("--target", DAN, "--goal", "choosing between infrastructure and product teams",
                     "--connections", path)  # fmt: skip
    ranked = [(c["name"], c["score"]) for c in data["connectors"]]
    assert {score for _, score in ranked} == {15}
    names = [name for name, _ in ranked]
    # Staff engineer first; then engineers by seniority gap; other functions after; Daniel Ortiz last.
    assert names[0] == "Greg Hall" and names.index("Aisha Bello") > names.index("Farah Khan")
    assert names.index("Ivan Petrov") < names.index("Farah Khan") and names[-1] == "Daniel Ortiz"
    assert data["recommendation"]["connector"] == "Greg Hall"
    text = run("--target", DAN, "--connections", path).stdout
    assert "=  at equal points, by role: same function as Dan (engineering); staff level, like Dan" in text


def test_former_positions_are_not_at_the_organisation():
    data = plan_json("--target", DAN, "--connections", _write("stripe.csv", STRIPE))
    assert "Jo Lane" not in {p["name"] for p in data["routes"]["at_org"]}
    assert [p["name"] for p in data["routes"]["former_at_org"]] == ["Jo Lane"]
    assert "Jo Lane" not in {c["name"] for c in data["connectors"]}
    assert any("former position at Stripe (Jo Lane)" in n for n in data["notices"])


@pytest.mark.parametrize(
    ("company", "how"),
    [("Stripe Payments UK Ltd", "subsidiary"), ("Stripe Payments Europe Limited", "subsidiary"),
     ("Stripe, Inc.", "same"), ("Stripe Health", None)],
)  # fmt: skip
def test_regional_subsidiaries_are_the_organisation(company, how):
    match = match_org("Stripe", company)
    assert (match.how if match else None) == how
    assert match_org("Northwind", "Northwind Health") is None  # no region word: another organisation


def test_subsidiaries_count_as_working_there():
    data = plan_json("--target", DAN, "--connections", _write("stripe.csv", STRIPE))
    at_org = {p["name"]: p["match"] for p in data["routes"]["at_org"]}
    assert at_org["Farah Khan"] == at_org["Greg Hall"] == "part of Stripe"
    greg = next(c for c in data["connectors"] if c["name"] == "Greg Hall")
    assert greg["at_target_org"] and greg["components"][0]["points"] == 15


def test_a_nickname_of_the_target_is_flagged_and_never_recommended():
    path = _write("stripe.csv", STRIPE)
    data = plan_json("--target", DAN, "--connections", path)
    daniel = next(c for c in data["connectors"] if c["name"] == "Daniel Ortiz")
    assert daniel["maybe_target"] is True and data["recommendation"]["connector"] != "Daniel Ortiz"
    assert any("Daniel Ortiz may be Dan Ortiz" in a for a in data["recommendation"]["advice"])
    text = run("--target", DAN, "--connections", path).stdout
    assert "(possibly Dan Ortiz under another first name)" in text
    assert "!  possibly Dan Ortiz under another first name" in text


@pytest.mark.parametrize(
    ("written", "when"),
    [("March 2025", date(2025, 3, 1)), ("Mar 2025", date(2025, 3, 1)), ("15 Mar 2025", date(2025, 3, 15)),
     ("Mar 15, 2025", date(2025, 3, 15)), ("2025-03", date(2025, 3, 1))],
)  # fmt: skip
def test_last_contact_is_read_as_the_connections_file_dates_are(written, when):
    (cand,), _ = load_candidates([f"Jane Park; tie=weak; last-contact={written}"], TODAY)
    assert cand.last_contact == when and cand.last_contact_text == written
    out = run("--target", MAYA, "--candidate", "Jane Park; knows-target=well; last-contact=Sept 2026").stdout
    assert "in touch within a year (Sept 2026)" in out
    bad = run("--target", MAYA, "--candidate", "Jane Park; last-contact=sometime")
    assert bad.exit_code == 2 and "'Mar 2026'" in bad.stderr
