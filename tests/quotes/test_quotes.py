"""The quote finder on articles written for these tests (invented places and people)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_stance.quotes.finder import Quote, extract_quotes, find_quotes
from quote_stance.quotes.quote_marks import find_quote_spans
from quote_stance.quotes.sentences import paragraph_spans


def by_quote(text: str) -> dict[str, Quote]:
    return {q.quote: q for q in find_quotes(text)}


def check_offsets(text: str, quotes: list[Quote]) -> None:
    for q in quotes:
        assert text[q.start:q.end] == q.quote


def only(text: str) -> Quote:
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert len(quotes) == 1, quotes
    return quotes[0]


# --- marks ---------------------------------------------------------------------------------
def test_curly_and_straight_marks_and_exact_offsets():
    text = "\u201cWe will not trade the trust of our neighbors,\u201d Whitcombe said. \"Not now, not ever.\""
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [q.quote for q in quotes] == ["We will not trade the trust of our neighbors,", "Not now, not ever."]
    assert [q.speaker for q in quotes] == ["Whitcombe", "Whitcombe"]


def test_mismatched_marks_pair_by_position_not_glyph():
    # Opened curly, closed straight: common in pasted copy.
    text = "\u201cThese are the costs of the new law,\" Vance said. \"We will pay them.\u201d"
    quotes = find_quotes(text)
    assert [q.quote for q in quotes] == ["These are the costs of the new law,", "We will pay them."]
    assert {q.speaker for q in quotes} == {"Vance"}


def test_a_quote_over_several_paragraphs_is_found_paragraph_by_paragraph():
    text = (
        "\u201cThis is a good day for every family in Brinmoor,\u201d said Councilwoman Ingrid Saltonstall. "
        "\u201cWe kept our word.\n\n"
        "\u201cWe told people they could trust the police, and tonight we proved it.\n\n"
        "\u201cNobody here will be asked for papers at a traffic stop.\u201d\n\n"
        "The vote was 5-2."
    )
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [q.quote for q in quotes] == [
        "This is a good day for every family in Brinmoor,",
        "We kept our word.",
        "We told people they could trust the police, and tonight we proved it.",
        "Nobody here will be asked for papers at a traffic stop.",
    ]
    assert {q.speaker for q in quotes} == {"Ingrid Saltonstall"}


def test_single_quotes_nested_in_double_ones_stay_inside():
    text = "\u201cI asked her, \u2018What happens to the police budget?\u2019 and she had no answer,\u201d Fenn said."
    q = only(text)
    assert q.quote == "I asked her, \u2018What happens to the police budget?\u2019 and she had no answer,"
    assert q.speaker == "Fenn"


def test_apostrophes_are_not_quote_marks():
    text = "The sheriff\u2019s deputies didn't come. Officers\u2019 unions weren\u2019t asked, and the \u201990s rules stand."
    assert find_quote_spans(text, paragraph_spans(text)) == []


def test_a_quote_cut_off_at_the_end_of_the_article_runs_to_the_end():
    text = "Castellano said the state was waiting. \u201cWe have asked the council for its records and we expect them next week, and then we will"
    q = only(text)
    assert q.quote.startswith("We have asked") and q.quote.endswith("then we will")
    assert q.speaker == "Castellano"


# --- speakers: where the attribution stands -------------------------------------------------
@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        ("\u201cWe will appeal the ruling,\u201d Okafor said.", "Okafor", "say"),
        ("\u201cWe will appeal the ruling,\u201d said Raymond Okafor.", "Raymond Okafor", "say"),
        ("Okafor said: \u201cWe will appeal the ruling.\u201d", "Okafor", "say"),
        ("Okafor said, \u201cWe will appeal the ruling.\u201d", "Okafor", "say"),
        ("\u201cWe will appeal the ruling,\u201d Okafor added.", "Okafor", "add"),
        ("\u201cThe rules are unlawful on their face,\u201d Okafor argued.", "Okafor", "argue"),
        ("\u201cWe will never comply with this order,\u201d Okafor vowed.", "Okafor", "vow"),
        ("\u201cThe city acted in good faith,\u201d Okafor wrote in the filing.", "Okafor", "write"),
        ("\u201cWe are ready for a long fight,\u201d Okafor told reporters on Tuesday.", "Okafor", "tell"),
        ("\u201cGrant money could be lost this year,\u201d Okafor warned.", "Okafor", "warn"),
        ("\u201cNo other county has been asked for this,\u201d Okafor noted.", "Okafor", "note"),
        ("\u201cWhy would we hand over the names?\u201d Okafor asked.", "Okafor", "ask"),
        ("\u201cWe follow the law, and the law says we cooperate,\u201d according to Deputy Chief Anita Brandt.", "Anita Brandt", "according to"),
        ("\u201cWe will see them in court.\u201d -- Dana Whitcombe", "Dana Whitcombe", None),
        ("\u201cWe will see them in court.\u201d\n\u2014 Mayor Dana Whitcombe, in a statement", "Dana Whitcombe", None),
        ("Whitcombe County supervisor: \u2018The court\u2019s decision is a win for our residents.\u2019", "Whitcombe County supervisor", None),
    ],
)
def test_attribution_patterns(text, speaker, cue):
    q = only(text)
    assert q.speaker == speaker
    assert q.cue == cue


def test_a_dash_before_a_new_clause_is_not_a_byline():
    text = "Quintero called the plan \u201ca disaster for every county\u201d \u2014 Senator Lopez agreed with her."
    assert only(text).speaker == "Quintero"


def test_partial_quote_in_reported_speech():
    text = "State Attorney General Marisol Quintero said she is \u201cready to defend every city in this state.\u201d"
    q = only(text)
    assert q.quote == "ready to defend every city in this state."
    assert (q.speaker, q.speaker_full, q.cue) == ("Marisol Quintero", "Marisol Quintero", "say")


def test_one_word_quote_is_kept_when_attributed():
    text = "Mayor Dana Whitcombe called the new rules \u201cunworkable\u201d and said the city would sue."
    q = only(text)
    assert (q.quote, q.speaker) == ("unworkable", "Dana Whitcombe")


def test_scare_quotes_and_terms_are_not_quotes():
    text = (
        "The council debated its \u201cwelcoming city\u201d rules for hours. The so-called \u201cwelcoming city\u201d "
        "label dates from 2015. Critics of \u201csanctuary\u201d policies spoke first. The state\u2019s "
        "\u201cGreen Light\u201d law also came up."
    )
    assert find_quotes(text) == []


def test_long_names_framed_by_naming_words_are_not_quotes():
    text = (
        "The county adopted a policy known as \u201czero tolerance for repeat border crossers\u201d in 2018. "
        "Its \u201cno questions at the jailhouse door\u201d policy followed."
    )
    assert find_quotes(text) == []
    # A statement that happens to be followed by such a word is still a quote.
    text = "\u201cWe will win this fight,\u201d law enforcement officials said."
    assert only(text).speaker == "law enforcement officials"


def test_titles_of_works_are_not_quotes():
    text = (
        "The council\u2019s report, \u201cSafe Streets and Open Doors: A Review of the Year,\u201d found no rise in crime. "
        "Councilman Pell said he had read \u201cThe Border and the City\u201d twice."
    )
    assert find_quotes(text) == []


def test_a_term_the_article_repeats_is_a_scare_quote_even_after_a_verb():
    text = (
        "Quintero warned \u201csanctuary counties\u201d that grants were at risk. "
        "Twelve sanctuary counties have sued."
    )
    assert find_quotes(text) == []


def test_attribution_in_the_sentence_before():
    text = (
        "Quintero said the state would not budge.\n\n"
        "\u201cCities cannot be forced to do the federal government\u2019s job. They never could.\u201d"
    )
    q = only(text)
    assert q.speaker == "Quintero"


def test_attribution_in_the_sentence_after():
    text = "\u201cWe will win this case.\u201d Quintero said on Friday."
    q = only(text)
    assert q.speaker == "Quintero"


def test_speaker_in_a_sentence_between_two_quotes():
    text = (
        "\u201cRecently the state made a promise about the funds,\u201d said Partington, "
        "\u201cand if it keeps it, nothing will change for the county.\u201d"
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Partington", "Partington"]


# --- speakers: names, titles, appositives, coreference ------------------------------------
def test_titles_are_stripped_and_the_fullest_name_is_given():
    text = (
        "U.S. District Judge Miriam Oyelaran ruled on Friday. "
        "\u201cThe conditions go far beyond anything Congress allowed,\u201d Oyelaran wrote."
    )
    q = only(text)
    assert (q.speaker, q.speaker_full) == ("Oyelaran", "Miriam Oyelaran")


def test_a_full_name_written_only_in_the_possessive_still_counts():
    text = (
        "U.S. District Judge Miriam K. Oyelaran's order came on Friday. "
        "\u201cThe conditions go far beyond anything Congress allowed,\u201d Oyelaran wrote."
    )
    assert only(text).speaker_full == "Miriam K. Oyelaran"


def test_appositive_between_name_and_verb():
    text = "Ras Okonkwo, the mayor of Port Alder, said \u201cthe grant conditions are a trap for small cities.\u201d"
    q = only(text)
    assert q.speaker == "Ras Okonkwo"
    text = "\u201cThis ruling protects every resident,\u201d Joaquin Reyes-Whitfield, the county\u2019s top prosecutor, said."
    assert only(text).speaker == "Joaquin Reyes-Whitfield"
    text = "\u201cWe have no plans to change our policy,\u201d Lena Ostrow, a spokeswoman for Mayor Ivan Petrakis, said."
    assert only(text).speaker == "Lena Ostrow"


def test_appositive_after_an_inverted_verb():
    text = "\u201cThe county sheriff will hold them until agents arrive,\u201d said Randall Pike, the Finney Flats county administrator."
    assert only(text).speaker == "Randall Pike"


def test_pronoun_refers_to_the_last_named_speaker():
    text = (
        "Sheriff Tomas Eldridge, who runs the county jail, took a different view. "
        "\u201cIf someone is dangerous, I want them gone,\u201d he told reporters."
    )
    q = only(text)
    assert (q.speaker, q.speaker_full, q.speaker_mention) == ("Tomas Eldridge", "Tomas Eldridge", "he")


def test_pronoun_skips_a_speaker_of_the_other_gender():
    text = (
        "Marisol Quintero said she would sue. Tomas Eldridge said he would not. "
        "\u201cWe will see who is right,\u201d she said."
    )
    assert only(text).speaker == "Marisol Quintero"


def test_role_refers_to_the_last_person_with_that_title():
    text = (
        "Mayor Dana Whitcombe was among the officials who wrote to the governor. Sheriff Tomas Eldridge did not sign.\n\n"
        "\u201cThe state is asking us to break our own law,\u201d the mayor said."
    )
    q = only(text)
    assert (q.speaker, q.speaker_full, q.speaker_mention) == ("Dana Whitcombe", "Dana Whitcombe", "the mayor")


def test_unnamed_role_is_its_own_speaker():
    text = (
        "A senior county official, who spoke on condition of anonymity, described the talks. "
        "\u201cWe are nowhere close to a deal,\u201d the official said."
    )
    q = only(text)
    assert q.speaker == "A senior county official"


def test_a_body_is_not_resolved_to_a_person_who_works_there():
    text = (
        "Justice Department attorney W. Scott Pym said the case would go on. "
        "\u201cWe will appeal the ruling today,\u201d the department said."
    )
    assert only(text).speaker == "the department"


def test_organisations_speak_too():
    text = "The Justice Department said in a statement that it \u201cwill continue to enforce federal law in every county.\u201d"
    assert only(text).speaker == "Justice Department"


def test_participle_takes_the_subject_of_its_sentence():
    text = (
        "Deputy Director Owen Marsh denounced the vote, saying in a statement, "
        "\u201cThe county has chosen politics over the safety of its own residents.\u201d"
    )
    assert only(text).speaker == "Owen Marsh"


def test_a_clause_between_quote_and_verb_belongs_to_someone_else():
    text = (
        "Governor Ana Ruiz has pledged to help the city, saying she would \u201csend in the state police\u201d "
        "to \u201cfix\u201d the problem, which Senator Paul Kim described as a stunt."
    )
    quotes = find_quotes(text)
    assert [(q.quote, q.speaker) for q in quotes] == [("send in the state police", "Ana Ruiz"), ("fix", "Ana Ruiz")]


def test_an_unattributed_phrase_inside_the_reporters_sentence_is_not_a_quote():
    text = "The mayor has kept his \u201cwe are not going anywhere\u201d attitude through three lawsuits."
    assert find_quotes(text) == []


def test_unattributed_full_quote_is_kept_without_a_speaker():
    text = "The hall was full.\n\n\u201cWe have waited three years for this vote and we will not wait any longer.\u201d"
    q = only(text)
    assert q.speaker is None and q.speaker_full is None


# --- styles of other desks -----------------------------------------------------------------
STYLES = """Roe: 'We will sue'

