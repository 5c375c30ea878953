"""Training with speaker context: the corpus reads it, selection scores both ways, `--no-context` drops it."""

from pathlib import Path

import numpy as np

from quote_stance.model.features import FeatureConfig
from quote_stance.training.corpus import read_labeled_csv
from quote_stance.training.selection import fit_pipeline, model_inputs
from quote_stance.training.train import train_model

WORDS = FeatureConfig(char_ngrams=None, cues=True)
CONTEXT = FeatureConfig(char_ngrams=None, cues=True, context=True, role_weight=2.0)


def test_the_corpus_reads_the_context_columns(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("speaker_role,text,label,speaker\nMayor,We will sue.,oppose,Jane Roe\n,Comply now.,support,\n", encoding="utf-8")
    corpus = read_labeled_csv(path)
    assert corpus.speakers == ["Jane Roe", ""] and corpus.roles == ["Mayor", ""]
    assert corpus.has_context()
    blank = corpus.without_context()
    assert not blank.has_context() and blank.texts == corpus.texts and blank.labels == corpus.labels


def test_a_file_without_the_columns_has_no_context(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("text,label\nWe will sue.,oppose\n", encoding="utf-8")
    corpus = read_labeled_csv(path)
    assert corpus.speakers == [""] and corpus.roles == [""] and not corpus.has_context()


def test_context_dropout_fits_each_row_with_and_without_its_context(small_labeled_csv: Path):
    corpus = read_labeled_csv(small_labeled_csv)
    rows = np.arange(len(corpus))
    inputs = model_inputs(CONTEXT, corpus, rows)
    assert inputs.shape == (len(corpus), 3) and any(inputs[:, 2])
    assert not any(model_inputs(CONTEXT, corpus, rows, context=False)[:, 1:].ravel())
    assert model_inputs(WORDS, corpus, rows) == corpus.texts
    pipeline = fit_pipeline(CONTEXT, corpus)
    # every context token the model knows came from a row that had it; the blank copies add none
    assert pipeline.named_steps["features"].named_transformers_["role"].vocabulary_


def test_selection_reports_both_ways_and_no_context_keeps_to_the_words(small_labeled_csv: Path, tmp_path: Path):
    both = train_model([small_labeled_csv], tmp_path / "a", folds=3, repeats=1, candidates=(WORDS, CONTEXT))
    cv = both["metrics"]["cross_validation"]
    assert set(cv) >= {"news_rows", "news_rows_without_context"}
    for candidate in both["candidates"]:
        assert {"cv_macro_f1_news_with_context", "cv_macro_f1_news_without_context"} <= set(candidate)
    words_only = train_model([small_labeled_csv], tmp_path / "b", folds=3, repeats=1, candidates=(WORDS, CONTEXT),
                             use_context=False)
    assert [c["config"]["context"] for c in words_only["candidates"]] == [False]
    assert words_only["config"]["context"] is False


def test_dev_is_scored_with_its_context_and_without(small_labeled_csv: Path, tmp_path: Path):
    metadata = train_model([small_labeled_csv], tmp_path / "m", dev=small_labeled_csv, folds=3, repeats=1,
                           candidates=(CONTEXT,))
    dev = metadata["metrics"]["dev"]
    assert dev["n"] == dev["without_context"]["n"] == 120
    assert dev["macro_f1"] != dev["without_context"]["macro_f1"] or dev["ece"] != dev["without_context"]["ece"]
