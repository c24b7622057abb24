"""The checks of the citizens' report form (core.segnalazioni): what is accepted, what is refused
and with which message, and the rate limit's rule."""

from __future__ import annotations

import pytest

from cittadelnoi.core import i18n
from cittadelnoi.core.segnalazioni import (
    LIMITE_AL_MINUTO,
    MAX_TESTO,
    ErroreCampo,
    Oggetto,
    Segnalazione,
    email_valida,
    impronta_indirizzo,
    normalizza_testo,
    trappola_scattata,
    troppe,
    valida,
)

PUNTO = Oggetto("punto", "lamarmora", "Punto Lamarmora")
QUARTIERE = Oggetto("quartiere", "17029010", "quartiere Sanpolino")


def _campi(problemi: object) -> set[str]:
    assert isinstance(problemi, list), problemi
    return {p.campo for p in problemi}


def test_a_complete_form_is_a_report():
    esito = valida(
        PUNTO, {"motivo": "orari", "testo": "  Chiuso il martedì\r\nda ottobre ", "email": "a@b.it", "consenso": "si"}
    )
    assert esito == Segnalazione(PUNTO, "orari", "Chiuso il martedì\nda ottobre", "a@b.it")


def test_text_and_email_are_optional_but_a_reason_is_not():
    assert valida(PUNTO, {"motivo": "non_esiste"}) == Segnalazione(PUNTO, "non_esiste", "", None)
    assert _campi(valida(PUNTO, {"testo": "qualcosa"})) == {"motivo"}
    assert _campi(valida(PUNTO, {"motivo": "inventato"})) == {"motivo"}


def test_a_quartiere_without_a_point_has_only_the_reasons_that_fit():
    assert QUARTIERE.motivi == ("mancante", "altro")
    assert _campi(valida(QUARTIERE, {"motivo": "orari"})) == {"motivo"}
    assert isinstance(valida(QUARTIERE, {"motivo": "mancante"}), Segnalazione)


def test_other_needs_words():
    assert _campi(valida(PUNTO, {"motivo": "altro", "testo": " \r\n "})) == {"testo"}
    assert isinstance(valida(PUNTO, {"motivo": "altro", "testo": "il nome è sbagliato"}), Segnalazione)


def test_text_up_to_500_characters_a_browser_line_break_counting_one():
    # 499 letters and a CRLF (what a browser sends for one line break its maxlength counts once).
    testo = "a" * 250 + "\r\n" + "b" * 249
    esito = valida(PUNTO, {"motivo": "orari", "testo": testo})
    assert isinstance(esito, Segnalazione) and len(esito.testo) == MAX_TESTO
    troppo = valida(PUNTO, {"motivo": "orari", "testo": "à" * (MAX_TESTO + 1)})
    assert _campi(troppo) == {"testo"}
    assert troppo[0].messaggio == "Il testo è troppo lungo: 501 caratteri, al massimo 500."  # type: ignore[index]


def test_control_characters_are_dropped_line_breaks_kept():
    assert normalizza_testo("a\x00b\x1b[31mc\td\r\ne\u200bf") == "ab[31mc\td\nef"


@pytest.mark.parametrize("email", ["mario.rossi@comune.brescia.it", "a+b@x-y.org", "ANNA@ESEMPIO.IT"])
def test_valid_emails(email):
    assert email_valida(email)


@pytest.mark.parametrize(
    "email",
    [
        "mario",
        "mario@",
        "@esempio.it",
        "a@b",
        "a b@c.it",
        "a@b.c",
        "a@@b.it",
        "a@b.it\nx",
        "<a@b.it>",
        "x" * 65 + "@b.it",
    ],
)
def test_invalid_emails(email):
    assert not email_valida(email)
    assert "email" in _campi(valida(PUNTO, {"motivo": "orari", "email": email, "consenso": "si"}))


def test_spaces_around_an_email_are_dropped_not_refused():
    assert not email_valida("a@b.it\n")  # the check itself is strict ...
    esito = valida(PUNTO, {"motivo": "orari", "email": " a@b.it\n", "consenso": "si"})
    assert isinstance(esito, Segnalazione) and esito.email == "a@b.it"  # ... the form trims what was pasted


def test_an_email_needs_the_consent_and_consent_alone_is_harmless():
    problemi = valida(PUNTO, {"motivo": "orari", "email": "a@b.it"})
    assert _campi(problemi) == {"consenso"}
    assert valida(PUNTO, {"motivo": "orari", "consenso": "si"}) == Segnalazione(PUNTO, "orari", "", None)


def test_every_problem_is_listed_at_once_in_the_run_language():
    i18n.imposta("en")
    try:
        problemi = valida(PUNTO, {"motivo": "", "testo": "x" * 600, "email": "no", "consenso": ""})
    finally:
        i18n.imposta(i18n.PREDEFINITA)
    assert isinstance(problemi, list) and all(isinstance(p, ErroreCampo) for p in problemi)
    assert [p.campo for p in problemi] == ["motivo", "testo", "email", "consenso"]
    assert problemi[0].messaggio == "Choose what is wrong."


def test_the_honeypot():
    assert not trappola_scattata({"motivo": "orari", "sito_web": ""})
    assert not trappola_scattata({"motivo": "orari"})
    assert trappola_scattata({"motivo": "orari", "sito_web": "http://spam.example"})


def test_the_rate_limit_lets_five_a_minute_through_and_refuses_the_sixth():
    assert LIMITE_AL_MINUTO == 5
    assert [troppe(n) for n in range(7)] == [False] * 5 + [True] * 2


def test_the_rate_limit_keeps_a_fingerprint_never_the_address():
    impronta = impronta_indirizzo("203.0.113.7")
    assert impronta == impronta_indirizzo("203.0.113.7") != impronta_indirizzo("203.0.113.8")
    assert "203.0.113.7" not in impronta and len(impronta) == 32
