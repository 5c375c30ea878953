"""The page for reporters in a real headless Chromium, against a real `stance serve` on loopback.

One server (with an API key and a batch limit of 4, so a small CSV takes several requests)
and one browser serve the whole module. The article test needs the quote finder
(`model.quotes`) and the seed article from ../shared; it skips, saying which, without them.
"""

import csv
import importlib.util
import io
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from quote_stance.model.context import CONTEXT_LIMIT
from tests.quotes.test_seed_quotes import SEED_ARTICLE, SEED_QUOTES
from tests.service.chromium import start_chromium, stop_chromium, unavailable
from tests.service.conftest import LiveServer, start_server, stop_server

KEY = "reporter-key-0123456789"
MAX_BATCH = 4
WAIT = 20  # seconds: the first request of a fresh server can be slow on a loaded machine

reason = unavailable()
pytestmark = pytest.mark.skipif(reason is not None, reason=reason or "")

if reason is None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("page")
    live = start_server(root / "server.log", {"STANCE_API_KEYS": KEY, "STANCE_MAX_BATCH": str(MAX_BATCH)})
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    driver = start_chromium(downloads)
    yield driver
    stop_chromium(driver)


@pytest.fixture
def page(browser, server, downloads):
    """The page freshly loaded, with no key stored and no earlier download left."""
    browser.get(f"{server.base_url}/")
    browser.execute_script("sessionStorage.clear(); localStorage.clear();")
    browser.refresh()
    wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    for old in downloads.iterdir():
        old.unlink()
    browser.get_log("browser")  # reading empties it: what is left of an earlier test goes
    return browser


def wait_for(driver, condition, timeout: float = WAIT, message: str = ""):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except TimeoutException:
        raise AssertionError(message or "the page did not get there in time") from None