SPRINGVALE (Reuters) - The mayor of Springvale vowed on Monday to fight the new rules in court.

"We're going to win," Janet Roe, a spokeswoman for the city, told Reuters in an interview.

\u201cIt\u2019s a mess,\u201d says Councilman Pedro de la Cruz. \u201cNobody asked us.\u201d

\u201cAre we supposed to just ignore the law?\u201d asked Liam O'Brien, 45, a retired police officer.

In a tweet, Gov. Helen McAllister wrote: \u201cSpringvale will not be bullied.\u201d

\u201cThe city,\u201d Roe said, \u201cwill not comply with an unlawful order.\u201d

\u201cWe have always honored warrants,\u201d said Roe, who has worked for the city since 2019. She added: \u201cThat will not change.\u201d

The mayor\u2019s chief of staff, Omar Haddad, said the city had \u201cno intention of backing down.\u201d

The plan is what officials call \u201ccatch and release.\u201d The administration\u2019s \u201czero tolerance\u201d policy was also discussed.

Haddad described the federal demand as \u201ca gift to the lawyers.\u201d

Sheriff John \u201cJack\u201d Pruitt did not respond. Pruitt told \u201cMorning Desk\u201d on Monday that he agreed with the state.

'We have done nothing wrong,' said Deputy Mayor Clara Voss. 'Our records are open to anyone.'
"""


def test_styles_of_other_desks():
    quotes = find_quotes(STYLES)
    check_offsets(STYLES, quotes)
    assert [(q.quote, q.speaker, q.speaker_full) for q in quotes] == [
        ("We will sue", "Roe", "Janet Roe"),  # a headline: name, colon, single quotes
        ("We're going to win,", "Janet Roe", "Janet Roe"),
        ("It\u2019s a mess,", "Pedro de la Cruz", "Pedro de la Cruz"),  # present tense, inverted, particles
        ("Nobody asked us.", "Pedro de la Cruz", "Pedro de la Cruz"),
        ("Are we supposed to just ignore the law?", "Liam O'Brien", "Liam O'Brien"),  # "?" then "asked X, 45,"
        ("Springvale will not be bullied.", "Helen McAllister", "Helen McAllister"),
        ("The city,", "Roe", "Janet Roe"),  # a quote broken by its attribution
        ("will not comply with an unlawful order.", "Roe", "Janet Roe"),
        ("We have always honored warrants,", "Roe", "Janet Roe"),
        ("That will not change.", "Roe", "Janet Roe"),  # "She added:"
        ("no intention of backing down.", "Omar Haddad", "Omar Haddad"),  # role, then the name in commas
        ("a gift to the lawyers.", "Haddad", "Omar Haddad"),  # "described ... as"
        ("We have done nothing wrong,", "Clara Voss", "Clara Voss"),  # British single quotes
        ("Our records are open to anyone.", "Clara Voss", "Clara Voss"),
    ]
    # Not quotes: "catch and release" (what officials call it), "zero tolerance" policy, a
    # nickname ("Jack"), and a programme's name ("Morning Desk").


def test_a_short_quote_said_twice_is_still_a_quote():
    text = "\u201cWe will win,\u201d Roe said on Monday. \u201cWe will win,\u201d Roe said again on Friday."
    assert [q.speaker for q in find_quotes(text)] == ["Roe", "Roe"]


def test_long_inputs_of_one_paragraph_are_handled_whole():
    # Thousands of quotes, marks and cues in one paragraph: every step stays linear.
    text = "Roe said \u201cwe did it\u201d and \u2018a\u2019 then \u201cWe will win,\u201d she said. " * 2000
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert len(quotes) == 4000


# --- whole articles ------------------------------------------------------------------------
ARTICLE = """PORT ALDER, Ore. (Wire) \u2014 The city of Port Alder will go to court over the new grant rules, officials said Monday.

