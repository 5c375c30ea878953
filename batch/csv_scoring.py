"""Score a CSV file of any size: streamed in chunks, on several processes, every row kept in order.

The main process reads records, writes rows and scores chunks too; worker processes (forked
from it once the model is loaded, so they share it) score the others. At most a few chunks
are in flight, and they are written back in the order they were read, so memory stays flat
and the output follows the input row for row.

What happens to a row that cannot be scored (it is always written, with empty stance
columns, and reported on stderr with its line number):
- blank text, or a blank line: the row's fields as read (a blank line: all empty);
- too few fields: the fields as read, padded with empty fields to the header's width;
- too many fields: the first ones as read and, in the last column, the surplus fields
  joined back as CSV text, so nothing is lost and the output keeps the header's width;
- an unterminated quote: the line where it starts, split at commas with its quote marks
  kept as characters; reading resumes on the next line.
"""

import csv
import io
import os
import sys
import time
import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from quote_stance.batch.output import atomic_text_output
from quote_stance.batch.progress import Progress
from quote_stance.batch.records import FIELD_LIMIT, Record, open_input, read_header, read_records
from quote_stance.batch.scoring import (
    EMPTY_SUFFIX, OUTPUT_COLUMNS, ContextColumns, Quotes, context_columns, context_problem, score_texts, scorer_for,
)
from quote_stance import common
from quote_stance.common import StanceError

CHUNK_ROWS = 2048  # rows per chunk: a few chunks in flight stay within a few MB

Reporter = Callable[[str], None]


