"""Vocabularies saved as arrays: the same estimator after a skops round trip, a small schema."""

import io
import zipfile

import numpy as np
import skops.io

from quote_stance.model.artifacts import TRUSTED_TYPES, load_pipeline
from quote_stance.model.context import ContextTokens
from quote_stance.model.vocabulary import CompactTfidfVectorizer

TEXTS = [
    "Sanctuary cities shield criminals from deportation",
    "We will see the administration in court over these grant conditions",
    "The department is reviewing the guidance on Byrne JAG grants",
    "Cities that refuse to cooperate will lose their federal grants",
]


def saved(estimator) -> bytes:
    return skops.io.dumps(estimator, compression=zipfile.ZIP_DEFLATED)


def schema(model_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as archive:
        return archive.read("schema.json").decode()


def test_word_vectorizer_round_trip_transforms_exactly_as_fitted(tmp_path):
    fitted = CompactTfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32).fit(TEXTS)
    loaded = load_pipeline(saved(fitted), tmp_path)
    assert loaded.vocabulary_ == fitted.vocabulary_
    assert (loaded.transform(TEXTS + ["unseen words only"]) != fitted.transform(TEXTS + ["unseen words only"])).nnz == 0
    assert list(loaded.get_feature_names_out()) == list(fitted.get_feature_names_out())


def test_vocabulary_is_saved_as_one_array_not_a_node_per_term():
    fitted = CompactTfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    text = schema(saved(fitted))
    assert "vocabulary_terms_" in text and '"vocabulary_"' not in text
    # no term appears in the schema as a node of its own (a bigram cannot be an attribute name)
    bigrams = [term for term in fitted.vocabulary_ if " " in term]
    assert bigrams and not any(term in text for term in bigrams)


def test_context_tokens_round_trip_including_an_empty_vocabulary(tmp_path):
    roles = ContextTokens("role").fit(["county sheriff", "Mayor of Chicago", "U.S. District Judge"])
    loaded = load_pipeline(saved(roles), tmp_path)
    assert loaded.vocabulary_ == roles.vocabulary_
    values = ["county sheriff", "", "a mayor"]
    assert (loaded.transform(values) != roles.transform(values)).nnz == 0

    nobody = ContextTokens("speaker", min_df=2).fit(["", ""])
    assert load_pipeline(saved(nobody), tmp_path).vocabulary_ == {}


def test_a_vocabulary_that_is_not_columns_0_to_n_is_saved_as_it_is(tmp_path):
    odd = ContextTokens("role").fit(["mayor"])
    odd.vocabulary_ = {"mayor": 3}
    text = schema(saved(odd))
    assert '"vocabulary_"' in text and "vocabulary_terms_" not in text
    assert load_pipeline(saved(odd), tmp_path).vocabulary_ == {"mayor": 3}


def test_only_the_trusted_class_is_named():
    assert "quote_stance.model.vocabulary.CompactTfidfVectorizer" in TRUSTED_TYPES
    named = skops.io.get_untrusted_types(data=saved(CompactTfidfVectorizer().fit(TEXTS)))
    assert set(named) <= TRUSTED_TYPES


def test_terms_numpy_cannot_hold_exactly_keep_the_dict(tmp_path):
    odd = ContextTokens("role").fit(["mayor"])
    odd.vocabulary_ = {"mayor": 0, "sheriff\x00": 1}  # numpy's fixed-width strings drop a trailing NUL
    text = schema(saved(odd))
    assert '"vocabulary_"' in text and "vocabulary_terms_" not in text
    assert load_pipeline(saved(odd), tmp_path).vocabulary_ == {"mayor": 0, "sheriff\x00": 1}
