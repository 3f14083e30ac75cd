"""The HTML page in a real browser: Debian's Chromium, driven by selenium.

Locally these tests skip when Chromium or its driver is absent; under ``CI``
they fail instead (``need()``). Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED_MAP, need
from test_html import HOSTILE, import_corpus_map, page_for, write

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("ARGMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("ARGMAP_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser():
    need(os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    need(os.path.exists(CHROMEDRIVER), f"no chromedriver at {CHROMEDRIVER} (apt-get install chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="argmap-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                "--disable-default-apps", f"--user-data-dir={profile}", "--window-size=1366,768",
                "--force-prefers-reduced-motion"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(1366, 768)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The seed map's page, and a few others, written as files."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    seed = folder / "seed.html"
    seed.write_text(page_for(SEED_MAP), encoding="utf-8")
    out["seed"] = seed
    bare = write(folder, "bare.yaml", """
        argmap: 1
        title: A map without a source
        nodes:
          - {id: t, kind: thesis, text: Cities should tax cars., quote: "cars should pay"}
          - {id: p, kind: premise, text: Cars congest streets., supports: [t]}
          - {id: o, kind: objection, text: Taxes hurt the poor., attacks: [t]}
    """)
    (folder / "bare.html").write_text(page_for(bare), encoding="utf-8")
    out["bare"] = folder / "bare.html"
    evil = write(folder, "evil.yaml", HOSTILE)
    (folder / "evil.html").write_text(page_for(evil), encoding="utf-8")
    out["evil"] = folder / "evil.html"
    return out


def open_page(driver, path: Path, fragment: str = ""):
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get_log("browser")
    driver.get(path.as_uri() + fragment)
    wait(driver, lambda: driver.execute_script("return document.documentElement.dataset.ready === '1'"))


def wait(driver, cond, timeout=5.0):
    end = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def fit(driver):
    driver.find_element("id", "zoom-fit").click()


def node_el(driver, node_id):
    return driver.find_element("css selector", f'g.node[data-node="{node_id}"]')


def selected(driver):
    return js(driver, "return [...document.querySelectorAll('g.node.selected')].map(g => g.dataset.node)")


def active_text(driver):
    return js(driver, "return [...document.querySelectorAll('mark.q.active')].map(m => m.textContent).join('')")


def in_view(driver, css, container):
    return js(driver, """
        const e = document.querySelector(arguments[0]), c = document.querySelector(arguments[1]);
        if (!e) return false;
        const r = e.getBoundingClientRect(), b = c.getBoundingClientRect();
        return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.height > 0;""", css, container)


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def network_requests(driver) -> list[str]:
    """The URLs the page asked for since the log was last read (Chromium's performance log)."""
    requests = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            requests.append(msg["params"].get("request", {}).get("url") or msg["params"].get("url"))
    return requests


def seed_nodes():
    from argmap.io.loading import load_map

    return load_map(SEED_MAP).map.nodes


# --------------------------------------------------------------------------- map -> article


def test_click_node_highlights_its_passage(browser, pages):
    from argmap.map.source import normalize

    open_page(browser, pages["seed"])
    fit(browser)
    # a passage near the end of the article, so it has to be scrolled to
    node = [n for n in seed_nodes() if n.quote][-3]
    node_el(browser, node.id).click()
    assert selected(browser) == [node.id]
    shown = active_text(browser)
    assert normalize(" ".join(shown.split())).lower() == normalize(" ".join(node.quote.split())).lower()
    wait(browser, lambda: in_view(browser, "mark.q.active", "#article"))
    # the side panel shows the node
    panel = browser.find_element("id", "details").text
    assert node.text in panel and node.id in panel and node.kind.value in panel
    assert not console_errors(browser)


def test_relations_in_the_panel_are_links(browser, pages):
    open_page(browser, pages["seed"])
    fit(browser)
    node = next(n for n in seed_nodes() if n.supports)
    target = node.supports[0].to
    node_el(browser, node.id).click()
    link = browser.find_element("css selector", f'#details a[data-go="{target}"]')
    link.click()
    assert selected(browser) == [target]
    # and back: the target lists the node under "Supported by"
    assert browser.find_elements("css selector", f'#details a[data-go="{node.id}"]')
    assert "SUPPORTED BY" in browser.find_element("id", "details").text.upper()


# --------------------------------------------------------------------------- article -> map


def test_click_passage_selects_its_node(browser, pages):
    open_page(browser, pages["seed"])
    marks = js(browser, "return [...document.querySelectorAll('mark.q')].map(m => m.dataset.n)")
    single = [m for m in marks if " " not in m]
    target = single[len(single) // 2]
    mark = browser.find_element("css selector", f'mark.q[data-n="{target}"]')
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    assert selected(browser) == [target]
    assert "active" in mark.get_attribute("class")
    # the node was brought into the map's view
    wait(browser, lambda: in_view(browser, f'g.node[data-node="{target}"]', "#map"))
    assert target in browser.find_element("id", "details").text


# --------------------------------------------------------------------------- search, filters, keys


def test_search_box_finds_nodes_by_text_and_id(browser, pages):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["seed"])
    box = browser.find_element("id", "search")
    box.send_keys("observers")
    expected = sorted(n.id for n in seed_nodes()
                      if "observers" in f"{n.id} {n.text} {n.quote or ''} {n.actor or ''} {' '.join(n.tags)}".lower())
    assert expected
    found = sorted(js(browser, "return [...document.querySelectorAll('g.node.match')].map(g => g.dataset.node)"))
    assert found == expected
    count = browser.find_element("id", "search-count").text
    assert count.startswith(str(len(expected)))
    box.send_keys(Keys.ENTER)
    assert selected(browser) == [js(browser, "return document.querySelector('g.node.match').dataset.node")] or \
        selected(browser)[0] in expected
    # an id works as well
    box.clear()
    some = seed_nodes()[7].id
    box.send_keys(some)
    assert some in js(browser, "return [...document.querySelectorAll('g.node.match')].map(g => g.dataset.node)")
    # Escape in the box empties it and clears the selection
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("value") == ""
    assert not js(browser, "return document.querySelectorAll('g.node.match').length")
    assert selected(browser) == []


def test_kind_filter_hides_and_shows_a_kind(browser, pages):
    open_page(browser, pages["seed"])
    kinds = {n.id: n.kind.value for n in seed_nodes()}
    objections = sorted(i for i, k in kinds.items() if k == "objection")
    assert objections
    box = browser.find_element("css selector", '#kinds input[data-kind="objection"]')
    box.click()
    off = sorted(js(browser, "return [...document.querySelectorAll('g.node.off')].map(g => g.dataset.node)"))
    assert off == objections
    # their passages are no longer highlighted; shared passages stay
    marks = js(browser, "return [...document.querySelectorAll('mark.q')].map(m => [m.dataset.n, m.classList.contains('off')])")
    for ids, is_off in marks:
        assert is_off == all(kinds[i] == "objection" for i in ids.split())
    # hidden nodes leave the tab order
    assert {node_el(browser, i).get_attribute("tabindex") for i in objections} == {"-1"}
    box.click()
    assert not js(browser, "return document.querySelectorAll('.off').length")


def test_escape_clears_the_selection(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["seed"])
    overview = browser.find_element("id", "details").text
    fit(browser)
    node_el(browser, seed_nodes()[0].id).click()
    assert selected(browser)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert selected(browser) == []
    assert active_text(browser) == ""
    assert browser.find_element("id", "details").text == overview


def test_keyboard_tab_to_a_node_and_enter(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["seed"])
    js(browser, "document.getElementById('search').focus()")
    first = None
    for _ in range(30):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        first = js(browser, "const a = document.activeElement; return a.matches('g.node') ? a.dataset.node : null")
        if first:
            break
    assert first, "Tab never reached a map node"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert selected(browser) == [first]
    # the next Tab goes to another node, which Enter selects
    ActionChains(browser).send_keys(Keys.TAB).perform()
    second = js(browser, "return document.activeElement.dataset.node")
    assert second and second != first
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert selected(browser) == [second]
    # "/" jumps to the search box
    ActionChains(browser).send_keys(Keys.ESCAPE).send_keys("/").perform()
    assert js(browser, "return document.activeElement.id") == "search"


def test_pan_and_zoom(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, pages["seed"])

    def vb():
        """The visible window of the map, in SVG units: x, y, width, height."""
        return js(browser, """
            const s = document.querySelector('#map svg'), m = new DOMMatrix(getComputedStyle(s).transform),
                  r = document.getElementById('map').getBoundingClientRect();
            return [-m.e / m.a, -m.f / m.d, r.width / m.a, r.height / m.d].map(v => Math.round(v * 1000) / 1000);""")

    fit(browser)
    full = vb()
    browser.find_element("id", "zoom-in").click()
    zoomed = vb()
    assert zoomed[2] < full[2] and zoomed[3] < full[3]
    svg = browser.find_element("css selector", "#map svg")
    ActionChains(browser).move_to_element_with_offset(svg, 5, 5).click_and_hold().move_by_offset(80, 40).release().perform()
    panned = vb()
    assert panned[0] < zoomed[0] and panned[1] < zoomed[1] and panned[2] == pytest.approx(zoomed[2])
    assert selected(browser) == []  # a drag is not a click
    js(browser, """const s = document.querySelector('#map svg'), r = s.getBoundingClientRect();
        s.dispatchEvent(new WheelEvent('wheel', {deltaY: 200, clientX: r.left + 50, clientY: r.top + 50,
                                                 bubbles: true, cancelable: true}));""")
    assert vb()[2] > panned[2]
    fit(browser)
    assert vb() == full


def test_link_with_a_node_id_opens_with_it_selected(browser, pages):
    node = seed_nodes()[3]
    browser.get("about:blank")
    open_page(browser, pages["seed"], "#" + node.id)
    assert selected(browser) == [node.id]
    assert node.text in browser.find_element("id", "details").text
    # editing the fragment of an open page selects too
    other = seed_nodes()[9]
    js(browser, "location.hash = arguments[0]", other.id)
    wait(browser, lambda: selected(browser) == [other.id])


# --------------------------------------------------------------------------- other maps


def test_map_without_source(browser, pages):
    open_page(browser, pages["bare"])
    assert not browser.find_elements("css selector", "#article")
    fit(browser)
    node_el(browser, "t").click()
    panel = browser.find_element("id", "details").text
    assert "Cities should tax cars." in panel and "cars should pay" in panel
    assert "Supported by".upper() in panel.upper() and "Attacked by".upper() in panel.upper()
    # nodes with check problems are outlined, and their problems listed in the panel
    with_problems = js(browser, """const d = JSON.parse(document.getElementById('argmap-data').textContent);
        return Object.keys(d.nodes).filter(id => d.nodes[id].problems)""")
    assert with_problems, "the test map should have a check finding"
    outlined = js(browser, "return [...document.querySelectorAll('g.node.problem')].map(g => g.dataset.node)")
    assert sorted(outlined) == sorted(with_problems)
    node_el(browser, with_problems[0]).click()
    assert "CHECK PROBLEMS" in browser.find_element("id", "details").text.upper()
    # a small map is not blown up to fill the pane
    scale = js(browser, "return new DOMMatrix(getComputedStyle(document.querySelector('#map svg')).transform).a")
    assert 0.5 < scale <= 1.35
    assert not console_errors(browser)


def test_imported_corpus_map(browser, corpora, tmp_path):
    from argmap.io.loading import load_map

    m = import_corpus_map(corpora / "microtexts" / "micro_b001.xml", tmp_path / "micro_b001.yaml")
    page = tmp_path / "micro_b001.html"
    page.write_text(page_for(m), encoding="utf-8")
    nodes = load_map(m).map.nodes
    open_page(browser, page)
    fit(browser)
    for n in nodes:
        if not browser.find_elements("css selector", f'mark.q[data-n~="{n.id}"]'):
            continue
        node_el(browser, n.id).click()
        assert selected(browser) == [n.id]
        assert " ".join(active_text(browser).split()).lower() in " ".join(n.quote.split()).lower()
    mark = browser.find_elements("css selector", "mark.q")[-1]
    mark.click()
    assert selected(browser) == [mark.get_attribute("data-n").split()[0]]
    assert not console_errors(browser)


def test_linked_undercut_and_dangling_relations_in_the_panel(browser, tmp_path):
    (tmp_path / "s.txt").write_text("One sentence here. Two sentence there.\n\nThird one.\n", encoding="utf-8")
    m = write(tmp_path, "odd.yaml", """
        argmap: 1
        source: {path: s.txt}
        nodes:
          - {id: a, kind: thesis, text: The thesis., quote: "One sentence here"}
          - {id: p1, kind: premise, text: First premise., quote: "sentence here. Two",
             supports: [{to: a, with: [p2], scheme: Expert opinion}]}
          - {id: p2, kind: premise, text: Second premise., quote: "not in the text"}
          - {id: u, kind: objection, text: The undercut., undercuts: [p1->a], quote: "Third one"}
          - {id: d, kind: claim, text: Dangling., supports: [ghost]}
    """)
    page = tmp_path / "odd.html"
    page.write_text(page_for(m), encoding="utf-8")
    open_page(browser, page)
    fit(browser)

    def panel_after_click(nid):
        js(browser, "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", node_el(browser, nid))
        return " ".join(browser.find_element("id", "details").text.split())

    text = panel_after_click("p1")
    assert "SUPPORTS The thesis. (together with Second premise.) — Expert opinion" in text
    assert "UNDERCUT BY The undercut." in text
    assert "UNDERCUTS First premise. → The thesis." in panel_after_click("u")
    assert "not found in the source text" in panel_after_click("p2")
    text = panel_after_click("d")
    assert "ghost (no such node in the map)" in text and "dangling-relation" in text
    assert not browser.find_elements("css selector", '#details a[data-go="ghost"]')
    # the overlapping quotes of a and p1: the shorter one first, the next click the other
    shared = browser.find_element("css selector", 'mark.q[data-n="a p1"], mark.q[data-n="p1 a"]')
    first = shared.get_attribute("data-n").split()
    js(browser, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    shared.click()
    assert selected(browser) == [first[0]]
    shared.click()
    assert selected(browser) == [first[1]]
    assert not console_errors(browser)


def test_hostile_map_runs_nothing(browser, pages):
    from selenium.common.exceptions import NoAlertPresentException

    open_page(browser, pages["evil"])
    fit(browser)
    for nid in ("t", "c"):
        node_el(browser, nid).click()
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert js(browser, "return window.__pwned === undefined")
    assert js(browser, "return document.scripts.length") == 2
    assert "Quote with <tags>" in browser.find_element("id", "details").text
    assert "<script>window.__pwned = 2</script>" in browser.find_element("id", "article").text


# --------------------------------------------------------------------------- no network, layout, print


def test_page_makes_no_network_request(browser, pages):
    open_page(browser, pages["seed"])
    fit(browser)
    node_el(browser, seed_nodes()[1].id).click()
    browser.find_element("css selector", "mark.q").click()
    browser.find_element("id", "search").send_keys("nato")
    time.sleep(0.3)
    requests = network_requests(browser)
    page_url = pages["seed"].as_uri()
    assert requests, "the performance log recorded nothing; the test would prove nothing"
    assert [u for u in requests if u.split("#")[0] != page_url] == []
    assert not console_errors(browser)  # a CSP violation would show here


def test_screenshots_laptop_and_phone(browser, pages):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    node = [n for n in seed_nodes() if n.quote][14]
    browser.get("about:blank")
    open_page(browser, pages["seed"], "#" + node.id)  # selected and brought into view
    time.sleep(0.3)
    browser.save_screenshot(str(ARTIFACTS / "html-seed-laptop.png"))
    assert (ARTIFACTS / "html-seed-laptop.png").stat().st_size > 20_000
    try:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        browser.get("about:blank")
        open_page(browser, pages["seed"])
        # nothing sticks out sideways on a phone in portrait
        assert js(browser, "return document.documentElement.scrollWidth") <= 390
        heights = js(browser, """return ['#map', '#article'].map(s => document.querySelector(s).getBoundingClientRect().height)""")
        assert all(h > 150 for h in heights), heights
        js(browser, "location.hash = arguments[0]", node.id)
        time.sleep(0.3)
        wait(browser, lambda: in_view(browser, "mark.q.active", "#article"))
        browser.save_screenshot(str(ARTIFACTS / "html-seed-phone.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(1366, 768)


def test_print_shows_map_article_and_index(browser, pages):
    open_page(browser, pages["seed"])
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = js(browser, """return ['.tools', '#details', '.zoom'].map(
            s => getComputedStyle(document.querySelector(s)).display)""")
        assert hidden == ["none", "none", "none"]
        assert js(browser, "return getComputedStyle(document.getElementById('index')).display") == "block"
        assert js(browser, "return getComputedStyle(document.body).overflow") == "visible"
        pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
        data = base64.b64decode(pdf["data"])
        assert data.startswith(b"%PDF")
        # a wide map prints on a landscape page (the seed map is drawn taller than wide since issue 18),
        # the article on portrait ones
        wide = js(browser, "const b = document.querySelector('#map svg').viewBox.baseVal; "
                           "return b.width > 1.25 * b.height")
        boxes = {tuple(float(v) for v in b.split()) for b in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
        assert any(b[2] > b[3] for b in boxes) == wide and any(b[2] < b[3] for b in boxes), boxes
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    index_text = js(browser, "return document.getElementById('index').textContent")
    assert all(n.id in index_text for n in seed_nodes())


# --------------------------------------------------------------------------- issue 18: how a highlighted node looks


def test_highlighted_copies_are_drawn_like_the_node(browser, pages):
    """The selected node and its neighbours are drawn again above the veil: the copies must keep
    the page's font and the space between kind and id (a <use> copy lost both: "CLAIMclaim-x",
    text running past the box), and the selection is a stroke, not a filter that blurs the text."""
    open_page(browser, pages["seed"], "#claim-lower-bar")
    assert selected(browser) == ["claim-lower-bar"]
    widths = js(browser, """
        const orig = document.querySelector('g.node[data-node="claim-lower-bar"]');
        const copy = [...document.querySelectorAll('g.raised g.copy')].find(
            c => c.querySelector('text').textContent === orig.querySelector('text').textContent
                 && c.querySelectorAll('text')[1].textContent === orig.querySelectorAll('text')[1].textContent);
        const w = g => [...g.querySelectorAll('text')].map(t => Math.round(t.getComputedTextLength() * 10));
        return [w(orig), copy ? w(copy) : null, getComputedStyle(orig).filter,
                copy ? getComputedStyle(copy.querySelector('text')).fontFamily : null,
                getComputedStyle(orig.querySelector('text')).fontFamily];""")
    orig, copy, filt, copy_font, font = widths
    assert copy == orig, "the raised copy's text is laid out differently from the node's"
    assert copy_font == font
    assert filt == "none"
    # the copies are not nodes: nothing in the page counts them twice
    assert js(browser, "return document.querySelectorAll('g.raised [id], g.raised [data-node], g.raised [tabindex]').length") == 0
    # the id keeps its leading space: the kind and the id do not touch
    gap = js(browser, """const t = [...document.querySelectorAll('g.raised g.copy.selected text')];
        const a = t[0].getBBox(); return t[1].getStartPositionOfChar(1).x - (a.x + a.width);""")
    assert gap > 1


def test_hint_does_not_cover_the_map_and_passages_read_apart(browser, tmp_path):
    """No hint sits on the map; a quoted passage (a fill, a solid line) and a sentence no node
    quotes (no fill, a wavy line) differ in more than a shade of grey, premises included."""
    (tmp_path / "a.txt").write_text("The premise sentence is quoted. Nobody quotes this sentence.\n", encoding="utf-8")
    m = write(tmp_path, "a.yaml", """
        argmap: 1
        source: {path: a.txt}
        nodes:
          - {id: t, kind: thesis, text: A thesis., quote: "not in the article at all"}
          - {id: p, kind: premise, text: A premise., quote: "The premise sentence is quoted.", supports: [t]}
    """)
    page = tmp_path / "a.html"
    page.write_text(page_for(m), encoding="utf-8")
    open_page(browser, page)
    assert not browser.find_elements("css selector", "#map .map-hint, #map p")
    assert "drag the map to pan" in browser.find_element("id", "details").text
    quoted, unquoted = js(browser, """
        const s = e => { const c = getComputedStyle(e); return [c.backgroundColor, c.textDecorationLine,
            c.textDecorationStyle, c.boxShadow]; };
        return [s(document.querySelector('mark.q[data-k="premise"]')), s(document.querySelector('span.unc'))];""")
    assert quoted[0] not in ("rgba(0, 0, 0, 0)", "transparent") and quoted[1] == "none" and quoted[3] != "none"
    assert unquoted[0] in ("rgba(0, 0, 0, 0)", "transparent") and unquoted[1] == "underline"
    assert unquoted[2] == "wavy"
    path = ARTIFACTS / "html-passages.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.find_element("id", "article").screenshot(str(path))


# --------------------------------------------------------------------------- issue 17: drafts


def test_review_panel_lists_drafts_by_confidence(browser, tmp_path):
    m = write(tmp_path, "d.yaml", """
        argmap: 1
        nodes:
          - {id: t, kind: thesis, text: The thesis., draft: {confidence: 0.9, backend: heuristic}}
          - {id: a, kind: claim, text: Claim A., supports: [t], draft: {confidence: 0.35}}
          - {id: b, kind: premise, text: Premise B., supports: [a], draft: {confidence: 0.6}}
          - {id: c, kind: claim, text: Reviewed claim., supports: [t]}
    """)
    page = tmp_path / "d.html"
    page.write_text(page_for(m), encoding="utf-8")
    open_page(browser, page)
    panel = browser.find_element("css selector", "#details .review")
    assert "drafts to review (3)" in panel.text.lower()
    links = panel.find_elements("css selector", "a[data-go]")
    assert [a.get_attribute("data-go") for a in links] == ["a", "b", "t"]  # lowest confidence first
    assert [e.text for e in panel.find_elements("css selector", ".conf")] == ["0.35", "0.60", "0.90"]
    drafts = js(browser, "return [...document.querySelectorAll('g.node.draft')].map(g => g.dataset.node).sort()")
    assert drafts == ["a", "b", "t"]
    assert "draft 0.35" in node_el(browser, "a").get_attribute("aria-label")
    links[0].click()
    assert selected(browser) == ["a"]
    details = browser.find_element("id", "details").text
    assert "draft 0.35" in details and "not reviewed yet" in details
    # back to the overview, and the next one
    js(browser, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    browser.find_element("css selector", '#details .review a[data-go="b"]').click()
    assert selected(browser) == ["b"]
    assert not console_errors(browser)


# --------------------------------------------------------------------------- big maps


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    """A generated 2,000-node map with an article and cross relations."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from genmap import dump_yaml, generate

    folder = tmp_path_factory.mktemp("big")
    m = folder / "big.yaml"
    m.write_text(dump_yaml(generate(2000, "mixed", 3, source=True)), encoding="utf-8")
    page = folder / "big.html"
    page.write_text(page_for(m), encoding="utf-8")
    return page


def test_page_fires_ready_once_its_handlers_are_bound(browser, pages):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        document.addEventListener('ready', () => { window.__ready = [performance.now(),
            document.documentElement.dataset.ready]; }, {once: true});"""})
    try:
        open_page(browser, pages["seed"])
        at, flagged = js(browser, "return window.__ready")
        assert flagged == "1"  # the handlers were bound before it fired
        assert js(browser, "return performance.getEntriesByName('ready').map(e => e.startTime)") == [
            pytest.approx(at, abs=2)]
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": "1"})


def test_big_map_lays_out_only_the_labels_in_view(browser, big_page):
    open_page(browser, big_page)
    wait(browser, lambda: js(browser, "return document.querySelectorAll('g.node.lbl').length"))  # after a frame
    state = js(browser, """
        const s = document.querySelector('#map svg'), m = new DOMMatrix(getComputedStyle(s).transform),
              pane = document.getElementById('map').getBoundingClientRect(),
              nodes = JSON.parse(document.getElementById('argmap-data').textContent).nodes;
        const lbl = [...document.querySelectorAll('g.node.lbl')].map(g => g.dataset.node);
        const shown = [...document.querySelectorAll('g.node[data-node]:not(.lbl) > text')].filter(t => t.getBBox().width > 0);
        // which labelled nodes are at least partly in the pane (box in SVG units, shown at m)
        const inPane = lbl.filter(id => { const b = nodes[id].box, x = m.e + m.a * b[0], y = m.f + m.d * b[1];
            return x < pane.width && x + m.a * b[2] > 0 && y < pane.height && y + m.d * b[3] > 0; });
        return [lbl.length, inPane.length, shown.length, Object.keys(nodes).length];""")
    labelled, in_pane, unlabelled_text_laid_out, total = state
    assert total == 2000
    assert 0 < labelled < total / 4, state
    assert in_pane > 0 and unlabelled_text_laid_out == 0, state
    # panning brings labels to the nodes coming into view
    from selenium.webdriver.common.action_chains import ActionChains

    labels = "return [...document.querySelectorAll('g.node.lbl')].map(g => g.dataset.node)"
    before = set(js(browser, labels))
    pane = browser.find_element("css selector", "#map")  # a big drawing's centre may lie out of view
    # drag towards the part of the drawing not yet in view (a drawing may be tall or wide)
    dx, dy = js(browser, """
        const s = document.querySelector('#map svg'), m = new DOMMatrix(getComputedStyle(s).transform),
              pane = document.getElementById('map').getBoundingClientRect(), b = s.getBBox();
        const right = m.e + m.a * (b.x + b.width) - pane.width, below = m.f + m.d * (b.y + b.height) - pane.height;
        return [right > -m.e ? -1 : 1, below > -m.f ? -1 : 1];""")
    for _ in range(3):
        ActionChains(browser).move_to_element_with_offset(pane, -100 * dx, -100 * dy).click_and_hold() \
            .move_by_offset(200 * dx, 200 * dy) \
            .release().perform()
    wait(browser, lambda: set(js(browser, labels)) - before)
    after = set(js(browser, labels))
    assert after and after - before, (len(before), len(after))
    # a node far from the start selects, reveals and shows its passage like any other
    far = js(browser, "return [...document.querySelectorAll('g.node[data-node]:not(.lbl)')].pop().dataset.node")
    js(browser, "location.hash = arguments[0]", far)
    wait(browser, lambda: selected(browser) == [far])
    wait(browser, lambda: js(browser, "return document.querySelector('g.node.selected').classList.contains('lbl')"))
    assert js(browser, "return document.querySelectorAll('mark.q.active').length") > 0
    # search over 2,000 nodes, quotes (read from the article) included
    quote_word = js(browser, "return document.querySelector('mark.q.active').textContent.split(' ')[0]")
    browser.find_element("id", "search").send_keys(quote_word)
    assert js(browser, "return document.querySelectorAll('g.node.match').length") > 0
    # zoomed out to the whole map, no label would be legible: none is laid out
    fit(browser)
    wait(browser, lambda: js(browser, labels) == [])
    assert not console_errors(browser)


def test_each_highlighted_element_is_copied_once(browser, pages):
    """Searching while a node is selected redraws the copies above the veil: one per element."""
    open_page(browser, pages["seed"], "#claim-lower-bar")
    count = """const near = [...document.querySelectorAll('#map g.near')].filter(e => !e.closest('g.raised'));
        const matches = [...document.querySelectorAll('#map g.node.match:not(.near)')];
        return [near.length + matches.length, document.querySelectorAll('g.raised > g').length];"""
    expected, copies = js(browser, count)
    assert expected > 1 and copies == expected
    box = browser.find_element("id", "search")
    for word in ("n", "a", "t", "o"):
        box.send_keys(word)
        expected, copies = js(browser, count)
        assert copies == expected, word


def test_ids_that_name_object_properties(browser, tmp_path):
    """Map ids are looked up in plain dictionaries: "constructor" is a node, "toString" is not."""
    m = write(tmp_path, "proto.yaml", """
        argmap: 1
        nodes:
          - {id: constructor, kind: thesis, text: A thesis named like a property.}
          - {id: valueOf, kind: claim, text: A claim., supports: [constructor]}
    """)
    page = tmp_path / "proto.html"
    page.write_text(page_for(m), encoding="utf-8")
    open_page(browser, page, "#toString")
    assert selected(browser) == []
    assert "Click a node" in browser.find_element("id", "details").text  # the overview, not an empty node
    js(browser, "location.hash = 'valueOf'")
    wait(browser, lambda: selected(browser) == ["valueOf"])
    assert "A thesis named like a property." in browser.find_element("id", "details").text  # Supports: ...
    browser.find_element("id", "search").send_keys("property")
    assert js(browser, "return [...document.querySelectorAll('g.node.match')].map(g => g.dataset.node)") == [
        "constructor"]
    assert not console_errors(browser)


def test_questions_panel_lists_open_and_answered_questions(browser, pages):
    """Issue 19: a node's panel lists the critical questions of the reasons for it, the
    answered ones with links to the answering nodes (the same as `show --node`)."""
    from argmap.checks.schemes import questions
    from argmap.io.loading import load_map

    asked = questions(load_map(SEED_MAP).map)["rec-observers"]
    open_page(browser, pages["seed"], "#rec-observers")
    wait(browser, lambda: js(browser, "return document.querySelector('#details ul.questions')"))
    got = js(browser, """
        const ul = document.querySelector('#details ul.questions');
        return [ul.querySelectorAll('.q-open').length, ul.querySelectorAll('.q-answered').length,
                [...ul.querySelectorAll('.q-answered a.go')].map(a => a.dataset.go)];""")
    assert got[0] == sum(len(r["open"]) for r in asked) > 0
    assert got[1] == sum(len(r["answered"]) for r in asked) > 0
    answering = got[2][0]
    assert answering in {b for r in asked for _, _, by in r["answered"] for b in by}
    js(browser, "document.querySelector('#details ul.questions .q-answered a.go').click()")
    wait(browser, lambda: js(browser, "return location.hash") == "#" + answering)
