"""The PostgreSQL restore of stores.backup: into an empty schema, all or nothing.

`pg_restore --clean` drops only the objects the dump holds: a dump older than the database's schema
would leave the tables of later migrations in place (and the next start's upgrade would fail on
them). So the dump is first turned into SQL (`pg_restore -f`, into a temporary file: a pg_restore
that fails half-way never reaches the database), then one `psql --single-transaction` runs
`SVUOTA_PUBBLICO` (drops every table, view, sequence, routine and enum/domain type of schema
`public`, objects of extensions aside; the schema itself, its owner and grants are kept) and the
dump's SQL: any error rolls back the whole, the database is as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

from cittadelnoi.stores.backup import CopiaNonValida, _esegui, _libpq, bin_postgres

# Names are computed as text by each query (not regclass), so an object already dropped by a CASCADE
# is skipped by IF EXISTS.
SVUOTA_PUBBLICO = """
DO $cdn$
DECLARE r record;
BEGIN
  FOR r IN SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS tipo,
                  format('%I.%I', n.nspname, c.relname) AS nome
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
           ORDER BY c.relkind
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.tipo, r.nome);
  END LOOP;
  FOR r IN SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS nome
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.nome);
  END LOOP;
  FOR r IN SELECT format('%I.%I', n.nspname, t.typname) AS nome
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP TYPE IF EXISTS %s CASCADE', r.nome);
  END LOOP;
END
$cdn$;
"""


def ripristina_postgres(url: URL, file: Path) -> None:
    """Replace every object of schema `public` of the database at `url` with the dump `file` (already
    checked by stores.backup), in one transaction; raises CopiaNonValida, nothing changed."""
    libpq, env = _libpq(url)
    with tempfile.TemporaryDirectory(prefix="cittadelnoi-ripristino-") as cartella:
        sql = Path(cartella) / "copia.sql"
        r = _esegui([bin_postgres("pg_restore"), "--no-owner", "-f", str(sql), str(file)])
        if r.returncode != 0:
            raise CopiaNonValida(f"pg_restore non riuscito su {file}, nulla è stato cambiato: {r.stderr.strip()}")
        r = _esegui(
            [
                bin_postgres("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                SVUOTA_PUBBLICO,
                "-f",
                str(sql),
                "-d",
                libpq,
            ],
            env,
        )
    if r.returncode != 0:
        raise CopiaNonValida(f"ripristino di {file} non riuscito, nulla è stato cambiato: {r.stderr.strip()}")
