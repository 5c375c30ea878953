"""Take docs/page.png: the page for reporters with the seed article, in headless Chromium.

    python docs/take_page_screenshot.py [--article ../shared/articles/sanctuary-grants-2017-03-27.txt]
    python docs/take_page_screenshot.py --correction --output docs/corrections.png

Starts `stance serve` on a free loopback port (it needs the quote finder, model.quotes),
pastes the article, opens the terms behind one quote and saves the page down to the end of
the article's results. With --correction it saves a correction of the first quote in the table
instead (to a throwaway store) and shows the stance-by-speaker chart. Uses Debian's chromium and chromedriver, as the browser tests do.
"""

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import free_port  # noqa: E402
from tests.service.chromium import start_chromium, stop_chromium, unavailable  # noqa: E402

SEED = ROOT.parent / "shared" / "articles" / "sanctuary-grants-2017-03-27.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=SEED)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "page.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--correction", action="store_true", help="save a correction of the first quote instead of opening its terms")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"take_page_screenshot: error: {reason}", file=sys.stderr)
        return 1
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    text = args.article.read_text(encoding="utf-8")
    port = free_port()
    stance = Path(sys.executable).with_name("stance")
    # Corrections go to a throwaway store, not the user's.
    env = {**os.environ, "STANCE_DATA_DIR": tempfile.mkdtemp(prefix="stance-screenshot-")}
    server = subprocess.Popen([str(stance), "serve", "--port", str(port)], stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    driver = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("take_page_screenshot: error: stance serve did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        driver = start_chromium(Path(tempfile.mkdtemp()), (args.width, 900))
        driver.get(f"{base}/")
        area = driver.find_element(By.ID, "article-text")
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text)
        driver.find_element(By.ID, "article-submit").click()
        wait = WebDriverWait(driver, 30, poll_frequency=0.1)
        wait.until(lambda d: "Found" in d.find_element(By.ID, "article-status").text)
        # The terms of the longest quote, to show what "why?" opens.
        whys = driver.find_elements(By.CSS_SELECTOR, "#article-view .quote button.why")
        if args.correction:
            from selenium.webdriver.support.ui import Select

            row = driver.find_element(By.CSS_SELECTOR, "#quote-table tbody tr")
            choice = Select(row.find_element(By.CSS_SELECTOR, "select"))
            predicted = choice.first_selected_option.get_attribute("value")
            choice.select_by_value("neutral" if predicted != "neutral" else "oppose")
            row.find_element(By.CSS_SELECTOR, "button.correct-save").click()
            wait.until(lambda d: "Saved" in row.find_element(By.CSS_SELECTOR, ".correct-status").text)
        elif whys:
            longest = max(whys, key=lambda b: len(b.find_element(By.XPATH, "..").text))
            longest.click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#detail-body table.terms"))
        measure = "const r = document.getElementById('article-results').getBoundingClientRect(); return Math.ceil(r.bottom + window.scrollY + 16);"
        # A window as tall as the results, so the side column (sticky, one screen high) shows whole.
        driver.set_window_size(args.width, driver.execute_script(measure) + 200)
        driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
        time.sleep(0.3)
        bottom = driver.execute_script(measure)
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": args.width, "height": bottom, "scale": 1}},
        )
        args.output.write_bytes(base64.b64decode(shot["data"]))
        print(f"{args.output}: {args.width}x{bottom}")
    finally:
        if driver is not None:
            stop_chromium(driver)
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
