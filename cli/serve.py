"""`stance serve`: run the HTTP service under uvicorn."""

import argparse
import os
import sys
from pathlib import Path

WORKER_START_SECONDS = 60


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the HTTP service",
        description="Run the HTTP service. Settings also come from STANCE_* environment variables "
        "(see docs/http-api.md); options given here take precedence.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    parser.add_argument(
        "--model", type=Path, metavar="DIR", help="model directory (default: STANCE_MODEL_DIR, else the shipped model)"
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: `stance score` workers and `--help` should not pay for the web stack.
    import uvicorn

    from quote_stance.model.predictor import load_model
    from quote_stance.service.logs import log_config
    from quote_stance.service.settings import from_env

    if args.workers < 1:
        print("stance serve: error: --workers must be at least 1", file=sys.stderr)
        return 2
    # Workers are fresh processes that build the app from the environment, so options go there.
    if args.model is not None:
        os.environ["STANCE_MODEL_DIR"] = str(args.model.resolve())
    if args.workers > 1:
        os.environ["STANCE_SUPERVISOR_PID"] = str(os.getpid())  # uvicorn's supervisor runs in this process
    else:
        os.environ.pop("STANCE_SUPERVISOR_PID", None)
    settings = from_env()  # a bad setting fails here, in one line, not in every worker
    load_model(settings.model_dir)  # likewise a missing or altered model
    uvicorn.run(
        "quote_stance.service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=log_config(args.log_level),
        access_log=False,  # the service writes its own request lines, with request ids
        server_header=False,
        timeout_graceful_shutdown=30,
        # How long a replacement worker may take to start before uvicorn gives up on a reload
        # and keeps the old one. Its default, 5 s, is less than a worker's start-up (imports and
        # the model) takes on a busy 2-core machine: a reload then left workers on two models.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )
    return 0
