"""The routes of app.py on the real server (`streamlit run app.py`, st.App): open data next to the
dashboard in the same process, /salute, and the public map /mappa drawn in Chromium, alone and
inside an <iframe> of another page, with its `frame-ancestors` honoured. The full contract of each
route (content against the register) is in tests/unit/web/test_rotte.py."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import urllib.request

import icalendar
import pytest

from cittadelnoi.stores.file import carica
from cittadelnoi.views.mapview import url_script
from tests.conftest import DATA

pytestmark = pytest.mark.browser

TIPI = {
    "/dati/punti.csv": "text/csv",
    "/dati/punti.geojson": "application/geo+json",
    "/dati/quartieri.geojson": "application/geo+json",
    "/dati/sportelli.csv": "text/csv",
    "/dati/rendiconti.csv": "text/csv",
    "/dati/orari.ics": "text/calendar",
    "/dati/catalogo.jsonld": "application/ld+json",
    "/salute": "application/json",
    "/mappa": "text/html",
}


def scarica(url: str, headers: dict[str, str] | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_every_route_answers_next_to_the_dashboard(app_server):
    snap = carica(DATA)  # the server seeded its database from the sample register
    for percorso, tipo in TIPI.items():
        stato, h, corpo = scarica(app_server + percorso)
        assert stato == 200, (percorso, corpo[:300])
        assert h["content-type"].split(";")[0] == tipo, percorso
        if percorso.startswith("/dati/"):
            assert h["access-control-allow-origin"] == "*" and h["etag"] and h["last-modified"], percorso
            assert scarica(app_server + percorso, {"If-None-Match": h["etag"]})[0] == 304, percorso
    righe = list(csv.DictReader(io.StringIO(scarica(app_server + "/dati/punti.csv")[2].decode("utf-8-sig"))))
    assert [r["id"] for r in righe] == list(snap.punti["id"])
    cal = icalendar.Calendar.from_ical(scarica(app_server + "/dati/orari.ics")[2])
    assert len(cal.walk("VEVENT")) == len(snap.sportelli)
    salute = json.loads(scarica(app_server + "/salute")[2])
    assert salute["stato"] == "ok" and salute["database"] == {
        "usato": True,
        "raggiungibile": True,
        "sola_lettura": False,
    }
    # The dashboard itself is still served by the same process.
    assert scarica(app_server + "/_stcore/health")[2] == b"ok"


def quartieri_disegnati(frame) -> int:
    return frame.locator("path.leaflet-interactive").count()


def test_public_map_draws_the_view_with_local_files_only(app_server, page, page_errors, screenshot):
    snap = carica(DATA)
    q = snap.quartieri
    richieste: list[str] = []
    page.on("request", lambda r: richieste.append(r.url))
    page.goto(app_server + "/mappa?zona=Sud", wait_until="load")
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length === 33")
    sud = set(q.loc[q["zona"] == "Sud", "codice_istat"])
    n_punti = int(snap.punti["codice_istat"].isin(sud).sum())
    assert page.locator(".cdn-punto").count() == n_punti > 0
    assert page.title().startswith("Punti di comunità: zona Sud")
    assert "CC BY 4.0" in page.locator(".cdn-licenza").inner_text()
    # Leaflet, topojson-client and the map's script from the app's own static folder; nothing else is fetched.
    assert {u.removeprefix(app_server) for u in richieste} == {
        "/mappa?zona=Sud",
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/topojson-client/topojson-client.min.js",
        "/app/static/vendor/leaflet/leaflet.css",
        url_script("/app/static/vendor"),
    }
    # A tooltip is text from the data, in the DOM as text.
    page.locator("path.leaflet-interactive").nth(0).hover()
    page.wait_for_selector(".cdn-tooltip")
    screenshot(page, "mappa-pubblica-zona-sud")
    assert not page_errors


def test_public_map_in_an_iframe_and_frame_ancestors(app_server, start_app, page, page_errors, screenshot):
    aperta = app_server  # the default frame-ancestors: any site may embed the map
    page.goto(aperta + "/salute")  # any page of this origin: the iframe below is then same-site
    page.set_content(
        f'<h1>Sito del Comune</h1><iframe title="Mappa" src="{aperta}/mappa?quartiere=lamarmora" width="800" height="500"></iframe>'
    )
    frame = page.frame_locator("iframe[title='Mappa']")
    frame.locator("path.leaflet-interactive").nth(32).wait_for(state="attached", timeout=30_000)
    assert frame.locator("path.leaflet-interactive").count() == 33
    screenshot(page, "mappa-pubblica-in-iframe")

    # Another server allows only itself: the browser refuses to draw it inside another origin's page.
    chiusa = start_app(env={"CITTADELNOI_FRAME_ANCESTORS": "'self'"})
    assert "frame-ancestors 'self'" in scarica(chiusa + "/mappa")[1]["content-security-policy"]
    page.goto(aperta + "/salute")
    page.set_content(f'<iframe title="Chiusa" src="{chiusa}/mappa" width="800" height="500"></iframe>')
    # set_content returns after the page's load event, which waits for its frame (refused or not).
    figlio = page.frames[1]
    with contextlib.suppress(Exception):  # Chromium may swap a refused frame for its error page
        figlio.wait_for_load_state("load")
    try:
        disegnati = figlio.evaluate("document.querySelectorAll('path.leaflet-interactive').length")
    except Exception:  # Chromium replaced the refused frame with its error page
        disegnati = 0
    assert disegnati == 0, figlio.url
    assert not page_errors
