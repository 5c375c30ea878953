"""The numpy scorer must give exactly the model's probabilities (the shipped model is a pickle)."""

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batch.cue_counter import CueCounter
from batch.linear_scorer import LinearScorer, normalize_many
from batch.model_state import load_state
from model import text
from model.cue_patterns import CUE_REGEXES
from training.corpus import load_corpus
from data import corpus_paths

AWKWARD = [
    "We won't comply, never! Not; ok.", "ΟΔΟΣ Σ and Σ", "http://example.org/a?b=1 is the guidance",
    "8 U.S.C. 1373 and SB54, 4 and 12,000.5 dollars", "x", "İstanbul’s “sanctuary” — policy\u00a0now",
    "Das ist nicht gut. 这是一个测试。", "no\x00nul", "They'll sue, suing, sued; lawsuit!", "'quoted' \"twice\"",
    "\ue000 private use \ue001\ue002\ue003", "illegal aliens illegals illegal immigrant rule of law",
    "We are reviewing the guidance. No comment. It is unclear.", "   spaced   out   ",
]


@pytest.fixture(scope="module")
def scorer():
    return LinearScorer(load_state()[0])


@pytest.fixture(scope="module")
def corpus_texts():
    return load_corpus(corpus_paths()).texts


def test_probabilities_are_bit_identical_to_the_model(scorer, default_model, corpus_texts):
    texts = corpus_texts + AWKWARD
    assert np.array_equal(scorer.predict_proba(texts), default_model.predict_proba(texts))


def test_chunking_does_not_change_a_probability(scorer, default_model, corpus_texts):
    texts = corpus_texts[:300] + AWKWARD
    whole = default_model.predict_proba(texts)
    for size in (1, 7, 64):
        parts = np.vstack([scorer.predict_proba(texts[i:i + size]) for i in range(0, len(texts), size)])
        assert np.array_equal(parts, whole)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6))
def test_any_text_scores_like_the_model(scorer, default_model, texts):
    texts = [t for t in texts if t.strip()] or ["x"]
    assert np.array_equal(scorer.predict_proba(texts), default_model.predict_proba(texts))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=5))
def test_normalizing_joined_texts_equals_joining_normalized_texts(texts):
    joined = normalize_many(texts)
    if joined is None:  # every separator character occurs in the texts
        return
    normalized, separator = joined
    assert normalized.split(separator) == [text.normalize(t) for t in texts]


cue_words = st.sampled_from(["illegal aliens", "sue", "suing", "lawsuit", "rule of law", "the court will",
                             "we are reviewing", "undocumented", "coercive", "threats", " ", ",", "n't", "x"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cue_words | st.text(max_size=5), max_size=8).map("".join), min_size=1, max_size=5))
def test_cue_counts_equal_findall(texts):
    counter = CueCounter(list(CUE_REGEXES.values()))
    assert counter.fast
    expected = [[len(p.findall(t)) for p in CUE_REGEXES.values()] for t in texts]
    assert counter.count(texts).tolist() == expected


def test_cue_counts_equal_findall_on_the_corpus(corpus_texts):
    normalized = [text.normalize(t) for t in corpus_texts]
    counter = CueCounter(list(CUE_REGEXES.values()))
    expected = [[len(p.findall(t)) for p in CUE_REGEXES.values()] for t in normalized]
    assert counter.count(normalized).tolist() == expected


def _normalize_with_translate(value: str) -> str:
    """model.text.normalize as it was written with str.translate."""
    value = unicodedata.normalize("NFKC", value).translate(text._QUOTE_TRANSLATION).lower()
    value = text._URL_RE.sub(" url ", value)
    value = value.replace("u.s.c.", "usc").replace("u.s.", "us")
    return text._NUMBER_RE.sub(lambda m: m.group() if m.group() in ("1373", "54", "4") else "0", value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("‘’‛′“”„″–—−\u00a0 aZ'\"-1.") | st.characters(), max_size=40))
def test_normalize_with_replace_equals_normalize_with_translate(value):
    assert text.normalize(value) == _normalize_with_translate(value)
