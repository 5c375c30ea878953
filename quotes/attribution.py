"""Tie each quote to the words that name its speaker.

In the quote's own sentence: a reporting verb after it ("...," Sessions said), before it
(Sessions said: "..."; Sessions said he is "urging ..."), a dash byline ("..." -- Jane Roe) or a
bare name and colon (Roe: "..."). Failing that, from its neighbours: the other paragraphs of a
quote that runs over several, an attributed quote in the same paragraph, a short attribution
sentence right after it, or the speaker named in the sentence before it.
"""

import bisect
from dataclasses import dataclass

from quote_stance.quotes.article import SUBORDINATE, WORD_RE, Article
from quote_stance.quotes.quote_marks import ALL_MARKS, QuoteSpan
from quote_stance.quotes.speakers import PRONOUNS, Cue, Mention, attach_appositive, clause_subject, make_mention, np_left, np_right, tokenize


@dataclass
class Attribution:
    """Who a quote is attributed to, by which verb, and how the attribution was found."""

    mention: Mention | None
    cue: str | None
    direct: bool  # found in the quote's own sentence (or a dash / colon right at it)
    where: str = "shared"  # "after" or "before" the quote, or "shared" from a neighbour


def attribute(article: Article, span: QuoteSpan) -> Attribution:
    """The speaker named in the quote's own sentence: after it, before it, a dash or a colon."""
    text = article.text
    close = span.close_mark if span.close_mark is not None else span.end
    closing_sentence = article.sentence_at(close)
    sentence_end = article.sentences[closing_sentence][1]
    next_open = _next_quote_start(article, span, sentence_end)
    # After: "...," Sessions said. / "...," said Sessions. / "..." -- Jane Roe
    dash = _dash_attribution(article, span, close)
    if dash is not None:
        return Attribution(dash, None, True, "after")
    for cue in article.cues_between(close + 1, next_open):
        if cue.speaker is not None and cue.speaker.start > close:
            if _attaches_after(text, close, min(cue.start, cue.speaker.start)):
                return Attribution(cue.speaker, cue.lemma, True, "after")
            break
    # Before: Sessions said: "..." / Sessions said he is "urging ..."
    opening_sentence = article.sentence_at(span.open_mark)
    sentence_start = article.sentences[opening_sentence][0]
    before = [cue for cue in article.cues_between(sentence_start, span.open_mark) if cue.speaker is not None]
    if before:
        cue = before[-1]
        return Attribution(cue.speaker, cue.lemma, True, "before")
    colon = _colon_attribution(article, span, sentence_start)
    if colon is not None:
        return Attribution(colon, None, True, "before")
    return Attribution(None, None, False)


def _attaches_after(text: str, close: int, attribution_start: int) -> bool:
    """Whether an attribution that starts at `attribution_start` belongs to the quote closed at `close`.

    The speaker follows the quote closely ("...," Sessions said) or after a short run-on of the
    quoted thought ("What I did was legal," and the right thing to do, Schaaf said); a
    subordinate clause in between ("... to "fix" the problem, which Jane Roe described as")
    belongs to someone else.
    """
    between = WORD_RE.findall(text[close + 1:attribution_start])
    if len(between) > 12:
        return False
    return not any(word.lower() in SUBORDINATE for word in between)


def _next_quote_start(article: Article, span: QuoteSpan, limit: int) -> int:
    k = bisect.bisect_right(article.span_starts, span.start)
    if k < len(article.spans) and article.spans[k].open_mark < limit:
        return article.spans[k].open_mark
    return limit


def _dash_attribution(article: Article, span: QuoteSpan, close: int) -> Mention | None:
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
            end = np_right(tokens, 0, len(tokens))
            if end < len(tokens) and tokens[end][0] not in (",", ".", ";", ")", "(", "/"):
                return None  # '"a disaster" -- Senator Lopez agreed': a new clause, not a byline
            mention = make_mention(text, tokens, 0, end)
            if mention is not None and mention.kind in ("name", "org"):
                attach_appositive(mention, text, tokens, end, len(tokens))
                return mention
            return None
    return None


