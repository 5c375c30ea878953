"""Evaluative words near each side's target: who is being praised, and who attacked.

Stance is an attitude toward a target. "Draconian" or "un-American" next to the
administration, its order or ICE opposes the conditions; "reckless" or "lawless" next to
sanctuary policies supports them. A bag of words sees the adjective but not its target;
these four features count evaluative words within a few tokens of each side's target.
The word lists are the project's own (no sentiment lexicon needs a download).
"""

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from quote_stance.model.text import normalize, stem, tokenize

WINDOW = 6

_NEGATIVE = """wrong bad worse worst danger dangerous reckless cruel draconian misguided unlawful
unconstitutional outrageous shameful shame disgrace disgraceful lawless irresponsible fail failed
failure threat threaten threatening bully bullying attack harm harmful hurt undermine abuse abusive
overreach ignore defy defiance obstruct obstruction chaos coerce coercion blackmail extortion
un-american racist xenophobic hateful hate ironic absurd ridiculous terrible horrible mistake
unfair unjust punish punitive betray lie false misleading scapegoat demonize divisive stunt sham
grotesque nativist inflammatory egregious rogue radical extreme extremist cynical callous heartless
senseless deadly tragic tragedy disastrous foolish illegitimate arbitrary capricious unworkable
endanger jeopardize sabotage mock insult cowardly hypocritical hypocrisy lawlessness bigoted""".split()
_POSITIVE = """protect protects safe safer welcome welcoming support applaud praise commend grateful
proud victory win right fair strong good great help trust thank celebrate uphold upheld vindicate
vindicated wise sensible lawful constitutional responsible courageous important essential
necessary effective smart common-sense commonsense reasonable legitimate honor honored keep
partner partnership cooperate cooperation""".split()
_FEDERAL_TARGETS = """trump administration sessions barr doj justice department washington president
white house ice federal government order executive conditions condition crackdown threats
deportation deportations attorney general homeland dhs""".split()
_SANCTUARY_TARGETS = """sanctuary sanctuaries aliens alien illegals illegal criminals criminal
jurisdictions noncompliant sb54 trust act ordinance""".split()


def _stems(words: list[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


NEGATIVE = _stems(_NEGATIVE)
POSITIVE = _stems(_POSITIVE)
FEDERAL = _stems(_FEDERAL_TARGETS) - NEGATIVE - POSITIVE
SANCTUARY = _stems(_SANCTUARY_TARGETS) - NEGATIVE - POSITIVE
FEATURE_NAMES = ("neg~federal", "pos~federal", "neg~sanctuary", "pos~sanctuary")


def target_counts(text: str) -> tuple[int, int, int, int]:
    """Evaluative words within WINDOW tokens of a federal or a sanctuary target."""
    stems = [stem(t) for t in tokenize(normalize(text)) if t[0].isalnum()]
    federal = [i for i, s in enumerate(stems) if s in FEDERAL]
    sanctuary = [i for i, s in enumerate(stems) if s in SANCTUARY]
    counts = [0, 0, 0, 0]
    for i, s in enumerate(stems):
        polarity = 0 if s in NEGATIVE else 1 if s in POSITIVE else None
        if polarity is None:
            continue
        if any(abs(i - j) <= WINDOW for j in federal):
            counts[polarity] += 1
        if any(abs(i - j) <= WINDOW for j in sanctuary):
            counts[2 + polarity] += 1
    return tuple(counts)


class TargetEvaluation(TransformerMixin, BaseEstimator):
    """Stateless transformer: log(1 + count) of each evaluative-word/target pairing."""

    def fit(self, texts, y=None) -> "TargetEvaluation":
        return self

    def transform(self, texts) -> sparse.csr_matrix:
        rows = np.log1p(np.asarray([target_counts(t) for t in texts], dtype=np.float32).reshape(-1, 4))
        return sparse.csr_matrix(rows)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"target:{name}" for name in FEATURE_NAMES], dtype=object)
