"""Find the direct quotes in a news article and who said each, then score them for stance.

The steps, each in its own module:
1. paragraphs and sentences (`model.sentences`, NLTK's Punkt with news abbreviations);
2. quoted spans from paired quote marks (`model.quote_marks`);
3. reporting verbs and their speakers in each sentence (`model.speakers`);
4. here: tie each quote to an attribution (after it, before it, a colon or dash, a quote
   beside it in its paragraph, the sentence before or after), resolve pronouns and roles
   ("he", "the mayor") to the last fitting named speaker, and drop what is not a quote:
   scare quotes and titles are short, unattributed, or name a term the article uses again.

`find_quotes(text)` returns `Quote`s; `extract_quotes(text, model)` adds the stance of each
(the fields of the service's `/v1/extract`, plus `speaker_full` and `cue`).
"""

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from model.labels import LABELS
from model.quote_marks import ALL_MARKS, QuoteSpan, find_quote_spans
from model.sentences import paragraph_spans, sentence_spans
from model.speakers import (
    NOT_INVERTED,
    PRONOUNS,
    Cue,
    Mention,
    Token,
    clause_subject,
    cue_is_speech,
    cues_in,
    lemma_of,
    make_mention,
    _np_left,
    _np_right,
    appositive_after,
    subject_left,
    subject_right,
    tokenize,
)

# Quotes shorter than this many words are kept only with a speaker in their own sentence.
MIN_FREE_WORDS = 4
# A quoted phrase of up to this many words that a naming word frames is a name, not a quote.
MAX_NAME_WORDS = 8
# A partial quote of at most this many words is scored with its sentence (see `Quote`).
MAX_FRAGMENT_WORDS = 5
# Tokens searched on either side of a reporting verb for its speaker: phrases are far shorter,
# and the bound keeps a pathological sentence (thousands of tokens) linear.
FRAME_WINDOW = 60
_WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
# Words that mark a quoted phrase as a name or a term rather than someone's words.
_NAMING_BEFORE = (
    "so-called", "so called", "the term", "the word", "the words", "the phrase", "the label",
    "the slogan", "the hashtag", "known as", "dubbed", "nicknamed", "titled", "entitled",
    "headlined", "named", "the name", "the motto", "the banner",
)
_NAMING_AFTER = frozenset(
    """
    law laws act bill bills program programs label labels ordinance ordinances policy policies status
    rule rules initiative initiatives campaign campaigns movement list lists designation term terms
    movie film book song show series album slogan hashtag tag brand operation agreement amendment
    provision provisions clause program's website site page column report plan plans
    """.split()
)
_FEMALE = frozenset({"mrs", "ms", "miss", "spokeswoman", "congresswoman", "chairwoman", "councilwoman", "assemblywoman", "alderwoman", "businesswoman", "she"})
_MALE = frozenset({"mr", "spokesman", "congressman", "chairman", "councilman", "assemblyman", "alderman", "businessman", "he"})


@dataclass(frozen=True)
class Quote:
    """A quote: `text[start:end] == quote`, the words between the marks.

    `speaker` is the speaker's name as the article writes it near the quote (or the role
    phrase when no name was given, None when no speaker was found); `speaker_full` is the
    fullest form of that name in the article; `cue` the reporting verb's lemma ("say",
    "tell", "according to") or None for a colon or dash attribution; `speaker_mention` the
    words at the quote that point to the speaker ("he", "the mayor", "Sessions").
    `context_start`/`context_end` bound the text whose stance stands for the quote's: the
    quote itself, or for a partial quote woven into reported speech (Baraka said he will sue
    over the "misguided policy.") of at most `MAX_FRAGMENT_WORDS` words, the whole sentence,
    since such a fragment alone says little.
    """

    quote: str
    start: int
    end: int
    speaker: str | None
    speaker_full: str | None
    cue: str | None
    speaker_mention: str | None = None
    context_start: int = -1
    context_end: int = -1

    @property
    def context(self) -> tuple[int, int]:
        return (self.context_start, self.context_end) if self.context_start >= 0 else (self.start, self.end)


