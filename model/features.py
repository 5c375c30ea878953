"""The feature extractors of the stance model, built from a `FeatureConfig`."""

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import FeatureUnion

from quote_stance.model import text
from quote_stance.model.context import ContextTokens
from quote_stance.model.cues import CueMatcher
from quote_stance.model.targets import TargetEvaluation
from quote_stance.model.vocabulary import CompactTfidfVectorizer

# Tokenizers by name, so a configuration stays plain data (JSON in the metadata).
WORD_TOKENIZERS = {
    "stem+negation": text.word_tokens,
    "stem": text.plain_word_tokens,
    "negation": text.unstemmed_word_tokens,
}


@dataclass(frozen=True)
class FeatureConfig:
    """One candidate configuration: which features, and the classifier's regularisation."""

    word_tokens: str = "stem+negation"
    word_ngrams: tuple[int, int] = (1, 2)
    word_min_df: int = 1
    char_ngrams: tuple[int, int] | None = (2, 5)
    cues: bool = True
    targets: bool = False
    C: float = 4.0
    # Weight of a real news quote relative to an authored statement when fitting: the news
    # quotes are the kind of text the model will meet, the authored ones help it generalise.
    news_weight: float = 1.0
    # Speaker context (model/context.py): the model then takes rows of (text, speaker, role).
    # The weights scale the role's and the name's features against the words' (a low name
    # weight keeps a name from deciding alone); `context_dropout` also fits every row with its
    # context blanked, so a quote without context is as much at home as one with it.
    context: bool = False
    role_weight: float = 1.0
    speaker_weight: float = 0.3
    context_dropout: bool = True
    # Weight of a blanked copy relative to its row.
    dropout_weight: float = 1.0
    # A separate words-only pipeline for quotes without context (model/routing.py).
    words_path: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "FeatureConfig":
        values = {"targets": False, "news_weight": 1.0, "context": False, **values}
        for key in ("word_ngrams", "char_ngrams"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


def _identity(value: str) -> str:
    return value


# Columns of a model input row when the model takes context (see `StanceModel.inputs`).
TEXT_COLUMN, SPEAKER_COLUMN, ROLE_COLUMN = 0, 1, 2


def build_features(config: FeatureConfig) -> FeatureUnion | ColumnTransformer:
    """The words' features alone, or, with context, the words', the role's and the name's side by side."""
    words = build_text_features(config)
    if not config.context:
        return words
    return ColumnTransformer(
        [
            ("text", words, TEXT_COLUMN),
            ("role", ContextTokens("role"), ROLE_COLUMN),
            # A name seen once would only memorise its one quote.
            ("speaker", ContextTokens("speaker", min_df=2), SPEAKER_COLUMN),
        ],
        transformer_weights={"text": 1.0, "role": config.role_weight, "speaker": config.speaker_weight},
        sparse_threshold=1.0,
    )


def build_text_features(config: FeatureConfig) -> FeatureUnion:
    """The union of word n-grams, optional character n-grams and optional cue phrases."""
    parts: list[tuple[str, object]] = [
        (
            "word",
            CompactTfidfVectorizer(
                tokenizer=WORD_TOKENIZERS[config.word_tokens],
                preprocessor=_identity,
                lowercase=False,
                token_pattern=None,
                ngram_range=config.word_ngrams,
                min_df=config.word_min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        )
    ]
    if config.char_ngrams is not None:
        parts.append(
            (
                "char",
                CompactTfidfVectorizer(
                    analyzer="char_wb",
                    preprocessor=text.char_text,
                    lowercase=False,
                    ngram_range=config.char_ngrams,
                    min_df=2,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            )
        )
    if config.cues:
        parts.append(("cues", CueMatcher()))
    if config.targets:
        parts.append(("targets", TargetEvaluation()))
    return FeatureUnion(parts)
