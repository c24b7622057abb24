"""The dashboard works with no internet: every page opens without reaching any other
host, the Leaflet assets come from the app's own server, and the overview map draws."""

from __future__ import annotations

import contextlib
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from bench.common import MENU
from tests.browser.attese import wait_for_drawn, wait_for_images

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def nav_pages(page, base_url: str, open_app) -> list[tuple[str, str]]:
    """(label, absolute URL) of every page in the app's navigation, in order."""
    open_app(page, base_url)
    links = page.locator(MENU)
    pages: list[tuple[str, str]] = []
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href") or ""
        label = link.evaluate(
            """a => { const c = a.cloneNode(true);
                      c.querySelectorAll("[data-testid='stIconMaterial'], [data-testid='stIconEmoji']")
                       .forEach(e => e.remove());
                      return c.innerText.trim(); }"""
        )
        url = href if href.startswith("http") else base_url.rstrip("/") + "/" + href.lstrip("/")
        if url not in (u for _, u in pages):
            pages.append((label, url))
    return pages


def settle_frames(page, timeout_ms: int = 30_000) -> None:
    """Waits for every iframe (custom components such as the map) to finish loading,
    so that any request they make is made before the test looks."""
    for frame in page.frames[1:]:
        with contextlib.suppress(Exception):  # a frame detached by a rerun: nothing left to wait for
            frame.wait_for_load_state("load", timeout=timeout_ms)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    wait_for_drawn(page, timeout_ms)


def page_slug(url: str) -> str:
    path = urlsplit(url).path.strip("/")
    return path or "home"


def test_every_page_opens_offline(app_server, page, external_requests, page_errors, open_app, screenshot):
    pages = nav_pages(page, app_server, open_app)
    assert len(pages) >= 2, f"expected the navigation to list the dashboard's pages, found {pages}"

    problems: list[str] = []
    for label, url in pages:
        before, errors_before = len(external_requests), len(page_errors)
        open_app(page, url)
        settle_frames(page)
        shot = screenshot(page, f"page-{page_slug(url)}")
        print(f"{label!r}: {url} -> {shot}")

        exceptions = page.locator("[data-testid='stException']")
        if exceptions.count():
            text = exceptions.first.inner_text()[:800]
            problems.append(f"{label} ({url}): Streamlit exception shown:\n{text}")
        blocked = external_requests[before:]
        if blocked:
            problems.append(f"{label} ({url}): tried to reach external URLs:\n  " + "\n  ".join(dict.fromkeys(blocked)))
        errors = page_errors[errors_before:]
        if errors:
            problems.append(f"{label} ({url}): uncaught JavaScript errors:\n  " + "\n  ".join(dict.fromkeys(errors)))
        if "page not found" in page.locator("body").inner_text().lower():
            problems.append(f"{label} ({url}): 'Page not found'")

    assert not problems, "\n\n".join(problems)


def test_map_assets_served_locally(app_server):
    for name, types in (
        ("leaflet/leaflet.js", ("javascript", "ecmascript")),
        ("leaflet/leaflet.css", ("text/css",)),
        ("leaflet/images/marker-icon.png", ("image/png",)),
        ("topojson-client/topojson-client.min.js", ("javascript", "ecmascript")),
    ):
        url = f"{app_server}/app/static/vendor/{name}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200, url
            ctype = resp.headers.get("Content-Type", "")
            assert any(t in ctype for t in types), f"{url}: Content-Type {ctype!r}"
            assert len(resp.read()) > 500, url


def test_overview_map_draws_areas(app_server, page, open_app, screenshot):
    pages = nav_pages(page, app_server, open_app)
    overview = [u for _, u in pages if urlsplit(u).path.rstrip("/").endswith("panoramica")]
    # With st.navigation the default page lives at the root URL.
    url = overview[0] if overview else app_server
    open_app(page, url)

    page.wait_for_selector(FOLIUM_IFRAME, state="attached", timeout=60_000)
    frame = page.frame_locator(FOLIUM_IFRAME).first
    container = frame.locator(".leaflet-container")
    container.first.wait_for(state="visible", timeout=60_000)
    areas = frame.locator("path.leaflet-interactive")
    areas.first.wait_for(state="attached", timeout=60_000)
    settle_frames(page)
    screenshot(page, "map-panoramica")
    assert areas.count() > 0
    # Leaflet itself came from the app: the map's frame has the L global and no
    # script or stylesheet from another host.
    srcs = frame.locator("script[src], link[rel='stylesheet'][href]").evaluate_all(
        "els => els.map(e => e.src || e.href)"
    )
    foreign = [s for s in srcs if urlsplit(s).hostname not in ("127.0.0.1", "localhost", "::1")]
    assert not foreign, f"map frame references external assets: {foreign}"
    assert frame.locator("body").evaluate("() => typeof window.L") == "object"