@dataclass
class _Entity:
    """A person (or body) the article names, with every form of the name and its titles."""

    names: list[tuple[int, str]] = field(default_factory=list)  # (position, name as written), in order
    titles: set[str] = field(default_factory=set)
    gender: str | None = None
    kind: str = "name"
    full: list[tuple[int, str]] = field(default_factory=list)  # the forms with a first name

    def add(self, position: int, name: str) -> None:
        bisect.insort(self.names, (position, name))
        if len(name.split()) > 1:
            bisect.insort(self.full, (position, name))

    def name_before(self, position: int) -> str:
        """The name as last written before `position` (the first one if none is earlier)."""
        k = bisect.bisect_right(self.names, (position, "\uffff"))
        return self.names[k - 1][1] if k else self.names[0][1]

    def fullest(self, position: int) -> str:
        """The fullest form of the name: of the last forms with a first name written before
        `position`, the longest ("Jeff Sessions"); else the first one after; else as written."""
        k = bisect.bisect_right(self.full, (position, "\uffff"))
        if k:
            return max((name for _, name in self.full[max(0, k - 3):k]), key=lambda name: len(name.split()))
        if self.full:
            return self.full[0][1]
        return self.name_before(position)


@dataclass
class _Attribution:
    mention: Mention | None
    cue: str | None
    direct: bool  # found in the quote's own sentence (or a dash / colon right at it)
    where: str = "shared"  # "after" or "before" the quote, or "shared" from a neighbour


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
    return len(between) <= 6 and all(word[0].isalnum() and word.lower() not in _SUBORDINATE for word in between)


class _Article:
    """One article's paragraphs, sentences, tokens, cues and named people."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs = paragraph_spans(text)
        self.sentences = sentence_spans(text, self.paragraphs)
        self.sentence_starts = [start for start, _ in self.sentences]
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        self.spans = find_quote_spans(text, self.paragraphs)
        self.span_starts = [span.start for span in self.spans]
        self.tokens = [tokenize(text, start, end) for start, end in self.sentences]
        self.cues: list[list[Cue]] = [self._sentence_cues(i) for i in range(len(self.sentences))]
        self._phrase_counts: dict[tuple[str, ...], int] | None = None

    def phrase_counts(self) -> dict[tuple[str, ...], int]:
        """How often each run of one to three words occurs (folded to lower-case singular)."""
        if self._phrase_counts is None:
            folded = [_fold(word) for word in _WORD_RE.findall(self.text)]
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


def find_quotes(text: str) -> list[Quote]:
    """Every direct quote in a news article, with its speaker; `text[q.start:q.end] == q.quote`."""
    if not text or not any(mark in text for mark in ALL_MARKS):
        return []
    article = _Article(text)
    attributions = [_attribute(article, span) for span in article.spans]
    _share_within_paragraphs(article, attributions)
    kept = [
        (span, attribution)
        for span, attribution in zip(article.spans, attributions)
        if _is_quote(article, span, attribution)
    ]
    resolver = _Resolver(article)
    quotes = []
    for span, attribution in kept:
        speaker, full = resolver.resolve(attribution.mention, span.start)
        mention = attribution.mention.text if attribution.mention is not None else None
        context = _context(article, span)
        quotes.append(Quote(text[span.start:span.end], span.start, span.end, speaker, full, attribution.cue, mention, *context))
    return quotes


def _context(article: _Article, span: QuoteSpan) -> tuple[int, int]:
    """The sentence around a partial quote woven into reported speech, else the quote itself."""
    if len(_WORD_RE.findall(article.text[span.start:span.end])) > MAX_FRAGMENT_WORDS:
        return span.start, span.end
    opening = article.sentences[article.sentence_at(span.open_mark)]
    lead = article.text[opening[0]:span.open_mark].rstrip()
    if not lead or lead.endswith((":", ",")) or lead[-1] in ALL_MARKS:
        return span.start, span.end
    after = span.close_mark + 1 if span.close_mark is not None else span.end
    closing = article.sentences[article.sentence_at(after - 1)]
    return opening[0], max(closing[1], after)


# --- attribution ---------------------------------------------------------------------------
def _attribute(article: _Article, span: QuoteSpan) -> _Attribution:
    """The speaker named in the quote's own sentence: after it, before it, a dash or a colon."""
    text = article.text
    close = span.close_mark if span.close_mark is not None else span.end
    closing_sentence = article.sentence_at(close)
    sentence_end = article.sentences[closing_sentence][1]
    next_open = _next_quote_start(article, span, sentence_end)
    # After: "...," Sessions said. / "...," said Sessions. / "..." -- Jane Roe
    dash = _dash_attribution(article, span, close)
    if dash is not None:
        return _Attribution(dash, None, True, "after")
    for cue in article.cues_between(close + 1, next_open):
        if cue.speaker is not None and cue.speaker.start > close:
            if _attaches_after(text, close, min(cue.start, cue.speaker.start)):
                return _Attribution(cue.speaker, cue.lemma, True, "after")
            break
    # Before: Sessions said: "..." / Sessions said he is "urging ..."
    opening_sentence = article.sentence_at(span.open_mark)
    sentence_start = article.sentences[opening_sentence][0]
    before = [cue for cue in article.cues_between(sentence_start, span.open_mark) if cue.speaker is not None]
    if before:
        cue = before[-1]
        return _Attribution(cue.speaker, cue.lemma, True, "before")
    colon = _colon_attribution(article, span, sentence_start)
    if colon is not None:
        return _Attribution(colon, None, True, "before")
    return _Attribution(None, None, False)


