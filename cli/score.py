"""`stance score`: add stance columns to every row of a CSV."""

import argparse
import sys
from pathlib import Path

from batch.csv_scoring import score_csv
from model.errors import StanceError
from model.predictor import load_model


def add_parser(commands) -> None:
    parser = commands.add_parser("score", help="score every row of a CSV file")
    parser.add_argument("input", type=Path, metavar="IN.csv", help="CSV with a header and a text column")
    parser.add_argument("--output", type=Path, required=True, metavar="OUT.csv", help="CSV to write")
    parser.add_argument("--text-column", default="text", metavar="NAME", help="column holding the text (default: text)")
    parser.add_argument("--model", type=Path, metavar="DIR", help="model directory (default: the shipped model)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.input.is_file():
        raise StanceError(f"{args.input}: no such file")
    model = load_model(args.model)
    summary = score_csv(args.input, args.output, model, text_column=args.text_column)
    print(
        f"stance score: {summary.rows_read} rows read, {summary.rows_scored} scored, "
        f"{summary.rows_unscored} left unscored -> {args.output}",
        file=sys.stderr,
    )
    return 0
