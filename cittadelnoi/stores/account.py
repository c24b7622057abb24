"""Accounts and roles in the register's database (tables `account`, `account_punti`, 0005).

An amministratore creates, assigns and disables accounts (the Gestione page, or
scripts/nuovo_utente.py as the installation itself, core.ruoli.SISTEMA); every such write is
checked here against the author's role. Only a bcrypt hash of a password reaches this module
(auth.accesso.hash_password): the database never holds a password.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cittadelnoi.core.ruoli import Autore, NonAutorizzato, Ruolo
from cittadelnoi.stores.engine import configura
from cittadelnoi.stores.errori_db import traduci
from cittadelnoi.stores.schema import account, account_punti


@dataclass(frozen=True)
class AccountDb:
    """One stored account: normalised name, display name, e-mail, role, its points, whether it may
    log in, and the bcrypt hash of its password."""

    utente: str
    nome: str
    email: str | None
    ruolo: Ruolo
    punti: frozenset[str]
    attivo: bool
    hash_password: str

    def autore(self) -> Autore:
        return Autore(self.utente, self.nome, self.ruolo, self.punti if self.ruolo == Ruolo.REFERENTE else frozenset())


class RegistroAccount:
    """The accounts on `engine` (schema already migrated: see DbStore.registro_account)."""

    def __init__(self, engine: Engine):
        self.engine = configura(engine)

    # -- reading --

    @traduci(scrittura=False)
    def elenco(self) -> list[AccountDb]:
        """Every account, active or not, by name."""
        with self.engine.connect() as conn:
            righe = conn.execute(sa.select(account).order_by(account.c.utente)).mappings().all()
            punti: dict[str, set[str]] = {}
            for u, p in conn.execute(sa.select(account_punti.c.utente, account_punti.c.id_punto)).all():
                punti.setdefault(u, set()).add(p)
        return [
            AccountDb(
                r["utente"],
                r["nome"],
                r["email"],
                Ruolo(r["ruolo"]),
                frozenset(punti.get(r["utente"], ())),
                bool(r["attivo"]),
                r["hash_password"],
            )
            for r in righe
        ]

    def cerca(self, utente: str) -> AccountDb | None:
        """The account named `utente` (normalised), active or not; None when there is none."""
        return next((a for a in self.elenco() if a.utente == utente), None)

    def per_email(self, email: str) -> AccountDb | None:
        """The one active account whose e-mail is `email` (case and surrounding spaces ignored),
        for a login through the Comune's identity provider (ui.accesso_oidc); None when no active
        account has it, or when more than one has it (never a guess between two accounts)."""
        cercata = email.strip().lower()
        if not cercata:
            return None
        trovati = [a for a in self.elenco() if a.attivo and (a.email or "").strip().lower() == cercata]
        return trovati[0] if len(trovati) == 1 else None

    def referenti(self) -> dict[str, list[str]]:
        """Point id -> display names of the active referenti assigned to it."""
        out: dict[str, list[str]] = {}
        for a in self.elenco():
            if a.attivo and a.ruolo == Ruolo.REFERENTE:
                for p in sorted(a.punti):
                    out.setdefault(p, []).append(a.nome)
        return out

    # -- writing (amministratore only) --

    def scrivi(self, autore: Autore, cosa: str, istruzioni: Iterable[sa.Executable]) -> None:
        autore.richiedi_amministratore(cosa)
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                for i in istruzioni:
                    conn.execute(i)

    @traduci(scrittura=True)
    def crea(
        self,
        utente: str,
        nome: str,
        ruolo: Ruolo,
        hash_password: str,
        autore: Autore,
        *,
        punti: Iterable[str] = (),
        email: str | None = None,
        adesso: dt.datetime | None = None,
    ) -> AccountDb:
        """Create an active account (`utente` already normalised). Raises NonAutorizzato unless
        `autore` is an amministratore, ValueError for an existing name, a referente without points
        or an amministratore with points."""
        punti = sorted(set(punti))
        if not utente:
            raise ValueError("nome utente vuoto")
        if ruolo == Ruolo.REFERENTE and not punti:
            raise ValueError("un referente deve avere almeno un punto assegnato")
        if ruolo == Ruolo.AMMINISTRATORE and punti:
            raise ValueError("un amministratore modifica tutti i punti: non si assegnano punti")
        if self.cerca(utente) is not None:
            raise ValueError(f"esiste già un account «{utente}»")
        quando = adesso or dt.datetime.now(dt.UTC)
        valori = {
            "creato_il": quando,
            "creato_da": autore.utente,
            "modificato_il": quando,
            "modificato_da": autore.utente,
        }
        self.scrivi(
            autore,
            "creare account",
            [
                sa.insert(account).values(
                    utente=utente,
                    nome=nome,
                    email=email or None,
                    ruolo=str(ruolo),
                    hash_password=hash_password,
                    **valori,
                ),
                *(sa.insert(account_punti).values(utente=utente, id_punto=p) for p in punti),
            ],
        )
        creato = self.cerca(utente)
        if creato is None:  # pragma: no cover - the insert above committed
            raise RuntimeError(f"account «{utente}» non trovato dopo la creazione")
        return creato

    @traduci(scrittura=True)
    def imposta_attivo(self, utente: str, attivo: bool, autore: Autore, adesso: dt.datetime | None = None) -> bool:
        """Disable (or enable again) an account: a disabled one cannot log in, and its open
        sessions stop at their next check. True when something changed."""
        attuale = self.cerca(utente)
        if attuale is None or attuale.attivo == attivo:
            autore.richiedi_amministratore("disattivare account")
            return False
        if not attivo and utente == autore.utente:
            raise NonAutorizzato("un amministratore non può disattivare il proprio account")
        quando = adesso or dt.datetime.now(dt.UTC)
        self.scrivi(
            autore,
            "disattivare account",
            [
                sa.update(account)
                .where(account.c.utente == utente)
                .values(attivo=attivo, modificato_il=quando, modificato_da=autore.utente)
            ],
        )
        return True

    @traduci(scrittura=True)
    def assegna_punti(self, utente: str, punti: Iterable[str], autore: Autore) -> None:
        """Replace the points of referente `utente`."""
        punti = sorted(set(punti))
        if not punti:
            raise ValueError("un referente deve avere almeno un punto assegnato")
        self.scrivi(
            autore,
            "assegnare punti",
            [
                sa.delete(account_punti).where(account_punti.c.utente == utente),
                *(sa.insert(account_punti).values(utente=utente, id_punto=p) for p in punti),
            ],
        )

    @traduci(scrittura=True)
    def imposta_password(self, utente: str, hash_password: str, autore: Autore) -> None:
        """Set a new password hash (a one-time password an amministratore hands over)."""
        self.scrivi(
            autore,
            "cambiare password",
            [sa.update(account).where(account.c.utente == utente).values(hash_password=hash_password)],
        )

    @traduci(scrittura=True)
    def imposta_email(self, utente: str, email: str | None, autore: Autore) -> None:
        """Set (None or empty: remove) the e-mail of `utente`, the one the Comune's identity provider
        must vouch for at an OIDC login (per_email). Raises NonAutorizzato unless `autore` is an
        amministratore, ValueError for an address without «@» or longer than 200 characters."""
        email = (email or "").strip() or None
        if email is not None and ("@" not in email or len(email) > 200 or any(c.isspace() for c in email)):
            raise ValueError(f"indirizzo e-mail non valido: «{email[:60]}»")
        self.scrivi(
            autore,
            "cambiare e-mail",
            [sa.update(account).where(account.c.utente == utente).values(email=email)],
        )