_SUBORDINATE = frozenset("which who whom whose that where when while because after before although though since unless until if".split())


def _attaches_after(text: str, close: int, attribution_start: int) -> bool:
    """Whether an attribution that starts at `attribution_start` belongs to the quote closed at `close`.

    The speaker follows the quote closely ("...," Sessions said) or after a short run-on of the
    quoted thought ("What I did was legal," and the right thing to do, Schaaf said); a
    subordinate clause in between ("... to "fix" the problem, which Jane Roe described as")
    belongs to someone else.
    """
    between = _WORD_RE.findall(text[close + 1:attribution_start])
    if len(between) > 12:
        return False
    return not any(word.lower() in _SUBORDINATE for word in between)


def _next_quote_start(article: _Article, span: QuoteSpan, limit: int) -> int:
    k = bisect.bisect_right(article.span_starts, span.start)
    if k < len(article.spans) and article.spans[k].open_mark < limit:
        return article.spans[k].open_mark
    return limit


def _dash_attribution(article: _Article, span: QuoteSpan, close: int) -> Mention | None:
    """`"..." -- Jane Roe` or `"..." — Mayor Jane Roe, in a statement`, on the line or the next."""
    text = article.text
    at = close + 1
    while at < len(text) and text[at] in " \t\r\n" and at - close < 4:
        at += 1
    for dash in ("--", "\u2014", "\u2013", "- "):
        if text.startswith(dash, at):
            start = at + len(dash)
            stop = min(len(text), start + 200)
            newline = text.find("\n", start, stop)
            tokens = tokenize(text, start, newline if newline != -1 else stop)
            if not tokens:
                return None
            end = _np_right(tokens, 0, len(tokens))
            if end < len(tokens) and tokens[end][0] not in (",", ".", ";", ")", "(", "/"):
                return None  # '"a disaster" -- Senator Lopez agreed': a new clause, not a byline
            mention = make_mention(text, tokens, 0, end)
            if mention is not None and mention.kind in ("name", "org"):
                mention.titles = mention.titles + appositive_after(tokens, end, len(tokens))
                return mention
            return None
    return None


def _colon_attribution(article: _Article, span: QuoteSpan, sentence_start: int) -> Mention | None:
    """`Santa Clara County supervisor: 'The decision ...'`: a bare name or role, then a colon."""
    text = article.text
    head = text[sentence_start:span.open_mark].rstrip()
    if not head.endswith(":"):
        return None
    tokens = tokenize(text, sentence_start, sentence_start + len(head) - 1)
    if not tokens or len(tokens) > 8:
        return None
    end = len(tokens)
    start = _np_left(tokens, end, 0)
    if start != 0:
        return None
    mention = make_mention(text, tokens, 0, end)
    return mention if mention is not None and mention.kind != "pronoun" else None


