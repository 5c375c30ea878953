"""quote-stance: who said what about the federal grant conditions on sanctuary jurisdictions.

The repository keeps the card's folders at its top level (`model/`, `quotes/`, `service/`,
`training/`, `batch/`, `cli/`, `data/`); pyproject.toml installs them as subpackages of this
one package, so nothing but `quote_stance` lands in site-packages.

    from quote_stance import load_model
    model = load_model()                      # the shipped model, verified
    model.predict_proba(["We will see them in court."], roles=["state attorney general"])
"""

from pathlib import Path

__all__ = ["load_model"]


def load_model(directory: Path | str | None = None):
    """The verified model in `directory` (the shipped one by default): a `StanceModel`.

    Imported on call: `import quote_stance` (and so every `stance` command's start) stays free
    of scikit-learn until a command needs the model.
    """
    from quote_stance.model.predictor import load_model as load

    return load(directory)