def text_of(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def wait_for_text(driver, element_id: str, *needles: str) -> str:
    wait_for(driver, lambda d: all(n in text_of(d, element_id) for n in needles),
             message=f"#{element_id} never said {needles!r}; it says {text_of(driver, element_id)!r}")
    return text_of(driver, element_id)


def enter_key(driver, key: str = KEY) -> None:
    field = driver.find_element(By.ID, "api-key")
    field.clear()
    field.send_keys(key)


def wait_for_download(directory: Path, name: str) -> Path:
    path = directory / name
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if path.is_file() and not list(directory.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; the folder has {[p.name for p in directory.iterdir()]}")


def api(server: LiveServer, path: str, body: dict) -> dict:
    answer = httpx.post(f"{server.base_url}{path}", json=body, headers={"X-API-Key": KEY}, timeout=30)
    answer.raise_for_status()
    return answer.json()


def browser_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_page_loads_with_no_error_and_no_other_host(page):
    assert page.title.startswith("Quote stance")
    assert "needs a key" in text_of(page, "key-help")
    # Every resource came from the page's own origin.
    origins = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert origins and set(origins) == {page.execute_script("return location.origin")}
    assert browser_errors(page) == []


def test_the_key_field(page, server):
    quote = "These grant conditions are unconstitutional and we will see them in court."
    box = page.find_element(By.ID, "quote-text")
    box.send_keys(quote, Keys.ENTER)  # no key yet
    message = wait_for_text(page, "quote-result", "API key")
    assert "missing X-API-Key header" in message
    key_field = page.find_element(By.ID, "api-key")
    assert key_field.get_attribute("aria-invalid") == "true"

    enter_key(page, "not-the-key")
    page.find_element(By.ID, "quote-submit").click()
    assert "does not hold a valid key" in wait_for_text(page, "quote-result", "API key")

    enter_key(page)
    assert key_field.get_attribute("aria-invalid") is None  # typing a new key clears the mark
    page.find_element(By.ID, "quote-submit").click()
    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#quote-result .stance-name"), message="no stance shown")

    # The key stays in this tab's session only: not in localStorage, not in a cookie.
    stored = page.execute_script("return [sessionStorage.getItem('quote-stance.api-key'), localStorage.length, document.cookie]")
    assert stored == [KEY, 0, ""]
    page.refresh()
    assert page.find_element(By.ID, "api-key").get_attribute("value") == KEY
    page.find_element(By.ID, "forget-key").click()
    assert page.execute_script("return sessionStorage.length") == 0
    assert page.find_element(By.ID, "api-key").get_attribute("value") == ""


def test_the_score_box(page, server):
    quote = "Sanctuary cities that release criminal aliens put every resident at risk."
    enter_key(page)
    page.find_element(By.ID, "quote-text").send_keys(quote, Keys.ENTER)
    expected = api(server, "/v1/score", {"text": quote, "explain": True})
    wait_for_text(page, "quote-result", "confidence")
    shown = page.execute_script(
        """
        const r = document.getElementById('quote-result');
        return {
          stance: r.querySelector('.prediction-line .stance-name').textContent,
          line: r.querySelector('.prediction-line').textContent,
          probabilities: [...r.querySelectorAll('.probabilities li')].map(li => [
            li.querySelector('.prob-label').textContent, li.querySelector('.prob-value').textContent]),
        };
        """
    )
    assert shown["stance"] == expected["stance"]
    assert f"confidence {round(expected['confidence'] * 100)}%" in shown["line"]
    assert shown["probabilities"] == [[label, f"{round(p * 100)}%"] for label, p in expected["probabilities"].items()]

    why = page.find_element(By.CSS_SELECTOR, "#quote-result button")
    assert why.text == "Why this stance?" and why.get_attribute("aria-expanded") == "false"
    why.click()
    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#quote-result table.terms tbody tr"))
    weights = [float(cell.text) for cell in page.find_elements(By.CSS_SELECTOR, "#quote-result table.terms tbody td:nth-child(2)")]
    assert weights == [round(term["weight"], 3) for term in expected["explanation"]]
    assert why.get_attribute("aria-expanded") == "true"
    assert browser_errors(page) == []


# Rows chosen to be hard to carry through a browser: commas, quote marks, line breaks inside
# a field, accents and a character outside the Basic Multilingual Plane, an empty text.
CSV_ROWS = [
    {"id": "a1", "speaker": "Mayor Dana Whitfield", "text": "We will see the Justice Department in court, and we will win.", "notes": ""},
    {"id": "a2", "speaker": "Ray Ostrander", "text": 'Cities that shield "criminal aliens" must lose their grants.', "notes": "said twice"},
    {"id": "a3", "speaker": "County clerk", "text": "The county is reviewing the guidance\nand will respond by Friday.", "notes": "two lines"},
    {"id": "a4", "speaker": "", "text": "", "notes": "no text: kept, unscored"},
    {"id": "a5", "speaker": "Inés Calderón", "text": "Nuestra ciudad protege a sus vecinos; these conditions are unlawful 🙂", "notes": "accents"},
    {"id": "a6", "speaker": "Sheriff Tom Bexley", "text": "The rule of law means we hand over dangerous criminals to ICE.", "notes": ""},
    {"id": "a7", "speaker": "Council member", "text": "We are still reading the letter from Washington.", "notes": "a, b, c"},
    {"id": "a8", "speaker": "Governor Lena Marsh", "text": "Commandeering local police is unconstitutional, full stop.", "notes": ""},
    {"id": "a9", "speaker": "Attorney General's office", "text": "Jurisdictions that refuse to cooperate put officers at risk.", "notes": ""},
]


def write_quotes_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_ROWS[0]))
        writer.writeheader()
        writer.writerows(CSV_ROWS)
    return path


def batch_requests(server: LiveServer) -> int:
    return sum(1 for line in server.log_lines() if '"path": "/v1/score/batch"' in line)


