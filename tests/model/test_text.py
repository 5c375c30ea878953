from nltk.sentiment.util import mark_negation

from quote_stance.model import text


def test_normalize_unifies_quote_marks_and_case():
    assert text.normalize("“Won’t” — WE") == "\"won't\"  -  we"


def test_normalize_keeps_statute_numbers_and_masks_others():
    tokens = text.tokenize(text.normalize("Section 1373 of 8 U.S.C. and 2,500 officers"))
    assert "1373" in tokens and "usc" in tokens and "2500" not in tokens and "0" in tokens


def test_negation_scope_matches_nltk_mark_negation():
    sentences = [
        "we will not be bullied by this administration . but we comply",
        "they don't want trust ; never again",
        "no city should lose funding ! that is all",
        "nothing here is negative",
    ]
    for sentence in sentences:
        tokens = sentence.split()
        assert text.mark_negation_scope(tokens) == mark_negation(tokens)


def test_negation_scope_ends_at_clause_punctuation():
    tokens = text.tokenize(text.normalize("We will not comply. We trust our police."))
    marked = text.mark_negation_scope(tokens)
    assert "comply_NEG" in marked
    assert "trust" in marked and "trust_NEG" not in marked


def test_word_tokens_are_stemmed_marked_and_without_punctuation():
    tokens = text.word_tokens("Sanctuary cities won't comply, officials said!")
    assert tokens == ["sanctuari", "citi", "won't", "compli_NEG", "offici_NEG", "said_NEG"]

