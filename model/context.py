"""Features of who speaks: the speaker's role (its words and its kind of office) and name.

A newsroom nearly always knows who spoke, and the side a statement takes follows the office
of its speaker more often than not (a state attorney general who sues, a federal official who
enforces). The role gives its own words ("mayor", "attorney", "texas", "former") and one
`kind:` token per kind of office it names, so a role never seen in training ("Mayor of
Tulsa") still carries what its kind learned. The name is one token, its last word, so
"Jeff Sessions" and "Sessions" meet; it is weighted low in the model so it never decides alone.

Missing context is an empty string: it yields no token, and the model falls back on the words.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from quote_stance.model.vocabulary import VocabularyAsArray

# Roles and names longer than this are refused at the edges (HTTP 422, a reported CSV row).
CONTEXT_LIMIT = 200

# Kinds of office, matched on the normalized role (lower case, "u.s." as "us"). A role may
# have several kinds ("former ICE director": former, immigration_enforcement).
ROLE_KINDS: dict[str, str] = {
    "attorney_general": r"\battorney general\b|\bag\b",
    "justice_department": r"\bjustice department\b|\bdepartment of justice\b|\bdoj\b|\bus attorney\b"
    r"|\bus attorney general\b|\battorney general of the united states\b",
    "immigration_enforcement": r"\bice\b|\bimmigration and customs\b|\bhomeland security\b|\bdhs\b"
    r"|\bborder\b|\bcbp\b|\buscis\b|\bimmigration enforcement\b",
    # The president of the country, not of a union, council or association: "President", "US
    # President", "President of the United States" (normalized "... of the us"), the White House.
    "white_house": r"^(us |the )?(vice )?president$|\b(vice )?president of the us\b|\bus (vice )?president\b"
    r"|\bwhite house\b|\bpress secretary\b|\bexecutive office of the president\b",
    "mayor": r"\bmayor\b",
    "governor": r"\bgovernor\b|\bgov\b|\blieutenant governor\b",
    "sheriff": r"\bsheriff\b",
    "police": r"\bpolice\b|\blaw enforcement\b|\bcommissioner of police\b|\bpolice chief\b",
    "judge": r"\bjudge\b|(?<!of )\bjustice\b(?! department)|\bcourt\b|\bpanel\b",
    "government_lawyer": r"\bcity attorney\b|\bcounty attorney\b|\bcounty counsel\b|\bcorporation counsel\b"
    r"|\bsolicitor\b|\bsolicitor general\b|\bdistrict attorney\b|\bprosecutor\b",
    "council": r"\bcouncil\b|\bcouncilman\b|\bcouncilwoman\b|\balderman\b|\balderwoman\b|\bsupervisor\b"
    r"|\bselect ?board\b|\bcommission(er)?\b|\bfreeholder\b|\bcounty executive\b|\bcounty judge\b",
    "congress": r"\bsenator\b|\bsen\b|\brepresentative\b|\brep\b|\bcongress(man|woman|member)?\b"
    r"|\bhouse speaker\b|\bspeaker of the house\b|\bsenate\b",
    "state_legislature": r"\bstate (senator|representative|sen|rep)\b|\bassembly(man|woman|member)?\b"
    r"|\blegislat(or|ure)\b|\bdelegate\b|\bstate house\b",
    "advocate": r"\badvoca(te|cy)\b|\baclu\b|\bcivil liberties\b|\brights\b|\bcoalition\b|\borganizer\b"
    r"|\bactivist\b|\bimmigrant\b|\bcenter for\b|\bproject\b|\bnetwork\b|\balliance\b|\bunion\b",
    "restriction_group": r"\bfederation for american immigration reform\b|\bcenter for immigration studies\b"
    r"|\bnumbersusa\b|\bjudicial watch\b|\bimmigration reform law institute\b",
    "spokesperson": r"\bspokes(man|woman|person)\b|\bpress (office|secretary)\b|\bcommunications\b",
    "former": r"\bformer\b|\bex\b|\bretired\b",
    "acting": r"\bacting\b",
    "candidate": r"\bcandidate\b|\bcampaign\b|\brunning for\b",
    "press": r"\beditorial\b|\bcolumnist\b|\breporter\b|\bwire\b|\bcommentator\b|\bhost\b",
    "resident": r"\bresident\b|\bvoter\b|\bparent\b|\buser\b",
}
_KIND_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in ROLE_KINDS.items())
_WORD_RE = re.compile(r"[a-z][a-z'\-]*")
# Words that carry nothing about the office.
_STOP = frozenset("a an the of for and in on at to by with from who is was s".split())
_ABBREVIATIONS = (
    ("u.s.", "us"), ("u. s.", "us"), ("united states", "us"), ("gov.", "governor"), ("sen.", "senator"),
    ("rep.", "representative"), ("dept.", "department"), ("atty.", "attorney"), ("asst.", "assistant"),
    ("immigration and customs enforcement", "immigration and customs ice"),
    ("department of homeland security", "homeland security dhs"),
)


def normalize_context(value: str | None) -> str:
    """Lower-case, NFKC, quote marks unified, abbreviations spelled one way; '' when missing."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).replace("\u2019", "'").lower()
    for short, long in _ABBREVIATIONS:
        value = value.replace(short, long)
    return " ".join(value.split())


