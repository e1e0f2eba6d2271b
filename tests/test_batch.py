"""Many drafts: folders, tables, e-mails, error records, output files, parallel runs, model concurrency."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.app.many import PARALLEL_MIN_DRAFTS, Failure
from coach.cli import cli
from coach.llm import transport as client_module
from tests.fakeserver import FakeLLM, Reply

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WEAK = EXAMPLES / "cold-email" / "weak.txt"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, [*args], input=input)


def lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of drafts: .txt and .md at two levels, an .eml, and files that are not drafts."""
    shutil.copy(EXAMPLES / "cold-email" / "weak.txt", tmp_path / "a-weak.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(EXAMPLES / "blurb" / "strong.txt", tmp_path / "sub" / "b-blurb.md")
    (tmp_path / "notes.json").write_text("{}")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hi Maya")
    (tmp_path / "c-mail.eml").write_bytes(
        b"From: sam@example.com\r\nTo: maya@example.com\r\nSubject: Your talk on flaky CI tests\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hi Maya,\r\n\r\nYour PyData talk on flaky CI tests changed how my team retries builds. "
        b"Would you have 15 minutes next week for two questions about quarantining tests?\r\n\r\nThanks,\r\nSam\r\n"
    )
    return tmp_path


def test_folders_are_walked_recursively_in_a_stable_order(folder):
    result = run("critique", "--format", "jsonl", str(folder))
    reports = lines(result)
    names = [Path(r["path"]).name for r in reports]
    assert names == ["a-weak.txt", "c-mail.eml", "b-blurb.md"]
    mail = reports[1]
    assert mail["kind"] == "cold-email"
    assert not any(f["rule"] == "SUB001" for f in mail["findings"])  # the e-mail's subject was kept


def test_one_bad_file_gets_an_error_record_and_exit_4(folder):
    (folder / "d-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = run("critique", "--format", "jsonl", "--fail-on", "never", str(folder), str(folder / "missing.txt"))
    reports = lines(result)
    errors = [r for r in reports if "error" in r]
    assert [Path(r["path"]).name for r in errors] == ["d-image.txt", "missing.txt"]
    assert "PNG" in errors[0]["error"] and "no such file" in errors[1]["error"]
    assert sum(1 for r in reports if "score" in r) == 3
    assert result.exit_code == 4


def test_every_draft_failing_is_exit_2(tmp_path):
    result = run("critique", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.exit_code == 2


def test_a_single_unreadable_file_is_still_a_one_line_error(tmp_path):
    result = run("critique", str(tmp_path / "a.txt"))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_jsonl_table_with_ids_and_kinds(tmp_path):
    rows = [
        {"id": "t1", "kind": "connection-note", "body": "Hi Maya, your PyData talk on ranking was great. Sam"},
        {"id": "t2", "kind": "cold-email", "body": (EXAMPLES / "cold-email" / "weak.txt").read_text()},
        {"id": "t3", "kind": "love-letter", "body": "Hi Maya, will you?"},
        {"id": "t4", "body": ""},
    ]
    table = tmp_path / "drafts.jsonl"
    table.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    result = run(
        "critique", "--input-format", "jsonl", "--text-field", "body", "--id-field", "id",
        "--kind-field", "kind", "--format", "jsonl", str(table),
    )  # fmt: skip
    reports = lines(result)
    assert [r.get("id") for r in reports] == ["t1", "t2", "t3", "t4", f"{table}:5"]
    assert reports[0]["kind"] == "connection-note" and reports[0]["kind_detected"] is False
    assert "love-letter" in reports[2]["error"] and "empty" in reports[3]["error"]
    assert "not valid JSON" in reports[4]["error"]
    assert result.exit_code == 4


def test_csv_table_in_and_csv_summary_out(tmp_path):
    table = tmp_path / "drafts.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "text"])
        writer.writerow(["weak", (EXAMPLES / "cold-email" / "weak.txt").read_text()])
        writer.writerow(["strong", (EXAMPLES / "cold-email" / "strong.txt").read_text()])
    result = run("critique", "--input-format", "csv", "--id-field", "name", "--format", "csv", str(table))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["draft"] for r in rows] == ["weak", "strong"]
    assert int(rows[0]["score"]) < int(rows[1]["score"])
    assert "HYG001" in rows[0]["rules"] and rows[0]["errors"] == "1"


def test_output_file_is_written_atomically_and_a_previous_one_kept(folder, tmp_path):
    out = tmp_path / "out" / "reports.jsonl"
    out.parent.mkdir()
    run("critique", "--format", "jsonl", "--output", str(out), str(folder))
    first = out.read_text()
    assert len(first.strip().splitlines()) == 3
    (folder / "a-weak.txt").unlink()
    result = run("critique", "--format", "jsonl", "--output", str(out), str(folder))
    assert len(out.read_text().strip().splitlines()) == 2
    assert (tmp_path / "out" / "reports.jsonl.bak").read_text() == first
    assert "previous file" in result.stderr
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_no_progress_bar_when_stderr_is_not_a_terminal(folder):
    stderr = run("critique", "--format", "jsonl", str(folder)).stderr
    assert "\r" not in stderr and "critique" not in stderr  # only the summary line
    assert stderr.splitlines() == [stderr.strip()] and stderr.startswith("coach: 3 drafts:")


def test_parallel_processes_give_what_each_draft_gives_alone_in_the_same_order(tmp_path):
    """A streamed batch in worker processes: every report equal to the same draft critiqued alone."""
    import coach

    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*/*.txt"))]
    table = tmp_path / "many.jsonl"
    count = PARALLEL_MIN_DRAFTS + 7
    table.write_text("\n".join(json.dumps({"text": texts[i % len(texts)]}) for i in range(count)))
    parallel = lines(run("critique", "--input-format", "jsonl", "--format", "jsonl", "--jobs", "2", str(table)))
    name = str(table)
    alone = {text: coach.critique(text).to_dict() for text in texts}
    expected = [{**alone[texts[i % len(texts)]], "id": f"{name}:{i + 1}"} for i in range(count)]
    assert len(parallel) == count and parallel == expected


def test_rewrite_takes_folders_and_tables_too(folder):
    result = run("rewrite", "--offline", "--format", "jsonl", str(folder))
    outcomes = lines(result)
    assert [Path(o["path"]).name for o in outcomes] == ["a-weak.txt", "c-mail.eml", "b-blurb.md"]
    assert all("rewrite" in o for o in outcomes)
    assert result.exit_code == 0


def test_model_requests_run_concurrently_and_keep_input_order(tmp_path, monkeypatch):
    for i, path in enumerate(sorted(EXAMPLES.glob("*/*.txt"))[:8]):
        shutil.copy(path, tmp_path / f"{i:02d}-{path.parent.name}.txt")
    with FakeLLM(latency=0.2) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = run("critique", "--format", "jsonl", "--jobs", "4", str(tmp_path))
    reports = lines(result)
    assert [Path(r["path"]).name for r in reports] == sorted(p.name for p in tmp_path.iterdir())
    assert all(r["mode"] == "llm" for r in reports)
    assert server.peak >= 3  # several requests in flight at once
    assert len(server.requests) == 8


def test_rate_limits_slow_the_pool_instead_of_failing_drafts(tmp_path, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", waits.append)
    for i in range(6):
        shutil.copy(EXAMPLES / "cold-email" / "strong.txt", tmp_path / f"{i}.txt")
        with (tmp_path / f"{i}.txt").open("a") as handle:
            handle.write(f"\nP.S. draft {i}\n")
    with FakeLLM() as server:
        server.push(Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "3"}))
        server.push(Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "3"}))
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = run("critique", "--format", "jsonl", "--jobs", "3", str(tmp_path))
    reports = lines(result)
    assert all(r["mode"] == "llm" for r in reports), [r.get("notices") for r in reports]
    assert any(w >= 2.5 for w in waits)  # Retry-After honoured
    assert len(server.requests) == 8


