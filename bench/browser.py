"""(a) Time from opening the overview in headless Chromium to the quartiere shapes being drawn,
for the app and for the same folium map saved as a static HTML file opened from disk.

Times are taken inside the browser, on one clock: `performance.timeOrigin + performance.now()`.
An init script, injected into every frame before the page's own scripts, polls the DOM every
5 ms and notes when the last of the N quartiere paths (`path.leaflet-interactive`) is in the document,
then the end of the next frame after it (requestAnimationFrame + setTimeout 0: the shapes are on
screen). For the app that happens in the map component's iframe; the start is the navigation
start of the top page in both cases. The same script also timestamps the websocket messages of
the top page, so the app's time can be split into its phases.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from common import contesto, url_locale

IFRAME_MAPPA = "iframe[title='streamlit_folium.st_folium']"

_INIT = """
(() => {
  const N = %d;
  const ora = () => performance.timeOrigin + performance.now();
  const b = window.__bench = {avvio: performance.timeOrigin, ws: []};
  const guarda = () => {
    if (b.visto) return true;
    if (document.querySelectorAll('path.leaflet-interactive').length < N) return false;
    b.visto = ora();
    requestAnimationFrame(() => setTimeout(() => { b.disegnato = ora(); }, 0));
    return true;
  };
  // A MutationObserver on the first document may not survive the component's own document
  // handling, so poll: every 5 ms until the shapes are there (the same for app and floor).
  const giro = setInterval(() => { if (guarda()) clearInterval(giro); }, 5);
  if (window.top !== window || !window.WebSocket) return;
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { b.ws_aperto = b.ws_aperto || ora(); });
      this.addEventListener('message', (e) => {
        const d = e.data;
        const n = d.byteLength !== undefined ? d.byteLength : (d.size !== undefined ? d.size : d.length);
        let mappa = false;
        if (n > 2000 && d.byteLength !== undefined) {
          const testo = new TextDecoder('utf-8', {fatal: false}).decode(new Uint8Array(d));
          mappa = testo.includes('streamlit_folium');
        }
        b.ws.push([ora(), n, mappa]);
      });
    }
  };
})();
"""


@dataclass
class Misura:
    totale_s: float  # navigation start -> shapes drawn
    fasi: dict[str, float] = field(default_factory=dict)  # phase end times from navigation start (s)
    byte_ws: int = 0  # websocket messages as the page received them (decoded)
    byte_mappa: int = 0
    byte_filo: int = 0  # websocket bytes on the wire (set when opened through proxy.Relay)
    esterni: list[str] = field(default_factory=list)
    errori_js: list[str] = field(default_factory=list)


def _attendi_disegno(frame, timeout_ms: int) -> dict:
    frame.wait_for_function("() => window.__bench && window.__bench.disegnato", timeout=timeout_ms, polling=50)
    return frame.evaluate("() => window.__bench")


def _frame_mappa(page, timeout_ms: int):
    page.wait_for_selector(IFRAME_MAPPA, state="attached", timeout=timeout_ms)
    handle = page.query_selector(IFRAME_MAPPA)
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        frame = handle.content_frame()
        if frame is not None and "streamlit_folium" in (frame.url or ""):
            return frame
        page.wait_for_timeout(20)
    raise TimeoutError("l'iframe della mappa non si è caricato")


def misura_app(page, url: str, n_quartieri: int, timeout_ms: int = 180_000) -> Misura:
    """Open `url` in `page` (whose context has the init script) and time it."""
    errori: list[str] = []
    page.on("pageerror", lambda exc: errori.append(str(exc)))
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    frame = _frame_mappa(page, timeout_ms)
    dentro = _attendi_disegno(frame, timeout_ms)
    top = page.evaluate("() => window.__bench")
    avvio = top["avvio"]
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                                   return n ? n.domContentLoadedEventEnd : null; }""")
    leaflet = frame.evaluate("""() => { const r = performance.getEntriesByType('resource')
                                          .filter(e => e.name.includes('leaflet.js'));
                                        return r.length ? performance.timeOrigin + r[0].responseEnd : null; }""")
    ws = top.get("ws") or []
    mappa = [m for m in ws if m[2]]
    fasi = {
        "Streamlit caricato (DOMContentLoaded)": (nav or 0) / 1000,
        "websocket aperto": ((top.get("ws_aperto") or avvio) - avvio) / 1000,
        "messaggio della mappa arrivato": ((mappa[0][0] if mappa else avvio) - avvio) / 1000,
        "iframe della mappa avviato": (dentro["avvio"] - avvio) / 1000,
        "leaflet.js caricato nell'iframe": ((leaflet or dentro["avvio"]) - avvio) / 1000,
        "forme nel DOM": (dentro["visto"] - avvio) / 1000,
        "forme disegnate": (dentro["disegnato"] - avvio) / 1000,
    }
    return Misura(
        totale_s=(dentro["disegnato"] - avvio) / 1000,
        fasi=fasi,
        byte_ws=sum(m[1] for m in ws if m[0] <= dentro["disegnato"]),
        byte_mappa=mappa[0][1] if mappa else 0,
        errori_js=errori,
    )


