"""Reading CSV input: opening it (path or '-', gzip, encodings, BOM) and its records with line numbers.

Python's csv reader, left alone, turns an unterminated quote into one field that swallows
the rest of the file. Here each record's physical lines are kept until the record is
complete, so when a quote is still open at the end of the input (or a field outgrows the
field-size limit), that record is reported as malformed and reading resumes at the line
after the one where it began: one bad row costs one row, never the rest of the file.

The field-size limit (`FIELD_LIMIT`, `--field-limit` on the command line) is what bounds the
memory a runaway quote can take: a quoted field is read until its closing quote, so without a
limit one stray quote mark near the top of a large file would be read whole into one field.
A million characters is ten times the service's limit for one text and far beyond any quote
or article; a longer field is reported, never silently cut.
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

from quote_stance.common import StanceError

FIELD_LIMIT = 1 << 20  # characters in one field (1,048,576); see the module notes
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
            # Text is decoded in blocks, so the bad byte is within a block after this line;
            # `read_records` finds the exact line when it can read the file again.
            raise _BadBytes(self.produced, error.reason) from None

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
    return line.rstrip("\r\n").split(",")  # not csv's reader: the line may be over the field limit


def _malformed(error: Exception, lines: list[str], field_limit: int) -> str:
    """Why a record could not be read, from its error and its lines so far."""
    if isinstance(error, _RunawayQuote):
        return "an unterminated quote starts here"
    if "field limit" not in str(error):
        return f"malformed CSV ({error}) starts here"
    limit = f"the limit of {field_limit:,} characters (--field-limit)"
    if '"' in "".join(lines):
        return f"an unterminated quote, or a quoted field over {limit}, starts here"
    return f"a field over {limit} starts here"


def read_records(stream, first_line: int = 2, field_limit: int = FIELD_LIMIT,
                 source: Path | str | None = None) -> Iterator[Record]:
    """Every record of `stream` (positioned after the header), malformed ones included.

    A byte that is not valid in the stream's encoding raises StanceError naming its line;
    give `source`, the file the stream reads ('-': standard input), for the file's name and,
    when it can be read again, the exact line (else the line it is near).
    """
    csv.field_size_limit(field_limit)
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
            yield Record(line + start, _literal_fields(lines[0]), None, _malformed(error, lines, field_limit))
            replay = lines[1:]
            line += start + 1
        except _BadBytes as error:
            exact = _bad_line(source, stream.encoding) if source is not None and not is_stdio(source) else None
            # Without the file, the line where the block that failed starts, and "near".
            where = f"{exact}:" if exact is not None else f"{line + error.lines_before}: near this line,"
            name = "<stdin>" if source is None or is_stdio(source) else str(source)
            raise StanceError(f"{name}:{where} not valid {_shown(stream.encoding)} ({error.reason}); "
                              "give --encoding if the file uses another one") from None


class _RunawayQuote(Exception):
    def __str__(self) -> str:
        return "unterminated quote"


class _BadBytes(Exception):
    def __init__(self, lines_before: int, reason: str) -> None:
        self.lines_before = lines_before  # lines of the stream read before the block that failed
        self.reason = reason


def _shown(encoding: str) -> str:
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding  # the BOM is a detail


def _bad_line(path: Path | str, encoding: str) -> int | None:
    """The line (the header is 1) of the first byte of `path` that is not valid `encoding`."""
    try:
        with open(path, "rb") as raw:
            zipped = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            binary = gzip.GzipFile(fileobj=raw) if zipped else raw
            decoder = codecs.getincrementaldecoder(encoding)()
            newlines = 0
            for piece in binary:  # split at b"\n"; the decoder carries what a piece cuts short
                try:
                    newlines += decoder.decode(piece).count("\n")
                except UnicodeDecodeError as error:
                    return newlines + 1 + piece[: max(error.start, 0)].count(b"\n")
    except (OSError, EOFError):
        return None
    return None


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
        raise StanceError(f"{name}:1: empty file, expected a header row")
    chosen = encoding or "utf-8"
    try:
        codec = codecs.lookup(chosen)
    except LookupError:
        raise StanceError(f"unknown encoding {chosen!r}") from None
    if codec.name == "utf-8":
        chosen = "utf-8-sig"  # a byte order mark is dropped, not read into the first column name
    check_text(sample, chosen, name, encoding is not None, header=True)
    return io.TextIOWrapper(buffered, encoding=chosen, newline=""), name


def _peek(buffered, size: int, name: str) -> bytes:
    try:
        sample = buffered.peek(size)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise StanceError(f"{name}: cannot be read as gzip ({error})") from None
    return sample[:size]


def check_text(sample: bytes, encoding: str, name: str, chosen: bool, what: str = "CSV text",
               undecodable: bool = False, header: bool = False) -> None:
    """Refuse binary data early: undecodable bytes or a run of control characters.

    `sample` is the start of the input; the message names the line of the first bad byte.
    `undecodable=True` lets bytes that are not valid `encoding` pass (the caller deals with
    them line by line), and only refuses binary data. `header=True` (a CSV file) looks for
    control characters in the first line only: a header holds none, while a field may hold
    anything (a field of NULs is data, and is written back as it was read).
    """
    decoder = codecs.getincrementaldecoder(encoding)("replace" if undecodable else "strict")
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError as error:
        hint = "" if chosen else "; give --encoding if it is another encoding"
        line = codecs.getincrementaldecoder(encoding)().decode(sample[: error.start]).count("\n") + 1
        raise StanceError(f"{name}:{line}: not {what}: byte {error.start} is not valid "
                          f"{_shown(encoding)}{hint}") from None
    if header:
        first = text.split("\n", 1)[0]
        controls = [i for i, c in enumerate(first) if c < " " and c not in "\t\r"]
        if controls:
            raise StanceError(f"{name}:1: not {what}: it looks like binary data ({len(controls)} control "
                              "characters in the first line, which should be the header)")
        return
    controls = [i for i, c in enumerate(text) if c < " " and c not in "\t\r\n"]
    if text and len(controls) > max(8, len(text) // 10):
        line = text.count("\n", 0, controls[0]) + 1
        raise StanceError(f"{name}:{line}: not {what}: it looks like binary data ({len(controls)} control "
                          f"characters in the first {len(sample)} bytes)")


def read_header(stream, name: str) -> list[str]:
    try:
        header = next(csv.reader([stream.readline()]))
    except StopIteration:
        raise StanceError(f"{name}:1: empty file, expected a header row") from None
    except csv.Error as error:
        raise StanceError(f"{name}:1: header is not CSV ({error})") from None
    except UnicodeDecodeError as error:
        raise StanceError(f"{name}:1: not valid {stream.encoding} ({error.reason})") from None
    if not header or all(not h.strip() for h in header):
        raise StanceError(f"{name}:1: the first line is blank, expected a header row")
    return header
