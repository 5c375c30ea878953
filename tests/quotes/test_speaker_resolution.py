"""Speakers named by a description, a title or a pronoun; roles; credits; short attributed
quotes. Every article here is written for these tests: invented people and places."""

import pytest

from quote_stance.quotes.finder import Quote, extract_quotes, find_quotes


def by_start(text: str) -> dict[str, Quote]:
    """Found quotes keyed by their first four words."""
    quotes = find_quotes(text)
    for q in quotes:
        assert text[q.start:q.end] == q.quote
    return {" ".join(q.quote.split()[:4]): q for q in quotes}


# --- descriptions and titles resolve to the person or body named earlier -------------------
def test_a_title_resolves_to_the_person_who_holds_it():
    text = (
        "Mayor Dana Whitfield of Brinmoor met county officials on Tuesday. Sheriff Tomas Eldridge did not attend.\n"
        "\u201cWe are not going to hand our residents over to a federal agency,\u201d the mayor said.\n"
        "\u201cMy deputies will follow state law,\u201d the sheriff said later."
    )
    quotes = by_start(text)
    mayor, sheriff = quotes["We are not going"], quotes["My deputies will follow"]
    assert (mayor.speaker, mayor.speaker_full, mayor.speaker_mention) == ("Dana Whitfield", "Dana Whitfield", "the mayor")
    assert mayor.speaker_role == "Mayor of Brinmoor"
    assert (sheriff.speaker_full, sheriff.speaker_role) == ("Tomas Eldridge", "Sheriff")


def test_the_president_and_a_possessive_description():
    text = (
        "President Walter Renner signed the order in January.\n"
        "Pell County's mayor, Anita Okafor, joined the lawsuit on Friday.\n"
        "\u201cCities that defy the law will lose their grants,\u201d the president said.\n"
        "\u201cOur county will not be bullied by Washington,\u201d the county's mayor said."
    )
    quotes = by_start(text)
    president, mayor = quotes["Cities that defy the"], quotes["Our county will not"]
    assert (president.speaker_full, president.speaker_role) == ("Walter Renner", "President")
    assert (mayor.speaker_full, mayor.speaker_role) == ("Anita Okafor", "Pell County's mayor")


def test_the_agency_and_the_group_resolve_to_bodies_named_earlier():
    text = (
        "The Department of Homeland Security sent the county a letter last week demanding jail records.\n"
        "The Eastvale Immigrant Rights Coalition, which represents about 40 churches, sued the county in March.\n"
        "\u201cJurisdictions that refuse to cooperate put the public at risk,\u201d the agency said in a statement.\n"
        "\u201cThis lawsuit is about the Constitution, not politics,\u201d the group said."
    )
    quotes = by_start(text)
    agency, group = quotes["Jurisdictions that refuse to"], quotes["This lawsuit is about"]
    assert agency.speaker == "Department of Homeland Security" and agency.speaker_mention == "the agency"
    assert group.speaker == "Eastvale Immigrant Rights Coalition" and group.speaker_mention == "the group"
    assert agency.speaker_role is None and group.speaker_role is None  # bodies have no title


def test_the_department_goes_to_the_nearest_department_before_it():
    text = (
        "The Justice Department and the Department of Labor both wrote to the county.\n"
        "The Department of Labor asked for payroll records.\n"
        "\u201cWe expect a full answer within 30 days,\u201d the department said."
    )
    assert find_quotes(text)[0].speaker == "Department of Labor"


def test_a_headline_title_resolves_to_the_person_named_below_it():
    text = (
        "Sheriff: \u2018We will not hold anyone for the agency\u2019\n"
        "Pell County sheriff Tomas Eldridge said Tuesday that his deputies would stop honoring detainer requests."
    )
    quote = find_quotes(text)[0]
    assert (quote.speaker, quote.speaker_role) == ("Tomas Eldridge", "Pell County sheriff")


