"""One article read for quotes: paragraphs, sentences, quoted spans, tokens and reporting verbs.

Everything later steps ask of the text is computed here once, with positions as character
offsets into the article: which sentence holds a position, whether it lies inside a quote,
which reporting verbs (`model.speakers.Cue`) stand between two positions and who their
speakers are, and how often a phrase occurs (for telling scare quotes from quotes).
"""

import bisect
import re

from quote_stance.quotes.boilerplate import masked_ranges
from quote_stance.quotes.quote_marks import ALL_MARKS, find_quote_spans
from quote_stance.quotes.sentences import paragraph_spans, sentence_spans
from quote_stance.quotes.speakers import (
    NOT_INVERTED,
    Cue,
    Mention,
    Token,
    clause_subject,
    cue_is_speech,
    cues_in,
    lemma_of,
    make_mention,
    subject_left,
    subject_right,
    tokenize,
)

# Tokens searched on either side of a reporting verb for its speaker: phrases are far shorter,
# and the bound keeps a pathological sentence (thousands of tokens) linear.
FRAME_WINDOW = 60
WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
SUBORDINATE = frozenset("which who whom whose that where when while because after before although though since unless until if".split())


def fold(word: str) -> str:
    """Lower case, singular: "Cities" -> "city", "laws" -> "law"."""
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        return lower[:-1]
    return lower


def _quoted_as_saying(text: str, tokens: list[Token], i: int, low: int) -> Mention | None:
    """`The paper quoted Roe as saying "..."`: the speaker sits between "quoted" and "as"."""
    if tokens[i][0] != "saying" or i - 1 < low or tokens[i - 1][0] != "as":
        return None
    for k in range(i - 2, max(low, i - 14) - 1, -1):
        if tokens[k][0] in ("quoted", "quotes", "quoting"):
            return make_mention(text, tokens, k + 1, i - 1)
    return None


def _modifies_subject(tokens: list[Token], mention: Mention, verb: int) -> bool:
    """Whether only a short modifier (no clause, no punctuation) stands between subject and verb."""
    between = []
    k = verb - 1
    while k >= 0 and tokens[k][1] >= mention.end and len(between) <= 6:
        between.append(tokens[k][0])
        k -= 1
    return len(between) <= 6 and all(word[0].isalnum() and word.lower() not in SUBORDINATE for word in between)


