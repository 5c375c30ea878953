"""`stance extract`: the quotes of a news article, who said each, and each one's stance.

    stance extract ARTICLE.txt|- [--format json|csv] [--output FILE] [--model DIR]
    stance extract --batch IN.jsonl|DIR --output quotes.csv [--model DIR]
"""

import argparse
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from quote_stance.batch.records import SNIFF_BYTES, check_text
from quote_stance.cli.options import add_field_limit
from quote_stance.common import StanceError
from quote_stance.model.labels import LABELS
from quote_stance.common import partial_file

if TYPE_CHECKING:  # the model stack is imported when a command runs, not when the CLI starts
    from quote_stance.model.predictor import StanceModel

QUOTE_COLUMNS = ("quote", "speaker", "speaker_role", "speaker_full", "cue", "start", "end", "stance", "confidence") + tuple(
    f"prob_{label}" for label in LABELS
)
BATCH_COLUMNS = ("article",) + QUOTE_COLUMNS
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    add_field_limit(parser, "a longer article is refused (with --batch: skipped and reported)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from quote_stance.model.predictor import load_model
    from quote_stance.quotes.finder import extract_quotes

    if args.batch is not None:
        if args.article is not None:
            raise StanceError("give either ARTICLE or --batch, not both")
        if args.output is None:
            raise StanceError("--batch needs --output quotes.csv")
        if args.format == "json":
            raise StanceError("--batch writes CSV (one row per quote); --format json is for one article")
        articles = _articles(args.batch, args.field_limit)
        first = next(articles, None)  # a file that cannot be read at all fails before the model loads
        if first is None:
            raise StanceError(f"{args.batch}:1: empty file, no articles")
        return _run_batch(_chain(first, articles), args.output, load_model(args.model))
    if args.article is None:
        raise StanceError("no article given: name a text file, - for standard input, or use --batch")
    text = _read_article(args.article, args.field_limit)
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


def _read_article(name: str, limit: int) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
        source = "standard input"
    else:
        path = Path(name)
        if not path.is_file():
            raise StanceError(f"{name}: no such file")
        data = path.read_bytes()
        source = name
    text, problem = _article_text(data, limit)
    if problem:
        raise StanceError(f"{source}:{problem}")
    return text


def _article_text(data: bytes, limit: int) -> tuple[str, str]:
    """An article's text from its bytes, or "LINE: problem" when it cannot be one."""
    if not data.strip():
        return "", "1: empty article"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return "", f"{line}: not UTF-8 text (byte {error.start})"
    try:
        check_text(data[:SNIFF_BYTES], "utf-8-sig", "", chosen=True, what="a text article", undecodable=True)
    except StanceError as error:
        return "", str(error).lstrip(":")  # check_text's message, without the empty name
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return "", f"{line}: a NUL character; binary data, not a text article"
    if len(text) > limit:
        line = text.count("\n", 0, limit) + 1
        return "", (f"{line}: the article passes the limit of {limit:,} characters (--field-limit) "
                    f"on this line; it has {len(text):,}")
    return text, ""


def _well_formed(text: str) -> str:
    """Half a UTF-16 pair ("\\ud83d" in JSON) read as U+FFFD, as the service reads it: UTF-8,
    and so the output, cannot hold it. One character for one, so offsets do not move."""
    return _SURROGATE.sub("\ufffd", text)


def _row(quote: dict) -> list:
    probabilities = quote["probabilities"]
    return [
        quote["quote"], quote["speaker"] or "", quote["speaker_role"] or "", quote["speaker_full"] or "", quote["cue"] or "",
        quote["start"], quote["end"], quote["stance"], f"{quote['confidence']:.4f}",
    ] + [f"{probabilities[label]:.4f}" for label in LABELS]


def _articles(source: Path, limit: int) -> Iterator[tuple[str, str | None, str]]:
    """(article id, text or None when unreadable, problem) for each article of a batch.

    A file that cannot be read at all (missing, binary) raises StanceError; a line or .txt file
    that cannot be read is yielded with its problem, and the run goes on.
    """
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        if not files:
            raise StanceError(f"{source}: no .txt files in this folder")
        for path in files:
            text, problem = _article_text(path.read_bytes(), limit)
            yield path.name, (text or None), (f"{path}:{problem}" if problem else "")
        return
    if not source.is_file():
        raise StanceError(f"{source}: no such file or folder")
    with open(source, "rb") as handle:
        sample = handle.read(SNIFF_BYTES)  # binary data stops the run; a bad line costs that line
        check_text(sample, "utf-8-sig", str(source), chosen=True, what="JSON lines", undecodable=True)
        if b"\x00" in sample:
            line = sample.count(b"\n", 0, sample.index(0)) + 1
            raise StanceError(f"{source}:{line}: not JSON lines: a NUL byte; binary data")
        handle.seek(0)
        for number, data in enumerate(handle, start=1):
            try:  # line by line, so that a bad byte costs its line and names it
                line = data.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                yield f"line {number}", None, f"{source}:{number}: not UTF-8 text (byte {error.start} of the line)"
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                yield f"line {number}", None, f"{source}:{number}: not JSON ({error.msg})"
                continue
            except RecursionError:
                yield f"line {number}", None, f"{source}:{number}: not JSON (nested too deeply)"
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                yield f"line {number}", None, f"{source}:{number}: expected an object with a string 'text'"
                continue
            identifier = row.get("id", row.get("url"))
            name = _well_formed(str(identifier)) if identifier is not None else f"line {number}"
            if len(row["text"]) > limit:
                yield name, None, (f"{source}:{number}: a text of {len(row['text']):,} characters, over the limit "
                                   f"of {limit:,} (--field-limit)")
                continue
            yield name, _well_formed(row["text"]), ""


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _run_batch(articles: Iterator[tuple[str, str | None, str]], target: Path, model: "StanceModel") -> int:
    from quote_stance.quotes.finder import extract_quotes_many

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

    for identifier, text, problem in articles:
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
    descriptor, temporary = partial_file(folder / target.name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
