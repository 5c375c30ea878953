"""Find the direct quotes in a news article and who said each, then score them for stance.

The steps, each in its own module:
1. paragraphs and sentences (`model.sentences`, NLTK's Punkt with news abbreviations);
2. quoted spans from paired quote marks (`model.quote_marks`);
3. reporting verbs and their speakers in each sentence (`model.speakers`);
   (`model.article` holds them for one article);
4. an attribution for each quote: after it, before it, a colon or dash, a quote beside it in
   its paragraph, the sentence before or after (`model.attribution`);
5. here: drop what is not a quote (scare quotes and titles are short, unattributed, framed
   by a naming word or a term the article uses again);
6. name each speaker, resolving "he" and "the mayor" (`model.coreference`).

`find_quotes(text)` returns `Quote`s; `extract_quotes(text, model)` adds the stance of each
(the fields of the service's `/v1/extract`, plus `speaker_full` and `cue`).
"""

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from quote_stance.quotes.article import WORD_RE, Article, fold
from quote_stance.quotes.attribution import Attribution, attribute, share_attributions
from quote_stance.quotes.coreference import Resolver
from quote_stance.model.labels import LABELS, stance_indices
from quote_stance.quotes.quote_marks import ALL_MARKS, QuoteSpan

# Quotes shorter than this many words are kept only with a speaker in their own sentence.
MIN_FREE_WORDS = 4
# A quoted phrase of up to this many words that a naming word frames is a name, not a quote.
MAX_NAME_WORDS = 8
# A partial quote of at most this many words is scored with its sentence (see `Quote`).
MAX_FRAGMENT_WORDS = 5
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
@dataclass(frozen=True)
class Quote:
    """A quote: `text[start:end] == quote`, the words between the marks.

    `speaker` is the speaker's name as the article writes it near the quote (or the role
    phrase when no name was given, None when no speaker was found); `speaker_full` is the
    fullest form of that name in the article; `speaker_role` the title or role the article
    gives the speaker ("Newark Mayor", "a city council member"), None when it gives none; `cue` the reporting verb's lemma ("say",
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
    speaker_role: str | None = None

    @property
    def context(self) -> tuple[int, int]:
        return (self.context_start, self.context_end) if self.context_start >= 0 else (self.start, self.end)


def find_quotes(text: str) -> list[Quote]:
    """Every direct quote in a news article, with its speaker; `text[q.start:q.end] == q.quote`."""
    if not text or not any(mark in text for mark in ALL_MARKS):
        return []
    article = Article(text)
    attributions = [attribute(article, span) for span in article.spans]
    share_attributions(article, attributions)
    kept = [
        (span, attribution)
        for span, attribution in zip(article.spans, attributions)
        if _is_quote(article, span, attribution)
    ]
    resolver = Resolver(article)
    quotes = []
    for span, attribution in kept:
        speaker = resolver.resolve(attribution.mention, span.start)
        mention = attribution.mention.text if attribution.mention is not None else None
        context = _context(article, span)
        quotes.append(
            Quote(text[span.start:span.end], span.start, span.end, speaker.name, speaker.full, attribution.cue, mention, *context, speaker.role)
        )
    return quotes


def _context(article: Article, span: QuoteSpan) -> tuple[int, int]:
    """The sentence around a partial quote woven into reported speech, else the quote itself."""
    if len(WORD_RE.findall(article.text[span.start:span.end])) > MAX_FRAGMENT_WORDS:
        return span.start, span.end
    opening = article.sentences[article.sentence_at(span.open_mark)]
    lead = article.text[opening[0]:span.open_mark].rstrip()
    if not lead or lead.endswith((":", ",")) or lead[-1] in ALL_MARKS:
        return span.start, span.end
    after = span.close_mark + 1 if span.close_mark is not None else span.end
    closing = article.sentences[article.sentence_at(after - 1)]
    return opening[0], max(closing[1], after)


# --- what counts as a quote ----------------------------------------------------------------
def _is_quote(article: Article, span: QuoteSpan, attribution: Attribution) -> bool:
    words = WORD_RE.findall(article.text[span.start:span.end])
    if not words or not any(any(c.isalpha() for c in word) for word in words):
        return False
    quoted = article.text[span.start:span.end]
    if _is_title(words, quoted) and attribution.where != "after":
        return False  # a title or a name; "'Lock Libby Up,' read a headline" still counts
    if len(words) <= MAX_NAME_WORDS and not _is_clause(words) and not _is_sentence(quoted) and _is_named(article, span):
        return False  # "a policy known as 'zero tolerance for border crossers'"
    if attribution.mention is None:
        # With no speaker anywhere near, only words that stand as a statement count: a quote
        # that opens its sentence (or follows a colon), not a phrase woven into the
        # reporter's own sentence ("his 'we are not going anywhere' attitude").
        return len(words) >= MIN_FREE_WORDS and _stands_alone(article, span)
    if len(words) >= MIN_FREE_WORDS:
        return True
    if _is_sentence(quoted):
        return True  # "Not one." said by the speaker of the quote before it
    if attribution.where == "after" and _interrupted(article, span):
        return True  # "The city," Roe said, "will not comply."
    return attribution.direct and not _is_term(article, span, words)


def _stands_alone(article: Article, span: QuoteSpan) -> bool:
    """Whether the quote opens its sentence, or follows a colon or a dash."""
    sentence_start = article.sentences[article.sentence_at(span.open_mark)][0]
    lead = article.text[sentence_start:span.open_mark].rstrip()
    return not lead or lead.endswith((":", "\u2014", "--")) or lead[-1] in ALL_MARKS


def _interrupted(article: Article, span: QuoteSpan) -> bool:
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


def _is_term(article: Article, span: QuoteSpan, words: list[str]) -> bool:
    """A scare quote or a name: a term a naming word frames, or one the article uses again."""
    return _is_named(article, span) or (not _is_clause(words) and _used_again(article, span, words))


def _is_named(article: Article, span: QuoteSpan) -> bool:
    """Framed as a name: "the so-called 'X'", "known as 'X'", "the 'X' law", "'X' programs"."""
    text = article.text
    before = text[max(0, span.open_mark - 20):span.open_mark].lower().rstrip()
    if any(before.endswith(lead) for lead in _NAMING_BEFORE):
        return True
    close = span.close_mark if span.close_mark is not None else span.end
    after = WORD_RE.findall(text[close + 1:close + 40])
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


def _used_again(article: Article, span: QuoteSpan, words: list[str]) -> bool:
    """Whether the quoted words appear elsewhere in the article (a term under discussion),
    in the singular or the plural ("sanctuary city" ~ "sanctuary cities")."""
    if len(words) > 3:
        return False
    key = tuple(fold(word) for word in words)
    return article.phrase_counts().get(key, 0) > 1


# --- stance --------------------------------------------------------------------------------
def extract_quotes(text: str, model) -> list[dict]:
    """The quotes of an article with speakers and stances: the items of `/v1/extract`.

    Each dict has `quote`, `speaker`, `speaker_role`, `start`, `end`, `stance`, `confidence`,
    `probabilities` ({label: p}), `speaker_full` and `cue`. `model` is a
    `model.predictor.StanceModel`; all quotes are scored in one batch, each with its speaker
    (the fullest name) and role.
    """
    return extract_quotes_many([text], model)[0]


def extract_quotes_many(texts: Sequence[str], model) -> list[list[dict]]:
    """`extract_quotes` for many articles, with one stance batch for all their quotes (faster)."""
    found = [find_quotes(text) for text in texts]
    contexts = [text[slice(*quote.context)] for text, quotes in zip(texts, found) for quote in quotes]
    if not contexts:
        return [[] for _ in texts]
    speakers = [quote.speaker_full or quote.speaker for quotes in found for quote in quotes]
    roles = [quote.speaker_role for quotes in found for quote in quotes]
    probabilities = model.predict_proba(contexts, speakers=speakers, roles=roles)
    results: list[list[dict]] = []
    row = 0
    for quotes in found:
        items = []
        for quote in quotes:
            p = probabilities[row]
            row += 1
            best = int(stance_indices(p[None, :])[0])
            items.append(
                {
                    "quote": quote.quote,
                    "speaker": quote.speaker,
                    "speaker_role": quote.speaker_role,
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
