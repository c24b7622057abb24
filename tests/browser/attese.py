"""Waits on conditions, never on the clock: what the browser tests wait for after an action.

Streamlit tells the browser when a script run starts and ends through the `data-test-script-state`
attribute of `stApp` ("initial" → "running" → "notRunning"). Just after a click the attribute still
says "notRunning" from the previous run, because the server has not answered yet: waiting for
"notRunning" alone returns too early. `CONTA_CORSE`, run in every page before the app's own code,
counts the runs that finished; `wait_for_app_run` waits for one more than it saw last time.
"""

from __future__ import annotations

# Counts finished script runs in window.__corse.finite (a run ends when the attribute leaves "running").
CONTA_CORSE = """
(() => {
  const corse = (window.__corse = { finite: 0, viste: 0 });
  const osserva = () =>
    new MutationObserver((cambi) => {
      for (const c of cambi) if (c.oldValue === "running") corse.finite += 1;
    }).observe(document, {
      subtree: true,
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ["data-test-script-state"],
    });
  osserva();
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
