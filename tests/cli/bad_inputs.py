"""Every bad input and altered model tried on the command line, run for real; prints the tables of docs/reliability.md.

    python -m tests.cli.bad_inputs          # the tables (markdown), from a run in a temporary folder

Each case writes its files in a fresh folder, runs `stance ...` there as a subprocess (so the
messages show the short names), and records the exit status, what went to stderr and what
was left at the output path. The reload cases build the app in process on an altered copy of
the model and ask it to reload. `tests/cli/test_bad_inputs.py` runs the same cases, checks
each (one line naming the file and the line, no traceback, non-zero exit where the run cannot
go on, nothing half-written, no row lost) and checks that the tables of docs/reliability.md are this run's.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

STANCE = str(Path(sys.executable).with_name("stance"))
# A small limit for the cases over the configured field-size limit, so that their files stay small.
SMALL_LIMIT = "100"

LABELED = "text,label\nWe will sue over these grant conditions,oppose\nThe hearing is on Monday,neutral\n"
ARTICLE = '"We will see them in court," Mayor Dana Roe said on Tuesday.\n'
BINARY = bytes(range(256)) * 8  # every byte value: NULs, control characters, bytes that are not UTF-8
LATIN1_LABELED = "text,label\nWe will sue,oppose\nCaf\u00e9 owners will comply,neutral\n".encode("latin-1")
UNTERMINATED = "text,label\nWe will sue,oppose\n\"Comply with the law,neutral\nThe hearing is on Monday,neutral\n"
LONG_LABELED = f"text,label\nWe will sue,oppose\n{'a' * 150} long text,neutral\n"
DEFAULT_LIMIT_LABELED = f"text,label\nWe will sue,oppose\n{'word ' * 220_000},neutral\n"  # 1.1 million characters


@dataclass(frozen=True)
class Case:
    problem: str  # what is wrong with the input, as the table says it
    args: tuple[str, ...]  # after `stance`; paths are relative to the case's folder
    files: dict[str, bytes] = field(default_factory=dict, hash=False)
    output: str | None = None  # the path the command would write
    setup: Callable[[Path], None] | None = field(default=None, hash=False, compare=False)
    fatal: bool = True  # the run cannot go on: non-zero exit, nothing written
    rows: int | None = None  # when it goes on: the rows (or quotes) it must write, none lost
    reported: bool = True  # when it goes on: whether a line or row is reported as bad

    @property
    def command(self) -> str:
        shown, skip = [], False
        for arg in self.args:  # the command as a user would type it, without the folder's noise
            if skip:
                skip = False
                continue
            if arg in ("--output", "--quiet", "--port"):
                skip = arg in ("--output", "--port")
                continue
            shown.append(arg)
        return "stance " + " ".join(shown)

    @property
    def input(self) -> str:
        """The file at fault, as the message must name it."""
        if "--model" in self.args:
            return "model"
        if "--batch" in self.args:
            return self.args[self.args.index("--batch") + 1]
        if "--data" in self.args:
            return self.args[self.args.index("--data") + 1]
        return self.args[1]


@dataclass(frozen=True)
class Outcome:
    case: Case
    returncode: int
    stderr: str
    written: str  # what is at the output path afterwards
    count: int | None = None  # rows or quotes written, when something was

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


# CSV files no command can read as a table of quotes: (problem, file name, content).
_UNREADABLE_CSV = [
    ("empty file", "empty.csv", b""),
    ("binary data", "binary.csv", BINARY),
    ("zeros (a file never written)", "zeros.csv", bytes(4096)),
    ("wrong encoding (Latin-1)", "latin1.csv", LATIN1_LABELED),
    ("wrong encoding (UTF-16)", "utf16.csv", LABELED.encode("utf-16")),
    ("no text column", "no_text.csv", b"quote,label\nWe will sue,oppose\n"),
]


def _labeled_cases(command: str) -> list[Case]:
    """The bad CSV files, for a command that reads a labeled CSV (`evaluate`, `train --data`)."""

    def case(problem: str, name: str, content: bytes, *options: str) -> Case:
        if command == "train":
            args = ("train", "--data", name, "--output", "model-out", *options)
            return Case(problem, args, {name: content}, "model-out")
        return Case(problem, ("evaluate", name, *options), {name: content})

    return [
        *(case(*unreadable) for unreadable in _UNREADABLE_CSV),
        case("unterminated quote", "unterminated.csv", UNTERMINATED.encode()),
        case("a field over the limit", "long.csv", LONG_LABELED.encode(), "--field-limit", SMALL_LIMIT),
        case("a field over the default limit", "longer.csv", DEFAULT_LIMIT_LABELED.encode()),
        case("unknown label", "bad_label.csv", b"text,label\nWe will sue,oppose\nFine,agree\n"),
        case("blank text", "blank.csv", b"text,label\nWe will sue,oppose\n  ,neutral\n"),
        case("too many fields", "fields.csv", b"text,label\nWe will sue,oppose,extra\n"),
        case("header only", "header.csv", b"text,label\n"),
    ]


def _score_cases() -> list[Case]:
    def case(problem: str, name: str, content: bytes, *options: str, rows: int | None = None) -> Case:
        args = ("score", name, "--output", "out.csv", "--quiet", *options)
        return Case(problem, args, {name: content}, "out.csv", fatal=rows is None, rows=rows)

    return [
        *(case(*unreadable) for unreadable in _UNREADABLE_CSV),
        # rows: the line where the quote opens, kept as text, then the lines after it as rows
        case("unterminated quote", "unterminated.csv", UNTERMINATED.encode(), rows=3),
        case("a field over the limit", "long.csv", LONG_LABELED.encode(), "--field-limit", SMALL_LIMIT, rows=2),
        case("a field over the default limit", "longer.csv", DEFAULT_LIMIT_LABELED.encode(), rows=2),
        case("a bad byte far into the file", "late.csv", b"text\n" + b"We will sue\n" * 20_000 + b"Caf\xe9 owners\n"),
        case("blank text", "blank.csv", b"text,label\nWe will sue,oppose\n  ,neutral\n", rows=2),
        case("too many and too few fields", "fields.csv", b"text,label\nWe will sue,oppose,extra\nComply\n", rows=2),
        case("unterminated quote, --strict", "unterminated.csv", UNTERMINATED.encode(), "--strict"),
        Case("a directory", ("score", "folder", "--output", "out.csv", "--quiet"), {}, "out.csv",
             setup=lambda folder: (folder / "folder").mkdir()),
    ]


def _extract_cases() -> list[Case]:
    def one(problem: str, name: str, content: bytes, *options: str) -> Case:
        return Case(problem, ("extract", name, "--output", "quotes.json", *options), {name: content}, "quotes.json")

    def batch(problem: str, name: str, content: bytes, *options: str, rows: int | None = None,
              reported: bool = True) -> Case:
        args = ("extract", "--batch", name, "--output", "quotes.csv", *options)
        return Case(problem, args, {name: content}, "quotes.csv", fatal=rows is None, rows=rows, reported=reported)

    good = json.dumps({"id": "a1", "text": ARTICLE}).encode() + b"\n"
    surrogate = b'{"id": "a2", "text": "\\"We will sue \\ud83d,\\" Roe said."}\n'
    return [
        one("empty file", "empty.txt", b""),
        one("binary data", "binary.txt", BINARY),
        one("zeros (a file never written)", "zeros.txt", bytes(4096)),
        one("wrong encoding (Latin-1)", "latin1.txt", ARTICLE.encode() + "Caf\u00e9 owners said so.\n".encode("latin-1")),
        one("wrong encoding (UTF-16)", "utf16.txt", ARTICLE.encode("utf-16")),
        one("an article over the limit", "long.txt", ARTICLE.encode() * 3, "--field-limit", SMALL_LIMIT),
        batch("empty file", "empty.jsonl", b""),
        batch("binary data", "binary.jsonl", BINARY),
        batch("a line in another encoding", "latin1.jsonl",
              good + '{"id": "a2", "text": "Caf\u00e9"}\n'.encode("latin-1"), rows=1),
        batch("no text field", "no_text.jsonl", good + b'{"id": "a2", "body": "We will sue."}\n', rows=1),
        batch("unterminated string", "cut.jsonl", good + b'{"id": "a2", "text": "We will sue\n', rows=1),
        batch("a text over the limit", "long.jsonl", good * 2 + json.dumps({"id": "a3", "text": ARTICLE * 3}).encode()
              + b"\n", "--field-limit", SMALL_LIMIT, rows=2),
        # half a UTF-16 pair is read as U+FFFD, as the service reads it: not a problem to report
        batch("a lone surrogate escape", "surrogate.jsonl", good + surrogate, rows=2, reported=False),
    ]


# Altered copies of the shipped model: what each command that takes --model makes of them.
def _alter(how: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        from quote_stance.model.artifacts import MANIFEST_FILE, METADATA_FILE, MODEL_FILE, default_model_dir, write_manifest

        model = folder / "model"
        shutil.rmtree(model, ignore_errors=True)
        shutil.copytree(default_model_dir(), model)
        if how == "changed":
            with open(model / MODEL_FILE, "r+b") as handle:
                handle.seek(1000)
                byte = handle.read(1)
                handle.seek(1000)
                handle.write(bytes([byte[0] ^ 1]))
        elif how == "metadata":
            path = model / METADATA_FILE
            path.write_text(path.read_text(encoding="utf-8").replace('"seed": 0', '"seed": 1'), encoding="utf-8")
        elif how == "no manifest":
            (model / MANIFEST_FILE).unlink()
        elif how == "no model file":
            (model / MODEL_FILE).unlink()
        elif how == "sklearn":
            path = model / METADATA_FILE
            metadata = json.loads(path.read_text(encoding="utf-8"))
            metadata["versions"]["scikit-learn"] = "1.5.2"
            path.write_text(json.dumps(metadata, indent=2), encoding="utf-8")
            write_manifest(model)  # a consistent manifest: only the version stands in the way
        elif how == "untrusted":
            from tests.model.untrusted_model import write_untrusted_model

            write_untrusted_model(model, "os.system")
        elif how == "empty":
            shutil.rmtree(model)
            model.mkdir()

    return setup


MODEL_FAULTS = {
    "changed": "model.skops changed (one bit)",
    "metadata": "metadata.json changed",
    "no manifest": "MANIFEST.sha256 missing",
    "no model file": "model.skops missing",
    "untrusted": "model.skops names an untrusted type (os.system), manifest rewritten to match",
    "sklearn": "trained with another scikit-learn (1.5.2)",
    "empty": "an empty folder",
}


def _model_cases() -> list[Case]:
    files = {"quotes.csv": b"text\nWe will sue\n", "labeled.csv": LABELED.encode(), "article.txt": ARTICLE.encode()}
    commands = {
        "score": (("score", "quotes.csv", "--output", "out.csv", "--quiet", "--model", "model"), "out.csv"),
        "evaluate": (("evaluate", "labeled.csv", "--model", "model"), None),
        "extract": (("extract", "article.txt", "--output", "quotes.json", "--model", "model"), "quotes.json"),
        "serve": (("serve", "--port", "0", "--model", "model"), None),
    }
    found = []
    for command, (args, output) in commands.items():
        # Every fault for `score`; the issues' four (a changed file, no manifest, another
        # scikit-learn, an untrusted type) for the others, which share `load_model`.
        faults = MODEL_FAULTS if command == "score" else ("changed", "no manifest", "sklearn", "untrusted")
        found += [Case(MODEL_FAULTS[how], args, files, output, setup=_alter(how)) for how in faults]
    return found


def cases() -> list[Case]:
    return _score_cases() + _labeled_cases("evaluate") + _labeled_cases("train") + _extract_cases() + _model_cases()


def run_case(case: Case, root: Path, index: int) -> Outcome:
    folder = root / f"case{index:03d}"
    folder.mkdir()
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    if case.setup is not None:
        case.setup(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")}
    result = subprocess.run([STANCE, *case.args], cwd=folder, capture_output=True, text=True, timeout=300,
                            env=env, stdin=subprocess.DEVNULL)
    written, count = _written(folder, case.output)
    # `stance serve` names the model folder by its absolute path; the table shows it relative.
    return Outcome(case, result.returncode, result.stderr.replace(f"{folder}{os.sep}", ""), written, count)


def _written(folder: Path, output: str | None) -> tuple[str, int | None]:
    if output is None:
        return "", None
    target = folder / output
    strays = sorted(p.name for p in folder.iterdir() if ".partial" in p.name or ".old-" in p.name)
    suffix = f" (and stray files: {', '.join(strays)})" if strays else ""
    if not target.exists():
        return "nothing" + suffix, None
    if target.is_dir():
        return "a model directory" + suffix, None
    text = target.read_text(encoding="utf-8", errors="replace")
    if output.endswith(".json"):
        count = len(json.loads(text)["quotes"])
        return f"{count} quote{'s' if count != 1 else ''}{suffix}", count
    csv.field_size_limit(1 << 30)
    count = len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    return f"{count} row{'s' if count != 1 else ''}{suffix}", count


def run_all(selected: Iterable[Case] | None = None, workers: int = 2) -> list[Outcome]:
    chosen = list(selected if selected is not None else cases())
    root = Path(tempfile.mkdtemp(prefix="stance-bad-inputs-"))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda pair: run_case(pair[1], root, pair[0]), enumerate(chosen)))
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class ReloadOutcome:
    problem: str
    status: int
    message: str
    serving_before: str
    serving_after: str
    scores_after: int  # status of a /v1/score right after the refused reload


def run_reloads() -> list[ReloadOutcome]:
    """POST /v1/model/reload on each altered model, in process; the old model must keep serving."""
    from fastapi.testclient import TestClient

    from quote_stance.service.app import create_app
    from quote_stance.service.settings import Settings

    outcomes = []
    root = Path(tempfile.mkdtemp(prefix="stance-reloads-"))
    try:
        for index, (how, problem) in enumerate(MODEL_FAULTS.items()):
            folder = root / f"case{index}"
            folder.mkdir()
            _alter("none")(folder)  # a good copy to start from
            settings = Settings(model_dir=folder / "model", api_keys=("reload-key",))
            with TestClient(create_app(settings), headers={"X-API-Key": "reload-key"}) as client:
                before = client.get("/v1/model").json()["version"]
                _alter(how)(folder)
                answer = client.post("/v1/model/reload")
                after = client.get("/v1/model").json()["version"]
                scored = client.post("/v1/score", json={"text": "We will sue."}).status_code
            message = answer.json().get("message", "").replace(f"{folder}{os.sep}", "")
            outcomes.append(ReloadOutcome(problem, answer.status_code, message, before, after, scored))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return outcomes


TABLE_HEADER = ("| input | command | exit | stderr | left at the output path |",
                "| --- | --- | ---: | --- | --- |")
RELOAD_HEADER = ("| model directory | reload answer | message | serving afterwards |",
                 "| --- | ---: | --- | --- |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table_rows(outcomes: Iterable[Outcome]) -> list[str]:
    rows = []
    for outcome in outcomes:
        message = " / ".join(outcome.lines)
        written = outcome.written if outcome.case.output else ""
        rows.append(f"| {outcome.case.problem} | `{outcome.case.command}` | {outcome.returncode} "
                    f"| `{_cell(message)}` | {written} |")
    return rows


def reload_rows(outcomes: Iterable[ReloadOutcome]) -> list[str]:
    rows = []
    for outcome in outcomes:
        kept = "the old model" if outcome.serving_after == outcome.serving_before else "ANOTHER MODEL"
        scored = "scoring" if outcome.scores_after == 200 else f"score answers {outcome.scores_after}"
        rows.append(f"| {outcome.problem} | {outcome.status} | `{_cell(outcome.message)}` | {kept}, {scored} |")
    return rows


def main() -> int:
    print("\n".join([*TABLE_HEADER, *table_rows(run_all())]))
    print()
    print("\n".join([*RELOAD_HEADER, *reload_rows(run_reloads())]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
