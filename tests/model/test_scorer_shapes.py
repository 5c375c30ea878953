"""Every pipeline shape the scorer knows gives scikit-learn's numbers exactly; others step aside."""

import csv
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from model import classifier, text
from model.cues import CueMatcher
from model.features import FeatureConfig, _identity
from model.predictor import StanceModel
from model.scorer import ROW_PATH_LIMIT, compile_scorer

CORPUS = Path(__file__).resolve().parents[2] / "data" / "quotes_news.csv"
ODD_TEXTS = ["", "   ", "a", "“Curly quotes” — and a dash", "no " * 3000, "\ud800 lone surrogate", "1373 U.S.C.",
             "We won't comply; never, not ever. But we will! Not now?"]


def corpus(limit: int | None = None) -> tuple[list[str], list[str]]:
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def assert_identical(pipeline) -> None:
    scorer = compile_scorer(pipeline)
    assert scorer is not None
    probe = corpus()[0][240:400] + ODD_TEXTS
    expected = classifier.probabilities(pipeline, probe)
    assert len(probe) >= ROW_PATH_LIMIT
    assert np.array_equal(scorer.predict_proba(probe), expected)
    assert np.array_equal(np.vstack([scorer.proba_one(t) for t in probe]), expected)


@pytest.mark.parametrize(
    "config",
    [
        FeatureConfig(word_tokens="stem+negation", char_ngrams=(2, 5), cues=True),
        FeatureConfig(word_tokens="negation", word_ngrams=(1, 1), char_ngrams=None, cues=False),
        FeatureConfig(word_tokens="stem", word_ngrams=(2, 3), char_ngrams=None, cues=True),
    ],
)
def test_other_configurations_are_identical_too(config):
    texts, labels = corpus(240)
    assert_identical(classifier.build_pipeline(config).fit(texts, labels))


def test_other_vectorizer_settings_are_identical_too():
    """float64 blocks, l1 and no norm, binary counts, no idf, raw term frequencies."""
    texts, labels = corpus(240)
    words = TfidfVectorizer(tokenizer=text.word_tokens, preprocessor=_identity, lowercase=False, token_pattern=None,
                            ngram_range=(1, 3), norm="l1", binary=True, dtype=np.float64)
    plain = TfidfVectorizer(tokenizer=text.plain_word_tokens, preprocessor=_identity, lowercase=False,
                            token_pattern=None, norm=None, use_idf=False, sublinear_tf=False, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", preprocessor=text.char_text, lowercase=False, ngram_range=(1, 3),
                            sublinear_tf=False, dtype=np.float32)
    union = FeatureUnion([("words", words), ("plain", plain), ("chars", chars), ("cues", CueMatcher())])
    assert_identical(Pipeline([("features", union), ("classifier", LogisticRegression(C=2.0, max_iter=2000))])
                     .fit(texts, labels))


def test_unknown_pipeline_shapes_fall_back_to_scikit_learn():
    texts, labels = corpus(120)
    pipeline = classifier.build_pipeline(FeatureConfig(char_ngrams=None)).fit(texts, labels)
    odd = Pipeline([("features", FunctionTransformer()), ("classifier", pipeline.named_steps["classifier"])])
    assert compile_scorer(odd) is None
    with_targets = classifier.build_pipeline(FeatureConfig(char_ngrams=None, targets=True)).fit(texts, labels)
    assert compile_scorer(with_targets) is None
    model = StanceModel(with_targets, {"version": "t"})
    assert model.scorer is None
    probe = texts[:5] + ODD_TEXTS
    assert np.array_equal(model.predict_proba(probe), classifier.probabilities(with_targets, probe))
    assert model.predict_one(probe[0]) == model.predict([probe[0]])[0]
