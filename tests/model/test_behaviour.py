"""Minimum functionality of the shipped model: short, unambiguous statements of each kind.

These are the project's own sentences (no speaker), written as a check list of what a
newsroom user will type first; none is in the training data or a near duplicate of a
training statement (the last test holds that). A failure here means the model lost a
basic skill, whatever its aggregate scores say.
"""

import csv
import re

import pytest

from quote_stance.data import corpus_paths

CHECKLIST = {
    "oppose": [
        "We will sue.",
        "We will see them in court.",
        "We will not be bullied.",
        "This is unconstitutional.",
        "We are a sanctuary city and we will remain one.",
        "The conditions are unlawful.",
        "Our city will not comply.",
        "This is blackmail.",
        "We stand with our immigrant neighbors.",
        "The administration cannot commandeer our police.",
        "Good call by the court to halt those grant conditions.",
        "Cutting police grants makes us less safe, not more.",
        "We won't let Washington bully us.",
    ],
    "support": [
        "Sanctuary cities protect criminal aliens.",
        "Cities must comply with federal law.",
        "No more federal grants for sanctuary cities.",
        pytest.param(
            "We applaud the Attorney General.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known limit: in the corpus 'the Attorney General' is named mostly by critics, and a bag "
                "of words cannot tell praise of him from praise of a court that ruled against him",
            ),
        ),
        "Sanctuary policies put Americans at risk.",
        "The rule of law is not optional.",
        "Honor the detainers.",
        "This ruling by an activist judge is outrageous.",
        "Jurisdictions that defy federal law should lose their grants.",
        "Illegal aliens who commit crimes must be deported.",
    ],
    "neutral": [
        "The hearing is scheduled for Tuesday.",
        "We are reviewing the guidance.",
        "We have nothing to add today.",
        "The judge has not yet ruled.",
        "The city council meets on Monday to discuss the budget.",
        "Applications for the grant are due in August.",
        "The letter was sent to nine jurisdictions.",
        "Our attorneys got the notice this morning; more later.",
        "The weather will be sunny tomorrow.",
    ],
}
CASES = [
    pytest.param(label, text.values[0], marks=text.marks, id=text.values[0]) if hasattr(text, "marks")
    else pytest.param(label, text, id=text)
    for label, texts in CHECKLIST.items()
    for text in texts
]
STATEMENTS = [case.values[1] for case in CASES]


@pytest.mark.parametrize("expected, statement", CASES)
def test_short_statement_gets_its_stance(default_model, expected: str, statement: str):
    assert default_model.predict_one(statement).stance == expected


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'")))


def test_check_list_is_not_in_the_training_data():
    checks = [_words(text) for text in STATEMENTS]
    for path in corpus_paths():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                words = _words(row["text"])
                for check, text in zip(checks, STATEMENTS):
                    assert len(words & check) / len(words | check) < 0.6, (text, row["text"])
