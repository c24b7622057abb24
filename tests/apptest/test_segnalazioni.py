"""Reports from /segnala in the dashboard (AppTest): the Gestione queue for a logged-in official
(close a report: accolta or respinta, who and when, its e-mail deleted), and the «Segnala» links of
the tables of points and quartieri."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from cittadelnoi.core.segnalazioni import Oggetto, Segnalazione
from cittadelnoi.metrics.ore import nome_punto
from cittadelnoi.ui.archivio import archivio
from tests.apptest.app import apri
from tests.apptest.test_pagina_gestione import PAGINA, _entra, _widget


def _coda(at: AppTest):
    return next(d for d in at.dataframe if "Gestita da" in d.value.columns).value


def test_an_official_closes_a_report_and_its_email_is_deleted():
    at = apri(PAGINA)  # the page's first run creates the process's store
    registro = archivio().segnalazioni()
    adesso = dt.datetime.now(dt.UTC)
    registro.invia(
        Segnalazione(Oggetto("punto", "lamarmora", "Punto Lamarmora"), "orari", "chiuso *da mesi*", "a@b.it"),
        "m1",
        adesso,
    )
    registro.invia(Segnalazione(Oggetto("quartiere", "17029010", "quartiere X"), "mancante", "", None), "m2", adesso)
    _entra(at)
    assert "Segnalazioni (2 da gestire)" in [t.label for t in at.tabs]
    coda = _coda(at)
    assert list(coda["Stato"]) == ["nuova", "nuova"]
    assert set(coda["E-mail"]) == {"a@b.it", "—"}
    assert "chiuso *da mesi*" in set(coda["Testo"])

    id_ = int(coda[coda["E-mail"] == "a@b.it"]["N."].iloc[0])
    _widget(at, "selectbox", "Segnalazione da chiudere").set_value(id_)
    at.run()
    next(b for b in at.button if b.label == "Accolta").click()
    at.run()
    assert not at.exception, at.exception
    assert any(f"Segnalazione N. {id_} accolta" in s.value for s in at.success), [s.value for s in at.success]
    assert "Segnalazioni (1 da gestire)" in [t.label for t in at.tabs]
    _widget(at, "radio", "Mostra").set_value("")
    at.run()
    riga = _coda(at).set_index("N.").loc[id_]
    assert (riga["Stato"], riga["E-mail"], riga["Gestita da"]) == ("accolta", "—", "demo")
    assert riga["Gestita il"] != "—"
    assert registro.coda("accolta").iloc[0]["email"] is None


def test_the_tables_link_every_point_and_quartiere_to_the_report_form():
    at = apri("pages/ore_volontariato.py")
    punti = next(d for d in at.dataframe if "Segnala" in d.value.columns).value
    nomi = archivio().get()[0].punti.set_index("id")["nome"]
    ids = [u.split("/segnala?punto=", 1)[1] for u in punti["Segnala"]]
    assert len(ids) == len(set(ids)) > 10 and set(ids) <= set(nomi.index)
    # Each row links to its own point (the link column follows the table's order).
    assert [nome_punto(nomi[i]) for i in ids] == list(punti["Punto"])

    at = apri("pages/panoramica.py", {"apri": "tabella"})
    quartieri = next(d for d in at.dataframe if "Codice ISTAT" in d.value.columns).value
    assert [u.split("/segnala?quartiere=", 1)[1] for u in quartieri["Segnala"]] == list(quartieri["Codice ISTAT"])

    at = apri("pages/dove_aprire.py", {"lang": "en"})
    classifica = next(d for d in at.dataframe if "Report" in d.value.columns).value
    assert len(classifica) > 0
    assert all("/segnala?quartiere=" in u and u.endswith("&lang=en") for u in classifica["Report"])
