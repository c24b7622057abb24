"""Speed, size and load of the dashboard, measured in one run on this machine.

    .venv/bin/python bench/run.py            full run (about 5 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    fewer repetitions, load test with 10 sessions (about 3 minutes)

Prints a Markdown report (bench/RESULTS.md is one, pasted with its date):

  (a) time from opening the overview in headless Chromium to the quartiere shapes drawn, for the
      app and for the same folium map saved as a static HTML file opened from disk (the floor),
      and their ratio; with an empty HTTP cache and with a warm one; the same map alone on a
      Streamlit page (bench/solo_mappa.py), the floor of Streamlit + st_folium themselves; and the
      public embeddable map /mappa served by the app (goal: <= 1.5x the floor);
  (b) warm script rerun time of every page after a filter change, server side (a protocol client
      on loopback: request sent -> script_finished received);
  (c) bytes of map data sent to the browser (the map's websocket message) and where they go;
  (d) (a)-(c) again for a synthetic city of 500 quartieri and 5,000 points (bench/sintetico.py,
      generated into a temporary folder);
  and the load test of bench/load.py (50 concurrent sessions).

Goals (from the issue): (a) <= 1.5x the floor; (b) < 300 ms; (c) <= 60 KB for the real map.
Nothing here runs in CI: times depend on the machine and are never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import browser as br
import load
import mappa
import sintetico
from common import ROOT, app, app_solo_mappa, chromium, kb, macchina, mediana, ms, percentile, versione_chromium
from protocollo import Sessione
from proxy import Relay

OBIETTIVO_RAPPORTO = 1.5
OBIETTIVO_RERUN_S = 0.300
OBIETTIVO_MAPPA_B = 60_000


def ok(condizione: bool) -> str:
    return "✅ sì" if condizione else "❌ no"


# The server runs with .streamlit/config.toml as it is. An earlier run of this benchmark proposed
# runner.postScriptGC = false and server.enableWebsocketCompression = true; both are adopted
# there now. To measure another option, pass it to misura_config() as `extra`.


@dataclass
class Rerun:
    secondi: float
    cpu_s: float  # CPU seconds of the server process during the run
    byte: int
    eccezioni: list[str]


async def misura_rerun(a, cambi: int, seme: int = 7) -> dict[str, list[Rerun]]:
    """For every page: `cambi` filter changes (zona, zona, quartiere, ...), each a timed rerun."""
    rng = random.Random(seme)
    out: dict[str, list[Rerun]] = {}
    async with Sessione(a.url) as s:
        await s.esegui()
        for pagina in list(s.pagine):
            await s.esegui(pagina)
            zone = s.widget_per_chiave("filtro_zona").opzioni
            ciclo = zone[1:] + zone[:1]  # every zona, then the whole city
            esiti = []
            for i in range(cambi):
                if i % 3 == 2:
                    s.imposta("filtro_quartiere", rng.choice(s.widget_per_chiave("filtro_quartiere").opzioni[1:]))
                else:
                    s.imposta("filtro_zona", ciclo[(i - i // 3) % len(ciclo)])
                c0 = a.cpu_s()
                e = await s.esegui()
                esiti.append(Rerun(e.secondi, a.cpu_s() - c0, e.byte, e.eccezioni))
            out[pagina] = esiti
            s.imposta("filtro_zona", zone[0])
            await s.esegui()
    return out


@dataclass
class Config:
    rerun: dict[str, list[Rerun]]
    serie: dict[str, list[br.Misura]]
    filo_ws: int  # websocket bytes on the wire while opening the overview (warm cache)
    payload_ws: int  # the same messages, decoded (what the page's JavaScript receives)


def misura_config(
    data_dir: Path, scala: bool, extra: list[str], n_q: int, ripetizioni: int, cambi: int, pavimento: Path | None
) -> Config:
    with app(data_dir, nome=f"bench-{n_q}", scala=scala, extra=extra) as a:
        asyncio.run(load.riscalda(a.url))
        rerun = asyncio.run(misura_rerun(a, cambi))
        with chromium() as b:
            apri_app = lambda p, n: br.misura_app(p, a.url, n)  # noqa: E731
            serie = {
                "cache vuota (prima visita)": br.serie(b, apri_app, n_q, ripetizioni, caldo=False),
                "cache calda (visita successiva)": br.serie(b, apri_app, n_q, ripetizioni, caldo=True),
            }
            if pavimento is not None:
                apri_file = lambda p, n: br.misura_statico(p, pavimento, n)  # noqa: E731
                serie["mappa statica da file, prima apertura"] = br.serie(b, apri_file, n_q, ripetizioni, caldo=False)
                serie["mappa statica da file, riapertura"] = br.serie(b, apri_file, n_q, ripetizioni, caldo=True)
                # The public map /mappa, served by the same app process (issue 12: <= 1.5x the floor).
                apri_pubblica = lambda p, n: br.misura_pagina(p, a.url + "/mappa", n)  # noqa: E731
                serie["mappa pubblica /mappa, cache vuota"] = br.serie(b, apri_pubblica, n_q, ripetizioni, caldo=False)
                serie["mappa pubblica /mappa, cache calda"] = br.serie(b, apri_pubblica, n_q, ripetizioni, caldo=True)
            if pavimento is not None:
                # The floor of the framework: the same map, alone on a Streamlit page.
                with app_solo_mappa(data_dir, scala) as solo:
                    apri_solo = lambda p, n: br.misura_app(p, solo.url, n)  # noqa: E731
                    serie["solo la mappa in una pagina Streamlit, cache vuota"] = br.serie(
                        b, apri_solo, n_q, ripetizioni, caldo=False
                    )
                    serie["solo la mappa in una pagina Streamlit, cache calda"] = br.serie(
                        b, apri_solo, n_q, ripetizioni, caldo=True
                    )
            # Bytes on the wire: one more warm opening, through a counting relay (not timed).
            relay = Relay(a.port)
            try:
                filo = br.serie(b, lambda p, n: _con_relay(p, n, relay), n_q, 1, caldo=True)[0]
            finally:
                relay.chiudi()
    return Config(rerun, serie, filo.byte_filo, filo.byte_ws)


def _con_relay(page, n_q: int, relay: Relay) -> br.Misura:
    relay.azzera()
    m = br.misura_app(page, relay.url, n_q)
    page.wait_for_timeout(500)
    m.byte_filo = relay.byte_websocket()
    return m


def sezione_dati(
    nome: str, data_dir: Path, scala: bool, ripetizioni: int, cambi: int, tmp: Path
) -> tuple[list[str], dict]:
    from cittadelnoi.stores.file import carica

    t = time.perf_counter()
    snap = carica(data_dir)
    t_carica = time.perf_counter() - t
    n_q, n_p = len(snap.quartieri), len(snap.punti)
    righe = [f"### {nome}: {n_q} quartieri, {n_p} punti, {len(snap.sportelli)} fasce orarie", ""]
    pavimento = mappa.salva_pavimento(snap, tmp / f"mappa-{n_q}.html")
    rip = mappa.ripartizione(snap)
    t = time.perf_counter()
    mappa.mappa_citta(snap).get_root().render()  # a second build: templates compiled, as in a warm server
    t_mappa = time.perf_counter() - t
    att = misura_config(data_dir, scala, [], n_q, ripetizioni, cambi, pavimento)

    # (a)
    def med(serie: list[br.Misura]) -> float:
        return mediana([m.totale_s for m in serie])

    f_freddo = med(att.serie["mappa statica da file, prima apertura"])
    f_caldo = med(att.serie["mappa statica da file, riapertura"])
    righe += [
        f"**(a) Apertura della panoramica fino alle {n_q} forme disegnate** (Chromium headless, {ripetizioni} aperture per riga)",
        "",
        "| | mediana | min | max | rapporto col pavimento |",
        "|---|---:|---:|---:|---:|",
    ]
    rapporti, rapporti_pubblica = {}, {}
    for k, v in att.serie.items():
        xs = [m.totale_s for m in v]
        r = med(v) / (f_freddo if ("vuota" in k or "prima" in k) else f_caldo)
        if k.startswith("mappa statica"):
            etichetta = f"Pavimento: {k}"
        elif k.startswith("mappa pubblica"):
            etichetta = f"Mappa pubblica da incorporare: {k}"
            rapporti_pubblica[k] = r
        elif k.startswith("solo la mappa"):
            etichetta = f"Pavimento di Streamlit: {k}"
        else:
            etichetta = f"App, {k}"
            rapporti[k] = r
        righe.append(f"| {etichetta} | {ms(mediana(xs))} | {ms(min(xs))} | {ms(max(xs))} | {r:.1f}× |")
    peggior_rapporto = max(rapporti.values())
    righe += [
        "",
        f"Obiettivo ≤ {OBIETTIVO_RAPPORTO:.1f}× il pavimento: {ok(peggior_rapporto <= OBIETTIVO_RAPPORTO)}.",
        f"Mappa pubblica /mappa: {max(rapporti_pubblica.values()):.2f}× il pavimento (peggiore delle due cache), "
        f"obiettivo ≤ {OBIETTIVO_RAPPORTO:.1f}×: {ok(max(rapporti_pubblica.values()) <= OBIETTIVO_RAPPORTO)}.",
        "",
        "Dove va il tempo (mediana del momento in cui ogni fase è conclusa, dall'inizio della navigazione):",
        "",
        "| fase conclusa | app, cache calda | app, cache vuota | solo la mappa in Streamlit, cache calda |",
        "|---|---:|---:|---:|",
    ]
    caldo, freddo = att.serie["cache calda (visita successiva)"], att.serie["cache vuota (prima visita)"]
    solo = att.serie["solo la mappa in una pagina Streamlit, cache calda"]
    for fase in caldo[0].fasi:
        righe.append(
            f"| {fase} | {ms(mediana([m.fasi[fase] for m in caldo]))} | {ms(mediana([m.fasi[fase] for m in freddo]))} "
            f"| {ms(mediana([m.fasi[fase] for m in solo]))} |"
        )
    tutte = [m for v in att.serie.values() for m in v]
    esterni = sorted({u for m in tutte for u in m.esterni})
    errori_js = sorted({e for m in tutte for e in m.errori_js})
    righe += [
        "",
        f"Richieste verso altri host durante le aperture: {len(esterni)}; errori JavaScript: {len(errori_js)}.",
    ]
    righe += [f"- {x}" for x in (esterni + errori_js)[:10]]

    # (b)
    righe += [
        "",
        f"**(b) Riesecuzione dello script dopo un cambio di filtro, lato server** ({cambi} cambi per pagina: zona, zona, "
        "quartiere…; dalla richiesta alla fine dell'esecuzione, client di protocollo su loopback)",
        "",
        "| pagina | mediana | p95 | CPU server (mediana) | dati inviati (mediana) |",
        "|---|---:|---:|---:|---:|",
    ]
    for pagina, es in att.rerun.items():
        righe.append(
            f"| {pagina} | {ms(mediana([e.secondi for e in es]))} | {ms(percentile([e.secondi for e in es], 95))} "
            f"| {ms(mediana([e.cpu_s for e in es]))} | {kb(mediana([e.byte for e in es]))} |"
        )
    eccezioni = [x for v in att.rerun.values() for e in v for x in e.eccezioni]
    peggiore = max(mediana([e.secondi for e in v]) for v in att.rerun.values())
    righe += [
        "",
        f"Obiettivo < {ms(OBIETTIVO_RERUN_S)} (mediana di ogni pagina): {ok(peggiore < OBIETTIVO_RERUN_S)}; "
        f"eccezioni nelle riesecuzioni: {len(eccezioni)}.",
    ]
    righe += [f"- {x[:300]}" for x in eccezioni[:5]]

    # (c)
    mappa_ws = mediana([m.byte_mappa for m in caldo + freddo])
    righe += [
        "",
        "**(c) Dati della mappa inviati al browser**",
        "",
        "| | byte |",
        "|---|---:|",
        f"| messaggio websocket della mappa, decodificato (misurato in Chromium) | {kb(mappa_ws)} |",
        f"| — di cui forme dei {n_q} quartieri (TopoJSON) | {kb(rip.topologia)} |",
        f"| — di cui nomi e testi dei quartieri | {kb(rip.quartieri)} |",
        f"| — di cui tabella dei {rip.n_punti} punti | {kb(rip.punti)} |",
        f"| — di cui resto (mappa, script che disegna, stili, legenda, involucro del messaggio) "
        f"| {kb(mappa_ws - rip.topologia - rip.quartieri - rip.punti)} |",
        f"| stesso messaggio compresso (stima: deflate degli argomenti del componente) | {kb(rip.deflate_ws)} |",
        f"| tutto il websocket dell'apertura della panoramica, sul filo (compresso) | {kb(att.filo_ws)} |",
        f"| file statico della mappa (pavimento) | {kb(pavimento.stat().st_size)} |",
        "",
        f"Obiettivo ≤ {kb(OBIETTIVO_MAPPA_B)} per la mappa reale: messaggio decodificato {ok(mappa_ws <= OBIETTIVO_MAPPA_B)}. "
        f"Costruzione e resa della mappa in Python: {ms(t_mappa)}; caricamento e validazione dei file: {ms(t_carica)}.",
        "",
    ]
    dati = dict(
        rapporto=peggior_rapporto,
        rerun_peggiore_s=peggiore,
        mappa_b=mappa_ws,
        filo_b=att.filo_ws,
        eccezioni=len(eccezioni),
        esterni=len(esterni),
        n_quartieri=n_q,
        n_punti=n_p,
    )
    return righe, dati


def sezione_mappa_pubblica(data_dir: Path, ripetizioni: int, tmp: Path) -> list[str]:
    """Only the public map /mappa against the static floor file, in the same run (bench/run.py --solo-mappa-pubblica)."""
    from cittadelnoi.stores.file import carica

    snap = carica(data_dir)
    n_q = len(snap.quartieri)
    pavimento = mappa.salva_pavimento(snap, tmp / f"mappa-{n_q}.html")
    serie: dict[str, list[br.Misura]] = {}
    with app(data_dir, nome="bench-mappa-pubblica") as a, chromium() as b:
        urllib.request.urlopen(a.url + "/mappa", timeout=60).read()  # built once per data version, before timing
        apri_file = lambda p, n: br.misura_statico(p, pavimento, n)  # noqa: E731
        apri_pubblica = lambda p, n: br.misura_pagina(p, a.url + "/mappa", n)  # noqa: E731
        # Interleaved, so that a busy moment of the machine weighs on both.
        for caldo in (False, True):
            nome = "riapertura" if caldo else "prima apertura"
            for _ in range(ripetizioni):
                serie.setdefault(f"file statico, {nome}", []).extend(br.serie(b, apri_file, n_q, 1, caldo=caldo))
                serie.setdefault(f"/mappa, {nome}", []).extend(br.serie(b, apri_pubblica, n_q, 1, caldo=caldo))
    righe = [
        f"**Mappa pubblica /mappa contro il file statico della stessa mappa** ({n_q} forme disegnate; "
        f"{ripetizioni} aperture per riga, alternate)",
        "",
        "| | mediana | min | max | rapporto col file statico |",
        "|---|---:|---:|---:|---:|",
    ]
    for k, v in serie.items():
        xs = [m.totale_s for m in v]
        base = mediana([m.totale_s for m in serie["file statico, " + k.split(", ", 1)[1]]])
        righe.append(f"| {k} | {ms(mediana(xs))} | {ms(min(xs))} | {ms(max(xs))} | {mediana(xs) / base:.2f}× |")
    esterni = sorted({u for v in serie.values() for m in v for u in m.esterni})
    righe += ["", f"Richieste verso altri host: {len(esterni)}; obiettivo ≤ {OBIETTIVO_RAPPORTO:.1f}×."]
    return righe


def git_versione() -> str:
    if os.environ.get("CDN_BENCH_COMMIT"):  # set when measuring an export (git archive) of a commit
        return os.environ["CDN_BENCH_COMMIT"]
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        sporco = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        if not rev:
            return "? (cartella senza git)"
        return rev + (" (con modifiche non committate)" if sporco else "")
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="meno ripetizioni, prova di carico con 10 sessioni")
    ap.add_argument("--senza-sintetico", action="store_true", help="salta la città sintetica (d)")
    ap.add_argument("--senza-carico", action="store_true", help="salta la prova di carico")
    ap.add_argument("--out", type=Path, help="scrive il rapporto anche in questo file")
    ap.add_argument(
        "--solo-mappa-pubblica", action="store_true", help="misura solo /mappa contro il file statico (circa 1 minuto)"
    )
    a = ap.parse_args()
    if a.solo_mappa_pubblica:
        with tempfile.TemporaryDirectory(prefix="cdn-bench-") as tmp_s:
            print("\n".join(sezione_mappa_pubblica(ROOT / "data", 3 if a.quick else 7, Path(tmp_s))))
        return
    rip, cambi = (2, 6) if a.quick else (5, 12)
    carico_n, carico_b = (10, 1) if a.quick else (50, 2)

    carico_medio = os.getloadavg()[0]
    inizio = dt.datetime.now().astimezone()
    comando = ".venv/bin/python bench/run.py" + (" --quick" if a.quick else "")
    testa = [
        f"## Misure del {inizio:%d/%m/%Y %H:%M %Z}",
        "",
        f"- Macchina: {macchina()}; {versione_chromium()}",
        f"- Commit: {git_versione()}",
        f"- Comando: `{comando}`",
        f"- Carico medio della macchina all'avvio: {carico_medio:.2f}"
        + (" (**altri processi attivi: i tempi possono risultare più lenti**)" if carico_medio > 1.0 else ""),
        "",
    ]
    print("\n".join(testa), flush=True)
    corpo: list[str] = []
    sintesi: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="cdn-bench-") as tmp_s:
        tmp = Path(tmp_s)
        righe, sintesi["reale"] = sezione_dati("Dati reali (data/)", ROOT / "data", False, rip, cambi, tmp)
        print("\n".join(righe), flush=True)
        corpo += righe
        if not a.senza_sintetico:
            dest = sintetico.genera(tmp / "sintetico" / "data")
            sintetico.consenti_molti_quartieri()
            righe, sintesi["sintetico"] = sezione_dati(
                "(d) Città sintetica (bench/sintetico.py)", dest, True, max(1, rip - 2), max(3, cambi // 3), tmp
            )
            print("\n".join(righe), flush=True)
            corpo += righe
    if not a.senza_carico:
        testo, dati = load.prova(carico_n, carico_b)
        righe = [f"### Prova di carico: {carico_n} sessioni concorrenti (`bench/load.py`)", "", testo, ""]
        print("\n".join(righe), flush=True)
        corpo += righe
        sintesi["carico"] = dati
    durata = (dt.datetime.now().astimezone() - inizio).total_seconds()
    coda = [f"Durata della misura: {durata / 60:.1f} minuti."]
    print("\n".join(coda))
    if a.out:
        a.out.write_text("\n".join(testa + corpo + coda) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
