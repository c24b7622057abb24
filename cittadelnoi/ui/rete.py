"""The offline promise on every address: Streamlit never asks a remote service for this machine's IP.

Streamlit looks up the public IP (an HTTP request to checkip.amazonaws.com) in two places: the
addresses it prints at start, when headless on a wildcard address (`--server.address 0.0.0.0`),
and the origin check of a websocket from another site. `.streamlit/config.toml` sets
`browser.serverAddress`, which skips the first; `nessuna_richiesta_esterna()` replaces the lookup
itself, so the second finds no public IP (the check then compares the origin with the local names
and addresses only). Called when the app module is loaded and on every script run (cheap).
"""

from __future__ import annotations


def _nessun_ip_esterno() -> None:
    return None


def nessuna_richiesta_esterna() -> None:
    from streamlit import net_util

    if net_util.get_external_ip is not _nessun_ip_esterno:
        net_util.get_external_ip = _nessun_ip_esterno  # type: ignore[assignment]
