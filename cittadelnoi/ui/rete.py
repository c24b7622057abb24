"""The offline promise on every address: Streamlit never asks a remote service for this machine's IP.

Streamlit looks up the public IP (an HTTP request to checkip.amazonaws.com) in two places: the
addresses it prints at start, when headless on a wildcard address (`--server.address 0.0.0.0`),
and the origin check of a websocket from another site (which also "connects" a UDP socket to
8.8.8.8 to find the local address). `.streamlit/config.toml` sets
`browser.serverAddress`, which skips the first; `nessuna_richiesta_esterna()` replaces the lookup
itself, so the second finds no public IP (the check then compares the origin with the local names
and addresses only). Called by app.py before the server listens (and on every script run, for `streamlit run
dashboard.py`).
"""

from __future__ import annotations

from cittadelnoi.ui.streamlit_interni import sostituisci_ricerca_ip


def _nessun_ip_esterno() -> None:
    return None


def _nessun_ip_interno() -> None:
    # Streamlit finds it by "connecting" a UDP socket to 8.8.8.8; same-origin pages never need it.
    return None


def nessuna_richiesta_esterna() -> None:
    sostituisci_ricerca_ip(_nessun_ip_esterno, _nessun_ip_interno)
