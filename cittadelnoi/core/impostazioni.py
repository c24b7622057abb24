"""The app's settings: one object, read once per process, validated, used by every module.

Each setting comes, first found first, from

1. the environment variable `CITTADELNOI_<NAME>` (e.g. `CITTADELNOI_URL_PUBBLICO`);
2. a top-level key `CITTADELNOI_<NAME>` of the secrets files (Streamlit copies those into the
   environment when it reads its secrets; read here too, so the order does not matter);
3. the key `<name>` of the `[cittadelnoi]` section of the secrets files;
4. the default below.

The secrets files are the ones Streamlit reads (`secrets_files()`): `~/.streamlit/secrets.toml`,
then `.streamlit/secrets.toml` in the working folder and next to the app, a later file's section
replacing an earlier one's; `STREAMLIT_SECRETS_FILES` (paths separated by spaces) or
`[secrets] files` in `.streamlit/config.toml` replace the list, as they do for Streamlit. The same
files hold the Gestione accounts (`[gestione]`) and the shared database (`[connections.sql]`):
they are read here, once, with the rest.

| name | what | default |
| --- | --- | --- |
| `url_pubblico` | public base URL of the dashboard (links, QR code, <iframe>, /mappa, catalogue), `http(s)://…` | the request's address |
| `licenza` | licence of the data, an id of `pubblicazione.LICENZE` (any case) | `CC-BY-4.0` |
| `frame_ancestors` | who may show /mappa in an <iframe>: CSP `frame-ancestors` sources | `*` |
| `dati` | `esempio`: the fictional sample register of esempio/ | `data` |
| `data_dir` | another data folder (tests, benchmarks, a volume) | data/ (or esempio/) |
| `last_good_dir` | the copy of the last valid data | var/ultimi-dati-validi[-esempio] |
| `archivio` | `file`: read data/ only, no database, no Gestione | `database` |
| `db_url` | SQLAlchemy URL of the register's database | `[connections.sql]`, else var/*.sqlite |
| `rilancia_errori` | a page's exception is re-raised after its message (tests) | false |
| `dichiarazione_agid` | the accessibility statement as filed on AgID's form (form.agid.gov.it), `https://…`; the footer's statement page links it | none: the page says it is not filed yet |
| `titolare_trattamento` | the data controller named on the privacy page (name, address, contact), plain text up to 300 characters | none: the page says it is not indicated |
| `oidc_ore_sessione` | hours an OpenID Connect login lasts (from the identity token's `iat`), then `st.logout()`; 1-720 | 8 |

An empty value counts as unset. A value the app cannot use raises `ConfigurazioneNonValida`, whose
message names every wrong setting; app.py reads the settings before the server starts, so a wrong
one stops it at once. Tests change the environment and call `ricarica()`.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from cittadelnoi.core import paths
from cittadelnoi.core.pubblicazione import LICENZA_PREDEFINITA, LICENZE, Licenza

_log = logging.getLogger(__name__)

PREFISSO = "CITTADELNOI_"
SEZIONE = "cittadelnoi"
# The settings a person sets (environment or [cittadelnoi]); the other fields come from the
# secrets files' other sections only.
CAMPI = (
    "url_pubblico",
    "licenza",
    "frame_ancestors",
    "dati",
    "data_dir",
    "last_good_dir",
    "archivio",
    "db_url",
    "rilancia_errori",
    "dichiarazione_agid",
    "titolare_trattamento",
    "oidc_ore_sessione",
)

_SORGENTE_CSP = re.compile(r"^(\*|'self'|'none'|https?://[A-Za-z0-9.\-*]+(:\d+)?|[A-Za-z0-9.\-*]+(:\d+)?)$")
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_PAROLE = {"dati": ("data", "esempio"), "archivio": ("database", "file")}  # the default first
MAX_TITOLARE = 300
ORE_SESSIONE_PREDEFINITE = 8  # as a local login's session (auth.sessioni)
MAX_ORE_SESSIONE = 720  # 30 days: st.login's own cookie lasts no longer
_SÌ, _NO = ("1", "true", "sì", "si", "yes", "on"), ("0", "false", "no", "off")


class ConfigurazioneNonValida(ValueError):
    """A setting has a value the app cannot use; the message says which and why."""


def _testo(v: object) -> object:
    """A text value stripped; an empty one is unset (None)."""
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


class Impostazioni(BaseSettings):
    """The settings (see the module's docstring). Frozen: read once, never changed by the app."""

    model_config = SettingsConfigDict(
        env_prefix=PREFISSO, case_sensitive=False, frozen=True, extra="ignore", validate_default=True
    )

    url_pubblico: str | None = None  # without the trailing slash
    licenza: Annotated[Licenza, NoDecode] = LICENZE[LICENZA_PREDEFINITA]  # given by its id
    frame_ancestors: str = "*"  # sources separated by one space
    dati: Literal["data", "esempio"] = "data"
    data_dir: Path | None = None
    last_good_dir: Path | None = None
    archivio: Literal["database", "file"] = "database"
    db_url: str | None = None
    rilancia_errori: bool = False
    dichiarazione_agid: str | None = None  # https://form.agid.gov.it/view/…
    titolare_trattamento: str | None = None  # e.g. "Comune di Brescia, piazza della Loggia 1, …"
    oidc_ore_sessione: int = ORE_SESSIONE_PREDEFINITE
    # From the secrets files' other sections (never from the environment):
    connessione_sql: bool = False  # a non-empty [connections.sql] (st.connection reads it)
    url_connessione_sql: str | None = None  # its `url`, for tools without st.connection (scripts)
    gestione: Any = None  # the [gestione] section (the accounts) as plain dicts, None without it
    sezioni_secrets: tuple[str, ...] = ()  # top-level names of the secrets, as written
    secrets_illeggibili: str | None = None  # a secrets file that exists but cannot be read: where and why

    @field_validator(
        "url_pubblico",
        "db_url",
        "data_dir",
        "last_good_dir",
        "dichiarazione_agid",
        "titolare_trattamento",
        mode="before",
    )
    @classmethod
    def _vuoto_non_impostato(cls, v: object) -> object:
        return _testo(v)

    @field_validator("url_pubblico")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = v.rstrip("/")
        if not _URL.match(v):
            raise ValueError("serve un indirizzo http(s)://…")
        return v

    @field_validator("dichiarazione_agid")
    @classmethod
    def _url_https(cls, v: str | None) -> str | None:
        if v is not None and not (v.startswith("https://") and _URL.match(v)):
            raise ValueError("serve un indirizzo https://… (la dichiarazione compilata sul modulo di AgID)")
        return v

    @field_validator("titolare_trattamento")
    @classmethod
    def _titolare(cls, v: str | None) -> str | None:
        if v is not None and (len(v) > MAX_TITOLARE or any(c in v for c in "\r\n")):
            raise ValueError(f"una riga di testo, al massimo {MAX_TITOLARE} caratteri")
        return v

    @field_validator("oidc_ore_sessione", mode="before")
    @classmethod
    def _ore(cls, v: object) -> int:
        v = _testo(v)
        if v is None:
            return ORE_SESSIONE_PREDEFINITE
        try:
            v = int(str(v))
        except ValueError:
            raise ValueError(f"un numero intero di ore tra 1 e {MAX_ORE_SESSIONE}") from None
        if not 1 <= v <= MAX_ORE_SESSIONE:
            raise ValueError(f"un numero intero di ore tra 1 e {MAX_ORE_SESSIONE}")
        return v

    @field_validator("licenza", mode="before")
    @classmethod
    def _licenza(cls, v: object) -> object:
        if isinstance(v, Licenza):
            return v
        scelta = str(_testo(v) or LICENZA_PREDEFINITA)
        for lic in LICENZE.values():
            if lic.id.lower() == scelta.lower():
                return lic
        raise ValueError(f"non è una licenza prevista: usare una di {', '.join(LICENZE)}")

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _frame_ancestors(cls, v: object) -> str:
        """Every source is checked, so a value can never add another directive to the CSP header."""
        sorgenti = str(_testo(v) or "*").split()
        cattive = [s for s in sorgenti if not _SORGENTE_CSP.match(s)]
        if cattive:
            raise ValueError(f"sorgenti non valide {cattive}; esempio: 'self' https://www.comune.brescia.it")
        return " ".join(sorgenti)

    @field_validator("dati", "archivio", mode="before")
    @classmethod
    def _parola(cls, v: object, info: ValidationInfo) -> object:
        ammesse = _PAROLE[str(info.field_name)]
        v = _testo(v)
        if v is None:
            return ammesse[0]
        if str(v).lower() not in ammesse:
            raise ValueError(f"valori ammessi: {', '.join(ammesse)}")
        return str(v).lower()

    @field_validator("rilancia_errori", mode="before")
    @classmethod
    def _sì_no(cls, v: object) -> object:
        v = _testo(v)
        if v is None or isinstance(v, bool):
            return bool(v)
        parola = str(v).lower()
        if parola not in _SÌ + _NO:
            raise ValueError(f"valori ammessi: {', '.join(_SÌ + _NO)}")
        return parola in _SÌ

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Ambiente(settings_cls), _Secrets(settings_cls)


class _Ambiente(EnvSettingsSource):
    """The environment, for the settings a person sets only (never the accounts, say)."""

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in super().__call__().items() if k in CAMPI}


