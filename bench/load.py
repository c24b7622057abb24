"""Load test: N concurrent viewer sessions open every page and change filters, on 127.0.0.1 only.

    .venv/bin/python bench/load.py                 50 sessions (48 protocol viewers + 2 Chromium)
    .venv/bin/python bench/load.py --sessioni 10 --browser 1 --durata-max 120

How a viewer is simulated. A Streamlit page is a websocket session: the server runs the page
script for it and streams the elements. 50 real Chromium pages would need more CPU than the two
cores have, and the browsers, not the server, would be measured. So most viewers are
`protocollo.Sessione`s: they fetch the page and its start-up assets over HTTP as a browser with
an empty cache does, open the websocket, and ask for the same script runs a browser asks for
(same BackMsg, same widget values), reading every ForwardMsg. Assets are fetched six at a time,
as a browser does per host: the entry bundle listed in the page (script and modulepreload links),
then the map component's page and script and Leaflet when the overview's map arrives; chunks
the front end imports later are not fetched. The server does the same work as
for a browser. A few viewers (--browser, default 2) are real headless Chromium pages in the same
run, as a check that the real front end draws the map with no error under that load.

Each viewer: opens the overview, picks a zona, picks a quartiere, visits every other page, changes
the zona there, goes back to the overview for the whole city; a pause of --pausa seconds
(random, as a person reading) between steps. All sessions stay open until the last one has
finished, so N sessions are really open together. Page time is from the request to the end of
the script run (protocol viewers) or to the shapes drawn / the run finished (Chromium).

Limits: one machine runs server and clients, so the clients' CPU competes with the server's
(reported below); the network is loopback, so transfer times are near zero; the server process
is started fresh on the shipped data/ and its caches are warmed by the first viewers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from common import MENU, ROOT, App, kb, mediana, ms, percentile, url_locale
from protocollo import ErroreProtocollo, Sessione, scarica
from websockets.exceptions import ConnectionClosed

PAGINA_DEFAULT = "Panoramica"


@dataclass
class Passo:
    sessione: int
    nome: str
    secondi: float
    byte: int = 0
    tipo: str = "protocollo"


@dataclass
class Esito:
    passi: list[Passo] = field(default_factory=list)
    errori: list[str] = field(default_factory=list)
    aperte_insieme: int = 0
    riconnessioni: int = 0  # websockets reopened after a replica was lost (failover)
    byte_prima_visita: list[int] = field(default_factory=list)  # protocol viewers: HTTP bodies as sent
    byte_prima_visita_chromium: list[int] = field(default_factory=list)  # Chromium: transferSize, all frames


class _Asset(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("rel") in ("modulepreload", "stylesheet") and a.get("href"):
            self.urls.append(a["href"])


def _asset(base: str, html: str) -> list[str]:
    p = _Asset()
    p.feed(html)
    return [urljoin(base, u) for u in p.urls]


async def _get(url: str, cookie: str | None = None) -> int:
    return await asyncio.to_thread(scarica, url, 60.0, cookie)


async def _scarica_tutti(urls: list[str], cookie: str | None = None) -> int:
    """Fetch like a browser: up to 6 requests at a time to the same host, with its cookie."""
    sem = asyncio.Semaphore(6)

    async def uno(u: str) -> int:
        async with sem:
            return await _get(u, cookie)

    return sum(await asyncio.gather(*(uno(u) for u in urls)))


async def _get_pagina(url: str) -> tuple[int, str | None]:
    """GET the page as a browser's first visit: (bytes of the body as sent, the proxy's routing cookie)."""
    import urllib.request

    def f() -> tuple[int, str | None]:
        req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=60) as r:
            cookie = r.headers.get("Set-Cookie")
            return len(r.read()), cookie.split(";", 1)[0] if cookie else None

    return await asyncio.to_thread(f)


async def _get_testo(url: str) -> str:
    import urllib.request

    def f() -> str:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.read().decode("utf-8", "replace")

    return await asyncio.to_thread(f)


class Carico:
    def __init__(self, base: str, n_quartieri: int, pausa: float, asset: bool, seme: int):
        self.base = base.rstrip("/") + "/"
        self.n_quartieri = n_quartieri
        self.pausa = pausa
        self.asset = asset
        self.rng = random.Random(seme)
        self.esito = Esito()
        self.aperte = 0
        self.finite = 0
        self.tutte_finite = asyncio.Event()
        self.totale = 0
        self._asset_avvio: list[str] | None = None
        self._asset_mappa: list[str] | None = None

    def _aperta(self) -> None:
        self.aperte += 1
        self.esito.aperte_insieme = max(self.esito.aperte_insieme, self.aperte)

    def _finita(self) -> None:
        self.finite += 1
        if self.finite >= self.totale:
            self.tutte_finite.set()

    async def _pausa(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.pausa)

    async def asset_avvio(self) -> list[str]:
        if self._asset_avvio is None:
            self._asset_avvio = _asset(self.base, await _get_testo(self.base))
        return self._asset_avvio

    async def asset_mappa(self) -> list[str]:
        if self._asset_mappa is None:
            comp = urljoin(self.base, "component/streamlit_folium.st_folium/index.html")
            self._asset_mappa = (
                [comp]
                + _asset(comp, await _get_testo(comp))
                + [
                    urljoin(self.base, "app/static/vendor/leaflet/leaflet.js"),
                    urljoin(self.base, "app/static/vendor/leaflet/leaflet.css"),
                    urljoin(self.base, "app/static/vendor/topojson-client/topojson-client.min.js"),
                ]
            )
        return self._asset_mappa

    # ------------------------------------------------------------------ protocol viewer

    async def viewer(self, i: int) -> None:
        passi: list[Passo] = []
        aperta = False
        try:
            await asyncio.sleep(self.rng.uniform(0, 3))  # arrivals spread over 3 s
            t0 = time.perf_counter()
            byte, cookie = await _get_pagina(self.base)
            if self.asset:
                byte += await _scarica_tutti(await self.asset_avvio(), cookie)
            passi.append(Passo(i, "apertura (HTML e asset)", time.perf_counter() - t0, byte))
            byte_visita = byte
            async with Sessione(self.base, cookie=cookie) as s:
                aperta = True
                self._aperta()
                iframe_caricato = False

                async def run(nome: str, pagina: str | None = None) -> None:
                    nonlocal iframe_caricato, byte_visita
                    t = time.perf_counter()
                    try:
                        e = await s.esegui(pagina)
                    except (ConnectionClosed, OSError, TimeoutError) as exc:
                        # The replica went away: the front end reconnects through the same address
                        # (the proxy picks another replica) and asks for the same run again.
                        self.esito.riconnessioni += 1
                        for tentativo in range(10):
                            try:
                                await asyncio.sleep(min(0.5 * 2**tentativo, 5))
                                await s.riconnetti()
                                break
                            except (OSError, TimeoutError, ConnectionClosed, Exception):
                                if tentativo == 9:
                                    raise ErroreProtocollo(f"riconnessione non riuscita dopo {exc!r}") from exc
                        e = await s.esegui(pagina)
                        e.secondi = time.perf_counter() - t
                    extra_t, extra_b = 0.0, 0
                    if e.byte_mappa and self.asset and not iframe_caricato:
                        # The first map: the browser loads the component's page, its script and
                        # Leaflet (later maps reuse the iframe or the HTTP cache).
                        t = time.perf_counter()
                        extra_b = await _scarica_tutti(await self.asset_mappa(), cookie)
                        extra_t = time.perf_counter() - t
                        iframe_caricato = True
                        byte_visita += extra_b
                        self.esito.byte_prima_visita.append(byte_visita)
                    passi.append(Passo(i, nome, e.secondi + extra_t, e.byte + extra_b))
                    for x in e.eccezioni:
                        self.esito.errori.append(f"sessione {i}, {nome}: eccezione {x}")
                    for x in e.errori_dati:
                        self.esito.errori.append(f"sessione {i}, {nome}: st.error {x}")
                    if e.pagina_non_trovata:
                        self.esito.errori.append(f"sessione {i}, {nome}: pagina non trovata")

                await run(PAGINA_DEFAULT)
                panoramica = s.pagina
                zone = s.widget_per_chiave("filtro_zona").opzioni
                await self._pausa()
                s.imposta("filtro_zona", self.rng.choice(zone[1:]))
                await run(f"{panoramica}, filtro zona")
                await self._pausa()
                quartieri = s.widget_per_chiave("filtro_quartiere").opzioni
                s.imposta("filtro_quartiere", self.rng.choice(quartieri[1:]))
                await run(f"{panoramica}, filtro quartiere")
                for pagina in [p for p in s.pagine if p != panoramica]:
                    await self._pausa()
                    await run(pagina, pagina)
                    await self._pausa()
                    s.imposta("filtro_zona", self.rng.choice(zone[1:]))
                    await run(f"{pagina}, filtro zona")
                await self._pausa()
                s.imposta("filtro_zona", zone[0])
                await run(f"{panoramica}, tutta la città", panoramica)
                self._finita()
                await self.tutte_finite.wait()
        except (TimeoutError, ErroreProtocollo, OSError, Exception) as exc:
            self.esito.errori.append(f"sessione {i}: {type(exc).__name__}: {exc}"[:400])
            self._finita()
        finally:
            if aperta:
                self.aperte -= 1
            self.esito.passi.extend(passi)

    # ------------------------------------------------------------------ Chromium viewer

    async def browser_viewer(self, browser, i: int) -> None:
        from common import VIEWPORT

        esterni: list[str] = []
        errori_js: list[str] = []
        ctx = await browser.new_context(viewport=VIEWPORT, service_workers="block", locale="it-IT")

        # No route handler (it would turn off the HTTP cache): the browser's resolver blocks other
        # hosts (common.CHROMIUM_ARGS), the listener only records them.
        ctx.on("request", lambda req: None if url_locale(req.url) else esterni.append(req.url))
        page = await ctx.new_page()
        page.on("websocket", lambda ws: None if url_locale(ws.url) else esterni.append(ws.url))
        page.on("pageerror", lambda exc: errori_js.append(str(exc)))
        aperta = False
        try:
            await asyncio.sleep(self.rng.uniform(0, 3))
            t0 = time.perf_counter()
            await page.goto(self.base, wait_until="commit", timeout=180_000)
            aperta = True
            self._aperta()
            await self._mappa_disegnata(page)
            self.esito.passi.append(
                Passo(i, "Panoramica (Chromium, fino alle forme disegnate)", time.perf_counter() - t0, tipo="chromium")
            )
            self.esito.byte_prima_visita_chromium.append(await _byte_trasferiti(page))
            await self._pausa()
            t0 = time.perf_counter()
            await page.locator("[data-testid='stSelectbox']", has_text="Zona").click()
            await page.get_by_role("option", name="Sud", exact=True).click()
            await _attendi_run(page)
            await self._mappa_disegnata(page)
            self.esito.passi.append(
                Passo(i, "Panoramica, filtro zona (Chromium)", time.perf_counter() - t0, tipo="chromium")
            )
            link = page.locator(MENU)
            for k in range(1, await link.count()):
                await self._pausa()
                nome = (await link.nth(k).inner_text()).strip().splitlines()[-1]
                t0 = time.perf_counter()
                await link.nth(k).click()
                await _attendi_run(page)
                self.esito.passi.append(Passo(i, f"{nome} (Chromium)", time.perf_counter() - t0, tipo="chromium"))
                if await page.locator("[data-testid='stException']").count():
                    testo = await page.locator("[data-testid='stException']").first.inner_text()
                    self.esito.errori.append(f"Chromium {i}, {nome}: eccezione {testo[:300]}")
            self._finita()
            await self.tutte_finite.wait()
            # What the person sees at the end (after a failover too): connected, no error on screen.
            await _attendi_run(page, 60_000)
            for sel, cosa in (
                ("[data-testid='stException']", "eccezione"),
                (
                    "[data-testid='stConnectionErrorDialog'], [role='dialog']:has-text('Connection error')",
                    "errore di connessione",
                ),
            ):
                if await page.locator(sel).count():
                    self.esito.errori.append(f"Chromium {i}: {cosa} sullo schermo alla fine")
        except Exception as exc:
            self.esito.errori.append(f"Chromium {i}: {type(exc).__name__}: {exc}"[:400])
            self._finita()
        finally:
            if aperta:
                self.aperte -= 1
            await ctx.close()
        for e in errori_js:
            self.esito.errori.append(f"Chromium {i}: errore JavaScript {e[:300]}")
        for u in dict.fromkeys(esterni):
            self.esito.errori.append(f"Chromium {i}: richiesta verso un altro host (bloccata) {u}")

    async def _mappa_disegnata(self, page) -> None:
        frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
        await (
            frame.locator("path.leaflet-interactive")
            .nth(self.n_quartieri - 1)
            .wait_for(state="attached", timeout=180_000)
        )


async def _byte_trasferiti(page) -> int:
    """Bytes of the first visit on the wire (Resource Timing transferSize: headers and compressed
    bodies) in the page and every frame (the map's iframe), websocket excluded."""
    js = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                 .reduce((n, e) => n + (e.transferSize || 0), 0)"""
    tot = 0
    for frame in page.frames:
        with contextlib.suppress(Exception):
            tot += await frame.evaluate(js)
    return tot


async def _attendi_run(page, timeout_ms: int = 180_000) -> None:
    await page.wait_for_timeout(200)
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached", timeout=timeout_ms
    )
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", state="attached", timeout=timeout_ms
    )
    await page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout_ms)


async def riscalda(base: str) -> None:
    """One untimed viewer through every page, so the server's imports and caches are warm."""
    async with Sessione(base) as s:
        await s.esegui()
        for pagina in list(s.pagine):
            await s.esegui(pagina)
            s.imposta("filtro_zona", s.widget_per_chiave("filtro_zona").opzioni[1])
            await s.esegui()
            s.imposta("filtro_zona", s.widget_per_chiave("filtro_zona").opzioni[0])
            await s.esegui()


async def esegui_carico(
    base: str,
    n_quartieri: int,
    sessioni: int = 50,
    browser: int = 2,
    pausa: float = 1.0,
    durata_max: float = 600.0,
    asset: bool = True,
    seme: int = 1,
    uccidi=None,
    uccidi_dopo: float = 20.0,
) -> Esito:
    # Threads for the HTTP fetches: enough for every viewer's 6 parallel requests.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=min(256, 6 * sessioni + 8)))
    carico = Carico(base, n_quartieri, pausa, asset, seme)
    n_browser = min(browser, sessioni)
    n_proto = sessioni - n_browser
    carico.totale = sessioni
    compiti = [carico.viewer(i) for i in range(1, n_proto + 1)]
    pw = b = None
    if n_browser:
        from common import CHROMIUM, CHROMIUM_ARGS
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        b = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        compiti += [carico.browser_viewer(b, n_proto + k) for k in range(1, n_browser + 1)]
    if uccidi is not None:

        async def _guasto() -> None:
            await asyncio.sleep(uccidi_dopo)
            await asyncio.to_thread(uccidi)

        compiti.append(_guasto())
    try:
        await asyncio.wait_for(asyncio.gather(*compiti), durata_max)
    except TimeoutError:
        carico.esito.errori.append(f"prova interrotta dopo {durata_max:.0f} s (limite --durata-max)")
    finally:
        if b is not None:
            await b.close()
        if pw is not None:
            await pw.stop()
    return carico.esito


def _cpu_macchina() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    campi = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = campi[3] + campi[4]
    return sum(campi) - idle, sum(campi)


def _kb_mediana(xs: list[int]) -> str:
    return kb(mediana(xs)) if xs else "–"


def rapporto(esito: Esito, durata: float, app, cpu0: float, macchina0, self0, sessioni: int) -> tuple[str, dict]:
    """`app`: anything with cpu_s() and rss_mb() (common.App, repliche.Repliche)."""
    cpu_server = app.cpu_s() - cpu0
    busy1, tot1 = _cpu_macchina()
    uso_macchina = (busy1 - macchina0[0]) / max(1, tot1 - macchina0[1])
    r = resource.getrusage(resource.RUSAGE_SELF)
    cpu_client = r.ru_utime + r.ru_stime - self0
    rss, picco = app.rss_mb()
    tempi = [p.secondi for p in esito.passi]
    per_nome: dict[str, list[float]] = {}
    for p in esito.passi:
        per_nome.setdefault(p.nome, []).append(p.secondi)
    righe = [
        f"Sessioni: {sessioni} (aperte insieme al massimo: {esito.aperte_insieme}); durata {durata:.1f} s; "
        f"passi misurati: {len(tempi)}",
        f"**Errori: {len(esito.errori)}**",
        f"Tempo di pagina, tutti i passi: mediana {ms(mediana(tempi))}, 95° percentile {ms(percentile(tempi, 95))}, "
        f"massimo {ms(max(tempi) if tempi else float('nan'))}; passi completati: {len(tempi) / durata:.1f} al secondo",
        f"CPU del server: {cpu_server:.1f} s in {durata:.1f} s ({cpu_server / durata:.2f} core); macchina occupata al "
        f"{uso_macchina:.0%} dei 2 core; CPU dei client Python: {cpu_client:.1f} s; memoria del server {rss:.0f} MB "
        f"(picco {picco:.0f} MB)",
        f"CPU del server per pagina vista: {1000 * cpu_server / max(1, len(tempi)):.0f} ms; prima visita sul filo "
        f"(mediana): {_kb_mediana(esito.byte_prima_visita)} per i client di protocollo (corpi HTTP: HTML, asset "
        f"d'avvio e della mappa), {_kb_mediana(esito.byte_prima_visita_chromium)} in Chromium (transferSize, "
        f"websocket escluso); riconnessioni dopo la perdita di una replica: {esito.riconnessioni}",
        "",
        "| Passo | n | mediana | 95° percentile | massimo |",
        "|---|---:|---:|---:|---:|",
    ]
    for nome, xs in per_nome.items():
        righe.append(f"| {nome} | {len(xs)} | {ms(mediana(xs))} | {ms(percentile(xs, 95))} | {ms(max(xs))} |")
    if esito.errori:
        righe += ["", "Errori (primi 20):"] + [f"- {e}" for e in esito.errori[:20]]
    dati = {
        "errori": len(esito.errori),
        "mediana_s": mediana(tempi),
        "p95_s": percentile(tempi, 95),
        "durata_s": durata,
        "cpu_server_s": cpu_server,
        "aperte_insieme": esito.aperte_insieme,
        "max_s": max(tempi) if tempi else float("nan"),
        "cpu_per_pagina_ms": 1000 * cpu_server / max(1, len(tempi)),
        "byte_visita": _kb_mediana(esito.byte_prima_visita),
        "byte_visita_chromium": _kb_mediana(esito.byte_prima_visita_chromium),
        "riconnessioni": esito.riconnessioni,
    }
    return "\n".join(righe), dati


def prova(
    sessioni: int = 50,
    browser: int = 2,
    pausa: float = 1.0,
    durata_max: float = 600.0,
    asset: bool = True,
    data_dir: Path | None = None,
    extra: list[str] | None = None,
    repliche: int = 0,
    proxy: bool = True,
    uccidi_dopo: float | None = None,
) -> tuple[str, dict]:
    """One load test. repliche=0: the app alone on SQLite (bench/common.App, as bench/run.py uses
    it); repliche=N: N replicas on a throwaway PostgreSQL (bench/repliche.py), behind nginx unless
    proxy=False (then the viewers talk to the first replica directly). uccidi_dopo: seconds after
    the start at which replica 0 is killed (SIGKILL), to watch the failover."""
    from cittadelnoi.stores.file import carica

    n_quartieri = len(carica(data_dir or ROOT / "data").quartieri)
    if repliche:
        from repliche import Repliche

        bersaglio = Repliche(repliche, data_dir=data_dir, proxy=proxy)
        bersaglio.__enter__()
        fermo = bersaglio.ferma
        uccidi = bersaglio.repliche[0].uccidi if uccidi_dopo is not None else None
    else:
        bersaglio = App(data_dir, nome="carico", extra=extra)
        fermo = bersaglio.ferma
        uccidi = None
    try:
        for url in [r.url for r in bersaglio.repliche] if repliche else [bersaglio.url]:
            asyncio.run(riscalda(url))  # each replica once, as its first visitors would
        cpu0 = bersaglio.cpu_s()
        macchina0 = _cpu_macchina()
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        esito = asyncio.run(
            esegui_carico(
                bersaglio.url,
                n_quartieri,
                sessioni,
                browser,
                pausa,
                durata_max,
                asset,
                uccidi=uccidi,
                uccidi_dopo=uccidi_dopo or 0.0,
            )
        )
        durata = time.perf_counter() - t0
        return rapporto(esito, durata, bersaglio, cpu0, macchina0, r0.ru_utime + r0.ru_stime, sessioni)
    finally:
        fermo()


def confronto(sessioni: list[int], browser: int, pausa: float, durata_max: float) -> str:
    """1 process direct vs 2 replicas behind nginx, for each number of sessions, in one run."""
    righe = [
        "| configurazione | sessioni | errori | mediana | p95 | massimo | byte prima visita (protocollo) "
        "| byte prima visita (Chromium) | CPU per pagina | CPU totale | durata |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    dettagli = []
    for n in sessioni:
        for nome, rep, px in (("1 processo, diretto", 1, False), ("2 repliche dietro nginx", 2, True)):
            print(f"[carico] {nome}, {n} sessioni…", flush=True)
            testo, d = prova(n, browser, pausa, durata_max, repliche=rep, proxy=px)
            righe.append(
                f"| {nome} | {n} | {d['errori']} | {ms(d['mediana_s'])} | {ms(d['p95_s'])} | {ms(d['max_s'])} "
                f"| {d['byte_visita']} | {d['byte_visita_chromium']} | {d['cpu_per_pagina_ms']:.0f} ms "
                f"| {d['cpu_server_s']:.0f} s | {d['durata_s']:.0f} s |"
            )
            dettagli += [f"#### {nome}, {n} sessioni", "", testo, ""]
            print(righe[-1], flush=True)
    return "\n".join(righe + [""] + dettagli)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessioni", type=int, default=50, help="sessioni concorrenti in tutto (default 50)")
    ap.add_argument("--browser", type=int, default=2, help="di cui pagine Chromium reali (default 2)")
    ap.add_argument("--pausa", type=float, default=1.0, help="pausa media tra i passi, in secondi (default 1)")
    ap.add_argument("--durata-max", type=float, default=600.0, help="limite della prova in secondi (default 600)")
    ap.add_argument("--senza-asset", action="store_true", help="non scaricare HTML e asset (solo websocket)")
    ap.add_argument(
        "--repliche",
        type=int,
        default=0,
        help="N repliche su PostgreSQL dietro nginx (bench/repliche.py); 0 = app sola",
    )
    ap.add_argument("--senza-proxy", action="store_true", help="con --repliche: i client parlano alla prima replica")
    ap.add_argument(
        "--uccidi-dopo", type=float, default=None, help="con --repliche: uccide la replica 0 dopo questi secondi"
    )
    ap.add_argument(
        "--confronto",
        default=None,
        help="es. 50,100,200: 1 processo diretto contro 2 repliche dietro nginx per ogni numero di sessioni",
    )
    ap.add_argument("--out", type=Path, default=None, help="scrive anche il rapporto in questo file")
    a = ap.parse_args()
    durata = min(a.durata_max, 1800.0)
    if a.confronto:
        ns = [int(x) for x in a.confronto.split(",")]
        if not all(1 <= n <= 200 for n in ns) or len(ns) > 4:
            raise SystemExit("--confronto: fino a 4 valori da 1 a 200")
        testo = confronto(ns, a.browser, a.pausa, durata)
        errori = "| 0 |" not in testo
    else:
        if not 1 <= a.sessioni <= 200:
            raise SystemExit("--sessioni: da 1 a 200")
        testo, dati = prova(
            a.sessioni,
            a.browser,
            a.pausa,
            durata,
            not a.senza_asset,
            repliche=a.repliche,
            proxy=not a.senza_proxy,
            uccidi_dopo=a.uccidi_dopo,
        )
        errori = bool(dati["errori"])
    print(testo)
    if a.out:
        a.out.write_text(testo + "\n")
    raise SystemExit(1 if errori else 0)


if __name__ == "__main__":
    main()
