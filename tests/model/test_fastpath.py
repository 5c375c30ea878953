"""The fast prediction path gives scikit-learn's numbers exactly, or steps aside."""

import csv
from pathlib import Path

import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from model import classifier
from model.fastpath import compile_pipeline
from model.features import FeatureConfig

CORPUS = Path(__file__).resolve().parents[2] / "data" / "quotes_news.csv"
ODD_TEXTS = ["", "   ", "a", "“Curly quotes” — and a dash", "no " * 3000, "\ud800 lone surrogate", "1373 U.S.C."]


def corpus(limit: int | None = None) -> tuple[list[str], list[str]]:
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def test_default_model_fast_path_is_identical_to_sklearn(default_model):
    texts = corpus()[0] + ODD_TEXTS
    assert default_model._compiled is not None
    expected = classifier.probabilities(default_model.pipeline, texts)
    assert np.array_equal(default_model.predict_proba(texts), expected)
    one_by_one = np.vstack([default_model.predict_proba([t]) for t in texts[:200] + ODD_TEXTS])
    assert np.array_equal(one_by_one, expected[:200].tolist() + expected[-len(ODD_TEXTS):].tolist())


@pytest.mark.parametrize(
    "config",
    [
        FeatureConfig(word_tokens="stem+negation", char_ngrams=(2, 5), cues=True),
        FeatureConfig(word_tokens="negation", word_ngrams=(1, 1), char_ngrams=None, cues=False),
    ],
)
def test_other_configurations_are_identical_too(config):
    texts, labels = corpus(240)
    pipeline = classifier.build_pipeline(config).fit(texts, labels)
    compiled = compile_pipeline(pipeline, classifier.label_order(pipeline))
    assert compiled is not None
    probe = corpus()[0][240:400] + ODD_TEXTS
    assert np.array_equal(compiled.predict_proba(probe), classifier.probabilities(pipeline, probe))


def test_unknown_pipeline_shape_falls_back():
    texts, labels = corpus(120)
    pipeline = classifier.build_pipeline(FeatureConfig(char_ngrams=None)).fit(texts, labels)
    odd = Pipeline([("features", FunctionTransformer()), ("classifier", pipeline.named_steps["classifier"])])
    assert compile_pipeline(odd, classifier.label_order(pipeline)) is None
