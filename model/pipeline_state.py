"""A fitted pipeline's numbers, read from a model file without importing scikit-learn.

Importing scikit-learn costs about 190 MB of resident memory here (it pulls in SciPy's
statistics and pandas), more than the whole budget of a batch run. A scorer only needs the
fitted numbers (vocabularies, idf weights, coefficients), so `load_state` unpickles the model
file with every `sklearn.*` and `model.*` class or function replaced by a `Placeholder`,
which keeps the object's pickled attributes and nothing else. The files are checked against
the model's checksum manifest first, exactly as `model.predictor.load_model` does.

`kind` and `attributes` read a real fitted object and its placeholder alike, so the compiled
scorer (`model.scorer`) is built the same way from either.
"""

import io
from pathlib import Path

from joblib import numpy_pickle

from model.artifacts import MODEL_FILE, ArtifactError, default_model_dir, read_verified

# Modules whose classes and functions are not imported but replaced by placeholders.
_REPLACED = ("sklearn", "model")


class Placeholder:
    """Stands for a class or function of a replaced module; instances keep pickled state."""

    module: str = ""
    name: str = ""

    def __init__(self, *args, **kwargs) -> None:
        self.args = args

    def __setstate__(self, state) -> None:
        if isinstance(state, tuple) and len(state) == 2:  # (dict, slots) form
            state = {**(state[0] or {}), **(state[1] or {})}
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"<{self.module}.{self.name}>"


def kind(value: object) -> str:
    """'module.Name' of what `value` is (or, for a class or function, of `value` itself).

    The same string for a real object and for its placeholder: 'sklearn.pipeline.Pipeline',
    'model.text.word_tokens', 'builtins.str'.
    """
    if isinstance(value, type) and issubclass(value, Placeholder):
        return f"{value.module}.{value.name}"
    if isinstance(value, Placeholder):
        return f"{value.module}.{value.name}"
    if callable(value) and hasattr(value, "__qualname__") and hasattr(value, "__module__"):
        return f"{value.__module__}.{value.__qualname__}"  # a function or a class
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def attributes(value: object) -> dict:
    """The instance attributes of a fitted object or placeholder (its pickled state)."""
    return vars(value)


class _PlaceholderUnpickler(numpy_pickle.NumpyUnpickler):
    _classes: dict[tuple[str, str], type] = {}

    def find_class(self, module: str, name: str):
        if module.split(".", 1)[0] in _REPLACED:
            key = (module, name)
            if key not in self._classes:
                self._classes[key] = type(name, (Placeholder,), {"module": module, "name": name})
            return self._classes[key]
        return super().find_class(module, name)


def load_state(directory: Path | str | None = None) -> tuple[Placeholder, dict]:
    """The verified pipeline as placeholders, and the model's metadata."""
    path = Path(directory) if directory is not None else default_model_dir()
    metadata, model_bytes = read_verified(path)  # the bytes unpickled are the bytes hashed
    original = numpy_pickle.NumpyUnpickler
    # joblib.load builds its unpickler by this module-level name; swap it for the call only.
    numpy_pickle.NumpyUnpickler = _PlaceholderUnpickler
    try:
        pipeline = numpy_pickle.load(io.BytesIO(model_bytes))
    except Exception as error:
        raise ArtifactError(f"{path / MODEL_FILE}: cannot be read ({type(error).__name__}: {error})") from None
    finally:
        numpy_pickle.NumpyUnpickler = original
    return pipeline, metadata