def test_a_pronoun_resolves_to_the_last_speaker_of_its_gender():
    text = (
        "Councilwoman Marisol Quintero voted for the ordinance. Supervisor Raymond Okafor voted against it.\n"
        "\u201cThis is about trust, and we kept it,\u201d she said.\n"
        "\u201cThe county will pay for this vote,\u201d he said."
    )
    quotes = by_start(text)
    assert (quotes["This is about trust,"].speaker_full, quotes["This is about trust,"].speaker_role) == ("Marisol Quintero", "Councilwoman")
    assert (quotes["The county will pay"].speaker_full, quotes["The county will pay"].speaker_role) == ("Raymond Okafor", "Supervisor")


def test_an_abbreviated_title_answers_to_its_full_word():
    text = (
        "Gov. Paula Fenn signed the bill on Friday. The governor, a Democrat, called the measure \u201ca promise kept.\u201d\n"
        "Rep. Sam Ito voted against it. \u201cThis bill will cost the state its grants,\u201d the congressman said."
    )
    quotes = by_start(text)
    assert (quotes["a promise kept."].speaker_full, quotes["a promise kept."].speaker_role) == ("Paula Fenn", "Gov.")
    assert quotes["This bill will cost"].speaker_full == "Sam Ito"


def test_they_after_two_people_named_together():
    text = (
        "Supervisor Tomas Eldridge and Councilwoman Anita Okafor asked for a hearing.\n"
        "Eldridge and Okafor said they would sue. \u201cWe want answers,\u201d they said."
    )
    quote = by_start(text)["We want answers,"]
    assert (quote.speaker, quote.speaker_role) == ("Eldridge and Okafor", None)


def test_it_is_the_body_named_before_it_in_its_sentence():
    text = (
        "Sheriff Tomas Eldridge opposed the delay. The judge let the Justice Department file late on the condition "
        "that it vows not to \u201cuse the delay as an argument for a stay.\u201d"
    )
    assert find_quotes(text)[0].speaker == "Justice Department"


# --- roles ---------------------------------------------------------------------------------
def test_roles_from_titles_appositives_and_role_only_speakers():
    text = (
        "State Attorney General Ingrid Brandt filed the suit on Monday.\n"
        "Felix Moreau, a city council member, disagreed. \u201cThe grants pay for our police, not for deportations,\u201d Moreau said.\n"
        "\u201cWe are reviewing the guidance carefully,\u201d a department spokeswoman said.\n"
        "\u201cThe state will win this case,\u201d Brandt said."
    )
    quotes = by_start(text)
    assert quotes["The grants pay for"].speaker_role == "a city council member"
    spokeswoman = quotes["We are reviewing the"]
    assert (spokeswoman.speaker, spokeswoman.speaker_role) == ("a department spokeswoman", "department spokeswoman")
    # The title given at the first mention is carried to a later bare surname.
    assert (quotes["The state will win"].speaker, quotes["The state will win"].speaker_role) == ("Brandt", "State Attorney General")


def test_people_named_together_each_get_the_title_in_the_singular():
    text = (
        "The board's two dissenters, Supervisors Walter Renner and Paula Fenn, argued the vote put grants at risk.\n"
        "\u201cWe are gambling with money that pays for our deputies,\u201d Renner said.\n"
        "Fenn agreed. \u201cThis is not a symbolic vote,\u201d she said."
    )
    quotes = by_start(text)
    assert (quotes["We are gambling with"].speaker_full, quotes["We are gambling with"].speaker_role) == ("Walter Renner", "Supervisor")
    assert (quotes["This is not a"].speaker_full, quotes["This is not a"].speaker_role) == ("Paula Fenn", "Supervisor")


def test_a_role_given_to_two_people_in_commas_is_each_ones():
    text = (
        "Two county commissioners, Anita Fenn and Tomas Brandt, wrote to the governor asking for help.\n"
        "\u201cWe need the state to stand with us,\u201d Fenn said."
    )
    quote = find_quotes(text)[0]
    assert (quote.speaker_full, quote.speaker_role) == ("Anita Fenn", "county commissioner")


