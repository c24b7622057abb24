"""Create an account of the Gestione and "Il mio punto" pages.

    .venv/bin/python scripts/nuovo_utente.py mrossi "Mario Rossi" --ruolo amministratore [--email E]
    .venv/bin/python scripts/nuovo_utente.py abianchi "Anna Bianchi" --ruolo referente --punti don-bosco[,…]

With --ruolo the account is stored in the register's database (CITTADELNOI_DB_URL, else the
[connections.sql] url of .streamlit/secrets.toml, else the embedded SQLite file under var/) and a
one-time password is printed once: hand it over, it is never shown again (an amministratore can
set a new one on the Gestione page). The database holds only its bcrypt hash.

Without --ruolo (the way of earlier versions) the password is asked twice on the terminal and the
lines of an amministratore account for .streamlit/secrets.toml are printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cittadelnoi.auth.accesso import hash_password, normalizza_utente  # noqa: E402
from cittadelnoi.core.ruoli import SISTEMA, Ruolo  # noqa: E402


def url_database() -> str:
    """The database the app uses (see cittadelnoi.ui.archivio.url_database): the settings'
    `db_url`, else the `url` of [connections.sql] in the secrets (cittadelnoi.core.impostazioni)."""
    from cittadelnoi.core.impostazioni import impostazioni
    from cittadelnoi.stores.engine import url_predefinito

    imp = impostazioni()
    return imp.db_url or imp.url_connessione_sql or url_predefinito()


def nel_database(a: argparse.Namespace, p: argparse.ArgumentParser) -> int:
    from cittadelnoi.stores.db import DbStore
    from cittadelnoi.stores.engine import crea_engine

    ruolo = Ruolo(a.ruolo)
    punti = [x.strip() for x in (a.punti or "").split(",") if x.strip()]
    if ruolo == Ruolo.REFERENTE and not punti:
        p.error("un referente ha bisogno di --punti ID[,ID…] (gli id del registro)")
    if ruolo == Ruolo.AMMINISTRATORE and punti:
        p.error("un amministratore modifica tutti i punti: --punti non si usa")
    from cittadelnoi.core import paths

    engine = crea_engine(url_database())
    try:
        store = DbStore(engine, paths.data_dir())
        snap, errori = store.get()
        ids = set(snap.punti["id"]) if snap is not None else set()
        sconosciuti = [x for x in punti if x not in ids]
        if sconosciuti:
            p.error(f"punti non presenti nel registro: {', '.join(sconosciuti)}")
        password = secrets.token_urlsafe(12)
        try:
            store.registro_account().crea(
                normalizza_utente(a.utente),
                a.nome,
                ruolo,
                hash_password(password),
                SISTEMA,
                punti=punti,
                email=a.email or None,
            )
        except ValueError as exc:
            p.error(str(exc))
    finally:
        engine.dispose()
    print(f"Account «{normalizza_utente(a.utente)}» ({ruolo}) creato" + (f" per: {', '.join(punti)}" if punti else ""))
    print(f"Password da usare una volta (non verrà mostrata di nuovo): {password}")
    return 0


def nei_secrets(a: argparse.Namespace, p: argparse.ArgumentParser) -> int:
    password = getpass.getpass("Password (almeno 12 caratteri): ")
    if len(password) < 12:
        p.error("password troppo corta: almeno 12 caratteri")
    if getpass.getpass("Ripeti la password: ") != password:
        p.error("le due password non coincidono")
    print(f"[gestione.credentials.usernames.{a.utente}]")
    print(f"name = {json.dumps(a.nome, ensure_ascii=False)}")
    if a.email:
        print(f"email = {json.dumps(a.email)}")
    print(f'password = "{hash_password(password)}"')
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("utente", help="nome utente (minuscole, cifre, . _ -)")
    p.add_argument("nome", help="nome e cognome mostrati nella pagina")
    p.add_argument("email_posizionale", nargs="?", default="", metavar="email")
    p.add_argument("--email", default="")
    p.add_argument("--ruolo", choices=[str(r) for r in Ruolo], help="crea l'account nel database con questo ruolo")
    p.add_argument("--punti", help="per un referente: gli id dei suoi punti, separati da virgole")
    p.add_argument("--chiave", action="store_true", help="(ignorato: non serve più una cookie_key)")
    a = p.parse_args()
    a.email = a.email or a.email_posizionale
    if not re.fullmatch(r"[a-z0-9._-]{2,40}", a.utente):
        p.error("nome utente non valido: 2-40 caratteri tra minuscole, cifre, . _ -")
    return nel_database(a, p) if a.ruolo else nei_secrets(a, p)


if __name__ == "__main__":
    raise SystemExit(main())