Mayor Dana Whitcombe said the city would not hand over its jail records. \u201cWe will not trade the trust of our neighbors for a grant check,\u201d Whitcombe said. \u201cNot now, not ever.\u201d

\u201cThe rules are unlawful and we will say so before a judge,\u201d said City Attorney Raymond Okafor.

Felix Moreau, a spokesman for the governor, said the governor had not decided. \u201cWe are reviewing the letter,\u201d Moreau added.

\u201cThe governor will decide after the hearing,\u201d the spokesman said.

Renner vowed to keep the money flowing. \u201cNo city in this state will lose a dime,\u201d Gov. Paula Renner warned. \u201cNot one.\u201d
"""


def test_a_whole_article():
    quotes = find_quotes(ARTICLE)
    check_offsets(ARTICLE, quotes)
    assert [(q.speaker, q.speaker_full) for q in quotes] == [
        ("Whitcombe", "Dana Whitcombe"),
        ("Whitcombe", "Dana Whitcombe"),
        ("Raymond Okafor", "Raymond Okafor"),
        ("Moreau", "Felix Moreau"),
        ("Moreau", "Felix Moreau"),  # "the spokesman": the name as last written before it
        ("Paula Renner", "Paula Renner"),
        ("Paula Renner", "Paula Renner"),
    ]


def test_windows_line_ends_and_hard_wrapped_copy():
    text = (
        "ALDER BAY -- The county board voted Tuesday to keep its jail policy in\r\n"
        "place, despite a warning from the state that grant money could be lost.\r\n\r\n"
        "\"We are not going to be bullied,\" said board chair Evelyn Marchetti, who\r\n"
        "has led the board since 2016. \"The sheriff told me, 'We don't check\r\n"
        "papers,' and that is how it should stay.\"\r\n"
    )
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert len(quotes) == 2
    assert quotes[1].quote.startswith("The sheriff told me") and quotes[1].quote.endswith("should stay.")
    assert {q.speaker for q in quotes} == {"Evelyn Marchetti"}


def test_no_marks_no_quotes():
    assert find_quotes("") == []
    assert find_quotes("The board met on Tuesday and adjourned.") == []


# --- the seed article ------------------------------------------------------------------------
SEED_QUOTES = [
    ("urging states and local jurisdictions to comply with these federal laws.", "Sessions", "support"),
    ("When cities and states refuse to help enforce immigration laws our nation is less safe,", "Sessions", "support"),
    ("defund", "Trump", None),
    ("Trump\u2019s un-American immigration policies.", "Schneiderman", "oppose"),
    ("President Trump lacks the constitutional authority", "Schneiderman", "oppose"),
    ("Public safety depends on trust between law enforcement", "Schneiderman", "oppose"),
    ("misguided policy.", "Baraka", "oppose"),
    ("It is highly ironic that the Attorney General claims", "Baraka", "oppose"),
    ("Taking away desperately needed aid", "Baraka", "oppose"),
]
SEED_FULL = {"Sessions": "Jeff Sessions", "Schneiderman": "Eric Schneiderman", "Baraka": "Ras Baraka", "Trump": "Trump"}
SEED_ROLES = {"Sessions": "Attorney General", "Schneiderman": "New York Attorney General", "Baraka": "Newark Mayor", "Trump": "President"}


@pytest.fixture(scope="module")
def seed_text(shared_dir):
    return (shared_dir / "articles" / "sanctuary-grants-2017-03-27.txt").read_text(encoding="utf-8")


def test_seed_article_quotes_speakers_and_offsets(seed_text):
    quotes = find_quotes(seed_text)
    check_offsets(seed_text, quotes)
    assert len(quotes) == len(SEED_QUOTES)
    for q, (start, surname, _) in zip(quotes, SEED_QUOTES):
        assert q.quote.startswith(start)
        assert q.speaker is not None and q.speaker.endswith(surname)
        assert q.speaker_full == SEED_FULL[surname]
        assert q.speaker_role == SEED_ROLES[surname]
        assert seed_text[q.start - 1] in "\u201c\"" and seed_text[q.end] in "\u201d\""
    assert not any("sanctuary cities" == q.quote.rstrip(",") for q in quotes)


def test_seed_article_stances_from_the_default_model(seed_text, default_model):
    results = extract_quotes(seed_text, default_model)
    assert len(results) == len(SEED_QUOTES)
    for result, (_, surname, stance) in zip(results, SEED_QUOTES):
        assert set(result) == {"quote", "speaker", "speaker_role", "start", "end", "stance", "confidence", "probabilities", "speaker_full", "cue"}
        assert seed_text[result["start"]:result["end"]] == result["quote"]
        assert abs(sum(result["probabilities"].values()) - 1) < 1e-6
        assert result["confidence"] == max(result["probabilities"].values())
        if stance is not None:
            assert result["stance"] == stance, (result["quote"], result["probabilities"])
    json.dumps(results)  # plain JSON types only


def test_extract_quotes_on_an_article_without_quotes(default_model):
    assert extract_quotes("No one was quoted here.", default_model) == []


# --- the gold articles -------------------------------------------------------------------------
def test_quote_f1_and_speaker_accuracy_on_the_dev_articles(shared_dir):
    from quote_stance.training.extraction_eval import evaluate, read_articles

    result = evaluate(read_articles(shared_dir / "data" / "articles_dev.jsonl"))
    assert result["gold_quotes"] == 85
    assert result["quote_f1"] >= 0.85, result
    assert result["speaker_accuracy"] >= 0.85, result


# --- any input ---------------------------------------------------------------------------------
_PIECES = list("\u201c\u201d\"\u2018\u2019' ,.:;!?-\u2014\n\r\tabXY") + [
    "said", "Sessions", " he ", "the mayor", "according to", "Gov.", "--", "U.S.", "said Jane Roe,", " told ", "saying", " she",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_quote_shaped_noise_never_breaks_offsets(text):
    quotes = find_quotes(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.quote
        assert q.context[0] <= q.start and q.end <= q.context[1] <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=400))
def test_any_text_in_no_exception_out(text):
    # Every code point, lone surrogates included (JSON can carry them).
    for q in find_quotes(text):
        assert text[q.start:q.end] == q.quote


# Quote-shaped pieces among any code points (lone surrogates too), sometimes repeated into
# texts of the service's size: the finder never raises, and every offset is inside the text.
_ANY_PIECE = st.sampled_from(_PIECES) | st.characters(codec=None, categories=None) | st.text(max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ANY_PIECE, max_size=80).map("".join), st.integers(1, 1000))
def test_any_script_and_long_texts_keep_offsets_inside_the_text(text, times):
    text = text * min(times, 100_000 // max(1, len(text)))
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.quote
        assert 0 <= q.context[0] <= q.start and q.end <= q.context[1] <= len(text)
        assert q.speaker is None or (isinstance(q.speaker, str) and q.speaker.strip())


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("\u201cThis is a dark day for our city,\u201d the American Civil Liberties Union of Eastvale said in a statement.",
         "American Civil Liberties Union of Eastvale"),
        ("\u201cWe\u2019re evaluating our options,\u201d said a spokesperson for the Department of Homeland Security.",
         "a spokesperson for the Department of Homeland Security"),
        ("Kowalczyk, a Republican who has held the seat since 2010 and who is running again, said: \u201cWe will comply.\u201d",
         "Kowalczyk"),
        ("\u201cEnough is enough,\u201d tweeted Sen. Brent Ollister, R-Pine Ridge.", "Brent Ollister"),
        ("\u201cWe are disappointed,\u201d said Eastvale County Sheriff\u2019s Office spokeswoman Lt. Rosa Imbert.", "Rosa Imbert"),
        ("The lawsuit says the rules are \u201carbitrary and capricious.\u201d", "The lawsuit"),
        ("Officials in Eastvale say the rules are \u201ca solution in search of a problem.\u201d", "Officials"),
        ("The Eastvale Courier quoted Mayor Ines Ruiz-Calder as saying the rules were \u201ca solution in search of a problem.\u201d",
         "Ines Ruiz-Calder"),
    ],
)
def test_bodies_documents_and_long_appositives(text, speaker):
    assert only(text).speaker == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("\u201cI have no comment,\u201d said Roe\u2019s lawyer, Sam Ito.", "Sam Ito"),
        ("\u201cThis is wrong,\u201d Roe and Ito said in a joint statement.", "Roe and Ito"),
        ("\u201cThe law is clear,\u201d the state\u2019s attorney general, Letitia Vance, said in a statement.", "Letitia Vance"),
        ("Asked whether the city would comply, Police Commissioner Dermot Shea said: \u201cAbsolutely not.\u201d", "Dermot Shea"),
        ("\u201cInjustice anywhere is a threat,\u201d said the Rev. Al Tanner, pastor of First Church.", "Al Tanner"),
        ("\u201cWe will be back,\u201d said Martin Tull Jr.", "Martin Tull Jr."),
        ("The ruling \u201cis a victory for the rule of law,\u201d Attorney General Kim Sato said.", "Kim Sato"),
        ("\u201cWe will wait,\u201d the head of the agency said.", "the head of the agency"),
        ("\u201cWe will wait,\u201d a spokeswoman for the mayor said.", "a spokeswoman for the mayor"),
        ("Director of Communications Jane Roe said: \u201cWe will wait.\u201d", "Jane Roe"),
    ],
)
def test_names_in_commas_pairs_and_suffixes(text, speaker):
    assert only(text).speaker == speaker


def test_a_pronoun_with_no_speaker_before_it_names_no_one():
    quotes = find_quotes("\u201cLet me be clear,\u201d she said. \u201cNo one is above the law.\u201d")
    assert [(q.speaker, q.speaker_mention) for q in quotes] == [(None, "she"), (None, "she")]


TWO_SPEAKERS = """WESTBROOK, Mich. \u2014 Two officials in Westbrook spent Thursday trading barbs over the county's jail.

