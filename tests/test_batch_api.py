"""`coach batch` against mocked files and batches endpoints (respx)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from coach.cli import cli
from tests.llm_fakes import BASE_URL, SENTINEL_KEY, completion, critique_answer, mentor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    shutil.copy(EXAMPLES / "cold-email" / "weak.txt", folder / "1-weak.txt")
    shutil.copy(EXAMPLES / "cold-email" / "strong.txt", folder / "2-strong.txt")
    shutil.copy(EXAMPLES / "blurb" / "weak.txt", folder / "3-blurb.txt")
    (folder / "4-broken.txt").write_bytes(b"\x00\x01binary")
    return folder


def run(*args: str):
    result = CliRunner().invoke(cli, ["batch", *args])
    assert SENTINEL_KEY not in result.output
    return result


def batch_json(status: str, **extra: object) -> dict:
    return {
        "id": "batch_123",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file-in",
        "completion_window": "24h",
        "status": status,
        "created_at": 0,
        "request_counts": {"total": 3, "completed": 3 if status == "completed" else 1, "failed": 0},
        **extra,
    }


def file_json(file_id: str) -> dict:
    return {
        "id": file_id,
        "object": "file",
        "bytes": 10,
        "created_at": 0,
        "filename": "coach-batch.jsonl",
        "purpose": "batch",
        "status": "processed",
    }


def result_line(custom_id: str, content: object, status: int = 200) -> str:
    body = completion(content if isinstance(content, str) else json.dumps(content))
    return json.dumps(
        {"id": "r", "custom_id": custom_id, "response": {"status_code": status, "body": body}, "error": None}
    )


@respx.mock
def test_submit_uploads_the_online_requests_and_keeps_a_manifest(llm_env, drafts):
    upload = respx.post(f"{BASE_URL}/files").mock(return_value=httpx.Response(200, json=file_json("file-in")))
    create = respx.post(f"{BASE_URL}/batches").mock(return_value=httpx.Response(200, json=batch_json("validating")))
    result = run("submit", str(drafts))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "batch_123"
    content = upload.calls[0].request.content
    lines = [json.loads(line) for line in content.split(b"\n") if line.startswith(b'{"custom_id"')]
    assert [line["custom_id"] for line in lines] == ["draft-0", "draft-1", "draft-2"]  # the binary file is not sent
    body = lines[0]["body"]
    assert body["model"] == "test-model" and body["response_format"]["type"] == "json_schema"
    assert "<<<DRAFT-" in body["messages"][1]["content"]
    assert lines[0]["url"] == "/v1/chat/completions"
    sent = json.loads(create.calls[0].request.content)
    assert sent["input_file_id"] == "file-in" and sent["completion_window"] == "24h"
    manifest = Path(os.environ["XDG_CACHE_HOME"]) / "coach" / "batches" / "batch_123.jsonl"
    assert oct(manifest.stat().st_mode & 0o777) == "0o600"
    assert SENTINEL_KEY not in manifest.read_text()


def test_dry_run_writes_requests_without_the_network(llm_env, drafts):
    with respx.mock:  # any request would fail: none is made
        result = run("submit", "--dry-run", str(drafts))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and all(line["method"] == "POST" for line in lines)


@respx.mock
def test_status_and_collect_before_the_end(llm_env, drafts):
    respx.post(f"{BASE_URL}/files").mock(return_value=httpx.Response(200, json=file_json("file-in")))
    respx.post(f"{BASE_URL}/batches").mock(return_value=httpx.Response(200, json=batch_json("validating")))
    run("submit", str(drafts))
    respx.get(f"{BASE_URL}/batches/batch_123").mock(return_value=httpx.Response(200, json=batch_json("in_progress")))
    status = run("status", "batch_123")
    assert status.stdout.strip() == "batch_123: in_progress (1 of 3 done, 0 failed)"
    early = run("collect", "batch_123")
    assert early.exit_code == 5 and "in_progress" in early.output


@respx.mock
def test_collect_validates_grounds_and_merges_like_the_online_path(llm_env, drafts):
    respx.post(f"{BASE_URL}/files").mock(return_value=httpx.Response(200, json=file_json("file-in")))
    respx.post(f"{BASE_URL}/batches").mock(return_value=httpx.Response(200, json=batch_json("validating")))
    run("submit", str(drafts))
    done = batch_json("completed", output_file_id="file-out", error_file_id="file-err")
    respx.get(f"{BASE_URL}/batches/batch_123").mock(return_value=httpx.Response(200, json=done))
    answers = "\n".join(
        [
            result_line("draft-0", critique_answer(mentor("pick your brain"), mentor("I am a Nobel laureate"))),
            result_line("draft-1", "this is not JSON at all"),
        ]
    )
    errors = json.dumps({"custom_id": "draft-2", "response": None, "error": {"code": "x", "message": "server broke"}})
    respx.get(f"{BASE_URL}/files/file-out/content").mock(return_value=httpx.Response(200, text=answers))
    respx.get(f"{BASE_URL}/files/file-err/content").mock(return_value=httpx.Response(200, text=errors))
    result = run("collect", "batch_123")
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["path"]).name for r in reports] == ["1-weak.txt", "2-strong.txt", "3-blurb.txt", "4-broken.txt"]
    weak, strong, blurb, broken = reports
    assert weak["mode"] == "llm" and weak["dropped_ungrounded"] == 1
    assert any(f["rule"] == "ASK002" and f["note"] for f in weak["findings"])  # merged with the rule finding
    assert strong["mode"] == "rules" and any("expected shape" in n for n in strong["notices"])
    assert blurb["mode"] == "rules" and any("server broke" in n for n in blurb["notices"])
    assert "error" in broken
    assert result.exit_code == 4


def test_collect_of_an_unknown_batch_is_a_usage_error(llm_env):
    result = run("collect", "batch_nope")
    assert result.exit_code == 2 and "no local record" in result.output


def test_batch_needs_a_model():
    assert run("submit", str(EXAMPLES / "cold-email" / "weak.txt")).exit_code == 3


@respx.mock
def test_a_run_past_the_limits_is_split_into_batches_each_collected_alone(llm_env, drafts, monkeypatch):
    from coach.app import batches

    monkeypatch.setattr(batches, "MAX_REQUESTS", 2)  # three readable drafts: two batches
    upload = respx.post(f"{BASE_URL}/files").mock(return_value=httpx.Response(200, json=file_json("file-in")))
    ids = iter(["batch_a", "batch_b"])
    respx.post(f"{BASE_URL}/batches").mock(
        side_effect=lambda request: httpx.Response(200, json={**batch_json("validating"), "id": next(ids)})
    )
    result = run("submit", str(drafts))
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["batch_a", "batch_b"]
    sent = [
        [
            json.loads(line)["custom_id"]
            for line in call.request.content.split(b"\n")
            if line.startswith(b'{"custom_id"')
        ]
        for call in upload.calls
    ]
    assert sent == [["draft-0", "draft-1"], ["draft-2"]]
    for batch_id, custom_ids in (("batch_a", ["draft-0", "draft-1"]), ("batch_b", ["draft-2"])):
        done = {**batch_json("completed", output_file_id=f"out-{batch_id}"), "id": batch_id}
        respx.get(f"{BASE_URL}/batches/{batch_id}").mock(return_value=httpx.Response(200, json=done))
        answers = "\n".join(result_line(c, critique_answer()) for c in custom_ids)
        respx.get(f"{BASE_URL}/files/out-{batch_id}/content").mock(return_value=httpx.Response(200, text=answers))
    first, second = run("collect", "batch_a"), run("collect", "batch_b")
    names = [[Path(json.loads(line)["path"]).name for line in r.stdout.splitlines()] for r in (first, second)]
    assert names == [["1-weak.txt", "2-strong.txt"], ["3-blurb.txt", "4-broken.txt"]]  # the failed draft rides along
    assert [json.loads(line)["mode"] for line in first.stdout.splitlines()] == ["llm", "llm"]
    assert first.exit_code == 0 and second.exit_code == 4


@respx.mock
def test_a_batch_already_started_is_printed_even_when_the_next_one_fails(llm_env, drafts, monkeypatch):
    from coach.app import batches

    monkeypatch.setattr(batches, "MAX_REQUESTS", 2)
    respx.post(f"{BASE_URL}/files").mock(return_value=httpx.Response(200, json=file_json("file-in")))
    replies = iter(
        [
            httpx.Response(200, json={**batch_json("validating"), "id": "batch_a"}),
            httpx.Response(400, json={"error": {"message": "quota exceeded"}}),
        ]
    )
    respx.post(f"{BASE_URL}/batches").mock(side_effect=lambda request: next(replies))
    result = run("submit", str(drafts))
    assert result.stdout.split() == ["batch_a"]  # paid for, so it is never hidden
    assert result.exit_code == 3 and "quota exceeded" in result.stderr