def _share_within_paragraphs(article: _Article, attributions: list[_Attribution]) -> None:
    """Give a quote with no speaker of its own the one of its neighbours.

    In order: the quotes of one quote running over several paragraphs; an attributed quote
    earlier, then later, in the same paragraph; the sentence before (a speaker introduced,
    then quoted); a short sentence after ("... ." Jane Roe said so.).
    """
    spans = article.spans
    # Sources: quotes attributed in their own sentence, by paragraph and kind of mark, in order.
    sources: dict[tuple[int, bool], list[int]] = {}
    for k, span in enumerate(spans):
        if attributions[k].mention is not None and attributions[k].direct:
            sources.setdefault((span.paragraph, span.single), []).append(k)
    for k, span in enumerate(spans):
        if attributions[k].mention is not None:
            continue
        same = sources.get((span.paragraph, span.single))
        if not same:
            continue
        at = bisect.bisect_left(same, k)
        source = attributions[same[at - 1] if at > 0 else same[at]]
        attributions[k] = _Attribution(source.mention, source.cue, False)
    _share_runs(spans, attributions)
    for k, span in enumerate(spans):
        if attributions[k].mention is not None or span.single:
            continue
        after = _sentence_after(article, span)
        if after is not None:
            attributions[k] = _Attribution(after.speaker, after.lemma, True, "after")
            continue
        before = _sentence_before(article, span)
        if before is not None:
            attributions[k] = _Attribution(before.speaker, before.lemma, False)
    _share_runs(spans, attributions)


def _share_runs(spans: list[QuoteSpan], attributions: list[_Attribution]) -> None:
    """The parts of a quote running over several paragraphs share one attribution."""
    run: list[int] = []
    for k, span in enumerate(spans):
        if span.single:
            continue
        if run and not span.continued:
            _share_run(run, attributions)
            run = []
        run.append(k)
        if not span.continues:
            _share_run(run, attributions)
            run = []
    if run:
        _share_run(run, attributions)


def _share_run(run: list[int], attributions: list[_Attribution]) -> None:
    if len(run) < 2:
        return
    source = next((attributions[k] for k in run if attributions[k].mention is not None), None)
    if source is None:
        return
    for k in run:
        if attributions[k].mention is None:
            attributions[k] = _Attribution(source.mention, source.cue, False)


def _sentence_before(article: _Article, span: QuoteSpan) -> Cue | None:
    """The last speaker named in the sentence before a quote that opens its sentence."""
    index = article.sentence_at(span.open_mark)
    sentence_start = article.sentences[index][0]
    if article.text[sentence_start:span.open_mark].strip() or index == 0:
        return None
    previous = index - 1
    # Only across one paragraph break: a speaker introduced, then quoted.
    if _paragraph_of(article, article.sentences[previous][0]) < span.paragraph - 1:
        return None
    cues = [cue for cue in article.cues[previous] if cue.speaker is not None]
    return cues[-1] if cues else None


def _sentence_after(article: _Article, span: QuoteSpan) -> Cue | None:
    """A short sentence right after the quote, in its paragraph, that names its speaker."""
    close = span.close_mark if span.close_mark is not None else span.end
    index = article.sentence_at(close) + 1
    if index >= len(article.sentences) or _paragraph_of(article, article.sentences[index][0]) != span.paragraph:
        return None
    tokens = article.tokens[index]
    if len(tokens) > 14 or any(token[0] in ALL_MARKS for token in tokens[:1]):
        return None
    cues = [cue for cue in article.cues[index] if cue.speaker is not None]
    if not cues:
        return None
    cue = cues[0]
    # The sentence must be the attribution alone ("Quintero said on Friday."), not a new
    # statement ("Pell said he had read the report.").
    rest = [token[0] for token in tokens if token[1] >= max(cue.end, cue.speaker.end)]
    if cue.speaker.start > tokens[0][1] and cue.start > tokens[0][1]:
        return None
    if len(rest) > 7 or any(word in PRONOUNS or word.lower() in _SUBORDINATE for word in rest):
        return None
    return cue


def _paragraph_of(article: _Article, position: int) -> int:
    return max(0, bisect.bisect_right(article.paragraph_starts, position) - 1)


