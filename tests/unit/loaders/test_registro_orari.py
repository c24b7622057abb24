"""cittadelnoi/loaders/registro.py `descrivi_orari`: what an import changes in a point's schedule,
as the Gestione page's preview shows it (the «Modifiche» cell of an «orario» row)."""

from __future__ import annotations

from cittadelnoi.loaders.differenze import descrivi_orari
from cittadelnoi.loaders.modulo import righe_anteprima
from cittadelnoi.loaders.storico import Record

FONTE = "elivebrescia.tv, 'Lamarmora, aperto un nuovo punto comunita': la rete sale a 20'"


def _fascia(
    giorno: str, inizio: str, fine: str, volontari: str | None = None, fonte: str | None = FONTE, demo: str = "no"
) -> Record:
    return {
        "giorno": giorno,
        "inizio": inizio,
        "fine": fine,
        "volontari": volontari,
        "fonte": fonte,
        "dimostrativo": demo,
    }


LAMARMORA = [_fascia("mer", "15:30", "17:30"), _fascia("ven", "09:30", "11:30")]


def _lati(testo: str) -> tuple[str, str]:
    """The days-and-hours part of the line, split at its arrow."""
    prima, _, dopo = testo.split(" · ")[0].partition(" → ")
    return prima, dopo


def test_a_changed_volunteer_count_is_shown_never_the_same_slots_on_both_sides():
    dopo = [_fascia("mer", "15:30", "17:30", volontari="3"), LAMARMORA[1]]
    testo = descrivi_orari(LAMARMORA, dopo)
    assert (
        testo
        == "giorni e orari invariati (mer 15:30-17:30; ven 09:30-11:30) · volontari della fascia mer 15:30-17:30: — → 3"
    )
    prima, dopo_testo = _lati(testo)
    assert prima != dopo_testo


def test_a_changed_source_of_every_slot_is_shown_once_with_the_slots_it_concerns():
    dopo = [{**f, "fonte": "Comune di Brescia, delibera 2026"} for f in LAMARMORA]
    assert descrivi_orari(LAMARMORA, dopo) == (
        "giorni e orari invariati (mer 15:30-17:30; ven 09:30-11:30) · fonte delle fasce mer 15:30-17:30, "
        f"ven 09:30-11:30: «{FONTE}» → «Comune di Brescia, delibera 2026»"
    )


def test_a_slot_becoming_a_demo_and_losing_its_volunteers_lists_both_fields():
    prima = [_fascia("mer", "15:30", "17:30", volontari="2")]
    dopo = [_fascia("mer", "15:30", "17:30", demo="sì")]
    assert descrivi_orari(prima, dopo) == (
        "giorni e orari invariati (mer 15:30-17:30) · volontari della fascia mer 15:30-17:30: 2 → — "
        "· dimostrativo della fascia mer 15:30-17:30: no → sì"
    )


def test_changed_hours_keep_the_before_and_after_and_add_what_else_changes():
    dopo = [_fascia("mer", "15:30", "18:00", volontari="2"), _fascia("ven", "09:30", "11:30", volontari="4")]
    assert descrivi_orari(LAMARMORA, dopo) == (
        "mer 15:30-17:30; ven 09:30-11:30 → mer 15:30-18:00; ven 09:30-11:30"
        " · volontari della fascia mer 15:30-18:00: — → 2"  # compared with mer 15:30-17:30: same source
        " · volontari della fascia ven 09:30-11:30: — → 4"
    )


def test_a_moved_slot_is_compared_with_the_one_it_replaces_on_the_same_day_first():
    prima = [_fascia("lun", "09:00", "11:00", volontari="1"), _fascia("mer", "15:30", "17:30", volontari="2")]
    dopo = [
        _fascia("mar", "09:00", "11:00", volontari="1"),  # lun moved to mar: nothing else changes
        _fascia("mer", "16:00", "18:00", volontari="3"),
        _fascia("ven", "09:30", "11:30", volontari="2", fonte="Comune"),  # a slot more
    ]
    assert descrivi_orari(prima, dopo) == (
        "lun 09:00-11:00; mer 15:30-17:30 → mar 09:00-11:00; mer 16:00-18:00; ven 09:30-11:30"
        " · volontari della fascia mer 16:00-18:00: 2 → 3"
        " · volontari della fascia ven 09:30-11:30: — → 2"
        " · fonte della fascia ven 09:30-11:30: — → «Comune»"
    )


def test_a_new_point_s_slots_show_what_they_have_without_the_default_demo_flag():
    assert descrivi_orari([], LAMARMORA) == (
        f"nessuna fascia → mer 15:30-17:30; ven 09:30-11:30 · fonte delle fasce mer 15:30-17:30, ven 09:30-11:30: — → «{FONTE}»"
    )
    assert descrivi_orari(LAMARMORA, []) == "mer 15:30-17:30; ven 09:30-11:30 → nessuna fascia"


def test_only_a_new_order_of_the_same_slots_is_shown_as_the_two_orders():
    assert (
        descrivi_orari(LAMARMORA, LAMARMORA[::-1])
        == "mer 15:30-17:30; ven 09:30-11:30 → ven 09:30-11:30; mer 15:30-17:30"
    )
    assert descrivi_orari(LAMARMORA, list(LAMARMORA)) == ""


def test_every_difference_between_two_schedules_shows_in_the_preview_row():
    """Whatever field differs, the text differs from the old «same slots → same slots»."""
    for campo, valore in [("volontari", "1"), ("fonte", None), ("dimostrativo", "sì"), ("nota", "nuova colonna")]:
        dopo = [LAMARMORA[0], {**LAMARMORA[1], campo: valore}]
        testo = descrivi_orari(LAMARMORA, dopo)
        assert testo.startswith("giorni e orari invariati (mer 15:30-17:30; ven 09:30-11:30) · "), testo
        assert f"{campo} della fascia ven 09:30-11:30: " in testo
        tabella = righe_anteprima([], {}, [], {"lamarmora": testo})
        assert tabella.values.tolist() == [["lamarmora", "orario", testo]]
