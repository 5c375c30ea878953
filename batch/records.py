"""Reading CSV input: opening it (path or '-', gzip, encodings, BOM) and its records with line numbers.

Python's csv reader, left alone, turns an unterminated quote into one field that swallows
the rest of the file. Here each record's physical lines are kept until the record is
complete, so when a quote is still open at the end of the input (or a field outgrows
`FIELD_LIMIT`), that record is reported as malformed and reading resumes at the line after
the one where it began: one bad row costs one row, never the rest of the file.
"""

import codecs
import csv
import gzip
import io
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from model.errors import StanceError

FIELD_LIMIT = 16 * 1024 * 1024  # characters; a longer field is taken for a runaway quote
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class Record(NamedTuple):
    line: int  # physical line where the record starts (the header is line 1)
    fields: list[str]
    raw: str | None  # the record's text as read, without its line break (None if malformed)
    problem: str | None = None  # why the record is malformed, if it is


BLOCK_CHARS = 1 << 16


class _Buffer:
    """Lines for one csv reader, read a block at a time and kept while their record is open."""

    def __init__(self, stream, replay: list[str]) -> None:
        self._stream = stream
        self._replay = replay
        self.blocks: deque[tuple[int, list[str]]] = deque()  # (index of first line, lines)
        self.produced = 0
        self.keep = 0  # index of the first line of the record being read
        self.eof = False

    def _read(self) -> list[str]:
        try:
            return self._stream.readlines(BLOCK_CHARS)
        except UnicodeDecodeError as error:
            # Text is decoded in blocks, so the bad byte is within a block after this line.
            raise StanceError(f"near line {self.produced + 2}: not valid {self._stream.encoding} "
                              f"({error.reason}); give --encoding if the file uses another one") from None

    def lines(self) -> Iterator[str]:
        block, self._replay = self._replay, []
        while True:
            if not block:
                block = self._read()
                if not block:
                    self.eof = True
                    return
            while self.blocks and self.blocks[0][0] + len(self.blocks[0][1]) <= self.keep:
                self.blocks.popleft()
            self.blocks.append((self.produced, block))
            self.produced += len(block)
            yield from block
            block = []

    def text(self, start: int, end: int) -> str:
        """Lines start..end-1 (indices in this buffer) joined."""
        first, lines = self.blocks[-1]
        if start >= first:
            return "".join(lines[start - first: end - first])
        return "".join(self.since(start)[: end - start])

    def since(self, start: int) -> list[str]:
        """Every buffered line from index `start` on, read or not yet read by the csv reader."""
        out: list[str] = []
        for first, lines in self.blocks:
            if first + len(lines) > start:
                out.extend(lines[max(0, start - first):])
        return out


def _unterminated(text: str) -> bool:
    """Whether this text ends inside a quoted field."""
    try:
        for _ in csv.reader(io.StringIO(text), strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _literal_fields(line: str) -> list[str]:
    """A malformed record's first line split at commas, quote marks kept as characters."""
    return next(csv.reader([line.rstrip("\r\n")], quoting=csv.QUOTE_NONE), [])


def read_records(stream, first_line: int = 2) -> Iterator[Record]:
    """Every record of `stream` (positioned after the header), malformed ones included."""
    csv.field_size_limit(FIELD_LIMIT)
    replay: list[str] = []
    line = first_line
    while True:
        buffer = _Buffer(stream, replay)
        reader = csv.reader(buffer.lines(), strict=False)
        start = 0
        try:
            for fields in reader:
                end = reader.line_num
                raw = buffer.text(start, end)
                if buffer.eof and _unterminated(raw):
                    raise _RunawayQuote
                yield Record(line + start, fields, raw.rstrip("\r\n"))
                start = buffer.keep = end
            return
        except (_RunawayQuote, csv.Error) as error:
            lines = buffer.since(start)
            if not lines:
                raise StanceError(f"line {line + start}: {error}") from None
            reason = ("an unterminated quote" if isinstance(error, _RunawayQuote)
                      else f"an unterminated quote or a field over {FIELD_LIMIT:,} characters")
            yield Record(line + start, _literal_fields(lines[0]), None,
                         f"{reason} starts here; its line is kept as plain text")
            replay = lines[1:]
            line += start + 1


class _RunawayQuote(Exception):
    def __str__(self) -> str:
        return "unterminated quote"


def is_stdio(path: Path | str) -> bool:
    return str(path) == "-"


def open_input(path: Path | str, encoding: str | None = None):
    """A text stream for `path` ('-' is standard input); gzip by magic number; BOM dropped.

    Raises StanceError at once for an empty file or bytes that are not text in the encoding.
    """
    name = "<stdin>" if is_stdio(path) else str(path)
    if is_stdio(path):
        raw = sys.stdin.buffer
    else:
        if Path(path).is_dir():
            raise StanceError(f"{name}: is a directory, not a CSV file")
        raw = open(path, "rb")
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    head = buffered.peek(2)[:2]
    if head == GZIP_MAGIC:
        buffered = io.BufferedReader(gzip.GzipFile(fileobj=buffered, mode="rb"))
    sample = _peek(buffered, SNIFF_BYTES, name)
    if not sample:
        raise StanceError(f"{name}: empty file, expected a header row")
    chosen = encoding or "utf-8"
    try:
        codec = codecs.lookup(chosen)
    except LookupError:
        raise StanceError(f"unknown encoding {chosen!r}") from None
    if codec.name == "utf-8":
        chosen = "utf-8-sig"  # a byte order mark is dropped, not read into the first column name
    _check_text(sample, chosen, name, encoding is not None)
    return io.TextIOWrapper(buffered, encoding=chosen, newline=""), name


def _peek(buffered, size: int, name: str) -> bytes:
    try:
        sample = buffered.peek(size)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise StanceError(f"{name}: cannot be read as gzip ({error})") from None
    return sample[:size]


def _check_text(sample: bytes, encoding: str, name: str, chosen: bool) -> None:
    """Refuse binary data early: undecodable bytes or a run of control characters."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError as error:
        hint = "" if chosen else "; give --encoding if it is another encoding"
        raise StanceError(f"{name}: not CSV text: byte {error.start} is not valid {encoding}{hint}") from None
    controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
    if text and controls > max(8, len(text) // 10):
        raise StanceError(f"{name}: not CSV text: it looks like binary data ({controls} control characters "
                          f"in the first {len(sample)} bytes)")


def read_header(stream, name: str) -> list[str]:
    try:
        header = next(csv.reader([stream.readline()]))
    except StopIteration:
        raise StanceError(f"{name}: empty file, expected a header row") from None
    except csv.Error as error:
        raise StanceError(f"{name}:1: header is not CSV ({error})") from None
    except UnicodeDecodeError as error:
        raise StanceError(f"{name}:1: not valid {stream.encoding} ({error.reason})") from None
    if not header or all(not h.strip() for h in header):
        raise StanceError(f"{name}: the first line is blank, expected a header row")
    return header
