"""Options that several subcommands share."""

import argparse

from quote_stance.batch.records import FIELD_LIMIT


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below the minimum of 1")
    return value


def add_field_limit(parser: argparse.ArgumentParser, beyond: str) -> None:
    """`--field-limit N`: the most characters one field (a CSV cell, an article) may have."""
    parser.add_argument(
        "--field-limit", type=_positive, default=FIELD_LIMIT, metavar="N",
        help=f"most characters in one field (default: {FIELD_LIMIT:,}); {beyond}",
    )


def add_no_context(parser: argparse.ArgumentParser) -> None:
    """`--no-context`: ignore the `speaker` and `speaker_role` columns of the input."""
    parser.add_argument(
        "--no-context", action="store_true",
        help="ignore the speaker and speaker_role columns (by default they are used when present)",
    )