def test_a_dropped_csv_comes_back_scored_as_stance_score_writes_it(page, server, downloads, tmp_path, stance_command):
    source = write_quotes_csv(tmp_path / "quotes.csv")
    reference = tmp_path / "reference.csv"
    done = subprocess.run([*stance_command, "score", str(source), "--output", str(reference), "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    requests_before = batch_requests(server)

    enter_key(page)
    page.find_element(By.ID, "csv-file").send_keys(str(source))  # a `text` column: scoring starts at once
    status = wait_for_text(page, "csv-status", "Done")
    assert "8 of 9 rows scored" in status and "1 left unscored" in status
    progress = page.find_element(By.ID, "csv-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "9"
    # The blank text is reported with its line, as `stance score` reports it (a3 spans lines 4-5).
    assert text_of(page, "csv-problems") == "line 6: blank text; row kept unscored"
    assert "quotes.csv:6: blank text" in done.stderr
    # 8 rows to score, at most 4 a request
    assert batch_requests(server) - requests_before == 2

    page.find_element(By.ID, "csv-download").click()
    downloaded = wait_for_download(downloads, "quotes-scored.csv").read_bytes()
    assert downloaded.startswith("\ufeff".encode())  # for spreadsheet programs
    got = list(csv.reader(io.StringIO(downloaded.decode("utf-8-sig"), newline="")))
    want = list(csv.reader(io.StringIO(reference.read_text(encoding="utf-8"), newline="")))
    assert got[0] == ["id", "speaker", "text", "notes", "stance", "confidence", "prob_support", "prob_oppose", "prob_neutral"]
    assert got == want
    assert [row[:4] for row in got[1:]] == [list(row.values()) for row in CSV_ROWS]
    assert browser_errors(page) == []


def test_a_csv_dropped_on_the_zone_with_another_text_column(page):
    enter_key(page)
    # A real drop event carrying a file, as the browser makes it when a file is dragged in.
    page.execute_script(
        """
        const file = new File(['speaker,quote\\nDana Whitfield,"We will sue, and we will win."\\n'], 'dropped.csv', {type: 'text/csv'});
        const data = new DataTransfer();
        data.items.add(file);
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        """
    )
    wait_for_text(page, "csv-status", "dropped.csv: 1 row, 2 columns", "Choose the column")
    column = page.find_element(By.ID, "csv-column")
    assert column.get_attribute("value") == "quote"
    assert page.switch_to.active_element == column
    page.find_element(By.ID, "csv-score").click()
    wait_for_text(page, "csv-status", "Done: 1 of 1 rows scored")


def test_a_speaker_role_over_the_limit_is_reported_for_its_row(page):
    # The limit comes from the page's data-max-context-chars; the other row is scored.
    enter_key(page)
    page.execute_script(
        """
        const role = 'r'.repeat(arguments[0] + 1);
        const file = new File([`text,speaker_role\\nWe will sue.,${role}\\nWe will see them in court.,Mayor\\n`], 'dropped.csv', {type: 'text/csv'});
        const data = new DataTransfer();
        data.items.add(file);
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        """,
        CONTEXT_LIMIT,
    )
    status = wait_for_text(page, "csv-status", "Done")
    assert "1 of 2 rows scored" in status
    assert text_of(page, "csv-problems") == f"line 2: speaker or speaker_role over {CONTEXT_LIMIT} characters; row kept unscored"


def test_scoring_can_be_stopped(page, tmp_path):
    # 800 rows at 4 a request: 200 requests, long enough to stop half-way.
    source = tmp_path / "many.csv"
    source.write_text("id,text\n" + "".join(f"{i},We will see them in court over grant {i}.\n" for i in range(800)), encoding="utf-8")
    enter_key(page)
    page.find_element(By.ID, "csv-file").send_keys(str(source))
    wait_for_text(page, "csv-status", "Scoring:")
    stop = page.find_element(By.ID, "csv-stop")
    assert stop.is_displayed()
    stop.click()
    wait_for_text(page, "csv-status", "Stopped.")
    done = int(page.find_element(By.ID, "csv-progress").get_attribute("value"))
    assert 0 <= done < 800
    assert not page.find_element(By.ID, "csv-done").is_displayed()
    assert not stop.is_displayed()


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "dropped.csv: the file is empty"),
        (b"\n\nid,text\n", "dropped.csv: the first line is blank"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "dropped.csv: the file is not text"),
        (b"id,text\n", "dropped.csv: 0 rows, 2 columns. There are no rows to score."),
    ],
    ids=["empty", "blank-header", "binary", "no-rows"],
)
def test_a_bad_csv_gets_a_message_that_names_the_problem(page, content, problem):
    page.execute_script(
        """
        const file = new File([new Uint8Array(arguments[0])], 'dropped.csv');
        const data = new DataTransfer();
        data.items.add(file);
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        """,
        list(content),
    )
    wait_for_text(page, "csv-status", problem)
    assert "error" in page.find_element(By.ID, "csv-status").get_attribute("class")


