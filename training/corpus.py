"""Reading labeled CSV files, with errors that name the file and the line."""

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from quote_stance.batch.records import FIELD_LIMIT, SNIFF_BYTES, check_text, read_header, read_records
from quote_stance.common import StanceError
from quote_stance.model.context import CONTEXT_LIMIT
from quote_stance.model.labels import LABELS

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
    # Speaker context, '' where unknown (or where the file has no such column).
    speakers: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: "Corpus") -> None:
        self.texts += other.texts
        self.labels += other.labels
        self.groups += other.groups
        self.sources += other.sources
        self.speakers += other.speakers
        self.roles += other.roles
        self.files += other.files

    def has_context(self) -> bool:
        return any(self.speakers) or any(self.roles)

    def without_context(self) -> "Corpus":
        """The same rows with every speaker and role unknown (`--no-context`)."""
        blank = [""] * len(self.texts)
        return Corpus(self.texts, self.labels, self.groups, self.sources, blank, list(blank), self.files)

    def sha256(self) -> str:
        """One hash over every file's hash, in order: the identity of the training data."""
        return hashlib.sha256("".join(f["sha256"] for f in self.files).encode()).hexdigest()


def read_labeled_csv(path: Path | str, field_limit: int = FIELD_LIMIT) -> Corpus:
    """Read one labeled CSV (UTF-8, BOM accepted); refuse it whole at its first bad row.

    Rows are read by the batch scorer's reader, so a quote left open or a field over
    `field_limit` characters is found on the line where it starts, as `stance score` finds it.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    raw = path.read_bytes()
    if not raw:
        raise CorpusError(f"{path}:1: empty file, expected a header with {', '.join(REQUIRED_COLUMNS)}")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CorpusError(f"{path}:{line}: not UTF-8 text (byte {error.start})") from None
    try:
        check_text(raw[:SNIFF_BYTES], "utf-8-sig", str(path), chosen=True, undecodable=True, header=True)
    except StanceError as error:
        raise CorpusError(str(error)) from None
    if "\x00" in content:
        line = content.count("\n", 0, content.index("\x00")) + 1
        raise CorpusError(f"{path}:{line}: a NUL character; this is binary data, not a CSV text file")
    stream = io.StringIO(content, newline="")
    try:
        header = [name.strip() for name in read_header(stream, str(path))]
    except StanceError as error:
        raise CorpusError(str(error).replace("a header row", f"a header with {', '.join(REQUIRED_COLUMNS)}")) from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CorpusError(f"{path}:1: missing column {', '.join(repr(m) for m in missing)} (header: {', '.join(header)})")
    text_at, label_at = header.index("text"), header.index("label")
    url_at = header.index("url") if "url" in header else None
    source_at = header.index("source") if "source" in header else None
    speaker_at = header.index("speaker") if "speaker" in header else None
    role_at = header.index("speaker_role") if "speaker_role" in header else None

    corpus = Corpus(files=[{"file": path.name, "sha256": hashlib.sha256(raw).hexdigest(), "rows": 0}])
    for index, (line, row, _raw, problem) in enumerate(read_records(stream, first_line=2, field_limit=field_limit)):
        if problem is not None:
            raise CorpusError(f"{path}:{line}: {problem}")
        if not row:
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
        speaker = row[speaker_at].strip() if speaker_at is not None else ""
        role = row[role_at].strip() if role_at is not None else ""
        for name, value in (("speaker", speaker), ("speaker_role", role)):
            if len(value) > CONTEXT_LIMIT:
                raise CorpusError(f"{path}:{line}: {name} is {len(value)} characters; the limit is {CONTEXT_LIMIT}")
        corpus.speakers.append(speaker)
        corpus.roles.append(role)
        corpus.texts.append(text)
        corpus.labels.append(label)
        corpus.groups.append(url or f"{path.name}:block{index // AUTHORED_BLOCK}")
        corpus.sources.append(source or path.name)
    if not corpus.texts:
        raise CorpusError(f"{path}:2: no labeled rows after the header")
    corpus.files[0]["rows"] = len(corpus.texts)
    return corpus


def load_corpus(paths: list[Path] | list[str], field_limit: int = FIELD_LIMIT) -> Corpus:
    """Read and concatenate several labeled CSVs."""
    if not paths:
        raise CorpusError("no labeled CSV files given")
    corpus = Corpus()
    for path in paths:
        corpus.extend(read_labeled_csv(path, field_limit))
    return corpus
