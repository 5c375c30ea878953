"""Choosing a configuration by cross-validation grouped by source page."""

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.model_selection import StratifiedGroupKFold

from model import lifeline
from model.classifier import build_pipeline, probabilities
from model.features import FeatureConfig
from training.corpus import Corpus
from training.metrics import evaluate_predictions

# A few configurations that differ where it matters: stemming and negation marking, the cue
# lexicon and target features, character n-grams, n-gram length and regularisation strength.
CANDIDATES: tuple[FeatureConfig, ...] = (
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=True, C=4.0, news_weight=1.0),
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=True, C=4.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=True, C=8.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=True, C=2.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=False, C=4.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem", char_ngrams=None, cues=True, targets=True, C=4.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem+negation", char_ngrams=None, cues=True, C=4.0, news_weight=3.0),
    FeatureConfig(word_tokens="stem", char_ngrams=(2, 5), cues=True, C=4.0, news_weight=3.0),
)


@dataclass
class CandidateResult:
    config: FeatureConfig
    all_rows: dict
    news_rows: dict

    @property
    def score(self) -> float:
        """What selection maximises: macro-F1 on real news quotes, out of fold."""
        return self.news_rows["macro_f1"] if self.news_rows["n"] else self.all_rows["macro_f1"]


def sample_weights(config: FeatureConfig, corpus: Corpus) -> np.ndarray:
    """Per-row weights for fitting: `news_weight` for real news quotes, 1 for the rest."""
    return np.asarray([config.news_weight if s.startswith("news:") else 1.0 for s in corpus.sources])


def fit_pipeline(config: FeatureConfig, corpus: Corpus, rows: np.ndarray | None = None, seed: int = 0):
    """Fit a pipeline of `config` on the corpus (or on the given rows of it)."""
    rows = np.arange(len(corpus)) if rows is None else rows
    texts = np.asarray(corpus.texts, dtype=object)[rows]
    labels = np.asarray(corpus.labels, dtype=object)[rows]
    weights = sample_weights(config, corpus)[rows]
    return build_pipeline(config, seed=seed).fit(list(texts), list(labels), classifier__sample_weight=weights)


def _fold_probabilities(config: FeatureConfig, corpus: Corpus, train: np.ndarray, test: np.ndarray, seed: int):
    pipeline = fit_pipeline(config, corpus, train, seed=seed)
    return test, probabilities(pipeline, [corpus.texts[i] for i in test])


def out_of_fold_probabilities(
    config: FeatureConfig, corpus: Corpus, folds: int = 5, seed: int = 0, jobs: int = 1
) -> np.ndarray:
    """Each row's probabilities from a model that never saw its source page."""
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(corpus.texts, corpus.labels, corpus.groups))
    # Workers that end with this process: a killed `stance train` leaves none behind.
    with parallel_config(backend="loky", initializer=lifeline.watch, initargs=(os.getpid(),)):
        results = Parallel(n_jobs=jobs)(
            delayed(_fold_probabilities)(config, corpus, train, test, seed) for train, test in splits
        )
    probs = np.zeros((len(corpus), 3))
    for test, fold_probs in results:
        probs[test] = fold_probs
    return probs


def evaluate_candidate(config: FeatureConfig, corpus: Corpus, folds: int, seed: int, jobs: int) -> CandidateResult:
    probs = out_of_fold_probabilities(config, corpus, folds=folds, seed=seed, jobs=jobs)
    news = np.asarray([s.startswith("news:") for s in corpus.sources])
    labels = np.asarray(corpus.labels, dtype=object)
    return CandidateResult(
        config=config,
        all_rows=evaluate_predictions(labels, probs),
        news_rows=evaluate_predictions(labels[news], probs[news]),
    )


def select_configuration(
    corpus: Corpus,
    candidates: Sequence[FeatureConfig] = CANDIDATES,
    folds: int = 5,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[CandidateResult, list[CandidateResult]]:
    """Cross-validate every candidate; the best by news-row macro-F1 (ties: the earlier one)."""
    results = []
    for number, config in enumerate(candidates, start=1):
        result = evaluate_candidate(config, corpus, folds, seed, jobs)
        results.append(result)
        progress(
            f"candidate {number}/{len(candidates)}: macro_f1 news={result.news_rows['macro_f1']:.3f} "
            f"all={result.all_rows['macro_f1']:.3f} ece={result.all_rows['ece']:.3f}  {describe(config)}"
        )
    best = max(results, key=lambda r: r.score)
    return best, results


def describe(config: FeatureConfig) -> str:
    chars = f"char{config.char_ngrams[0]}-{config.char_ngrams[1]}" if config.char_ngrams else "no-char"
    extras = ("cues" if config.cues else "no-cues") + (", targets" if config.targets else "")
    extras += f", news x{config.news_weight:g}"
    return (
        f"words {config.word_ngrams[0]}-{config.word_ngrams[1]} ({config.word_tokens}), {chars}, "
        f"{extras}, C={config.C:g}"
    )
