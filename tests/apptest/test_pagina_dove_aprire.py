"""'Dove aprire il prossimo punto' through dashboard.py: ranking, filter, method and demo notice."""

from __future__ import annotations

from tests.apptest.app import apri

PAGINA = "pages/dove_aprire.py"


def classifica(at):
    (tabella,) = [d.value for d in at.dataframe]
    return tabella


def test_only_missing_quartieri_farthest_first():
    at = apri(PAGINA)
    t = classifica(at)
    assert len(t) == 12  # the 12 quartieri with no point; Chiesanuova (opening) is not ranked
    assert "Chiesanuova" not in set(t["Quartiere"])
    assert t["Priorità"].tolist() == list(range(1, 13))
    assert t.iloc[0]["Quartiere"] == "Villaggio Badia"  # 1,99 km from the nearest active point
    assert t.iloc[0]["Distanza dal punto attivo più vicino"] == "1,99 km"
    assert any("punto dimostrativo" in w.value for w in at.warning)
    assert any("popolazione per quartiere non ha ancora una fonte" in m.value for m in at.markdown)


def test_filter_by_zona_and_english():
    at = apri(PAGINA, {"zona": "Nord", "lang": "en"})
    t = classifica(at)
    assert set(t["Neighbourhood"]) == {"San Rocchino", "Sant'Eustacchio", "Casazza"}
    assert t.iloc[0]["Distance to the nearest active point"] == "1.60 km"


def test_a_quartiere_with_a_point_has_nothing_to_rank():
    at = apri(PAGINA, {"quartiere": "lamarmora"})
    assert not at.dataframe
    assert at.success and "ha già un punto" in at.success[0].value
