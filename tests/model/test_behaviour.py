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


# Words against the speaker's usual side: the words must win. Roles only (a kind of office, no
# person); the names come from the model itself (the most one-sided it knows), so no invented
# words are put in a real person's mouth here.
AGAINST_THE_ROLE = [
    ("oppose", "We will sue. These grant conditions are unconstitutional.", "U.S. Attorney General"),
    ("oppose", "We will not be bullied into doing ICE's job.", "Acting ICE Director"),
    ("support", "Sanctuary cities protect criminal aliens and put Americans at risk.", "Mayor of Chicago"),
    ("support", "Jurisdictions that defy federal law should lose their grants.", "California Attorney General"),
    ("neutral", "The hearing is scheduled for Tuesday.", "U.S. Attorney General"),
    ("neutral", "The hearing is scheduled for Tuesday.", "Mayor of Chicago"),
]


@pytest.mark.parametrize("expected, statement, role", AGAINST_THE_ROLE, ids=[f"{r}: {s}" for _, s, r in AGAINST_THE_ROLE])
def test_words_that_break_with_the_role_keep_their_stance(default_model, expected, statement, role):
    assert default_model.predict_one(statement, None, role).stance == expected


def _most_one_sided_names(model, label: str, count: int = 3) -> list[str]:
    """The names whose feature pushes hardest towards `label` in the model."""
    features = model.pipeline.named_steps["features"]
    if not model.uses_context:
        pytest.skip("the model has no speaker context")
    names = [str(n) for n in features.get_feature_names_out()]
    classifier = model.pipeline.named_steps["classifier"]
    row = classifier.coef_[list(classifier.classes_).index(label)]
    speakers = [(row[i], n.split("speaker:", 1)[1]) for i, n in enumerate(names) if n.startswith("speaker__speaker:")]
    assert speakers, "a context model knows some speakers"
    return [name for _, name in sorted(speakers, reverse=True)[:count]]


@pytest.mark.parametrize(
    "usual, statement, expected",
    [
        ("support", "We will sue. These grant conditions are unconstitutional.", "oppose"),
        ("support", "We will not be bullied.", "oppose"),
        ("oppose", "Sanctuary cities protect criminal aliens.", "support"),
        ("oppose", "Jurisdictions that defy federal law should lose their grants.", "support"),
    ],
)
def test_a_known_name_does_not_decide_alone(default_model, usual, statement, expected):
    for name in _most_one_sided_names(default_model, usual):
        assert default_model.predict_one(statement, name.title()).stance == expected, name


@pytest.mark.parametrize("expected, statement", [case.values for case in CASES if not case.marks])
def test_blank_context_keeps_the_check_list(default_model, expected, statement):
    assert default_model.predict_one(statement, "", "").stance == expected