class Article:
    """One article's paragraphs, sentences, quoted spans, tokens and reporting verbs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs = paragraph_spans(text)
        self.sentences = sentence_spans(text, self.paragraphs)
        self.sentence_starts = [start for start, _ in self.sentences]
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        # Bylines, credits, datelines and page furniture: read around, never a speaker or a quote.
        self.masked = masked_ranges(text, self.paragraphs)
        self.spans = [span for span in find_quote_spans(text, self.paragraphs) if not self.is_masked(span.open_mark)]
        self.span_starts = [span.start for span in self.spans]
        self.tokens = [tokenize(text, start, end) for start, end in self.sentences]
        for low, high in self.masked:
            for index in range(self.sentence_at(low), len(self.sentences)):
                if self.sentences[index][0] >= high:
                    break
                self.tokens[index] = [token for token in self.tokens[index] if not low <= token[1] < high]
        self.cues: list[list[Cue]] = [self._sentence_cues(i) for i in range(len(self.sentences))]
        self._phrase_counts: dict[tuple[str, ...], int] | None = None

    def phrase_counts(self) -> dict[tuple[str, ...], int]:
        """How often each run of one to three words occurs (folded to lower-case singular)."""
        if self._phrase_counts is None:
            folded = [fold(word) for word in WORD_RE.findall(self.text)]
            counts: dict[tuple[str, ...], int] = {}
            for n in (1, 2, 3):
                for k in range(len(folded) - n + 1):
                    gram = tuple(folded[k:k + n])
                    counts[gram] = counts.get(gram, 0) + 1
            self._phrase_counts = counts
        return self._phrase_counts

    # --- positions -------------------------------------------------------------------------
    def sentence_at(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, position) - 1)

    def is_masked(self, position: int) -> bool:
        """Whether `position` lies in a byline, a credit, a dateline or page furniture."""
        if not self.masked:
            return False
        k = bisect.bisect_right(self.masked, (position, len(self.text) + 1)) - 1
        return k >= 0 and position < self.masked[k][1]

    def inside_quote(self, position: int) -> bool:
        # Quoted spans never overlap (single-quoted ones lie outside double-quoted ones).
        k = bisect.bisect_right(self.span_starts, position) - 1
        return k >= 0 and position < self.spans[k].end

    # --- cues ------------------------------------------------------------------------------
    def _sentence_cues(self, index: int) -> list[Cue]:
        tokens = self.tokens[index]
        text = self.text
        found: list[Cue] = []
        for i in cues_in(tokens):
            if self.inside_quote(tokens[i][1]):
                continue
            low = self._frame_low(tokens, i)
            high = self._frame_high(tokens, i)
            if not cue_is_speech(tokens, i, low):
                continue
            lemma = lemma_of(tokens, i)
            speaker = self._cue_speaker(text, tokens, i, low, high, lemma)
            if speaker is None and found and i - 1 >= 0 and tokens[i - 1][0] in ("and", "but", "then"):
                speaker = found[-1].speaker  # "Aldana called it a giveaway and said ..."
            found.append(Cue("according to" if lemma == "accord" else lemma, tokens[i][0], tokens[i][1], tokens[i][2], speaker))
        return found

    def _frame_low(self, tokens: list[Token], i: int) -> int:
        """Index of the first token after the last quote mark before token i (at most a window back)."""
        j = i - 1
        while j >= max(0, i - FRAME_WINDOW):
            if tokens[j][0] in ALL_MARKS and self._is_quote_mark(tokens[j][1]):
                return j + 1
            j -= 1
        return max(0, i - FRAME_WINDOW)

    def _frame_high(self, tokens: list[Token], i: int) -> int:
        j = i + 1
        stop = min(len(tokens), i + FRAME_WINDOW)
        while j < stop:
            if tokens[j][0] in ALL_MARKS and self._is_quote_mark(tokens[j][1]):
                return j
            j += 1
        return stop

    def _is_quote_mark(self, position: int) -> bool:
        k = bisect.bisect_right(self.span_starts, position + 1) - 1
        for span in self.spans[max(0, k - 1): k + 2]:
            if position in (span.open_mark, span.close_mark):
                return True
        return False

    def _cue_speaker(self, text: str, tokens: list[Token], i: int, low: int, high: int, lemma: str) -> Mention | None:
        if lemma == "accord":
            return subject_right(text, tokens, i, high)
        # "...," said Sessions / Said the mayor: / So said Gov. Jane Roe.
        only_punctuation_before = all(not tokens[k][0][0].isalnum() or tokens[k][0].lower() in ("so", "thus", "as") for k in range(low, i))
        inverted_ok = lemma not in NOT_INVERTED
        if only_punctuation_before and inverted_ok:
            return subject_right(text, tokens, i, high)
        if lemma == "read" and not (i + 1 < len(tokens) and tokens[i + 1][0] in ":" + ALL_MARKS):
            return None  # "the sign read: ..." reports words; "he read the report" does not
        quoted = _quoted_as_saying(text, tokens, i, low)
        if quoted is not None:
            return quoted
        mention = subject_left(text, tokens, i, low)
        if mention is not None:
            return mention
        if i > 2 * FRAME_WINDOW:
            return None  # the sentence's subject is too far back to be read with any confidence
        if tokens[i][0].endswith("ing"):
            # A participle takes the subject of its sentence: "X denounced it, saying ..."
            return clause_subject(text, tokens, 0, i)
        mention = clause_subject(text, tokens, 0, i)
        if mention is not None and _modifies_subject(tokens, mention, i):
            return mention  # "Trump's executive order on immigration last month says ..."
        before = i - 1
        if inverted_ok and before >= low and tokens[before][0] == ",":
            return subject_right(text, tokens, i, high)  # "The city will comply, said Jane Roe."
        return None

    def cues_between(self, start: int, end: int) -> list[Cue]:
        """Cues whose verb lies in [start, end) (positions), in order."""
        found = []
        for index in range(self.sentence_at(start), len(self.sentences)):
            if self.sentences[index][0] >= end:
                break
            cues = self.cues[index]
            first = bisect.bisect_left(cues, start, key=lambda cue: cue.start)
            last = bisect.bisect_left(cues, end, key=lambda cue: cue.start)
            found.extend(cues[first:last])
        return found