CSV_TEXTS = [
    'a,b\r\n1,2\r\n',
    'a,b\n"x, y","say ""no"""\n',
    'a,b\n"line one\nline two",z\n3,4',
    'a,b\n\n1,2\n',
    'a,b\n1,2,3,4\n5\n',
    'a,b\n"unterminated,1\n2,3\n',
    'a\n""\n',
    'a,b\rc,d\r',
    'a,b\n"x"y,z\n',
]


def test_the_csv_reader_reads_as_pythons_csv_module(page):
    """The page's CSV reader (service/static/csv.js) against Python's, record for record."""
    results = page.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        import('./static/csv.js').then(m => done(arguments[0].map(t => m.readRecords(t))));
        """,
        CSV_TEXTS,
    )
    for text, records in zip(CSV_TEXTS, results):
        if text.startswith('a,b\n"unterminated'):
            # Python's reader would run to the end of the file; like `stance score`, the page
            # keeps the opening line as it stands and reads on from the next one.
            assert [r["fields"] for r in records] == [["a", "b"], ['"unterminated', "1"], ["2", "3"]]
            assert records[1]["unterminated"] and records[1]["line"] == 2
            continue
        expected = list(csv.reader(io.StringIO(text, newline="")))
        assert [r["fields"] for r in records] == expected, text
    lines = [r["line"] for r in results[2]]
    assert lines == [1, 2, 4]


def test_the_csv_writer_writes_what_python_reads_back(page):
    rows = [["a", "b, c", 'say "no"'], ["line\nbreak", "", "ü 🙂"], [""]]
    text = page.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        import('./static/csv.js').then(m => done(m.writeCsv(arguments[0])));
        """,
        rows,
    )
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows


def test_keyboard_order_and_visible_focus(page):
    order = []
    for _ in range(11):
        ActionChains(page).send_keys(Keys.TAB).perform()
        active = page.switch_to.active_element
        order.append(active.get_attribute("id") or active.get_attribute("class") or active.tag_name)
    assert order == ["skip-link", "api-key", "forget-key", "article-text", "article-submit", "article-clear",
                     "quote-text", "quote-submit", "quote-speaker", "quote-role", "csv-file"]
    page.find_element(By.ID, "quote-text").click()
    ActionChains(page).send_keys(Keys.TAB).perform()
    assert page.switch_to.active_element.get_attribute("id") == "quote-submit"
    outline = page.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]")
    assert outline[0] != "none" and outline[1] != "0px"
    # Every control has a label a screen reader can read.
    unlabeled = page.execute_script(
        """
        return [...document.querySelectorAll('input, textarea, select')]
          .filter(e => !e.labels || e.labels.length === 0).map(e => e.id);
        """
    )
    assert unlabeled == []
    live = page.execute_script("return [...document.querySelectorAll('[aria-live]')].map(e => e.id)")
    assert {"article-status", "quote-result", "csv-status"} <= set(live)


def test_readable_on_a_phone(page, server):
    page.set_window_size(390, 844)
    try:
        enter_key(page)
        page.find_element(By.ID, "quote-text").send_keys("We will defend our immigrant neighbours in court.", Keys.ENTER)
        wait_for_text(page, "quote-result", "confidence")
        widths = page.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page is wider than the phone's screen: {widths}"
        font = page.execute_script("return parseFloat(getComputedStyle(document.getElementById('quote-text')).fontSize)")
        assert font >= 16  # smaller text in a field makes a phone zoom in
    finally:
        page.set_window_size(1280, 1000)


# --- the article: needs the quote finder ---------------------------------------------------

