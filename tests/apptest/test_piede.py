"""The site's footer (AgID) ends every page exactly once, the pages that stop early included:
Streamlit draws nothing after st.stop(), so a stopping page calls ui.ferma_pagina()."""

from __future__ import annotations

import pytest

from tests.apptest.app import apri

PAGINE = ["panoramica", "finanziamenti", "ore_volontariato", "dove_aprire", "gestione", "il_mio_punto"]


@pytest.mark.parametrize("pagina", PAGINE)
def test_every_page_ends_with_one_footer_also_before_a_login(pagina: str) -> None:
    at = apri(f"pages/{pagina}.py").run()
    assert not at.exception
    piedi = [h for h in at.get("html") if "cdn-piede" in h.proto.body]
    assert len(piedi) == 1, f"{pagina}: {len(piedi)} footers"
    assert "Dichiarazione di accessibilità" in piedi[0].proto.body
