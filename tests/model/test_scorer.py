"""The compiled scorer gives exactly the pipeline's own `predict_proba`, on every path.

`StanceModel.predict_proba` now uses the scorer, so every expected value here comes from the
scikit-learn pipeline itself (`classifier.probabilities`). Each test runs twice: with the
scorer's arithmetic in C (`model.native_scorer`, where the extension was built) and with its
Python row and chunk paths, which serve where it was not.
"""

import csv
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import corpus_paths
from model import classifier, text
from model.cue_counter import CueCounter
from model.cue_patterns import CUE_REGEXES
from model.native_scorer import AVAILABLE as NATIVE_BUILT
from model.pipeline_state import load_state
from model.scorer import ROW_PATH_LIMIT, CompiledScorer
from training.corpus import load_corpus

NEWS = Path(__file__).resolve().parents[2] / "data" / "quotes_news.csv"
NOT_BUILT = ("model._native_scorer is not importable here: not built (no compiler at install time), or the "
             "tests import a source tree it was not built into (install with pip install -e)")
ODD_TEXTS = ["", "   ", "a", "“Curly quotes” — and a dash", "no " * 3000, "\ud800 lone surrogate", "1373 U.S.C."]
AWKWARD = [
    "We won't comply, never! Not; ok.", "ΟΔΟΣ Σ and Σ", "http://example.org/a?b=1 is the guidance",
    "8 U.S.C. 1373 and SB54, 4 and 12,000.5 dollars", "x", "İstanbul’s “sanctuary” — policy\u00a0now",
    "Das ist nicht gut. 这是一个测试。", "no\x00nul", "They'll sue, suing, sued; lawsuit!", "'quoted' \"twice\"",
    "\ue000 private use \ue001\ue002\ue003", "illegal aliens illegals illegal immigrant rule of law",
    "We are reviewing the guidance. No comment. It is unclear.", "   spaced   out   ", "a  b\t\tc\n\nd \u2003 e",
    "sue sue sue sue sue the the the the court will", "end.endanger endangering;flouting-obstruct",
]


@pytest.fixture(scope="module")
def built_light_scorer():
    """Built from the placeholder state, as batch workers build it."""
    return CompiledScorer(load_state()[0])


@pytest.fixture(params=["native", "python"])
def scorer_path(request, built_light_scorer, default_model, monkeypatch):
    """The scorers of this module on one path: C, or Python with the C part switched off."""
    if request.param == "native":
        if not NATIVE_BUILT:
            pytest.skip(NOT_BUILT)
        assert built_light_scorer.native is not None and default_model.scorer.native is not None
    else:
        monkeypatch.setattr(built_light_scorer, "native", None)
        monkeypatch.setattr(default_model.scorer, "native", None)
    return request.param


@pytest.fixture
def light_scorer(built_light_scorer, scorer_path):
    return built_light_scorer


@pytest.fixture(scope="module")
def corpus_texts():
    return load_corpus(corpus_paths()).texts


def sklearn_proba(model, texts):
    return classifier.probabilities(model.pipeline, list(texts))


def one_by_one(scorer, texts):
    return np.vstack([scorer.proba_one(t) for t in texts])


def test_default_model_uses_the_scorer(default_model):
    assert default_model.scorer is not None


def test_whole_corpus_is_bit_identical_on_both_paths(light_scorer, default_model, corpus_texts):
    texts = corpus_texts + AWKWARD + ODD_TEXTS
    expected = sklearn_proba(default_model, texts)
    assert np.array_equal(light_scorer.predict_proba(texts), expected)  # the chunk path
    assert np.array_equal(one_by_one(light_scorer, texts), expected)  # the row path
    assert np.array_equal(default_model.predict_proba(texts), expected)
    assert light_scorer.predict_proba(texts).dtype == expected.dtype


def test_predict_one_equals_the_pipeline(scorer_path, default_model, corpus_texts):
    texts = corpus_texts[:300] + AWKWARD
    expected = classifier.to_predictions(sklearn_proba(default_model, texts))
    assert [default_model.predict_one(t) for t in texts] == expected


