"""A real browser on `provenance serve`: the canned query page shows the seed derivation, and a
hostile title stays text (no script runs).

Needs Debian's `chromium` and `chromium-driver`, which `scripts/test` installs with apt-get.
Selenium is pointed at /usr/bin/chromedriver and /usr/bin/chromium and kept offline, so it never
downloads a driver or a browser. Without them the test is skipped, except in CI (CI=true), where
a missing browser is a failure: there it must really run.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from provenance import pipeline, store

from .conftest import DERIVATIVE_ID, ROOT, SEEDS, SOURCE_ID

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = next((Path(p) for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
HOSTILE_TITLE = '<script>window.pwned = 1; document.title = "pwned"</script><img src=x onerror="window.pwned = 2"> Bericht'


def _browser_or_skip():
    if CHROMEDRIVER.exists() and CHROMIUM is not None:
        return
    reason = "chromium and chromium-driver are not installed (scripts/test installs them with apt-get as root)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI the browser test must run")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"provenance serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"provenance serve did not answer on {url} within {seconds}s")


@pytest.fixture
def served(tmp_path):
    """`provenance serve` on a free 127.0.0.1 port over the seeds plus one hostile article."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, corpus / seed.name)
    (corpus / "hostile.txt").write_text(
        f"{HOSTILE_TITLE}\n\nEin ganz gewöhnlicher Satz folgt hier, mit [einem Link](javascript:window.pwned=3) "
        "und `Code`.\n\n| a | b |\n|---|---|\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "provenance.db"
    db = store.open_db(db_path)
    pipeline.audit([str(corpus)], db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    port = _free_port()
    command = [sys.executable, "-c", "from provenance.cli import cli; cli()", "serve", "--db", str(db_path), "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser(monkeypatch):
    _browser_or_skip()
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never try to download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_canned_query_page_shows_the_seed_derivation_and_hostile_text_stays_inert(served, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/provenance/derivations_with_titles")
    rows = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    ]
    assert any(DERIVATIVE_ID in cells and SOURCE_ID in cells for cells in rows), rows

    browser.get(f"{served}/provenance/documents?_sort=id")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>window.pwned = 1;" in body  # shown as the characters it is
    assert browser.execute_script("return window.pwned === undefined")
    assert "pwned" not in browser.title
    assert not browser.find_elements(By.CSS_SELECTOR, "td img")

    browser.get(f"{served}/provenance/documents/hostile")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "[einem Link](javascript:window.pwned=3)" in body and "`Code`" in body
    inline_scripts = browser.find_elements(By.CSS_SELECTOR, "script:not([src])")
    assert all("pwned" not in (script.get_attribute("innerHTML") or "") for script in inline_scripts)
    assert not browser.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"]')
    assert browser.execute_script("return window.pwned === undefined")
