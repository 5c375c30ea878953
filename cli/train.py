"""`stance train`: select, fit and write a model directory."""

import argparse
import os
import sys
from pathlib import Path

from quote_stance.cli.options import add_field_limit, add_no_context


def add_parser(commands) -> None:
    parser = commands.add_parser("train", help="train a model on labeled CSVs and write a model directory")
    parser.add_argument("--data", nargs="+", type=Path, metavar="CSV",
                        help="labeled CSV files (default: the corpus shipped in data/)")
    parser.add_argument("--output", type=Path, default=Path("stance-model"), metavar="DIR",
                        help="model directory to write (default: ./stance-model)")
    parser.add_argument("--dev", type=Path, metavar="CSV",
                        help="a held-out labeled CSV, scored after selection and recorded in the metadata")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="cross-validation runs with different splits, averaged for selection (default: 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel folds (default: all cores)")
    parser.add_argument("--with-corrections", action="store_true",
                        help="also train on the stored corrections (the latest per quote; see docs/corrections.md)")
    add_field_limit(parser, "a longer field stops the run, naming its line")
    add_no_context(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: `stance` loads every subcommand's parser, and training pulls in
    # scikit-learn and NLTK (~200 MB) that `stance score` must not pay for.
    from quote_stance.data import corpus_paths
    from quote_stance.training.corpus import load_corpus

    data = args.data or corpus_paths()
    # Every file is checked before scikit-learn is imported, so a bad one fails in a moment.
    load_corpus(data + ([args.dev] if args.dev else []), args.field_limit)
    corrections = stored_corrections() if args.with_corrections else None
    from quote_stance.training.metrics import format_report
    from quote_stance.training.train import train_model

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    metadata = train_model(data, args.output, dev=args.dev, seed=args.seed, folds=args.folds, repeats=args.repeats,
                           jobs=args.jobs, progress=progress, field_limit=args.field_limit,
                           corrections=corrections, use_context=not args.no_context)
    cv = metadata["metrics"]["cross_validation"]
    print(format_report(cv["all_rows"], f"cross-validation ({cv['folds']} folds, grouped), all rows"))
    print()
    print(format_report(cv["news_rows"], "cross-validation, news rows"))
    if metadata["metrics"]["dev"]:
        print()
        print(format_report(metadata["metrics"]["dev"], f"dev: {metadata['metrics']['dev']['file']}"))
        without = metadata["metrics"]["dev"].get("without_context")
        if without:
            print()
            print(format_report(without, f"dev: {metadata['metrics']['dev']['file']}, speaker columns ignored"))
    print(f"\nwrote {args.output} (version {metadata['version']})")
    return 0


def stored_corrections() -> list:
    """The latest correction of each quote in the store the environment names."""
    from quote_stance.store.repository import open_store

    store = open_store()
    try:
        items = store.latest_per_text()
    finally:
        store.close()
    print(f"corrections: {len(items)} quote(s) from {store.where}", file=sys.stderr, flush=True)
    return items