def test_chunking_does_not_change_a_probability(light_scorer, default_model, corpus_texts):
    texts = corpus_texts[:300] + AWKWARD
    whole = sklearn_proba(default_model, texts)
    for size in (1, 7, ROW_PATH_LIMIT, 64):
        parts = np.vstack([light_scorer.predict_proba(texts[i:i + size]) for i in range(0, len(texts), size)])
        assert np.array_equal(parts, whole)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6))
def test_any_text_scores_like_the_pipeline(light_scorer, default_model, texts):
    texts = [t for t in texts if t.strip()] or ["x"]
    expected = sklearn_proba(default_model, texts)
    assert np.array_equal(one_by_one(light_scorer, texts), expected)
    padded = texts * (ROW_PATH_LIMIT // len(texts) + 1)  # long enough for the chunk path
    assert np.array_equal(light_scorer.predict_proba(padded), sklearn_proba(default_model, padded))


cue_words = st.sampled_from(["illegal aliens", "sue", "suing", "lawsuit", "rule of law", "the court will",
                             "we are reviewing", "undocumented", "coercive", "threats", " ", ",", "n't", "x",
                             "endanger", "the", "see you in court", "  ", "\n", "we'll see", "287(g)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cue_words | st.text(max_size=5), max_size=10).map("".join), min_size=1, max_size=5))
def test_cue_counts_equal_findall(texts):
    counter = CueCounter(list(CUE_REGEXES.values()))
    assert counter.fast
    for value in texts:
        assert counter.count(value) == [len(p.findall(value)) for p in CUE_REGEXES.values()]


def test_cue_counts_equal_findall_on_the_corpus(corpus_texts):
    counter = CueCounter(list(CUE_REGEXES.values()))
    for value in map(text.normalize, corpus_texts):
        assert counter.count(value) == [len(p.findall(value)) for p in CUE_REGEXES.values()]


def test_cue_counter_with_an_open_pattern_falls_back_to_findall():
    import re

    patterns = [re.compile(r"\w+ing"), re.compile(r" leading space|x")]
    counter = CueCounter(patterns)
    assert not counter.fast
    assert counter.count("a sing x leading space") == [2, 2]  # sing, leading; x, " leading space"


def _normalize_with_translate(value: str) -> str:
    """model.text.normalize as it was written with str.translate and without shortcuts."""
    value = unicodedata.normalize("NFKC", value).translate(text._QUOTE_TRANSLATION).lower()
    value = text._URL_RE.sub(" url ", value)
    value = value.replace("u.s.c.", "usc").replace("u.s.", "us")
    return text._NUMBER_RE.sub(lambda m: m.group() if m.group() in ("1373", "54", "4") else "0", value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("‘’‛′“”„″–—−\u00a0 aZ'\"-1.٣") | st.characters(), max_size=40)
       | st.sampled_from(["see http://x.org/a now", "www.example.com", "U.S.C. 1373", "u.s. 54", "12,000.5"]))
def test_normalize_equals_its_plain_definition(value):
    assert text.normalize(value) == _normalize_with_translate(value)


def test_news_quotes_score_alike_one_at_a_time_and_together(scorer_path, default_model):
    with open(NEWS, encoding="utf-8-sig", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)][:200] + ODD_TEXTS
    expected = sklearn_proba(default_model, texts)
    assert np.array_equal(np.vstack([default_model.predict_proba([t]) for t in texts]), expected)


def test_the_default_model_scores_in_c_where_it_was_built(default_model):
    if not NATIVE_BUILT:
        pytest.skip(NOT_BUILT)
    assert default_model.scorer.native is not None


def test_a_count_beyond_the_tf_table_is_scored_in_python(scorer_path, default_model):
    text_ = "sanctuary " * 300 + "cities will sue"  # a count of 300: past the C side's tf table
    expected = sklearn_proba(default_model, [text_, "we will comply"])
    assert np.array_equal(default_model.predict_proba([text_, "we will comply"]), expected)
    assert np.array_equal(default_model.predict_proba([text_]), expected[:1])
