"""`stance score --engine dask`: the same scoring on a Dask cluster, for archives beyond one machine.

The input (a file or a glob of files with the same header) becomes a Dask dataframe with one
partition per block of rows: the driver reads the records once (the same reader as the local
engine, so line numbers and malformed rows are handled identically) and cuts each file into
byte ranges at record boundaries; each partition re-reads its own range on a worker and is
scored there by `batch.scoring.score_texts`, the function the local engine uses. The driver
then writes the partitions in order into one output file, atomically, with at most a few
partitions in flight. Workers need the project installed and the model directory at the
same path (the default model ships with the package).
"""

import glob
import io
from collections.abc import Iterator
from pathlib import Path

from quote_stance.batch.csv_scoring import ScoreSummary, _stderr, default_jobs, encode_row, merge, read_chunks
from quote_stance.batch.output import atomic_text_output
from quote_stance.batch.progress import Progress
from quote_stance.batch.records import FIELD_LIMIT, open_input, read_header, read_records
from quote_stance.batch.scoring import OUTPUT_COLUMNS, ContextColumns, context_columns, score_texts
from quote_stance.model.artifacts import default_model_dir, verify_directory
from quote_stance.common import StanceError

PARTITION_ROWS = 50_000
_KEPT = "; row kept unscored"


def _inputs(pattern: str) -> list[str]:
    if Path(pattern).is_file():
        return [pattern]
    found = sorted(p for p in glob.glob(pattern) if Path(p).is_file())
    if not found:
        raise StanceError(f"{pattern}: no such file (nor files matching it)")
    return found


