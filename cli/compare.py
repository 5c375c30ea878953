"""`stance compare CANDIDATE_DIR [--baseline DIR] --data CSV [--margin M]`: may a new model replace the old?"""

import argparse
from pathlib import Path

from quote_stance.cli.options import add_field_limit


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "compare", help="score two models on one labeled CSV; fail when the candidate is worse",
        description="Prints both models' macro-F1, per-class F1 and ECE side by side; exits 1 when the "
                    "candidate's macro-F1 is below the baseline's by more than the margin.")
    parser.add_argument("candidate", type=Path, metavar="CANDIDATE_DIR", help="the new model directory")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="the model to beat (default: the shipped model)")
    parser.add_argument("--data", type=Path, required=True, metavar="CSV", help="labeled CSV both are scored on")
    parser.add_argument("--margin", type=_margin, default=0.01, metavar="M",
                        help="how much lower the candidate's macro-F1 may be (default: 0.01)")
    add_field_limit(parser, "a longer field stops the run, naming its line")
    parser.set_defaults(run=run)


def _margin(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..1 (macro-F1 is a fraction)")
    return value


def side_by_side(baseline: dict, candidate: dict) -> str:
    rows = [("macro-F1", "macro_f1"), ("accuracy", "accuracy"), ("ECE (lower is better)", "ece")]
    lines = [f"{'':<24}{'baseline':>12}{'candidate':>12}{'change':>10}"]
    for title, key in rows:
        lines.append(f"{title:<24}{baseline[key]:>12.3f}{candidate[key]:>12.3f}{candidate[key] - baseline[key]:>+10.3f}")
    for label in baseline["per_class"]:
        old, new = baseline["per_class"][label]["f1"], candidate["per_class"][label]["f1"]
        lines.append(f"{'F1 ' + label:<24}{old:>12.3f}{new:>12.3f}{new - old:>+10.3f}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    # The file is read before the model stack is imported, so a bad one fails at once.
    from quote_stance.training.corpus import read_labeled_csv

    corpus = read_labeled_csv(args.data, args.field_limit)
    from quote_stance.model.predictor import load_model
    from quote_stance.training.metrics import evaluate_predictions

    baseline, candidate = load_model(args.baseline), load_model(args.candidate)
    scores = [evaluate_predictions(corpus.labels, model.predict_proba(corpus.texts)) for model in (baseline, candidate)]
    print(f"{args.data}: {scores[0]['n']} labeled quotes")
    print(f"baseline:  {args.baseline or 'the shipped model'} ({baseline.version})")
    print(f"candidate: {args.candidate} ({candidate.version})")
    print(side_by_side(scores[0], scores[1]))
    drop = scores[0]["macro_f1"] - scores[1]["macro_f1"]
    if drop > args.margin:
        print(f"refused: the candidate's macro-F1 is {drop:.3f} below the baseline's (margin {args.margin:g})")
        return 1
    print(f"accepted: the candidate's macro-F1 is within {args.margin:g} of the baseline's or above it")
    return 0
