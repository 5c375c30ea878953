"""`stance extract`: the quotes of a news article, who said each, and each one's stance.

    stance extract ARTICLE.txt|- [--format json|csv] [--output FILE] [--model DIR]
    stance extract --batch IN.jsonl|DIR --output quotes.csv [--model DIR]
"""

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import StanceError
from model.labels import LABELS

if TYPE_CHECKING:  # the model stack is imported when a command runs, not when the CLI starts
    from model.predictor import StanceModel

QUOTE_COLUMNS = ("quote", "speaker", "speaker_full", "cue", "start", "end", "stance", "confidence") + tuple(
    f"prob_{label}" for label in LABELS
)
BATCH_COLUMNS = ("article",) + QUOTE_COLUMNS
CHUNK_ARTICLES = 200  # articles whose quotes are scored in one model call


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "extract",
        help="find the quotes in a news article, their speakers and stances",
        description="Find the quotes in a news article, name each speaker and score each quote.",
    )
    parser.add_argument("article", nargs="?", metavar="ARTICLE", help="a UTF-8 text file, or - for standard input")
    parser.add_argument("--format", choices=("json", "csv"), help="output for one article (default: json; --batch always writes CSV)")
    parser.add_argument(
        "--batch", type=Path, metavar="IN.jsonl|DIR",
        help="many articles: a JSONL file (one object with 'text' and optionally 'id' per line) or a folder of .txt files",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write here instead of standard output (required with --batch)")
    parser.add_argument("--model", type=Path, metavar="DIR", help="model directory (default: the shipped model)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from model.predictor import load_model
    from model.quotes import extract_quotes

    if args.batch is not None:
        if args.article is not None:
            raise StanceError("give either ARTICLE or --batch, not both")
        if args.output is None:
            raise StanceError("--batch needs --output quotes.csv")
        if args.format == "json":
            raise StanceError("--batch writes CSV (one row per quote); --format json is for one article")
        return _run_batch(args.batch, args.output, load_model(args.model))
    if args.article is None:
        raise StanceError("no article given: name a text file, - for standard input, or use --batch")
    text = _read_article(args.article)
    model = load_model(args.model)
    quotes = extract_quotes(text, model)
    if args.format in (None, "json"):
        rendered = json.dumps({"quotes": quotes, "model_version": model.version}, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(QUOTE_COLUMNS)
        writer.writerows(_row(quote) for quote in quotes)
        rendered = buffer.getvalue()
    if args.output is None:
        sys.stdout.write(rendered)
    else:
        _write_atomically(args.output, rendered)
        print(f"stance extract: {len(quotes)} quotes -> {args.output}", file=sys.stderr)
    return 0


def _read_article(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
        source = "standard input"
    else:
        path = Path(name)
        if not path.is_file():
            raise StanceError(f"{name}: no such file")
        data = path.read_bytes()
        source = name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StanceError(f"{source}: not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise StanceError(f"{source}: empty article")
    return text


def _row(quote: dict) -> list:
    probabilities = quote["probabilities"]
    return [
        quote["quote"], quote["speaker"] or "", quote["speaker_full"] or "", quote["cue"] or "",
        quote["start"], quote["end"], quote["stance"], f"{quote['confidence']:.4f}",
    ] + [f"{probabilities[label]:.4f}" for label in LABELS]


def _articles(source: Path) -> Iterator[tuple[str, str | None, str]]:
    """(article id, text or None when unreadable, problem) for each article of a batch."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        if not files:
            raise StanceError(f"{source}: no .txt files in this folder")
        for path in files:
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                yield path.name, None, f"not UTF-8 text (byte {error.start})"
                continue
            yield path.name, text, ""
        return
    if not source.is_file():
        raise StanceError(f"{source}: no such file or folder")
    with open(source, encoding="utf-8-sig", errors="strict") as handle:
        number = 0
        while True:
            try:
                line = handle.readline()
            except UnicodeDecodeError as error:
                raise StanceError(f"{source}: not UTF-8 text (after line {number})") from error
            if not line:
                break
            number += 1
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                yield f"line {number}", None, f"{source}:{number}: not JSON ({error.msg})"
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                yield f"line {number}", None, f"{source}:{number}: expected an object with a string 'text'"
                continue
            identifier = row.get("id", row.get("url"))
            yield (str(identifier) if identifier is not None else f"line {number}"), row["text"], ""


def _run_batch(source: Path, target: Path, model: "StanceModel") -> int:
    from model.quotes import extract_quotes_many

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BATCH_COLUMNS)
    read = quoted = failed = 0
    chunk: list[tuple[str, str]] = []

    def flush() -> int:
        results = extract_quotes_many([text for _, text in chunk], model)
        for (identifier, _), quotes in zip(chunk, results):
            writer.writerows([identifier] + _row(quote) for quote in quotes)
        chunk.clear()
        return sum(map(len, results))

    for identifier, text, problem in _articles(source):
        read += 1
        if text is None or not text.strip():
            failed += 1
            print(f"stance extract: {problem or f'{identifier}: empty article'}; skipped", file=sys.stderr)
            continue
        chunk.append((identifier, text))
        if len(chunk) >= CHUNK_ARTICLES:
            quoted += flush()
    quoted += flush()
    _write_atomically(target, buffer.getvalue())
    print(
        f"stance extract: {read} articles read, {read - failed} searched, {failed} skipped, {quoted} quotes -> {target}",
        file=sys.stderr,
    )
    return 0


def _write_atomically(target: Path, content: str) -> None:
    """Write `content` to `target` so that a reader never sees half a file."""
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
