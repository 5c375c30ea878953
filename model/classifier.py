"""The stance classifier: a linear model over text features, and its predictions."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn import config_context
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from quote_stance.model.features import FeatureConfig, build_features
from quote_stance.model.labels import LABELS, stance_indices
from quote_stance.model.routing import ContextSwitch


@dataclass(frozen=True)
class Prediction:
    """One statement's stance, its confidence and the three label probabilities."""

    stance: str
    confidence: float
    probabilities: dict[str, float]


def build_pipeline(config: FeatureConfig, seed: int = 0) -> Pipeline | ContextSwitch:
    """An unfitted pipeline for one configuration (with `words_path`: two, in a ContextSwitch).

    Multinomial logistic regression gives probabilities that are calibrated by its own loss;
    the cross-validated expected calibration error is checked when a model is chosen.
    """
    if config.context and config.words_path:
        words = replace(config, context=False)
        return ContextSwitch(_pipeline(config, seed), _pipeline(words, seed), dropout=config.context_dropout)
    return _pipeline(config, seed)


def _pipeline(config: FeatureConfig, seed: int) -> Pipeline:
    return Pipeline(
        [
            ("features", build_features(config)),
            (
                "classifier",
                LogisticRegression(
                    C=config.C, class_weight="balanced", max_iter=5000, random_state=seed
                ),
            ),
        ]
    )


def label_order(pipeline: Pipeline) -> np.ndarray:
    """Column indices that put the pipeline's `predict_proba` columns in `LABELS` order."""
    classes = list(pipeline.classes_)
    return np.asarray([classes.index(label) for label in LABELS])


def probabilities(pipeline: Pipeline, inputs: Sequence) -> np.ndarray:
    """An (n, 3) array of probabilities, columns in `LABELS` order: the pipeline's own `predict_proba`."""
    if len(inputs) == 0:
        return np.zeros((0, len(LABELS)))
    # scikit-learn's own switches for repeated prediction: the fitted parameters were validated at
    # fit, and the features come from the pipeline's own vectorizers, finite by construction.
    # They take a fifth off the fixed cost of a call (2.35 -> 1.85 ms for one quote), which is
    # most of the cost of the small batches the service makes at ordinary loads.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        return pipeline.predict_proba(inputs)[:, label_order(pipeline)]


def to_predictions(probs: np.ndarray) -> list[Prediction]:
    """Turn probability rows (in `LABELS` order) into predictions."""
    return [
        Prediction(
            stance=LABELS[i],
            confidence=float(row[i]),
            probabilities={label: float(p) for label, p in zip(LABELS, row)},
        )
        for i, row in zip(stance_indices(probs), probs.tolist())
    ]


def explain(pipeline: Pipeline, inputs: Sequence, top: int = 10) -> list[tuple[str, float]]:
    """The features that pushed this input's predicted label most, with their weights.

    `inputs` holds one input, as the pipeline takes it. For a linear model a feature's weight
    is its coefficient for the predicted label times its value; positive weights push towards
    the label, negative ones away.
    """
    if isinstance(pipeline, ContextSwitch):
        pipeline, inputs = pipeline.route(inputs)
    features = pipeline.named_steps["features"]
    classifier = pipeline.named_steps["classifier"]
    row = features.transform(inputs).tocsr()
    predicted = int(np.argmax(classifier.predict_proba(row)[0]))
    coefficients = classifier.coef_[predicted] if classifier.coef_.shape[0] > 1 else classifier.coef_[0]
    names = features.get_feature_names_out()
    contributions = [
        # "text__word__court" -> "court"; "role__kind:mayor" -> "kind:mayor"
        (str(names[j]).rsplit("__", 1)[-1], float(coefficients[j] * value))
        for j, value in zip(row.indices, row.data)
    ]
    contributions.sort(key=lambda item: abs(item[1]), reverse=True)
    return contributions[:top]