def quote_finder_missing() -> str | None:
    if importlib.util.find_spec("quote_stance.quotes.finder") is None:
        return "model.quotes is not importable: the quote finder is not in this build yet"
    return None


@pytest.fixture
def seed_article(shared_dir) -> str:
    missing = quote_finder_missing()
    if missing:
        pytest.skip(missing)
    return (shared_dir / SEED_ARTICLE).read_text(encoding="utf-8")


def paste_article(page, text: str) -> None:
    area = page.find_element(By.ID, "article-text")
    # Typing 2,000 characters key by key is slow; the page reads the field's value either way.
    page.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text)
    page.find_element(By.ID, "article-submit").click()


def test_every_attributed_quote_of_the_seed_article_is_marked(page, server, seed_article, downloads):
    enter_key(page)
    paste_article(page, seed_article)
    wait_for_text(page, "article-status", "Found")
    answer = api(server, "/v1/extract", {"text": seed_article})["quotes"]
    marked = page.execute_script(
        """
        return [...document.querySelectorAll('#article-view .quote')].map(q => ({
          words: q.querySelector('mark').textContent,
          speaker: q.dataset.speaker,
          stance: q.dataset.stance,
          classes: q.className,
          tag: q.querySelector('.quote-tag').textContent,
        }));
        """
    )
    by_words = {m["words"]: m for m in marked}
    attributed = [q for q in answer if q["speaker"]]
    assert len(attributed) >= len(SEED_QUOTES)
    for quote in attributed:
        shown = by_words.get(quote["quote"])
        assert shown is not None, f"not marked: {quote['quote']!r}"
        assert shown["speaker"] == quote["speaker"]
        assert shown["stance"] == quote["stance"] and f"stance-{quote['stance']}" in shown["classes"]
        # without colour: the tag names the speaker and the stance in words
        assert quote["speaker"] in shown["tag"] and quote["stance"] in shown["tag"]
        assert f"{round(quote['confidence'] * 100)}%" in shown["tag"]
    for speaker, words, stance in SEED_QUOTES:
        shown = by_words.get(words)
        assert shown is not None, f"the seed quote is not marked: {words!r}"
        assert shown["speaker"].split()[-1] == speaker
        assert shown["stance"] == stance, words

    # The table: one row a quote; sorts by confidence; downloads as CSV.
    rows = page.find_elements(By.CSS_SELECTOR, "#quote-table tbody tr")
    assert len(rows) == len(answer)
    header = page.find_element(By.CSS_SELECTOR, '#quote-table th[data-key="confidence"]')
    header.find_element(By.TAG_NAME, "button").click()  # most confident first
    assert header.get_attribute("aria-sort") == "descending"
    shown = [cell.text for cell in page.find_elements(By.CSS_SELECTOR, "#quote-table tbody td:nth-child(5)")]
    assert shown == [f"{round(q['confidence'] * 100)}%" for q in sorted(answer, key=lambda q: -q["confidence"])]
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    page.find_element(By.ID, "download-quotes").click()
    table = list(csv.DictReader(io.StringIO(wait_for_download(downloads, "quotes.csv").read_text(encoding="utf-8-sig"))))
    assert [row["quote"] for row in table] == [q["quote"] for q in sorted(answer, key=lambda q: q["confidence"])]
    assert {(row["speaker"], row["stance"]) for row in table} == {(q["speaker"] or "", q["stance"]) for q in answer}

    # On demand, the terms behind a quote's stance.
    why = page.find_element(By.CSS_SELECTOR, "#article-view .quote.stance-oppose button.why")
    why.click()
    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#detail-body table.terms tbody tr"))
    assert page.switch_to.active_element.get_attribute("id") == "detail-heading"
    assert browser_errors(page) == []


def test_extract_errors_are_shown(page):
    enter_key(page)
    paste_article(page, "   ")
    assert "Paste the text of an article first." in wait_for_text(page, "article-status", "Paste")
    if quote_finder_missing():
        paste_article(page, 'The mayor said, "We will sue."')
        assert "cannot do that yet" in wait_for_text(page, "article-status", "quote extraction is not part of this build")
