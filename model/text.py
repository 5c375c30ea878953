"""Text preparation for the stance features, built from parts of NLTK that need no download.

Each step is a plain function so it can be tested alone and composed; the composed
tokenizers are module-level so a saved pipeline can find them again on load.
"""

import re
import unicodedata
from functools import lru_cache

import threading

import Stemmer

_QUOTE_TRANSLATION = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": " - ", "\u2212": "-", "\u00a0": " ",
    }
)
# str.translate looks each character up in a dict (60 ns a character); one str.replace per
# mapped character scans at memchr speed and gives the same text, since no replacement
# contains a mapped character.
_QUOTE_REPLACEMENTS = tuple((chr(code), value) for code, value in _QUOTE_TRANSLATION.items())
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_DIGIT_RE = re.compile(r"\d")
_KEPT_NUMBERS = frozenset(("1373", "54", "4"))
# Words, contractions kept whole ("won't"), numbers and single punctuation marks. A compiled
# pattern rather than nltk's RegexpTokenizer, whose per-call overhead is six times the match.
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)*|[0-9]+|[^\sa-z0-9]")
# PyStemmer: the same Snowball English (Porter2) stemmer as NLTK's, compiled from Snowball's
# C sources, with its own cache and a call that stems a whole list. One per thread: its
# objects are not meant to be shared between threads.
_STEMMERS = threading.local()
NEGATION_SUFFIX = "_NEG"


def normalize(text: str) -> str:
    """Unicode-normalise, unify quote marks and dashes, lower-case, mask URLs and numbers."""
    # ASCII text is its own NFKC form and holds none of the marks replaced below.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        for char, replacement in _QUOTE_REPLACEMENTS:
            if char in text:
                text = text.replace(char, replacement)
    text = text.lower()
    if "http" in text or "www." in text:  # every URL match holds one of them
        text = _URL_RE.sub(" url ", text)
    # 8 U.S.C. 1373 and SB54 keep their identity; other numbers collapse to one token.
    if "u.s." in text:
        text = text.replace("u.s.c.", "usc").replace("u.s.", "us")
    if _DIGIT_RE.search(text) is None:
        return text
    return _NUMBER_RE.sub(_mask_number, text)


def _mask_number(match: re.Match) -> str:
    number = match.group()
    return number if number in _KEPT_NUMBERS else "0"


def tokenize(text: str) -> list[str]:
    """Split normalised text into word and punctuation tokens."""
    return _TOKEN_RE.findall(text)


@lru_cache(maxsize=200_000)
def token_kind(token: str) -> int:
    """1 for clause punctuation, 2 for a negation word, 0 otherwise (NLTK's own patterns).

    NLTK is imported here, on first use: only the negation-marking tokenizers need it, and
    its package import costs every scoring process about 16 MB.
    """
    from nltk.sentiment.util import CLAUSE_PUNCT_RE, NEGATION_RE

    if CLAUSE_PUNCT_RE.search(token):
        return 1
    return 2 if NEGATION_RE.search(token) else 0


def mark_negation_scope(tokens: list[str]) -> list[str]:
    """Suffix `_NEG` to the words after a negation until clause punctuation.

    The rule and regexes of `nltk.sentiment.util.mark_negation`, without its deep copy of
    the document and with each token's kind cached, which makes it 20 times faster.
    """
    marked: list[str] = []
    in_scope = False
    for token in tokens:
        kind = token_kind(token)
        if kind == 1:
            in_scope = False
            marked.append(token)
        elif in_scope:
            marked.append(token + NEGATION_SUFFIX)
        else:
            marked.append(token)
            in_scope = kind == 2
    return marked


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_STEMMERS, "stemmer", None)
    if stemmer is None:
        stemmer = _STEMMERS.stemmer = Stemmer.Stemmer("english")
    return stemmer


def stem(word: str) -> str:
    """Snowball-stem one word."""
    return _stemmer().stemWord(word)


def stem_tokens(tokens: list[str]) -> list[str]:
    """Stem each token, keeping any negation suffix."""
    if not any(token.endswith(NEGATION_SUFFIX) for token in tokens):
        return _stemmer().stemWords(tokens)
    cut = len(NEGATION_SUFFIX)
    negated = [token.endswith(NEGATION_SUFFIX) for token in tokens]
    stems = _stemmer().stemWords([t[:-cut] if n else t for t, n in zip(tokens, negated)])
    return [s + NEGATION_SUFFIX if n else s for s, n in zip(stems, negated)]


def drop_punctuation(tokens: list[str]) -> list[str]:
    """Keep word tokens only (punctuation has done its job once negation is marked)."""
    return [t for t in tokens if t[0].isalnum()]


def word_tokens(text: str) -> list[str]:
    """Tokens for the word n-gram features: normalised, negation-marked, stemmed."""
    return drop_punctuation(stem_tokens(mark_negation_scope(tokenize(normalize(text)))))


def plain_word_tokens(text: str) -> list[str]:
    """Tokens without negation marking, for comparing configurations."""
    return drop_punctuation(stem_tokens(tokenize(normalize(text))))


def unstemmed_word_tokens(text: str) -> list[str]:
    """Negation-marked tokens without stemming, for comparing configurations."""
    return drop_punctuation(mark_negation_scope(tokenize(normalize(text))))


def char_text(text: str) -> str:
    """Input of the character n-gram features: normalised text with runs of space folded."""
    return " ".join(normalize(text).split())
