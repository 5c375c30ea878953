"""Pair the quote marks of an article into quoted spans, with exact character offsets.

News copy mixes curly and straight marks, and pasted copy often gets them wrong (an opening
curly mark closed by a straight one, a closing glyph where an opening one belongs). A mark's
role is read first from what stands on each side of it, as Markdown does for emphasis, and
from its glyph only when the sides do not tell. Double marks make quotes; single marks make
quotes only outside double ones (headlines, British copy), since inside a double quote they
nest and belong to it. A quote left open at the end of a paragraph runs on into the next
paragraph when that one opens with a mark (the news convention for long quotes), and is
otherwise taken to end with its paragraph (a missing closing mark, or an article cut off).
"""

import re
from dataclasses import dataclass

DOUBLE_OPENING = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
DOUBLE_CLOSING = "\u201d\u00bb"  # ” »
DOUBLE_EITHER = '"\u2033'  # " ″
SINGLE_OPENING = "\u2018\u201a\u2039"  # ‘ ‚ ‹
SINGLE_CLOSING = "\u2019\u203a"  # ’ ›
SINGLE_EITHER = "'"
DOUBLE_MARKS = DOUBLE_OPENING + DOUBLE_CLOSING + DOUBLE_EITHER
SINGLE_MARKS = SINGLE_OPENING + SINGLE_CLOSING + SINGLE_EITHER
ALL_MARKS = DOUBLE_MARKS + SINGLE_MARKS
# What may stand before an opening mark besides space, and after a closing one.
_BEFORE_OPENING = "([{\u2014\u2013-/" + ALL_MARKS
_AFTER_CLOSING = ".,;:!?)]}\u2014\u2013-/\u2026" + ALL_MARKS

OPEN, CLOSE, UNKNOWN = 1, 2, 0
_DOUBLE_RE = re.compile(f"[{DOUBLE_MARKS}]")
_SINGLE_RE = re.compile(f"[{SINGLE_MARKS}]")


@dataclass(frozen=True)
class QuoteSpan:
    """The words between a pair of quote marks: `text[start:end]`, marks excluded.

    `open_mark` and `close_mark` are the offsets of the marks (`close_mark` is None when the
    quote is left open at its paragraph's end). `continues` is True when the quote runs on
    into the next paragraph, `continued` when it carries on from the previous one.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    paragraph: int
    single: bool = False
    continues: bool = False
    continued: bool = False


def mark_role(text: str, at: int, opening: str, closing: str) -> int:
    """OPEN, CLOSE or UNKNOWN for the mark at `at`, from its neighbours, then its glyph."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    can_open = not after.isspace() and (before.isspace() or before in _BEFORE_OPENING)
    can_close = not before.isspace() and (after.isspace() or after in _AFTER_CLOSING)
    if can_open and not can_close:
        return OPEN
    if can_close and not can_open:
        return CLOSE
    mark = text[at]
    if mark in opening:
        return OPEN
    if mark in closing:
        return CLOSE
    return UNKNOWN


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_paragraph(text: str, first: int, last: int) -> bool:
    """Whether the paragraph at [first, last) begins with an opening double mark."""
    return first < last and text[first] in DOUBLE_MARKS and mark_role(text, first, DOUBLE_OPENING, DOUBLE_CLOSING) != CLOSE


def find_quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Every quoted span of `text`, in order, given its paragraph spans."""
    spans: list[QuoteSpan] = []
    carried = False  # a double quote is open from the previous paragraph
    for index, (first, last) in enumerate(paragraphs):
        open_at: int | None = None
        continued = False
        outside: list[tuple[int, int]] = []  # stretches of the paragraph outside double quotes
        outside_from = first
        for found in _DOUBLE_RE.finditer(text, first, last):
            at = found.start()
            role = mark_role(text, at, DOUBLE_OPENING, DOUBLE_CLOSING)
            if open_at is None:
                if role == CLOSE:
                    continue  # a stray closing mark (or an inch sign)
                open_at = at
                continued = carried and at == first
                outside.append((outside_from, at))
            elif role == OPEN and at > open_at + 1:
                # A second opening mark while one is open: the first was never closed. Keep
                # the later one, the first is most likely a stray mark.
                open_at = at
                continued = False
            else:
                start, end = _strip(text, open_at + 1, at)
                if end > start:
                    spans.append(QuoteSpan(start, end, open_at, at, index, continued=continued))
                open_at = None
                outside_from = at + 1
        carried = False
        if open_at is not None:
            start, end = _strip(text, open_at + 1, last)
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            carried = following is not None and _opens_paragraph(text, *following)
            if end > start:
                spans.append(QuoteSpan(start, end, open_at, None, index, continues=carried, continued=continued))
        else:
            outside.append((outside_from, last))
        for low, high in outside:
            spans.extend(_single_spans(text, low, high, index))
    spans.sort(key=lambda span: span.start)
    return spans


def _single_spans(text: str, low: int, high: int, paragraph: int) -> list[QuoteSpan]:
    """Single-quoted spans in [low, high), which holds no double quote.

    Most single marks are apostrophes, so a quote needs a mark that can only open (space or
    a bracket before, a letter after) and a mark that can only close; a closing candidate that
    looks like a plural possessive ("the governors' plan") is passed over when another follows.
    """
    found: list[QuoteSpan] = []
    at = low
    while at < high:
        opening = _next_single_opening(text, at, high)
        if opening is None:
            break
        closing = _single_closing(text, opening + 1, high)
        if closing is None:
            break
        start, end = _strip(text, opening + 1, closing)
        if end > start:
            found.append(QuoteSpan(start, end, opening, closing, paragraph, single=True))
        at = closing + 1
    return found


def _next_single_opening(text: str, low: int, high: int) -> int | None:
    for found in _SINGLE_RE.finditer(text, low, high):
        at = found.start()
        if mark_role(text, at, SINGLE_OPENING, SINGLE_CLOSING) == OPEN:
            if at + 1 < high and text[at + 1].isalpha() and text[at] not in SINGLE_CLOSING:
                return at
            if at + 1 < high and text[at + 1].isupper():
                return at  # a right-curly mark used as an opening one before a capital
    return None


def _single_closing(text: str, low: int, high: int) -> int | None:
    fallback: int | None = None
    for found in _SINGLE_RE.finditer(text, low, high):
        at = found.start()
        if mark_role(text, at, SINGLE_OPENING, SINGLE_CLOSING) != CLOSE:
            continue
        possessive = text[at - 1] in "sS" and at + 2 < high and text[at + 1] == " " and text[at + 2].islower()
        if not possessive:
            return at
        if fallback is None:
            fallback = at
    return fallback
