"""`stance score`: add stance columns to every row of a CSV (the work is done in `batch`)."""

import argparse
import sys

from quote_stance.cli.options import add_field_limit, add_no_context


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "score", help="score every row of a CSV file",
        description="Write OUT with every column and row of IN, then stance, confidence, prob_support, "
                    "prob_oppose, prob_neutral. Rows that cannot be scored are kept with empty stance "
                    "columns and reported on stderr with their line numbers.",
    )
    parser.add_argument("input", metavar="IN.csv",
                        help="CSV with a header and a text column; '-' for standard input; .gz is read as gzip "
                             "(with --engine dask: a file or a glob pattern)")
    parser.add_argument("--output", required=True, metavar="OUT.csv",
                        help="CSV to write ('-' for standard output; a name ending in .gz is gzipped)")
    parser.add_argument("--text-column", default="text", metavar="NAME", help="column holding the text (default: text)")
    parser.add_argument("--model", metavar="DIR", help="model directory (default: the shipped model)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="processes that score (default: all cores); with dask: local cluster workers")
    parser.add_argument("--encoding", metavar="NAME", help="encoding of IN (default: UTF-8, with or without BOM)")
    parser.add_argument("--strict", action="store_true", help="fail at the first row that cannot be scored")
    parser.add_argument("--quiet", action="store_true", help="no progress display and no summary line")
    parser.add_argument("--chunk-rows", type=int, default=2048, metavar="N", help="rows per chunk (default: 2048)")
    add_field_limit(parser, "a row with a longer field is reported and kept as plain text, unscored")
    add_no_context(parser)
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes (default), or Dask's dataframe on a distributed cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: address of a running scheduler (default: start a local cluster)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from quote_stance.batch.progress import Progress
    from quote_stance.common import StanceError

    if args.jobs is not None and args.jobs < 1:
        raise StanceError("--jobs must be at least 1")
    if args.chunk_rows < 1:
        raise StanceError("--chunk-rows must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise StanceError("--scheduler needs --engine dask")
    progress = Progress(enabled=False if args.quiet else None)
    if args.engine == "dask":
        from quote_stance.batch.dask_engine import score_with_dask

        summary = score_with_dask(args.input, args.output, model_dir=args.model, text_column=args.text_column,
                                  scheduler=args.scheduler, workers=args.jobs, encoding=args.encoding,
                                  strict=args.strict, chunk_rows=args.chunk_rows, progress=progress,
                                  field_limit=args.field_limit, use_context=not args.no_context)
    else:
        from quote_stance.batch.csv_scoring import score_csv

        summary = score_csv(args.input, args.output, model_dir=args.model, text_column=args.text_column,
                            jobs=args.jobs, encoding=args.encoding, strict=args.strict, progress=progress,
                            chunk_rows=args.chunk_rows, field_limit=args.field_limit,
                            use_context=not args.no_context)
    if not args.quiet:
        print(f"stance score: {summary.line()} -> {args.output}", file=sys.stderr)
    return 0
