"""Model directories: writing them, and loading only what their checksum manifest vouches for.

The pipeline is saved with `skops.io`, which stores objects as data, not as a pickle: loading
builds only the types it is told to trust. Two locks, each for its own danger:
- the manifest guards against accidents (a partial copy, a file changed or swapped by
  mistake): every file it lists is hashed and matched before anything is loaded, and the
  bytes loaded are the bytes hashed (each file is read once);
- the trusted-type list guards against a file that would run code: a model file that names
  any type outside `TRUSTED_TYPES` (the pipeline's scikit-learn types, numpy and scipy's
  containers, the project's own feature functions) is refused, whoever wrote the manifest.
"""

import ctypes
import errno
import hashlib
import json
import os
import shutil
import zipfile
from importlib.metadata import version
from pathlib import Path

from quote_stance.common import StanceError, partial_dir

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
MANIFEST_FILE = "MANIFEST.sha256"
# Files a model directory cannot do without; the card is listed in the manifest too when present.
REQUIRED_FILES = (MODEL_FILE, METADATA_FILE)
# Times a model directory is read again when it was replaced while being read.
REREADS = 3


class ArtifactError(StanceError):
    """A model directory that is missing, incomplete, altered or made for another environment."""


def default_model_dir() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parent / "default"


# What a model file may name, beyond what skops trusts by itself (Python's and numpy's plain
# containers). Exact names, no prefixes: a new feature type is added here when it is written.
TRUSTED_TYPES: frozenset[str] = frozenset({
    "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.CountVectorizer",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.slice",
    "quote_stance.model.features._identity",
    "quote_stance.model.text.word_tokens",
    "quote_stance.model.text.plain_word_tokens",
    "quote_stance.model.text.unstemmed_word_tokens",
    "quote_stance.model.text.char_text",
    "quote_stance.model.cues.CueMatcher",
    "quote_stance.model.targets.TargetEvaluation",
    "quote_stance.model.context.ContextTokens",
    "quote_stance.model.vocabulary.CompactTfidfVectorizer",
    "quote_stance.model.routing.ContextSwitch",
})


