"""Realistic rows for batch benchmarks: an archive of quotes about the sanctuary-funding fight.

Every quote is assembled from clauses, so a million rows hold a million mostly distinct texts
with a newsroom's vocabulary (not a few hundred repeated strings a cache would make trivial).
Speakers are invented names. Some quotes carry embedded newlines, commas and double quotes,
as CMS exports do.
"""

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta

FIRST = ("Maria", "James", "Ana", "Robert", "Lena", "David", "Priya", "Tom", "Grace", "Omar",
         "Elena", "Frank", "Nadia", "Victor", "Hannah", "Luis", "Ruth", "Samuel", "Ivy", "Carl")
LAST = ("Alvarez", "Whitcombe", "Okafor", "Brandt", "Castellanos", "Hale", "Nakamura", "Pruitt",
        "Delacroix", "Ferro", "Lindqvist", "Mbeki", "Ostrowski", "Quintero", "Radcliffe", "Sato")
ROLES = ("mayor of", "police chief of", "city attorney of", "county sheriff of", "governor of",
         "council member in", "spokeswoman for the mayor of", "state attorney general of")
PLACES = ("Riverton", "Port Ellis", "Marlow County", "New Hartford", "Cedar Falls", "Bellmont",
          "Lake Arden", "San Teodoro", "Fairhaven", "the state")
OPENERS = (
    "We will not", "Our city will never", "The administration will", "Cities that refuse to",
    "This order does not", "Our officers are not going to", "The Justice Department intends to",
    "We are reviewing the guidance and will", "Nobody in this office will", "Sanctuary cities",
    "The federal government cannot", "Our residents deserve to", "These jurisdictions must",
    "The court has not yet decided whether to", "It is too early to say if we will",
)
VERBS = (
    "comply with federal immigration law", "cooperate with ICE detainers", "sue the administration",
    "protect immigrant families", "release dangerous criminals", "give up our federal grants",
    "back down from this fight", "follow the rule of law", "honor detainer requests",
    "defend our community trust policies", "cut off funding to sanctuary jurisdictions",
    "see them in court", "enforce the law", "coerce local police", "respond to the letter",
)
TAILS = (
    "because public safety depends on it", "no matter what Washington threatens",
    "and we expect every city to do the same", "under the Tenth Amendment",
    "until a judge tells us otherwise", "and taxpayers should not foot the bill",
    "while we study the grant conditions", "as required by 8 U.S.C. 1373",
    "since the Byrne JAG money is at stake", "and that is simply unconstitutional",
    "without putting our residents at risk", "after the hearing on Tuesday",
    "which is what the voters asked for", "and nothing about that has changed",
)
NOTES = ("press conference", "statement emailed to reporters", "interview", "tweet",
         "city council meeting", "court filing", "radio interview", "op-ed", "rally remarks")


def make_quote(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        words = f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {rng.choice(TAILS)}"
        if rng.random() < 0.3:
            words += f", {rng.choice(PLACES)} {rng.choice(('included', 'or not', 'first', 'today'))}"
        if rng.random() < 0.15:
            amount = rng.randint(1, 400)
            words += f", and the ${amount} million in grants"
        sentences.append(words + rng.choice((".", ".", "!", "?")))
    quote = " ".join(sentences)
    roll = rng.random()
    if roll < 0.05:
        quote = quote.replace(". ", ".\n", 1)
    elif roll < 0.08:
        quote = f'{quote} He called it "{rng.choice(("lawless", "cruel", "overdue", "a start"))}."'
    return quote


def rows(count: int, seed: int = 0) -> Iterator[list[str]]:
    """`count` rows of id, speaker, role, date, quote, notes."""
    rng = random.Random(seed)
    start = date(2017, 1, 1)
    for number in range(1, count + 1):
        speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        role = f"{rng.choice(ROLES)} {rng.choice(PLACES)}"
        day = start + timedelta(days=rng.randint(0, 1460))
        note = f"{rng.choice(NOTES)}, {rng.choice(PLACES)}; transcribed by desk {rng.randint(1, 40)}"
        yield [str(number), speaker, role, day.isoformat(), make_quote(rng), note]


def write_csv(path: str, count: int, seed: int = 0, text_column: str = "quote") -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "speaker", "role", "date", text_column, "notes"])
        writer.writerows(rows(count, seed))
