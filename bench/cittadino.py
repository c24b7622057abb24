"""The citizen page of a quartiere against the dashboard opened on the same quartiere, on a throttled
phone, and the QR code's burst through nginx (issue 24, point 3).

    .venv/bin/python bench/cittadino.py [--quartiere 17029010] [--ripetizioni 3]
    .venv/bin/python bench/cittadino.py --raffica [--telefoni 200] [--secondi 20]

Phone: headless Chromium (/usr/bin/chromium), a 390x844 viewport and, through CDP, 1,6 Mbit/s
down, 150 ms latency, CPU x4, empty cache for every opening; the app on data/ (one process). For
each page: bytes on the wire (Network.loadingFinished's encodedDataLength: headers and compressed
bodies of every HTTP response; the dashboard's websocket messages are counted apart, decoded),
first contentful paint, and "point and hours visible": on the citizen page the first line of the
desk's hours laid out; on the dashboard its first figures laid out (the map comes later, further
down, and the hours are in a marker's popup: the dashboard's figure is a lower bound).

Burst: 2 replicas on PostgreSQL behind nginx with deploy/nginx/ (bench/repliche.py); `--telefoni`
phones arrive evenly over `--secondi` seconds, each a new connection asking for the quartiere page,
then static/cittadino.js and the favicon, as a browser does. Reports p95 and max of the page
request, errors (anything but 200), and how nginx answered (X-Cittadelnoi-Cache).
Nothing here runs in CI: times depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from common import app, chromium, kb, macchina, mediana, ms, percentile, registra_esterni, versione_chromium

TELEFONO = {"width": 390, "height": 844}
RETE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU = 4
OBIETTIVO_BYTE = 60_000
OBIETTIVO_S = 1.0


def _telefono(browser, init: str | None = None):
    esterni: list[str] = []
    ctx = browser.new_context(viewport=TELEFONO, service_workers="block", locale="it-IT", is_mobile=True)
    registra_esterni(ctx, esterni)
    if init:
        ctx.add_init_script(init)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", RETE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU})
    conto = {"http": 0, "ws": 0}
    cdp.on("Network.loadingFinished", lambda e: conto.__setitem__("http", conto["http"] + int(e["encodedDataLength"])))
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda e: conto.__setitem__("ws", conto["ws"] + len(e["response"].get("payloadData", ""))),
    )
    return ctx, page, conto, esterni


_FCP = "() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; }"


def misura_cittadino(browser, url: str) -> dict:
    ctx, page, conto, esterni = _telefono(browser)
    try:
        page.goto(url, wait_until="commit", timeout=60_000)
        visibile = page.wait_for_function(
            """() => { const e = document.querySelector('ul.orari li');
                       return e && e.getBoundingClientRect().height > 0 ? performance.now() : null; }""",
            timeout=60_000,
            polling="raf",
        ).json_value()
        page.wait_for_load_state("load")
        page.wait_for_function(_FCP, timeout=30_000)
        fcp = page.evaluate(_FCP)
        page.wait_for_timeout(300)  # the last loadingFinished events
        return {"fcp": fcp / 1000, "visibile": visibile / 1000, "http": conto["http"], "ws": 0, "esterni": esterni}
    finally:
        ctx.close()


def misura_cruscotto(browser, url: str) -> dict:
    """The overview opened on the quartiere, until its first figures are on screen (the «Punti
    attivi» metric laid out). Its map, below them on a phone, and the hours in a marker's popup
    come later still: the dashboard's figure is a lower bound."""
    ctx, page, conto, esterni = _telefono(browser)
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        visibile = page.wait_for_function(
            """() => { const m = [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
                         .find(e => e.textContent.includes('Punti attivi'));
                       return m && m.getBoundingClientRect().height > 0 ? performance.now() : null; }""",
            timeout=120_000,
            polling="raf",
        ).json_value()
        fcp = page.evaluate(_FCP)
        page.wait_for_timeout(300)
        return {
            "fcp": (fcp or 0) / 1000,
            "visibile": visibile / 1000,
            "http": conto["http"],
            "ws": conto["ws"],
            "esterni": esterni,
        }
    finally:
        ctx.close()


