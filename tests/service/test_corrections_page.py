"""The page's correction control and stance-by-speaker chart, in headless Chromium against a real server."""

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.service.chromium import start_chromium, stop_chromium, unavailable
from tests.service.conftest import LiveServer, start_server, stop_server
from tests.service.test_page_browser import browser_errors, enter_key, paste_article, quote_finder_missing, wait_for, wait_for_text

KEY = "reporter-key-0123456789"
# Project-written, no real speaker.
ARTICLE = (
    'Mayor Dana Whitfield said the city would not give in. "We will see the Justice Department in court, '
    'and we will win," Whitfield said on Tuesday.\n\nSheriff Tom Bexley disagreed. "The rule of law means we '
    'hand over dangerous criminals to ICE," Bexley said.\n\n"We are still reading the letter from Washington," '
    "Whitfield added."
)

reason = unavailable()
pytestmark = pytest.mark.skipif(reason is not None, reason=reason or "")

if reason is None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("corrections-page") / "server.log", {"STANCE_API_KEYS": KEY})
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = start_chromium(tmp_path_factory.mktemp("downloads"))
    yield driver
    stop_chromium(driver)


@pytest.fixture
def page(browser, server):
    browser.get(f"{server.base_url}/")
    browser.execute_script("sessionStorage.clear();")
    browser.refresh()
    wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    browser.get_log("browser")
    enter_key(browser, KEY)
    return browser


def newest(server: LiveServer) -> dict:
    answer = httpx.get(f"{server.base_url}/v1/corrections", params={"limit": 1}, headers={"X-API-Key": KEY})
    return answer.json()["corrections"][0]


def other_than(stance: str) -> str:
    return "oppose" if stance != "oppose" else "support"


def test_a_quote_of_the_article_is_corrected_and_the_chart_counts_stances_by_speaker(page, server):
    if quote_finder_missing():
        pytest.skip(quote_finder_missing())
    paste_article(page, ARTICLE)
    wait_for_text(page, "article-status", "Found")
    answer = httpx.post(f"{server.base_url}/v1/extract", json={"text": ARTICLE}, headers={"X-API-Key": KEY}).json()

    drawn = page.execute_script("""
        return [...document.querySelectorAll('#speaker-chart svg .chart-segment')].map(g => [
          g.dataset.speaker, g.dataset.stance, Number(g.querySelector('text').textContent)]);""")
    expected = Counter((q.get("speaker_full") or q["speaker"] or "speaker not found", q["stance"]) for q in answer["quotes"])
    assert {(speaker, stance): n for speaker, stance, n in drawn} == expected
    assert "Stances by speaker" in page.find_element(By.CSS_SELECTOR, "#speaker-chart svg title").get_attribute("textContent")

    row = page.find_element(By.CSS_SELECTOR, "#quote-table tbody tr")
    quote = answer["quotes"][int(row.get_attribute("data-order")) - 1]
    Select(row.find_element(By.CSS_SELECTOR, "select")).select_by_value(other_than(quote["stance"]))
    row.find_element(By.CSS_SELECTOR, "button.correct-save").click()
    wait_for(page, lambda d: "Saved" in row.find_element(By.CSS_SELECTOR, ".correct-status").text,
             message="the page never said the correction was saved")
    stored = newest(server)
    assert (stored["text"], stored["label"], stored["speaker"], stored["speaker_role"], stored["predicted"],
            stored["model_version"]) == (quote["quote"], other_than(quote["stance"]), quote["speaker"],
                                         quote.get("speaker_role"), quote["stance"], answer["model_version"])
    # Sorting redraws the table; the row still says it was saved.
    page.find_element(By.CSS_SELECTOR, '#quote-table th[data-key="speaker"] button').click()
    statuses = [s.text for s in page.find_elements(By.CSS_SELECTOR, "#quote-table .correct-status")]
    assert statuses.count(f"Saved: {other_than(quote['stance'])}") == 1
    assert browser_errors(page) == []


def test_the_score_box_sends_a_correction_and_says_why_not_when_it_cannot(page, server):
    quote = "Sanctuary cities that release criminal aliens put every resident at risk."
    page.find_element(By.ID, "quote-speaker").send_keys("Tom Bexley")
    page.find_element(By.ID, "quote-role").send_keys("county sheriff")
    page.find_element(By.ID, "quote-text").send_keys(quote, Keys.ENTER)
    wait_for_text(page, "quote-result", "confidence")
    predicted = page.find_element(By.CSS_SELECTOR, "#quote-result .prediction-line .stance-name").text
    save = page.find_element(By.CSS_SELECTOR, "#quote-result button.correct-save")
    save.click()  # the model's own stance: nothing to correct
    assert "choose the right stance first" in wait_for_text(page, "quote-result", "choose the right stance")
    Select(page.find_element(By.CSS_SELECTOR, "#quote-result select")).select_by_value(other_than(predicted))
    page.find_element(By.ID, "api-key").send_keys("-wrong")
    save.click()
    assert "Not saved." in wait_for_text(page, "quote-result", "Not saved", "API key")
    enter_key(page, KEY)
    save.click()
    wait_for_text(page, "quote-result", f"Saved: {other_than(predicted)}")
    stored = newest(server)
    assert (stored["text"], stored["label"], stored["predicted"]) == (quote, other_than(predicted), predicted)
    assert stored["model_version"] and (stored["speaker"], stored["speaker_role"]) == ("Tom Bexley", "county sheriff")
