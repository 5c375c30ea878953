"""Reading labeled CSV files, with errors that name the file and the line."""

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from model.errors import StanceError
from model.labels import LABELS

REQUIRED_COLUMNS = ("text", "label")
# Authored rows carry no page address; rows written together share a theme, so
# blocks of this many consecutive rows stay on one side of a cross-validation split.
AUTHORED_BLOCK = 25


class CorpusError(StanceError):
    """A labeled file that cannot be used as it is."""


@dataclass
class Corpus:
    """Texts with labels, the cross-validation group of each, and where each came from."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: "Corpus") -> None:
        self.texts += other.texts
        self.labels += other.labels
        self.groups += other.groups
        self.sources += other.sources
        self.files += other.files

    def sha256(self) -> str:
        """One hash over every file's hash, in order: the identity of the training data."""
        return hashlib.sha256("".join(f["sha256"] for f in self.files).encode()).hexdigest()


def read_labeled_csv(path: Path | str) -> Corpus:
    """Read one labeled CSV (UTF-8, BOM accepted); refuse it whole at its first bad row."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if "\x00" in content:
        raise CorpusError(f"{path}: contains NUL bytes; not a CSV text file")
    reader = csv.reader(content.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise CorpusError(f"{path}: empty file, expected a header with {', '.join(REQUIRED_COLUMNS)}") from None
    except csv.Error as error:
        raise CorpusError(f"{path}:1: {error}") from None
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CorpusError(f"{path}: missing column {', '.join(repr(m) for m in missing)} (header: {', '.join(header)})")
    text_at, label_at = header.index("text"), header.index("label")
    url_at = header.index("url") if "url" in header else None
    source_at = header.index("source") if "source" in header else None

    corpus = Corpus(files=[{"file": path.name, "sha256": hashlib.sha256(raw).hexdigest(), "rows": 0}])
    line = reader.line_num + 1
    try:
        for index, row in enumerate(reader):
            if not row:
                line = reader.line_num + 1
                continue
            if len(row) != len(header):
                raise CorpusError(f"{path}:{line}: {len(row)} fields, the header has {len(header)}")
            text, label = row[text_at].strip(), row[label_at].strip().lower()
            if not text:
                raise CorpusError(f"{path}:{line}: empty text")
            if label not in LABELS:
                raise CorpusError(f"{path}:{line}: unknown label {row[label_at]!r} (expected one of {', '.join(LABELS)})")
            url = row[url_at].strip() if url_at is not None else ""
            source = row[source_at].strip() if source_at is not None else ""
            corpus.texts.append(text)
            corpus.labels.append(label)
            corpus.groups.append(url or f"{path.name}:block{index // AUTHORED_BLOCK}")
            corpus.sources.append(source or path.name)
            line = reader.line_num + 1
    except csv.Error as error:
        raise CorpusError(f"{path}:{line}: {error}") from None
    if not corpus.texts:
        raise CorpusError(f"{path}: no labeled rows")
    corpus.files[0]["rows"] = len(corpus.texts)
    return corpus


def load_corpus(paths: list[Path] | list[str]) -> Corpus:
    """Read and concatenate several labeled CSVs."""
    if not paths:
        raise CorpusError("no labeled CSV files given")
    corpus = Corpus()
    for path in paths:
        corpus.extend(read_labeled_csv(path))
    return corpus
