"""Desk hours: the loader on the sample file and the errors officials get for bad schedules (file,
spreadsheet row, column; every error at once). The hours computed from the slots: tests/unit/metrics."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders import sportelli as sp
from cittadelnoi.loaders.csvio import leggi_file

# --- bad input -----------------------------------------------------------------------------------

INTESTAZIONE = list(sp.COLONNE)
BUONA = {
    "id_punto": "lamarmora",
    "giorno": "mer",
    "inizio": "15:30",
    "fine": "17:30",
    "volontari": "",
    "fonte": "elivebrescia.tv",
    "dimostrativo": "no",
}
ID_PUNTI = {"lamarmora", "don-bosco"}


def scrivi(tmp_path: Path, righe: list[dict[str, str]], colonne: list[str] | None = None) -> Path:
    path = tmp_path / "sportelli.csv"
    colonne = colonne or INTESTAZIONE
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=colonne, extrasaction="ignore")
        w.writeheader()
        w.writerows(righe)
    return path


def problemi(tmp_path: Path, righe: list[dict[str, str]], colonne: list[str] | None = None):
    with pytest.raises(DatiNonValidi) as exc:
        sp.carica_sportelli(leggi_file(scrivi(tmp_path, righe, colonne)), ID_PUNTI)
    assert all(p.file == "sportelli.csv" for p in exc.value.problemi)
    return [(p.riga, p.colonna) for p in exc.value.problemi], exc.value.problemi


def riga(**kw: str) -> dict[str, str]:
    return {**BUONA, **kw}


def test_file_buono_minimo(tmp_path):
    s, avvisi = sp.carica_sportelli(
        leggi_file(scrivi(tmp_path, [riga(), riga(giorno="Venerdì", inizio="9:30", fine="11:30")])), ID_PUNTI
    )
    assert avvisi == []
    assert list(s["giorno"]) == ["mer", "ven"]  # full day names accepted
    assert list(s["inizio"]) == ["15:30", "09:30"]  # normalised to HH:MM
    assert list(s["riga"]) == [2, 3]
    assert (s["fine_min"] - s["inizio_min"]).tolist() == [120, 120]


def test_fasce_sovrapposte(tmp_path):
    dove, probs = problemi(
        tmp_path, [riga(), riga(giorno="ven", inizio="09:30", fine="11:30"), riga(inizio="17:00", fine="18:00")]
    )
    assert dove == [(4, "inizio")]
    assert "si sovrappone" in probs[0].messaggio and "riga 2" in probs[0].messaggio


def test_fasce_contigue_e_altri_punti_non_sovrapposte(tmp_path):
    righe = [riga(), riga(inizio="17:30", fine="18:00"), riga(id_punto="don-bosco", inizio="16:00", fine="17:00")]
    s, _ = sp.carica_sportelli(leggi_file(scrivi(tmp_path, righe)), ID_PUNTI)
    assert len(s) == 3


def test_fascia_contenuta_in_una_precedente(tmp_path):
    # 09:00-13:00 contains 10:00-11:00 and overlaps 12:00-14:00: both are reported, against row 2
    righe = [riga(inizio="09:00", fine="13:00"), riga(inizio="10:00", fine="11:00"), riga(inizio="12:00", fine="14:00")]
    dove, probs = problemi(tmp_path, righe)
    assert dove == [(3, "inizio"), (4, "inizio")]
    assert all("riga 2" in p.messaggio for p in probs)


def test_fine_prima_di_inizio(tmp_path):
    dove, probs = problemi(
        tmp_path,
        [riga(), riga(giorno="ven", inizio="11:30", fine="09:30"), riga(giorno="sab", inizio="10:00", fine="10:00")],
    )
    assert dove == [(3, "fine"), (4, "fine")]
    assert "non è dopo" in probs[0].messaggio


def test_ora_25(tmp_path):
    dove, probs = problemi(tmp_path, [riga(fine="25:00"), riga(giorno="gio", inizio="24:00", fine="24:00")])
    assert dove == [(2, "fine"), (3, "inizio")]
    assert "fuori dall'intervallo" in probs[0].messaggio and "25:00" in probs[0].messaggio


def test_fine_24_ammessa(tmp_path):
    s, _ = sp.carica_sportelli(leggi_file(scrivi(tmp_path, [riga(inizio="22:00", fine="24:00")])), ID_PUNTI)
    assert (s.at[0, "inizio_min"], s.at[0, "fine_min"], s.at[0, "fine"]) == (22 * 60, 24 * 60, "24:00")


def test_orario_malformato(tmp_path):
    dove, probs = problemi(tmp_path, [riga(inizio="15.30"), riga(giorno="gio", fine="17:75")])
    assert dove == [(2, "inizio"), (3, "fine")]
    assert all("HH:MM" in p.messaggio for p in probs)


def test_id_sconosciuto(tmp_path):
    dove, probs = problemi(tmp_path, [riga(), riga(id_punto="lamarmorra")])
    assert dove == [(3, "id_punto")]
    assert "lamarmorra" in probs[0].messaggio and "punti.csv" in probs[0].messaggio


def test_giorno_non_valido(tmp_path):
    dove, probs = problemi(tmp_path, [riga(giorno="mercoled")])
    assert dove == [(2, "giorno")]
    assert "lun, mar, mer" in probs[0].messaggio


def test_colonna_mancante(tmp_path):
    dove, probs = problemi(tmp_path, [riga()], colonne=[c for c in INTESTAZIONE if c != "giorno"])
    assert dove == [(1, "giorno")]
    assert "mancante" in probs[0].messaggio


def test_valori_mancanti_e_volontari(tmp_path):
    dove, _ = problemi(
        tmp_path, [riga(fonte=""), riga(giorno="gio", volontari="tre"), riga(giorno="sab", dimostrativo="forse")]
    )
    assert dove == [(2, "fonte"), (3, "volontari"), (4, "dimostrativo")]


def test_tutti_gli_errori_insieme(tmp_path):
    righe = [
        riga(),  # 2 ok
        riga(inizio="16:00", fine="17:00"),  # 3 overlaps row 2
        riga(giorno="ven", inizio="12:00", fine="11:00"),  # 4 end before start
        riga(giorno="gio", fine="25:00"),  # 5 hour out of range
        riga(id_punto="ignoto", giorno="sab"),  # 6 unknown id
        riga(giorno="xyz"),  # 7 bad weekday
    ]
    dove, probs = problemi(tmp_path, righe)
    assert dove == [(3, "inizio"), (4, "fine"), (5, "fine"), (6, "id_punto"), (7, "giorno")]
    assert all(str(p).startswith("sportelli.csv, riga ") for p in probs)


def test_csv_excel_italiano(tmp_path):
    path = tmp_path / "sportelli.csv"
    path.write_bytes(
        (
            "id_punto;giorno;inizio;fine;volontari;fonte;dimostrativo\r\nlamarmora;Mercoledì;15:30;17:30;;Comune;no\r\n"
        ).encode("cp1252")
    )
    s, avvisi = sp.carica_sportelli(leggi_file(path), ID_PUNTI)
    assert list(s["giorno"]) == ["mer"]
    assert len(avvisi) == 2 and all(a.gravita == "avviso" for a in avvisi)
