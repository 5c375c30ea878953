"""Measure the quote finder on articles with gold quotes and speakers.

    python -m training.extraction_eval [--data ../shared/data/articles_dev.jsonl] [--errors] [--json]

Each line of the data holds an article's `text` and its gold `quotes` ([{"quote", "speaker"}]).
A found quote matches a gold one when their word-overlap F1 is at least 0.5; matching is
one-to-one (the assignment that maximises total overlap). Quote precision, recall and F1 are
counted over all articles. Speaker accuracy is the share of matched quotes whose speaker is
right: the gold speaker (named as the article names them at the quote: "Sessions", or "the
mayor" where the article says "the mayor said") and one of the found forms (`speaker`,
`speaker_full`, or the words at the quote, such as "the mayor") name the same person when,
after dropping articles and possessive endings, they end in the same word and one's words
contain the other's ("Sessions" ~ "Jeff Sessions", "U.S. District Judge John Mendez" ~ "John
Mendez"). A quote with no speaker found counts as wrong. `speaker_accuracy_names_only` is
the stricter share counted on `speaker` and `speaker_full` alone (the names the service
returns); it counts "the mayor said" resolved to the mayor's name as wrong when the gold
says "the mayor", so it is a lower bound.
"""

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from quote_stance.common import StanceError
from quote_stance.quotes.finder import Quote, find_quotes

MATCH_THRESHOLD = 0.5
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "articles_dev.jsonl"
_WORD_RE = re.compile(r"\w+")
_DROP = {"the", "a", "an"}


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def overlap_f1(found: str, gold: str) -> float:
    """F1 of the bag-of-words overlap between two quotes (punctuation and case ignored)."""
    a, b = Counter(words(found)), Counter(words(gold))
    common = sum((a & b).values())
    if common == 0:
        return 0.0
    precision = common / sum(a.values())
    recall = common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _name_words(name: str) -> list[str]:
    cleaned = re.sub(r"['\u2019]s\b", "", name.lower())
    return [w for w in _WORD_RE.findall(cleaned) if w not in _DROP]


def same_speaker(gold: str | None, found: str | None) -> bool:
    """Whether two ways of naming a speaker name the same one (see the module docstring)."""
    if not gold or not found:
        return False
    g, f = _name_words(gold), _name_words(found)
    if not g or not f or g[-1] != f[-1]:
        return False
    return set(g) <= set(f) or set(f) <= set(g)


def speaker_correct(gold: str, quote: Quote, with_mention: bool = True) -> bool:
    forms = (quote.speaker, quote.speaker_full) + ((quote.speaker_mention,) if with_mention else ())
    return any(same_speaker(gold, form) for form in forms)


def match(found: Sequence[Quote], gold: Sequence[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (found index, gold index) with overlap F1 >= the threshold."""
    if not found or not gold:
        return []
    scores = np.array([[overlap_f1(q.quote, g["quote"]) for g in gold] for q in found])
    rows, cols = linear_sum_assignment(-scores)
    return [(int(r), int(c)) for r, c in zip(rows, cols) if scores[r, c] >= MATCH_THRESHOLD]


def read_articles(path: Path) -> list[dict]:
    if not path.is_file():
        raise StanceError(f"{path}: no such file (the gold articles live in the team's shared folder)")
    articles = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise StanceError(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("quotes"), list):
                raise StanceError(f"{path}:{number}: expected an object with 'text' and 'quotes'")
            articles.append(row)
    return articles


def evaluate(articles: Sequence[dict], finder: Callable[[str], list[Quote]] = find_quotes) -> dict:
    """Quote precision/recall/F1 and speaker accuracy over articles, with per-article errors."""
    n_found = n_gold = n_matched = n_speaker = n_names = n_role = 0
    errors = []
    for index, article in enumerate(articles):
        found = finder(article["text"])
        gold = article["quotes"]
        pairs = match(found, gold)
        matched_found = {r for r, _ in pairs}
        matched_gold = {c for _, c in pairs}
        n_found += len(found)
        n_gold += len(gold)
        n_matched += len(pairs)
        for r, c in pairs:
            n_names += speaker_correct(gold[c]["speaker"], found[r], with_mention=False)
            n_role += getattr(found[r], "speaker_role", None) is not None
            if speaker_correct(gold[c]["speaker"], found[r]):
                n_speaker += 1
            else:
                errors.append({"article": index, "kind": "speaker", "quote": gold[c]["quote"], "gold": gold[c]["speaker"],
                               "found": [found[r].speaker, found[r].speaker_full, found[r].speaker_mention]})
        for c, g in enumerate(gold):
            if c not in matched_gold:
                errors.append({"article": index, "kind": "missed", "quote": g["quote"], "gold": g["speaker"]})
        for r, q in enumerate(found):
            if r not in matched_found:
                errors.append({"article": index, "kind": "extra", "quote": q.quote, "found": [q.speaker, q.speaker_full, q.speaker_mention]})
    precision = n_matched / n_found if n_found else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "gold_quotes": n_gold,
        "found_quotes": n_found,
        "matched": n_matched,
        "quote_precision": precision,
        "quote_recall": recall,
        "quote_f1": f1,
        "speaker_correct": n_speaker,
        "speaker_accuracy": n_speaker / n_matched if n_matched else 0.0,
        "speaker_accuracy_names_only": n_names / n_matched if n_matched else 0.0,
        "with_role": n_role,
        "errors": errors,
    }


def format_report(result: dict, source: str) -> str:
    lines = [
        f"quote extraction on {source}: {result['articles']} articles, {result['gold_quotes']} gold quotes",
        f"  found {result['found_quotes']}, matched {result['matched']} (word-overlap F1 >= {MATCH_THRESHOLD})",
        f"  quote precision {result['quote_precision']:.3f}  recall {result['quote_recall']:.3f}  F1 {result['quote_f1']:.3f}",
        f"  speaker accuracy {result['speaker_accuracy']:.3f} ({result['speaker_correct']}/{result['matched']} matched quotes; "
        f"{result['speaker_accuracy_names_only']:.3f} on the returned names alone)",
        f"  a role given for {result['with_role']}/{result['matched']} matched quotes",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.extraction_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"JSONL of articles with gold quotes (default: {DEFAULT_DATA})")
    parser.add_argument("--errors", action="store_true", help="list every missed, extra and wrongly attributed quote")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        result = evaluate(read_articles(args.data))
    except StanceError as error:
        print(f"extraction_eval: error: {error}", file=sys.stderr)
        return 1
    if args.json:
        shown = result if args.errors else {k: v for k, v in result.items() if k != "errors"}
        print(json.dumps(shown, ensure_ascii=False))
        return 0
    print(format_report(result, str(args.data)))
    if args.errors:
        for error in result["errors"]:
            detail = f"gold {error.get('gold')!r}" + (f", found {error['found']}" if "found" in error else "")
            print(f"  [{error['article']}] {error['kind']:7} {error['quote'][:70]!r}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
