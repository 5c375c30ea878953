"""Choosing a configuration by cross-validation grouped by source page."""

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.model_selection import StratifiedGroupKFold

from quote_stance import common
from quote_stance.model.classifier import build_pipeline, probabilities
from quote_stance.model.context import context_rows
from quote_stance.model.routing import ContextSwitch
from quote_stance.model.features import FeatureConfig
from quote_stance.training.corpus import Corpus
from quote_stance.training.metrics import evaluate_predictions

# The words' features were chosen before (stems, cue groups, no character n-grams, news x3:
# see docs/model.md); these candidates differ in whether and how much the context counts
# (C=2 and a name weight of 0.6 were tried too and did no better: docs/model.md).
_WORDS = dict(word_tokens="stem", char_ngrams=None, cues=True, news_weight=3.0)
CANDIDATES: tuple[FeatureConfig, ...] = (
    # the words alone (the model before speaker context)
    FeatureConfig(**_WORDS, C=4.0),
    # words and context in one pipeline, fitted with and without each row's context
    FeatureConfig(**_WORDS, C=4.0, context=True, role_weight=2.0, speaker_weight=0.3),
    # the same for quotes with context, and the words-only model for quotes without
    FeatureConfig(**_WORDS, C=4.0, context=True, role_weight=2.0, speaker_weight=0.3, words_path=True),
    FeatureConfig(**_WORDS, C=4.0, context=True, role_weight=3.0, speaker_weight=0.3, words_path=True),
)


@dataclass
class CandidateResult:
    """Metrics of the first cross-validation run, and the selection score of every repeat."""

    config: FeatureConfig
    all_rows: dict
    news_rows: dict
    repeat_scores: list[float]
    # The news rows scored with every speaker and role blank (as `news_rows` for a model without context).
    news_rows_no_context: dict | None = None

    @property
    def score(self) -> float:
        """What selection maximises: macro-F1 on real news quotes, out of fold, mean of repeats
        (each repeat's figure the mean of the scores with context and without)."""
        return float(np.mean(self.repeat_scores))


def _selection_score(all_rows: dict, news_rows: dict) -> float:
    return news_rows["macro_f1"] if news_rows["n"] else all_rows["macro_f1"]


def sample_weights(config: FeatureConfig, corpus: Corpus) -> np.ndarray:
    """Per-row weights for fitting: `news_weight` for real news quotes (and reporters'
    corrections of them), 1 for the rest."""
    real = [s.startswith("news:") or s == "correction" for s in corpus.sources]
    return np.asarray([config.news_weight if r else 1.0 for r in real])


def model_inputs(config: FeatureConfig, corpus: Corpus, rows: np.ndarray, context: bool = True):
    """What a pipeline of `config` takes for these rows: texts, or (text, speaker, role) rows
    (with every speaker and role blank when `context` is False)."""
    texts = [corpus.texts[i] for i in rows]
    if not config.context:
        return texts
    if not context:
        return context_rows(texts)
    return context_rows(texts, [corpus.speakers[i] for i in rows], [corpus.roles[i] for i in rows])


def fit_pipeline(config: FeatureConfig, corpus: Corpus, rows: np.ndarray | None = None, seed: int = 0):
    """Fit a pipeline of `config` on the corpus (or on the given rows of it).

    With `context_dropout`, every row that has a speaker or role is fitted twice, with it and
    without it: a quote whose speaker is unknown is then a case the model has learned, not
    one it has never met.
    """
    rows = np.arange(len(corpus)) if rows is None else np.asarray(rows)
    inputs = model_inputs(config, corpus, rows)
    labels = np.asarray(corpus.labels, dtype=object)[rows]
    weights = sample_weights(config, corpus)[rows]
    if config.context and config.context_dropout and not config.words_path:  # the switch does its own
        known = np.flatnonzero([bool(corpus.speakers[i] or corpus.roles[i]) for i in rows])
        inputs = np.vstack([inputs, model_inputs(config, corpus, rows[known], context=False)])
        labels = np.concatenate([labels, labels[known]])
        weights = np.concatenate([weights, weights[known] * config.dropout_weight])
    model = build_pipeline(config, seed=seed)
    if isinstance(model, ContextSwitch):
        return model.fit(inputs, list(labels), sample_weight=weights)
    return model.fit(inputs, list(labels), classifier__sample_weight=weights)


