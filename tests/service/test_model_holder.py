"""The serving model and its replacement, without HTTP."""

import json
import shutil

import pytest

from quote_stance.model.artifacts import ArtifactError, METADATA_FILE, default_model_dir, write_manifest
from quote_stance.service.model_holder import ModelHolder


@pytest.fixture
def model_dir(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def rewrite_metadata(directory, **changes) -> None:
    path = directory / METADATA_FILE
    metadata = json.loads(path.read_text()) | changes
    path.write_text(json.dumps(metadata))
    write_manifest(directory)


def test_a_request_holding_the_old_model_keeps_it_across_a_swap(model_dir):
    holder = ModelHolder(model_dir)
    in_flight = holder.load()
    rewrite_metadata(model_dir, version="second")
    swap = holder.reload()
    assert (swap.previous_version, swap.version) == (in_flight.version, "second")
    assert holder.model is not in_flight and holder.model.version == "second"
    assert in_flight.version != "second" and in_flight.predict_one("We will sue.").stance


def test_a_model_with_other_labels_is_refused(model_dir):
    holder = ModelHolder(model_dir)
    serving = holder.load()
    rewrite_metadata(model_dir, labels=["pro", "con", "neutral"])
    with pytest.raises(ArtifactError, match="labels"):
        holder.reload()
    assert holder.model is serving


def test_a_vanished_directory_is_refused(model_dir):
    holder = ModelHolder(model_dir)
    serving = holder.load()
    shutil.rmtree(model_dir)
    with pytest.raises(ArtifactError, match="no such model directory"):
        holder.reload()
    assert holder.model is serving


def test_a_replaced_model_is_freed():
    """Reloads do not accumulate models: once the swap is done, nothing holds the old one."""
    import gc
    import weakref

    holder = ModelHolder(None)
    holder.load()
    replaced = []
    for _ in range(5):
        replaced.append(weakref.ref(holder.model))
        holder.reload()
        holder.model.predict(["We will see them in court."])
    gc.collect()
    assert [ref() for ref in replaced] == [None] * 5
