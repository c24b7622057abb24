"""core/vista.py: the view a link carries, to and from the URL's parameters (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from cittadelnoi.core import vista
from cittadelnoi.core.vista import VistaState, a_query, da_query

PIENA = VistaState(
    zona="Sud",
    quartiere="lamarmora",
    lingua="en",
    presenta=True,
    giro=20,
    al=dt.date(2026, 1, 15),
    dal=dt.date(2025, 6, 1),
    apri=frozenset({"tabella", "storico"}),
    punto="lamarmora",
)


def test_the_default_view_is_an_empty_query():
    assert a_query(VistaState()) == {}
    assert da_query({}) == VistaState()


def test_every_field_round_trips_in_the_order_of_the_parameters():
    params = a_query(PIENA)
    assert params == {
        "zona": "Sud",
        "quartiere": "lamarmora",
        "lang": "en",
        "presenta": "1",
        "giro": "20",
        "al": "2026-01-15",
        "dal": "2025-06-01",
        "apri": "storico,tabella",  # in the order of PANNELLI, whatever the set's
        "punto": "lamarmora",
    }
    assert list(params) == list(vista.PARAMETRI)
    assert da_query(params) == PIENA


@pytest.mark.parametrize(
    "vista_",
    [
        VistaState(zona="Nord"),
        VistaState(quartiere="sant-eufemia", lingua="en"),
        VistaState(presenta=True),
        VistaState(al=dt.date(2026, 1, 15), punto="x"),
        VistaState(apri=frozenset(vista.PANNELLI)),
        VistaState(dal=dt.date(2020, 2, 29)),
    ],
)
def test_round_trips(vista_):
    assert da_query(a_query(vista_)) == vista_
    assert a_query(da_query(a_query(vista_))) == a_query(vista_)


def test_only_what_differs_from_the_defaults_is_written():
    assert a_query(VistaState(lingua="it", presenta=False, apri=frozenset())) == {}
    # A tour without presentation mode is no view of its own: not written.
    assert a_query(VistaState(giro=20)) == {}


@pytest.mark.parametrize(
    ("params", "atteso"),
    [
        ({"lang": "xx"}, VistaState()),  # an unknown language: Italian
        ({"lang": "EN"}, VistaState()),
        ({"presenta": "SÌ"}, VistaState(presenta=True)),
        ({"presenta": "true"}, VistaState(presenta=True)),
        ({"presenta": "0"}, VistaState()),
        ({"presenta": "forse"}, VistaState()),
        ({"giro": "2"}, VistaState(giro=5)),  # a tour faster than 5 s cannot be read
        ({"giro": "99999"}, VistaState(giro=600)),
        ({"giro": "venti"}, VistaState()),
        ({"giro": "-3"}, VistaState(giro=5)),
        ({"al": "15/01/2026"}, VistaState()),
        ({"al": "2026-02-30"}, VistaState()),
        ({"dal": "ieri"}, VistaState()),
        ({"apri": "tabella,<script>,,storico"}, VistaState(apri=frozenset({"tabella", "storico"}))),
        ({"apri": ""}, VistaState()),
        ({"zona": "", "quartiere": "", "punto": ""}, VistaState()),  # empty: absent
        ({"utm_source": "x", "lang": "en"}, VistaState(lingua="en")),  # not ours: ignored
    ],
)
def test_invalid_values_are_dropped_never_raised(params, atteso):
    assert da_query(params) == atteso


def test_text_is_kept_as_written_for_the_data_to_judge():
    """A zona, quartiere or point the data do not know is kept here: metrics.filtri.risolvi and the
    overview drop it with a message naming it."""
    lungo = "A" * 60_000
    assert da_query({"zona": "Marte", "quartiere": lungo, "punto": "<b>"}) == VistaState(
        zona="Marte", quartiere=lungo, punto="<b>"
    )


def test_ours_and_the_public_view():
    assert vista.nostri({"zona": "Sud", "utm_source": "x", "presenta": "1"}) == {"zona": "Sud", "presenta": "1"}
    assert a_query(vista.per_il_pubblico(PIENA)) == {
        k: v for k, v in a_query(PIENA).items() if k not in vista.SOLO_PROIETTORE
    }
