"""Labeled CSV reading: every problem named with its file and line."""

from pathlib import Path

import pytest

from quote_stance.training.corpus import CorpusError, read_labeled_csv


def _write(tmp_path: Path, content: str | bytes, name: str = "labeled.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_reads_text_labels_and_groups_by_url(tmp_path: Path):
    path = _write(tmp_path, "text,label,url\nWe will sue.,oppose,http://a\n\"Comply, now\",SUPPORT,http://a\n")
    corpus = read_labeled_csv(path)
    assert corpus.texts == ["We will sue.", "Comply, now"]
    assert corpus.labels == ["oppose", "support"]
    assert corpus.groups == ["http://a", "http://a"]


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = _write(tmp_path, "\ufefftext,label\nHello there,neutral\n")
    assert read_labeled_csv(path).labels == ["neutral"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("words,label\nx,oppose\n", "missing column 'text'"),
        ("text,stance\nx,oppose\n", "missing column 'label'"),
        ("text,label\nfine,oppose\nbad,maybe\n", "labeled.csv:3: unknown label 'maybe'"),
        ("text,label\nfine,oppose\n  ,neutral\n", "labeled.csv:3: empty text"),
        ("text,label\n\"multi\nline\",oppose\nx,neutral,extra\n", "labeled.csv:4: 3 fields"),
        ("", "empty file"),
        ("text,label\n", "no labeled rows"),
    ],
)
def test_problems_are_named_with_file_and_line(tmp_path: Path, content: str, message: str):
    with pytest.raises(CorpusError, match=message):
        read_labeled_csv(_write(tmp_path, content))


def test_binary_and_non_utf8_files_are_refused(tmp_path: Path):
    with pytest.raises(CorpusError, match="not UTF-8"):
        read_labeled_csv(_write(tmp_path, b"text,label\n\xff\xfe,oppose\n"))
    with pytest.raises(CorpusError, match="NUL"):
        read_labeled_csv(_write(tmp_path, b"text,label\nab\x00c,oppose\n"))


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(CorpusError, match="nope.csv: no such file"):
        read_labeled_csv(tmp_path / "nope.csv")