def test_other_hosts_are_blocked_and_recorded_with_the_http_cache_on(browser, app_server):
    """The shared browser context blocks other hosts through Chromium's resolver (names and IP
    literals), records them, and, unlike a Playwright route handler, keeps the HTTP cache on."""
    from bench.common import contesto

    esterni: list[str] = []
    falliti: dict[str, str] = {}
    ctx = contesto(browser, esterni)
    try:
        p = ctx.new_page()
        p.on("requestfailed", lambda r: falliti.__setitem__(r.url, r.failure or ""))
        p.goto(app_server + "/_stcore/health")
        p.set_content(
            "<img src='http://example.com/a.png'><img src='http://93.184.216.34/b.png'>"
            "<script>window.__wsChiuso = false; try { const w = new WebSocket('ws://example.org/s');"
            " w.onclose = () => { window.__wsChiuso = true; }; } catch (e) { window.__wsChiuso = true; }</script>"
        )
        wait_for_images(p)  # both images failed
        p.wait_for_function("() => window.__wsChiuso")  # and the websocket was refused
        assert {"http://example.com/a.png", "http://93.184.216.34/b.png", "ws://example.org/s"} <= set(esterni)
        assert falliti["http://example.com/a.png"] == "net::ERR_NAME_NOT_RESOLVED"
        assert falliti["http://93.184.216.34/b.png"] == "net::ERR_NAME_NOT_RESOLVED"

        # The front end's bundle (served as immutable) comes from the cache on the second visit.
        def trasferiti() -> dict[str, int]:
            return p.evaluate(
                """() => Object.fromEntries(performance.getEntriesByType('resource')
                     .filter(e => e.name.includes('/static/js/'))
                     .map(e => [e.name, e.transferSize]))"""
            )

        p.goto(app_server + "/", wait_until="load")
        prima = trasferiti()
        p.goto(app_server + "/", wait_until="load")
        dopo = trasferiti()
        assert prima and any(n > 0 for n in prima.values()), prima
        # Every file the first visit downloaded comes from the cache on the second (a chunk the
        # front end loads later, after "load", may be in one list only).
        comuni = set(prima) & set(dopo)
        assert comuni, (prima, dopo)
        assert all(dopo[n] == 0 for n in comuni), f"not from the HTTP cache: {dopo}"
    finally:
        ctx.close()


def test_the_first_visit_loads_no_code_for_elements_the_overview_does_not_show(app_server, page, open_app):
    """Issue 14: a first visit's bytes. The overview shows no code block, chart or data grid until
    a panel is opened, so Streamlit's code for them (the syntax highlighter alone is 1.56 MB, plotly
    more, the grid 1.7 MB) must not be downloaded. A one-line st.code in the sidebar once was."""
    open_app(page, app_server)
    page.frame_locator(FOLIUM_IFRAME).locator("path.leaflet-interactive").nth(32).wait_for(
        state="attached", timeout=60_000
    )
    page.get_by_role("button", name="Copia link").wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)  # chunks an element asks for once drawn
    caricati = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    pesanti = [u for u in caricati if re.search(r"SyntaxHighlighter|PlotlyChart|DataFrame\.", u)]
    assert not pesanti, pesanti
    assert page.locator(".cdn-copia .cdn-link").inner_text().startswith(app_server)


def test_titillium_web_comes_from_the_app_and_is_used(app_server, page, open_app, external_requests):
    """Designers Italia's typeface from static/vendor (npm @fontsource/titillium-web), no font host."""
    for nome in ("titillium-web-latin-400-normal.woff2", "titillium-web-latin-600-normal.woff2"):
        url = f"{app_server}/app/static/vendor/titillium-web/{nome}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200 and resp.read(4) == b"wOF2", url
    open_app(page, app_server)
    page.wait_for_function("() => document.fonts.check('16px \"Titillium Web\"')", timeout=30_000)
    page.wait_for_function(
        "() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Titillium Web' && f.status === 'loaded')",
        timeout=30_000,
    )
    famiglia = page.locator("h1").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Titillium Web" in famiglia
    assert not external_requests, external_requests
