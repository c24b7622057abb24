"""Accessibility checked by a maintained engine: axe-core (from npm, injected from node_modules)
finds no WCAG 2.1 A/AA violation on any page, in either language; controls work by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.common import registra_esterni
from tests.browser.attese import wait_for_drawn

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "finanziamenti", "ore_volontariato", "dove_aprire"]


def axe_violations(page) -> list[str]:
    # Streamlit fades the elements of a run still in progress (data-stale): contrast is judged on
    # the page at rest, as a reader sees it, not mid-rerun.
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
            return r.violations.map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_wcag_violations_on_any_page(app_server, page, open_app, lang):
    assert AXE.exists(), "axe-core missing: run `bash scripts/setup.sh`"
    problems = {}
    for path in PAGES:
        open_app(page, f"{app_server}/{path}?lang={lang}")
        wait_for_drawn(page)  # charts and the map finish drawing after the script run
        found = axe_violations(page)
        if found:
            problems[path or "panoramica"] = found
    assert problems == {}


def test_filter_works_from_the_keyboard(app_server, page, open_app, wait_for_app_run):
    open_app(page, app_server)
    zona = page.get_by_role("combobox", name="Zona")
    # Tab from the start of the page until the zona box has focus: it must be reachable.
    for _ in range(40):
        page.keyboard.press("Tab")
        if zona.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the Zona filter cannot be reached with Tab")
    page.keyboard.press("ArrowDown")
    page.get_by_role("listbox").wait_for()
    page.keyboard.type("Est")
    page.keyboard.press("Enter")
    wait_for_app_run(page)
    assert "zona=Est" in page.url


def test_map_points_are_focusable_and_named(app_server, page, open_app):
    open_app(page, f"{app_server}/?quartiere=lamarmora")
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    marker = frame.locator(".leaflet-marker-icon").first
    marker.wait_for(timeout=30_000)
    assert marker.get_attribute("tabindex") == "0"
    assert marker.get_attribute("title") == "Punto Melograno (esempio) — attivo"
    assert frame.locator(".cdn-marker").first.get_attribute("role") == "img"


def test_the_page_says_its_language_and_follows_a_switch(app_server, page, open_app, wait_for_app_run):
    # Streamlit's shell says lang="en" and its skip link is English (streamlit/streamlit#15726):
    # cittadelnoi/web/lingua_pagina.py rewrites both. axe cannot tell: "en" is a valid language.
    lingua = "() => document.documentElement.lang"
    salta = page.get_by_test_id("stSkipToContent")
    open_app(page, f"{app_server}/ore_volontariato?zona=Sud")
    assert page.evaluate(lingua) == "it"
    assert salta.text_content() == "Vai al contenuto principale"
    page.get_by_text("English", exact=True).click()
    wait_for_app_run(page)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
    assert "lang=en" in page.url
    assert salta.text_content() == "Skip to main content"
    page.get_by_text("Italiano", exact=True).click()
    wait_for_app_run(page)
    page.wait_for_function("() => document.documentElement.lang === 'it'", timeout=30_000)
    assert salta.text_content() == "Vai al contenuto principale"
    open_app(page, f"{app_server}/finanziamenti?lang=en")
    assert page.evaluate(lingua) == "en"
    assert salta.text_content() == "Skip to main content"
    # Gestione is written in Italian only (README, Known limits): it says so whatever `lang` says.
    open_app(page, f"{app_server}/gestione?lang=en")
    assert page.evaluate(lingua) == "it"
    assert salta.text_content() == "Vai al contenuto principale"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_page_ends_with_the_sites_footer(app_server, page, open_app, lang):
    """AgID's footer (views.piede) under every page of the dashboard, in the page's language."""
    testi = {
        "it": ("Dichiarazione di accessibilità", "Segnala un problema", "Privacy e cookie", "Ultimo aggiornamento"),
        "en": ("Accessibility statement", "Report a problem", "Privacy and cookies", "Last data update"),
    }[lang]
    for path in PAGES:
        open_app(page, f"{app_server}/{path}?lang={lang}")
        piede = page.locator("footer nav.cdn-piede")
        piede.wait_for(timeout=30_000)
        testo = piede.inner_text()
        assert all(t in testo for t in testi), (path, testo)
        suffisso = "?lang=en" if lang == "en" else ""
        assert piede.get_by_role("link", name=testi[0]).get_attribute("href") == "/accessibilita" + suffisso


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_statement_and_the_privacy_page_pass_axe(app_server, browser, external_requests, lang):
    # The pages' CSP allows no script: axe is injected past it (bypass_csp), the pages keep theirs.
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    registra_esterni(ctx, external_requests)
    pagina = ctx.new_page()
    problemi = {}
    try:
        for rotta in ("/accessibilita", "/privacy"):
            pagina.goto(f"{app_server}{rotta}?lang={lang}")
            assert pagina.locator("html").get_attribute("lang") == lang
            assert pagina.locator("footer nav.cdn-piede").is_visible()
            if found := axe_violations(pagina):
                problemi[rotta] = found
    finally:
        ctx.close()
    assert problemi == {}
    assert not external_requests
