"""Sentence splitting for news copy with NLTK's Punkt, given the abbreviations news copy uses.

Punkt's trained English model is downloadable data and is not available here; an untrained
Punkt with the abbreviations of wire copy (titles, months, states, initials) splits news text
well and needs no download. Every function returns character offsets into the text it was
given, so callers can map sentences back to the article exactly.
"""

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# Lower case and without the final period, as Punkt stores them. Internal periods stay ("u.s").
TITLE_ABBREVIATIONS = (
    "mr", "mrs", "ms", "dr", "prof", "rev", "sen", "rep", "gov", "lt", "gen", "col", "maj",
    "capt", "cpt", "sgt", "cpl", "pvt", "adm", "cmdr", "cmdt", "supt", "insp", "det", "atty",
    "asst", "dep", "sec", "pres", "amb", "hon", "msgr", "fr", "sr", "jr", "esq", "ph.d", "m.d",
    "lt. gov", "reps", "sens", "govs", "gens", "gov't",
)
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
# The Associated Press's abbreviations of state names, and two-letter postal forms with periods.
STATE_ABBREVIATIONS = (
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
    "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev",
    "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "n.h", "n.j",
    "n.m", "n.y", "n.c", "n.d", "r.i", "s.c", "s.d", "w.va", "d.c",
)
PLACE_AND_ORG_ABBREVIATIONS = (
    "u.s", "u.n", "u.k", "e.u", "u.s.a", "st", "ste", "mt", "ft", "ave", "blvd", "rd", "hwy",
    "dist", "dept", "div", "inc", "corp", "co", "ltd", "bros", "assn", "univ", "no", "nos",
    "vs", "v", "a.m", "p.m", "e.g", "i.e", "approx", "est", "ft", "sq", "fig", "vol", "ch",
    "art", "sec", "u.s.c", "cf", "al",
)
# Single letters: initials in names ("Thomas D. Homan", "W. Scott Simpon") are far more common
# in news copy than a sentence that ends in one letter.
INITIALS = tuple("abcdefghijklmnopqrstuvwxyz")
NEWS_ABBREVIATIONS: frozenset[str] = frozenset(
    TITLE_ABBREVIATIONS + MONTH_ABBREVIATIONS + STATE_ABBREVIATIONS + PLACE_AND_ORG_ABBREVIATIONS + INITIALS
)


@lru_cache(maxsize=1)
def news_tokenizer() -> PunktSentenceTokenizer:
    """A Punkt tokenizer that knows news copy's abbreviations (built once, shared)."""
    parameters = PunktParameters()
    parameters.abbrev_types = set(NEWS_ABBREVIATIONS)
    return PunktSentenceTokenizer(parameters)


_LINE_END_RE = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")


def is_hard_wrapped(lines: list[str]) -> bool:
    """True when lines were broken at a fixed width (paragraphs are then separated by blank lines).

    In copy pasted from a page or a wire feed each line is a paragraph; in e-mailed or
    hard-wrapped copy most lines that run on into another line end mid-sentence.
    """
    running_on = [
        line for line, following in zip(lines, lines[1:]) if line.strip() and following.strip()
    ]
    if len(running_on) < 3:
        return False
    mid_sentence = sum(1 for line in running_on if not _LINE_END_RE.search(line))
    return mid_sentence >= 0.6 * len(running_on)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, without surrounding space.

    A line break ends a paragraph, unless the text is hard-wrapped: then only a blank line does.
    """
    lines = text.split("\n")
    wrapped = is_hard_wrapped(lines)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    position = 0
    last_end = 0
    for line in lines:
        blank = not line.strip()
        if blank or not wrapped:
            if start is not None:
                spans.append((start, last_end))
                start = None
        if not blank:
            left = position + (len(line) - len(line.lstrip()))
            if start is None:
                start = left
            last_end = position + len(line.rstrip())
            if not wrapped:
                spans.append((start, last_end))
                start = None
        position += len(line) + 1
    if start is not None:
        spans.append((start, last_end))
    return spans


def _starts_lower(piece: str) -> bool:
    for char in piece:
        if char.isalnum():
            return char.islower()
    return False


def sentence_spans(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order; `text[start:end]` has no surrounding space.

    A sentence never crosses a paragraph end: a line break in news copy ends a paragraph or a
    headline, and Punkt alone would run a headline into the first sentence.
    """
    tokenizer = news_tokenizer()
    spans: list[tuple[int, int]] = []
    for first, last in paragraph_spans(text) if paragraphs is None else paragraphs:
        block = text[first:last]
        for start, end in tokenizer.span_tokenize(block):
            # Punkt can keep a carriage return or other space at either end of a span.
            while end > start and block[end - 1].isspace():
                end -= 1
            while start < end and block[start].isspace():
                start += 1
            if end <= start:
                continue
            # Punkt cuts ". . ." into one-dot "sentences": a piece without a letter or digit
            # belongs to the sentence before it.
            piece = block[start:end]
            # A "sentence" that starts in lower case continues the one before: Punkt ends one
            # at every "!" or "?", as in '"Get out!" he yelled.'
            continues = not any(c.isalnum() for c in piece) or _starts_lower(piece)
            if spans and spans[-1][1] >= first and continues:
                spans[-1] = (spans[-1][0], first + end)
            else:
                spans.append((first + start, first + end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each stripped of surrounding space."""
    return [text[start:end] for start, end in sentence_spans(text)]
