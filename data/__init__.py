"""The project's labeled corpus, shipped with the package so `stance train` works anywhere."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def corpus_paths() -> list[Path]:
    """Every labeled CSV of the corpus, in a stable order."""
    return sorted(DATA_DIR.glob("*.csv"))
