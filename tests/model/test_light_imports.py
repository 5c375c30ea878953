"""Workers load NLTK's stemmer and negation patterns without NLTK's (and so SciPy's) import."""

import subprocess
import sys

from model.light_imports import sentiment_patterns
from nltk.sentiment import util


def test_patterns_rebuilt_from_source_equal_nltk():
    rebuilt = sentiment_patterns()
    assert rebuilt["NEGATION"] == util.NEGATION
    assert rebuilt["CLAUSE_PUNCT"] == util.CLAUSE_PUNCT
    for token in ["not", "never", "don't", "won't", "no", "nothing", "know", ".", "!", ";", ",", "x"]:
        assert bool(rebuilt["NEGATION_RE"].search(token)) == bool(util.NEGATION_RE.search(token))
        assert bool(rebuilt["CLAUSE_PUNCT_RE"].search(token)) == bool(util.CLAUSE_PUNCT_RE.search(token))


def test_a_light_process_tokenizes_like_this_one_and_imports_no_scipy():
    from model import text

    sample = "We won't comply; the generously funded, running cities never will. Sanctuary!"
    code = (
        "import sys, json; from model import light_imports; light_imports.install()\n"
        "from model import text\n"
        f"print(json.dumps([text.word_tokens({sample!r}), text.plain_word_tokens({sample!r})]))\n"
        "from batch.scoring import load_scorer\n"
        "scores = load_scorer(None, light=True)([" + repr(sample) + "])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'sklearn', 'pandas')\n"
        "                        or m in ('joblib.parallel', 'joblib.externals.loky', 'nltk.corpus.reader'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    tokens, heavy = out.splitlines()
    import json

    assert json.loads(tokens) == [text.word_tokens(sample), text.plain_word_tokens(sample)]
    assert json.loads(heavy) == []
