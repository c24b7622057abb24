"""metrics/filtri.py: the sidebar filter and its URL form."""

import pytest

from cittadelnoi.metrics.filtri import Filtro, a_query_params, da_query_params
from cittadelnoi.stores.file import carica
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def test_url_round_trip_uses_readable_names(snap):
    q = snap.quartieri
    params = a_query_params(Filtro("Sud", "17029012"), q)
    assert params == {"zona": "Sud", "quartiere": "porta-cremona-volta"}
    assert da_query_params(params, q) == (Filtro("Sud", "17029012"), [])


def test_url_accepts_codes_and_fixes_a_contradicting_zone(snap):
    f, msgs = da_query_params({"zona": "Nord", "quartiere": "17029010"}, snap.quartieri)
    assert f == Filtro("Sud", "17029010") and msgs == []
    f, _ = da_query_params({"quartiere": "Sant'Eufemia"}, snap.quartieri)
    assert f.quartiere == "17029018"


def test_unknown_values_in_the_url_are_dropped_with_a_message(snap):
    f, msgs = da_query_params({"zona": "Marte", "quartiere": "atlantide"}, snap.quartieri)
    assert f == Filtro()
    assert msgs == [
        "Zona «Marte» sconosciuta nel link: filtro ignorato. Zone: Centro, Est, Nord, Ovest, Sud.",
        "Quartiere «atlantide» sconosciuto nel link: filtro ignorato.",
    ]


@pytest.mark.parametrize("chiave", ["zona", "quartiere"])
def test_a_very_long_value_in_a_link_is_quoted_short(chiave, snap):
    """A link anyone can share may carry 60,000 characters: the message quotes 80 at most."""
    filtro, messaggi = da_query_params({chiave: "A" * 60_000}, snap.quartieri)
    assert filtro == Filtro(None, None)
    (messaggio,) = messaggi
    assert "A" * 79 + "…" in messaggio and "A" * 81 not in messaggio
    assert len(messaggio) < 300