def telefono(quartiere: str, ripetizioni: int) -> str:
    righe = []
    with app(nome="cittadino") as a, chromium() as b:
        from cittadelnoi.metrics.filtri import slug  # the dashboard's link names the quartiere by its name

        nome = scarica_testo(f"{a.url}/quartieri/{quartiere}").split("<h1>Quartiere ", 1)[1].split("</h1>", 1)[0]
        pagine = [
            ("pagina del quartiere", lambda: misura_cittadino(b, f"{a.url}/quartieri/{quartiere}")),
            ("cruscotto sullo stesso quartiere", lambda: misura_cruscotto(b, f"{a.url}/?quartiere={slug(nome)}")),
        ]
        for titolo, misura in pagine:
            misura()  # the server's first build of this page and its caches: not counted
            ms_ = [misura() for _ in range(ripetizioni)]
            righe.append((titolo, ms_))
    out = [
        f"### Telefono: quartiere {nome} ({quartiere}), 390x844, 1,6 Mbit/s, 150 ms, CPU x{CPU}, cache vuota",
        "",
        f"{dt.datetime.now(dt.UTC):%d/%m/%Y %H:%M} UTC · {macchina()} · {versione_chromium()} · mediana di {ripetizioni}",
        "",
        "| pagina | byte sul filo (HTTP) | websocket (decodificato) | first contentful paint | punto e orari visibili | esterni |",
        "|---|---|---|---|---|---|",
    ]
    for titolo, ms_ in righe:
        out.append(
            f"| {titolo} | {kb(mediana([m['http'] for m in ms_]))} | {kb(mediana([m['ws'] for m in ms_]))} | "
            f"{ms(mediana([m['fcp'] for m in ms_]))} | {ms(mediana([m['visibile'] for m in ms_]))} | "
            f"{sum(len(m['esterni']) for m in ms_)} |"
        )
    cit = righe[0][1]
    out += [
        "",
        f"Obiettivi della pagina del quartiere: ≤ 60 KB sul filo: {'✅' if mediana([m['http'] for m in cit]) <= OBIETTIVO_BYTE else '❌'}; "
        f"FCP e punto visibile ≤ 1 s: {'✅' if max(mediana([m['fcp'] for m in cit]), mediana([m['visibile'] for m in cit])) <= OBIETTIVO_S else '❌'}.",
        "Sul cruscotto «punto e orari visibili» è misurato quando compaiono le prime cifre («Punti attivi»):",
        "la mappa viene dopo, più in basso, e gli orari sono nel popup di un marcatore (cifra per difetto).",
    ]
    return "\n".join(out)


def scarica_testo(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def _get(host: str, porta: int, percorso: str) -> tuple[int, float, str, int]:
    """(status, seconds to the whole body, X-Cittadelnoi-Cache, bytes) of one GET on a new connection."""
    t0 = time.perf_counter()
    c = http.client.HTTPConnection(host, porta, timeout=30)
    try:
        c.request("GET", percorso, headers={"Accept-Encoding": "gzip", "User-Agent": "bench-cittadino"})
        r = c.getresponse()
        corpo = r.read()
        return r.status, time.perf_counter() - t0, r.getheader("X-Cittadelnoi-Cache") or "-", len(corpo)
    except OSError:
        return 0, time.perf_counter() - t0, "errore", 0
    finally:
        c.close()


def raffica(quartiere: str, telefoni: int, secondi: float) -> str:
    from repliche import Repliche

    with Repliche(2) as r:
        parti = urlsplit(r.url)
        host, porta = parti.hostname or "127.0.0.1", parti.port or 80
        risultati: list[tuple[int, float, str, int]] = []
        altri: list[int] = []
        lock = threading.Lock()

        def telefono_(i: int, inizio: float) -> None:
            attesa = inizio + i * secondi / telefoni - time.perf_counter()
            if attesa > 0:
                time.sleep(attesa)  # arrivals spread evenly over the window, as a room scanning a code
            esito = _get(host, porta, f"/quartieri/{quartiere}")
            resto = [_get(host, porta, p)[0] for p in ("/app/static/cittadino.js", "/app/static/favicon.png")]
            with lock:
                risultati.append(esito)
                altri.extend(resto)

        inizio = time.perf_counter() + 0.5
        with ThreadPoolExecutor(max_workers=telefoni) as pool:
            list(pool.map(lambda i: telefono_(i, inizio), range(telefoni)))
        durata = time.perf_counter() - inizio
    tempi = [t for _s, t, _c, _b in risultati]
    errori = sum(1 for s, *_ in risultati if s != 200) + sum(1 for s in altri if s != 200)
    cache: dict[str, int] = {}
    for _s, _t, c, _b in risultati:
        cache[c] = cache.get(c, 0) + 1
    return "\n".join(
        [
            f"### Raffica: {telefoni} telefoni in {secondi:g} s su /quartieri/{quartiere}, 2 repliche dietro nginx",
            "",
            f"{dt.datetime.now(dt.UTC):%d/%m/%Y %H:%M} UTC · {macchina()} · durata {durata:.1f} s",
            "",
            "| richieste della pagina | p50 | p95 | max | errori (pagina, script, icona) | risposte di nginx |",
            "|---|---|---|---|---|---|",
            f"| {len(risultati)} | {ms(percentile(tempi, 50))} | {ms(percentile(tempi, 95))} | {ms(max(tempi))} | {errori} | "
            + ", ".join(f"{k}: {v}" for k, v in sorted(cache.items()))
            + " |",
            "",
            f"Obiettivo: p95 < 0,2 s e 0 errori: {'✅' if percentile(tempi, 95) < 0.2 and errori == 0 else '❌'}.",
        ]
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quartiere", default="17029010")
    p.add_argument("--ripetizioni", type=int, default=3)
    p.add_argument("--raffica", action="store_true")
    p.add_argument("--telefoni", type=int, default=200)
    p.add_argument("--secondi", type=float, default=20.0)
    a = p.parse_args()
    print(raffica(a.quartiere, a.telefoni, a.secondi) if a.raffica else telefono(a.quartiere, a.ripetizioni))


if __name__ == "__main__":
    main()