# --- what counts as a quote ----------------------------------------------------------------
def _is_quote(article: _Article, span: QuoteSpan, attribution: _Attribution) -> bool:
    words = _WORD_RE.findall(article.text[span.start:span.end])
    if not words or not any(any(c.isalpha() for c in word) for word in words):
        return False
    quoted = article.text[span.start:span.end]
    if _is_title(words, quoted) and attribution.where != "after":
        return False  # a title or a name; "'Lock Libby Up,' read a headline" still counts
    if len(words) <= MAX_NAME_WORDS and not _is_clause(words) and not _is_sentence(quoted) and _is_named(article, span):
        return False  # "a policy known as 'zero tolerance for border crossers'"
    if len(words) >= MIN_FREE_WORDS:
        return True
    if attribution.mention is None:
        return False
    if _is_sentence(quoted):
        return True  # "Not one." said by the speaker of the quote before it
    if attribution.where == "after" and _interrupted(article, span):
        return True  # "The city," Roe said, "will not comply."
    return attribution.direct and not _is_term(article, span, words)


def _interrupted(article: _Article, span: QuoteSpan) -> bool:
    """Whether the quote goes on, after its attribution, in a second quote in the same sentence."""
    if span.close_mark is None:
        return False
    k = bisect.bisect_right(article.span_starts, span.start)
    if k >= len(article.spans):
        return False
    following = article.spans[k]
    same_sentence = article.sentence_at(following.open_mark) == article.sentence_at(span.close_mark)
    return same_sentence and article.text[following.start:following.start + 1].islower()


def _is_sentence(quoted: str) -> bool:
    """A whole short sentence ("Not now, not ever."), as opposed to a fragment or a term."""
    return quoted[:1].isupper() and quoted.rstrip()[-1:] in (".", "!", "?") and " " in quoted.strip()


def _is_title(words: list[str], quoted: str) -> bool:
    """A title of a work or a name: mostly capitalised words and no sentence punctuation."""
    if any(mark in quoted for mark in ".?!;") or len(words) > 12:
        return False
    small = {"a", "an", "the", "of", "in", "on", "for", "and", "or", "to", "at", "by", "with", "from", "is", "be"}
    content = [w for w in words if w.lower() not in small]
    return bool(content) and sum(1 for w in content if w[:1].isupper() or w[:1].isdigit()) >= 0.8 * len(content)


def _is_term(article: _Article, span: QuoteSpan, words: list[str]) -> bool:
    """A scare quote or a name: a term a naming word frames, or one the article uses again."""
    return _is_named(article, span) or (not _is_clause(words) and _used_again(article, span, words))


def _is_named(article: _Article, span: QuoteSpan) -> bool:
    """Framed as a name: "the so-called 'X'", "known as 'X'", "the 'X' law", "'X' programs"."""
    text = article.text
    before = text[max(0, span.open_mark - 20):span.open_mark].lower().rstrip()
    if any(before.endswith(lead) for lead in _NAMING_BEFORE):
        return True
    close = span.close_mark if span.close_mark is not None else span.end
    after = _WORD_RE.findall(text[close + 1:close + 40])
    ends_clause = text[span.end - 1:span.end] in ",.;:!?"
    return bool(after) and after[0].lower() in _NAMING_AFTER and text[close + 1:close + 2] == " " and not ends_clause


_CLAUSE_WORDS = frozenset(
    """
    i we you he she they it us me my our your his their will would shall should can could may
    might must is are was were be been am have has had do does did not never
    """.split()
)


def _is_clause(words: list[str]) -> bool:
    """Whether the words read as a statement ("We will win") rather than a term ("sanctuary city")."""
    return any(word.lower() in _CLAUSE_WORDS or "'" in word or "\u2019" in word for word in words)


def _used_again(article: _Article, span: QuoteSpan, words: list[str]) -> bool:
    """Whether the quoted words appear elsewhere in the article (a term under discussion),
    in the singular or the plural ("sanctuary city" ~ "sanctuary cities")."""
    if len(words) > 3:
        return False
    key = tuple(_fold(word) for word in words)
    return article.phrase_counts().get(key, 0) > 1


def _fold(word: str) -> str:
    """Lower case, singular: "Cities" -> "city", "laws" -> "law"."""
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        return lower[:-1]
    return lower


