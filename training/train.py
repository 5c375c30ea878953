"""Train a stance model from labeled CSVs and write its model directory."""

import platform
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import joblib
import nltk
import numpy as np
import sklearn

from quote_stance.batch.records import FIELD_LIMIT
from quote_stance.model.artifacts import save_directory
from quote_stance.model.classifier import probabilities
from quote_stance.model.labels import LABELS
from quote_stance.training.corpus import Corpus, load_corpus
from quote_stance.training.corrections import add_corrections
from quote_stance.training.metrics import evaluate_predictions
from quote_stance.training.model_card import render_model_card
from quote_stance.training.selection import CANDIDATES, describe, fit_pipeline, model_inputs, select_configuration


def environment_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "nltk": nltk.__version__,
        "numpy": np.__version__,
        "joblib": joblib.__version__,
    }


def train_model(
    data: list[Path],
    output: Path,
    dev: Path | None = None,
    seed: int = 0,
    folds: int = 5,
    jobs: int = 1,
    repeats: int = 3,
    candidates=CANDIDATES,
    progress: Callable[[str], None] = lambda message: None,
    field_limit: int = FIELD_LIMIT,
    use_context: bool = True,
    corrections: list | None = None,
) -> dict:
    """Select a configuration by grouped cross-validation, fit it on all of `data`, save it.

    `dev`, when given, is only scored, after the choice is made: it never steers selection;
    it is scored with its speaker columns and without them. Without `use_context`, or when
    no file has a speaker or role, only the candidates without context are tried.
    `corrections` (store.repository.Correction, the latest per quote) join the corpus as
    real quotes of their own pages. Returns the written metadata.
    """
    corpus = load_corpus(data, field_limit)
    corrected = add_corrections(corpus, corrections) if corrections is not None else None
    if not use_context:
        corpus = corpus.without_context()
    if not corpus.has_context():
        candidates = [config for config in candidates if not config.context]
    progress(f"corpus: {len(corpus)} rows from {len(corpus.files)} file(s); "
             + ", ".join(f"{label} {corpus.labels.count(label)}" for label in LABELS))
    best, results = select_configuration(
        corpus, candidates, folds=folds, seed=seed, jobs=jobs, repeats=repeats, progress=progress
    )
    progress(f"chosen: {describe(best.config)}")

    pipeline = fit_pipeline(best.config, corpus, seed=seed)
    dev_metrics = None
    if dev is not None:
        dev_corpus = load_corpus([dev], field_limit)
        rows = np.arange(len(dev_corpus))
        dev_metrics = evaluate_predictions(
            dev_corpus.labels, probabilities(pipeline, model_inputs(best.config, dev_corpus, rows))
        )
        dev_metrics["without_context"] = evaluate_predictions(
            dev_corpus.labels, probabilities(pipeline, model_inputs(best.config, dev_corpus, rows, context=False))
        )
        dev_metrics["file"] = Path(dev).name
        dev_metrics["sha256"] = dev_corpus.files[0]["sha256"]

    trained_at = datetime.now(timezone.utc)
    metadata = {
        "version": f"stance-{trained_at:%Y%m%d}",
        "trained_at": trained_at.isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "versions": environment_versions(),
        "training_data": {
            "sha256": corpus.sha256(),
            "rows": len(corpus),
            "by_label": {label: corpus.labels.count(label) for label in LABELS},
            "by_source_kind": _count_source_kinds(corpus),
            "files": corpus.files,
            "corrections": corrected,
        },
        "seed": seed,
        "config": best.config.to_dict(),
        "config_description": describe(best.config),
        "metrics": {
            "cross_validation": {
                "folds": folds,
                "repeats": repeats,
                "grouped_by": "source page (url); authored rows in blocks",
                "selection_score": "macro_f1 on news rows, out of fold, mean over repeats",
                "selection_score_value": best.score,
                "all_rows": best.all_rows,
                "news_rows": best.news_rows,
                "news_rows_without_context": best.news_rows_no_context,
            },
            "dev": dev_metrics,
        },
        "candidates": [
            {
                "config": r.config.to_dict(),
                "description": describe(r.config),
                "cv_macro_f1_news": r.score,
                "cv_macro_f1_news_with_context": r.news_rows["macro_f1"],
                "cv_macro_f1_news_without_context": r.news_rows_no_context["macro_f1"],
                "cv_macro_f1_news_repeats": r.repeat_scores,
                "cv_macro_f1_all": r.all_rows["macro_f1"],
                "cv_ece_all": r.all_rows["ece"],
            }
            for r in results
        ],
    }
    return save_directory(Path(output), pipeline, metadata, render_model_card(metadata))


def _count_source_kinds(corpus: Corpus) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for source in corpus.sources:
        kind = source.split(":", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds
