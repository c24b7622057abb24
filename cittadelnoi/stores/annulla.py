"""Undoing one revision of the register in one step: every point and schedule it changed goes back
to what it was before, as a new recorded revision (the undo is itself a change in the history).

Only an amministratore may undo (core.ruoli). A revision is undone only while what it wrote is
still what the register holds: if a later change touched the same point, nothing is written and
the Conflitto names that point.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.storico import Record
from cittadelnoi.stores.schema import revisioni, storico
from cittadelnoi.stores.scrittura import Conflitto, Esito, leggi_registro, orari_per_punto, scrivi


def annulla(conn: Connection, revisione: int, autore: Autore, quartieri: gpd.GeoDataFrame, ora: dt.datetime) -> Esito:
    """Undo `revisione` inside the open transaction `conn`. Raises NonAutorizzato (not an
    amministratore), Conflitto (unknown revision, nothing of the register in it, or a later change
    to the same objects) or DatiNonValidi (the register as it was no longer validates, e.g. its
    quartiere layer changed); nothing is written then."""
    autore.richiedi_amministratore("annullare una modifica")
    descrizione = conn.execute(sa.select(revisioni.c.descrizione).where(revisioni.c.id == revisione)).scalar()
    if descrizione is None:
        raise Conflitto(f"la revisione {revisione} non esiste: nulla è stato annullato")
    righe = conn.execute(
        sa.select(storico.c.oggetto, storico.c.id_punto, storico.c.prima, storico.c.dopo)
        .where(storico.c.revisione == revisione)
        .order_by(storico.c.id)
    ).all()
    if not righe:
        raise Conflitto(f"la revisione {revisione} non ha modifiche del registro da annullare")
    prima_p, prima_f, info = leggi_registro(conn)
    punti = registro.per_id(prima_p)
    orari = orari_per_punto(prima_f)
    toccati: list[str] = []
    for r in righe:
        attuale: Record | list[Record] | None = punti.get(r.id_punto) if r.oggetto == "punto" else orari.get(r.id_punto)
        if (attuale or None) != (r.dopo or None):
            raise Conflitto(
                f"il punto «{r.id_punto}» è stato modificato dopo la revisione {revisione}: annullarla "
                "cancellerebbe quella modifica. Nulla è stato annullato; annullare prima le modifiche successive."
            )
        if r.oggetto == "punto":
            if r.prima is None:
                punti.pop(r.id_punto, None)
            else:
                punti[r.id_punto] = r.prima
        else:
            orari[r.id_punto] = list(r.prima or [])
        toccati.append(r.id_punto)
    ordine = [i for i in (r["id"] for r in prima_p) if i in punti] + [i for i in punti if i not in info]
    punti_rec = [punti[i] for i in ordine]
    fasce_rec = [{**f, "id_punto": i} for i in ordine for f in orari.get(i, [])]
    reg = registro.valida_record(punti_rec, fasce_rec, quartieri)
    testo = f"Annullamento della revisione {revisione} ({descrizione})"
    return scrivi(conn, reg, prima_p, prima_f, info, autore, testo, ora, solo=set(toccati))
