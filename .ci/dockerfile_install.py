"""Run the Dockerfile's install steps in a fresh virtualenv, then its CMD and HEALTHCHECK.

No Docker engine runs on CI machines; this stands in for `docker build` + `docker run`:
the files the Dockerfile COPYs go to a scratch directory laid out as in the image (one per
build stage; `COPY --from=STAGE` copies from that stage's), its `pip wheel` and
`pip install` RUN steps run there with a new virtualenv's python, and the CMD is started
(on a free loopback port) until the HEALTHCHECK command succeeds; then the page at / and
every file it loads must be served (the package data shipped). Steps that change the
system (useradd) are reported and skipped.
"""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            logical.append((keyword.upper(), rest.strip()))
    return logical


def words(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def check_page(base: str) -> None:
    """The installed package serves the page and every file it loads (package data shipped)."""
    import re
    import urllib.request

    def get(path: str) -> bytes:
        with urllib.request.urlopen(base + path, timeout=10) as answer:
            assert answer.status == 200, f"GET {path}: {answer.status}"
            return answer.read()

    page = get("/").decode()
    assets = set(re.findall(r'(?:src|href)="static/([^"]+)"', page))
    pending, seen = list(assets), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        body = get(f"/static/{name}").decode()
        pending += re.findall(r'from "\./([^"]+)"', body)
    assert "main.js" in seen, "the page loads no script"
    print(f"the page and its {len(seen)} files are served by the installed package", flush=True)


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="dockerfile-install-"))
    image_root = scratch / "image"
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STANCE_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    workdir = image_root
    stages: dict[str, Path] = {}
    command = healthcheck = None
    try:
        for keyword, args in instructions():
            if keyword == "FROM":  # a new stage: its own file system
                image_root = scratch / f"stage-{len(stages)}"
                image_root.mkdir()
                workdir = image_root
                parts = args.split()
                name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else str(len(stages))
                stages[name] = image_root
            elif keyword == "ENV":
                for pair in shlex.split(args):
                    name, _, value = pair.partition("=")
                    env[name] = value
            elif keyword == "WORKDIR":
                workdir = image_root / args.lstrip("/")
                workdir.mkdir(parents=True, exist_ok=True)
            elif keyword == "COPY":
                *sources, target = shlex.split(args)
                origin = ROOT
                if sources and sources[0].startswith("--from="):
                    origin = stages[sources.pop(0).partition("=")[2]]
                    sources = [source.lstrip("/") for source in sources]
                destination = workdir / target
                for source in sources:
                    src = origin / source
                    if src.is_dir():
                        shutil.copytree(src, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                    else:
                        destination.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(src, destination / src.name)
            elif keyword == "RUN":
                if "pip install" in args or "pip wheel" in args:
                    print(f"RUN {args}", flush=True)
                    subprocess.run(args, shell=True, cwd=workdir, env=env, check=True)
                else:
                    print(f"skipped (changes the system): RUN {args}", flush=True)
            elif keyword == "CMD":
                command = words(args)
            elif keyword == "HEALTHCHECK":
                healthcheck = words(args.split(" CMD ", 1)[1])
        assert command and healthcheck, "the Dockerfile needs a CMD and a HEALTHCHECK"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = str(sock.getsockname()[1])
        # Same command, but on loopback and a free port; the check is pointed there too.
        command = [port if a == "8000" else "127.0.0.1" if a == "0.0.0.0" else a for a in command]
        healthcheck = [a.replace(":8000/", f":{port}/") for a in healthcheck]
        print(f"CMD {command}", flush=True)
        server = subprocess.Popen(command, cwd=scratch, env=env)
        try:
            deadline = time.monotonic() + 90
            while subprocess.run(healthcheck, env=env, cwd=scratch, capture_output=True).returncode != 0:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("the HEALTHCHECK never passed", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            print("HEALTHCHECK passed", flush=True)
            try:
                check_page(f"http://127.0.0.1:{port}")
            except (AssertionError, OSError) as error:
                print(f"the installed package does not serve the page: {error}", file=sys.stderr)
                return 1
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
