"""Who is speaking: reporting verbs (cues) and the phrase that names their speaker.

No parser or tagger is available without a download, so speakers are read from the shape
news copy gives them: a run of capitalised words with titles in front ("New York Attorney
General Eric Schneiderman"), an appositive set off by commas ("Ras Baraka, the mayor of
Newark, said"), a role ("the mayor", "a senior Justice Department official"), or a pronoun.
A speaker stands just before its verb ("Sessions said") or, inverted, just after it
("said Sessions"); a participle ("..., saying") takes the subject of its sentence.
"""

import re
from dataclasses import dataclass, field

from quote_stance.quotes.sentences import NEWS_ABBREVIATIONS

Token = tuple[str, int, int]  # text, start, end (offsets into the article)

_TOKEN_RE = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., D.C.
    r"|\w+(?:['\u2019\-]\w+)*\.?"  # words, with a trailing period kept for now
    r"|--|[\u2014\u2013]"
    r"|[^\w\s]"
)

# Lemma -> the forms that signal reported speech. Nouns that share a form ("claims", "notes",
# "states", "reports") are left out; so are capitalised forms, except at the start of a
# sentence ("Said the mayor: ...").
_CUE_FORMS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "add": ("add", "adds", "added", "adding"),
    "argue": ("argue", "argues", "argued", "arguing"),
    "vow": ("vows", "vowed", "vowing"),
    "write": ("write", "writes", "wrote", "writing"),
    "warn": ("warns", "warned", "warning"),
    "note": ("noted", "noting"),
    "state": ("stated",),
    "declare": ("declare", "declares", "declared", "declaring"),
    "explain": ("explain", "explains", "explained", "explaining"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "claim": ("claimed", "claiming"),
    "contend": ("contend", "contends", "contended", "contending"),
    "assert": ("asserts", "asserted", "asserting"),
    "announce": ("announces", "announced", "announcing"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admits", "admitted", "admitting"),
    "ask": ("asks", "asked", "asking"),
    "answer": ("answered", "answering"),
    "reply": ("replies", "replied", "replying"),
    "respond": ("responds", "responded", "responding"),
    "continue": ("continued",),
    "conclude": ("concludes", "concluded", "concluding"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "complain": ("complains", "complained", "complaining"),
    "concede": ("concedes", "conceded", "conceding"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "counter": ("countered", "countering"),
    "predict": ("predicts", "predicted", "predicting"),
    "promise": ("promised", "promising"),
    "pledge": ("pledged", "pledging"),
    "recall": ("recalls", "recalled", "recalling"),
    "remark": ("remarked", "remarking"),
    "report": ("reported",),
    "stress": ("stressed", "stressing"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing", "emphasises", "emphasised", "emphasising"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "testify": ("testifies", "testified", "testifying"),
    "tweet": ("tweeted", "tweeting"),
    "post": ("posted",),
    "joke": ("joked", "joking"),
    "quip": ("quipped",),
    "observe": ("observes", "observed", "observing"),
    "maintain": ("maintains", "maintained", "maintaining"),
    "muse": ("mused",),
    "urge": ("urges", "urged", "urging"),
    "demand": ("demands", "demanded", "demanding"),
    "request": ("requested", "requesting"),
    "allege": ("alleges", "alleged", "alleging"),
    "describe": ("describe", "describes", "described", "describing"),
    "refer": ("referring", "referred", "refers"),
    "call": ("called", "calls", "calling"),
    "shout": ("shouted", "shouting"),
    "yell": ("yelled",),
    "exclaim": ("exclaimed",),
    "lament": ("laments", "lamented", "lamenting"),
    "boast": ("boasts", "boasted", "boasting"),
    "brag": ("bragged",),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "proclaim": ("proclaims", "proclaimed", "proclaiming"),
    "affirm": ("affirmed",),
    "mention": ("mentioned",),
    "point out": ("pointed",),
    "recount": ("recounted",),
    "rule": ("ruled",),
    "opine": ("opined",),
    "threaten": ("threatened",),
    "assure": ("assured",),
    "advise": ("advised",),
    "scoff": ("scoffed",),
    "read": ("read", "reads"),
    "accord": ("according",),
    # Verbs that attribute a short quote without saying it aloud: "cited 'an open defiance'",
    # "dismissed it as 'theater'", "branded the rule 'unconstitutional'".
    "cite": ("cites", "cited", "citing"),
    "dismiss": ("dismissed", "dismissing"),
    "brand": ("branded", "branding"),
    "deride": ("derided", "deriding"),
    "denounce": ("denounced", "denouncing"),
    "decry": ("decried", "decrying"),
    "blast": ("blasted",),
    "slam": ("slammed",),
    "repeat": ("repeated", "repeats", "repeating"),
    "retort": ("retorted",),
    "echo": ("echoed",),
    "fume": ("fumed",),
    "sigh": ("sighed",),
    "plead": ("pleaded",),
    "interject": ("interjected",),
    "text": ("texted",),
    "email": ("emailed", "e-mailed"),
}
CUE_LEMMAS: dict[str, str] = {form: lemma for lemma, forms in _CUE_FORMS.items() for form in forms}
# Cues that take an object or name something, so the words after them are never an inverted
# speaker ("told reporters", "called it"); any other cue right after a quote may be ("asked Roe").
NOT_INVERTED = frozenset({"tell", "urge", "call", "describe", "refer", "threaten", "assure", "advise", "cite", "dismiss", "brand", "deride", "denounce", "decry", "blast", "slam"})

PRONOUNS = {"he": "he", "she": "she", "they": "they", "it": "it", "He": "he", "She": "she", "They": "they", "It": "it"}

# Words that name an office or a job; they may stand lower case inside a name phrase
# ("Justice Department attorney W. Scott Simpon") and are stripped from the front of a name.
TITLE_WORDS = frozenset(
    """
    president vice attorney attorneys general mayor governor gov gov. sen sen. senator senators rep rep.
    reps. representative representatives congressman congresswoman congressmember judge judges
    justice chief director secretary commissioner sheriff supt supt. superintendent officer officers
    spokesman spokeswoman spokesperson counsel deputy acting assistant associate executive
    administrator chairman chairwoman chair councilman councilwoman councilmember alderman
    alderwoman supervisor supervisors speaker leader minister prime ambassador lt lt. gen gen. col
    col. capt capt. sgt sgt. cmdr cmdr. adm adm. officer agent lawyer prosecutor district circuit
    state county city federal former then interim senior special first lady mr mr. mrs mrs. ms ms.
    dr dr. rev rev. prof prof. professor police fire head chancellor comptroller treasurer
    controller auditor inspector marshal trooper detective sergeant lieutenant captain colonel
    commander admiral ag a.g. dhs ice doj fbi cbp uscis aclu gop u.s. us democratic republican
    democrat top longtime national regional local assemblyman assemblywoman assemblymember
    delegate legislator lawmaker member members staff manager coordinator advocate analyst
    founder president-elect governor-elect mayor-elect then-attorney then-president then-mayor
    then-governor
    """.split()
)
# Words of institutions, places and offices that end a name's title part ("Board of
# Supervisors David Cortese") or make a phrase an organisation ("the Justice Department").
ORG_WORDS = frozenset(
    """
    department departments office agency administration bureau board council committee commission
    court courts government house senate congress assembly legislature association union party
    university college school institute center centre foundation coalition alliance network group
    company corporation corp inc police security enforcement justice immigration customs protection
    homeland services service patrol authority city county state states nation republic division
    unit program programs project clinic hospital church times post news journal tribune herald
    press network magazine daily gazette chronicle examiner sentinel observer review today
    communications affairs policy operations relations development planning safety health
    education transportation housing labor finance commerce defense interior energy agriculture
    veterans public human rights civil liberties counsel staff
    """.split()
)
# Words for a body: "the organization said" names a body, which has no role.
BODY_WORDS = frozenset({"agency", "group", "organization", "organisation", "nonprofit", "coalition", "department", "office", "bureau", "administration", "campaign", "firm", "company", "union", "board", "council", "committee", "commission", "association", "alliance", "network", "center", "centre", "institute", "foundation", "project", "clinic", "ministry", "panel", "court", "government"})
# Heads of a role phrase that can speak: people by their job, bodies, and documents.
ROLE_HEADS = frozenset(
    """
    official officials officer officers spokesman spokeswoman spokesperson spokespeople mayor mayors
    governor governors judge judges justice justices attorney attorneys lawyer lawyers prosecutor
    prosecutors sheriff sheriffs chief chiefs director directors secretary commissioner commissioners
    administrator president senator senators representative congressman congresswoman lawmaker
    lawmakers legislator legislators councilman councilwoman councilmember supervisor supervisors
    rival rivals challenger predecessor successor colleague colleagues ally allies friend friends
    neighbor neighbors wife husband spouse son daughter brother sister boss
    chairman chairwoman chair leader leaders minister ambassador agent agents advocate advocates
    activist activists critic critics supporter supporters opponent opponents expert experts
    analyst analysts professor resident residents protester protesters protestors organizer
    organizers immigrant immigrants police source sources aide aides adviser advisers advisor
    advisors staffer staffers counsel general superintendent manager executive founder member
    members candidate head appointee department agency office administration ministry court panel
    committee council board government campaign group organization organisation union coalition
    company firm statement letter lawsuit suit complaint ruling order decision opinion memo report
    study filing brief motion release headline sign tweet post editorial petition resolution
    bill law document documents proclamation guidance directive website spokesmen parents mother
    father worker workers owner owners student students teacher teachers witness witnesses victim
    victims deputies deputy detective detectives trooper troopers sergeant lieutenant captain
    nurse nurses doctor doctors physician farmer farmers pastor pastors priest rabbi imam bishop
    chaplain nun volunteer volunteers veteran veterans citizen citizens voter voters economist
    economists researcher researchers scholar scholars historian fellow consultant strategist
    pollster employee employees journalist writer author lobbyist plaintiff plaintiffs
    defendant commentator entrepreneur retiree director
    """.split()
)
# Role words that are also first names or surnames ("Bill de Blasio", "Emily Post").
_NAME_LIKE_ROLES = frozenset({"bill", "post", "sign", "law", "brief", "chase", "head"})
# Role heads that name a document, which speaks for whoever wrote it.
DOCUMENT_HEADS = frozenset(
    """
    statement letter lawsuit suit complaint ruling order decision opinion memo report study filing
    brief motion release headline sign tweet post editorial petition resolution bill law document
    documents proclamation guidance directive website
    """.split()
)
PARTICLES = frozenset({"de", "del", "della", "der", "den", "di", "da", "van", "von", "la", "le", "du", "bin", "ibn", "al", "st.", "mc", "dos", "das"})
NAME_SUFFIXES = frozenset({"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"})
DETERMINERS = frozenset({"the", "a", "an", "another", "one", "two", "three", "several", "some", "many", "other", "both", "his", "her", "its", "their", "our", "this", "that", "these", "those"})
# Closed-class and common words that are capitalised only because they start a sentence.
_SENTENCE_WORDS = frozenset(
    """
    the a an and but or so yet for nor in on at by to of from with without about after before
    during since until while when where whether if though although because as than then there
    here this that these those it its he she they we i you his her their our my your what which
    who whom whose why how all any some each every no not also still instead however meanwhile
    moreover later earlier today yesterday tonight last next now just only even already again
    once twice both either neither many much more most other another such same own very indeed
    asked speaking according despite under over into through against among between across
    behind beyond near outside inside upon within like unlike following including regarding
    responding referring saying adding noting citing meanwhile separately previously recently
    finally first second third overall yes afterward afterwards nonetheless nevertheless
    additionally furthermore therefore thus similarly likewise otherwise regardless consequently
    accordingly currently subsequently initially ultimately elsewhere too ironically notably
    """.split()
)
_SKIP_BEFORE_VERB = frozenset(
    """
    also later then again once still previously earlier further repeatedly recently immediately
    publicly privately quickly flatly simply often has have had was were is are would will did
    does do be been being has long has since even always never first last ultimately initially
    subsequently finally already just only soon swiftly bluntly angrily forcefully loudly
    """.split()
)
_RAISING = frozenset({"quick", "quicker", "eager", "careful", "ready", "happy", "swift", "slow", "keen", "willing", "likely", "unlikely", "expected", "going", "about", "able", "set", "due", "scheduled", "poised", "went", "on", "to", "proceeded", "continued", "began", "was", "is", "were", "are"})
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight".split())
_TIME_WORDS = _DAYS | frozenset("morning afternoon evening night week month year weekend".split())
_TIME_LEADS = frozenset({"on", "last", "this", "earlier", "late", "early", "that", "in", "the", "next", "later", "each"})
_CONNECTORS = frozenset({"of", "for", "and", "&", "on"})
_INTRO_WORDS = frozenset(
    """
    in on at after before during since until while when where if though although because as for
    with without under by from last earlier later today yesterday however meanwhile still yet also
    then now but and instead separately asked speaking responding in addition despite following
    according like unlike once afterward afterwards nonetheless nevertheless additionally
    furthermore therefore thus similarly likewise otherwise regardless consequently accordingly
    currently subsequently initially ultimately finally overall ironically notably previously
    """.split()
)
_DATE_WORDS = _DAYS | frozenset(
    "january february march april may june july august september october november december jan. feb. aug. sept. oct. nov. dec.".split()
)
_PREPOSITIONS = frozenset({"of", "for", "at", "with", "from", "in", "on", "to"})
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z]")


@dataclass
class Mention:
    """A phrase that names a speaker, as written in the article.

    `kind` is "name" (a person's name, `name` holds it without titles), "org" (a named body),
    "role" (a job, body or document named by common nouns) or "pronoun".
    """

    text: str
    start: int
    end: int
    kind: str
    name: str | None = None
    titles: list[str] = field(default_factory=list)  # title and appositive words, lower case
    role: str | None = None  # the title or role as written ("Newark Mayor", "a city council member")

    @property
    def words_capitalised(self) -> bool:
        """A bare title in capitals ("Sheriff", "County Executive"), as headlines name people."""
        return all(word[:1].isupper() for word in self.text.split())

    @property
    def head(self) -> str:
        """The last word, lower case: what a later "the mayor" is matched against."""
        words = self.text.split()
        for position, word in enumerate(words[1:], 1):
            if word.lower() in _PREPOSITIONS:
                words = words[:position]
                break
        return words[-1].lower().strip(".,") if words else ""


@dataclass
class Cue:
    """A reporting verb and the speaker found for it (None when none could be read)."""

    lemma: str
    form: str
    start: int
    end: int
    speaker: Mention | None


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of `text[start:end]` with offsets into `text`.

    A period stays on a word only when the word is an abbreviation or an initial; otherwise
    it is a token of its own, so "said Sessions." ends with the name.
    """
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        if len(word) > 1 and word.endswith(".") and word[-2] != ".":
            stem = word[:-1]
            if stem.lower() not in NEWS_ABBREVIATIONS and "." not in stem:
                tokens.append((stem, match.start(), match.end() - 1))
                tokens.append((".", match.end() - 1, match.end()))
                continue
        tokens.append((word, match.start(), match.end()))
    return tokens


def _is_name_token(word: str) -> bool:
    """A capitalised word, an initial, or an all-capital abbreviation ("ICE", "D.", "U.S.")."""
    return word[:1].isupper() and any(c.isalpha() for c in word)


def _is_title(word: str) -> bool:
    return word.lower() in TITLE_WORDS


def _is_org(word: str) -> bool:
    return word.lower() in ORG_WORDS


def cues_in(tokens: list[Token], sentence_start_index: int = 0) -> list[int]:
    """Indices of tokens that are reporting verbs (capitalised forms only at sentence start)."""
    found = []
    for i, (word, _, _) in enumerate(tokens):
        if word in CUE_LEMMAS:
            found.append(i)
        elif i == sentence_start_index and word[:1].isupper() and word.lower() in ("said", "says", "added", "wrote"):
            found.append(i)
    return found


def lemma_of(tokens: list[Token], i: int) -> str:
    return CUE_LEMMAS.get(tokens[i][0], CUE_LEMMAS.get(tokens[i][0].lower(), ""))


def _word_at(tokens: list[Token], i: int) -> str:
    return tokens[i][0] if 0 <= i < len(tokens) else ""


def cue_is_speech(tokens: list[Token], i: int, low: int) -> bool:
    """Filter the cue forms that are often not reporting verbs in their frame."""
    lemma = lemma_of(tokens, i)
    before = _word_at(tokens, i - 1).lower() if i - 1 >= low else ""
    after = _word_at(tokens, i + 1).lower()
    if lemma == "accord":
        return after == "to"
    if lemma == "point out":
        return after == "out"
    if lemma == "call":
        # "so-called", "was called", "a law called X", "called for": naming, not speech.
        if any(tokens[k][0].lower() == "what" for k in range(max(low, i - 3), i)):
            return False  # "what officials call 'catch and release'": a name for something
        return before not in ("so", "-", "was", "is", "be", "been", "being", "and", "or", "also", "were", "are") and after not in ("for", "on", "in", "off", "up", "out", "back")
    if lemma == "ask":
        return before not in ("was", "were", "is", "are", "be", "been", "being")
    if tokens[i][0] in ("warning", "writing", "saying", "telling", "adding", "calling", "asking", "urging", "demanding"):
        # A gerund used as a noun ("a warning", "the writing") follows a determiner.
        return before not in DETERMINERS
    return True


def _strip_before_verb(tokens: list[Token], i: int, low: int) -> int:
    """Index just past the speaker phrase: skips adverbs, auxiliaries and times before a verb."""
    j = i - 1
    just_time = False
    while j >= low:
        word = tokens[j][0]
        lower = word.lower()
        if lower in _SKIP_BEFORE_VERB or lower in _RAISING or (lower.endswith("ly") and word.islower() and len(word) > 3):
            just_time = False
        elif lower in _TIME_WORDS:
            just_time = True
        elif just_time and lower in _TIME_LEADS:
            pass
        else:
            break
        j -= 1
    return j + 1


def np_left(tokens: list[Token], end: int, low: int) -> int:
    """Start index of the name or role phrase that ends just before `end` (== end if none)."""
    j = end - 1
    start = end
    while j >= low:
        word = tokens[j][0]
        lower = word.lower()
        if lower in _DATE_WORDS:
            break
        if _is_name_token(word) or lower in TITLE_WORDS or lower in ROLE_HEADS or lower in PARTICLES or lower in NAME_SUFFIXES:
            start = j
        elif lower in _CONNECTORS and j - 1 >= low and (_is_name_token(tokens[j - 1][0]) or tokens[j - 1][0].lower() in TITLE_WORDS) and start < end:
            start = j  # "Board of Supervisors", "Immigration and Customs Enforcement"
        elif lower == "the" and j - 1 >= low and tokens[j - 1][0].lower() in ("of", "for") and start < end:
            start = j  # "President of the Board"
        elif word.endswith(("'s", "\u2019s")) and start < end:
            start = j  # "Landrieu's executive counsel"
        elif lower in DETERMINERS and start < end:
            start = j
            break
        elif word in ("-",) and start < end:
            start = j
        elif word[:1].islower() and start < end and j - 1 >= low and tokens[j - 1][0].lower() in DETERMINERS and (tokens[j][0].isalpha() or "-" in tokens[j][0]):
            # a modifier between a determiner and the head: "a senior Justice Department official"
            start = j
        else:
            break
        j -= 1
    # Connectors and possessives cannot open the phrase.
    while start < end and tokens[start][0].lower() in _CONNECTORS:
        start += 1
    return start


def np_right(tokens: list[Token], begin: int, high: int) -> int:
    """End index (exclusive) of the name or role phrase that starts at `begin`."""
    j = begin
    if j < high and tokens[j][0].lower() in DETERMINERS:
        j += 1
    last_good = begin
    while j < high:
        word = tokens[j][0]
        lower = word.lower()
        if lower in _DATE_WORDS:
            break
        if _is_name_token(word) or lower in TITLE_WORDS or lower in ROLE_HEADS or lower in PARTICLES or lower in NAME_SUFFIXES:
            j += 1
            last_good = j
        elif lower in _CONNECTORS and j + 1 < high and (_is_name_token(tokens[j + 1][0]) or tokens[j + 1][0].lower() in ("the",)):
            j += 1
        elif lower == "the" and j > begin and tokens[j - 1][0].lower() in ("of", "for"):
            j += 1
        elif word[:1].islower() and (word.isalpha() or word.endswith(("'s", "\u2019s"))) and j > begin and tokens[begin][0].lower() in DETERMINERS and j - begin < 6:
            j += 1  # modifiers inside a role phrase: "the ICE acting director"
        else:
            break
    return last_good


def make_mention(text: str, tokens: list[Token], start: int, end: int, require_head: bool = True) -> Mention | None:
    """Classify the phrase tokens[start:end] as a name, an organisation, a role or a pronoun."""
    if end <= start:
        return None
    words = [tokens[k][0] for k in range(start, end)]
    span_start, span_end = tokens[start][1], tokens[end - 1][2]
    phrase = text[span_start:span_end]
    if len(words) == 1 and words[0] in PRONOUNS:
        return Mention(phrase, span_start, span_end, "pronoun")
    first = words[0].lower()
    # A phrase opened by a sentence word ("However", "The") is read from after it.
    while words and words[0].lower() in _SENTENCE_WORDS and words[0].lower() not in DETERMINERS:
        start += 1
        words = words[1:]
        if not words:
            return None
        span_start = tokens[start][1]
        phrase = text[span_start:span_end]
        first = words[0].lower()
    # A person's name: the capitalised words after the last title or institution word.
    k = len(words)
    while k > 0 and words[k - 1].lower() in NAME_SUFFIXES:
        k -= 1
    name_from = k
    while name_from > 0:
        word = words[name_from - 1]
        lower = word.lower()
        if lower in PARTICLES and name_from < k:
            name_from -= 1
        elif _is_name_token(word) and lower not in TITLE_WORDS and lower not in ORG_WORDS and (lower not in ROLE_HEADS or lower in _NAME_LIKE_ROLES) and not word.endswith(("'s", "\u2019s")) and not (word.isupper() and len(word.strip(".")) > 1 and "." not in word.rstrip(".")):
            name_from -= 1
        else:
            break
    # "the American Civil Liberties Union of Eastvale": a place after "of" names a body, not a person.
    of_place = name_from > 0 and words[name_from - 1].lower() in ("of", "for", "on")
    if name_from > 1 and words[name_from - 1].lower() in ("and", "&") and _is_name_token(words[name_from - 2]):
        # "Roe and Ito said": both speak; the phrase from the first name on is the speaker.
        first_name = name_from - 2
        while first_name > 0 and _is_name_token(words[first_name - 1]) and words[first_name - 1].lower() not in TITLE_WORDS and words[first_name - 1].lower() not in ORG_WORDS:
            first_name -= 1
        if words[first_name].lower() not in TITLE_WORDS and words[first_name].lower() not in ORG_WORDS:
            name_from = first_name
    name_words = words[name_from:]
    if name_from < k and not of_place and any(w[:1].isupper() for w in name_words) and len([w for w in name_words if w.lower() not in PARTICLES and w.lower() not in ("and", "&")]) <= 4:
        while name_words and name_words[0].lower() in PARTICLES and name_from > 0 and words[name_from - 1][:1].islower():
            name_words = name_words[1:]
        name_start = tokens[start + len(words) - len(name_words)][1]
        name = text[name_start:span_end]
        if first in DETERMINERS and name_from == 1:
            return None  # "the Sessions" is not a way news copy names a person
        titles = [w.lower().strip(".") for w in words[: len(words) - len(name_words)]]
        role = role_phrase(text, tokens, start, start + len(words) - len(name_words))
        return Mention(phrase, span_start, span_end, "name", name=name, titles=titles, role=role)
    if of_place and name_from > 1:
        # "Mayor Dana Whitfield of Brinmoor": a titled name, then the place it serves.
        before = make_mention(text, tokens, start, start + name_from - 1)
        if before is not None and before.kind == "name" and (before.titles or len(before.name.split()) > 1):
            place = text[tokens[start + name_from - 1][1]:span_end]
            if before.role is not None and len(words) - name_from <= 3:
                before.role = f"{before.role} {place}"
            before.end = span_end
            before.text = phrase
            return before
    # The head of a role phrase stands before its first preposition: "a spokesperson for the
    # Department of Homeland Security", "the head of the agency".
    core = words
    for position, word in enumerate(words[1:], 1):
        if word.lower() in _PREPOSITIONS:
            core = words[:position]
            break
    head = core[-1].lower().strip(".")
    if head in ROLE_HEADS or core[-1].lower() in TITLE_WORDS:
        capitalised = [w for w in core if w.lower() not in DETERMINERS and w.lower() not in _CONNECTORS]
        kind = "org" if core[-1][:1].isupper() and (head in ORG_WORDS or len(capitalised) > 1 and all(_is_name_token(w) for w in capitalised)) else "role"
        titles = [w.lower().strip(".") for w in core if w.lower() not in DETERMINERS]
        role = None
        if kind == "role" and head not in ORG_WORDS and head not in DOCUMENT_HEADS and head not in BODY_WORDS:
            role = role_phrase(text, tokens, start, end)  # "a department spokeswoman said"
        return Mention(phrase, span_start, span_end, kind, titles=titles, role=role)
    if all(_is_name_token(w) or w.lower() in _CONNECTORS or w.lower() == "the" for w in words) and any(
        _is_org(w) or (w.isupper() and len(w) > 1) for w in words
    ):
        return Mention(phrase, span_start, span_end, "org", titles=[w.lower() for w in words])
    return None


# Courtesy titles name no office: "Mr. Roe" has no role.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "rev", "the", "and"})
# Words that open a relative clause or an aside, not a role: "Roe, who chairs the board,".
_NOT_ROLE_OPENERS = frozenset({"who", "whom", "whose", "which", "that", "where", "when", "asked", "speaking", "according", "in", "on", "at", "after", "before", "during", "with", "without", "adding", "saying", "noting", "citing"})
MAX_ROLE_WORDS = 12
# Title words that only modify a role ("state", "former"): a role does not end in one.
_MODIFIER_TITLES = frozenset(
    """
    state county city federal former then interim senior special first top longtime national
    regional local democratic republican democrat u.s us gop vice acting associate assistant
    district circuit
    """.split()
)


def role_phrase(text: str, tokens: list[Token], start: int, end: int) -> str | None:
    """tokens[start:end] as a role, as written ("New York Attorney General", "a city council
    member", "department spokeswoman"), or None when the words name no office or job.

    A leading "the" or "a" goes, except before an appositive's role, which the article gives
    as a phrase ("Jane Doe, a city council member, said"): callers keep that form.
    """
    if start < end and _verb_like(tokens[start][0]):
        return None  # ", joined the suit on Friday": a clause, not a role
    while start < end and tokens[start][0].lower() in DETERMINERS and tokens[start][0].lower() not in ("his", "her", "their", "its", "our"):
        start += 1
    while end > start and tokens[end - 1][0] in (",", "-", "--", "\u2014", "\u2013"):
        end -= 1
    if end <= start or end - start > MAX_ROLE_WORDS:
        return None
    words = [tokens[k][0].lower().strip(".") for k in range(start, end)]
    # A relative clause ends the role: "a resident of Brinmoor whose brother was deported".
    cut = next((k for k, word in enumerate(words) if k and word in ("who", "whom", "whose", "which", "that")), None)
    if cut is not None:
        words, end = words[:cut], start + cut
    if words[0] in _NOT_ROLE_OPENERS or all(word in _HONORIFICS for word in words):
        return None
    # The head stands before the first preposition or relative word: "the mayor of Newark".
    core = words
    for position, word in enumerate(words[1:], 1):
        if word in _PREPOSITIONS or word in _NOT_ROLE_OPENERS or word in ("and", "or"):
            core = words[:position]
            break
    head = core[-1].removesuffix("'s").removesuffix("\u2019s")
    if head in DOCUMENT_HEADS or head in _MODIFIER_TITLES or (head not in TITLE_WORDS and head not in ROLE_HEADS):
        return None
    return text[tokens[start][1]:tokens[end - 1][2]]


def appositive_role(text: str, tokens: list[Token], start: int, end: int) -> str | None:
    """The role an appositive gives, as the article writes it: "a city council member"."""
    role = role_phrase(text, tokens, start, end)
    if role is None:
        return None
    first = tokens[start][0]
    if first.lower() in ("a", "an", "the") and end - start > 1:
        # The role's words with the article before them, cut where role_phrase cut them.
        return text[tokens[start][1]:text.index(role, tokens[start][2]) + len(role)]
    return role


def _verb_like(word: str) -> bool:
    """A lower-case verb form opening a clause: "joined", "backed", "saying", "says"."""
    lower = word.lower()
    return word[:1].islower() and (lower.endswith(("ed", "ing")) or lower in CUE_LEMMAS) and lower not in TITLE_WORDS and lower not in ROLE_HEADS


def add_appositive(mention: Mention, text: str, tokens: list[Token], start: int, end: int) -> None:
    """Take the title words and, when the mention has none yet, the role of an appositive.
    A clause after the name (", backed the sheriff.") is no appositive and adds nothing."""
    if start < end and _verb_like(tokens[start][0]):
        return
    mention.titles = mention.titles + [tokens[k][0].lower().strip(".") for k in range(start, end)]
    if mention.role is None:
        mention.role = appositive_role(text, tokens, start, end)


def looks_appositive(tokens: list[Token], start: int, end: int) -> bool:
    """Whether tokens[start:end] (between commas) reads as an appositive, not a subject."""
    if end <= start:
        return False
    words = [tokens[k][0] for k in range(start, end)]
    first = words[0]
    if first[:1].islower():
        return True  # "the mayor of Newark", "acting director of ...", "who ...", "asked if ..."
    if _PARTY_TAG.match(first) or first.isdigit():
        return True  # "D-Austin", an age
    if first.lower() in TITLE_WORDS or words[-1].lower() in TITLE_WORDS or words[-1].lower() in ROLE_HEADS:
        return True  # "President of the Board", "Chicago Corporation Counsel"
    if len(words) <= 2 and all(w.isupper() or _is_name_token(w) for w in words) and len("".join(words)) <= 3:
        return True  # a state: "NJ", "Calif."
    return False


def subject_left(text: str, tokens: list[Token], verb: int, low: int) -> Mention | None:
    """The speaker phrase before the verb at `verb`, looking no further left than `low`."""
    end = _strip_before_verb(tokens, verb, low)
    if end <= low:
        return None
    before = tokens[end - 1][0]
    if before in PRONOUNS:
        if end - 2 >= low and not _clause_edge(tokens[end - 2][0]):
            return None
        return make_mention(text, tokens, end - 1, end)
    if before == ",":
        return _subject_across_appositives(text, tokens, end - 1, low)
    start = np_left(tokens, end, low)
    if start == end:
        return None
    # "according to ..., Sessions said" is fine; "the letters sent by an official under Sessions
    # warn" is not: the phrase must begin a clause.
    if start - 1 >= low and tokens[start - 1][0].lower() in ("of", "for", "at") and start - 2 >= low:
        # "the head of the agency said", "a spokeswoman for the mayor said"
        outer = np_left(tokens, start - 1, low)
        if outer < start - 1 and tokens[start - 2][0].lower() in ROLE_HEADS and (outer == low or _clause_edge(tokens[outer - 1][0])):
            mention = make_mention(text, tokens, outer, end)
            if mention is not None and mention.kind != "name":
                return mention
    if start - 1 >= low and not _clause_edge(tokens[start - 1][0]):
        start = _role_modifiers_left(tokens, start, end, low)
        if start is None:
            return None
    return make_mention(text, tokens, start, end)


def _role_modifiers_left(tokens: list[Token], start: int, end: int, low: int) -> int | None:
    """Extend a role phrase over up to three lower-case modifiers that open its clause:
    "law enforcement officials said". None when no clause edge is reached."""
    if tokens[end - 1][0].lower() not in ROLE_HEADS or tokens[start][0].lower() in DETERMINERS:
        return None  # a determiner opens its phrase: "sent a letter" is no speaker
    k = start
    while k - 1 >= low and start - k < 3:
        word = tokens[k - 1][0]
        if not (word.isalpha() and word.islower()) or word in _SENTENCE_WORDS or word in CUE_LEMMAS:
            break
        k -= 1
    if k == start or (k - 1 >= low and not _clause_edge(tokens[k - 1][0])):
        return None
    return k


_CLAUSE_OPENERS = frozenset(
    """
    and but or so that while when as because although though after before since if where then
    yet meanwhile also whereas once until unless what who which how why whom nor
    """.split()
)


def _clause_edge(word: str) -> bool:
    """Whether a speaker phrase may begin right after `word`: punctuation or a clause opener."""
    return not word[0].isalnum() or word[0].isdigit() or word.lower() in _CLAUSE_OPENERS or word.lower() in _TIME_WORDS


def _subject_across_appositives(text: str, tokens: list[Token], comma: int, low: int) -> Mention | None:
    """`NAME, APPOSITIVE[, APPOSITIVE], VERB`: the speaker is the phrase before the appositives."""
    chunks: list[tuple[int, int]] = []
    right = comma
    j = comma - 1
    while j >= low:
        if tokens[j][0] == ",":
            chunks.append((j + 1, right))
            right = j
        j -= 1
    chunks.append((low, right))
    # chunks run right to left; the last one holds the clause start.
    appositives: list[tuple[int, int]] = []  # left to right once the subject is reached
    for index, (start, end) in enumerate(chunks):
        if index < len(chunks) - 1 and looks_appositive(tokens, start, end):
            appositives.insert(0, (start, end))
            continue
        np_start = np_left(tokens, end, start)
        if np_start == end:
            return None
        # The subject must start its chunk (after any leading conjunction or intro word).
        lead = np_start
        while lead > start and tokens[lead - 1][0].lower() in ("and", "but", "so", "then", "while", "as", "that"):
            lead -= 1
        if lead != start and not (index == len(chunks) - 1 and _only_intro(tokens, start, np_start)):
            return None
        mention = make_mention(text, tokens, np_start, end)
        if mention is None:
            return None
        for start, end in appositives:
            add_appositive(mention, text, tokens, start, end)
        return mention
    return None


def _only_intro(tokens: list[Token], start: int, end: int) -> bool:
    """Whether tokens[start:end] is a run of conjunctions and clause openers only."""
    return all(tokens[k][0].lower() in ("and", "but", "so", "then", "while", "as", "that", "when", "because", "since", "if") for k in range(start, end))


def subject_right(text: str, tokens: list[Token], verb: int, high: int) -> Mention | None:
    """The speaker phrase after the verb at `verb` ("said Sessions", "said the mayor")."""
    begin = verb + 1
    if lemma_of(tokens, verb) == "accord":
        begin += 1  # "according to"
    if begin >= high:
        return None
    if tokens[begin][0] in PRONOUNS:
        return make_mention(text, tokens, begin, begin + 1)
    end = np_right(tokens, begin, high)
    mention = make_mention(text, tokens, begin, end)
    if mention is None:
        return _name_after_comma(text, tokens, begin, high)
    # An appositive after the name: ", the Finney County administrator", ", D-Austin".
    if end < high and tokens[end][0] == ",":
        stop = end + 1
        while stop < high and tokens[stop][0] not in (",", ".", ";", ":", "--", "\u2014", "\u2013") and tokens[stop][0] not in "\"\u201c\u201d":
            stop += 1
        if looks_appositive(tokens, end + 1, stop):
            add_appositive(mention, text, tokens, end + 1, stop)
            # A second appositive after an age or a party: "Rosa Roe, 52, a resident of ...".
            if mention.role is None and stop < high and tokens[stop][0] == ",":
                after = stop + 1
                while after < high and tokens[after][0] not in (",", ".", ";", ":", "--", "\u2014", "\u2013") and tokens[after][0] not in "\"\u201c\u201d":
                    after += 1
                if looks_appositive(tokens, stop + 1, after):
                    add_appositive(mention, text, tokens, stop + 1, after)
        elif mention.kind == "role":
            # "said Roe's lawyer, Sam Ito": the name in commas names the role.
            named = make_mention(text, tokens, end + 1, stop)
            if named is not None and named.kind == "name" and np_right(tokens, end + 1, stop) == stop:
                named.titles = named.titles + mention.titles
                named.role = named.role or mention.role
                return named
    return mention


def _name_after_comma(text: str, tokens: list[Token], begin: int, high: int) -> Mention | None:
    """'said one of them, Rosa Roe, a nurse': a name set off by commas after a phrase that
    names no one, with its appositive."""
    comma = next((k for k in range(begin, min(high, begin + 6)) if tokens[k][0] == ","), None)
    if comma is None or comma == begin:
        return None
    end = np_right(tokens, comma + 1, high)
    named = make_mention(text, tokens, comma + 1, end)
    if named is None or named.kind != "name" or (end < high and tokens[end][0] not in (",", ".", ";")):
        return None
    attach_appositive(named, text, tokens, end, high)
    return named


def appositive_bounds(tokens: list[Token], end: int, high: int) -> tuple[int, int] | None:
    """(start, stop) token indices of an appositive right after a phrase that ends at `end`."""
    if end < high and tokens[end][0] == ",":
        stop = end + 1
        while stop < high and tokens[stop][0] not in (",", ".", ";", ":"):
            stop += 1
        if looks_appositive(tokens, end + 1, stop):
            return end + 1, stop
    return None


def attach_appositive(mention: Mention, text: str, tokens: list[Token], end: int, high: int) -> None:
    """Give `mention`, which ends at token `end`, the titles and role of an appositive after it."""
    bounds = appositive_bounds(tokens, end, high)
    if bounds is not None:
        add_appositive(mention, text, tokens, *bounds)


def clause_subject(text: str, tokens: list[Token], low: int, high: int) -> Mention | None:
    """The subject of the clause that starts at `low`: skips intro phrases ("In a statement,")."""
    start = low
    # Skip leading intro chunks that end in a comma.
    while start < high and tokens[start][0].lower() in _INTRO_WORDS:
        comma = start
        while comma < high and tokens[comma][0] != ",":
            comma += 1
        if comma >= high:
            break
        start = comma + 1
    if start >= high:
        return None
    if tokens[start][0] in PRONOUNS:
        return make_mention(text, tokens, start, start + 1)
    end = np_right(tokens, start, high)
    mention = make_mention(text, tokens, start, end)
    if mention is None or mention.kind == "role":
        # "The county's lawyer, Priya Raman, said" / "Her rival, Sheriff Oscar Lund, disagreed":
        # a name set off by commas after the phrase is the subject.
        comma = end
        while comma < min(high, end + 3) and tokens[comma][0].isalpha() and tokens[comma][0].islower():
            comma += 1
        if comma < high and tokens[comma][0] == ",":
            stop = comma + 1
            while stop < high and tokens[stop][0] != ",":
                stop += 1
            if stop < high and np_right(tokens, comma + 1, stop) == stop:
                named = make_mention(text, tokens, comma + 1, stop)
                if named is not None and named.kind == "name":
                    named.titles = named.titles + [tokens[k][0].lower() for k in range(start, comma)]
                    named.role = named.role or role_phrase(text, tokens, start, comma)
                    return named
    if mention is not None:
        attach_appositive(mention, text, tokens, end, high)
    return mention
