"""Debian's headless Chromium driven by Selenium through Debian's chromedriver.

Both paths are given explicitly, so Selenium Manager never runs (it would try to download a
driver or a browser). `unavailable()` says why the browser cannot run here, or None.
"""

import importlib.util
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
)


def unavailable() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.is_file():
            return f"{path} is absent: install Debian's chromium and chromium-driver (.ci/run does)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed: pip install -e '.[dev]'"
    return None


def start_chromium(download_dir: Path, window: tuple[int, int] = (1280, 1000)):
    """A fresh headless Chromium (its own profile) that saves downloads in `download_dir`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={window[0]},{window[1]}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    # Headless Chromium saves downloads only when told where, through DevTools.
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    driver.profile_dir = profile
    return driver


def stop_chromium(driver) -> None:
    import shutil

    try:
        driver.quit()
    finally:
        shutil.rmtree(driver.profile_dir, ignore_errors=True)
