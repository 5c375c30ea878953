"""Training: deterministic for a seed, and the model card it writes."""

from pathlib import Path

import numpy as np

from quote_stance.model.artifacts import CARD_FILE
from quote_stance.model.features import FeatureConfig
from quote_stance.model.predictor import load_model
from quote_stance.training.train import train_model

CANDIDATES = (FeatureConfig(char_ngrams=None, cues=True), FeatureConfig(char_ngrams=(2, 4), cues=False))
PROBES = ["We will not be bullied into doing ICE's job.", "Comply with federal law or lose the grants.",
          "The hearing was moved to Thursday."]


def _train(data: Path, output: Path, seed: int = 0) -> dict:
    return train_model([data], output, seed=seed, folds=3, candidates=CANDIDATES)


def test_training_is_deterministic_for_a_seed(small_labeled_csv: Path, tmp_path: Path):
    first = _train(small_labeled_csv, tmp_path / "a")
    second = _train(small_labeled_csv, tmp_path / "b")
    assert first["config"] == second["config"]
    assert first["metrics"]["cross_validation"] == second["metrics"]["cross_validation"]
    assert first["candidates"] == second["candidates"]
    np.testing.assert_array_equal(
        load_model(tmp_path / "a").predict_proba(PROBES), load_model(tmp_path / "b").predict_proba(PROBES)
    )


def test_dev_file_is_scored_but_not_used_for_selection(small_labeled_csv: Path, tmp_path: Path):
    without = _train(small_labeled_csv, tmp_path / "a")
    with_dev = train_model([small_labeled_csv], tmp_path / "b", dev=small_labeled_csv, folds=3, candidates=CANDIDATES)
    assert without["metrics"]["dev"] is None
    assert with_dev["metrics"]["dev"]["n"] == 120
    assert with_dev["config"] == without["config"]


def test_model_card_states_use_data_metrics_and_guide(small_model_dir: Path):
    card = (small_model_dir / CARD_FILE).read_text()
    for heading in ("## Intended use", "## Data", "## Metrics", "## Labeling guide", "## Limits"):
        assert heading in card
    version = load_model(small_model_dir).version
    assert version in card
