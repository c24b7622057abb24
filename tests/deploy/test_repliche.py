"""deploy/: two replicas behind nginx serve the app, websocket included, with sticky routing, gzip
and long-lived caching of the static files nginx serves itself, and survive losing a replica
with no saved edit lost."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import json
import re
import urllib.error
import urllib.request

from bench.protocollo import Sessione
from tests.conftest import amministratore


def _get(url: str, cookie: str | None = None, gzip_ok: bool = True):
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    if cookie:
        headers["Cookie"] = cookie
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        return r.status, r.headers, r.read()


def _panoramica(url: str, cookie: str | None = None):
    """One viewer through the proxy: opens the websocket and runs the overview."""

    async def run():
        async with Sessione(url, cookie=cookie) as s:
            e = await s.esegui()
            return s.replica, e

    # Its own thread and event loop: Playwright's sync API, used by the browser tests earlier in the
    # same pytest process, keeps an event loop running in this thread, where asyncio.run() refuses.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_the_app_and_its_websocket_are_served_through_the_proxy(repliche):
    stato, h, corpo = _get(repliche.url + "/")
    assert stato == 200
    assert h["Content-Encoding"] == "gzip" and b"<!doctype html>" in gzip.decompress(corpo).lower()
    assert h["X-Cittadelnoi-Replica"] in {f"127.0.0.1:{r.porta}" for r in repliche.repliche}
    assert re.match(r"cdn_replica=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", h["Set-Cookie"])
    # The health check a monitor or the proxy asks: data valid, database (PostgreSQL) reachable.
    stato, h, corpo = _get(repliche.url + "/salute", gzip_ok=False)
    salute = json.loads(corpo)
    assert stato == 200 and salute["stato"] == "ok" and salute["database"]["raggiungibile"] is True
    for r in repliche.repliche:
        assert json.loads(_get(r.url + "/salute", gzip_ok=False)[2])["stato"] == "ok"
    replica, e = _panoramica(repliche.url)
    assert replica in {f"127.0.0.1:{r.porta}" for r in repliche.repliche}
    assert e.eccezioni == [] and e.errori_dati == []
    assert e.byte_mappa > 10_000  # the map's message came through the websocket
    assert e.metriche["Punti attivi"]
    # The map's component page, which its iframe loads (registered by the page's first run).
    for r in repliche.repliche:
        _panoramica(r.url)
        stato, h, corpo = _get(r.url + "/component/streamlit_folium.st_folium/index.html", gzip_ok=False)
        assert stato == 200 and b"<script" in corpo


def test_static_files_are_served_by_nginx_gzipped_and_cached(repliche):
    _, _, corpo = _get(repliche.url + "/", gzip_ok=False)
    bundle = re.search(rb'src="\.?/?(static/js/index\.[^"]+\.js)"', corpo).group(1).decode()
    for percorso, cache in (
        (bundle, "public, max-age=31536000, immutable"),
        ("app/static/vendor/leaflet/leaflet.js", "public, max-age=2592000"),
        ("app/static/vendor/topojson-client/topojson-client.min.js", "public, max-age=2592000"),
    ):
        stato, h, dati = _get(f"{repliche.url}/{percorso}")
        assert stato == 200, percorso
        assert h["X-Cittadelnoi-Replica"] == "nginx", percorso  # no replica involved
        assert h["Content-Encoding"] == "gzip", percorso
        assert h["Cache-Control"] == cache, percorso
        assert len(gzip.decompress(dati)) > 2 * len(dati), percorso


def test_citizen_pages_are_kept_by_nginx_and_revalidated(repliche):
    """Issue 24: a QR code's burst on a quartiere page is served from nginx's cache (X-Accel-Expires
    decides for nginx; browsers still get no-cache and revalidate with the ETag)."""
    url = repliche.url + "/quartieri/17029010?lang=en"
    stati = [_get(url)[1] for _ in range(3)]
    assert [h["X-Cittadelnoi-Cache"] for h in stati][1:] == ["HIT", "HIT"]
    assert stati[0]["X-Cittadelnoi-Cache"] in {"MISS", "HIT", "EXPIRED", "REVALIDATED"}
    assert all(h["Cache-Control"] == "no-cache" and "X-Accel-Expires" not in h for h in stati)
    richiesta = urllib.request.Request(url, headers={"If-None-Match": stati[-1]["ETag"]})
    try:
        urllib.request.urlopen(richiesta, timeout=30)
        raise AssertionError("a current copy must get 304")
    except urllib.error.HTTPError as e:
        assert e.code == 304
    # Another language is another page: its own cache entry.
    assert "Neighbourhood" in gzip.decompress(_get(url)[2]).decode("utf-8")
    assert "Quartiere" in gzip.decompress(_get(repliche.url + "/quartieri/17029010")[2]).decode("utf-8")


def test_a_browser_sticks_to_one_replica_and_browsers_spread_over_both(repliche):
    _, h, _ = _get(repliche.url + "/")
    cookie = h["Set-Cookie"].split(";", 1)[0]
    prima = h["X-Cittadelnoi-Replica"]
    for _ in range(5):
        _, h2, _ = _get(repliche.url + "/_stcore/host-config", cookie=cookie)
        assert h2["X-Cittadelnoi-Replica"] == prima
        assert "Set-Cookie" not in h2  # the cookie is set once
    replica, _ = _panoramica(repliche.url, cookie=cookie)
    assert replica == prima  # the websocket goes where the page came from
    visti = {_get(repliche.url + "/")[1]["X-Cittadelnoi-Replica"] for _ in range(20)}
    assert len(visti) == 2, visti  # new browsers (new cookies) land on both replicas


def test_losing_a_replica_moves_its_viewers_to_the_other_with_no_saved_edit_lost(repliche):
    from cittadelnoi.stores.db import DbStore
    from cittadelnoi.stores.engine import crea_engine
    from tests.conftest import DATA

    _, h, _ = _get(repliche.url + "/")
    cookie = h["Set-Cookie"].split(";", 1)[0]
    replica, prima = _panoramica(repliche.url, cookie=cookie)
    attivi = int(prima.metriche["Punti attivi"])
    # A saved edit (what the Gestione page writes, in its own committed transaction).
    engine = crea_engine(repliche.pg.url)
    try:
        store = DbStore(engine, DATA, migra=False)
        rec, orario, v = store.punto("demo-chiesanuova")
        assert rec["stato"] == "in_apertura"
        store.salva_punto("demo-chiesanuova", {**rec, "stato": "attivo"}, orario, v, amministratore("test-failover"))
    finally:
        engine.dispose()
    # The replica this browser was on dies (SIGKILL, as a crash).
    caduta = repliche.replica_di(replica)
    caduta.uccidi()
    try:
        # The same browser reconnects through the same address: the other replica answers.
        stato, h, _ = _get(repliche.url + "/", cookie=cookie)
        assert stato == 200 and h["X-Cittadelnoi-Replica"] != replica
        nuova, dopo = _panoramica(repliche.url, cookie=cookie)
        assert nuova != replica
        assert dopo.eccezioni == [] and dopo.errori_dati == []
        assert int(dopo.metriche["Punti attivi"]) == attivi + 1  # the edit is there
    finally:
        caduta.avvia()
    # Back: the browser's cookie leads to its replica again, which serves the edit too.
    replica2, di_nuovo = _panoramica(repliche.url, cookie=cookie)
    assert int(di_nuovo.metriche["Punti attivi"]) == attivi + 1
