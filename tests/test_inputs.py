"""Bad and unusual input: one-line errors with exit 2, and encodings read correctly."""

from __future__ import annotations

import codecs
import io
import json

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.errors import InputError
from coach.io.read import MAX_DRAFT_BYTES, read_source

DRAFT = (
    "Subject: Your talk\r\n\r\nHi Zoë,\r\n\r\n"
    "I loved your talk on café logistics. Could we talk for 15 minutes?\r\n\r\nThanks,\r\nSam"
)


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input)


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        (b"abc\x00def" * 10, "binary"),
        (b"%PDF-1.7 ...", "PDF"),
    ],
)
def test_unreadable_content_is_refused_with_one_line(tmp_path, content, needle):
    path = tmp_path / "draft.txt"
    path.write_bytes(content)
    result = run(["critique", str(path)])
    assert result.exit_code == 2
    assert needle in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_missing_file_and_folder(tmp_path):
    result = run(["critique", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output
    result = run(["critique", str(tmp_path)])
    assert result.exit_code == 2 and "folder" in result.output


def test_empty_stdin():
    result = run(["critique", "-"], input="")
    assert result.exit_code == 2 and "empty" in result.output


def test_oversized_file_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (MAX_DRAFT_BYTES // 5 + 100))
    result = run(["critique", str(path)])
    assert result.exit_code == 2 and "limit" in result.output


def test_oversized_stdin_reads_only_up_to_the_limit():
    class Counting(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.requested: list[int] = []

        def read(self, n=-1):
            self.requested.append(n)
            return super().read(n)

    stream = Counting(b"x" * (MAX_DRAFT_BYTES * 3))
    with pytest.raises(InputError, match="limit"):
        read_source("-", stdin=stream)
    assert stream.requested == [MAX_DRAFT_BYTES + 1]


@pytest.mark.parametrize(
    "encoded,notice",
    [
        (DRAFT.encode("utf-8"), False),
        (codecs.BOM_UTF8 + DRAFT.encode("utf-8"), False),
        (DRAFT.encode("utf-16"), False),
        (DRAFT.encode("cp1252"), True),
    ],
)
def test_encodings_keep_text_and_offsets(tmp_path, encoded, notice):
    path = tmp_path / "draft.txt"
    path.write_bytes(encoded)
    source = read_source(str(path))
    assert source.text == DRAFT
    assert bool(source.notices) == notice
    result = run(["critique", "--format", "json", "--fail-on", "never", str(path)])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    for finding in data["findings"]:
        assert DRAFT[finding["start"] : finding["end"]] == finding["text"]
    assert any("cp1252" in n for n in data["notices"]) == notice


def test_a_table_row_over_the_draft_limit_fails_alone(tmp_path):
    table = tmp_path / "t.jsonl"
    big = "word " * (MAX_DRAFT_BYTES // 5 + 10)
    table.write_text(json.dumps({"text": big}) + "\n" + json.dumps({"text": "Hi Maya, may I ask one question?"}) + "\n")
    result = run(["critique", "--format", "jsonl", "--input-format", "jsonl", str(table)])
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "limit" in first["error"] and "error" not in second
    assert result.exit_code == 4


def test_a_table_whose_disk_fails_while_it_is_read_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    from coach.io import drafts

    class FailsAfterOneRead(io.RawIOBase):
        """A disk that gives one block, then an I/O error."""

        def __init__(self) -> None:
            self.reads = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            self.reads += 1
            if self.reads > 1:
                raise OSError(5, "Input/output error")
            data = b'{"text": "Hi Maya, may I ask one question?"}\n'
            buffer[: len(data)] = data
            return len(data)

    table = tmp_path / "t.jsonl"
    table.write_text("{}\n")
    monkeypatch.setattr(drafts, "open_file", lambda path: FailsAfterOneRead())
    result = run(["critique", "--format", "jsonl", "--input-format", "jsonl", str(table)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (
        result.output == f"coach: error: {table}: cannot read it (Input/output error). check the file's permissions.\n"
    )