Ms. Delia Ferrante, the county executive, said the jail would keep its policy. \u201cWe answer to the people of Westbrook,\u201d she said. \u201cNot to a letter from Washington.\u201d

Ms. Ferrante's rival, Sheriff Oscar Lindqvist, disagreed. He said the county was \u201cplaying a dangerous game.\u201d

\u201cI have deputies to pay,\u201d he said. \u201cIf the grant goes, so do six jobs.\u201d

Ms. Ferrante dismissed that. \u201cThe sheriff knows the grant is safe,\u201d she said.

The county's lawyer, Priya Raman, said she had told both officials that a lawsuit was likely. \u201cWe are ready either way,\u201d Ms. Raman said.

Lindqvist later issued a statement. \u201cMy door is open to the executive,\u201d it read.

\u201cWe will meet next week,\u201d Ferrante told reporters on Friday. She declined to say more.
"""


def test_pronouns_follow_the_right_person_through_an_exchange():
    quotes = find_quotes(TWO_SPEAKERS)
    check_offsets(TWO_SPEAKERS, quotes)
    assert [(q.speaker_full, q.speaker_mention) for q in quotes] == [
        ("Delia Ferrante", "she"),
        ("Delia Ferrante", "she"),
        ("Oscar Lindqvist", "He"),  # the subject of "disagreed", named in commas after "rival"
        ("Oscar Lindqvist", "he"),
        ("Oscar Lindqvist", "he"),
        ("Delia Ferrante", "she"),  # "she" skips the sheriff, who is "he"
        ("Priya Raman", "Ms. Raman"),
        (None, None),  # "it read": a statement with no named body before it
        ("Delia Ferrante", "Ferrante"),
    ]


@settings(max_examples=60, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES + ["\u201cWe will win this fight,\u201d", " Roe said. "]), max_size=40).map("".join))
def test_extract_quotes_on_any_text_gives_plain_json(default_model, text):
    results = extract_quotes(text, default_model)
    json.dumps(results, allow_nan=False)
    for item in results:
        assert text[item["start"]:item["end"]] == item["quote"]
        assert item["stance"] in ("support", "oppose", "neutral")


OTHER_BEAT = """Harbor City Council approves $40 million stadium deal

