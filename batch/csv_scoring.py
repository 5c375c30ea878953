"""Score a CSV file row by row, keeping every input column and every row."""

import csv
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from model.errors import StanceError
from model.labels import LABELS
from model.predictor import StanceModel

OUTPUT_COLUMNS = ("stance", "confidence") + tuple(f"prob_{label}" for label in LABELS)
CHUNK_ROWS = 2048


@dataclass
class ScoreSummary:
    rows_read: int = 0
    rows_scored: int = 0
    rows_unscored: int = 0


def score_csv(
    source: Path,
    target: Path,
    model: StanceModel,
    text_column: str = "text",
    report: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> ScoreSummary:
    """Write `target` with every column of `source`, then the stance columns, row for row.

    A row whose text is blank, or whose field count differs from the header, is written with
    empty stance columns and reported with its line number. The output appears at `target`
    only once it is complete.
    """
    with open(source, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise StanceError(f"{source}: empty file, expected a header row") from None
        except csv.Error as error:
            raise StanceError(f"{source}:1: {error}") from None
        if text_column not in header:
            raise StanceError(f"{source}: no column {text_column!r} (header: {', '.join(header)})")
        text_at = header.index(text_column)
        summary = ScoreSummary()
        target.parent.mkdir(parents=True, exist_ok=True) if target.parent != Path("") else None
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent or ".")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(header + list(OUTPUT_COLUMNS))
                chunk: list[tuple[int, list[str]]] = []
                line = reader.line_num + 1
                try:
                    for row in reader:
                        chunk.append((line, row))
                        line = reader.line_num + 1
                        if len(chunk) >= CHUNK_ROWS:
                            _score_chunk(chunk, len(header), text_at, model, writer, summary, source, report)
                            chunk = []
                except csv.Error as error:
                    raise StanceError(f"{source}:{line}: {error}") from None
                _score_chunk(chunk, len(header), text_at, model, writer, summary, source, report)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return summary


def _score_chunk(chunk, width, text_at, model, writer, summary, source, report) -> None:
    scorable = []
    for line, row in chunk:
        if len(row) != width:
            report(f"{source}:{line}: {len(row)} fields, the header has {width}; row kept unscored")
        elif not row[text_at].strip():
            report(f"{source}:{line}: blank text; row kept unscored")
        else:
            scorable.append(row[text_at])
    probs = model.predict_proba(scorable) if scorable else None
    k = 0
    for line, row in chunk:
        summary.rows_read += 1
        if len(row) == width and row[text_at].strip():
            p = probs[k]
            k += 1
            best = int(p.argmax())
            writer.writerow(row + [LABELS[best], f"{p[best]:.4f}"] + [f"{x:.4f}" for x in p])
            summary.rows_scored += 1
        else:
            writer.writerow(row + [""] * len(OUTPUT_COLUMNS))
            summary.rows_unscored += 1
