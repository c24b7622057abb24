"""The database's first fill from data/ (esempio/ in the sample mode): the register, its desk
slots and its history, each point starting at its documented date (storico_punti.csv, else its
opening, else its first attestation); a point with none is marked "data di apertura non
documentata" and is never counted as new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
from sqlalchemy.engine import Connection

from cittadelnoi.core import paths
from cittadelnoi.core.tempo import giorno_locale
from cittadelnoi.loaders import differenze, registro
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.punti import data_storia
from cittadelnoi.loaders.registro import COLONNE_PUNTI
from cittadelnoi.loaders.storico import Evento, Record, carica_storico_punti, eventi_seme, inizio_giorno
from cittadelnoi.stores.schema import punti, sportelli, storico
from cittadelnoi.stores.scrittura import (
    NOTA_APERTURA_IGNOTA,
    fasce_per_punto,
    nuova_revisione,
    orari_per_punto,
    riga_punto,
    versione_dati,
)


def semina(conn: Connection, data_dir: Path, quartieri: gpd.GeoDataFrame, ora: dt.datetime) -> bool:
    """Fill an empty database from data/ (`data_dir`: esempio/ in the sample mode): the register,
    its desk slots and the dated history of storico_punti.csv. The history names the folder it was
    filled from. Returns False when the database already has data. Raises DatiNonValidi."""
    if versione_dati(conn)[0]:
        return False
    chi_sistema = f"sistema (creazione dai file in {paths.cita(data_dir)})"
    reg = registro.valida_file(leggi_file(data_dir / "punti.csv"), leggi_file(data_dir / "sportelli.csv"), quartieri)
    per_id = registro.per_id(reg.punti_rec)
    eventi: list[tuple[Evento, str]] = []
    seme = data_dir / "storico_punti.csv"
    if seme.exists():
        frame, _ = carica_storico_punti(
            leggi_file(seme), {i: r["stato"] for i, r in per_id.items()}, giorno_locale(ora)
        )
        fonti = list(frame.sort_values("data", kind="stable")["fonte"])
        eventi = list(zip(eventi_seme(frame, per_id), fonti, strict=False))
    # The files actually read, named as they are (esempio/… in the sample mode, never a fixed data/).
    letti = [paths.cita(data_dir, n) for n in ("punti.csv", "sportelli.csv", *([seme.name] if seme.exists() else []))]
    rev = nuova_revisione(conn, chi_sistema, f"Creazione del database da {', '.join(letti[:-1])} e {letti[-1]}", ora)
    conn.execute(punti.insert(), [riga_punto(r, n, 1, rev) for n, r in enumerate(reg.punti.to_dict("records"))])
    fasce = fasce_per_punto(reg.sportelli)
    if righe := [r for i in per_id for r in fasce.get(i, [])]:
        conn.execute(sportelli.insert(), righe)

    righe_storico = []
    ultimo: dict[str, Record] = {}
    for ev, fonte in eventi:
        prima, dopo = ultimo.get(ev.id_punto), ev.dopo
        if not isinstance(dopo, dict):  # eventi_seme gives point records, never a removal or a schedule
            raise TypeError(f"evento del seme non valido: {ev!r}")
        testo = (
            f"nuovo punto «{dopo['nome']}» ({dopo['stato']})"
            if prima is None
            else differenze.descrivi_differenze(differenze.differenze(prima, dopo, COLONNE_PUNTI))
        )
        righe_storico.append(
            {
                "revisione": rev,
                "quando": ev.quando,
                "chi": f"storico documentato ({paths.cita(data_dir, seme.name)})",
                "oggetto": "punto",
                "id_punto": ev.id_punto,
                "azione": "crea" if prima is None else "modifica",
                "prima": prima,
                "dopo": dopo,
                "modifiche": testo,
                "nota": f"fonte: {fonte}",
                "data_ignota": False,
            }
        )
        ultimo[ev.id_punto] = dopo
    for i, r in per_id.items():
        prima = ultimo.get(i)
        dal = data_storia(r.get("apertura"), r.get("prima_attestazione"))
        if prima is None and dal is not None and dal <= giorno_locale(ora):
            # No row in storico_punti.csv: the history starts at the opening, else the first attestation.
            campo = "apertura" if r.get("apertura") else "prima attestazione"
            righe_storico.append(
                {
                    "revisione": rev,
                    "quando": inizio_giorno(dal),
                    "chi": f"storico documentato ({paths.cita(data_dir, 'punti.csv')}, {campo})",
                    "oggetto": "punto",
                    "id_punto": i,
                    "azione": "crea",
                    "prima": None,
                    "dopo": r,
                    "modifiche": f"nuovo punto «{r['nome']}» ({r['stato']})",
                    "nota": f"fonte: {r['fonte']}",
                    "data_ignota": False,
                }
            )
        elif prima != r:  # no documented date, or details that differ: the register as of today
            righe_storico.append(
                {
                    "revisione": rev,
                    "quando": ora,
                    "chi": chi_sistema,
                    "oggetto": "punto",
                    "id_punto": i,
                    "azione": "crea" if prima is None else "modifica",
                    "prima": prima,
                    "dopo": r,
                    "modifiche": f"nuovo punto «{r['nome']}» ({r['stato']})"
                    if prima is None
                    else differenze.descrivi_differenze(differenze.differenze(prima, r, COLONNE_PUNTI)),
                    "nota": NOTA_APERTURA_IGNOTA if prima is None else None,
                    "data_ignota": prima is None,
                }
            )
    for i, orario in orari_per_punto(reg.fasce_rec).items():
        righe_storico.append(
            {
                "revisione": rev,
                "quando": ora,
                "chi": chi_sistema,
                "oggetto": "orario",
                "id_punto": i,
                "azione": "crea",
                "prima": None,
                "dopo": orario,
                "modifiche": f"orario: {differenze.orario_testo(orario)}",
                "nota": "orari precedenti non documentati",
                "data_ignota": True,
            }
        )
    conn.execute(storico.insert(), righe_storico)
    return True
