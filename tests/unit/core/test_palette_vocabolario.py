"""core/palette.py and core/vocabolario.py: one palette and one yes/no vocabulary for the whole app."""

from __future__ import annotations

import re

from cittadelnoi.core import palette, vocabolario
from tests.conftest import ROOT

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_status_colours_are_okabe_ito_except_the_grey_of_missing() -> None:
    assert {palette.COLORI_STATO["attivo"], palette.COLORI_STATO["in_apertura"]} <= OKABE_ITO
    assert set(palette.COLORI_STATO) == {"attivo", "in_apertura", "mancante"}


def test_palette_colours_are_named_only_in_core_palette() -> None:
    """Charts and the map take their colours from core/palette.py (black outlines and neutral greys of grid
    lines carry no meaning and may stay where they are drawn)."""
    trovati: dict[str, set[str]] = {}
    for path in (ROOT / "cittadelnoi").rglob("*.py"):
        if path.name == "palette.py":
            continue
        for colore in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text(encoding="utf-8")):
            if colore.upper() in OKABE_ITO - {"#000000"}:
                trovati.setdefault(path.name, set()).add(colore)
    assert trovati == {}


def test_yes_and_no() -> None:
    assert all(vocabolario.e_si(v) for v in ("sì", "Sì", " si ", "true", "1", "x"))
    assert not any(vocabolario.e_si(v) for v in ("no", "false", "0", "", None, "forse"))
    assert vocabolario.SI.isdisjoint(vocabolario.NO)
    assert sorted(vocabolario.SI | vocabolario.NO) == vocabolario.SI_NO