def _fold_probabilities(config: FeatureConfig, corpus: Corpus, train: np.ndarray, test: np.ndarray, seed: int):
    pipeline = fit_pipeline(config, corpus, train, seed=seed)
    with_context = probabilities(pipeline, model_inputs(config, corpus, test))
    without = probabilities(pipeline, model_inputs(config, corpus, test, context=False)) if config.context else with_context
    return test, with_context, without


def out_of_fold_probabilities(
    config: FeatureConfig, corpus: Corpus, folds: int = 5, seed: int = 0, jobs: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's probabilities from a model that never saw its source page: with the row's
    context, and with none (the same array for a model without context)."""
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(corpus.texts, corpus.labels, corpus.groups))
    # Workers that end with this process: a killed `stance train` leaves none behind.
    with parallel_config(backend="loky", initializer=common.watch, initargs=(os.getpid(),)):
        results = Parallel(n_jobs=jobs)(
            delayed(_fold_probabilities)(config, corpus, train, test, seed) for train, test in splits
        )
    probs, bare = np.zeros((len(corpus), 3)), np.zeros((len(corpus), 3))
    for test, fold_probs, fold_bare in results:
        probs[test] = fold_probs
        bare[test] = fold_bare
    return probs, bare


def evaluate_candidate(
    config: FeatureConfig, corpus: Corpus, folds: int, seed: int, jobs: int, repeats: int = 1
) -> CandidateResult:
    """Cross-validate `repeats` times with different splits (seeds seed, seed+1, ...).

    Candidates differ by less than one split's noise; averaging repeats keeps the choice
    from following the luck of a single split.
    """
    news = np.asarray([s.startswith("news:") for s in corpus.sources])
    labels = np.asarray(corpus.labels, dtype=object)
    first: tuple[dict, dict, dict] | None = None
    scores = []
    for repeat in range(repeats):
        probs, bare = out_of_fold_probabilities(config, corpus, folds=folds, seed=seed + repeat, jobs=jobs)
        all_rows = evaluate_predictions(labels, probs)
        news_rows = evaluate_predictions(labels[news], probs[news])
        news_bare = evaluate_predictions(labels[news], bare[news])
        first = first or (all_rows, news_rows, news_bare)
        # Context is optional for callers: a model is judged on quotes with it and without it.
        scores.append((_selection_score(all_rows, news_rows) + _selection_score(all_rows, news_bare)) / 2)
    return CandidateResult(
        config=config, all_rows=first[0], news_rows=first[1], repeat_scores=scores, news_rows_no_context=first[2]
    )


def select_configuration(
    corpus: Corpus,
    candidates: Sequence[FeatureConfig] = CANDIDATES,
    folds: int = 5,
    seed: int = 0,
    jobs: int = 1,
    repeats: int = 3,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[CandidateResult, list[CandidateResult]]:
    """Cross-validate every candidate; the best by mean news-row macro-F1 (ties: the earlier one)."""
    results = []
    for number, config in enumerate(candidates, start=1):
        result = evaluate_candidate(config, corpus, folds, seed, jobs, repeats)
        results.append(result)
        progress(
            f"candidate {number}/{len(candidates)}: macro_f1 news={result.score:.3f} "
            f"(sd {np.std(result.repeat_scores):.3f} over {repeats}) all={result.all_rows['macro_f1']:.3f} "
            f"ece={result.all_rows['ece']:.3f} news with/without context="
            f"{result.news_rows['macro_f1']:.3f}/{result.news_rows_no_context['macro_f1']:.3f}  {describe(config)}"
        )
    best = max(results, key=lambda r: r.score)
    return best, results


def describe(config: FeatureConfig) -> str:
    chars = f"char{config.char_ngrams[0]}-{config.char_ngrams[1]}" if config.char_ngrams else "no-char"
    extras = ("cues" if config.cues else "no-cues") + (", targets" if config.targets else "")
    extras += f", news x{config.news_weight:g}"
    if config.context:
        extras += f", role x{config.role_weight:g}, speaker x{config.speaker_weight:g}"
        extras += ", context dropout" if config.context_dropout else ""
        extras += ", words-only path for quotes without context" if config.words_path else ""
    return (
        f"words {config.word_ngrams[0]}-{config.word_ngrams[1]} ({config.word_tokens}), {chars}, "
        f"{extras}, C={config.C:g}"
    )
