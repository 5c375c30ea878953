"""Reporting verbs and the phrases that name their speakers."""

import pytest

from quote_stance.quotes.speakers import CUE_LEMMAS, cues_in, make_mention, subject_left, subject_right, tokenize


def left(text: str):
    tokens = tokenize(text)
    verb = cues_in(tokens)[-1]
    return subject_left(text, tokens, verb, 0)


def right(text: str):
    tokens = tokenize(text)
    verb = cues_in(tokens)[0]
    return subject_right(text, tokens, verb, len(tokens))


def test_tokens_keep_abbreviations_and_initials_but_not_a_final_period():
    text = "said Lt. Gov. W. Scott Ames Jr. of the U.S. Senate."
    assert [t[0] for t in tokenize(text)] == ["said", "Lt.", "Gov.", "W.", "Scott", "Ames", "Jr.", "of", "the", "U.S.", "Senate", "."]
    for word, start, end in tokenize(text):
        assert text[start:end] == word


def test_reporting_verbs_include_more_than_said():
    for form in ("said", "added", "argued", "vowed", "wrote", "told", "warned", "noted", "tweeted", "according"):
        assert form in CUE_LEMMAS
    assert "claims" not in CUE_LEMMAS  # a noun as often as a verb


@pytest.mark.parametrize(
    "text, kind, name, phrase",
    [
        ("New York Attorney General Eric Schneiderman said", "name", "Eric Schneiderman", "New York Attorney General Eric Schneiderman"),
        ("Justice Department attorney W. Scott Simpon said", "name", "W. Scott Simpon", "Justice Department attorney W. Scott Simpon"),
        ("Board of Supervisors President David Cortes said", "name", "David Cortes", "Board of Supervisors President David Cortes"),
        ("Mayor Bill de Blasio said", "name", "Bill de Blasio", "Mayor Bill de Blasio"),
        ("In a statement, Sen. Ana Ruiz said", "name", "Ana Ruiz", "Sen. Ana Ruiz"),
        ("Ras Okonkwo, the mayor of Port Alder, said", "name", "Ras Okonkwo", "Ras Okonkwo"),
        ("Steven Fell, mayor of Jersey City, NJ, vowed", "name", "Steven Fell", "Steven Fell"),
        ("the ICE acting director said", "role", None, "the ICE acting director"),
        ("A senior Justice Department official, who spoke on condition of anonymity, said", "role", None, "A senior Justice Department official"),
        ("The Justice Department said", "org", None, "The Justice Department"),
        ("Roe later also said", "name", "Roe", "Roe"),
        ("Roe on Friday said", "name", "Roe", "Roe"),
        ("he said", "pronoun", None, "he"),
    ],
)
def test_speaker_before_the_verb(text, kind, name, phrase):
    mention = left(text)
    assert (mention.kind, mention.name, mention.text) == (kind, name, phrase)


def test_a_phrase_that_does_not_open_its_clause_is_no_speaker():
    assert left("The letters sent by an official under Sessions warned") is None


@pytest.mark.parametrize(
    "text, name, titles",
    [
        ("said Randall Pike, the Finney Flats county administrator.", "Randall Pike", {"administrator"}),
        ("said state Representative Eddie Ruiz, D-Austin.", "Eddie Ruiz", {"representative", "d-austin"}),
        ("according to Thomas D. Hale, the agency's acting director.", "Thomas D. Hale", {"director"}),
    ],
)
def test_speaker_after_the_verb_with_its_appositive(text, name, titles):
    mention = right(text)
    assert mention.name == name
    assert titles <= set(mention.titles)


def test_make_mention_needs_a_name_a_role_or_a_body():
    text = "the weather in general"
    tokens = tokenize(text)
    assert make_mention(text, tokens, 0, len(tokens)) is None
