"""Cue phrases that each side of the dispute uses, grouped by argument, and how often a text holds them.

Kept apart from `model.cues` (the scikit-learn transformer that turns the counts into
features) so code that only counts, such as the batch scoring workers, needs no scikit-learn.
"""

import re

from quote_stance.model.text import normalize

CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    # Support: attacks on sanctuary policies and the people they are said to shield.
    "support:attack": (
        r"illegal aliens?", r"criminal aliens?", r"illegal immigrants?", r"illegals\b", r"lawless",
        r"release[sd]? (?:dangerous|violent|criminal)", r"dangerous criminals", r"harbou?r(?:ing|s)?\b",
        r"shield(?:ing|s)? (?:criminal|illegal|dangerous)", r"open borders?", r"pro-criminal",
        r"sanctuary (?:polic\w+|cit\w+|jurisdictions?|states?) (?:endanger|put|protect criminals|are dangerous)",
        r"endanger\w*", r"put(?:s|ting)? (?:americans|residents|citizens|our communities|the public) at risk",
        r"victims? of (?:illegal|criminal)", r"(?:preventable|senseless) (?:death|tragedy|murder)",
        r"back (?:on|onto|into) the streets?", r"let (?:him|them|criminals) (?:go|walk)", r"flout\w*",
        r"defy(?:ing)? federal", r"obstruct\w*", r"judicial activism", r"(?:single|one|unelected|activist) (?:district )?judge",
        r"nationwide injunction",
    ),
    # Support: the law, compliance and consequences.
    "support:law": (
        r"rule of law", r"comply with (?:federal )?(?:immigration )?laws?", r"follow(?:ing)? the law",
        r"obey(?:ing)? the law", r"abide by", r"federal law is clear", r"taxpayers?", r"consequences",
        r"accountab\w+", r"honou?r (?:ice )?detainers?", r"cooperat\w* with (?:ice|federal immigration)",
        r"no more sanctuary", r"end(?:ing)? sanctuary", r"ban(?:ning|s)? sanctuary", r"outlaw\w* sanctuary",
        r"americans? first", r"defund", r"cut off (?:their )?(?:federal )?funding", r"less safe",
        r"force multiplier", r"287\(g\)", r"(?:applaud|commend|welcome|praise)\w* (?:the )?(?:attorney general|justice department|administration|president|ruling|decision|court)",
        r"(?:upheld|uphold\w*) (?:the )?(?:conditions|law|sb4|ban)", r"(?:common|basic) sense",
    ),
    # Oppose: legal arguments against the conditions.
    "oppose:legal": (
        r"unconstitutional", r"overreach", r"coerc\w+", r"commandeer\w*", r"tenth amendment",
        r"10th amendment", r"separation of powers", r"spending clause", r"unlawful", r"exceed\w* (?:its|his|their) authority",
        r"(?:congress|the statute) (?:never|did not|didn't|does not|doesn't) (?:authoriz|allow|give|grant)\w*",
        r"power of the purse", r"not warrants?", r"fourth amendment", r"without (?:a )?(?:judicial )?warrant",
        r"(?:struck|strike|strikes|blocked|blocks|block) (?:down )?(?:the )?(?:conditions|order|policy|rule)",
        r"arbitrary and capricious", r"lacks? (?:the )?(?:constitutional )?authority",
    ),
    # Oppose: attacks on the administration, its words and its tactics.
    "oppose:attack": (
        r"fear-?mongering", r"un-?american", r"xenophob\w+", r"draconian", r"cruel\w*", r"blackmail",
        r"scapegoat\w*", r"racis\w+", r"hateful", r"demoniz\w+", r"divisive", r"extort\w*", r"ransom",
        r"bull(?:y|ies|ied|ying)", r"misguided", r"(?:political|cheap) stunt", r"shaming", r"nativis\w+",
        r"deportation (?:machine|dragnet|force)", r"(?:mass )?deportation agenda", r"anti-immigrant",
        r"punish\w* (?:cities|states|jurisdictions|communities)", r"threats?\b", r"intimidat\w+",
        r"sweeps? too broadly", r"exploit\w* (?:a )?traged\w+",
    ),
    # Oppose: defence of sanctuary policies and vows to resist.
    "oppose:resist": (
        r"undocumented", r"immigrant (?:families|communities|neighbors|residents|community)",
        r"(?:community|public) trust", r"trust (?:between|with|of)", r"see (?:you|them|him) in court",
        r"\bsu(?:e|ing|ed)\b", r"lawsuit", r"welcoming (?:city|community|county|state)",
        r"stand (?:with|by) (?:our )?immigrants?", r"(?:won't|will not|refuse to|never) (?:comply|cooperate|back down|be intimidated|be bullied|bow|cave)",
        r"resist\w*", r"protect (?:our )?(?:residents|immigrants|families|neighbors|communities)",
        r"victory for", r"(?:remain|stay|still) a sanctuary", r"come forward", r"report crimes?",
        r"live in fear", r"in the shadows", r"(?:our|these) values", r"keep (?:families|communities) together",
    ),
    # Neutral: procedure, review and reporting without a side.
    "neutral:procedure": (
        r"review(?:ing)? (?:the|its|that|this)", r"no comment", r"declined? to comment", r"(?:is|was|are|were) scheduled",
        r"hearing (?:on|is|was|will)", r"oral arguments?", r"we are (?:evaluating|reviewing|studying|assessing|looking)",
        r"too early to", r"\bguidance\b", r"according to", r"the (?:court|judge) (?:will|has not|did not)",
        r"we'll (?:see|know)", r"no decision", r"remains? unclear", r"it is unclear", r"(?:will|would) (?:honor|follow) (?:it|whatever)",
        r"(?:applications?|deadline|due) (?:are|is)? ?(?:due|by)", r"the (?:agreement|ordinance|law|order) (?:requires|prohibits|says|directs)",
        r"either way", r"both sides", r"waiting (?:for|to see)",
    ),
}

_COMPILED = {
    group: re.compile("|".join(f"(?:{p})" for p in patterns))
    for group, patterns in CUE_PATTERNS.items()
}
CUE_GROUPS: tuple[str, ...] = tuple(CUE_PATTERNS)
# The compiled pattern of each group, in `CUE_GROUPS` order: what the features count.
CUE_REGEXES = _COMPILED


def count_cues(text: str) -> dict[str, int]:
    """How many cue phrases of each group the text holds."""
    normalised = normalize(text)
    return {group: len(pattern.findall(normalised)) for group, pattern in _COMPILED.items()}