def test_a_role_after_an_age_stops_before_a_relative_clause():
    text = "\u201cI cried when I heard,\u201d said Rosa Whitcombe, 52, a resident of Brinmoor whose brother was deported in 2019."
    assert find_quotes(text)[0].speaker_role == "a resident of Brinmoor"


def test_the_organization_is_the_body_named_after_of():
    text = (
        "The Eastvale chapter of the American Civil Liberties Union praised the vote. "
        "\u201cToday the county chose its residents over fear,\u201d the organization said in a statement."
    )
    quote = find_quotes(text)[0]
    assert (quote.speaker, quote.speaker_role) == ("American Civil Liberties Union", None)


def test_a_clause_after_a_name_gives_no_title_and_no_role():
    text = (
        "Sheriff Felix Moreau announced the change on Tuesday.\n"
        "The county's top prosecutor, District Attorney Ingrid Brandt, backed the sheriff.\n"
        "\u201cVictims come forward only if they trust us,\u201d Brandt said.\n"
        "\u201cWe are prepared to defend this policy in court,\u201d the sheriff added."
    )
    quotes = by_start(text)
    assert quotes["Victims come forward only"].speaker_role == "District Attorney"
    # "backed the sheriff" does not make the prosecutor a sheriff.
    assert (quotes["We are prepared to"].speaker_full, quotes["We are prepared to"].speaker_role) == ("Felix Moreau", "Sheriff")


def test_an_appositive_role_without_an_article():
    text = "\u201cThis decision puts people at risk,\u201d said Rhea Castellano, field office director for the agency in Brinmoor."
    assert find_quotes(text)[0].speaker_role == "field office director for the agency in Brinmoor"


def test_a_name_in_commas_after_one_of_them():
    text = "Supporters packed the meeting. \u201cThis is who we are,\u201d said one of them, Rosa Whitcombe, a nurse."
    quote = find_quotes(text)[0]
    assert (quote.speaker, quote.speaker_role) == ("Rosa Whitcombe", "a nurse")


def test_no_role_when_the_article_gives_none():
    text = "\u201cWe will keep our doors open,\u201d said Paula Fenn. Mr. Roe disagreed. \u201cNot in this county,\u201d Mr. Roe said."
    quotes = by_start(text)
    assert quotes["We will keep our"].speaker_role is None
    assert quotes["Not in this county,"].speaker_role is None  # a courtesy title is no role


def test_a_verb_phrase_after_a_name_is_no_role():
    text = "Anita Okafor, joined by two deputies, spoke on Friday. \u201cWe are ready for court,\u201d Okafor said."
    assert find_quotes(text)[0].speaker_role is None


# --- credits and boilerplate ---------------------------------------------------------------
CREDITED = (
    "By Ingrid Brandt and Sam Ito\n"
    "BRINMOOR (Reuters) \u2014 The county board voted 5-2 on Tuesday to keep its policy.\n"
    "Councilwoman Marisol Quintero led the vote.\n"
    "Rhea Castellano/Getty Images\n"
    "\u201cWe will not comply with an unlawful order,\u201d she said.\n"
    "Sheriff Oscar Lund spoke to reporters after the vote.\n"
    "ADVERTISEMENT\n"
    "\u201cNobody in this county will be asked for papers at a traffic stop.\u201d\n"
    "The sheriff at a news conference. (AP Photo/Jane Whitley)\n"
)


def test_a_photo_credit_is_never_the_speaker():
    quotes = by_start(CREDITED)
    assert quotes["We will not comply"].speaker_full == "Marisol Quintero"
    assert all(q.speaker not in ("Rhea Castellano", "Jane Whitley", "Ingrid Brandt", "Reuters", "Getty Images") for q in quotes.values())


def test_page_furniture_between_an_introduction_and_its_quote_is_read_past():
    quote = by_start(CREDITED)["Nobody in this county"]
    assert (quote.speaker_full, quote.speaker_role) == ("Oscar Lund", "Sheriff")


