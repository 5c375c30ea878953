"""Name the speaker of each quote: resolve pronouns and roles, find the fullest name.

Every person the article names with a capitalised phrase is an `Entity`, keyed by surname,
with the forms of the name and the title words seen with it. Reporting verbs and sentence
subjects, in text order, make the timeline a pronoun looks back along ("he" goes to the last
speaker or subject who is not known to be "she"); a role ("the mayor") goes to the last
person seen with that title; an unnamed role ("a senior official") is its own entity.
"""

import bisect
from dataclasses import dataclass, field

from quote_stance.quotes.article import Article
from quote_stance.quotes.quote_marks import ALL_MARKS
from quote_stance.quotes.speakers import (
    BODY_WORDS,
    DOCUMENT_HEADS,
    ORG_WORDS,
    PRONOUNS,
    Cue,
    Mention,
    Token,
    attach_appositive,
    clause_subject,
    make_mention,
    np_right,
)

_FEMALE = frozenset({"mrs", "ms", "miss", "spokeswoman", "congresswoman", "chairwoman", "councilwoman", "assemblywoman", "alderwoman", "businesswoman", "she"})
_MALE = frozenset({"mr", "spokesman", "congressman", "chairman", "councilman", "assemblyman", "alderman", "businessman", "he"})


# Two roles noted this close together, one inside the other, come from one mention.
SAME_MENTION_CHARS = 40


@dataclass
class Entity:
    """A person (or body) the article names, with every form of the name and its titles."""

    names: list[tuple[int, str]] = field(default_factory=list)  # (position, name as written), in order
    titles: set[str] = field(default_factory=set)
    gender: str | None = None
    kind: str = "name"
    full: list[tuple[int, str]] = field(default_factory=list)  # the forms with a first name
    roles: list[tuple[int, str]] = field(default_factory=list)  # (position, role as written), in order

    def add(self, position: int, name: str) -> None:
        bisect.insort(self.names, (position, name))
        if len(name.split()) > 1:
            bisect.insort(self.full, (position, name))

    def add_role(self, position: int, role: str | None) -> None:
        """Note a role given at `position`. One mention read twice ("Mayor Roe" and, from its
        sentence, "former Mayor Roe") keeps the longer form."""
        if not role or (position, role) in self.roles:
            return
        for k, (at, known) in enumerate(self.roles):
            if abs(at - position) <= SAME_MENTION_CHARS and (known in role or role in known):
                if len(role) > len(known):
                    del self.roles[k]
                    break
                return
        bisect.insort(self.roles, (position, role))

    def role_at(self, position: int) -> str | None:
        """The role last given before `position`, else the first one given after it: a title
        is carried to every later mention ("Mayor Jane Roe ... Roe said")."""
        if not self.roles:
            return None
        k = bisect.bisect_right(self.roles, (position, "\uffff"))
        return self.roles[k - 1][1] if k else self.roles[0][1]

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


# Marks of a government body: what "the agency" may stand for ("ICE", "the Department of Labor").
_GOVERNMENT_WORDS = frozenset({"department", "agency", "administration", "bureau", "office", "service", "services", "enforcement", "patrol", "commission", "ministry", "police", "ice", "dhs", "doj", "fbi", "cbp", "uscis", "dea", "atf", "fema", "ins", "board", "council", "supervisors", "legislature", "senate", "house", "assembly", "court", "county", "city", "state", "government", "sheriff's", "sheriff"})
# Heads that any body not of the government answers to: "the group", "the organization".
_ADVOCACY_HEADS = frozenset({"group", "organization", "organisation", "nonprofit", "coalition"})


@dataclass(frozen=True)
class Speaker:
    """A quote's speaker: the name as written near it, the fullest name, and the role."""

    name: str | None
    full: str | None
    role: str | None


def _body_fits(head: str, entity: Entity) -> bool:
    """Whether "the `head`" may name the body `entity`: its own word ("the department" for the
    Justice Department), "the agency" for a government body, "the group" for any other."""
    words = {word.lower().strip(".,") for _, name in entity.names for word in name.split()}
    if head in words:
        return True
    government = bool(words & _GOVERNMENT_WORDS)
    if head == "agency":
        return government
    if head in _ADVOCACY_HEADS:
        return not government
    return False


