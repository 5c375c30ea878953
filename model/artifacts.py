"""Model directories: writing them, and loading only what their checksum manifest vouches for.

A joblib file is a pickle, and unpickling runs code, so nothing is unpickled before every
file the manifest lists has been hashed and matched, and the scikit-learn version that
trained the model has been checked against the one installed.
"""

import hashlib
import json
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from model.errors import StanceError

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
MANIFEST_FILE = "MANIFEST.sha256"
# Files a model directory cannot do without; the card is listed in the manifest too when present.
REQUIRED_FILES = (MODEL_FILE, METADATA_FILE)


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


def read_manifest(directory: Path) -> dict[str, str]:
    """File name -> sha256, from a `sha256sum`-format manifest (checkable with `sha256sum -c`)."""
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactError(f"{directory}: no {MANIFEST_FILE}; refusing to load an unverified model")
    entries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
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


def verify_directory(directory: Path) -> dict:
    """Check every manifest entry against the file's hash; return the parsed metadata."""
    if not directory.is_dir():
        raise ArtifactError(f"{directory}: no such model directory")
    manifest = read_manifest(directory)
    for name in REQUIRED_FILES:
        if name not in manifest:
            raise ArtifactError(f"{directory}: {MANIFEST_FILE} does not list {name}")
    for name, expected in manifest.items():
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"{path}: listed in {MANIFEST_FILE} but missing")
        if sha256_file(path) != expected:
            raise ArtifactError(f"{path}: checksum does not match {MANIFEST_FILE}; the file was changed")
    try:
        metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    except ValueError as error:
        raise ArtifactError(f"{directory / METADATA_FILE}: not valid JSON ({error})") from None
    trained_with = metadata.get("versions", {}).get("scikit-learn")
    installed = installed_sklearn_version()
    if trained_with != installed:
        raise ArtifactError(
            f"{directory}: trained with scikit-learn {trained_with}, but {installed} is "
            "installed; retrain with 'stance train' or install the matching version"
        )
    return metadata


def load_verified(directory: Path) -> tuple[object, dict]:
    """The unpickled pipeline and its metadata, after verification."""
    import joblib  # here, not at the top: processes that only verify or score never import it

    metadata = verify_directory(directory)
    try:
        pipeline = joblib.load(directory / MODEL_FILE)
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
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
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
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.replace(target, retired / target.name)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
