"""The quote-extraction metrics, on quotes and speakers written for these tests."""

import json

import pytest

from quote_stance.common import StanceError
from quote_stance.quotes.finder import Quote
from quote_stance.training.extraction_eval import evaluate, main, match, overlap_f1, read_articles, same_speaker


def quote(text: str, speaker: str | None = None, full: str | None = None, mention: str | None = None) -> Quote:
    return Quote(text, 0, len(text), speaker, full or speaker, "say", mention or speaker)


def test_overlap_f1_ignores_case_and_punctuation():
    assert overlap_f1("We will win,", "we will WIN.") == 1.0
    assert overlap_f1("We will win", "They lost") == 0.0
    # 3 shared words of 4 found and 6 gold: precision 0.75, recall 0.5.
    assert overlap_f1("we will win today", "we will win the case again") == pytest.approx(0.6)


@pytest.mark.parametrize(
    "gold, found, same",
    [
        ("Roe", "Janet Roe", True),
        ("U.S. District Judge Janet Roe", "Janet Roe", True),
        ("the mayor", "the mayor", True),
        ("A senior county official", "the official", True),
        ("Roe", "Ito", False),
        ("Janet Roe", "Janet", False),  # the last words differ
        ("Janet Roe", "Mark Roe", False),  # neither contains the other
        ("Roe", None, False),
    ],
)
def test_same_speaker(gold, found, same):
    assert same_speaker(gold, found) is same


def test_matching_is_one_to_one_and_needs_half_overlap():
    found = [quote("we will win the case"), quote("we will win the case"), quote("nothing in common here")]
    gold = [{"quote": "We will win the case.", "speaker": "Roe"}]
    assert match(found, gold) in ([(0, 0)], [(1, 0)])  # one gold quote takes one found quote
    # "the case": precision 1, recall 2/5, F1 0.57, a match; "case": F1 0.33, none.
    assert match([quote("the case")], gold) == [(0, 0)]
    assert match([quote("case")], gold) == []


def test_evaluate_counts_quotes_and_speakers():
    articles = [
        {"text": "a", "quotes": [{"quote": "We will win.", "speaker": "Roe"}, {"quote": "They will lose.", "speaker": "Ito"}]},
        {"text": "b", "quotes": []},
    ]
    answers = {
        "a": [quote("We will win.", "Janet Roe"), quote("They will lose.", "Roe")],
        "b": [quote("An extra quote.", "Roe")],
    }
    result = evaluate(articles, lambda text: answers[text])
    assert (result["gold_quotes"], result["found_quotes"], result["matched"]) == (2, 3, 2)
    assert result["quote_precision"] == pytest.approx(2 / 3)
    assert result["quote_recall"] == 1.0
    assert result["speaker_accuracy"] == 0.5
    kinds = sorted(error["kind"] for error in result["errors"])
    assert kinds == ["extra", "speaker"]


def test_speaker_counts_when_any_form_names_the_gold_speaker():
    articles = [{"text": "a", "quotes": [{"quote": "We will win.", "speaker": "the mayor"}]}]
    result = evaluate(articles, lambda text: [quote("We will win.", "Janet Roe", "Janet Roe", "the mayor")])
    assert result["speaker_accuracy"] == 1.0


def test_read_articles_reports_bad_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"text": "x", "quotes": []}) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(StanceError, match=r"gold.jsonl:2: not JSON"):
        read_articles(path)
    with pytest.raises(StanceError, match="no such file"):
        read_articles(tmp_path / "missing.jsonl")


def test_the_command_prints_the_figures(tmp_path, capsys):
    path = tmp_path / "gold.jsonl"
    text = "\u201cWe will win this case,\u201d Roe said."
    path.write_text(json.dumps({"text": text, "quotes": [{"quote": "We will win this case,", "speaker": "Roe"}]}) + "\n", encoding="utf-8")
    assert main(["--data", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["quote_f1"] == 1.0 and result["speaker_accuracy"] == 1.0
    assert main(["--data", str(tmp_path / "missing.jsonl")]) == 1