# Abbreviated and gendered titles, and the words a later description uses for them
# ("Gov. Jane Roe ... the governor said", "Councilwoman Roe ... the council member").
_TITLE_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "gov": ("governor",), "sen": ("senator", "lawmaker"), "senator": ("lawmaker",),
    "rep": ("representative", "congressman", "congresswoman", "lawmaker"),
    "representative": ("congressman", "congresswoman", "lawmaker"),
    "congressman": ("representative", "lawmaker"), "congresswoman": ("representative", "lawmaker"),
    "assemblyman": ("lawmaker",), "assemblywoman": ("lawmaker",), "assemblymember": ("lawmaker",),
    "atty": ("attorney",), "supt": ("superintendent",), "lt": ("lieutenant",), "gen": ("general",),
    "sec": ("secretary",), "dep": ("deputy",), "asst": ("assistant",), "det": ("detective",),
    "sgt": ("sergeant",), "capt": ("captain",), "cmdr": ("commander",), "adm": ("admiral",),
    "councilman": ("councilmember", "member"), "councilwoman": ("councilmember", "member"),
    "councilmember": ("member",), "alderman": ("member",), "alderwoman": ("member",),
    "chairman": ("chair",), "chairwoman": ("chair",), "chairperson": ("chair",),
    "spokesman": ("spokesperson",), "spokeswoman": ("spokesperson",),
    "ag": ("attorney", "general"), "da": ("attorney", "prosecutor"),
}


def _with_equivalents(titles: list[str]) -> set[str]:
    found = set(titles)
    for title in titles:
        found.update(_TITLE_EQUIVALENTS.get(title, ()))
    return found


# How far below a headline's bare title ("Sheriff: ...") the story may name the person.
HEADLINE_REACH = 400

# People passed over, looking back from a pronoun, for one known to be of its gender.
GENDER_LOOKBACK = 2


