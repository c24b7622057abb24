"""(4) Picking a quartiere: from the pick in the sidebar to the map redrawn with it, in Chromium.

    .venv/bin/python bench/scelta.py [--ripetizioni 5]

Each repetition is a fresh browser context (a new visitor, empty cache): open the overview, wait
for the map, then pick a quartiere in the sidebar's «Quartiere» box (the first pick of the
session, the one that used to open the quartiere table and load the data grid's code), then a
second one. Time: from the option's click to the map showing the picked quartiere (a path drawn
with stroke-width 4, and the quartiere's name as its only label) in the document, plus one frame.
The map may be a new one in a new frame or the same one updated in place (issue 14, point 4):
the frame element is marked before the pick and the output says how often it was replaced. Also the bytes the pick
downloaded over HTTP (bodies as sent plus headers, every frame; the websocket apart) and whether the data grid was drawn.
The app runs on 127.0.0.1 (bench/common.py), other hosts are blocked and counted.
"""

from __future__ import annotations

import argparse
import time

from common import app, chromium, contesto, mediana, ms

IFRAME = "iframe[title='streamlit_folium.st_folium']"


def _scegli(page, nome: str) -> tuple[float, int, bool]:
    richieste: list = []

    def ascolta(richiesta) -> None:  # a function: Playwright cannot wrap a built-in method such as list.append
        richieste.append(richiesta)

    page.context.on("requestfinished", ascolta)
    box = page.get_by_role("combobox", name="Quartiere")
    box.click()
    page.keyboard.type(nome[:5])  # the list is long and virtualised: filter it as a person would
    opzione = page.get_by_role("option", name=nome)
    opzione.wait_for(timeout=30_000)
    page.locator(IFRAME).evaluate("f => { f.dataset.primaDellaScelta = '1'; }")
    t0 = time.perf_counter()
    opzione.click()
    mappa = page.frame_locator(IFRAME)
    # The picked quartiere's name as a label: the map of this pick, not the previous one's outline.
    mappa.locator(".cdn-etichetta.cdn-nome span", has_text=nome).first.wait_for(state="attached", timeout=120_000)
    mappa.locator("path.leaflet-interactive[stroke-width='4']").first.wait_for(state="attached", timeout=120_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    secondi = time.perf_counter() - t0
    page.wait_for_timeout(1500)  # let anything the pick started finish, then count its bytes
    page.context.remove_listener("requestfinished", ascolta)
    byte = 0
    for r in richieste:
        try:
            z = r.sizes()
            byte += z["responseBodySize"] + z["responseHeadersSize"]
        except Exception:
            pass
    ricreata = page.locator(IFRAME).evaluate("f => f.dataset.primaDellaScelta !== '1'")
    return secondi, byte, ricreata


def misura(ripetizioni: int) -> str:
    prime, seconde, byte_prima, griglie, ricreate = [], [], [], 0, 0
    esterni: list[str] = []
    with app(nome="scelta") as a, chromium() as browser:
        for _ in range(ripetizioni):
            ctx = contesto(browser, esterni)
            page = ctx.new_page()
            page.goto(a.url + "/", wait_until="domcontentloaded", timeout=120_000)
            page.frame_locator(IFRAME).locator("path.leaflet-interactive").nth(32).wait_for(
                state="attached", timeout=120_000
            )
            page.wait_for_timeout(1000)
            t, b, nuova = _scegli(page, "Lamarmora")
            ricreate += nuova
            prime.append(t)
            byte_prima.append(b)
            griglie += page.locator("[data-testid='stDataFrame']").count()
            t, _, nuova = _scegli(page, "Mompiano")
            ricreate += nuova
            seconde.append(t)
            ctx.close()
    righe = [
        f"Scelta di un quartiere fino alla mappa ridisegnata (Chromium, {ripetizioni} visitatori nuovi):",
        f"- prima scelta della sessione: mediana {ms(mediana(prime))} (min {ms(min(prime))}, max {ms(max(prime))}); "
        f"scaricati {mediana(byte_prima) / 1000:.1f} KB (mediana); griglia dei dati disegnata: {griglie} volte",
        f"- seconda scelta: mediana {ms(mediana(seconde))} (min {ms(min(seconde))}, max {ms(max(seconde))})",
        f"- mappa ricreata in un nuovo riquadro: {ricreate} scelte su {2 * ripetizioni}",
        f"- richieste verso altri host: {len(esterni)}",
    ]
    return "\n".join(righe)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ripetizioni", type=int, default=5)
    a = ap.parse_args()
    print(misura(max(1, min(a.ripetizioni, 20))))


if __name__ == "__main__":
    main()
