"""The caches every session shares (cittadelnoi/ui/archivio.py, st.cache_resource) hand out one
read-only object per data version and language: no page may change it, or the next viewer would
see another viewer's selection. Every page runs with several filters, in both languages, and the
cached objects must come out exactly as they went in (compared as pickles)."""

from __future__ import annotations

import importlib
import pickle

import pandas as pd
import pytest

from cittadelnoi.core import i18n
from cittadelnoi.loaders.finanziamenti import ore_minime
from tests.apptest.app import apri

archivio = importlib.import_module("cittadelnoi.ui.archivio")  # (ui exports a function of that name)
PAGINE = [None, "pages/finanziamenti.py", "pages/ore_volontariato.py", "pages/dove_aprire.py"]
FILTRI = [{}, {"zona": "Sud"}, {"quartiere": "mompiano"}, {"quartiere": "lamarmora", "punto": "lamarmora"}]


def condivisi(snap) -> dict[str, object]:
    return {
        "layer_mappa": archivio.layer_mappa(snap),
        "orari_sportelli": archivio.orari_sportelli(snap),
        "base_mappa": archivio.base_mappa(snap),
        "sportelli_per_punto": archivio.sportelli_per_punto(snap),
        "ore_citta": archivio._ore_citta(snap.versione, ore_minime(snap.finanziamenti), snap),
    }


def _copia(oggetto: object) -> object:
    return oggetto.copy(deep=True) if isinstance(oggetto, pd.DataFrame) else pickle.dumps(oggetto)


@pytest.mark.parametrize("lingua", ["it", "en"])
def test_no_page_changes_what_every_session_shares(lingua: str):
    apri(query={"lang": lingua} if lingua != "it" else None)
    snap, errori = archivio._store().get()
    assert snap is not None and errori == []
    i18n.imposta(lingua)
    prima = condivisi(snap)
    copie = {nome: _copia(oggetto) for nome, oggetto in prima.items()}
    for pagina in PAGINE:
        for filtro in FILTRI:
            query = {**filtro, **({"lang": lingua} if lingua != "it" else {})}
            at = apri(pagina, query)
            assert not at.exception, (pagina, filtro, at.exception)
    i18n.imposta(lingua)
    dopo = condivisi(snap)
    for nome, oggetto in dopo.items():
        assert oggetto is prima[nome], f"{nome}: not one shared object (a copy at every rerun)"
        if isinstance(oggetto, pd.DataFrame):
            # pandas may lay out its blocks anew when read (same content, other pickle bytes).
            pd.testing.assert_frame_equal(oggetto, copie[nome], check_exact=True, obj=nome)
        else:
            assert pickle.dumps(oggetto) == copie[nome], f"{nome} was changed by a page"