def test_jobs_are_bounded():
    assert run("critique", "--jobs", "0", "-", input="Hi").exit_code == 2


# --- batches on the command line: ids, kinds from a table, the summary line, the JSON shape ---


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A JSON Lines table with ids and kinds: two cold e-mails and a blurb."""
    rows = [
        {"name": "weak-mail", "kind": "cold-email", "body": (EXAMPLES / "cold-email" / "weak.txt").read_text()},
        {"name": "strong-mail", "kind": "cold-email", "body": (EXAMPLES / "cold-email" / "strong.txt").read_text()},
        {"name": "blurb", "kind": "blurb", "body": (EXAMPLES / "blurb" / "strong.txt").read_text()},
    ]
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_text_reports_of_table_rows_are_headed_by_their_id(table):
    result = run("critique", "--input-format", "jsonl", "--text-field", "body", "--id-field", "name", str(table))
    heads = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert heads == ["weak-mail", "strong-mail", "blurb"]


def test_a_kind_from_the_kind_field_says_so(table):
    args = ["--input-format", "jsonl", "--text-field", "body", "--id-field", "name", "--kind-field", "kind"]
    result = run("critique", *args, str(table))
    kinds = [line.strip() for line in result.stdout.splitlines() if line.startswith("  kind:")]
    assert kinds[0] == "kind: cold-email (from the 'kind' field)" and len(kinds) == 3
    assert "--kind" not in result.stdout
    data = lines(run("critique", *args, "--format", "jsonl", str(table)))
    assert {d["kind_reason"] for d in data} == {"from the 'kind' field"}
    given = json.loads(run("critique", "--kind", "cold-email", "--format", "json", str(WEAK)).stdout)
    assert given["kind_reason"] == "given with --kind"


def test_a_batch_ends_with_a_summary_line_on_stderr(table, tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"body": "Hi Maya, would you have 15 minutes next week? Sam"}\nnot json\n')
    result = run(
        "critique", "--input-format", "jsonl", "--text-field", "body", "--format", "jsonl", str(table), str(broken)
    )
    assert result.exit_code == 4
    summary = result.stderr.strip().splitlines()[-1]
    reports = [r for r in lines(result) if "score" in r]
    bands = {r["band"] for r in reports}
    assert summary.startswith("coach: 5 drafts: ") and summary.endswith("; 1 error")
    assert all(band in summary for band in bands)
    by_kind = summary.split("; by kind: ")[1].split(";")[0].split(", ")
    assert "1 blurb" in by_kind and sum(int(part.split()[0]) for part in by_kind) == 4
    one = run("critique", "--format", "jsonl", str(WEAK))
    assert one.stderr == ""  # one draft is not a batch


def test_the_summary_counts_drafts_by_band_and_by_kind():
    from coach.app.tally import Tally
    from coach.cli.render import batch_summary
    from coach.io.drafts import DraftInput
    from coach.rules.engine import Options, critique_text

    weak = critique_text((EXAMPLES / "cold-email" / "weak.txt").read_text(), Options(kind="cold-email"))
    strong = critique_text((EXAMPLES / "cold-email" / "strong.txt").read_text(), Options(kind="cold-email"))
    blurb = critique_text((EXAMPLES / "blurb" / "strong.txt").read_text(), Options(kind="blurb"))
    assert (weak.band, strong.band, blurb.band) == ("rework", "ready to send", "ready to send")
    failed = Failure(DraftInput(index=3, path="x.txt"), "x.txt: no such file")
    line = batch_summary(Tally.of([weak, strong, blurb, failed]))
    assert line == "coach: 4 drafts: 2 ready to send, 1 rework; by kind: 2 cold-email, 1 blurb; 1 error"
    assert batch_summary(Tally.of([weak, strong])) == (
        "coach: 2 drafts: 1 ready to send, 1 rework; by kind: 2 cold-email; 0 errors"
    )
    assert batch_summary(Tally.of([failed, failed])) == "coach: 2 drafts; 2 errors"


def test_json_is_an_object_for_one_file_and_an_array_for_anything_else(tmp_path, table):
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(EXAMPLES / "cold-email" / "strong.txt", one / "a.txt")
    single_row = tmp_path / "row.jsonl"
    single_row.write_text(json.dumps({"text": (EXAMPLES / "cold-email" / "strong.txt").read_text()}) + "\n")
    for command in (["critique"], ["rewrite", "--offline"]):
        assert isinstance(json.loads(run(*command, "--format", "json", str(one / "a.txt")).stdout), dict)
        text = (one / "a.txt").read_text()
        assert isinstance(json.loads(run(*command, "--format", "json", "-", input=text).stdout), dict)
        assert isinstance(json.loads(run(*command, "--format", "json", str(one)).stdout), list)  # a folder of one
        folder = json.loads(run(*command, "--format", "json", str(one)).stdout)
        assert len(folder) == 1
        table_of_one = run(*command, "--format", "json", "--input-format", "jsonl", str(single_row))
        assert isinstance(json.loads(table_of_one.stdout), list)
        two = run(*command, "--format", "json", str(one / "a.txt"), str(one / "a.txt"))
        assert isinstance(json.loads(two.stdout), list)
    help_text = run("critique", "--help").stdout
    assert "one object for a single FILE" in " ".join(help_text.split())


def test_a_dry_run_of_a_batch_needs_no_key_and_a_real_one_says_what_is_missing(folder):
    dry = run("batch", "submit", "--dry-run", str(folder))
    assert dry.exit_code == 0, dry.output
    requests = lines(dry)
    assert len(requests) == 3 and all(r["method"] == "POST" for r in requests)
    real = run("batch", "submit", str(folder))
    assert real.exit_code == 3
    assert "--llm" not in real.output and "Batch API needs a model endpoint and key" in real.output
    status = run("batch", "status", "batch_123")
    assert status.exit_code == 3 and "--llm" not in status.output


def test_rewrite_names_table_rows_by_id_and_ends_a_batch_with_a_summary(table):
    args = ["--offline", "--input-format", "jsonl", "--text-field", "body", "--id-field", "name"]
    result = run("rewrite", *args, str(table))
    assert result.exit_code == 0
    heads = [line for line in result.stderr.splitlines() if not line.startswith(" ")]
    assert [h.split(":")[0] for h in heads[:3]] == ["weak-mail", "strong-mail", "blurb"]
    assert heads[-1].startswith("coach: 3 drafts: 3 rewritten (mean score ") and heads[-1].endswith("; 0 errors")
    assert "==> weak-mail <==" in result.stdout


# Streaming ----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_drafts_are_read_as_the_run_goes_not_all_at_once(jobs):
    """The first report comes out while most of a long input is still unread."""
    from coach.app.coach import Coach
    from coach.app.many import CHUNK
    from coach.io.drafts import DraftInput

    texts = ["Hi Maya, would you have 15 minutes next week?\n\nSam", "Hi Sam, thanks for the intro to Ana!"]
    read = 0

    def drafts():
        nonlocal read
        for i in range(5000):
            read += 1
            yield DraftInput(index=i, text=texts[i % len(texts)])

    ahead = PARALLEL_MIN_DRAFTS + 2 * jobs * CHUNK + CHUNK  # the peek, the window, the chunk being read
    results = Coach(jobs=jobs).critique_many(drafts())
    next(results)
    assert read <= ahead
    for _ in range(299):
        next(results)
    assert read <= 300 + ahead < 5000
    results.close()


def test_a_model_batch_keeps_only_a_few_drafts_in_flight(llm_env):
    """With a model, the thread pool takes the next draft only as a request finishes."""
    from coach.app.coach import Coach, ModelChoice
    from coach.io.drafts import DraftInput

    read = 0

    def drafts():
        nonlocal read
        for i in range(200):
            read += 1
            yield DraftInput(index=i, text=WEAK.read_text())

    with FakeLLM() as server:
        coach = Coach(model=ModelChoice(base_url=server.base_url, no_cache=True), jobs=3)
        results = coach.critique_many(drafts())
        first = next(results)
        assert first.mode == "llm"
        assert read <= 2 * 3 + 1
        results.close()


def test_an_output_file_is_put_in_place_only_when_the_run_ends(folder, tmp_path, monkeypatch):
    """A run that fails half-way (here the disk fills up) leaves the old --output file as it
    was, no partial file, and one line on stderr."""
    import contextlib

    from coach.io import files

    real = files.atomic_file

    class FillsUp:
        def __init__(self, handle):
            self.handle, self.calls = handle, 0

        def write(self, data):
            self.calls += 1
            if self.calls > 1:
                raise OSError(28, "No space left on device")
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

    @contextlib.contextmanager
    def filling(path, **kw):
        with real(path, **kw) as handle:
            yield FillsUp(handle)

    monkeypatch.setattr(files, "atomic_file", filling)
    out = tmp_path / "reports.jsonl"
    out.write_text("the user's old reports\n")
    result = run("critique", "--format", "jsonl", "--output", str(out), str(folder))
    assert result.exit_code == 2 and "No space left" in result.output and "Traceback" not in result.output
    assert out.read_text() == "the user's old reports\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reports")] == []