# --- coreference ---------------------------------------------------------------------------
class _Resolver:
    """Names people and resolves "he" and "the mayor" to the last fitting speaker before them."""

    def __init__(self, article: _Article) -> None:
        self.article = article
        self.entities: dict[str, _Entity] = {}
        self.events: list[tuple[int, _Entity]] = []  # (position, entity): who spoke when, in order
        self.event_positions: list[int] = []
        self._collect_names()
        self._collect_speakers()

    def _register(self, mention: Mention, position: int) -> _Entity | None:
        if mention.kind == "name" and mention.name:
            key = _surname(mention.name)
            entity = self.entities.setdefault(key, _Entity())
            entity.add(position, mention.name)
        elif mention.kind in ("org", "role") and not _definite(mention.text):
            key = "role:" + mention.text.lower()
            entity = self.entities.setdefault(key, _Entity(kind=mention.kind))
            entity.add(position, _strip_determiner(mention.text) if mention.kind == "org" else mention.text)
        else:
            return None
        entity.titles.update(mention.titles)
        entity.titles.add(mention.head)
        for word in mention.titles:
            if entity.gender is None and word in _FEMALE:
                entity.gender = "she"
            elif entity.gender is None and word in _MALE:
                entity.gender = "he"
        return entity

    def _collect_names(self) -> None:
        """Every person named with a capitalised phrase, so a later role or surname finds them."""
        article = self.article
        for tokens in article.tokens:
            i = 0
            while i < len(tokens):
                word = tokens[i][0]
                if word[:1].isupper() and word not in PRONOUNS and not article.inside_quote(tokens[i][1]):
                    end = _np_right(tokens, i, len(tokens))
                    if end > i:
                        run = tokens[i:end]
                        for k, (word, first_at, last_at) in enumerate(run):
                            if word.endswith(("'s", "\u2019s")) and len(word) > 2:
                                # "Judge William H. Orrick's decision" names Orrick too.
                                run = run[:k] + [(word[:-2], first_at, last_at - 2)]
                                break
                        mention = make_mention(article.text, run, 0, len(run))
                        if mention is not None and mention.kind == "name":
                            mention.titles = mention.titles + appositive_after(tokens, end, len(tokens))
                            self._register(mention, tokens[i][1])
                        i = end
                        continue
                i += 1

    def _collect_speakers(self) -> None:
        """Who spoke or acted when, in text order: the antecedents for "he" and "the mayor"."""
        article = self.article
        items: list[tuple[int, Mention, Cue | None, int]] = []
        for index, cues in enumerate(article.cues):
            tokens = article.tokens[index]
            for cue in cues:
                if cue.speaker is not None:
                    items.append((cue.start, cue.speaker, cue, index))
            # The subject of a sentence is a likely antecedent even when it only acts:
            # "Sheriff Tomas Eldridge took a different view. 'If ...,' he told reporters."
            if tokens and not article.inside_quote(tokens[0][1]) and tokens[0][0] not in ALL_MARKS:
                subject = clause_subject(article.text, tokens, 0, min(len(tokens), 40))
                if subject is not None and subject.kind == "name":
                    items.append((subject.start, subject, None, index))
        items.sort(key=lambda item: item[0])
        self.events.clear()
        self.event_positions.clear()
        for position, mention, cue, index in items:
            if mention.kind in ("org", "role") and not _definite(mention.text):
                self._register(mention, position)  # "A senior county official ... said"
            entity = self._entity_for(mention, position)
            if entity is None:
                continue
            self.events.append((position, entity))
            self.event_positions.append(position)
            if cue is not None and mention.kind == "name" and mention.start < cue.start:
                self._learn_gender(entity, article.tokens[index], cue)

    @staticmethod
    def _learn_gender(entity: _Entity, tokens: list[Token], cue: Cue) -> None:
        """"Quintero said she is ready": the pronoun opening the reported clause is the speaker."""
        k = bisect.bisect_left(tokens, cue.start, key=lambda token: token[1]) + 1
        if k < len(tokens) and tokens[k][0] == "that":
            k += 1
        if k < len(tokens) and tokens[k][0] in ("he", "she") and entity.gender is None:
            entity.gender = tokens[k][0]

    def _entity_for(self, mention: Mention, position: int) -> _Entity | None:
        if mention.kind == "name" and mention.name:
            entity = self.entities.get(_surname(mention.name))
            if entity is not None:
                entity.titles.update(mention.titles)
            return entity
        if mention.kind == "pronoun":
            return self._last_speaker(position, mention.text.lower())
        if _definite(mention.text):
            return self._by_role(mention, position)
        return self.entities.get("role:" + mention.text.lower())

    def _last_speaker(self, position: int, pronoun: str) -> _Entity | None:
        wanted_kind = "org" if pronoun == "it" else None
        k = bisect.bisect_left(self.event_positions, position)
        for at, entity in reversed(self.events[max(0, k - 200):k]):
            if wanted_kind == "org":
                if entity.kind == "org":
                    return entity
                continue
            if pronoun in ("he", "she") and entity.kind != "name":
                if entity.kind == "role" and not entity.names[0][1].lower().endswith("s"):
                    return entity
                continue
            if pronoun in ("he", "she") and entity.gender not in (None, pronoun):
                continue
            if pronoun == "they" and entity.kind == "name":
                continue
            return entity
        return None

    def _by_role(self, mention: Mention, position: int) -> _Entity | None:
        head = mention.head
        best: tuple[int, _Entity] | None = None
        for entity in self.entities.values():
            if head not in entity.titles:
                continue
            k = bisect.bisect_left(entity.names, (position, ""))
            if k and (best is None or entity.names[k - 1][0] > best[0]):
                best = (entity.names[k - 1][0], entity)
        return best[1] if best else None

    def resolve(self, mention: Mention | None, position: int) -> tuple[str | None, str | None]:
        """(speaker, speaker_full) for a quote at `position` whose attribution is `mention`."""
        if mention is None:
            return None, None
        if mention.kind == "name" and mention.name:
            entity = self.entities.get(_surname(mention.name))
            return mention.name, entity.fullest(max(position, mention.end)) if entity else mention.name
        entity = self._entity_for(mention, position)
        if entity is None:
            if mention.kind == "pronoun":
                return None, None
            written = _strip_determiner(mention.text) if mention.kind == "org" else mention.text
            return written, written
        return entity.name_before(position), entity.fullest(position)