class _Secrets(PydanticBaseSettingsSource):
    """The secrets files, read once when the settings are built."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ gives every value at once

    def __call__(self) -> dict[str, Any]:
        secrets, errore = leggi_secrets(secrets_files())
        if errore:
            _log.error("secrets non leggibili: %s", errore)
        valori: dict[str, Any] = {}
        sezione = secrets.get(SEZIONE)
        if isinstance(sezione, Mapping):
            valori.update({str(k).lower(): v for k, v in sezione.items() if str(k).lower() in CAMPI})
        for k, v in secrets.items():  # top-level CITTADELNOI_X, as Streamlit puts it in the environment
            nome = str(k).lower().removeprefix(PREFISSO.lower())
            if str(k).upper().startswith(PREFISSO) and nome in CAMPI and not isinstance(v, Mapping):
                valori[nome] = v
        connessioni = secrets.get("connections")
        sql = connessioni.get("sql") if isinstance(connessioni, Mapping) else None
        valori["connessione_sql"] = bool(sql)
        valori["url_connessione_sql"] = str(sql["url"]) if isinstance(sql, Mapping) and sql.get("url") else None
        valori["gestione"] = secrets.get("gestione")
        valori["sezioni_secrets"] = tuple(str(k) for k in secrets)
        valori["secrets_illeggibili"] = errore
        return valori


def secrets_files() -> list[Path]:
    """The secrets files (or Kubernetes-style folders) Streamlit reads, in its order (later wins):
    STREAMLIT_SECRETS_FILES (split at spaces), else `[secrets] files` of config.toml, else
    ~/.streamlit/secrets.toml, ./.streamlit/secrets.toml and the app's own .streamlit/secrets.toml.
    tests/unit/core/test_impostazioni.py compares the list with Streamlit's option."""
    dall_ambiente = os.environ.get("STREAMLIT_SECRETS_FILES", "").split()
    if dall_ambiente:
        return [Path(p) for p in dall_ambiente]
    predefiniti = [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]
    for config in reversed([Path.home() / ".streamlit" / "config.toml", Path.cwd() / ".streamlit" / "config.toml"]):
        try:
            scelti = tomllib.loads(config.read_text(encoding="utf-8")).get("secrets", {}).get("files")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if scelti:
            return [Path(p) for p in ([scelti] if isinstance(scelti, str) else scelti)]
    accanto = paths.ROOT / ".streamlit" / "secrets.toml"  # next to app.py and dashboard.py
    return predefiniti if accanto in predefiniti else [*predefiniti, accanto]


