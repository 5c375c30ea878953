"""Choosing a configuration by cross-validation grouped by source page."""

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.model_selection import StratifiedGroupKFold

from quote_stance import common
from quote_stance.model.classifier import build_pipeline, probabilities
from quote_stance.model.features import FeatureConfig
from quote_stance.training.corpus import Corpus
from quote_stance.training.metrics import evaluate_predictions

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
    """Metrics of the first cross-validation run, and the selection score of every repeat."""

    config: FeatureConfig
    all_rows: dict
    news_rows: dict
    repeat_scores: list[float]

    @property
    def score(self) -> float:
        """What selection maximises: macro-F1 on real news quotes, out of fold, mean of repeats."""
        return float(np.mean(self.repeat_scores))


def _selection_score(all_rows: dict, news_rows: dict) -> float:
    return news_rows["macro_f1"] if news_rows["n"] else all_rows["macro_f1"]


def sample_weights(config: FeatureConfig, corpus: Corpus) -> np.ndarray:
    """Per-row weights for fitting: `news_weight` for real news quotes (and reporters'
    corrections of them), 1 for the rest."""
    real = [s.startswith("news:") or s == "correction" for s in corpus.sources]
    return np.asarray([config.news_weight if r else 1.0 for r in real])


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
    with parallel_config(backend="loky", initializer=common.watch, initargs=(os.getpid(),)):
        results = Parallel(n_jobs=jobs)(
            delayed(_fold_probabilities)(config, corpus, train, test, seed) for train, test in splits
        )
    probs = np.zeros((len(corpus), 3))
    for test, fold_probs in results:
        probs[test] = fold_probs
    return probs


def evaluate_candidate(
    config: FeatureConfig, corpus: Corpus, folds: int, seed: int, jobs: int, repeats: int = 1
) -> CandidateResult:
    """Cross-validate `repeats` times with different splits (seeds seed, seed+1, ...).

    Candidates differ by less than one split's noise; averaging repeats keeps the choice
    from following the luck of a single split.
    """
    news = np.asarray([s.startswith("news:") for s in corpus.sources])
    labels = np.asarray(corpus.labels, dtype=object)
    first: tuple[dict, dict] | None = None
    scores = []
    for repeat in range(repeats):
        probs = out_of_fold_probabilities(config, corpus, folds=folds, seed=seed + repeat, jobs=jobs)
        all_rows = evaluate_predictions(labels, probs)
        news_rows = evaluate_predictions(labels[news], probs[news])
        first = first or (all_rows, news_rows)
        scores.append(_selection_score(all_rows, news_rows))
    return CandidateResult(config=config, all_rows=first[0], news_rows=first[1], repeat_scores=scores)


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
            f"ece={result.all_rows['ece']:.3f}  {describe(config)}"
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