def _colon_attribution(article: Article, span: QuoteSpan, sentence_start: int) -> Mention | None:
    """`Santa Clara County supervisor: 'The decision ...'`: a bare name or role, then a colon."""
    text = article.text
    head = text[sentence_start:span.open_mark].rstrip()
    lead = next((mark for mark in (":", "\u2014", "--", "\u2013") if head.endswith(mark)), None)
    if lead is None:
        return None
    tokens = [token for token in tokenize(text, sentence_start, sentence_start + len(head) - len(lead)) if not article.is_masked(token[1])]
    if not tokens:
        return None
    end = len(tokens)
    if lead == ":" and end <= 8 and np_left(tokens, end, 0) == 0:
        mention = make_mention(text, tokens, 0, end)
        if mention is not None and mention.kind != "pronoun":
            return mention
    # "Sheriff Oscar Lund had a blunt message: '...'", "Roe put it another way -- '...'":
    # the clause before the colon or dash introduces its subject's words.
    if any(token[0] in ALL_MARKS for token in tokens) or article.inside_quote(tokens[0][1]):
        return None
    mention = clause_subject(text, tokens, 0, end)
    if mention is None or (mention.kind == "role" and mention.role is None):
        return None
    return mention


def share_attributions(article: Article, attributions: list[Attribution]) -> None:
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
        attributions[k] = Attribution(source.mention, source.cue, False)
    _share_runs(spans, attributions)
    for k, span in enumerate(spans):
        if attributions[k].mention is not None or span.single:
            continue
        after = _sentence_after(article, span)
        if after is not None:
            attributions[k] = Attribution(after.speaker, after.lemma, True, "after")
            continue
        before = _sentence_before(article, span)
        if before is not None:
            attributions[k] = Attribution(before.speaker, before.lemma or None, False)
    _share_runs(spans, attributions)


def _share_runs(spans: list[QuoteSpan], attributions: list[Attribution]) -> None:
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


def _share_run(run: list[int], attributions: list[Attribution]) -> None:
    if len(run) < 2:
        return
    source = next((attributions[k] for k in run if attributions[k].mention is not None), None)
    if source is None:
        return
    for k in run:
        if attributions[k].mention is None:
            attributions[k] = Attribution(source.mention, source.cue, False)


def _sentence_before(article: Article, span: QuoteSpan) -> Cue | None:
    """The last speaker named in the sentence before a quote that opens its sentence."""
    index = article.sentence_at(span.open_mark)
    sentence_start = article.sentences[index][0]
    if article.text[sentence_start:span.open_mark].strip() or index == 0:
        return None
    previous = index - 1
    # Page furniture between the two ("ADVERTISEMENT", a photo credit) is read past.
    skipped: set[int] = set()
    while previous > 0 and not article.tokens[previous] and article.is_masked(article.sentences[previous][0]):
        skipped.add(_paragraph_of(article, article.sentences[previous][0]))
        previous -= 1
    # Only across one paragraph break: a speaker introduced, then quoted.
    if _paragraph_of(article, article.sentences[previous][0]) < span.paragraph - 1 - len(skipped):
        return None
    cues = [cue for cue in article.cues[previous] if cue.speaker is not None]
    if cues:
        return cues[-1]
    # "Sheriff Oscar Lund took a different view." then the quote: the person the sentence is
    # about, when a quote makes up its whole paragraph.
    if span.close_mark is None or article.text[span.close_mark + 1:article.paragraphs[span.paragraph][1]].strip():
        return None
    tokens = article.tokens[previous]
    if not tokens or article.inside_quote(tokens[0][1]) or any(token[0] in ALL_MARKS for token in tokens):
        return None
    subject = clause_subject(article.text, tokens, 0, len(tokens))
    if subject is None or subject.kind not in ("name", "org"):
        return None
    return Cue("", "", subject.start, subject.end, subject)  # no reporting verb


def _sentence_after(article: Article, span: QuoteSpan) -> Cue | None:
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
    if len(rest) > 7 or any(word in PRONOUNS or word.lower() in SUBORDINATE for word in rest):
        return None
    return cue


def _paragraph_of(article: Article, position: int) -> int:
    return max(0, bisect.bisect_right(article.paragraph_starts, position) - 1)