def leggi_secrets(files: Sequence[Path]) -> tuple[dict[str, Any], str | None]:
    """The secrets of `files` merged as Streamlit merges them (a later file's top-level key
    replaces an earlier one's), and the first problem: a file that exists but cannot be read, a
    path that is neither a .toml file nor a folder. A missing file is no problem (no secrets)."""
    secrets: dict[str, Any] = {}
    for percorso in files:
        try:
            if percorso.suffix == ".toml":
                if not percorso.exists():
                    continue
                secrets.update(tomllib.loads(percorso.read_text(encoding="utf-8")))
            elif percorso.is_dir():
                secrets.update(_cartella_secrets(percorso))
            else:
                return {}, f"{percorso}: né un file .toml né una cartella"
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
            return {}, f"{percorso}: {exc}"
    return secrets, None


def _cartella_secrets(cartella: Path) -> dict[str, Any]:
    """Kubernetes-style secrets: one folder per secret, one file per key (a lone file is the value)."""
    secrets: dict[str, Any] = {}
    for sotto in sorted(cartella.iterdir()):
        if not sotto.is_dir():
            raise ValueError(f"{sotto} non è una cartella")
        chiavi = {f.name: f.read_text(encoding="utf-8").strip() for f in sorted(sotto.iterdir()) if f.is_file()}
        secrets[sotto.name] = next(iter(chiavi.values())) if len(chiavi) == 1 else chiavi
    return secrets


def leggi() -> Impostazioni:
    """The settings as they are now; ConfigurazioneNonValida names every wrong one."""
    try:
        return Impostazioni()
    except ValidationError as exc:
        righe = []
        for errore in exc.errors():
            nome = str(errore["loc"][0]) if errore["loc"] else "?"
            messaggio = str(errore["msg"]).removeprefix("Value error, ")
            righe.append(f"{PREFISSO}{nome.upper()}={errore.get('input')!r}: {messaggio}")
        dove = f" (variabile d'ambiente, o la chiave in minuscolo nella sezione [{SEZIONE}] dei secrets)"
        raise ConfigurazioneNonValida("; ".join(righe) + dove) from None


@functools.cache
def impostazioni() -> Impostazioni:
    """The process's settings, read and validated at the first call (ConfigurazioneNonValida)."""
    return leggi()


def ricarica() -> None:
    """Forget the settings read: the next `impostazioni()` reads them again (tests)."""
    impostazioni.cache_clear()
