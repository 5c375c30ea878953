"""Model directories: writing them, and loading only what their checksum manifest vouches for.

A joblib file is a pickle, and unpickling runs code, so nothing is unpickled before every
file the manifest lists has been hashed and matched, and the scikit-learn version that
trained the model has been checked against the one installed; the bytes unpickled are the
bytes hashed (each file is read once). The manifest guards against accidents (a partial
copy, a file changed or swapped by mistake, a model from another environment), not against
someone who can write the directory: they can rewrite the manifest too.
"""

import ctypes
import errno
import hashlib
import io
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path

from model.errors import StanceError
from model.partials import partial_dir

MODEL_FILE = "model.joblib"
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


def installed_sklearn_version() -> str:
    """The installed scikit-learn's version, read without importing it (an import costs ~190 MB)."""
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
    if trained_with != installed:
        raise ArtifactError(
            f"{directory}: trained with scikit-learn {trained_with}, but {installed} is "
            "installed; retrain with 'stance train' or install the matching version"
        )
    return metadata, kept[MODEL_FILE]


def verify_directory(directory: Path) -> dict:
    """Check every manifest entry against the file's hash; return the parsed metadata."""
    return read_verified(directory)[0]


def load_verified(directory: Path) -> tuple[object, dict]:
    """The unpickled pipeline and its metadata, after verification (of the very bytes unpickled)."""
    import joblib  # here, not at the top: processes that only verify or score never import it

    metadata, model_bytes = read_verified(directory)
    try:
        pipeline = joblib.load(io.BytesIO(model_bytes))
    except Exception as error:  # a verified file that still fails to unpickle is a broken build
        raise ArtifactError(f"{directory / MODEL_FILE}: cannot be loaded ({type(error).__name__}: {error})") from None
    return pipeline, metadata


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
    import joblib

    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = partial_dir(target)
    try:
        staging.chmod(0o755)  # mkdtemp's 0700 would hide an installed model from other users
        joblib.dump(pipeline, staging / MODEL_FILE, compress=3)
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
