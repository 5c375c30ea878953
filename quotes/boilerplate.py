"""Page furniture, bylines, credits and datelines: text around an article that names no speaker.

Copy pasted from a news page carries lines that are not the story: "ADVERTISEMENT", a byline
("By Jane Roe and Sam Ito"), a photo credit ("Jane Roe/Getty Images", "(AP Photo/Jane Roe)"),
a dateline ("WASHINGTON (Reuters) —"). Their names are no one's words, and a pronoun must not
reach back to a photographer, so the finder reads around them: `masked_ranges` gives the
character ranges to ignore, whole paragraphs or pieces of one.
"""

import re

# A paragraph that is page furniture as a whole (matched against the whole paragraph).
_FURNITURE_RE = re.compile(
    r"(?:advertisement|advertising|ad|sponsored(?: content)?|story continues(?: below)?(?: (?:the )?advertisement)?"
    r"|continue reading(?: (?:the )?(?:main )?story)?(?: below)?|read more(?: below)?|related(?: (?:stories|articles|coverage|content))?"
    r"|see also|more from [\w .'-]+|sign up[^.!?]*|subscribe[^.!?]*|click here[^.!?]*|share this( article| story)?|share|comments?"
    r"|listen to this article|supported by|skip to (?:main )?content|watch|video|play video|image|photo|photos|caption|close"
    r"|(?:updated|published|posted)(?: on)?\b[^.!?]{0,60}|\d+ min(?:ute)? read|getty images|file photo)[\s.:]*",
    re.IGNORECASE,
)
# Sign-offs: "Associated Press writer Jane Roe contributed to this report.", "Copyright 2026 ...",
# "Contact Jane Roe at jroe@example.com", "Follow her on Twitter @janeroe".
_SIGN_OFF_RE = re.compile(
    r"[^\n]{0,120}\bcontributed(?: to)?(?: this)?(?: report(?:ing)?| story| article)?[\s.]*"
    r"|(?:copyright|\u00a9)[^\n]{0,160}|[^\n]{0,120}all rights reserved[\s.]*"
    r"|(?:contact|email|e-mail|reach|follow)\b[^\n]{0,100}(?:@|\bat\s+\S+\.\w+|on (?:twitter|x|facebook|instagram))[^\n]{0,40}",
    re.IGNORECASE,
)
# A lead-in of furniture before other words: "Related: ...", "READ MORE: ...".
_FURNITURE_LEAD_RE = re.compile(r"(?:related|read more|see also|more|watch|listen|photos?|video)\s*:\s", re.IGNORECASE)
_WIRE = r"(?:AP|A\.P\.|Reuters|AFP|Associated Press|Bloomberg|UPI|CNN|Getty Images|Getty|EPA|Xinhua|Tribune News Service|TNS)"
# A byline: "By Jane Roe", "By Jane Roe and Sam Ito, Staff Writers", "By JANE ROE | Associated Press".
_BYLINE_RE = re.compile(r"by\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}(?:\s*(?:,|and|&|\||/)\s*[\w.'\u2019 -]+){0,4}", re.IGNORECASE)
# A credit or staff line on its own: "Staff Writer", "Associated Press", "The Associated Press contributed".
_STAFF_RE = re.compile(
    rf"(?:[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){{0,3}},\s+)?(?:the\s+)?(?:{_WIRE}|staff(?: writer| reporter)?s?|[\w ]{{0,30}}(?:correspondent|staff writer|contributing writer|reporter|editor)s?)"
    r"(?:\s+contributed(?: to)?(?: this)?(?: report(?:ing)?| story)?)?[\s.]*",
    re.IGNORECASE,
)
# Credit words: a paragraph that is short and holds one is a caption credit.
_CREDIT_WORD_RE = re.compile(
    rf"\b(?:photo(?:graph|grapher)?s?|image|credit|courtesy|illustration|file photo|pool photo)\b|/\s*{_WIRE}\b|\b{_WIRE}\s*/",
    re.IGNORECASE,
)
# "Jane Roe/Getty Images", "Jane Roe / The Brinmoor Ledger": a name, a slash, an outlet.
_NAME_SLASH_RE = re.compile(r"[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3}\s*[/|]\s*(?:The\s+)?[A-Z][\w.'\u2019&-]*(?:\s+[A-Z][\w.'\u2019&-]*){0,4}[\s.]*")
# "Jane Roe for The Brinmoor Ledger", "Jane Roe via Getty Images": a name working for an outlet.
_NAME_FOR_RE = re.compile(
    r"[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3}\s+(?:for|via)\s+(?:The\s+)?[A-Z][\w.'\u2019&-]*(?:\s+[A-Z][\w.'\u2019&-]*){0,4}"
    r"(?:\s+via\s+[A-Z][\w.'\u2019&-]*(?:\s+[A-Z][\w.'\u2019&-]*){0,3})?[\s.]*"
)
# A credit inside a caption: "(AP Photo/Jane Roe)", "(Photo by Jane Roe/Getty Images)", "Photo: Jane Roe/AP".
_INLINE_CREDIT_RE = re.compile(
    rf"\((?:[^()]{{0,40}}\b(?:photo|photograph|image|credit|courtesy|file)\b[^()]{{0,80}}|\s*{_WIRE}\s*(?:photo)?\s*)\)"
    rf"|\b(?:photo|photograph|image|credit)s?(?:\s+by|\s+credit)?\s*:\s*[^\n.]{{0,80}}?(?:/\s*{_WIRE}|/\s*[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){{0,3}})",
    re.IGNORECASE,
)
# A dateline opening the story: "WASHINGTON —", "BRINMOOR, Calif. (AP) --".
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z.'\u2019 -]{2,40})(?P<state>,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*(?P<wire>\([^()\n]{1,40}\)\s*)?(?:\u2014|\u2013|--|-)\s+"
)
DATELINE_PARAGRAPHS = 3  # a dateline opens the story, within its first paragraphs
MAX_CREDIT_WORDS = 15
MAX_FURNITURE_WORDS = 25
MAX_BYLINE_WORDS = 12
_QUOTE_CHARS = "\"\u201c\u201d\u201e\u00ab\u00bb"


