"""Classification metrics: per-class scores, macro-F1, confusion matrix, calibration error."""

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from quote_stance.model.labels import LABELS, stances


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    if confidence.size == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            error += members.mean() * abs(confidence[members].mean() - correct[members].mean())
    return float(error)


def evaluate_predictions(y_true: Sequence[str], probs: np.ndarray) -> dict:
    """Every figure `stance evaluate --json` reports, from true labels and probabilities."""
    y_true = np.asarray(list(y_true), dtype=object)
    if len(y_true) == 0:
        return _empty_metrics()
    y_pred = stances(probs)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(LABELS), zero_division=0
    )
    confidence = probs.max(axis=1)
    return {
        "n": int(len(y_true)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=list(LABELS), average="macro", zero_division=0)),
        "per_class": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(LABELS)
        },
        "confusion": {
            "labels": list(LABELS),
            "rows_are": "true label",
            "matrix": confusion_matrix(y_true, y_pred, labels=list(LABELS)).tolist(),
        },
        "ece": expected_calibration_error(confidence, y_true == y_pred),
    }


def _empty_metrics() -> dict:
    zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    return {
        "n": 0, "accuracy": 0.0, "macro_f1": 0.0,
        "per_class": {label: dict(zero) for label in LABELS},
        "confusion": {"labels": list(LABELS), "rows_are": "true label", "matrix": [[0] * 3 for _ in LABELS]},
        "ece": 0.0,
    }


def format_report(metrics: dict, title: str = "") -> str:
    """A plain-text table of per-class scores, macro-F1 and the confusion matrix."""
    lines = [title] if title else []
    lines.append(f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, row in metrics["per_class"].items():
        lines.append(
            f"{label:<10}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10d}"
        )
    lines.append(
        f"n={metrics['n']}  accuracy={metrics['accuracy']:.3f}  macro_f1={metrics['macro_f1']:.3f}  "
        f"ece={metrics['ece']:.3f}"
    )
    lines.append("confusion (rows: true, columns: predicted)")
    labels = metrics["confusion"]["labels"]
    lines.append(" " * 10 + "".join(f"{label:>10}" for label in labels))
    for label, row in zip(labels, metrics["confusion"]["matrix"]):
        lines.append(f"{label:<10}" + "".join(f"{count:>10d}" for count in row))
    return "\n".join(lines)
