"""Idle viewers: what N open tabs that nobody touches cost one server process.

    .venv/bin/python bench/inattivi.py [--viewer 300] [--finestra 60] [--radice /altra/copia]

Each viewer is a protocol client (protocollo.Sessione) that opens the overview once, then does
only what an idle browser tab does (ui.archivio.aggiorna_se_cambiano_i_dati): it asks /versione
every 3 seconds (since issue 21: a GET answered from memory, no script run), or, on a checkout of
before that (--radice), it asks every `run_every` seconds for the run of the sidebar's fragment
that compared the versions on the server. Once every viewer is
open, the server's CPU and memory are read over a window of --finestra seconds. --radice runs the
app of another checkout (e.g. the commit before a change) with this same client, for a before/after.
The app runs on a temporary SQLite database, on 127.0.0.1. Bounded: at most 600 viewers, a window
of at most 300 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import LOG_DIR, PYTHON, ROOT, mediana, percentile, porta_libera
from protocollo import Sessione


def _cpu(pid: int) -> float:
    campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(campi[11]) + int(campi[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for riga in Path(f"/proc/{pid}/status").read_text().splitlines():
        if riga.startswith("VmRSS:"):
            return int(riga.split()[1]) / 1024
    return float("nan")


def avvia(radice: Path, tmp: Path) -> tuple[subprocess.Popen, str]:
    porta = porta_libera()
    env = dict(os.environ)
    env["CITTADELNOI_DB_URL"] = f"sqlite:///{tmp / 'registro.sqlite'}"
    env["CITTADELNOI_LAST_GOOD_DIR"] = str(tmp / "ultimi")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    script = "app.py" if (radice / "app.py").exists() else "dashboard.py"
    log = open(LOG_DIR / f"inattivi-{porta}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [PYTHON, "-m", "streamlit", "run", script, "--server.port", str(porta), "--server.address", "127.0.0.1"],
        cwd=radice,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{porta}"
    import urllib.request

    fine = time.monotonic() + 120
    while time.monotonic() < fine:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("l'app non risponde")


async def misura(url: str, pid: int, n: int, finestra: float) -> dict:
    pronte = 0
    tutte = asyncio.Event()
    fine = asyncio.Event()
    tempi_frammento: list[float] = []
    errori: list[str] = []

    def chiedi_versione() -> None:
        import urllib.request

        with urllib.request.urlopen(url + "/versione", timeout=30) as r:
            r.read()

    async def viewer(i: int) -> None:
        nonlocal pronte
        try:
            async with Sessione(url, timeout_s=120) as s:
                await s.esegui()
                pronte += 1
                if pronte >= n:
                    tutte.set()
                # The old check: a fragment run on the server; the new one: GET /versione.
                fid, ogni = next(iter(s.auto_rerun.items())) if s.auto_rerun else (None, 3.0)
                await asyncio.sleep((i % 30) / 30 * ogni)  # tabs opened at different moments
                while not fine.is_set():
                    t = time.perf_counter()
                    if fid is not None:
                        e = await s.frammento(fid)
                        if e.eccezioni:
                            errori.append(f"viewer {i}: {e.eccezioni[0]}")
                    else:
                        await asyncio.to_thread(chiedi_versione)
                    if fine.is_set():
                        break
                    tempi_frammento.append(time.perf_counter() - t)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(fine.wait(), max(0.0, ogni - (time.perf_counter() - t)))
        except Exception as exc:
            errori.append(f"viewer {i}: {type(exc).__name__}: {exc}"[:300])
            pronte += 1
            if pronte >= n:
                tutte.set()

    rss0 = _rss_mb(pid)
    compiti = []
    for i in range(n):
        compiti.append(asyncio.create_task(viewer(i)))
        if i % 20 == 19:
            await asyncio.sleep(0.5)  # open them 20 at a time, as a room filling up
    await asyncio.wait_for(tutte.wait(), 600)
    await asyncio.sleep(5)  # let the openings' work end
    tempi_frammento.clear()
    c0, t0, rss1 = _cpu(pid), time.perf_counter(), _rss_mb(pid)
    await asyncio.sleep(finestra)
    c1, t1 = _cpu(pid), time.perf_counter()
    frammenti = len(tempi_frammento)
    fine.set()
    await asyncio.wait_for(asyncio.gather(*compiti, return_exceptions=True), 120)
    core = (c1 - c0) / (t1 - t0)
    return {
        "viewer": n,
        "finestra_s": t1 - t0,
        "core": core,
        "core_per_viewer_pct": 100 * core / n,
        "rss_prima_mb": rss0,
        "rss_dopo_mb": rss1,
        "mb_per_viewer": (rss1 - rss0) / n,
        "frammenti_al_s": frammenti / (t1 - t0),
        "frammento_mediana_ms": 1000 * mediana(tempi_frammento),
        "frammento_p95_ms": 1000 * percentile(tempi_frammento, 95),
        "errori": errori,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewer", type=int, default=300)
    ap.add_argument("--finestra", type=float, default=60.0)
    ap.add_argument("--radice", type=Path, default=ROOT, help="la copia del progetto da avviare")
    a = ap.parse_args()
    n = max(1, min(a.viewer, 600))
    with tempfile.TemporaryDirectory(prefix="cdn-inattivi-") as tmp:
        proc, url = avvia(a.radice.resolve(), Path(tmp))
        try:
            r = asyncio.run(misura(url, proc.pid, n, min(a.finestra, 300.0)))
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
    commit = subprocess.run(
        ["git", "-C", str(a.radice), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"{r['viewer']} viewer inattivi su un processo ({commit}): {r['core']:.2f} core "
        f"({r['core_per_viewer_pct']:.3f} % di un core per viewer), memoria {r['rss_prima_mb']:.0f} → "
        f"{r['rss_dopo_mb']:.0f} MB ({r['mb_per_viewer']:.2f} MB per viewer); {r['frammenti_al_s']:.0f} "
        f"controlli della versione al secondo, mediana {r['frammento_mediana_ms']:.0f} ms, p95 "
        f"{r['frammento_p95_ms']:.0f} ms; finestra {r['finestra_s']:.0f} s; errori {len(r['errori'])}"
    )
    for e in r["errori"][:10]:
        print("-", e)
    sys.exit(1 if r["errori"] else 0)


if __name__ == "__main__":
    main()
