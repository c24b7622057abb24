"""Citizens' reports of what is wrong in the register (`/segnala`): what a report is, its limits
and the checks of the form. Pure functions, no I/O: the route (web.segnala) reads the request,
the store (stores.segnalazioni) keeps the reports, the Gestione page closes them.

A report is about one point (`punto`, its id) or one quartiere (`quartiere`, its ISTAT code). It
holds a reason chosen from `MOTIVI`, up to `MAX_TESTO` characters of text and, when the citizen
wants an answer, an e-mail address with their consent (deleted when the report is closed). A form
is refused as a whole, with every problem named: `valida` returns the report or the problems.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from cittadelnoi.core.i18n import N_, _

MAX_TESTO = 500  # characters of the text, as the citizen typed them (a line break counts as one)
MAX_EMAIL = 254  # RFC 5321's limit on a path
MAX_CORPO = 8 * 1024  # bytes of a POST body read at all: the form with 500 accented letters is ~4 KiB
LIMITE_AL_MINUTO = 5  # reports stored per sender address within FINESTRA; the next is refused
FINESTRA = dt.timedelta(minutes=1)
# How long a closed report (accolta or respinta) is kept before it is deleted: long enough to see
# what was reported about a point in the last year, no longer (README, «Privacy»).
CONSERVAZIONE_CHIUSE = dt.timedelta(days=365)

# The reasons, in the order the form shows them. A point can have any; a quartiere without a
# point only the last two (there is no desk or address to be wrong).
MOTIVI: dict[str, str] = {
    "orari": N_("lo sportello è chiuso / orari sbagliati"),
    "indirizzo": N_("indirizzo o posizione sbagliati"),
    "non_esiste": N_("il punto non esiste più"),
    "mancante": N_("c'è un punto non segnato"),
    "altro": N_("altro"),
}
MOTIVI_QUARTIERE = ("mancante", "altro")

# The states of a report in the Gestione queue; closing (accolta or respinta) deletes its e-mail.
NUOVA, ACCOLTA, RESPINTA = "nuova", "accolta", "respinta"
STATI = (NUOVA, ACCOLTA, RESPINTA)

# The form's field names (also the names the route reads). `sito_web` is the honeypot: hidden from
# people (and from screen readers), a bot that fills every field fills it too.
CAMPO_TRAPPOLA = "sito_web"

# A plain address check (no lookup, no outside request): one @, no spaces or control characters,
# a dot in the domain. What a mail server would refuse is the official's problem, not the citizen's.
_EMAIL = re.compile(r"^[^@\s\"<>(),;:\\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class Oggetto:
    """What a report is about: a point (`tipo` "punto", its id) or a quartiere ("quartiere", its
    ISTAT code), with the name shown on the form and kept with the report."""

    tipo: str
    id: str
    nome: str

    @property
    def motivi(self) -> tuple[str, ...]:
        return MOTIVI_QUARTIERE if self.tipo == "quartiere" else tuple(MOTIVI)


@dataclass(frozen=True)
class Segnalazione:
    """A valid report, ready to be stored: `testo` normalised (line breaks as \\n, no control
    characters, at most MAX_TESTO characters), `email` None or a checked address."""

    oggetto: Oggetto
    motivo: str
    testo: str
    email: str | None


@dataclass(frozen=True)
class ErroreCampo:
    """One problem of a form: the field it is about (for the page to point at it) and the message,
    in the run's language."""

    campo: str
    messaggio: str


class TroppeSegnalazioni(Exception):
    """More than LIMITE_AL_MINUTO reports from one address within FINESTRA: nothing was stored."""


def normalizza_testo(testo: str) -> str:
    """`testo` as it is stored: CRLF and CR as LF (a browser sends CRLF, its `maxlength` counts one
    character), other control characters removed, spaces at both ends removed."""
    testo = testo.replace("\r\n", "\n").replace("\r", "\n")
    testo = "".join(c for c in testo if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return testo.strip()


def email_valida(email: str) -> bool:
    """True for an address of the form nome@dominio.tld (at most MAX_EMAIL characters)."""
    return len(email) <= MAX_EMAIL and _EMAIL.fullmatch(email) is not None


def trappola_scattata(campi: dict[str, str]) -> bool:
    """True when the hidden honeypot field came back filled: a bot, not a person."""
    return bool(campi.get(CAMPO_TRAPPOLA, "").strip())


def valida(oggetto: Oggetto, campi: dict[str, str]) -> Segnalazione | list[ErroreCampo]:
    """The report from the form's fields (`motivo`, `testo`, `email`, `consenso`), or every problem
    found (a list, never empty). Checked: a reason allowed for `oggetto`; a text of at most
    MAX_TESTO characters, required with «altro»; an e-mail, when given, valid and with consent."""
    problemi: list[ErroreCampo] = []
    motivo = campi.get("motivo", "")
    if motivo not in oggetto.motivi:
        problemi.append(ErroreCampo("motivo", _("Scegliere che cosa non va.")))
    testo = normalizza_testo(campi.get("testo", ""))
    if len(testo) > MAX_TESTO:
        problemi.append(
            ErroreCampo(
                "testo",
                _("Il testo è troppo lungo: {n} caratteri, al massimo {massimo}.").format(
                    n=len(testo), massimo=MAX_TESTO
                ),
            )
        )
    elif motivo == "altro" and not testo:
        problemi.append(ErroreCampo("testo", _("Con «altro», scrivere che cosa non va.")))
    email = campi.get("email", "").strip()
    if email:
        if not email_valida(email):
            problemi.append(ErroreCampo("email", _("L'indirizzo e-mail non è valido (esempio: nome@esempio.it).")))
        if campi.get("consenso") != "si":
            problemi.append(
                ErroreCampo("consenso", _("Per lasciare l'indirizzo e-mail, spuntare la casella del consenso."))
            )
    if problemi:
        return problemi
    return Segnalazione(oggetto, motivo, testo, email or None)


def troppe(inviate_nella_finestra: int) -> bool:
    """True when one more report would pass LIMITE_AL_MINUTO (the count is of the reports already
    stored from that address within FINESTRA)."""
    return inviate_nella_finestra >= LIMITE_AL_MINUTO


def impronta_indirizzo(indirizzo: str) -> str:
    """What the rate limit keeps of a sender's address: a SHA-256 fingerprint (32 hex digits), never
    the address itself; kept for FINESTRA only (stores.segnalazioni deletes older ones)."""
    return hashlib.sha256(("cittadelnoi/segnala:" + indirizzo).encode("utf-8")).hexdigest()[:32]