def misura_statico(page, path: Path, n_quartieri: int, timeout_ms: int = 180_000) -> Misura:
    errori: list[str] = []
    page.on("pageerror", lambda exc: errori.append(str(exc)))
    page.goto(path.as_uri(), wait_until="commit", timeout=timeout_ms)
    b = _attendi_disegno(page.main_frame, timeout_ms)
    return Misura(
        totale_s=(b["disegnato"] - b["avvio"]) / 1000,
        fasi={
            "forme nel DOM": (b["visto"] - b["avvio"]) / 1000,
            "forme disegnate": (b["disegnato"] - b["avvio"]) / 1000,
        },
        errori_js=errori,
    )


def misura_pagina(page, url: str, n_quartieri: int, timeout_ms: int = 180_000) -> Misura:
    """A map that is the page itself, served over HTTP (the public map /mappa): like the floor, but
    the page and Leaflet come from the app's server."""
    errori: list[str] = []
    page.on("pageerror", lambda exc: errori.append(str(exc)))
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    b = _attendi_disegno(page.main_frame, timeout_ms)
    return Misura(
        totale_s=(b["disegnato"] - b["avvio"]) / 1000,
        fasi={
            "forme nel DOM": (b["visto"] - b["avvio"]) / 1000,
            "forme disegnate": (b["disegnato"] - b["avvio"]) / 1000,
        },
        errori_js=errori,
    )


def serie(browser, apri, n_quartieri: int, ripetizioni: int, caldo: bool) -> list[Misura]:
    """`ripetizioni` timed openings. Cold: a new context (empty HTTP cache) each time. Warm: one
    context, opened once untimed, then reopened (HTTP cache and compiled code reused)."""
    risultati: list[Misura] = []
    if caldo:
        esterni: list[str] = []
        ctx = contesto(browser, esterni)
        ctx.add_init_script(_INIT % n_quartieri)
        try:
            p = ctx.new_page()
            apri(p, n_quartieri)
            for _ in range(ripetizioni):
                p.close()
                p = ctx.new_page()
                prima = len(esterni)
                m = apri(p, n_quartieri)
                m.esterni = esterni[prima:]
                risultati.append(m)
        finally:
            ctx.close()
    else:
        for _ in range(ripetizioni):
            esterni = []
            ctx = contesto(browser, esterni)
            ctx.add_init_script(_INIT % n_quartieri)
            try:
                m = apri(ctx.new_page(), n_quartieri)
                m.esterni = list(esterni)
                risultati.append(m)
            finally:
                ctx.close()
    for m in risultati:
        m.esterni = [u for u in m.esterni if not url_locale(u)]
    return risultati
