"""(4) Picking a quartiere: from the click to the map showing the pick, in Chromium.

    .venv/bin/python bench/scelta.py [--ripetizioni 5]

Each repetition has two new visitors (fresh browser contexts, empty cache):

- one picks Lamarmora, then Mompiano, in the sidebar's «Quartiere» box (first and second pick of
  the session): the sidebar's script (cittadelnoi/ui/menu.py) hands the name to the map's frame,
  which applies the selection at once; the page's rerun then sends the same selection;
- the other clicks Lamarmora on the map (first pick of the session): the overview's map applies
  at once the selection the server will send back, then the click goes on to Streamlit.

Time: from the click event in the page (its `timeStamp`, taken by a listener in the document
that was clicked, so Playwright's own steps before the click do not count) to the map showing
the picked quartiere (a path drawn with stroke-width 4 and the quartiere's name as its only
label), seen by a MutationObserver in the map's frame, plus one frame. The map may be a new one
in a new frame or the same one updated in place: the frame element is marked before the pick and
the output says how often it was replaced. Also the bytes each pick downloaded over HTTP (bodies
as sent plus headers, every frame; the websocket apart), whether the data grid was drawn, and the
moment the page sent the pick to the server (the map-click pick must be drawn before it arrives).
The app runs on 127.0.0.1 (bench/common.py), other hosts are blocked and counted.
"""

from __future__ import annotations

import argparse

from common import app, chromium, contesto, mediana, ms

IFRAME = "iframe[title='streamlit_folium.st_folium']"

# In the page: the time of the last click, and the time the page's websocket first sent a message
# since `__invio` was cleared; all in ms since the epoch (timeOrigin + timeStamp), so the page's and
# the frame's clocks compare.
OROLOGI = """
(() => {
  document.addEventListener('click', (e) => { window.__clic = performance.timeOrigin + e.timeStamp; }, true);
  const Originale = window.WebSocket;
  if (!Originale) return;
  window.WebSocket = function (...args) {
    const ws = new Originale(...args);
    const invia = ws.send.bind(ws);
    ws.send = (dati) => {
      if (window.__invio == null) window.__invio = performance.timeOrigin + performance.now();
      return invia(dati);
    };
    return ws;
  };
  window.WebSocket.prototype = Originale.prototype;
  Object.assign(window.WebSocket, Originale);
})();
"""

