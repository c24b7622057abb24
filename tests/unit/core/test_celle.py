"""core.celle: formula-like text neutralised for spreadsheets, and read back exactly."""

from __future__ import annotations

import pytest

from cittadelnoi.core.celle import neutralizza, pericoloso, ripristina

CASI = ["=1+1", "+1", "-2+3", "@SUM(1)", "\t=x", "\r=x", "'=x", "''=x", "'", "'testo", "testo", "", "a=b", "1-2"]


@pytest.mark.parametrize("testo", CASI)
def test_andata_e_ritorno(testo: str):
    assert ripristina(neutralizza(testo)) == testo


@pytest.mark.parametrize("testo", CASI)
def test_nessuna_cella_pericolosa(testo: str):
    assert not pericoloso(neutralizza(testo))
    assert neutralizza(testo) == testo or neutralizza(testo).startswith("'")
