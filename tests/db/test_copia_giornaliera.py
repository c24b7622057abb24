"""scripts/copia_giornaliera.sh, the daily backup of the README's run book, on a temporary SQLite
installation with older (fake) copies: a new copy, the month's copy, retention of 14 daily copies and
12 months; the copy to another machine is off (CITTADELNOI_COPIA_REMOTA unset)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from cittadelnoi.core.paths import ROOT
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine


def _mese(oggi: dt.date, indietro: int) -> str:
    n = oggi.year * 12 + oggi.month - 1 - indietro
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def test_daily_copy_keeps_14_daily_and_12_monthly(tmp_path: Path, data_copy: Path):
    url = f"sqlite:///{tmp_path / 'registro.sqlite'}"
    app = DbStore(crea_engine(url), data_copy)
    app.get()
    app.engine.dispose()
    base = tmp_path / "copie"
    giornaliere, mensili = base / "giornaliere", base / "mensili"
    giornaliere.mkdir(parents=True)
    adesso = dt.datetime.now()
    vecchie = []  # 20 older daily copies (one of them a pg_dump), a day apart
    for giorni in range(1, 21):
        quando = adesso - dt.timedelta(days=giorni)
        f = giornaliere / f"cittadelnoi-{quando:%Y%m%d-%H%M%S}.{'dump' if giorni == 3 else 'sqlite'}"
        f.write_bytes(b"finta")
        f.with_name(f.name + ".sha256").write_text(f"x  {f.name}\n")
        os.utime(f, (quando.timestamp(), quando.timestamp()))
        vecchie.append(f)
    (giornaliere / "appunti.txt").write_text("non è una copia")
    mesi_vecchi = [_mese(adesso.date(), k) for k in range(1, 16)]  # 15 earlier months, none this month
    for m in mesi_vecchi:
        (mensili / m).mkdir(parents=True)
        (mensili / m / "cittadelnoi-finta.sqlite").write_bytes(b"finta")
    env = {k: v for k, v in os.environ.items() if k != "CITTADELNOI_COPIA_REMOTA"}
    env["CITTADELNOI_DB_URL"] = url

    r = subprocess.run(
        ["bash", str(ROOT / "scripts" / "copia_giornaliera.sh"), str(base)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr

    copie = sorted(p.name for p in giornaliere.iterdir() if p.suffix in (".sqlite", ".dump"))
    nuove = [n for n in copie if n not in {f.name for f in vecchie}]
    assert len(nuove) == 1, copie
    assert set(copie) == {nuove[0], *(f.name for f in vecchie[:13])}  # 14: the new one and the 13 newest
    for n in copie:
        assert (giornaliere / f"{n}.sha256").is_file()
    for f in vecchie[13:]:
        assert not f.exists() and not f.with_name(f.name + ".sha256").exists()
    assert (giornaliere / "appunti.txt").exists()

    questo_mese = f"{adesso:%Y-%m}"
    assert sorted(p.name for p in mensili.iterdir()) == sorted([questo_mese, *mesi_vecchi[:11]])
    mensile = mensili / questo_mese / nuove[0]
    assert mensile.read_bytes() == (giornaliere / nuove[0]).read_bytes()
    assert (mensili / questo_mese / f"{nuove[0]}.sha256").is_file()
    assert "copia mensile" in r.stdout and "eliminata la copia giornaliera" in r.stdout