@lru_cache(maxsize=50_000)
def role_tokens(role: str) -> tuple[str, ...]:
    """The role's words (and word pairs) and the kinds of office it names, as tokens."""
    normalized = normalize_context(role)
    if not normalized:
        return ()
    words = [w.strip("'-") for w in _WORD_RE.findall(normalized)]
    words = [w for w in words if len(w) > 1 and w not in _STOP]
    tokens = [f"role:{w}" for w in words]
    tokens += [f"role:{a}_{b}" for a, b in zip(words, words[1:])]
    tokens += [f"kind:{kind}" for kind, pattern in _KIND_PATTERNS if pattern.search(normalized)]
    return tuple(tokens)


@lru_cache(maxsize=50_000)
def speaker_tokens(speaker: str) -> tuple[str, ...]:
    """One token for the speaker: the last word of the name ("Jeff Sessions" -> speaker:sessions)."""
    words = _WORD_RE.findall(normalize_context(speaker))
    # Suffixes are not the family name ("Bill Foster Jr.").
    while words and words[-1] in ("jr", "sr", "ii", "iii", "iv"):
        words.pop()
    return (f"speaker:{words[-1]}",) if words else ()


def context_rows(texts, speakers=None, roles=None) -> np.ndarray:
    """The (n, 3) object array a context model takes: text, speaker, role ('' = unknown)."""
    rows = np.empty((len(texts), 3), dtype=object)
    rows[:, 0] = list(texts)
    for column, values in ((1, speakers), (2, roles)):
        if values is None:
            rows[:, column] = ""
        else:
            if len(values) != len(texts):
                raise ValueError(f"{len(values)} context values for {len(texts)} texts")
            # whitespace alone is unknown too
            rows[:, column] = [value.strip() if value else "" for value in values]
    return rows


TOKENIZERS = {"role": role_tokens, "speaker": speaker_tokens}


class ContextTokens(VocabularyAsArray, TransformerMixin, BaseEstimator):
    """One column of context (a role or a name) as L2-normalised token indicators.

    Unlike a text vectorizer it accepts a column with no token at all (a corpus without
    speakers): that gives zero features, not an error. Tokens seen in fewer than `min_df`
    rows are dropped, so a name met once does not memorise its one quote.
    """

    def __init__(self, field: str = "role", min_df: int = 1) -> None:
        self.field = field
        self.min_df = min_df

    def fit(self, values: Iterable[str], y=None) -> "ContextTokens":
        tokenize = TOKENIZERS[self.field]
        counts: dict[str, int] = {}
        for value in values:
            for token in set(tokenize(value or "")):
                counts[token] = counts.get(token, 0) + 1
        kept = sorted(token for token, count in counts.items() if count >= self.min_df)
        self.vocabulary_ = {token: index for index, token in enumerate(kept)}
        return self

    def transform(self, values: Iterable[str]) -> sparse.csr_matrix:
        tokenize, vocabulary = TOKENIZERS[self.field], self.vocabulary_
        indptr, indices, data = [0], [], []
        for value in values:
            known = sorted({vocabulary[t] for t in tokenize(value or "") if t in vocabulary})
            if known:
                indices += known
                data += [1.0 / np.sqrt(len(known))] * len(known)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(vocabulary)),
        )

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray(sorted(self.vocabulary_, key=self.vocabulary_.get), dtype=object)
