"""How the data are published: the licence, the publisher, who may embed the map, the public URL.

The one home of these settings. Each is read from an environment variable when asked (so a test or
a deployment can set it without code), with the project's default:

- `CITTADELNOI_LICENZA`: the licence of the data, an id of `LICENZE` (default `CC-BY-4.0`). It is
  shown in the sidebar footer, in every export and in the open-data catalogue.
- `CITTADELNOI_FRAME_ANCESTORS`: the pages allowed to show the public map `/mappa` in an <iframe>,
  as the CSP `frame-ancestors` source list (default `*`: any site, the map is public and read-only;
  e.g. `'self' https://www.comune.brescia.it`).
- `CITTADELNOI_URL_PUBBLICO`: the address the public reaches the dashboard at (e.g.
  `https://cittadelnoi.comune.brescia.it`), used in the catalogue's links and the <iframe> snippet;
  without it, the address of the request.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Licenza:
    id: str  # SPDX identifier
    nome: str
    url: str


LICENZE = {
    lic.id: lic
    for lic in (
        Licenza("CC-BY-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        Licenza("CC-BY-SA-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        Licenza("CC0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licenza("IODL-2.0", "IODL 2.0", "https://www.dati.gov.it/content/italian-open-data-license-v20"),
    )
}
LICENZA_PREDEFINITA = "CC-BY-4.0"

# The publisher of the catalogue (DCAT-AP_IT wants the IPA code of the administration).
TITOLARE = "Comune di Brescia"
CODICE_IPA = "c_b157"
TITOLO_PROGETTO = "Brescia Città del Noi"

_SORGENTE_CSP = re.compile(r"^(\*|'self'|'none'|https?://[A-Za-z0-9.\-*]+(:\d+)?|[A-Za-z0-9.\-*]+(:\d+)?)$")


class ConfigurazioneNonValida(ValueError):
    """A publication setting has a value the app cannot use; the message says which and why."""


def licenza() -> Licenza:
    scelta = os.environ.get("CITTADELNOI_LICENZA", "").strip() or LICENZA_PREDEFINITA
    for lic in LICENZE.values():
        if lic.id.lower() == scelta.lower():
            return lic
    raise ConfigurazioneNonValida(
        f"CITTADELNOI_LICENZA={scelta!r} non è una licenza prevista: usare una di {', '.join(LICENZE)}"
    )


def frame_ancestors() -> str:
    """The CSP `frame-ancestors` source list of /mappa; every source is checked, so a value can never
    add another directive to the header."""
    valore = os.environ.get("CITTADELNOI_FRAME_ANCESTORS", "").strip() or "*"
    sorgenti = valore.split()
    cattive = [s for s in sorgenti if not _SORGENTE_CSP.match(s)]
    if cattive:
        raise ConfigurazioneNonValida(
            f"CITTADELNOI_FRAME_ANCESTORS: sorgenti non valide {cattive}; esempio: 'self' https://www.comune.brescia.it"
        )
    return " ".join(sorgenti)


def url_pubblico() -> str | None:
    """The public base URL without the trailing slash, or None when not configured."""
    valore = os.environ.get("CITTADELNOI_URL_PUBBLICO", "").strip().rstrip("/")
    if not valore:
        return None
    if not re.match(r"^https?://[^\s\"'<>]+$", valore):
        raise ConfigurazioneNonValida(f"CITTADELNOI_URL_PUBBLICO={valore!r}: serve un indirizzo http(s)://…")
    return valore
