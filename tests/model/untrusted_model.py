"""A model directory whose model file names a type outside TRUSTED_TYPES, with a manifest that vouches for it.

What an attacker who can write the model directory (and so its manifest) would leave: the shipped
pipeline behind a FunctionTransformer that calls `os.system` or `eval` on its input. Loading it
with a plain unpickler would run that function on the first prediction; skops names the function,
and the loader refuses it before building anything.
"""

import builtins
import os
import shutil
from pathlib import Path

import skops.io
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from quote_stance.model.artifacts import MODEL_FILE, default_model_dir, write_manifest
from quote_stance.model.predictor import load_model

FUNCTIONS = {"os.system": os.system, "builtins.eval": builtins.eval}


def write_untrusted_model(target: Path, function: str = "os.system") -> Path:
    """A copy of the shipped model directory whose pipeline first calls `function`; manifest rewritten."""
    shutil.copytree(default_model_dir(), target, dirs_exist_ok=True)
    shipped = load_model()
    pipeline = Pipeline([("first", FunctionTransformer(FUNCTIONS[function])), ("model", shipped.pipeline)])
    skops.io.dump(pipeline, target / MODEL_FILE)
    write_manifest(target)
    return target


def named_type(function: str) -> str:
    """The name skops gives the function in the file (`os.system` is `posix.system` on Linux)."""
    return f"{FUNCTIONS[function].__module__}.{FUNCTIONS[function].__name__}"
