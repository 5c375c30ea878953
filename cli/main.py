"""`stance`: one entry point, one module per subcommand."""

import argparse
import sys
from collections.abc import Sequence

from quote_stance.cli import compare, corrections, evaluate, extract, score, serve, train
from quote_stance.common import StanceError

SUBCOMMANDS = (train, evaluate, score, extract, serve, corrections, compare)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stance",
        description="Stance of news quotes toward the federal grant conditions on sanctuary jurisdictions.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except StanceError as error:
        print(f"stance {args.command}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        print(f"stance {args.command}: error: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"stance {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
