"""Waits on conditions, never on the clock: what the browser tests wait for after an action.

A script run ends when the server sends its `script_finished` message (a ForwardMsg on the page's
websocket). `CONTA_CORSE`, run in every page before the app's own code, counts those messages
(runs that finished, not those cut short for a rerun) once the page has handled them;
`wait_for_app_run` waits for one more than it saw last time.

Why not `data-test-script-state` ("running" → "notRunning") alone: a short run's messages can
arrive together, and the page then shows the end state only, "notRunning" as before, with no
"running" in between; counting those attribute changes missed such a run, and the wait hung until
some other run came. A periodic run of the old data-version check (every 3 s) used to come and
hide it (issue 21, point 1).
"""

from __future__ import annotations

# Counts finished script runs in window.__corse.finite: the websocket's ForwardMsg whose field 6
# (script_finished) is FINISHED_SUCCESSFULLY (0), FINISHED_WITH_COMPILE_ERROR (1) or
# FINISHED_FRAGMENT_RUN_SUCCESSFULLY (3); 2 is FINISHED_EARLY_FOR_RERUN (another run follows).
# Only the message's top-level fields are read. Counted after the page's own handlers (a timer,
# then the next frame), so the page has taken the message in when the count moves.
CONTA_CORSE = """
(() => {
  const corse = (window.__corse = { finite: 0, viste: 0 });
  const Originale = window.WebSocket;
  if (!Originale) return;
  function finita(dati) {
    const b = new Uint8Array(dati);
    let i = 0;
    const varint = () => {
      let v = 0, scala = 1, x;
      do { x = b[i++]; v += (x & 0x7f) * scala; scala *= 128; } while (x & 0x80 && i < b.length);
      return v;
    };
    while (i < b.length) {
      const tag = varint(), campo = Math.floor(tag / 8), tipo = tag % 8;
      if (tipo === 0) { const v = varint(); if (campo === 6) return v; }
      else if (tipo === 2) { const n = varint(); i += n; }
      else if (tipo === 1) i += 8;
      else if (tipo === 5) i += 4;
      else return -1;
    }
    return -1;
  }
  const conta = (dati) => {
    if ([0, 1, 3].includes(finita(dati))) {
      setTimeout(() => requestAnimationFrame(() => setTimeout(() => { corse.finite += 1; }, 0)), 0);
    }
  };
  window.WebSocket = function (...args) {
    const ws = new Originale(...args);
    ws.addEventListener("message", (e) => {
      if (e.data instanceof ArrayBuffer) conta(e.data);
      else if (e.data instanceof Blob) e.data.arrayBuffer().then(conta);
    });
    return ws;
  };
  window.WebSocket.prototype = Originale.prototype;
  Object.assign(window.WebSocket, Originale);
})();
"""

# True once every chart has its SVG and every same-origin frame (the map) has finished loading and,
# for a Leaflet map, drawn its shapes.
_DISEGNATO = """() => {
  const grafici = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  if (!grafici.every((g) => g.querySelector(".main-svg"))) return false;
  return [...document.querySelectorAll("iframe")].every((f) => {
    let d;
    try { d = f.contentDocument; } catch (e) { return true; }  // another origin: not ours to wait for
    if (!d || d.readyState !== "complete") return false;
    return !d.querySelector(".leaflet-container") || !!d.querySelector(".leaflet-interactive, .cdn-marker");
  });
}"""

# True once every image in the page and in its same-origin frames has loaded or failed.
_IMMAGINI_FINITE = """() => {
  const documenti = [document];
  for (const f of document.querySelectorAll("iframe")) {
    try { if (f.contentDocument) documenti.push(f.contentDocument); } catch (e) {}
  }
  return documenti.every((d) => [...d.images].every((i) => i.complete));
}"""


def wait_for_drawn(page, timeout_ms: int = 30_000) -> None:
    """Waits until the page's charts and map are drawn (after the script run has finished)."""
    page.wait_for_function(_DISEGNATO, timeout=timeout_ms)


def wait_for_images(page, timeout_ms: int = 30_000) -> None:
    """Waits until every image of the page and of its frames has loaded or failed to load."""
    page.wait_for_function(_IMMAGINI_FINITE, timeout=timeout_ms)
