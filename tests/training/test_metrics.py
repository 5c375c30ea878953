import numpy as np
import pytest

from quote_stance.training.metrics import evaluate_predictions, expected_calibration_error


def test_ece_is_zero_when_confidence_equals_accuracy():
    confidence = np.array([0.75, 0.75, 0.75, 0.75])
    correct = np.array([1, 1, 1, 0])
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.0)


def test_ece_measures_overconfidence():
    confidence = np.array([0.95, 0.95])
    correct = np.array([1, 0])
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.45)


def test_evaluate_predictions_reports_per_class_scores_and_confusion():
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])
    metrics = evaluate_predictions(["support", "oppose", "oppose", "neutral"], probs)
    assert metrics["n"] == 4
    assert metrics["accuracy"] == pytest.approx(0.75)
    assert metrics["per_class"]["support"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3), "support": 1}
    assert metrics["confusion"]["matrix"] == [[1, 0, 0], [1, 1, 0], [0, 0, 1]]
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_evaluate_predictions_of_nothing_is_all_zero():
    metrics = evaluate_predictions([], np.zeros((0, 3)))
    assert metrics["n"] == 0 and metrics["macro_f1"] == 0.0
    assert metrics["confusion"]["matrix"] == [[0, 0, 0]] * 3
