"""core/fmt.py: the one hours formatter and the short dates (numbers, money and long dates are covered by
test_i18n.py)."""

from __future__ import annotations

import datetime as dt

from cittadelnoi.core import fmt


def test_hours_without_useless_decimals() -> None:
    assert fmt.ore(4.0) == "4"
    assert fmt.ore(7.5) == "7,5"
    assert fmt.ore(7.25) == "7,25"
    assert fmt.ore(1116) == "1.116"


def test_hours_in_english(inglese) -> None:
    assert fmt.ore(7.5) == "7.5"
    assert fmt.ore(1116) == "1,116"


def test_elenco_lists_a_few_names_and_counts_the_rest() -> None:
    assert fmt.elenco(["A", "B", "C"], massimo=3) == "A, B, C"
    assert fmt.elenco([f"P{i}" for i in range(5000)], massimo=2) == "P0, P1 … e altri 4.998"
    assert fmt.elenco(["A", "B", "C"], massimo=1, separatore="; ") == "A … e altri 2"
    assert fmt.elenco([]) == ""
    assert len(fmt.elenco([f"P{i}" for i in range(5000)])) < 200


def test_elenco_in_english(inglese) -> None:
    assert fmt.elenco([f"P{i}" for i in range(1234)], massimo=1) == "P0 … and 1,233 more"


def test_a_negative_zero_is_zero_and_does_not_stick_in_the_cache() -> None:
    assert fmt.numero(-0.0) == "0"
    assert fmt.numero(0.0) == "0" and fmt.numero(0) == "0"
    assert fmt.numero(-0.0, 1) == "0,0" and fmt.numero(0.0, 1) == "0,0"


def test_short_dates_stay_numeric_in_italian() -> None:
    assert fmt.giorno_breve(dt.date(2026, 12, 9)) == "mercoledì 9/12"
    assert fmt.data_breve(dt.date(2026, 12, 9)) == "09/12/2026"
    assert fmt.formato_data_plotly() == "%d/%m/%Y"


def test_short_dates_name_the_month_in_english(inglese) -> None:
    """'Wednesday 9/12' reads as 12 September in the US: English names the month."""
    assert fmt.giorno_breve(dt.date(2026, 12, 9)) == "Wednesday 9 Dec"
    assert fmt.data_breve(dt.date(2026, 12, 9)) == "9 Dec 2026"
    assert fmt.data_parziale("2025-10-05") == "5 Oct 2025"
    assert fmt.formato_data_plotly() == "%-d %b %Y"
    for giorno in (dt.date(2026, d, m) for d in range(1, 13) for m in (1, 5, 12)):
        assert "/" not in fmt.giorno_breve(giorno) + fmt.data_breve(giorno)


def test_a_change_since_a_date_names_the_month_in_english(inglese) -> None:
    from cittadelnoi.ui.widgets import variazione

    assert variazione(5, 4, dt.date(2026, 9, 1))["delta"] == "+1 since 1 Sept 2026"
    assert variazione(5, 4, dt.date(2026, 9, 1), meglio_se_scende=True)["delta_color"] == "inverse"


def test_a_change_since_a_date_in_italian() -> None:
    from cittadelnoi.ui.widgets import variazione

    assert variazione(3, 4, dt.date(2026, 9, 1))["delta"] == "-1 dal 01/09/2026"
