"""Bylines, credits, datelines and page furniture (lines written for these tests)."""

import pytest

from quote_stance.quotes.boilerplate import is_furniture, masked_ranges
from quote_stance.quotes.sentences import paragraph_spans


@pytest.mark.parametrize(
    "line",
    [
        "ADVERTISEMENT", "Advertisement", "Story continues below advertisement", "Skip to main content",
        "RELATED: County votes to end jail contract", "By Ingrid Brandt and Sam Ito", "By JANE ROE Associated Press",
        "Jane Roe, The Associated Press", "Staff Writer", "Photo: Rhea Castellano/Associated Press",
        "Rhea Castellano/Getty Images", "Sam Ito | Brinmoor Ledger", "Rhea Castellano for The Brinmoor Ledger via Getty Images",
        "Associated Press writer Jane Roe contributed to this report.", "Copyright 2026 The Brinmoor Ledger. All rights reserved.",
        "Contact Jane Roe at jroe@ledger.example", "PUBLISHED: | UPDATED:",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Mayor Dana Whitfield posed for a photo with residents.",
        "The mayor contributed $500 to the campaign of her rival, who lost in November.",
        "Roe said she would contact the agency.",
        "\u201cWe will not comply,\u201d Roe said.",
        "By a vote of 5-2, the board kept its policy in place after a long debate on Tuesday night.",
    ],
)
def test_story_lines_are_not_furniture(line):
    assert not is_furniture(line)


def test_datelines_and_caption_credits_are_masked_and_the_story_is_not():
    text = (
        "BRINMOOR, Eastvale (AP) \u2014 The board voted on Tuesday.\n"
        "Mayor Jane Whitley spoke after the vote, which ended a two-year fight over the jail contract. (AP Photo/Sam Ito)\n"
        "The sheriff at the vote. (Photo by Sam Ito/Getty Images)"
    )
    masked = [text[a:b] for a, b in masked_ranges(text, paragraph_spans(text))]
    # A short caption with its credit goes whole; a story sentence loses only the credit.
    assert masked == ["BRINMOOR, Eastvale (AP) \u2014 ", "(AP Photo/Sam Ito)", "The sheriff at the vote. (Photo by Sam Ito/Getty Images)"]


def test_an_all_capital_headline_with_a_dash_is_not_a_dateline():
    text = "ICE - the agency - wrote to the county."
    assert masked_ranges(text, paragraph_spans(text)) == []