def _surname(name: str) -> str:
    words = [w for w in name.split() if w.lower().strip(".") not in ("jr", "sr", "ii", "iii", "iv")]
    return (words[-1] if words else name).lower().strip(".,")


def _definite(phrase: str) -> bool:
    return phrase.split()[0].lower() in ("the", "this", "that") if phrase.split() else False


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() in ("the", "a", "an") else phrase


# --- stance --------------------------------------------------------------------------------
def extract_quotes(text: str, model) -> list[dict]:
    """The quotes of an article with speakers and stances: the items of `/v1/extract`.

    Each dict has `quote`, `speaker`, `start`, `end`, `stance`, `confidence`,
    `probabilities` ({label: p}), `speaker_full` and `cue`. `model` is a
    `model.predictor.StanceModel`; all quotes are scored in one batch.
    """
    return extract_quotes_many([text], model)[0]


def extract_quotes_many(texts: Sequence[str], model) -> list[list[dict]]:
    """`extract_quotes` for many articles, with one stance batch for all their quotes (faster)."""
    found = [find_quotes(text) for text in texts]
    contexts = [text[slice(*quote.context)] for text, quotes in zip(texts, found) for quote in quotes]
    if not contexts:
        return [[] for _ in texts]
    probabilities = model.predict_proba(contexts)
    results: list[list[dict]] = []
    row = 0
    for quotes in found:
        items = []
        for quote in quotes:
            p = probabilities[row]
            row += 1
            best = int(p.argmax())
            items.append(
                {
                    "quote": quote.quote,
                    "speaker": quote.speaker,
                    "start": quote.start,
                    "end": quote.end,
                    "stance": LABELS[best],
                    "confidence": float(p[best]),
                    "probabilities": {label: float(x) for label, x in zip(LABELS, p)},
                    "speaker_full": quote.speaker_full,
                    "cue": quote.cue,
                }
            )
        results.append(items)
    return results
