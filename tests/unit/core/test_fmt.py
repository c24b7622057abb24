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
