"""Model directories: round trip, and refusal of anything the manifest does not vouch for."""

import json
import shutil
from pathlib import Path

import pytest

from quote_stance.model.artifacts import (
    CARD_FILE, MANIFEST_FILE, METADATA_FILE, MODEL_FILE, ArtifactError, verify_directory, write_manifest,
)
from quote_stance.model.labels import LABELS
from quote_stance.model.predictor import load_model


@pytest.fixture
def model_copy(small_model_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(small_model_dir, target)
    return target


def test_directory_holds_model_metadata_card_and_manifest(small_model_dir: Path):
    names = {p.name for p in small_model_dir.iterdir()}
    assert {MODEL_FILE, METADATA_FILE, CARD_FILE, MANIFEST_FILE} <= names
    manifest = (small_model_dir / MANIFEST_FILE).read_text()
    assert all(name in manifest for name in (MODEL_FILE, METADATA_FILE, CARD_FILE))


def test_round_trip_predicts_three_probabilities_that_sum_to_one(small_model_dir: Path):
    model = load_model(small_model_dir)
    predictions = model.predict(["Sanctuary cities protect criminal aliens.", "The hearing is on Monday."])
    for prediction in predictions:
        assert prediction.stance in LABELS
        assert set(prediction.probabilities) == set(LABELS)
        assert abs(sum(prediction.probabilities.values()) - 1) < 1e-6
        assert prediction.confidence == max(prediction.probabilities.values())


def test_metadata_records_what_the_issue_asks(small_model_dir: Path):
    metadata = load_model(small_model_dir).metadata
    assert metadata["labels"] == list(LABELS)
    assert {"python", "scikit-learn", "nltk"} <= set(metadata["versions"])
    assert len(metadata["training_data"]["sha256"]) == 64
    assert metadata["config"] and metadata["trained_at"]
    assert metadata["metrics"]["cross_validation"]["all_rows"]["macro_f1"] > 0
    assert metadata["version"].startswith("stance-")


def test_changed_model_file_is_refused(model_copy: Path):
    with open(model_copy / MODEL_FILE, "r+b") as handle:
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ArtifactError, match="checksum does not match"):
        load_model(model_copy)


def test_changed_metadata_is_refused(model_copy: Path):
    path = model_copy / METADATA_FILE
    path.write_text(path.read_text().replace('"seed": 0', '"seed": 1'))
    with pytest.raises(ArtifactError, match="metadata.json: checksum"):
        load_model(model_copy)


def test_missing_manifest_is_refused(model_copy: Path):
    (model_copy / MANIFEST_FILE).unlink()
    with pytest.raises(ArtifactError, match="no MANIFEST.sha256"):
        load_model(model_copy)


def test_manifest_without_the_model_file_is_refused(model_copy: Path):
    manifest = model_copy / MANIFEST_FILE
    manifest.write_text("".join(l for l in manifest.read_text().splitlines(True) if MODEL_FILE not in l))
    with pytest.raises(ArtifactError, match=f"does not list {MODEL_FILE}"):
        load_model(model_copy)


def test_model_from_another_scikit_learn_version_is_refused(model_copy: Path):
    path = model_copy / METADATA_FILE
    metadata = json.loads(path.read_text())
    metadata["versions"]["scikit-learn"] = "0.0.1"
    path.write_text(json.dumps(metadata))
    write_manifest(model_copy)  # a consistent manifest: only the version check stands in the way
    with pytest.raises(ArtifactError, match="trained with scikit-learn 0.0.1"):
        load_model(model_copy)


def test_missing_directory_is_refused(tmp_path: Path):
    with pytest.raises(ArtifactError, match="no such model directory"):
        load_model(tmp_path / "nowhere")


def test_shipped_default_model_verifies():
    from quote_stance.model.artifacts import default_model_dir

    metadata = verify_directory(default_model_dir())
    assert metadata["labels"] == list(LABELS)


def test_a_directory_rewritten_while_it_is_loaded_gives_one_whole_model(small_model_dir: Path, tmp_path: Path):
    """`stance train --output DIR` over a served model, while the service reloads it: every load
    sees a complete model, the old or the new, never a mix and never no model at all."""
    import hashlib
    import threading


    from quote_stance.model.artifacts import read_verified, save_directory

    default = load_model()
    small = load_model(small_model_dir)
    target = tmp_path / "served"
    save_directory(target, default.pipeline, default.metadata, "card {version}")
    stop = threading.Event()
    writes = 0

    def rewrite() -> None:
        nonlocal writes
        while not stop.is_set():
            model = (small, default)[writes % 2]
            save_directory(target, model.pipeline, dict(model.metadata, version=f"w{writes}"), "card {version}")
            writes += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    loaded = []
    try:
        while len(loaded) < 40 or writes < 6:
            metadata, model_bytes = read_verified(target)  # raises if it meets no model or a mix
            # the version's suffix is the hash of the model file written with it
            assert metadata["version"].endswith(hashlib.sha256(model_bytes).hexdigest()[:8])
            loaded.append(metadata["version"])
    finally:
        stop.set()
        writer.join()
    assert len(set(loaded)) > 2  # the loads did meet several writes
    assert not [p.name for p in tmp_path.iterdir() if p.name != "served"]  # no partial left behind


@pytest.mark.parametrize("function", ["os.system", "builtins.eval"])
def test_a_model_file_naming_an_untrusted_type_is_refused_in_one_line(tmp_path: Path, function: str):
    """The manifest vouches for the file (its hashes match): only the trusted-type list stands in the way."""
    from tests.model.untrusted_model import named_type, write_untrusted_model

    directory = write_untrusted_model(tmp_path / "untrusted", function)
    verify_directory(directory)  # the checksums pass
    with pytest.raises(ArtifactError) as refused:
        load_model(directory)
    message = str(refused.value)
    assert "\n" not in message
    assert "not trusted" in message and named_type(function) in message and str(directory) in message


def test_every_type_the_shipped_model_names_is_trusted():
    """The list is exact: the shipped model needs each name on it, and nothing outside it."""
    import skops.io

    from quote_stance.model.artifacts import TRUSTED_TYPES, default_model_dir

    named = skops.io.get_untrusted_types(file=default_model_dir() / MODEL_FILE)
    assert set(named) <= TRUSTED_TYPES