By Mara Quell
Staff writer

HARBOR CITY \u2014 After four hours of debate, the Harbor City Council voted 7-2 late Tuesday to approve a $40 million deal for a new minor-league stadium on the waterfront.

"This is the most important vote we've taken in a decade," Council President Anton Vesely said before the vote. "It's about jobs, it's about the waterfront and it's about the next generation."

Not everyone agreed. Councilwoman Gretchen Aldana, one of the two no votes, called the deal "a giveaway" and said the city had "no business" building stadiums.

"We're closing libraries on Sundays," Aldana said. "And we're going to spend $40 million on a ballpark? I can't explain that to my constituents."

The team's owner, Lyle Brightwater, watched from the gallery. Afterward, he told reporters he was "thrilled and humbled."

"We're going to build something this city can be proud of," Brightwater said.

According to a city analysis, the stadium would create about 300 permanent jobs. Critics say that figure is inflated.

"The numbers in these studies are almost always too rosy," said Erin Tobolsky, an economist at Northfield University who studies sports financing. "Cities rarely get their money back."

Construction is expected to begin in the spring. The stadium, which the team has nicknamed "The Dock," would seat about 7,500 fans.
"""


def test_an_article_from_another_beat():
    quotes = find_quotes(OTHER_BEAT)
    check_offsets(OTHER_BEAT, quotes)
    assert [(q.speaker_full, q.cue) for q in quotes] == [
        ("Anton Vesely", "say"),
        ("Anton Vesely", "say"),
        ("Gretchen Aldana", "call"),  # "called the deal 'a giveaway'"
        ("Gretchen Aldana", "say"),  # "... and said the city had 'no business'"
        ("Gretchen Aldana", "say"),
        ("Gretchen Aldana", "say"),
        ("Lyle Brightwater", "tell"),  # "Afterward, he told reporters": not a person named Afterward
        ("Lyle Brightwater", "say"),
        ("Erin Tobolsky", "say"),
        ("Erin Tobolsky", "say"),
    ]
    assert "The Dock" not in [q.quote for q in quotes]  # a nickname