def is_furniture(paragraph: str) -> bool:
    """Whether a whole paragraph is page furniture, a byline or a credit line."""
    stripped = paragraph.strip()
    if not stripped or any(mark in stripped for mark in _QUOTE_CHARS):
        return False
    words = stripped.split(maxsplit=MAX_FURNITURE_WORDS)
    if len(words) > MAX_FURNITURE_WORDS:
        return False  # a story paragraph: no furniture runs this long
    if _FURNITURE_RE.fullmatch(stripped) or _FURNITURE_LEAD_RE.match(stripped):
        return True
    if _SIGN_OFF_RE.fullmatch(stripped):
        return True
    if len(words) <= MAX_BYLINE_WORDS and (_BYLINE_RE.fullmatch(stripped) or _STAFF_RE.fullmatch(stripped)):
        return True
    if len(words) <= MAX_CREDIT_WORDS and (_NAME_SLASH_RE.fullmatch(stripped) or _NAME_FOR_RE.fullmatch(stripped) or _credit_line(stripped)):
        return True
    return False


def _credit_line(line: str) -> bool:
    """A short line that credits a picture: opens with a credit word ("Photo: ...", "Courtesy
    of ...") or holds one beside a slash ("Jane Roe/AP Photo"). "He posed for a photo." is not."""
    found = _CREDIT_WORD_RE.search(line)
    if found is None:
        return False
    return found.start() == 0 or "/" in line


def _is_dateline(found: re.Match) -> bool:
    """A place in capitals, with a state or a wire, or long enough not to be an acronym
    ("ICE - the agency - wrote" opens no dateline; "WASHINGTON -" does)."""
    place = found.group("place").strip()
    return bool(found.group("state") or found.group("wire")) or len(place) >= 5


def masked_ranges(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges that are not the story: whole furniture paragraphs, credits inside
    captions, and the dateline before the first sentence of a paragraph."""
    ranges: list[tuple[int, int]] = []
    for index, (first, last) in enumerate(paragraphs):
        paragraph = text[first:last]
        if is_furniture(paragraph):
            ranges.append((first, last))
            continue
        story = 0
        dateline = _DATELINE_RE.match(paragraph) if index < DATELINE_PARAGRAPHS else None
        if dateline is not None and _is_dateline(dateline) and any(c.islower() for c in paragraph[dateline.end():dateline.end() + 40]):
            ranges.append((first, first + dateline.end()))
            story = dateline.end()
        if "(" in paragraph or ":" in paragraph:  # an inline credit has one or the other
            for credit in _INLINE_CREDIT_RE.finditer(paragraph, story):
                ranges.append((first + credit.start(), first + credit.end()))
    ranges.sort()
    return ranges