def installed_sklearn_version() -> str:
    """The installed scikit-learn's version, read without importing it."""
    return version("scikit-learn")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read(folder: int, directory: Path, name: str) -> bytes | None:
    """The bytes of `name` in the folder open as `folder`; None if there is no such file."""
    try:
        descriptor = os.open(name, os.O_RDONLY, dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ArtifactError(f"{directory / name}: cannot be read ({error.strerror})") from None
    with open(descriptor, "rb") as handle:
        try:
            return handle.read()
        except IsADirectoryError:
            raise ArtifactError(f"{directory / name}: a folder, not a file") from None


def _parse_manifest(text: str, path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ArtifactError(f"{path}:{number}: not a 'sha256  file' line")
        name = parts[1].lstrip("*").strip()
        if "/" in name or name in ("", ".", ".."):
            raise ArtifactError(f"{path}:{number}: file name {name!r} is not a plain name")
        entries[name] = parts[0].lower()
    return entries


def read_manifest(directory: Path) -> dict[str, str]:
    """File name -> sha256, from a `sha256sum`-format manifest (checkable with `sha256sum -c`)."""
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactError(f"{directory}: no {MANIFEST_FILE}; refusing to load an unverified model")
    return _parse_manifest(path.read_text(encoding="utf-8"), path)


def read_verified(directory: Path) -> tuple[dict, bytes]:
    """The metadata and the model file's bytes, each read once and matched against the manifest.

    The bytes returned are the bytes that were hashed, and every file is read from the same
    folder, opened once: a directory replaced while it is read (a new model written over it)
    gives the old model or the new one, never a mix, and a file replaced after the check is
    never the one unpickled.
    """
    for attempt in range(REREADS + 1):
        try:
            folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):
            raise ArtifactError(f"{directory}: no such model directory") from None
        except OSError as error:
            raise ArtifactError(f"{directory}: cannot be opened ({error.strerror})") from None
        try:
            return _read_verified(folder, directory)
        except ArtifactError:
            # The folder read may have been replaced meanwhile, and the old one removed under
            # the reader: then read the new one. A fault of the folder that is there stands.
            if attempt == REREADS or _same_folder(folder, directory):
                raise
        finally:
            os.close(folder)
    raise AssertionError("unreachable")


def _same_folder(folder: int, directory: Path) -> bool:
    try:
        here, there = os.fstat(folder), os.stat(directory)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _read_verified(folder: int, directory: Path) -> tuple[dict, bytes]:
    manifest_bytes = _read(folder, directory, MANIFEST_FILE)
    if manifest_bytes is None:
        raise ArtifactError(f"{directory}: no {MANIFEST_FILE}; refusing to load an unverified model")
    try:
        manifest = _parse_manifest(manifest_bytes.decode("utf-8"), directory / MANIFEST_FILE)
    except UnicodeDecodeError:
        raise ArtifactError(f"{directory / MANIFEST_FILE}: not UTF-8 text") from None
    for name in REQUIRED_FILES:
        if name not in manifest:
            raise ArtifactError(f"{directory}: {MANIFEST_FILE} does not list {name}")
    kept: dict[str, bytes] = {}
    for name, expected in manifest.items():
        data = _read(folder, directory, name)
        if data is None:
            raise ArtifactError(f"{directory / name}: listed in {MANIFEST_FILE} but missing")
        if hashlib.sha256(data).hexdigest() != expected:
            raise ArtifactError(f"{directory / name}: checksum does not match {MANIFEST_FILE}; the file was changed")
        if name in REQUIRED_FILES:
            kept[name] = data
    try:
        metadata = json.loads(kept[METADATA_FILE].decode("utf-8"))
    except ValueError as error:
        raise ArtifactError(f"{directory / METADATA_FILE}: not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise ArtifactError(f"{directory / METADATA_FILE}: not a JSON object")
    versions = metadata.get("versions")
    trained_with = versions.get("scikit-learn") if isinstance(versions, dict) else None
    installed = installed_sklearn_version()
    # Patch releases keep a model's estimators as they were; a minor release may change them.
    if not isinstance(trained_with, str) or trained_with.split(".")[:2] != installed.split(".")[:2]:
        raise ArtifactError(
            f"{directory}: trained with scikit-learn {trained_with}, but {installed} is "
            "installed; retrain with 'stance train'"
        )
    return metadata, kept[MODEL_FILE]


def verify_directory(directory: Path) -> dict:
    """Check every manifest entry against the file's hash; return the parsed metadata."""
    return read_verified(directory)[0]


def named_types(model_bytes: bytes, where: Path) -> list[str]:
    """Every type the model file names beyond what skops trusts by itself."""
    import skops.io

    try:
        return skops.io.get_untrusted_types(data=model_bytes)
    except Exception as error:  # not a skops file at all (a pickle, a truncated zip)
        raise ArtifactError(f"{where}: not a skops model file ({type(error).__name__}: {error})") from None


def untrusted_types(model_bytes: bytes, where: Path) -> list[str]:
    """The types the model file names that neither skops nor `TRUSTED_TYPES` trusts."""
    return [name for name in named_types(model_bytes, where) if name not in TRUSTED_TYPES]


def load_pipeline(model_bytes: bytes, where: Path) -> object:
    """The pipeline in `model_bytes`; ArtifactError, before anything is built, if it names an untrusted type."""
    import skops.io

    named = named_types(model_bytes, where)  # the file's schema is read once for the check
    refused = [name for name in named if name not in TRUSTED_TYPES]
    if refused:
        raise ArtifactError(
            f"{where}: names {len(refused)} type(s) that are not trusted ({', '.join(refused[:3])}); refusing to load it"
        )
    try:
        return skops.io.loads(model_bytes, trusted=named)
    except Exception as error:  # a verified file that still fails to load is a broken build
        raise ArtifactError(f"{where}: cannot be loaded ({type(error).__name__}: {error})") from None


def load_verified(directory: Path) -> tuple[object, dict]:
    """The pipeline and its metadata, after verification (of the very bytes loaded)."""
    metadata, model_bytes = read_verified(directory)
    return load_pipeline(model_bytes, directory / MODEL_FILE), metadata


def write_manifest(directory: Path) -> None:
    names = sorted(p.name for p in directory.iterdir() if p.is_file() and p.name != MANIFEST_FILE)
    lines = [f"{sha256_file(directory / name)}  {name}\n" for name in names]
    (directory / MANIFEST_FILE).write_text("".join(lines), encoding="utf-8")


def save_directory(
    target: Path, pipeline: object, metadata: dict, card: str
) -> dict:
    """Write a complete model directory at `target`, atomically.

    Everything is written into a temporary sibling first and renamed into place, so a run
    killed half-way never leaves a directory at `target` that looks complete. The version
    carries the model file's hash, so two different models never share a version.
    """
    import skops.io

    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = partial_dir(target)
    try:
        staging.chmod(0o755)  # mkdtemp's 0700 would hide an installed model from other users
        skops.io.dump(pipeline, staging / MODEL_FILE, compression=zipfile.ZIP_DEFLATED)
        metadata = dict(metadata)
        metadata["version"] = f"{metadata['version']}-{sha256_file(staging / MODEL_FILE)[:8]}"
        (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (staging / CARD_FILE).write_text(card.replace("{version}", metadata["version"]), encoding="utf-8")
        write_manifest(staging)
        _replace_directory(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return metadata


def _replace_directory(staging: Path, target: Path) -> None:
    """Put `staging` at `target`; there is a complete model at `target` at every instant."""
    if not target.exists():
        os.replace(staging, target)
        return
    if _exchange(staging, target):  # one atomic step; `staging` now holds the old model
        shutil.rmtree(staging, ignore_errors=True)
        return
    # Without an atomic exchange, two renames: a process killed between them leaves no model
    # at `target` (the old one waits in `.NAME.old-*`, the new one in `.NAME.partial-*`).
    retired = partial_dir(target, "old")
    os.replace(target, retired / target.name)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))
