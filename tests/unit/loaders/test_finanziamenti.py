"""Funding figures: the loader on the sample file and the errors officials get for bad files. The
ratios and the page's texts: tests/unit/metrics/test_finanziamenti.py."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.loaders.csvio import leggi_file
from tests.conftest import ROOT

DATI = ROOT / "esempio" / "finanziamenti.csv"
FACTS = ROOT.parent / "shared" / "data" / "facts.csv"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    df, avvisi = fin.carica_finanziamenti(leggi_file(DATI))
    assert avvisi == []
    return df


def righe_reali() -> list[dict[str, str]]:
    with DATI.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def scrivi(
    path: Path, righe: list[dict[str, str]], colonne: list[str] | None = None, sep: str = ",", encoding: str = "utf-8"
) -> Path:
    colonne = colonne or fin.COLONNE
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=colonne, delimiter=sep, extrasaction="ignore")
        w.writeheader()
        w.writerows(righe)
    return path


def problemi(exc: pytest.ExceptionInfo[DatiNonValidi]) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.riga, p.colonna, p.messaggio) for p in exc.value.problemi]


# --- Loader on the real file ---


def test_file_reale_ha_ogni_riga_di_facts_con_fonte_reale(frame: pd.DataFrame) -> None:
    assert len(frame) == 22  # every row of shared facts.csv, the point counts included
    assert frame["fonte"].notna().all()
    assert not frame["fonte"].str.lower().eq("come sopra").any()
    # "come sopra" under the 173 M€ row inherits that row's two sources
    assert frame.at[fin.FAMIGLIE, "fonte"] == frame.at[fin.TOTALE, "fonte"]
    assert frame.at[fin.FAMIGLIE, "fonte"].startswith("Corriere della Sera Brescia, 14/07/2017")
    assert frame.at["punti_in_accreditamento_2025_10", "fonte"].startswith("Prima Brescia, 23/10/2025")


def test_tipi_nel_file_reale(frame: pd.DataFrame) -> None:
    assert frame["tipo"].value_counts().to_dict() == {"documentato": 20, "derivato": 1, "non_stimato": 1}
    assert frame.at[fin.ALTRE_FONTI, "tipo"] == "derivato"
    assert frame.at[fin.VOLONTARIATO, "tipo"] == "non_stimato"
    assert pd.isna(frame.at[fin.VOLONTARIATO, "valore"])  # empty, not zero


def test_righe_del_file_indicate(frame: pd.DataFrame) -> None:
    assert frame.at[fin.TOTALE, "riga"] == 2
    assert frame.at[fin.POPOLAZIONE, "riga"] == 23


def test_build_rigenera_lo_stesso_file(tmp_path: Path) -> None:
    if not FACTS.exists():
        pytest.skip("../shared/data/facts.csv non disponibile")
    spec = importlib.util.spec_from_file_location("build_finanziamenti", ROOT / "scripts" / "build_finanziamenti.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out = tmp_path / "finanziamenti.csv"
    assert build.main(["--shared", str(FACTS.parent), "--out", str(out)]) == 0
    assert out.read_bytes() == DATI.read_bytes(), (
        "data/finanziamenti.csv is stale: rerun scripts/build_finanziamenti.py"
    )
    assert not list(tmp_path.glob("*.tmp")), "no temporary file left behind"


# --- Bad files ---


def test_colonna_mancante(tmp_path: Path) -> None:
    colonne = [c for c in fin.COLONNE if c != "tipo"]
    path = scrivi(tmp_path / "finanziamenti.csv", righe_reali(), colonne)
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(path))
    assert ("finanziamenti.csv", 1, "tipo", "colonna obbligatoria mancante") in problemi(exc)


def test_valore_non_numerico(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[0]["valore"] = "173 milioni"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    assert ("f.csv", 2, "valore", "«173 milioni» non è un numero") in problemi(exc)


def test_tipo_sconosciuto(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[4]["tipo"] = "stimato"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    trovati = [p for p in exc.value.problemi if p.colonna == "tipo" and p.riga == 6]
    assert trovati and "tipo sconosciuto" in trovati[0].messaggio and "stimato" in trovati[0].messaggio
    assert all(p.file == "f.csv" for p in exc.value.problemi)


def test_id_richiesto_mancante(tmp_path: Path) -> None:
    righe = [r for r in righe_reali() if r["id"] != fin.BUDGET]
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    [p] = exc.value.problemi
    assert p.file == "f.csv" and p.colonna == "id" and f"«{fin.BUDGET}»" in p.messaggio
    assert "f.csv" in str(exc.value) and fin.BUDGET in str(exc.value)


def test_volontariato_a_zero_non_e_non_stimato(tmp_path: Path) -> None:
    righe = righe_reali()
    assert righe[5]["id"] == fin.VOLONTARIATO
    righe[5]["valore"] = "0"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    [p] = exc.value.problemi
    assert (p.file, p.riga, p.colonna) == ("f.csv", 7, "valore")
    assert "non_stimato" in p.messaggio and "mai 0" in p.messaggio


def test_valore_vuoto_senza_non_stimato(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[6]["valore"] = ""  # erogatori_welfare
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (8, "valore") and "non_stimato" in p.messaggio


def test_derivato_senza_calcolo_nella_fonte(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[2]["tipo"] = "documentato"  # its fonte still says "derivato: 173 - 71"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (4, "tipo")


def test_derivato_incoerente(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[2]["valore"] = "100000000"  # altre fonti must be 173 - 71 = 102 M€
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (4, "valore") and "102.000.000" in p.messaggio


def test_fonte_come_sopra_rifiutata(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[1]["fonte"] = "come sopra"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    assert any(p.riga == 3 and p.colonna == "fonte" for p in exc.value.problemi)


def test_id_ripetuto(tmp_path: Path) -> None:
    righe = righe_reali()
    righe.append(dict(righe[0]))
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(leggi_file(scrivi(tmp_path / "f.csv", righe)))
    assert any(p.colonna == "id" and "ripetuto" in p.messaggio for p in exc.value.problemi)


def test_csv_excel_italiano_letto_con_avvisi(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[0]["descrizione"] = "Risorse per il welfare della città"
    righe[10]["valore"] = "3000000,0"  # decimal comma, as Excel writes it
    path = scrivi(tmp_path / "f.csv", righe, sep=";", encoding="cp1252")
    df, avvisi = fin.carica_finanziamenti(leggi_file(path))
    assert df.at[fin.TOTALE, "descrizione"] == "Risorse per il welfare della città"
    assert df.at[fin.BUDGET, "valore"] == 3_000_000
    assert (fin.valore(df, fin.FAMIGLIE), fin.valore(df, fin.TOTALE)) == (71e6, 173e6)
    assert {p.gravita for p in avvisi} == {"avviso"} and all(p.file == "f.csv" for p in avvisi)
    messaggi = " ".join(p.messaggio for p in avvisi)
    assert "UTF-8" in messaggi and "separatore" in messaggi


def test_file_mancante(tmp_path: Path) -> None:
    with pytest.raises(DatiNonValidi, match="finanziamenti.csv"):
        fin.carica_finanziamenti(leggi_file(tmp_path / "finanziamenti.csv"))
