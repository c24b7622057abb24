"""How the data are published: the licences the app knows, the publisher, the project's title.

Which licence applies, who may embed the map and the public URL are settings
(`core.impostazioni`: `licenza`, `frame_ancestors`, `url_pubblico`).
"""

from __future__ import annotations

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
