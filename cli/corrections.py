"""`stance corrections export OUT.csv`: every stored correction as a labeled CSV."""

import argparse
import csv
import sys
from collections.abc import Iterable
from pathlib import Path

COLUMNS = ("text", "label", "speaker", "speaker_role", "source", "created_at",
           "predicted", "model_version", "note", "id")


def add_parser(commands) -> None:
    parser = commands.add_parser("corrections", help="the corrections reporters have made (the store)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="write every stored correction as a labeled CSV, oldest first ('-': standard output)")
    export.add_argument("output", metavar="OUT.csv")
    export.set_defaults(run=run_export)


def write_csv(rows: Iterable, output: Path | str) -> int:
    """Write `rows` (the store's corrections) to `output`, all or nothing; return how many."""
    from quote_stance.batch.output import atomic_text_output

    count = 0
    with atomic_text_output(output) as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for item in rows:
            record = item.to_dict() | {"source": "correction"}
            writer.writerow(["" if record[name] is None else record[name] for name in COLUMNS])
            count += 1
    return count


def run_export(args: argparse.Namespace) -> int:
    from quote_stance.store.repository import open_store

    store = open_store()
    try:
        count = write_csv(store.all(), args.output)
    finally:
        store.close()
    print(f"stance corrections: wrote {count} correction(s) to {args.output}", file=sys.stderr)
    return 0
