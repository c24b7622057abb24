"""«Valore del volontariato» on the funding page: non stimato until an amministratore sets the
hourly value; then the year's reported person-hours × that value, as an estimate with both sources."""

from __future__ import annotations

import csv

from cittadelnoi.core import fmt, impostazioni
from cittadelnoi.core.ruoli import SISTEMA
from cittadelnoi.metrics.rendiconti import anni
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.apptest.app import ROOT, apri, metriche

PAGINA = "pages/finanziamenti.py"
FONTE = "Valore orario di riferimento (esempio, fittizio)"


def _store() -> DbStore:
    url = impostazioni.impostazioni().db_url
    assert url is not None
    return DbStore(crea_engine(url), ROOT / "esempio")


def test_non_stimato_senza_valore_orario():
    at = apri(PAGINA)
    assert metriche(at)["Valore del volontariato"] == "non stimato"
    aiuto = next(m for m in at.metric if m.label == "Valore del volontariato").help
    assert "non è ancora stato impostato" in aiuto


def test_stima_con_valore_orario():
    store = _store()
    store.get()
    store.imposta_valore_orario(15.0, FONTE, SISTEMA)
    at = apri(PAGINA)
    snap, _ = store.get()
    anno = anni(snap.rendiconti)[0]
    at.selectbox(key="anno_volontariato").set_value(anno).run()
    ore = 0.0
    with (ROOT / "esempio" / "rendiconti.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["mese"].startswith(f"{anno}-") and r["stato"] == "inviato" and r["ore_volontariato"]:
                ore += float(r["ore_volontariato"])
    assert ore > 0
    atteso = fmt.euro_compatto(ore * 15) if ore * 15 >= 1e6 else fmt.euro(ore * 15)
    assert metriche(at)["Valore del volontariato"] == f"{atteso} (stima)".replace("\u00a0", " ")
    fonti = [c.value for c in at.caption if c.value.startswith("Fonte: ")]
    assert any(FONTE in f and "rendiconti.csv" in f and f"stima {anno}" in f for f in fonti), fonti
