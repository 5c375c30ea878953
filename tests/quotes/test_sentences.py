"""Sentence and paragraph splitting for news copy."""

from hypothesis import given, settings
from hypothesis import strategies as st

from quote_stance.quotes.sentences import NEWS_ABBREVIATIONS, is_hard_wrapped, paragraph_spans, sentence_spans, split_sentences


def test_titles_initials_and_states_do_not_end_sentences():
    text = (
        "Lt. Gov. Harriet K. Vandermeer met Sen. Oscar Pell in Sacramento, Calif., on Sept. 4. "
        "She said the U.S. government had not called. Dr. Ames agreed."
    )
    assert split_sentences(text) == [
        "Lt. Gov. Harriet K. Vandermeer met Sen. Oscar Pell in Sacramento, Calif., on Sept. 4.",
        "She said the U.S. government had not called.",
        "Dr. Ames agreed.",
    ]


def test_a_line_break_ends_a_sentence_so_headlines_stay_apart():
    text = "County Keeps Jail Policy\nThe board voted 4-1 on Monday. The sheriff did not vote."
    assert split_sentences(text) == ["County Keeps Jail Policy", "The board voted 4-1 on Monday.", "The sheriff did not vote."]


def test_a_quote_ending_in_a_question_mark_runs_on_into_its_attribution():
    text = '"Why would we wait?" she asked. "We are ready."'
    assert split_sentences(text) == ['"Why would we wait?" she asked.', '"We are ready."']


def test_an_ellipsis_of_spaced_dots_stays_in_its_sentence():
    text = "I say no . . . I say it again. Then we left."
    sentences = split_sentences(text)
    assert sentences[-1] == "Then we left."
    assert all(any(c.isalpha() for c in s) for s in sentences)


def test_hard_wrapped_copy_joins_lines_into_paragraphs():
    text = (
        "The board voted Tuesday to keep its jail policy in\n"
        "place, despite a warning from the state that grant money\n"
        "could be lost if it did.\n\n"
        "The chair said the vote was\n"
        "final.\n"
    )
    assert is_hard_wrapped(text.split("\n"))
    paragraphs = paragraph_spans(text)
    assert len(paragraphs) == 2
    assert split_sentences(text)[-1] == "The chair said the vote was\nfinal."


def test_one_paragraph_per_line_when_lines_end_sentences():
    text = "First paragraph ends here.\nSecond one too.\nAnd a third.\n"
    assert not is_hard_wrapped(text.split("\n"))
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["First paragraph ends here.", "Second one too.", "And a third."]


def test_carriage_returns_are_not_part_of_sentences():
    text = "One line.\r\nAnother line.\r\n"
    assert split_sentences(text) == ["One line.", "Another line."]


def test_the_abbreviations_include_news_titles_and_months():
    for abbreviation in ("gov", "sen", "rep", "lt", "gen", "mr", "mrs", "ms", "dr", "st", "u.s", "jan", "feb", "aug", "sept"):
        assert abbreviation in NEWS_ABBREVIATIONS


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_spans_are_ordered_stripped_and_inside_the_text(text):
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
