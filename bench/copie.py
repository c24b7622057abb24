"""Backup and restore time (issue 26): scripts/backup.sh and scripts/ripristina.sh on a large register.

    .venv/bin/python bench/copie.py [--punti 5000] [--storico 100000] [--postgres] [--ripetizioni 3]

The synthetic city of bench/sintetico.py (500 quartieri, --punti points) fills a temporary SQLite
database (and, with --postgres, a throwaway PostgreSQL server: bench/repliche.Postgres) through the
app's own first fill; then --storico history rows are added in bulk. Each repetition backs it up
(cittadelnoi.stores.backup.salva: VACUUM INTO / pg_dump -Fc) and restores it into a new database
(ripristina: checks, then copy / pg_restore); the medians are printed with the file size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, macchina, mediana

sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from cittadelnoi.stores import backup
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.schema import revisioni, storico


def riempi(url: str, dati: Path, n_storico: int) -> int:
    """Seed `url` from `dati`, add `n_storico` history rows; the number of points."""
    store = DbStore(crea_engine(url), dati)
    snap, errori = store.get()
    assert snap is not None and not errori, errori
    ids = snap.punti["id"].tolist()
    adesso = dt.datetime.now(dt.UTC)
    with store.engine.begin() as conn:
        rev = conn.execute(sa.select(sa.func.max(revisioni.c.id))).scalar_one()
        for inizio in range(0, n_storico, 10_000):
            righe = [
                {
                    "revisione": rev,
                    "quando": adesso,
                    "chi": "bench",
                    "oggetto": "punto",
                    "id_punto": ids[i % len(ids)],
                    "azione": "modifica",
                    "prima": {"stato": "in_apertura", "nota": f"prima {i}"},
                    "dopo": {"stato": "attivo", "nota": f"dopo {i}"},
                    "modifiche": "stato: in_apertura → attivo",
                    "nota": None,
                    "data_ignota": False,
                }
                for i in range(inizio, min(inizio + 10_000, n_storico))
            ]
            conn.execute(storico.insert(), righe)
    store.engine.dispose()
    return len(ids)


def misura(nome: str, url: str, nuovo_url, cartella: Path, ripetizioni: int) -> None:
    tempi_copia, tempi_ripristino = [], []
    dimensione = 0
    for i in range(ripetizioni):
        t0 = time.perf_counter()
        esito = backup.salva(url, cartella / f"copie-{i}")
        tempi_copia.append(time.perf_counter() - t0)
        dimensione = esito.file.stat().st_size
        destinazione = nuovo_url(i)
        t0 = time.perf_counter()
        backup.ripristina(destinazione, esito.file)
        tempi_ripristino.append(time.perf_counter() - t0)
    print(
        f"{nome}: copia {mediana(tempi_copia):.2f} s, ripristino {mediana(tempi_ripristino):.2f} s "
        f"(mediane di {ripetizioni}; file {dimensione / 1e6:.1f} MB; {esito.punti} punti)"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--punti", type=int, default=5000)
    p.add_argument("--storico", type=int, default=100_000)
    p.add_argument("--ripetizioni", type=int, default=3)
    p.add_argument("--postgres", action="store_true")
    a = p.parse_args()
    import sintetico

    sintetico.consenti_molti_quartieri()
    cartella = Path(tempfile.mkdtemp(prefix="cdn-copie-"))
    try:
        dati = sintetico.genera(cartella / "data", n_punti=a.punti)
        print(macchina())
        url = f"sqlite:///{cartella / 'registro.sqlite'}"
        t0 = time.perf_counter()
        n = riempi(url, dati, a.storico)
        print(f"riempimento SQLite: {n} punti, {a.storico} righe di storico in più, {time.perf_counter() - t0:.1f} s")
        misura("SQLite", url, lambda i: f"sqlite:///{cartella / f'ripristino-{i}.sqlite'}", cartella, a.ripetizioni)
        if a.postgres:
            from repliche import Postgres

            pg = Postgres(database="cittadelnoi")
            try:
                riempi(pg.url, dati, a.storico)
                engine = sa.create_engine(pg.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")

                def nuovo(i: int) -> str:
                    with engine.connect() as conn:
                        conn.exec_driver_sql(f"CREATE DATABASE ripristino_{i}")
                    return pg.url.rsplit("/", 1)[0] + f"/ripristino_{i}"

                misura("PostgreSQL", pg.url, nuovo, cartella, a.ripetizioni)
                engine.dispose()
            finally:
                pg.ferma()
    finally:
        shutil.rmtree(cartella, ignore_errors=True)


if __name__ == "__main__":
    main()
