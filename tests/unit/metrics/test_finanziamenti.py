"""Funding metrics (metrics/finanziamenti.py): every ratio against hand-checked numbers on the sample
file, and the text the Finanziamenti page shows in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.metrics import finanziamenti as m_fin
from tests.conftest import DATA


def sp(text: str) -> str:
    """Babel separates number and unit with a no-break space; compare on plain spaces."""
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    df, avvisi = fin.carica_finanziamenti(leggi_file(DATA / "finanziamenti.csv"))
    assert avvisi == []
    return df


def con_valori(frame: pd.DataFrame, **valori: float) -> pd.DataFrame:
    """A copy of the real figures with some values replaced, to show metrics compute, not copy."""
    altro = frame.copy()
    for id_, v in valori.items():
        altro.at[id_, "valore"] = v
    return altro


# --- Metrics, hand-checked ---


def test_quota_famiglie(frame: pd.DataFrame) -> None:
    assert m_fin.quota_famiglie(frame) == pytest.approx(71 / 173)
    assert m_fin.quota_famiglie(frame) == pytest.approx(0.4104, abs=5e-5)
    assert m_fin.quota_famiglie(con_valori(frame, **{fin.TOTALE: 200e6, fin.FAMIGLIE: 50e6})) == 0.25


def test_resto_e_173_meno_71(frame: pd.DataFrame) -> None:
    assert m_fin.resto(frame) == 102_000_000
    assert m_fin.resto(frame) == frame.at[fin.ALTRE_FONTI, "valore"]
    assert m_fin.quota_resto(frame) == pytest.approx(0.5896, abs=5e-5)
    assert m_fin.resto(con_valori(frame, **{fin.TOTALE: 100e6, fin.FAMIGLIE: 30e6})) == 70e6


def test_crescita_spesa_comunale_non_e_dieci_per_cento(frame: pd.DataFrame) -> None:
    assert m_fin.crescita_spesa_comunale(frame) == pytest.approx(0.1379, abs=5e-5)
    assert m_fin.crescita_spesa_comunale(frame) == pytest.approx(4 / 29)
    assert m_fin.crescita_spesa_comunale(frame) != pytest.approx(0.10, abs=0.01)
    assert m_fin.crescita_spesa_comunale(con_valori(frame, **{fin.COMUNE_2016: 27e6})) == pytest.approx(-2 / 29)


def test_per_residente_usa_i_residenti_2024(frame: pd.DataFrame) -> None:
    assert m_fin.per_residente(173e6, frame) == pytest.approx(870.71, abs=0.005)
    assert m_fin.per_residente(33e6, frame) == pytest.approx(166.09, abs=0.005)
    assert m_fin.per_residente(1e6, con_valori(frame, **{fin.POPOLAZIONE: 200_000})) == 5.0


def test_quota_servizi_comunali(frame: pd.DataFrame) -> None:
    assert m_fin.quota_servizi_comunali(frame) == pytest.approx(0.06)


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
    assert sp(m_fin.testo_valore(fin.cifra(frame, id_))) == atteso


def test_testo_valore_con_unita(frame: pd.DataFrame) -> None:
    assert m_fin.testo_valore(fin.cifra(frame, fin.EROGATORI), con_unita=True) == "318 enti"
    assert m_fin.testo_valore(fin.cifra(frame, fin.POPOLAZIONE), con_unita=True) == "198.688 abitanti"
    assert m_fin.testo_valore(fin.cifra(frame, fin.VOLONTARIATO), con_unita=True) == "non stimato"


def test_testi_calcolati(frame: pd.DataFrame) -> None:
    assert m_fin.testo_crescita(m_fin.crescita_spesa_comunale(frame)) == "+13,8%"
    assert m_fin.testo_crescita(-0.05) == "−5,0%"
    assert sp(m_fin.testo_per_residente(m_fin.per_residente(173e6, frame))) == "871 €"
    assert sp(m_fin.testo_per_residente(1234.4)) == "1.234 €"


def test_calcoli_mostrano_formula(frame: pd.DataFrame) -> None:
    calcoli = {c.nome: (sp(c.testo), sp(c.formula)) for c in m_fin.calcoli(frame)}
    assert calcoli["Quota a carico delle famiglie"] == ("41%", "71 mln € / 173 mln €")
    assert calcoli["Altre fonti (resto del totale)"] == ("102 mln €", "173 mln € − 71 mln €")
    assert calcoli["Crescita della spesa comunale 2013→2016"] == ("+13,8%", "(33 mln € − 29 mln €) / 29 mln €")
    testo, formula = calcoli["Welfare totale per residente"]
    assert testo == "871 €" and "198.688" in formula and "2024" in formula


def test_tabella_fonti(frame: pd.DataFrame) -> None:
    t = m_fin.tabella(frame).set_index("Dato")
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
    assert m_fin.testo_riferimento("2016-2019") == "2016-2019" and m_fin.testo_riferimento("2017-13-01") == "2017-13-01"


def test_fonti_senza_ripetizioni(frame: pd.DataFrame) -> None:
    testo = m_fin.fonti(frame, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI])
    assert testo.count("Corriere della Sera Brescia") == 1
    assert testo.endswith("; derivato: 173 - 71")
    # the shorter citation of the same article is not repeated
    assert m_fin.fonti(frame, [fin.TOTALE, fin.COMUNE_2013]) == frame.at[fin.TOTALE, "fonte"]
    assert m_fin.fonti(frame, [fin.COMUNE_2013, fin.BUDGET]) == (
        "Corriere della Sera Brescia, 14/07/2017; La Voce del Popolo, 'Compleanno con bilancio sociale'"
    )


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
    assert m_fin.testo_valore(fin.cifra(frame, id_)) == atteso


def test_testi_calcolati_in_inglese(frame: pd.DataFrame, inglese) -> None:
    assert m_fin.testo_crescita(m_fin.crescita_spesa_comunale(frame)) == "+13.8%"
    assert m_fin.testo_per_residente(1234.4) == "€1,234"
    assert m_fin.testo_valore(fin.cifra(frame, fin.EROGATORI), con_unita=True) == "318 bodies"
    calcoli = {c.nome: (c.testo, c.formula) for c in m_fin.calcoli(frame)}
    assert calcoli["Share paid by families"] == ("41%", "€71M / €173M")
    assert calcoli["Total welfare per resident"] == ("€871", "€173M / 198,688 residents on 1 January 2024")


def test_tabella_in_inglese(frame: pd.DataFrame, inglese) -> None:
    t = m_fin.tabella(frame)
    assert list(t.columns) == ["Figure", "Value", "Period", "Kind", "Source"]
    t = t.set_index("Figure")
    # our own label per id, not the Italian `descrizione` of the file; sources stay as written
    assert len(t) == len(fin.IDS_PAGINA) and set(m_fin.ETICHETTE) == set(fin.IDS_PAGINA)
    assert (t.loc["Economic value of volunteering", "Value"], t.loc["Economic value of volunteering", "Kind"]) == (
        "not estimated",
        "not estimated in the source",
    )
    cariplo = t.loc["Fondazione Cariplo's contribution (Welfare in azione) over three years"]
    assert (cariplo["Value"], cariplo["Period"]) == ("€1.4M", "three years")
    assert t.loc["Rest of the total (breakdown not given in the sources)", "Source"] == "derivato: 173 - 71"
    assert t.loc["Residents of the City of Brescia", "Period"] == "1 January 2024"


def test_etichetta_sconosciuta_resta_la_descrizione(frame: pd.DataFrame, inglese) -> None:
    assert m_fin.etichetta(fin.cifra(frame, "obiettivo_punti")) == frame.at["obiettivo_punti", "descrizione"]
