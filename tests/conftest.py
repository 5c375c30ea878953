"""Fixtures shared by every test package."""

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The team's shared folder sits beside the project in development and CI, never on a user's machine.
SHARED_DIR = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_corrections_store(tmp_path_factory):
    """No test writes corrections into the user's data folder or database (see store/location.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_DATA_DIR", str(tmp_path_factory.mktemp("stance-data")))
        patch.delenv("STANCE_DATABASE_URL", raising=False)
        yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "CONTRACT.md").is_file():
        pytest.skip(f"{SHARED_DIR} is absent: the team's shared data exists only in development and CI")
    return SHARED_DIR


@pytest.fixture(scope="session")
def default_model():
    from quote_stance.model.predictor import load_model

    return load_model()


@pytest.fixture(scope="session")
def stance_command() -> list[str]:
    """The installed `stance` console script of this interpreter's environment."""
    import shutil
    import sys

    script = Path(sys.executable).parent / "stance"
    if script.is_file():
        return [str(script)]
    found = shutil.which("stance")
    if found:
        return [found]
    pytest.fail("the `stance` console script is not installed; run `pip install -e '.[dev]'` first")


@pytest.fixture(scope="session")
def small_labeled_csv(tmp_path_factory) -> Path:
    """A small labeled CSV (40 rows a label, taken from the news quotes of the shipped corpus) for quick trainings."""
    import csv

    from quote_stance.data import corpus_paths

    wanted = {"support": 40, "oppose": 40, "neutral": 40}
    chosen = []
    news_file = next(p for p in corpus_paths() if p.name == "quotes_news.csv")
    with open(news_file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        for row in reader:
            if wanted.get(row["label"], 0) > 0:
                wanted[row["label"]] -= 1
                chosen.append(row)
    path = tmp_path_factory.mktemp("labeled") / "small.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(chosen)
    return path


@pytest.fixture(scope="session")
def small_model_dir(tmp_path_factory, small_labeled_csv) -> Path:
    """A model directory trained on the small CSV with two candidates."""
    from quote_stance.model.features import FeatureConfig
    from quote_stance.training.train import train_model

    output = tmp_path_factory.mktemp("models") / "small-model"
    train_model(
        [small_labeled_csv], output, folds=3,
        candidates=(FeatureConfig(char_ngrams=None, cues=True), FeatureConfig(char_ngrams=None, cues=False)),
    )
    return output
