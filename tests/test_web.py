"""The page in a real browser: Playwright drives Debian's Chromium against `rasad serve`.

Skipped (with the reason shown) only where no browser is installed and CI is unset; in CI the
browser is installed by .ci/run and these tests must run. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import webdb

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("RASAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


_MISSING = _browser_missing()
if _MISSING and not os.environ.get("CI"):
    pytest.skip(f"browser tests skipped: {_MISSING}", allow_module_level=True)


@pytest.fixture(scope="module")
def server(shared, tmp_path_factory):
    """`rasad serve --port 0` on the test database, in its own process; yields its address."""
    db = webdb.build(tmp_path_factory.getbasetemp() / "webdb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "rasad.cli", "serve", "--db", str(db), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        assert "serving" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        url = line.split(" at ", 1)[1].split()[0]
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "types", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    # bypass_csp: the page must be safe by escaping alone; the server's Content-Security-Policy
    # (checked in test_api.py) is a second wall, not the one under test here
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB", bypass_csp=True)
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    ctx.close()


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


def _open(page, url: str) -> None:
    """Go to ``url`` (a new page, or only a new #view of this one) and wait until it is drawn."""
    same_document = page.url.split("#")[0] == url.split("#")[0]
    if same_document:
        _after(page, lambda: page.goto(url))
    else:
        page.goto(url)
    page.wait_for_selector("body[data-ready='1'][data-renders]")


def _renders(page) -> int:
    return int(page.get_attribute("body", "data-renders") or 0)


def _after(page, action) -> None:
    """Do ``action`` and wait until the page has drawn what it asked for."""
    n = _renders(page)
    action()
    page.wait_for_function(f"+(document.body.dataset.renders || 0) > {n} && document.body.dataset.ready === '1'")


def _shot(page, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_the_served_page_lists_and_filters_events(server, page):
    total = _get(server + "events")["total"]
    _open(page, server)
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == min(50, total)
    assert f"of {total} events" in page.locator("#page-info").text_content()
    _shot(page, "events")

    page.select_option("select[name=type]", "REQUEST")
    page.fill("input[name=min_confidence]", "0.6")
    _after(page, lambda: page.click("#filters button[type=submit]"))
    expected = _get(server + "events?type=REQUEST&min_confidence=0.6")["total"]
    assert 0 < expected < total
    assert rows.count() == expected
    assert set(page.locator("#events-table tbody .badge").all_text_contents()) == {"REQUEST"}
    assert "type=REQUEST" in page.get_attribute("#csv", "href")
    assert "format=csv" in page.get_attribute("#csv", "href")

    page.fill("input[name=text]", "condemned")
    page.select_option("select[name=type]", "")
    page.fill("input[name=min_confidence]", "")
    _after(page, lambda: page.click("#filters button[type=submit]"))
    assert rows.count() == 1 and "Iran condemned Israel" in rows.first.text_content()
    _shot(page, "events-filtered")
    assert not page.errors


def test_an_event_opens_its_article_with_the_sentence_highlighted(server, page):
    recs = _get(server + "events?text=golden%20seed&limit=1000")["events"]
    seed = next(e["doc_id"] for e in recs if e["title"] == "golden seed")
    doc = _get(server + f"articles/{seed}")
    _open(page, server + "#/events?text=golden%20seed")
    _after(page, lambda: page.locator(f"#events-table tbody tr[data-doc='{seed}']").first.click())
    page.wait_for_selector("#article-text .seg")
    assert page.locator("#article-title").text_content() == doc["meta"]["title"]
    # the text is shown as published: every character, in order
    shown = "".join(page.locator("#article-text .seg").all_text_contents())
    assert shown == doc["text"].replace("\n", "")
    assert page.locator("#article-text .zone-out").count() > 0  # caption, credit, byline greyed
    assert page.locator("#article-text .a-mention").count() > 0
    assert page.locator("#article-text .a-time").count() > 0
    assert page.locator("#article-text .a-quote").count() > 0

    ev = max(doc["events"], key=lambda e: e["sentence"]["end"] - e["sentence"]["start"])
    _after(page, lambda: page.locator(f"#article-events li[data-event='{ev['id']}']").click())
    page.wait_for_selector("#event-detail:not([hidden])")
    sentence = doc["text"][ev["sentence"]["start"]:ev["sentence"]["end"]]
    lit = "".join(page.locator("#article-text .hl-sentence").all_text_contents())
    assert lit == sentence
    trig = "".join(page.locator("#article-text .hl-trigger").all_text_contents())
    assert trig == ev["trigger"]["text"]
    detail = page.locator("#event-detail").text_content()
    assert ev["rule"] in detail and f"{ev['confidence']:.2f}" in detail and ev["type"] in detail
    if ev["source"]:
        assert (ev["source"]["country"] or "") in detail
    page.wait_for_selector("#event-detail .merge ol")
    page.locator("#article-text .hl-sentence").first.scroll_into_view_if_needed()
    _shot(page, "article", full=False)
    assert not page.errors


def test_hostile_article_text_is_shown_never_run(server, page):
    recs = _get(server + "events?text=officials&limit=10")["events"]
    hostile = recs[0]["doc_id"]
    _open(page, server + "#/events?text=officials")
    assert "<b>officials</b>" in page.locator("#events-table tbody").text_content()
    _open(page, server + f"#/article/{hostile}?event={recs[0]['event_id']}")
    page.wait_for_selector("#article-text .seg")
    text = page.locator("#article-text").text_content()
    assert "<script>window.__rasad_pwned = 'script'</script>" in text
    assert "\" onmouseover=\"window.__rasad_pwned='attr'\"" in text
    assert "<img src=x onerror=" in text
    assert page.locator("#article-title").text_content() == webdb.HOSTILE_TITLE
    for sel in ("script", "img", "b", "[onmouseover]", "[onerror]"):
        assert page.locator(f"main {sel}").count() == 0, sel
    box = page.locator("#article-text").bounding_box()
    for x in range(10, int(box["width"]), 40):  # hover over every part of the text
        page.mouse.move(box["x"] + x, box["y"] + box["height"] / 2)
    page.locator("#article-text .seg", has_text="onmouseover").first.hover()
    assert page.evaluate("typeof window.__rasad_pwned") == "undefined"
    _shot(page, "hostile", full=False)
    assert not page.errors


def test_timeline_network_and_map_are_drawn(server, page):
    stats = _get(server + "stats")
    _open(page, server + "#/timeline")
    assert page.locator("#timeline svg rect").count() >= len({r["day"] for r in stats["by_day"]})
    assert page.locator("#timeline svg path.gline").count() == 1
    _shot(page, "timeline")
    _after(page, lambda: page.select_option("#timeline-by", "quad"))
    assert "verbal conflict" in page.locator("#timeline-legend").text_content()

    _open(page, server + "#/network")
    nodes = {n for e in stats["network"] for n in (e["source"], e["target"])}
    assert page.locator("#network g.net-node").count() == len(nodes)
    assert page.locator("#network path.net-edge").count() == len(stats["network"])
    _shot(page, "network")
    _after(page, lambda: page.locator("#network g.net-node[data-actor='IRN'] circle").click())
    assert page.input_value("input[name=actor]") == "IRN"
    assert page.locator("#events-table tbody tr").count() == _get(server + "events?actor=IRN")["total"]

    _open(page, server + "#/map")
    assert page.locator("#map path.map-country").count() > 200
    assert page.locator("#map circle.map-point").count() >= 1
    _shot(page, "map")
    assert not page.errors
