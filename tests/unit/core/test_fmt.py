"""core/fmt.py: the one hours formatter (numbers, money and dates are covered by test_i18n.py)."""

from __future__ import annotations

from cittadelnoi.core import fmt


def test_hours_without_useless_decimals() -> None:
    assert fmt.ore(4.0) == "4"
    assert fmt.ore(7.5) == "7,5"
    assert fmt.ore(7.25) == "7,25"
    assert fmt.ore(1116) == "1.116"


def test_hours_in_english(inglese) -> None:
    assert fmt.ore(7.5) == "7.5"
    assert fmt.ore(1116) == "1,116"
