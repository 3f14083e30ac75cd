"""argmap site in a real browser (Debian's Chromium, driven by selenium): the
index, the search over all maps, and the links, opened from file://.

Skips locally without Chromium; fails under CI (the ``browser`` fixture of
tests/test_html_browser.py).
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT, SEED_MAP
from test_html_browser import ARTIFACTS, browser, console_errors, network_requests, open_page, wait  # noqa: F401 (fixture)
from test_site import SITE_DATA, run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    r = run(SEED_MAP, SITE_DATA, "-o", out, cwd=ROOT)
    assert r.exit_code == 0, r.output
    return out


def search(driver, text):
    box = driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text)  # each key runs the search at once (an input event)
    wait(driver, lambda: driver.find_element(By.ID, "search-count").text)


def hits(driver):
    return [(li.get_attribute("data-map"), li.get_attribute("data-node"))
            for li in driver.find_elements(By.CSS_SELECTOR, "#results li")]


def test_the_index_lists_the_maps(browser, site):
    open_page(browser, site / "index.html")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#maps a.map")]
    assert titles == ["Opportunity knocks for NATO and its partners in the Asia-Pacific",
                      "Price the curb by demand", "Trade parking minimums for transit passes"]
    assert not console_errors(browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-index.png"))


@pytest.mark.parametrize("query, page, node", [
    ("observers to exercises", "maps/maps--nato-asia-pacific.html", None),  # by text, the seed map
    ("claim-circling", "maps/tests--data--site--parking-curbs.html", "claim-circling"),  # by id
    ("MINNEAPOLIS complaints", "maps/tests--data--site--parking-editorial.html", "premise-minneapolis"),
])
def test_the_search_finds_a_node_of_each_map(browser, site, query, page, node):
    open_page(browser, site / "index.html")
    search(browser, query)
    found = hits(browser)
    assert found and all(m == page for m, _ in found), found
    if node is not None:
        assert (page, node) in found
    first = browser.find_element(By.CSS_SELECTOR, "#results li a.hit")
    li = browser.find_element(By.CSS_SELECTOR, "#results li")
    assert li.find_elements(By.TAG_NAME, "mark"), "the matched words (of the text or the id) are marked"
    target = found[0][1]
    first.click()  # the node's page opens with the node selected
    wait(browser, lambda: browser.current_url.split("#")[0].endswith(page))
    wait(browser, lambda: browser.execute_script("return document.documentElement.dataset.ready === '1'"))
    assert browser.execute_script(
        "return [...document.querySelectorAll('g.node.selected')].map(g => g.dataset.node)") == [target]
    assert not console_errors(browser)


def test_the_search_counts_and_clears(browser, site):
    open_page(browser, site / "index.html")
    search(browser, "thesis")
    assert {m for m, _ in hits(browser)} == {
        "maps/maps--nato-asia-pacific.html", "maps/tests--data--site--parking-curbs.html",
        "maps/tests--data--site--parking-editorial.html"}
    assert " in 3 maps" in browser.find_element(By.ID, "search-count").text
    search(browser, "no such words anywhere")
    assert hits(browser) == [] and browser.find_element(By.ID, "search-count").text == "0 nodes"


def test_links_between_index_and_pages(browser, site):
    open_page(browser, site / "index.html")
    browser.find_element(By.LINK_TEXT, "Price the curb by demand").click()
    wait(browser, lambda: browser.current_url.endswith("maps/tests--data--site--parking-curbs.html"))
    wait(browser, lambda: browser.execute_script("return document.documentElement.dataset.ready === '1'"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Price the curb by demand"
    # the site's line sits in the page's header and leaves the page's layout whole
    assert browser.execute_script("""
        const bar = document.getElementById('site-bar'), h1 = document.querySelector('header#top h1');
        const map = document.getElementById('map').getBoundingClientRect(), r = h1.getBoundingClientRect();
        return bar.closest('header#top') !== null && r.top >= 0 && r.bottom <= map.top && map.height > 200;""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-map-page.png"))
    # a map of the same article
    browser.find_element(By.CSS_SELECTOR, "#site-bar a.related").click()
    wait(browser, lambda: browser.current_url.endswith("maps/tests--data--site--parking-editorial.html"))
    # and back to the index
    browser.find_element(By.ID, "site-index").click()
    wait(browser, lambda: browser.current_url.endswith("/index.html"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Argument maps"
    # the index's own same-article links
    rel = browser.find_elements(By.CSS_SELECTOR, "#maps a.related")
    assert sorted(a.get_attribute("href").rsplit("/", 1)[1] for a in rel) == [
        "tests--data--site--parking-curbs.html", "tests--data--site--parking-editorial.html"]


def test_the_site_makes_no_network_request(browser, site):
    open_page(browser, site / "index.html")
    search(browser, "nato")
    time.sleep(0.3)
    requests = network_requests(browser)
    assert requests, "the performance log recorded nothing; the test would prove nothing"
    assert [u for u in requests if u.split("#")[0] != (site / "index.html").as_uri()] == []
    assert not console_errors(browser)  # a CSP violation (say, the script's hash) would show here
