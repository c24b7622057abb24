"""Print the secrets.toml lines of a Gestione account, with a bcrypt hash of its password.

    .venv/bin/python scripts/nuovo_utente.py mrossi "Mario Rossi" [email]

The password is asked twice on the terminal (never on the command line, never stored in clear).
Paste the output into .streamlit/secrets.toml (git-ignored) and restart the server. User names are
lower case (the app reads every spelling of a name as the same account). No cookie key is needed:
sessions are kept in the database (README, «Security»).
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cittadelnoi.auth.accesso import hash_password


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("utente", help="nome utente (minuscole, cifre, . _ -)")
    p.add_argument("nome", help="nome e cognome mostrati nella pagina")
    p.add_argument("email", nargs="?", default="")
    p.add_argument("--chiave", action="store_true", help="(ignorato: non serve più una cookie_key)")
    a = p.parse_args()
    if not re.fullmatch(r"[a-z0-9._-]{2,40}", a.utente):
        p.error("nome utente non valido: 2-40 caratteri tra minuscole, cifre, . _ -")
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


if __name__ == "__main__":
    raise SystemExit(main())
