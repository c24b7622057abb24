"""Derived quartiere status, overview figures and the URL filter."""

import pandas as pd
import pytest

from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.stato import kpi, stato_quartieri
from cittadelnoi.stores.file import carica
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def _punti(rows):
    return pd.DataFrame(rows, columns=["id", "nome", "codice_istat", "stato", "dimostrativo"])


def test_status_is_the_best_of_the_quartiere_points(snap):
    q = snap.quartieri.head(3)
    a, b, c = q["codice_istat"]
    punti = _punti(
        [
            ("p1", "Uno", a, "in_apertura", False),
            ("p2", "Due", a, "attivo", False),
            ("p3", "Tre", b, "in_apertura", True),
        ]
    )
    stati = stato_quartieri(q, punti).set_index("codice_istat")
    assert stati["stato"].to_dict() == {a: "attivo", b: "in_apertura", c: "mancante"}
    assert stati.at[a, "punti"] == "Uno; Due"
    assert stati.at[c, "n_attivi"] == 0


def test_city_figures_on_the_shipped_register(snap):
    k = kpi(snap.stati, snap.punti, set(snap.quartieri["codice_istat"]))
    # 20 active after December 2025; 1 opening (demo); each point in its own quartiere.
    assert (k.punti_attivi, k.punti_in_apertura) == (20, 1)
    assert (k.quartieri_coperti, k.quartieri_in_apertura, k.quartieri_mancanti, k.quartieri_totali) == (20, 1, 12, 33)
    assert k.copertura == pytest.approx(20 / 33)
    assert k.punti_dimostrativi == 17


def test_figures_follow_the_filter(snap):
    sud = Filtro(zona="Sud").codici(snap.quartieri)
    # Registry: Don Bosco, Folzano, Fornaci, Lamarmora, Porta Cremona - Volta, Chiesanuova, Villaggio Sereno.
    assert len(sud) == 7
    k = kpi(snap.stati, snap.punti, sud)
    # Active: Don Bosco, Lamarmora (documented), Folzano, Fornaci, Porta Cremona (demo); Chiesanuova opening
    # (demo); Villaggio Sereno has none.
    assert (k.punti_attivi, k.punti_in_apertura, k.quartieri_mancanti, k.quartieri_coperti) == (5, 1, 1, 5)
    lamarmora = Filtro(zona="Sud", quartiere="17029010").codici(snap.quartieri)
    assert lamarmora == {"17029010"}
    k1 = kpi(snap.stati, snap.punti, lamarmora)
    assert (k1.punti_attivi, k1.quartieri_totali, k1.punti_dimostrativi) == (1, 1, 0)
