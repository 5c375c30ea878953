"""`stance evaluate`: score a labeled CSV against its labels."""

import argparse
import json
from pathlib import Path

from quote_stance.cli.options import add_field_limit, add_no_context


def add_parser(commands) -> None:
    parser = commands.add_parser("evaluate", help="measure a model on a labeled CSV")
    parser.add_argument("csv", type=Path, metavar="CSV", help="labeled CSV with text and label columns")
    parser.add_argument("--model", type=Path, metavar="DIR", help="model directory (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_field_limit(parser, "a longer field stops the run, naming its line")
    add_no_context(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so that loading the `stance` parser stays light (see cli/train.py); the
    # file is read before the model stack is imported, so a bad file fails at once.
    from quote_stance.training.corpus import read_labeled_csv

    corpus = read_labeled_csv(args.csv, args.field_limit)
    from quote_stance.model.predictor import load_model
    from quote_stance.training.metrics import evaluate_predictions, format_report

    model = load_model(args.model)
    if args.no_context:
        corpus = corpus.without_context()
    metrics = evaluate_predictions(corpus.labels, model.predict_proba(corpus.texts, corpus.speakers, corpus.roles))
    metrics["model_version"] = model.version
    if args.json:
        print(json.dumps(metrics))
    else:
        print(format_report(metrics, f"{args.csv} (model {model.version})"))
    return 0
