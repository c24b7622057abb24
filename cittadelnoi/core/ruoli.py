"""Who may change what in the register: the two roles, the author of a change, the check.

- `amministratore`: every point, imports, settings, accounts, undoing any change;
- `referente`: only the points assigned to the account (the point it runs), from "Il mio punto".

The check is made by the store on every write (stores.db, stores.account), whatever page or
request the write came from; pages only hide what the store would refuse anyway.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

# How long the access log of officials (logins, refused logins, logouts: table `accessi`) is kept: a
# year of security history, no longer (README, «Privacy»; the /privacy page). Older rows are deleted
# whenever a login is recorded (stores.accessi.RegistroAccessi.registra).
CONSERVAZIONE_ACCESSI = dt.timedelta(days=365)


class Ruolo(enum.StrEnum):
    AMMINISTRATORE = "amministratore"
    REFERENTE = "referente"


class NonAutorizzato(Exception):
    """A write the author's role does not allow: nothing was written. `messaggio` is Italian."""

    def __init__(self, messaggio: str):
        super().__init__(messaggio)
        self.messaggio = messaggio


@dataclass(frozen=True)
class Autore:
    """The account behind a change: normalised user name, display name, role, and for a
    referente the ids of its points."""

    utente: str
    nome: str
    ruolo: Ruolo
    punti: frozenset[str] = field(default_factory=frozenset)

    @property
    def amministratore(self) -> bool:
        return self.ruolo == Ruolo.AMMINISTRATORE

    def puo_modificare(self, id_punto: str | None) -> bool:
        """True when this author may change point `id_punto` (None: create a new point)."""
        if self.amministratore:
            return True
        return id_punto is not None and id_punto in self.punti

    def richiedi_punto(self, id_punto: str | None) -> None:
        """Raise NonAutorizzato unless this author may change `id_punto`."""
        if self.puo_modificare(id_punto):
            return
        if id_punto is None:
            raise NonAutorizzato("solo un amministratore può aggiungere punti al registro: nulla è stato salvato")
        raise NonAutorizzato(
            f"l'account «{self.utente}» ({self.ruolo}) non può modificare il punto «{id_punto}»: "
            "un referente modifica solo i punti a lui assegnati. Nulla è stato salvato."
        )

    def richiedi_amministratore(self, cosa: str) -> None:
        """Raise NonAutorizzato unless this author is an amministratore; `cosa` names the action."""
        if not self.amministratore:
            raise NonAutorizzato(f"solo un amministratore può {cosa}: nulla è stato salvato")


# The first fill from data/ and the shell scripts: changes made by the installation itself.
SISTEMA = Autore("sistema", "sistema", Ruolo.AMMINISTRATORE)
