"""Pairing quote marks into spans."""

from hypothesis import given, settings
from hypothesis import strategies as st

from quote_stance.quotes.quote_marks import CLOSE, DOUBLE_CLOSING, DOUBLE_OPENING, OPEN, find_quote_spans, mark_role
from quote_stance.quotes.sentences import paragraph_spans


def spans(text: str):
    return find_quote_spans(text, paragraph_spans(text))


def texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in spans(text)]


def test_role_comes_from_the_sides_of_a_mark_before_its_glyph():
    text = 'He said "yes" and \u201dno\u201c.'
    assert mark_role(text, 8, DOUBLE_OPENING, DOUBLE_CLOSING) == OPEN
    assert mark_role(text, 12, DOUBLE_OPENING, DOUBLE_CLOSING) == CLOSE
    # Glyphs the wrong way round are read by position.
    assert texts(text) == ["yes", "no"]


def test_offsets_exclude_the_marks_and_surrounding_space():
    text = "A \u201c  spaced out  \u201d quote."
    (span,) = spans(text)
    assert text[span.start:span.end] == "spaced out"
    assert (span.open_mark, span.close_mark) == (2, 17)


def test_inch_marks_and_stray_closing_marks_are_ignored():
    assert spans('The 6\'2" guard scored 20.') == []
    assert spans("He left.\u201d Then he came back.") == []


def test_multi_paragraph_quote_marks_continuation():
    text = "\u201cFirst part.\n\n\u201cSecond part.\n\n\u201cLast part.\u201d\n\nAfter."
    found = spans(text)
    assert [text[s.start:s.end] for s in found] == ["First part.", "Second part.", "Last part."]
    assert [(s.continues, s.continued) for s in found] == [(True, False), (True, True), (False, True)]
    assert found[0].close_mark is None and found[2].close_mark is not None


def test_an_unclosed_quote_ends_with_its_paragraph():
    text = "\u201cNo closing mark here\n\nA new paragraph without marks."
    found = spans(text)
    assert [text[s.start:s.end] for s in found] == ["No closing mark here"]
    assert not found[0].continues


def test_single_quotes_outside_double_ones_only():
    text = "Mayor: \u2018We will sue\u2019 \u2014 and \u201cshe said \u2018no\u2019 twice\u201d"
    found = spans(text)
    assert [(text[s.start:s.end], s.single) for s in found] == [("We will sue", True), ("she said \u2018no\u2019 twice", False)]


def test_a_plural_possessive_does_not_close_a_single_quote():
    text = "'The governors' plan is bad,' she said."
    assert texts(text) == ["The governors' plan is bad,"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\u201c\u201d\"\u2018\u2019' a.\n")), max_size=80))
def test_spans_are_inside_the_text_and_do_not_overlap(text):
    found = spans(text)
    previous_end = -1
    for span in found:
        assert 0 <= span.open_mark < span.start < span.end <= len(text)
        assert span.start > previous_end
        previous_end = span.end
