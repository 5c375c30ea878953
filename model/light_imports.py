"""Import what scoring needs from NLTK and joblib without their 200 MB and 14 MB package imports.

`import nltk` runs `nltk/__init__.py`, which imports most of NLTK and, through it, SciPy's
statistics and pandas: about 200 MB of resident memory per process, for a Snowball stemmer
and two regular expressions. `import joblib` brings its parallel machinery (loky, about
14 MB) to read one pickle. A process that only scores needs neither, so `install()`
registers placeholder parent packages (`nltk`, `nltk.stem`, `nltk.corpus`, `joblib`) whose
`__path__` is the real package's folder. Python then loads the real `nltk.stem.snowball` and
`joblib.numpy_pickle` (and the few small modules they import) from their files, without
running the heavy `__init__`s.

`nltk.sentiment.util` imports half of NLTK, so its two patterns are rebuilt from its own
source: the assignments of NEGATION, NEGATION_RE, CLAUSE_PUNCT and CLAUSE_PUNCT_RE are read
with `ast` and executed as written. Tests check that the stems and patterns equal NLTK's.

Only for processes that score: `install()` changes `sys.modules` for the process, and a
later `import nltk` or `import joblib` there would get the placeholder, until `uninstall()`
removes the placeholders (the real packages then import as usual, reusing the submodules).
"""

import ast
import importlib.util
import re
import sys
import types
from pathlib import Path

_SENTIMENT_NAMES = ("NEGATION", "NEGATION_RE", "CLAUSE_PUNCT", "CLAUSE_PUNCT_RE")


def nltk_root() -> Path:
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def sentiment_patterns(root: Path | None = None) -> dict[str, object]:
    """NLTK's negation and clause-punctuation patterns, built by NLTK's own source lines."""
    root = root or nltk_root()
    tree = ast.parse((root / "sentiment" / "util.py").read_text(encoding="utf-8"))
    wanted = [
        node for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in _SENTIMENT_NAMES for t in node.targets)
    ]
    from nltk import redos  # light: the placeholder package (or the real one) finds it

    namespace: dict[str, object] = {"re": re, "redos": redos}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(root / "sentiment" / "util.py"), "exec"), namespace)
    missing = [name for name in _SENTIMENT_NAMES if name not in namespace]
    if missing:
        raise ImportError(f"nltk.sentiment.util no longer defines {', '.join(missing)}")
    return {name: namespace[name] for name in _SENTIMENT_NAMES}


def _placeholder(name: str, path: Path | None) -> types.ModuleType:
    module = types.ModuleType(name)
    if path is not None:
        module.__path__ = [str(path)]
    sys.modules[name] = module
    _INSTALLED.append(name)
    return module


def uninstall() -> None:
    """Remove the placeholders, so that the real packages can be imported (at their full cost)."""
    while _INSTALLED:
        name = _INSTALLED.pop()
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None) is None:  # still the placeholder
            del sys.modules[name]


_INSTALLED: list[str] = []  # the placeholder modules this process registered


def install() -> None:
    """Make `import model.text` and `from joblib import numpy_pickle` cheap (idempotent)."""
    if "joblib" not in sys.modules:
        spec = importlib.util.find_spec("joblib")
        if spec is not None and spec.submodule_search_locations:
            _placeholder("joblib", Path(list(spec.submodule_search_locations)[0]))
    if "nltk.sentiment.util" in sys.modules:
        return
    root = nltk_root()
    if "nltk" not in sys.modules:
        _placeholder("nltk", root)
    if "nltk.stem" not in sys.modules:
        _placeholder("nltk.stem", root / "stem")
    if "nltk.corpus" not in sys.modules:
        # snowball.py imports `stopwords` but uses it only with ignore_stopwords=True.
        _placeholder("nltk.corpus", None).stopwords = None
    sentiment = _placeholder("nltk.sentiment", root / "sentiment")
    util = _placeholder("nltk.sentiment.util", None)
    for name, value in sentiment_patterns(root).items():
        setattr(util, name, value)
    sentiment.util = util
