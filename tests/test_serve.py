"""``coach serve``'s JSON API: the CLI's JSON, the CLI's errors, and the guards (Host, Origin, size)."""

from __future__ import annotations

import base64
import http.client
import io
import json
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
import respx
from click.testing import CliRunner

from coach.app.coach import ModelChoice
from coach.cli import cli
from coach.plan import clock
from coach.rules.config import load_settings
from coach.web.api import Service
from coach.web.server import MAX_BODY_BYTES, make_server
from tests.llm_fakes import CHAT_URL, SENTINEL_KEY, critique_answer, decision, mentor, ok

ROOT = Path(__file__).resolve().parent.parent
WEAK = (ROOT / "examples" / "cold-email" / "weak.txt").read_text(encoding="utf-8")
CONNECTIONS = ROOT / "tests" / "data" / "connections" / "linkedin.csv"
MAYA = "Maya Chen, VP of Engineering at Northwind"
BLURB = {
    "name": "Sam Rivera",
    "me": "a CS senior at Lakeside University choosing between data and backend roles",
    "target": "Priya Shah, who leads data engineering at Northwind",
    "why": "you have led both data and backend teams at Northwind",
    "offer": "the load-test notes from my transit-data pipeline",
    "ask": "a 15-minute call about how you chose between data and backend",
}


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 1))
    srv = make_server(Service(load_settings(None), ModelChoice(offline=True)), "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(srv, method, path, body=None, headers=None, raw=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent = {"Content-Type": "application/json"} if data is not None else {}
    sent.update(headers or {})
    conn.request(method, path, body=data, headers=sent)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    kind = response.getheader("Content-Type", "")
    return response.status, (json.loads(payload) if "json" in kind else payload), response


def cli_json(*args, input=None):
    result = CliRunner().invoke(cli, [*args, "--format", "json"], input=input)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result.exit_code


# --- the same JSON as the CLI --------------------------------------------------------------------


def test_critique_is_the_clis_json(server):
    status, data, response = request(server, "POST", "/api/critique", {"text": WEAK})
    assert status == 200
    expected, code = cli_json("critique", "-", input=WEAK)
    assert data == expected
    assert response.getheader("X-Coach-Exit-Code") == str(code)
    assert data["findings"] and data["score"] is not None


def test_critique_with_kind_and_stage(server):
    text = "Hi Dana, just following up on my note from last week about the data role. Any thoughts?"
    body = {"text": text, "kind": "follow-up", "stage": "nudge"}
    status, data, _ = request(server, "POST", "/api/critique", body)
    assert status == 200
    expected, _ = cli_json("critique", "--kind", "follow-up", "--stage", "nudge", "-", input=text)
    assert data == expected
    assert (data["kind"], data["stage"], data["kind_detected"]) == ("follow-up", "nudge", False)


def test_rewrite_is_the_clis_json(server):
    status, data, _ = request(server, "POST", "/api/rewrite", {"text": WEAK})
    assert status == 200
    expected, _ = cli_json("rewrite", "-", input=WEAK)
    assert data == expected
    assert data["rewrite"] != data["original"]


def test_compose_is_the_clis_json(server):
    status, data, response = request(server, "POST", "/api/compose", {"kind": "blurb", "facts": BLURB})
    assert status == 200
    args = [arg for key, value in BLURB.items() for arg in (f"--{key}", value)]
    result = CliRunner().invoke(cli, ["compose", "blurb", *args, "--format", "json"])
    assert data == json.loads(result.stdout)
    assert response.getheader("X-Coach-Exit-Code") == str(result.exit_code)
    assert data["message"] and data["report"]["score"] is not None


def test_compose_accepts_option_names_and_reports_missing_facts(server):
    body = {"kind": "follow-up", "stage": "nudge", "facts": {"name": "Sam", "days-since": 6}}
    status, data, _ = request(server, "POST", "/api/compose", body)
    assert status == 400
    assert data["error"] == (
        "missing facts for follow-up (nudge): --target, --topic; pass them as options or in --facts FILE."
    )
    assert data["missing"] == ["target", "topic"] and data["exit_code"] == 2


def test_plan_is_the_clis_json(server):
    upload = {"name": "Connections.csv", "data": base64.b64encode(CONNECTIONS.read_bytes()).decode()}
    body = {"target": MAYA, "goal": "platform teams", "connections": upload, "answers": {"timing": "yes"}}
    status, data, _ = request(server, "POST", "/api/plan", body)
    assert status == 200
    Path("Connections.csv").write_bytes(CONNECTIONS.read_bytes())  # in the test's own folder (conftest)
    expected, _ = cli_json(
        "plan", "--target", MAYA, "--goal", "platform teams", "--connections", "Connections.csv",
        "--answer", "timing=yes",
    )  # fmt: skip
    assert data == expected
    assert data["connections"]["path"] == "Connections.csv"
    assert data["connectors"]


def test_plan_reads_the_export_zip(server):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Basic_LinkedInDataExport/Connections.csv", CONNECTIONS.read_bytes())
    upload = {"name": "export.zip", "data": base64.b64encode(buffer.getvalue()).decode()}
    status, data, _ = request(server, "POST", "/api/plan", {"target": MAYA, "connections": upload})
    assert status == 200
    assert data["connections"]["count"] == 11 and data["connections"]["path"] == "export.zip"


def test_plan_errors_name_the_uploaded_file_not_a_temporary_one(server):
    bad = (ROOT / "tests" / "data" / "connections" / "unterminated-quote.csv").read_bytes()
    upload = {"name": "mine.csv", "data": base64.b64encode(bad).decode()}
    status, data, _ = request(server, "POST", "/api/plan", {"target": MAYA, "connections": upload})
    assert status == 400
    assert data["error"].startswith("mine.csv:6: ") and "tmp" not in data["error"]


def test_plan_takes_people_not_files(server):
    body = {"target": MAYA, "candidates": ["/etc/people.csv"]}
    status, data, _ = request(server, "POST", "/api/plan", body)
    assert status == 400 and "people, not files" in data["error"]


# --- errors: JSON, one line, the CLI's words ---------------------------------------------------


def test_errors_are_the_clis_lines(server):
    status, data, _ = request(server, "POST", "/api/critique", {"text": "   "})
    assert (status, data) == (
        400,
        {"error": "<stdin>: the draft is empty. paste the message you want coached.", "exit_code": 2},
    )
    result = CliRunner().invoke(cli, ["critique", "-"], input="   ")
    assert result.stderr.strip() == f"coach: error: {data['error']}"
    status, data, _ = request(server, "POST", "/api/critique", {"text": "hello", "kind": "memo"})
    assert status == 400 and data["error"].startswith("Invalid value for '--kind': 'memo' is not one of 'auto'")
    status, data, _ = request(server, "POST", "/api/compose", {"kind": "blurb", "stage": "nudge"})
    assert status == 400 and data["error"] == "blurb has no stages. --stage is for connector-intro and follow-up."
    status, data, _ = request(server, "POST", "/api/critique", {"text": "hi", "colour": "red"})
    assert status == 400 and "unknown field 'colour'" in data["error"]
    status, data, _ = request(server, "POST", "/api/critique", raw=b"{not json")
    assert status == 400 and data["error"].startswith("the request body is not valid JSON")
    status, data, _ = request(server, "GET", "/api/critique")
    assert status == 405 and "POST" in data["error"]
    status, data, _ = request(server, "GET", "/etc/passwd")
    assert status == 404 and set(data) == {"error", "exit_code"}


def test_a_model_error_is_a_json_line_and_never_shows_the_key(monkeypatch, waits):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SENTINEL-0123456789")
    service = Service(load_settings(None), ModelChoice(demand=True, base_url="http://127.0.0.1:9/v1", timeout=1))
    srv = make_server(service, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        status, info, _ = request(srv, "GET", "/api/info")
        assert status == 200 and "SENTINEL" not in json.dumps(info) and "127.0.0.1:9" not in json.dumps(info)
        page = request(srv, "GET", "/")[1] + request(srv, "GET", "/app.js")[1]
        assert b"SENTINEL" not in page
        status, data, _ = request(srv, "POST", "/api/critique", {"text": WEAK})
        assert status == 502 and data["exit_code"] == 3
        assert "SENTINEL" not in json.dumps(data) and "\n" not in data["error"]
    finally:
        srv.shutdown()
        srv.server_close()


# --- the guards --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1"])
def test_a_foreign_host_is_refused(server, host):
    status, data, _ = request(server, "GET", "/", headers={"Host": host.format(port=server.port)})
    assert status == 403 and data["error"].startswith("refused: Host")
    status, _, _ = request(server, "POST", "/api/critique", {"text": WEAK}, headers={"Host": host.format(port=0)})
    assert status == 403


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST", "[::1]:{port}"])
def test_local_hosts_are_served(server, host):
    status, page, response = request(server, "GET", "/", headers={"Host": host.format(port=server.port)})
    assert status == 200 and b"<title>coach</title>" in page
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")


def test_cross_origin_writes_are_refused(server):
    own = f"http://127.0.0.1:{server.port}"
    for origin in (
        "http://evil.example",
        "null",
        f"http://127.0.0.1:{server.port + 1}",
        f"https://localhost:{server.port}",
    ):
        status, data, _ = request(server, "POST", "/api/critique", {"text": WEAK}, headers={"Origin": origin})
        assert status == 403, origin
        assert data["error"].startswith("refused: a write from another origin")
    status, _, _ = request(server, "POST", "/api/critique", {"text": WEAK}, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    for origin in (own, f"http://localhost:{server.port}"):
        assert request(server, "POST", "/api/critique", {"text": WEAK}, headers={"Origin": origin})[0] == 200
    # A form post (text/plain needs no preflight) is not JSON: refused too.
    status, _, _ = request(
        server, "POST", "/api/critique", raw=b'{"text": "hi"}', headers={"Content-Type": "text/plain"}
    )
    assert status == 415


def test_a_body_over_100_kb_gets_413(server):
    status, data, _ = request(server, "POST", "/api/critique", {"text": "word " * (MAX_BODY_BYTES // 4)})
    assert status == 413 and "limit" in data["error"]
    status, data, _ = request(server, "POST", "/api/critique", {"text": "Hi Priya. " * 9_000})  # 90 KB: served
    assert status == 200 and data["stats"]["characters"] == 89_999


def test_the_page_and_its_files(server):
    for path, kind in (("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")):
        status, body, response = request(server, "GET", path)
        assert status == 200 and response.getheader("Content-Type").startswith(kind)
        assert b"http://" not in body and b"https://" not in body  # nothing from the internet
    status, info, _ = request(server, "GET", "/api/info")
    assert status == 200 and info["model"] is None and "blurb" in info["kinds"]
    assert info["compose"]["forms"]["blurb"]["required"] == ["name", "target", "me", "why", "offer", "ask"]


def test_serve_command_refuses_a_taken_port():
    srv = make_server(Service(), "127.0.0.1", 0)
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", str(srv.port), "--offline"])
        assert result.exit_code == 2
        assert "cannot listen on 127.0.0.1" in result.stderr
    finally:
        srv.server_close()


def test_serve_help_lists_the_options():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--open", "--offline", "--llm"):
        assert option in result.output


@respx.mock
def test_with_a_model_the_answer_has_its_verdict_and_adjudication(llm_env, waits):
    answer = critique_answer(
        mentor("pick your brain"), decisions=[decision("OPN002", "confirm")], verdict="Name one question."
    )
    route = respx.post(CHAT_URL).mock(return_value=ok(answer))
    srv = make_server(Service(load_settings(None), ModelChoice()), "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        status, info, _ = request(srv, "GET", "/api/info")
        assert info["model"] == "test-model"
        status, data, _ = request(srv, "POST", "/api/critique", {"text": WEAK})
    finally:
        srv.shutdown()
        srv.server_close()
    assert status == 200 and route.called
    assert data["mode"] == "llm" and data["verdict"] == "Name one question."
    assert any(d["code"] == "OPN002" for d in data["adjudication"])
    assert SENTINEL_KEY not in json.dumps(data) and SENTINEL_KEY not in json.dumps(info)