@pytest.mark.parametrize(
    "credit",
    ["Photo: Rhea Castellano/Associated Press", "Rhea Castellano / The Brinmoor Ledger", "By Rhea Castellano, Staff Writer",
     "Rhea Castellano for The Brinmoor Ledger via Getty Images", "Advertisement", "Story continues below advertisement"],
)
def test_credit_lines_name_no_speaker(credit):
    text = f"Supervisor Raymond Okafor voted no.\n{credit}\n\u201cThe county will pay for this vote,\u201d he said."
    assert find_quotes(text)[0].speaker_full == "Raymond Okafor"


def test_a_story_sentence_about_a_photo_is_not_a_credit():
    text = "Mayor Dana Whitfield posed for a photo with residents.\n\u201cThis is their city, not mine,\u201d she said."
    assert find_quotes(text)[0].speaker_full == "Dana Whitfield"


# --- attributions a sentence away, after a colon or a dash ----------------------------------
def test_a_colon_or_a_dash_after_a_clause_attributes_to_its_subject():
    text = (
        "Sheriff Oscar Lund had a blunt message for the board: \u201cWe will not hold anyone past their release date.\u201d\n"
        "Councilwoman Marisol Quintero put it another way \u2014 \u201cThis is about trust, and we are keeping it.\u201d"
    )
    quotes = by_start(text)
    assert quotes["We will not hold"].speaker_full == "Oscar Lund"
    assert quotes["This is about trust,"].speaker_full == "Marisol Quintero"


def test_a_speaker_introduced_then_quoted_in_the_next_paragraph():
    text = "Sheriff Tomas Eldridge took a different view.\n\n\u201cIf the county loses the money, my deputies lose their overtime.\u201d"
    assert find_quotes(text)[0].speaker_full == "Tomas Eldridge"


# --- short quotes: attributed in their sentence, or left out --------------------------------
def test_short_attributed_quotes_are_found():
    text = (
        "Supervisor Raymond Okafor dismissed the federal letter. He called it \u201cabsurd.\u201d\n"
        "The Justice Department cited \u201can open defiance of federal law\u201d in its letter to the county.\n"
        "County Executive Rhea Castellano dismissed the demand as \u201cpolitical theater.\u201d"
    )
    quotes = by_start(text)
    assert quotes["absurd."].speaker_full == "Raymond Okafor"
    assert quotes["an open defiance of"].speaker == "Justice Department"
    assert (quotes["political theater."].speaker_full, quotes["political theater."].speaker_role) == ("Rhea Castellano", "County Executive")


def test_unattributed_scare_quotes_and_titles_stay_out():
    text = (
        "The county's \u201cwelcoming\u201d status has drawn national attention.\n"
        "Many residents call it a \u201csanctuary\u201d county.\n"
        "The ordinance, called \u201cSafe Streets for All,\u201d passed in May.\n"
        "The county's \u201cTrust Act\u201d took effect in 2019."
    )
    assert find_quotes(text) == []


# --- scoring with the speaker and the role --------------------------------------------------
class RecordingModel:
    """A stand-in that records what the finder passes to `predict_proba`."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], list, list]] = []

    def predict_proba(self, texts, speakers=None, roles=None):
        import numpy as np

        self.calls.append((list(texts), list(speakers), list(roles)))
        return np.tile([0.2, 0.5, 0.3], (len(texts), 1))


def test_each_quote_is_scored_with_its_speaker_and_role():
    text = (
        "Newark-on-Pell Mayor Jane Whitley spoke first. \u201cWe will see them in court,\u201d Whitley said.\n"
        "\u201cThis is not over,\u201d said a county official."
    )
    model = RecordingModel()
    results = extract_quotes(text, model)
    assert [r["speaker_role"] for r in results] == ["Newark-on-Pell Mayor", "county official"]
    _, speakers, roles = model.calls[0]
    assert speakers == ["Jane Whitley", "a county official"]
    assert roles == ["Newark-on-Pell Mayor", "county official"]