# In the map's frame: note when the picked quartiere is shown (its name as a label, a thick border).
OSSERVA = """(nome) => {
  window.__vista = null;
  // The frame's document was written after the init script ran (its listeners are gone): again here.
  if (!window.__ascolta_clic) {
    window.__ascolta_clic = true;
    document.addEventListener('click', (e) => { window.__clic = performance.timeOrigin + e.timeStamp; }, true);
  }
  const visto = () => [...document.querySelectorAll('.cdn-etichetta.cdn-nome span')].some(s => s.textContent.trim() === nome)
    && document.querySelector("path.leaflet-interactive[stroke-width='4']") !== null;
  const osserva = new MutationObserver(() => {
    if (window.__vista === null && visto()) {
      window.__vista = performance.timeOrigin + performance.now();
      osserva.disconnect();
    }
  });
  osserva.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""

# A spot inside the quartiere's shape where the shape itself is on top (not a label or a marker).
PUNTO_NELLA_FORMA = """(nome) => {
  const mappa = Object.values(window).find(v => v && v.cdnSeleziona);
  let forma = null;
  mappa.eachLayer(l => { if (l.feature && l.feature.properties && l._path && l.getTooltip) {
    const t = l.getTooltip(); const testo = t && (typeof t._content === 'function' ? t._content(l).textContent : '');
    if (testo && testo.includes(nome)) forma = l._path; } });
  const r = forma.getBoundingClientRect();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const x = r.left + r.width * i / 20, y = r.top + r.height * j / 20;
    if (document.elementFromPoint(x, y) === forma) return [x, y];
  }
  return null;
}"""


def _pronto(page, frame, nome: str) -> None:
    page.evaluate("() => { window.__clic = null; window.__invio = null; }")
    frame.evaluate("() => { window.__clic = null; }")
    frame.evaluate(OSSERVA, nome)
    page.locator(IFRAME).evaluate("f => { f.dataset.primaDellaScelta = '1'; }")


def _esito(page, frame, nome: str, richieste: list) -> dict:
    mappa = page.frame_locator(IFRAME)
    mappa.locator(".cdn-etichetta.cdn-nome span", has_text=nome).first.wait_for(state="attached", timeout=120_000)
    mappa.locator("path.leaflet-interactive[stroke-width='4']").first.wait_for(state="attached", timeout=120_000)
    page.wait_for_timeout(1500)  # let anything the pick started finish, then count its bytes
    ricreata = page.locator(IFRAME).evaluate("f => f.dataset.primaDellaScelta !== '1'")
    clic = page.evaluate("() => window.__clic") or frame.evaluate("() => window.__clic")
    vista = None if ricreata else frame.evaluate("() => window.__vista")
    invio = page.evaluate("() => window.__invio")
    byte = 0
    for r in richieste:
        try:
            z = r.sizes()
            byte += z["responseBodySize"] + z["responseHeadersSize"]
        except Exception:
            pass
    return {
        "secondi": (vista - clic) / 1000 if vista and clic else None,
        "prima_dell_invio": bool(vista and invio and vista < invio),
        "invio_dopo": (invio - clic) / 1000 if invio and clic else None,
        "byte": byte,
        "ricreata": ricreata,
    }


def _ascolta(page) -> tuple[list, object]:
    richieste: list = []

    def ascolta(richiesta) -> None:  # a function: Playwright cannot wrap a built-in method such as list.append
        richieste.append(richiesta)

    page.context.on("requestfinished", ascolta)
    return richieste, ascolta


def _clic_sulla_mappa(page, frame, nome: str) -> dict:
    richieste, ascolta = _ascolta(page)
    # The whole map on screen (it starts below the figures), then a spot of the shape in view.
    page.locator(IFRAME).evaluate("f => f.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    punto = frame.evaluate(PUNTO_NELLA_FORMA, nome)
    if punto is None:
        raise RuntimeError(f"{nome}: nessun punto libero nella forma")
    riquadro = page.locator(IFRAME).bounding_box()
    _pronto(page, frame, nome)
    page.mouse.click(riquadro["x"] + punto[0], riquadro["y"] + punto[1])
    esito = _esito(page, frame, nome, richieste)
    page.context.remove_listener("requestfinished", ascolta)
    return esito


def _scelta_laterale(page, frame, nome: str) -> dict:
    richieste, ascolta = _ascolta(page)
    page.get_by_role("combobox", name="Quartiere").click()
    page.keyboard.type(nome[:5])  # the list is long and virtualised: filter it as a person would
    opzione = page.get_by_role("option", name=nome)
    opzione.wait_for(timeout=30_000)
    _pronto(page, frame, nome)
    opzione.click()
    esito = _esito(page, frame, nome, richieste)
    page.context.remove_listener("requestfinished", ascolta)
    return esito


def _riga(titolo: str, esiti: list[dict]) -> str:
    t = [e["secondi"] for e in esiti if e["secondi"] is not None]
    prima = sum(e["prima_dell_invio"] for e in esiti)
    testo = f"- {titolo}: mediana {ms(mediana(t))} (min {ms(min(t))}, max {ms(max(t))})" if t else f"- {titolo}: –"
    invii = [e["invio_dopo"] for e in esiti if e["invio_dopo"] is not None]
    return testo + (
        (f"; la scelta parte verso il server {ms(mediana(invii))} dopo il clic (mediana)" if invii else "")
        + f"; mappa aggiornata prima che la scelta partisse verso il server: {prima} su {len(esiti)}"
        f"; mappa ricreata in un nuovo riquadro: {sum(e['ricreata'] for e in esiti)} su {len(esiti)}"
    )


def _visitatore(browser, url: str, esterni: list[str]):
    ctx = contesto(browser, esterni)
    ctx.add_init_script(OROLOGI)
    page = ctx.new_page()
    page.goto(url + "/", wait_until="domcontentloaded", timeout=120_000)
    page.frame_locator(IFRAME).locator("path.leaflet-interactive").nth(32).wait_for(state="attached", timeout=120_000)
    page.wait_for_timeout(1000)
    return ctx, page, page.locator(IFRAME).element_handle().content_frame()


def misura(ripetizioni: int) -> str:
    mappa, laterale, seconda, griglie = [], [], [], 0
    esterni: list[str] = []
    with app(nome="scelta") as a, chromium() as browser:
        for _ in range(ripetizioni):
            # One new visitor picks in the sidebar (first and second pick of the session) ...
            ctx, page, frame = _visitatore(browser, a.url, esterni)
            laterale.append(_scelta_laterale(page, frame, "Lamarmora"))
            griglie += page.locator("[data-testid='stDataFrame']").count()
            seconda.append(_scelta_laterale(page, frame, "Mompiano"))
            ctx.close()
            # ... another clicks on the map (first pick of the session).
            ctx, page, frame = _visitatore(browser, a.url, esterni)
            mappa.append(_clic_sulla_mappa(page, frame, "Lamarmora"))
            griglie += page.locator("[data-testid='stDataFrame']").count()
            ctx.close()
    byte = [e["byte"] for e in mappa + laterale]
    righe = [
        f"Scelta di un quartiere fino alla mappa che la mostra (Chromium, {ripetizioni} + {ripetizioni} visitatori "
        "nuovi; tempo dal clic nella pagina):",
        _riga("clic sulla mappa (prima scelta della sessione)", mappa),
        _riga("scelta nella barra laterale (prima scelta della sessione)", laterale),
        _riga("seconda scelta nella barra laterale", seconda),
        f"- scaricati alla prima scelta: mediana {mediana(byte) / 1000:.1f} KB; griglia dei dati disegnata: {griglie} volte",
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
