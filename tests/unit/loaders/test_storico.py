"""The history files and the replay of events: documented counts, dated statuses, state at a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.storico import (
    Evento,
    carica_conteggi,
    carica_storico_punti,
    conteggi_nel_tempo,
    eventi_seme,
    fine_giorno,
    inizio_giorno,
    stato_al,
)
from tests.conftest import DATA


def _stati_registro() -> dict[str, str]:
    import csv

    with open(DATA / "punti.csv", encoding="utf-8") as f:
        return {r["id"]: r["stato"] for r in csv.DictReader(f)}


def test_documented_counts_file_has_the_four_sourced_counts():
    conteggi, avvisi = carica_conteggi(leggi_file(DATA / "conteggi_punti.csv"))
    assert avvisi == []
    assert [
        (str(r.data), r.attivi, None if r.in_apertura is None or str(r.in_apertura) == "<NA>" else int(r.in_apertura))
        for r in conteggi.itertuples()
    ] == [("2017-03-02", 12, 4), ("2017-12-20", 14, 2), ("2025-10-23", 19, 2), ("2025-12-10", 20, None)]
    assert all(len(f) > 10 for f in conteggi["fonte"])


def test_seed_history_replays_to_the_documented_counts_and_ends_at_the_register():
    stati = _stati_registro()
    storia, _ = carica_storico_punti(leggi_file(DATA / "storico_punti.csv"), stati)
    registro = {i: {"id": i, "stato": s, "dimostrativo": "no"} for i, s in stati.items()}
    eventi = eventi_seme(storia, registro)
    conteggi, _ = carica_conteggi(leggi_file(DATA / "conteggi_punti.csv"))
    for r in conteggi.itertuples():
        punti, _ = stato_al(eventi, fine_giorno(r.data))
        valori = [p["stato"] for p in punti.values()]
        assert valori.count("attivo") == r.attivi, r.data
        if str(r.in_apertura) != "<NA>":
            assert valori.count("in_apertura") == r.in_apertura, r.data
    # Every point whose past is in the file ends in its current status.
    finale, _ = stato_al(eventi)
    assert all(p["stato"] == stati[i] for i, p in finale.items())
    # Demo points' dates are labelled as such.
    assert not storia["dimostrativo"].any()  # sample dates, no demo rows


def test_seed_history_errors_name_row_and_column(tmp_path: Path):
    path = tmp_path / "storico_punti.csv"
    path.write_text(
        "data,id_punto,stato,fonte,dimostrativo\n"
        "2017-02-30,lamarmora,attivo,una fonte,no\n"
        "2017-03-02,sconosciuto,attivo,una fonte,no\n"
        "2017-03-02,mompiano,chiuso,,forse\n"
        "2099-01-01,don-bosco,attivo,una fonte,no\n"
        "2020-01-01,demo-chiesanuova,attivo,una fonte,sì\n",
        encoding="utf-8",
    )
    with pytest.raises(DatiNonValidi) as exc:
        carica_storico_punti(leggi_file(path), _stati_registro(), oggi=dt.date(2026, 1, 1))
    testi = [str(p) for p in exc.value.problemi]
    assert any(t.startswith("storico_punti.csv, riga 3, colonna «id_punto»: punto non presente") for t in testi), testi
    assert any(t.startswith("storico_punti.csv, riga 4, colonna «stato»: stato non valido") for t in testi), testi
    assert any(t.startswith("storico_punti.csv, riga 4, colonna «fonte»") for t in testi), testi
    assert any(t.startswith("storico_punti.csv, riga 4, colonna «dimostrativo»") for t in testi), testi

    path.write_text(
        "data,id_punto,stato,fonte,dimostrativo\n2017-02-30,lamarmora,attivo,una fonte,no\n", encoding="utf-8"
    )
    with pytest.raises(DatiNonValidi, match=r"riga 2, colonna «data»: data inesistente «2017-02-30»"):
        carica_storico_punti(leggi_file(path), _stati_registro())

    path.write_text(
        "data,id_punto,stato,fonte,dimostrativo\n2099-01-01,don-bosco,attivo,una fonte,no\n"
        "2020-01-01,demo-chiesanuova,attivo,una fonte,sì\n",
        encoding="utf-8",
    )
    with pytest.raises(DatiNonValidi) as exc:
        carica_storico_punti(leggi_file(path), _stati_registro(), oggi=dt.date(2026, 1, 1))
    testi = [str(p) for p in exc.value.problemi]
    assert "storico_punti.csv, riga 2, colonna «data»: data nel futuro «2099-01-01»" in testi
    assert any(
        t.startswith("storico_punti.csv, riga 3, colonna «stato»: l'ultimo stato di «demo-chiesanuova» (attivo)")
        for t in testi
    ), testi


def test_counts_over_time_one_row_per_changed_day_and_carried_to_today():
    def ev(giorno: dt.date, ora: int, id_punto: str, stato: str | None) -> Evento:
        quando = inizio_giorno(giorno) + dt.timedelta(hours=ora)
        return Evento(
            quando, "punto", id_punto, None if stato is None else {"id": id_punto, "stato": stato, "dimostrativo": "no"}
        )

    d1, d2, d3 = dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 3, 1)
    eventi = [
        ev(d1, 9, "a", "in_apertura"),
        ev(d1, 10, "a", "attivo"),
        ev(d1, 11, "b", "in_apertura"),
        ev(d2, 23, "b", "attivo"),  # 23:00 in Brescia is still that day
        ev(d3, 8, "c", "attivo"),
        ev(d3, 9, "c", None),
    ]  # added and removed the same day: no row
    out = conteggi_nel_tempo(eventi, fino_al=dt.date(2021, 1, 1))
    assert [(str(r.data), r.attivi, r.in_apertura) for r in out.itertuples()] == [
        ("2020-01-01", 1, 1),
        ("2020-02-01", 2, 0),
        ("2021-01-01", 2, 0),
    ]
    punti, _ = stato_al(eventi, fine_giorno(d1))
    assert {i: p["stato"] for i, p in punti.items()} == {"a": "attivo", "b": "in_apertura"}
    punti, orari = stato_al(eventi + [Evento(inizio_giorno(d1), "orario", "zz", [{"giorno": "lun"}])])
    assert orari == {}, "a schedule of a point that does not exist is not served"
