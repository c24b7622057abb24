"""cittadelnoi/loaders/modulo.py: the table of problems the Gestione page shows."""

from __future__ import annotations

from cittadelnoi.core.errors import Problema
from cittadelnoi.loaders.modulo import COLONNE_PROBLEMI, tabella_problemi


def test_a_problem_of_the_whole_file_shows_a_dash_never_none():
    tabella = tabella_problemi(
        [
            Problema("registro.xlsx", "file .xlsx che decompresso occuperebbe 210 MB"),
            Problema("punti.csv", "stato sconosciuto", riga=5, colonna="stato"),
        ]
    )
    assert list(tabella.columns) == COLONNE_PROBLEMI
    assert tabella.values.tolist() == [
        ["registro.xlsx", "—", "—", "file .xlsx che decompresso occuperebbe 210 MB"],
        ["punti.csv", "5", "stato", "stato sconosciuto"],
    ]
    assert not tabella.isna().any().any()


def test_the_count_of_problems_agrees_in_number():
    from cittadelnoi.loaders.modulo import contiene_problemi

    assert contiene_problemi(1) == "Il file contiene 1 problema"
    assert contiene_problemi(3) == "Il file contiene 3 problemi"
