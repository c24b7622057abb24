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


def _nessun_ip_esterno() -> None:
    return None


def _nessun_ip_interno() -> None:
    # Streamlit finds it by "connecting" a UDP socket to 8.8.8.8; same-origin pages never need it.
    return None


def nessuna_richiesta_esterna() -> None:
    from streamlit import net_util

    if net_util.get_external_ip is not _nessun_ip_esterno:
        net_util.get_external_ip = _nessun_ip_esterno
        net_util.get_internal_ip = _nessun_ip_interno
