"""The quotes of the article the project started from get their right stance."""

from pathlib import Path

import pytest

SEED_ARTICLE = "articles/sanctuary-grants-2017-03-27.txt"

# (speaker, quoted words as the article prints them, expected stance); partial quotes included.
SEED_QUOTES = [
    ("Sessions", "urging states and local jurisdictions to comply with these federal laws.", "support"),
    ("Sessions", "When cities and states refuse to help enforce immigration laws our nation is less safe,", "support"),
    ("Schneiderman", "Trump’s un-American immigration policies.", "oppose"),
    ("Schneiderman", "President Trump lacks the constitutional authority to broadly cut off funding to states and "
     "cities just because they have lawfully acted to protect immigrant families,", "oppose"),
    ("Schneiderman", "Public safety depends on trust between law enforcement and those they bravely serve; yet, "
     "again and again, President Trump’s draconian policies only serve to undercut that trust.", "oppose"),
    ("Baraka", "misguided policy.", "oppose"),
    ("Baraka", "It is highly ironic that the Attorney General claims that withholding law enforcement funds will "
     "make sanctuary cities safer when the opposite is true,", "oppose"),
    ("Baraka", "Taking away desperately needed aid for hiring more police officers, providing up-to-date technology "
     "to reduce crime, and encouraging initiatives to build trust and transparency between police and the "
     "citizens they are sworn to protect is sure to make cities more dangerous.", "oppose"),
]


@pytest.mark.parametrize("speaker, quote, expected", SEED_QUOTES, ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(SEED_QUOTES)])
def test_seed_article_quote_gets_its_stance(shared_dir: Path, default_model, speaker: str, quote: str, expected: str):
    article = (shared_dir / SEED_ARTICLE).read_text(encoding="utf-8")
    assert quote in article, "the quote must be verbatim from the seed article"
    assert default_model.predict_one(quote).stance == expected