class Resolver:
    """Names people and resolves "he" and "the mayor" to the last fitting speaker before them."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.entities: dict[str, Entity] = {}
        self.events: list[tuple[int, Entity]] = []  # (position, entity): who spoke when, in order
        self.event_positions: list[int] = []
        self._collect_names()
        self._collect_speakers()

    def _register(self, mention: Mention, position: int) -> Entity | None:
        if mention.kind == "name" and mention.name:
            key = _surname(mention.name)
            entity = self.entities.setdefault(key, Entity())
            entity.add(position, mention.name)
        elif mention.kind == "org":
            name = _strip_determiner(mention.text)
            entity = self.entities.setdefault("org:" + name.lower(), Entity(kind="org"))
            entity.add(position, name)
        elif mention.kind == "role" and not _definite(mention.text):
            entity = self.entities.setdefault("role:" + mention.text.lower(), Entity(kind="role"))
            entity.add(position, mention.text)
        else:
            return None
        entity.titles.update(_with_equivalents(mention.titles))
        entity.titles.add(mention.head)
        entity.add_role(position, mention.role)
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
                    end = np_right(tokens, i, len(tokens))
                    if end > i:
                        run = tokens[i:end]
                        for k, (word, first_at, last_at) in enumerate(run):
                            if word.endswith(("'s", "\u2019s")) and len(word) > 2:
                                # "Judge William H. Orrick's decision" names Orrick too.
                                run = run[:k] + [(word[:-2], first_at, last_at - 2)]
                                break
                        mention = make_mention(article.text, run, 0, len(run))
                        if mention is not None and mention.kind == "org" and not _proper_body(mention):
                            i += 1  # "The judge let the Justice Department": read on for the body
                            continue
                        if mention is not None and _joint(mention):
                            self._register_each(run, mention)
                        elif mention is not None and mention.kind in ("name", "org"):
                            attach_appositive(mention, article.text, tokens, end, len(tokens))
                            self._register(mention, tokens[i][1])
                        elif mention is None:
                            # "The Eastvale chapter of the American Civil Liberties Union": read
                            # on after the "of" for the body it names.
                            joint = next((k for k in range(i + 1, end) if tokens[k][0] in ("of", "for")), None)
                            if joint is not None:
                                i = joint + 1
                                continue
                        i = end
                        continue
                i += 1

    def _register_each(self, run: list[Token], mention: Mention) -> None:
        """"Supervisors Walter Renner and Paula Fenn": each person, with the title in the singular."""
        text = self.article.text
        role = _singular(mention.role)
        parts: list[list[Token]] = [[]]
        for token in run:
            if token[0] in ("and", "&"):
                parts.append([])
            else:
                parts[-1].append(token)
        for part in parts:
            person = make_mention(text, part, 0, len(part)) if part else None
            if person is None or person.kind != "name" or _joint(person):
                continue
            person.role = role if person.role in (None, mention.role) else person.role
            person.titles = person.titles + [title.removesuffix("s") for title in mention.titles]
            self._register(person, part[0][1])

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
                if subject is not None and subject.kind in ("name", "org"):
                    items.append((subject.start, subject, None, index))
        items.sort(key=lambda item: item[0])
        self.events.clear()
        self.event_positions.clear()
        for position, mention, cue, index in items:
            if mention.kind == "org" or (mention.kind == "role" and not _definite(mention.text)):
                self._register(mention, position)  # "A senior county official ... said"
            if _joint(mention):
                # "Roe and Ito said": together they are what a later "they" points to; a role
                # given to both ("Two county commissioners, Roe and Ito,") is each one's.
                entity = self.entities.setdefault("joint:" + mention.name.lower(), Entity(kind="joint"))
                entity.add(position, mention.name)
                for name in mention.name.replace(" & ", " and ").split(" and "):
                    person = self.entities.get(_surname(name)) if name.strip() else None
                    if person is not None:
                        person.add_role(position, _singular(mention.role))
            else:
                entity = self._entity_for(mention, position)
            if entity is None:
                continue
            self.events.append((position, entity))
            self.event_positions.append(position)
            if cue is not None and mention.kind == "name" and mention.start < cue.start:
                self._learn_gender(entity, article.tokens[index], cue)

    @staticmethod
    def _learn_gender(entity: Entity, tokens: list[Token], cue: Cue) -> None:
        """"Quintero said she is ready": the pronoun opening the reported clause is the speaker."""
        k = bisect.bisect_left(tokens, cue.start, key=lambda token: token[1]) + 1
        if k < len(tokens) and tokens[k][0] == "that":
            k += 1
        if k < len(tokens) and tokens[k][0] in ("he", "she") and entity.gender is None:
            entity.gender = tokens[k][0]

    def _entity_for(self, mention: Mention, position: int) -> Entity | None:
        if mention.kind == "name" and mention.name:
            entity = self.entities.get(_surname(mention.name))
            if entity is not None:
                entity.titles.update(_with_equivalents(mention.titles))
                entity.add_role(mention.start, mention.role)
            return entity
        if mention.kind == "org":
            return self.entities.get("org:" + _strip_determiner(mention.text).lower())
        if mention.kind == "pronoun":
            if mention.text.lower() == "it":
                body = self._body_in_sentence(mention.start)
                if body is not None:
                    return body  # "allowing the department to file ... on the condition that it vows"
            return self._last_speaker(position, mention.text.lower())
        if _definite(mention.text):
            return self._by_role(mention, position)
        return self.entities.get("role:" + mention.text.lower())

    def _person_after(self, mention: Mention) -> Entity | None:
        """The first person named after `mention`, within `HEADLINE_REACH` characters, who holds
        its title."""
        best: tuple[int, Entity] | None = None
        for entity in self.entities.values():
            if entity.kind != "name" or mention.head not in entity.titles:
                continue
            k = bisect.bisect_left(entity.names, (mention.end, ""))
            if k < len(entity.names) and entity.names[k][0] - mention.end <= HEADLINE_REACH and (best is None or entity.names[k][0] < best[0]):
                best = (entity.names[k][0], entity)
        return best[1] if best else None

    def _body_in_sentence(self, position: int) -> Entity | None:
        """The body named last before `position` in its own sentence, if any."""
        sentence_start = self.article.sentences[self.article.sentence_at(position)][0]
        best: tuple[int, Entity] | None = None
        for entity in self.entities.values():
            if entity.kind != "org":
                continue
            k = bisect.bisect_left(entity.names, (position, ""))
            if k and entity.names[k - 1][0] >= sentence_start and (best is None or entity.names[k - 1][0] > best[0]):
                best = (entity.names[k - 1][0], entity)
        return best[1] if best else None

    def _last_speaker(self, position: int, pronoun: str) -> Entity | None:
        """The last fitting speaker or subject before `position`. For "he" or "she", a person
        whose gender is unknown yields to one of the pronoun's gender among the next
        `GENDER_LOOKBACK` people further back ("Councilwoman Roe voted yes. Supervisor Ito
        voted no. 'quote,' she said" is Roe's)."""
        first = self._last_fitting(position, pronoun)
        if first is None or pronoun not in ("he", "she") or first.gender is not None or first.kind != "name":
            return first
        seen = {id(first)}
        k = bisect.bisect_left(self.event_positions, position)
        for _, entity in reversed(self.events[max(0, k - 200):k]):
            if entity.kind != "name" or id(entity) in seen:
                continue
            if entity.gender == pronoun:
                return entity
            seen.add(id(entity))
            if len(seen) > GENDER_LOOKBACK:
                break
        return first

    def _last_fitting(self, position: int, pronoun: str) -> Entity | None:
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
            if pronoun != "they" and entity.kind == "joint":
                continue
            return entity
        return None

    def _by_role(self, mention: Mention, position: int) -> Entity | None:
        head = mention.head
        # "the department", "the ruling" name a body or a document, never a person who works there.
        wants_body = head in ORG_WORDS or head in BODY_WORDS
        wants_person = not wants_body and head not in DOCUMENT_HEADS
        best: tuple[int, Entity] | None = None
        for entity in self.entities.values():
            if entity.kind == "org" and wants_body:
                if not _body_fits(head, entity):
                    continue
            elif head not in entity.titles or (entity.kind == "org" and wants_person) or (entity.kind == "name" and not wants_person):
                continue
            k = bisect.bisect_left(entity.names, (position, ""))
            if k and (best is None or entity.names[k - 1][0] > best[0]):
                best = (entity.names[k - 1][0], entity)
        return best[1] if best else None

    def resolve(self, mention: Mention | None, position: int) -> Speaker:
        """Who said the quote at `position` whose attribution is `mention`."""
        if mention is None:
            return Speaker(None, None, None)
        if _joint(mention):
            return Speaker(mention.name, mention.name, None)  # two people: no one name or role
        if mention.kind == "name" and mention.name:
            entity = self.entities.get(_surname(mention.name))
            if entity is None:
                return Speaker(mention.name, mention.name, mention.role)
            at = max(position, mention.end)
            return Speaker(mention.name, entity.fullest(at), mention.role or entity.role_at(at))
        entity = self._entity_for(mention, position)
        if entity is None and mention.kind == "role" and mention.words_capitalised:
            # A headline ("Sheriff: 'We will not comply'") names its speaker in the story below.
            entity = self._person_after(mention)
        if entity is None:
            if mention.kind == "pronoun":
                return Speaker(None, None, None)
            written = _strip_determiner(mention.text) if mention.kind == "org" else mention.text
            return Speaker(written, written, mention.role)
        # "the mayor said": the role the article gave the person named earlier, else the words.
        return Speaker(entity.name_before(position), entity.fullest(position), entity.role_at(position) or mention.role)


def _singular(role: str | None) -> str | None:
    """A role shared by two people, for one: "Supervisors" -> "Supervisor"."""
    if role and role.endswith("s") and not role.endswith("ss"):
        return role[:-1]
    return role


def _proper_body(mention: Mention) -> bool:
    """A body's name in capitals ("the Justice Department", "Department of Homeland Security"),
    not a run that took in lower-case words."""
    words = _strip_determiner(mention.text).split()
    return all(word[:1].isupper() or word in ("of", "for", "and", "&", "the", "on") for word in words)


def _joint(mention: Mention) -> bool:
    """Whether a name mention names two people: "Roe and Ito", "Roe & Ito"."""
    return mention.kind == "name" and bool(mention.name) and (" and " in mention.name or " & " in mention.name)


def _surname(name: str) -> str:
    words = [w for w in name.split() if w.lower().strip(".") not in ("jr", "sr", "ii", "iii", "iv")]
    return (words[-1] if words else name).lower().strip(".,")


def _definite(phrase: str) -> bool:
    return phrase.split()[0].lower() in ("the", "this", "that") if phrase.split() else False


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() in ("the", "a", "an") else phrase
