"""The meeting kit: downloaded from the overview, opened from file:// in a browser with the network
off and every request blocked, it shows the view (filters, date, figures, tables, sources, licence),
draws the map's shapes and the chart, and prints on A4 pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cittadelnoi.stores.file import carica
from tests.conftest import DATA

pytestmark = pytest.mark.browser

ETICHETTA = "Kit per la riunione: questa vista in un file HTML"


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_meeting_kit_opens_from_file_offline_and_prints_on_a4(
    app_server, page, open_app, browser, tmp_path, screenshot
):
    snap = carica(DATA)
    q = snap.quartieri
    sud = set(q.loc[q["zona"] == "Sud", "codice_istat"])

    open_app(page, f"{app_server}/?zona=Sud")
    page.get_by_text("Scarica i dati della vista").click()
    kit = download(page, ETICHETTA)
    file = tmp_path / "kit.html"
    file.write_bytes(kit)
    assert b"<script src=" not in kit and b"<link " not in kit, "one file: no linked script or style"

    contesto = browser.new_context(viewport={"width": 1200, "height": 900}, service_workers="block")
    richieste: list[str] = []
    bloccate: list[str] = []

    def blocca(route) -> None:
        if route.request.url == file.as_uri():
            route.continue_()
        else:
            bloccate.append(route.request.url)
            route.abort("blockedbyclient")

    contesto.route("**/*", blocca)
    contesto.set_offline(True)
    kit_page = contesto.new_page()
    errori: list[str] = []
    kit_page.on("pageerror", lambda exc: errori.append(str(exc)))
    kit_page.on("request", lambda r: richieste.append(r.url))
    try:
        kit_page.goto(file.as_uri(), wait_until="load")
        mappa = kit_page.frame_locator("iframe.mappa")
        mappa.locator("path.leaflet-interactive").nth(32).wait_for(state="attached", timeout=30_000)
        assert mappa.locator("path.leaflet-interactive").count() == 33
        assert mappa.locator(".cdn-punto").count() == int(snap.punti["codice_istat"].isin(sud).sum())
        # The chart of points over time (plotly.js inlined) is drawn too.
        kit_page.locator(".main-svg").first.wait_for(timeout=30_000)
        assert kit_page.locator(".scatterlayer .trace").count() >= 2

        testo = kit_page.locator("body").inner_text()
        for atteso in ("Vista della zona Sud.", "Zona", "Sud", "Stato al", "Punti attivi", "Copertura", "Fonti"):
            assert atteso in testo, atteso
        assert "licenza CC BY 4.0" in testo and "Esportato il" in testo
        tabella_quartieri = kit_page.locator("section.tabella").first.locator("tbody tr")
        assert tabella_quartieri.count() == len(sud)
        screenshot(kit_page, "kit-riunione-zona-sud")

        pdf = kit_page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        contesto.close()
    assert not errori, errori
    assert bloccate == [], f"the kit asked for {bloccate}"
    assert {u for u in richieste if not u.startswith(("data:", "about:", "blob:"))} == {file.as_uri()}
    assert pdf[:5] == b"%PDF-"
    formati = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert formati and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in formati), formati