def handle_starts_with_bom(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(3) == b"\xef\xbb\xbf"


def _codec(encoding: str | None) -> str:
    return "utf-8-sig" if encoding in (None, "utf-8", "utf8", "UTF-8") else encoding


def split_file(path: str, encoding: str | None, rows_per_partition: int,
               field_limit: int = FIELD_LIMIT) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The header, and (start byte, end byte, first line number) of each block of rows.

    Offsets are found by reading the file once with the local engine's record reader, so
    every block starts on a record boundary exactly where the local engine would see one.
    """
    codec = _codec(encoding)
    plain = "utf-8" if codec == "utf-8-sig" else codec
    with open(path, "rb") as handle:
        if handle.read(2) == b"\x1f\x8b":
            raise StanceError(f"{path}: the dask engine reads plain CSV files; gunzip it first")
    stream, name = open_input(path, encoding)  # checks emptiness and binary content
    stream.close()
    lengths: list[int] = []

    class Counting(io.TextIOWrapper):
        def readlines(self, hint=-1):
            lines = super().readlines(hint)
            lengths.extend(len(line.encode(plain, "surrogatepass")) for line in lines)
            return lines

    with open(path, "rb") as handle:
        text = Counting(handle, encoding=codec, newline="")
        first = text.readline()
        header = read_header(io.StringIO(first), name)
        header_bytes = len(first.encode(plain)) + (3 if codec == "utf-8-sig" and handle_starts_with_bom(path) else 0)
        ranges: list[tuple[int, int, int]] = []
        line_at_start, rows, start_byte = 2, 0, header_bytes
        counted_lines, counted_bytes = 0, header_bytes
        for record in read_records(text, field_limit=field_limit, source=path):
            if rows == 0:
                line_at_start = record.line
                # Physical lines before this record (after the header) give its byte offset.
                before = record.line - 2
                counted_bytes += sum(lengths[counted_lines:before])
                counted_lines = before
                start_byte = counted_bytes
            rows += 1
            if rows >= rows_per_partition:
                rows = 0
                ranges.append((start_byte, -1, line_at_start))
        if rows:
            ranges.append((start_byte, -1, line_at_start))
    # each range ends where the next begins
    size = Path(path).stat().st_size
    return header, [(s, ranges[i + 1][0] if i + 1 < len(ranges) else size, line) for i, (s, _e, line) in enumerate(ranges)]


def read_partition(path: str, start: int, end: int, first_line: int, encoding: str | None,
                   width: int, text_at: int, model_dir: str | None, field_limit: int = FIELD_LIMIT,
                   context_at: ContextColumns = (None, None)) -> "object":
    """Score one byte range of a file: a pandas DataFrame of (line, output text, reports)."""
    import pandas as pd

    codec = _codec(encoding)
    plain = "utf-8" if codec == "utf-8-sig" else codec
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    stream = io.StringIO(data.decode(plain), newline="")
    reports: list[str] = []
    summary = ScoreSummary()
    texts = []
    for chunk in read_chunks(read_records(stream, first_line, field_limit), width, text_at, path,
                             lambda message: reports.append(message.removesuffix(_KEPT)), False, summary, 4096,
                             context_at):
        suffixes = score_texts(*chunk.quotes(), model_dir=model_dir) if chunk.texts else []
        texts.append(merge(chunk, suffixes))
    return pd.DataFrame({"text": ["".join(texts)], "rows": [summary.rows_read],
                         "unscored": [summary.rows_unscored], "reports": ["\n".join(reports)]},
                        dtype=object)


def score_with_dask(source: str, target: str, model_dir: str | None = None, text_column: str = "text",
                    scheduler: str | None = None, workers: int | None = None, encoding: str | None = None,
                    strict: bool = False, chunk_rows: int = 4096, progress: Progress | None = None,
                    report=_stderr, partition_rows: int = PARTITION_ROWS,
                    field_limit: int = FIELD_LIMIT, use_context: bool = True) -> ScoreSummary:
    """Score a file or glob of files on a Dask cluster; the output equals the local engine's."""
    import time

    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError:
        raise StanceError("--engine dask needs Dask: pip install 'quote-stance[dask]'") from None
    import pandas as pd

    started = time.monotonic()
    verify_directory(Path(model_dir) if model_dir else default_model_dir())
    paths = _inputs(source)
    plan: list[tuple[str, int, int, int]] = []
    header: list[str] | None = None
    for path in paths:
        file_header, ranges = split_file(path, encoding, partition_rows, field_limit)
        if header is None:
            header = file_header
        elif file_header != header:
            raise StanceError(f"{path}: header differs from {paths[0]}'s ({', '.join(file_header)})")
        plan.extend((path, s, e, line) for s, e, line in ranges)
    assert header is not None
    if text_column not in header:
        raise StanceError(f"{paths[0]}:1: no column {text_column!r} in the header ({', '.join(header)}); "
                          "choose one with --text-column")
    width, text_at = len(header), header.index(text_column)
    context_at = context_columns(header, use_context)
    meta = pd.DataFrame({"text": pd.Series([], dtype=object), "rows": pd.Series([], dtype=object),
                         "unscored": pd.Series([], dtype=object), "reports": pd.Series([], dtype=object)})
    frame = dd.from_map(lambda part: read_partition(*part, encoding, width, text_at, model_dir, field_limit,
                                                                context_at),
                        plan, meta=meta, enforce_metadata=False) if plan else None
    summary = ScoreSummary()
    progress = progress or Progress(enabled=False)
    cluster = None
    client = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        with atomic_text_output(target) as out:
            out.write(encode_row(header + list(OUTPUT_COLUMNS)) + "\n")
            if frame is not None:
                for part in _ordered(client, frame.to_delayed(), window=2 * len(client.nthreads() or [1])):
                    row = part.iloc[0] if len(part) else None
                    if row is None:
                        continue
                    for message in filter(None, str(row["reports"]).split("\n")):
                        if strict:
                            raise StanceError(f"{message} (--strict stops at the first bad row)")
                        report(message + _KEPT)
                    summary.rows_read += int(row["rows"])
                    summary.rows_unscored += int(row["unscored"])
                    out.write(row["text"])
                    progress.update(summary.rows_read)
    finally:
        progress.close()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    summary.rows_scored = summary.rows_read - summary.rows_unscored
    summary.seconds = time.monotonic() - started
    return summary


def _ordered(client, parts, window: int) -> Iterator[object]:
    """Results of the delayed partitions in order, with at most `window` computing at once."""
    pending = []
    items = iter(parts)
    for item in items:
        pending.append(client.compute(item))
        if len(pending) >= window:
            yield pending.pop(0).result()
    while pending:
        yield pending.pop(0).result()


