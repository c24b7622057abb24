"""The sample register (esempio/) in the shape of the former demo register, for the tests of the
code paths that label placeholder rows ("dimostrativo"): points whose id starts with `demo-` are
marked as demo rows, with their desk slots, and every point is named after its quartiere as the
former register did ("Punto di comunità Borgo Trento (dimostrativo)").

Shipped data never has demo rows (issue 11); a register imported by officials still may, and the
app must keep labelling them.
"""

from __future__ import annotations

import pandas as pd


def come_demo(
    punti: pd.DataFrame, sportelli: pd.DataFrame, quartieri: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    nomi = quartieri.set_index("codice_istat")["nome"]
    demo = punti["id"].str.startswith("demo-")
    p = punti.copy()
    p["dimostrativo"] = demo
    p["nome"] = "Punto di comunità " + p["codice_istat"].map(nomi) + demo.map({True: " (dimostrativo)", False: ""})
    s = sportelli.copy()
    s["dimostrativo"] = s["id_punto"].str.startswith("demo-")
    return p, s
