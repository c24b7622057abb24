"""Funding figures: the loader on the real file, every metric against hand-checked numbers, the
text the page shows, and the errors officials get for bad files."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders import finanziamenti as fin
from tests.conftest import ROOT

DATI = ROOT / "data" / "finanziamenti.csv"
FACTS = ROOT.parent / "shared" / "data" / "facts.csv"


def sp(text: str) -> str:
    """Babel separates number and unit with a no-break space; compare on plain spaces."""
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    df, avvisi = fin.carica_finanziamenti(DATI)
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


def con_valori(frame: pd.DataFrame, **valori: float) -> pd.DataFrame:
    """A copy of the real figures with some values replaced, to show metrics compute, not copy."""
    altro = frame.copy()
    for id_, v in valori.items():
        altro.at[id_, "valore"] = v
    return altro


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


# --- Metrics, hand-checked ---


def test_quota_famiglie(frame: pd.DataFrame) -> None:
    assert fin.quota_famiglie(frame) == pytest.approx(71 / 173)
    assert fin.quota_famiglie(frame) == pytest.approx(0.4104, abs=5e-5)
    assert fin.quota_famiglie(con_valori(frame, **{fin.TOTALE: 200e6, fin.FAMIGLIE: 50e6})) == 0.25


def test_resto_e_173_meno_71(frame: pd.DataFrame) -> None:
    assert fin.resto(frame) == 102_000_000
    assert fin.resto(frame) == frame.at[fin.ALTRE_FONTI, "valore"]
    assert fin.quota_resto(frame) == pytest.approx(0.5896, abs=5e-5)
    assert fin.resto(con_valori(frame, **{fin.TOTALE: 100e6, fin.FAMIGLIE: 30e6})) == 70e6


def test_crescita_spesa_comunale_non_e_dieci_per_cento(frame: pd.DataFrame) -> None:
    assert fin.crescita_spesa_comunale(frame) == pytest.approx(0.1379, abs=5e-5)
    assert fin.crescita_spesa_comunale(frame) == pytest.approx(4 / 29)
    assert fin.crescita_spesa_comunale(frame) != pytest.approx(0.10, abs=0.01)
    assert fin.crescita_spesa_comunale(con_valori(frame, **{fin.COMUNE_2016: 27e6})) == pytest.approx(-2 / 29)


def test_per_residente_usa_i_residenti_2024(frame: pd.DataFrame) -> None:
    assert fin.per_residente(173e6, frame) == pytest.approx(870.71, abs=0.005)
    assert fin.per_residente(33e6, frame) == pytest.approx(166.09, abs=0.005)
    assert fin.per_residente(1e6, con_valori(frame, **{fin.POPOLAZIONE: 200_000})) == 5.0


def test_quota_servizi_comunali(frame: pd.DataFrame) -> None:
    assert fin.quota_servizi_comunali(frame) == pytest.approx(0.06)


def test_valore_non_stimato_non_e_un_numero(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="non è stimato"):
        fin.valore(frame, fin.VOLONTARIATO)
    c = fin.cifra(frame, fin.VOLONTARIATO)
    assert c.valore is None and c.non_stimato and not c.derivato


# --- Text the page shows ---


@pytest.mark.parametrize(
    ("id_", "atteso"),
    [
        (fin.TOTALE, "173 mln €"),
        (fin.FAMIGLIE, "71 mln €"),
        (fin.ALTRE_FONTI, "102 mln €"),
        (fin.COMUNE_2013, "29 mln €"),
        (fin.COMUNE_2016, "33 mln €"),
        (fin.VOLONTARIATO, "non stimato"),
        (fin.EROGATORI, "318"),
        (fin.SERVIZI, "767"),
        (fin.QUOTA_COMUNALE, "6%"),
        (fin.CITTADINI_SEGUITI, "5.300"),
        (fin.BUDGET, "oltre 3 mln €"),
        (fin.CARIPLO, "1,4 mln €"),
        (fin.POPOLAZIONE, "198.688"),
    ],
)
def test_testo_valore(frame: pd.DataFrame, id_: str, atteso: str) -> None:
    assert sp(fin.testo_valore(fin.cifra(frame, id_))) == atteso


def test_testo_valore_con_unita(frame: pd.DataFrame) -> None:
    assert fin.testo_valore(fin.cifra(frame, fin.EROGATORI), con_unita=True) == "318 enti"
    assert fin.testo_valore(fin.cifra(frame, fin.POPOLAZIONE), con_unita=True) == "198.688 abitanti"
    assert fin.testo_valore(fin.cifra(frame, fin.VOLONTARIATO), con_unita=True) == "non stimato"


def test_testi_calcolati(frame: pd.DataFrame) -> None:
    assert fin.testo_crescita(fin.crescita_spesa_comunale(frame)) == "+13,8%"
    assert fin.testo_crescita(-0.05) == "−5,0%"
    assert sp(fin.testo_per_residente(fin.per_residente(173e6, frame))) == "871 €"
    assert sp(fin.testo_per_residente(1234.4)) == "1.234 €"


def test_calcoli_mostrano_formula(frame: pd.DataFrame) -> None:
    calcoli = {c.nome: (sp(c.testo), sp(c.formula)) for c in fin.calcoli(frame)}
    assert calcoli["Quota a carico delle famiglie"] == ("41%", "71 mln € / 173 mln €")
    assert calcoli["Altre fonti (resto del totale)"] == ("102 mln €", "173 mln € − 71 mln €")
    assert calcoli["Crescita della spesa comunale 2013→2016"] == ("+13,8%", "(33 mln € − 29 mln €) / 29 mln €")
    testo, formula = calcoli["Welfare totale per residente"]
    assert testo == "871 €" and "198.688" in formula and "2024" in formula


def test_tabella_fonti(frame: pd.DataFrame) -> None:
    t = fin.tabella(frame).set_index("Dato")
    assert len(t) == len(fin.IDS_PAGINA)
    assert list(t.columns) == ["Valore", "Riferimento", "Tipo", "Fonte"]  # notes are for developers
    volontariato = t.loc["Valore economico del volontariato"]
    assert volontariato["Valore"] == "non stimato"
    assert volontariato["Tipo"] == "non stimato nella fonte"
    derivato = t.loc[frame.at[fin.ALTRE_FONTI, "descrizione"]]
    assert derivato["Tipo"].startswith("derivato") and derivato["Fonte"] == "derivato: 173 - 71"
    assert (t["Fonte"].str.len() > 0).all()
    assert "0" not in set(t["Valore"])
    assert t.loc[frame.at[fin.POPOLAZIONE, "descrizione"], "Riferimento"] == "1 gennaio 2024"  # dates through fmt
    assert fin.testo_riferimento("2016-2019") == "2016-2019" and fin.testo_riferimento("2017-13-01") == "2017-13-01"


def test_fonti_senza_ripetizioni(frame: pd.DataFrame) -> None:
    testo = fin.fonti(frame, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI])
    assert testo.count("Corriere della Sera Brescia") == 1
    assert testo.endswith("; derivato: 173 - 71")
    # the shorter citation of the same article is not repeated
    assert fin.fonti(frame, [fin.TOTALE, fin.COMUNE_2013]) == frame.at[fin.TOTALE, "fonte"]
    assert fin.fonti(frame, [fin.COMUNE_2013, fin.BUDGET]) == (
        "Corriere della Sera Brescia, 14/07/2017; La Voce del Popolo, 'Compleanno con bilancio sociale'"
    )


# --- Bad files ---


def test_colonna_mancante(tmp_path: Path) -> None:
    colonne = [c for c in fin.COLONNE if c != "tipo"]
    path = scrivi(tmp_path / "finanziamenti.csv", righe_reali(), colonne)
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(path)
    assert ("finanziamenti.csv", 1, "tipo", "colonna obbligatoria mancante") in problemi(exc)


def test_valore_non_numerico(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[0]["valore"] = "173 milioni"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    assert ("f.csv", 2, "valore", "«173 milioni» non è un numero") in problemi(exc)


def test_tipo_sconosciuto(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[4]["tipo"] = "stimato"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    trovati = [p for p in exc.value.problemi if p.colonna == "tipo" and p.riga == 6]
    assert trovati and "tipo sconosciuto" in trovati[0].messaggio and "stimato" in trovati[0].messaggio
    assert all(p.file == "f.csv" for p in exc.value.problemi)


def test_id_richiesto_mancante(tmp_path: Path) -> None:
    righe = [r for r in righe_reali() if r["id"] != fin.BUDGET]
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    [p] = exc.value.problemi
    assert p.file == "f.csv" and p.colonna == "id" and f"«{fin.BUDGET}»" in p.messaggio
    assert "f.csv" in str(exc.value) and fin.BUDGET in str(exc.value)


def test_volontariato_a_zero_non_e_non_stimato(tmp_path: Path) -> None:
    righe = righe_reali()
    assert righe[5]["id"] == fin.VOLONTARIATO
    righe[5]["valore"] = "0"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    [p] = exc.value.problemi
    assert (p.file, p.riga, p.colonna) == ("f.csv", 7, "valore")
    assert "non_stimato" in p.messaggio and "mai 0" in p.messaggio


def test_valore_vuoto_senza_non_stimato(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[6]["valore"] = ""  # erogatori_welfare
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (8, "valore") and "non_stimato" in p.messaggio


def test_derivato_senza_calcolo_nella_fonte(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[2]["tipo"] = "documentato"  # its fonte still says "derivato: 173 - 71"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (4, "tipo")


def test_derivato_incoerente(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[2]["valore"] = "100000000"  # altre fonti must be 173 - 71 = 102 M€
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (4, "valore") and "102.000.000" in p.messaggio


def test_fonte_come_sopra_rifiutata(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[1]["fonte"] = "come sopra"
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    assert any(p.riga == 3 and p.colonna == "fonte" for p in exc.value.problemi)


def test_id_ripetuto(tmp_path: Path) -> None:
    righe = righe_reali()
    righe.append(dict(righe[0]))
    with pytest.raises(DatiNonValidi) as exc:
        fin.carica_finanziamenti(scrivi(tmp_path / "f.csv", righe))
    assert any(p.colonna == "id" and "ripetuto" in p.messaggio for p in exc.value.problemi)


def test_csv_excel_italiano_letto_con_avvisi(tmp_path: Path) -> None:
    righe = righe_reali()
    righe[0]["descrizione"] = "Risorse per il welfare della città"
    righe[10]["valore"] = "3000000,0"  # decimal comma, as Excel writes it
    path = scrivi(tmp_path / "f.csv", righe, sep=";", encoding="cp1252")
    df, avvisi = fin.carica_finanziamenti(path)
    assert df.at[fin.TOTALE, "descrizione"] == "Risorse per il welfare della città"
    assert df.at[fin.BUDGET, "valore"] == 3_000_000
    assert fin.quota_famiglie(df) == pytest.approx(71 / 173)
    assert {p.gravita for p in avvisi} == {"avviso"} and all(p.file == "f.csv" for p in avvisi)
    messaggi = " ".join(p.messaggio for p in avvisi)
    assert "UTF-8" in messaggi and "separatore" in messaggi


def test_file_mancante(tmp_path: Path) -> None:
    with pytest.raises(DatiNonValidi, match="finanziamenti.csv"):
        fin.carica_finanziamenti(tmp_path / "finanziamenti.csv")


# --- English ---


@pytest.mark.parametrize(
    "id_,atteso",
    [
        (fin.TOTALE, "€173M"),
        (fin.VOLONTARIATO, "not estimated"),
        (fin.QUOTA_COMUNALE, "6%"),
        (fin.CITTADINI_SEGUITI, "5,300"),
        (fin.BUDGET, "over €3M"),
        (fin.CARIPLO, "€1.4M"),
    ],
)
def test_testo_valore_in_inglese(frame: pd.DataFrame, inglese, id_: str, atteso: str) -> None:
    assert fin.testo_valore(fin.cifra(frame, id_)) == atteso


def test_testi_calcolati_in_inglese(frame: pd.DataFrame, inglese) -> None:
    assert fin.testo_crescita(fin.crescita_spesa_comunale(frame)) == "+13.8%"
    assert fin.testo_per_residente(1234.4) == "€1,234"
    assert fin.testo_valore(fin.cifra(frame, fin.EROGATORI), con_unita=True) == "318 bodies"
    calcoli = {c.nome: (c.testo, c.formula) for c in fin.calcoli(frame)}
    assert calcoli["Share paid by families"] == ("41%", "€71M / €173M")
    assert calcoli["Total welfare per resident"] == ("€871", "€173M / 198,688 residents on 1 January 2024")


def test_tabella_in_inglese(frame: pd.DataFrame, inglese) -> None:
    t = fin.tabella(frame)
    assert list(t.columns) == ["Figure", "Value", "Period", "Kind", "Source"]
    t = t.set_index("Figure")
    # our own label per id, not the Italian `descrizione` of the file; sources stay as written
    assert len(t) == len(fin.IDS_PAGINA) and set(fin.ETICHETTE) == set(fin.IDS_PAGINA)
    assert (t.loc["Economic value of volunteering", "Value"], t.loc["Economic value of volunteering", "Kind"]) == (
        "not estimated",
        "not estimated in the source",
    )
    cariplo = t.loc["Fondazione Cariplo's contribution (Welfare in azione) over three years"]
    assert (cariplo["Value"], cariplo["Period"]) == ("€1.4M", "three years")
    assert t.loc["Rest of the total (breakdown not given in the sources)", "Source"] == "derivato: 173 - 71"
    assert t.loc["Residents of the City of Brescia", "Period"] == "1 January 2024"


def test_etichetta_sconosciuta_resta_la_descrizione(frame: pd.DataFrame, inglese) -> None:
    assert fin.etichetta(fin.cifra(frame, "obiettivo_punti")) == frame.at["obiettivo_punti", "descrizione"]
