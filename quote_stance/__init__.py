"""quote-stance: who said what about the federal grant conditions on sanctuary jurisdictions.

The repository keeps the card's folders at its top level (`model/`, `quotes/`, `service/`,
`training/`, `batch/`, `cli/`, `data/`); pyproject.toml installs them as subpackages of this
one package, so nothing but `quote_stance` lands in site-packages.

    from quote_stance import load_model
    model = load_model()                      # the shipped model, verified
    model.predict_proba(["We will see them in court."], roles=["state attorney general"])
"""

from quote_stance.model.predictor import StanceModel, load_model

__all__ = ["StanceModel", "load_model"]