@dataclass
class ScoreSummary:
    rows_read: int = 0
    rows_scored: int = 0
    rows_unscored: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (f"{self.rows_read:,} rows read, {self.rows_scored:,} scored, {self.rows_unscored:,} left unscored "
                f"in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fit_to_width(fields: list[str], width: int) -> list[str]:
    """A malformed row's fields as exactly `width` cells, losing nothing (see the module notes)."""
    if len(fields) == width:
        return fields
    if len(fields) < width:
        return fields + [""] * (width - len(fields))
    surplus = io.StringIO()
    csv.writer(surplus, lineterminator="").writerow(fields[width - 1:])
    return fields[: width - 1] + [surplus.getvalue()]


def encode_row(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


@dataclass
class Chunk:
    """Rows read: each row's output text so far, and which rows have text to score."""

    lines: list[str]  # the input fields as CSV text (a well-formed row: its text as read)
    scored: list[int]  # positions in `lines` of the rows to score, in order
    texts: list[str]
    # The speaker and role of each text to score ('' = unknown); None when the file has no such column.
    speakers: list[str] | None = None
    roles: list[str] | None = None

    def quotes(self) -> Quotes:
        return self.texts, self.speakers, self.roles


def read_chunks(records: Iterable[Record], width: int, text_at: int, name: str, report: Reporter,
                strict: bool, summary: ScoreSummary, size: int,
                context_at: ContextColumns = (None, None)) -> Iterator[Chunk]:
    """The records in chunks of `size` rows, each bad one reported (or, with `strict`, fatal).

    `context_at`: the columns of the speaker and the role, None for one the file lacks (or that
    `--no-context` ignores).
    """
    def new_chunk(lines: list[str], scored: list[int], texts: list[str]) -> Chunk:
        # Fresh lists for every chunk: a chunk is handed to a worker while the next one fills.
        return Chunk(lines, scored, texts, speakers=None if context_at[0] is None else [],
                     roles=None if context_at[1] is None else [])

    chunk = new_chunk([], [], [])
    for line, fields, raw, problem in records:
        if problem is None:
            if not fields:
                problem = "blank line"
            elif len(fields) != width:
                problem = f"{len(fields)} fields, the header has {width}"
            elif not fields[text_at].strip():
                problem = "blank text"
            else:
                problem = context_problem(fields, context_at)
            if problem is None:
                chunk.scored.append(len(chunk.lines))
                chunk.texts.append(fields[text_at])
                for at, values in zip(context_at, (chunk.speakers, chunk.roles)):
                    if at is not None:
                        values.append(fields[at])
        if problem is not None:
            if strict:
                raise StanceError(f"{name}:{line}: {problem} (--strict stops at the first bad row)")
            if raw is None:  # the reader could not make a record of it
                problem += "; its line is kept as plain text"
            report(f"{name}:{line}: {problem}; row kept unscored")
            summary.rows_unscored += 1
            if raw is None or len(fields) != width:
                raw = encode_row(fit_to_width(fields, width))
        chunk.lines.append(raw)
        if len(chunk.lines) >= size:
            summary.rows_read += len(chunk.lines)
            yield chunk
            chunk = new_chunk([], [], [])
    if chunk.lines:
        summary.rows_read += len(chunk.lines)
        yield chunk


def merge(chunk: Chunk, suffixes: list[str]) -> str:
    """The chunk's output lines: each row's text and its stance columns (empty if not scored)."""
    out = [line + EMPTY_SUFFIX for line in chunk.lines] if len(suffixes) < len(chunk.lines) else list(chunk.lines)
    lines = chunk.lines
    for position, suffix in zip(chunk.scored, suffixes):
        out[position] = lines[position] + suffix
    out.append("")
    return "\n".join(out)


def _work(tasks, results, model_dir: str | None, parent: int) -> None:
    """A worker process: score the texts of each task until the None that ends the run."""
    common.watch(parent)  # a killed run leaves no worker behind
    while (task := tasks.get()) is not None:
        number, quotes = task
        try:
            results.put((number, score_texts(*quotes, model_dir=model_dir), None))
        except Exception as error:  # reported by the main process, which stops the run
            results.put((number, None, f"{type(error).__name__}: {error}"))


class _Workers:
    """Worker processes scoring chunks beside the main process, which reads, writes and scores too.

    With fork (Linux), the workers start as copies of the main process after it loaded the
    model: nothing is imported or unpickled again, and the model's pages are shared until
    written. At most two chunks per worker wait in the queue; the main process scores a
    chunk itself whenever the queue is full, so both cores stay busy whatever the share of
    reading and writing, and memory holds a few chunks only.
    """

    def __init__(self, count: int, model_dir: str | None) -> None:
        context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
        self.tasks, self.results = context.Queue(), context.Queue()
        self.processes = [context.Process(target=_work, args=(self.tasks, self.results, model_dir, os.getpid()),
                                           daemon=True)
                          for _ in range(count)]
        for process in self.processes:
            process.start()
        self.capacity = 2 * count
        self.in_flight = 0
        self.done: dict[int, list[str]] = {}

    def submit(self, number: int, quotes: Quotes) -> bool:
        """Queue a chunk's quotes; False when the queue is full (then the caller scores them)."""
        if self.in_flight >= self.capacity:
            return False
        self.tasks.put((number, quotes))
        self.in_flight += 1
        return True

    def collect(self, block: bool) -> None:
        """Take finished chunks off the result queue (waiting for one when `block`)."""
        while self.in_flight:
            try:
                number, suffixes, error = self.results.get(block=block, timeout=None if block else 0)
            except queue.Empty:
                return
            self.in_flight -= 1
            if error is not None:
                raise StanceError(f"a scoring process failed: {error}")
            self.done[number] = suffixes
            block = False

    def close(self) -> None:
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        self.tasks.close()
        self.results.close()

    def kill(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(timeout=5)
        self.tasks.cancel_join_thread()
        self.results.cancel_join_thread()


def scored_chunks(parts: Iterator[Chunk], model_dir: str | None, jobs: int) -> Iterator[str]:
    """Output rows, chunk by chunk, in input order; `jobs` processes (this one included) score."""
    first = next(parts, None)
    if first is None:
        return
    second = next(parts, None)
    scorer_for(model_dir)  # loaded before any fork, so the workers share it
    common.settle_memory()  # what loading freed, before the workers copy the process
    if jobs <= 1 or second is None:  # one chunk: starting processes would cost more than it saves
        for chunk in _chain(first, second, parts):
            yield merge(chunk, score_texts(*chunk.quotes(), model_dir=model_dir) if chunk.texts else [])
        return
    workers = _Workers(jobs - 1, model_dir)
    pending: deque[tuple[int, Chunk, list[str] | None]] = deque()  # in input order
    try:
        for number, chunk in enumerate(_chain(first, second, parts)):
            if not chunk.texts:
                pending.append((number, chunk, []))
            elif workers.submit(number, chunk.quotes()):
                pending.append((number, chunk, None))
            else:
                pending.append((number, chunk, score_texts(*chunk.quotes(), model_dir=model_dir)))
            workers.collect(block=False)
            # Write what is ready; wait for the oldest chunk rather than hold many in memory.
            while pending and (pending[0][2] is not None or pending[0][0] in workers.done
                               or len(pending) > workers.capacity + 1):
                yield _finish(pending.popleft(), workers)
        while pending:
            yield _finish(pending.popleft(), workers)
    except BaseException:
        workers.kill()
        raise
    workers.close()


def _finish(entry: tuple[int, Chunk, list[str] | None], workers: _Workers) -> str:
    number, chunk, suffixes = entry
    if suffixes is None:
        while number not in workers.done:
            workers.collect(block=True)
        suffixes = workers.done.pop(number)
    return merge(chunk, suffixes)


def _chain(first: Chunk, second: Chunk | None, rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield first
    if second is not None:
        yield second
        yield from rest


def score_csv(
    source: Path | str,
    target: Path | str,
    model_dir: Path | str | None = None,
    text_column: str = "text",
    jobs: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    report: Reporter = _stderr,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    field_limit: int = FIELD_LIMIT,
    use_context: bool = True,
) -> ScoreSummary:
    """Write `target`: every column and row of `source`, then the stance columns, row for row.

    `source`/`target` may be '-' (standard input/output) and end in '.gz'. Problems with the
    input as a whole (missing file, empty, not CSV text, no such column, a bad model) raise
    StanceError before anything is written.
    A field over `field_limit` characters makes its row malformed (reported, kept as text).
    The `speaker` and `speaker_role` columns, when present and `use_context`, are scored with
    the text; a row whose speaker or role is over the limit is reported, kept unscored.
    """
    started = time.monotonic()
    model = str(model_dir) if model_dir is not None else None
    scorer_for(model)  # verified and loaded before anything is read: a bad model is named as such
    jobs = jobs or default_jobs()
    stream, name = open_input(source, encoding)
    summary = ScoreSummary()
    with stream:
        header = read_header(stream, name)
        if text_column not in header:
            raise StanceError(f"{name}:1: no column {text_column!r} in the header ({', '.join(header)}); "
                              "choose one with --text-column")
        width, text_at = len(header), header.index(text_column)
        progress = progress or Progress(enabled=False)
        records = read_records(stream, field_limit=field_limit, source=source)
        parts = read_chunks(records, width, text_at, name, report, strict, summary, chunk_rows,
                            context_columns(header, use_context))
        try:
            with atomic_text_output(target) as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(header + list(OUTPUT_COLUMNS))
                for text in scored_chunks(parts, model, jobs):
                    out.write(text)
                    progress.update(summary.rows_read)
        except StanceError as error:
            message = str(error)
            raise StanceError(message if message.startswith(name) else f"{name}: {message}") from None
        finally:
            progress.close()
    summary.rows_scored = summary.rows_read - summary.rows_unscored
    summary.seconds = time.monotonic() - started
    return summary
