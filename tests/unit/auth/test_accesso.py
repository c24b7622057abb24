"""Failed logins on the admin page: a lock after repeated failures that ends by itself."""

from __future__ import annotations

import threading

from cittadelnoi.auth.accesso import FINESTRA_S, MAX_TENTATIVI, LimiteTentativi


class Orologio:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_locks_after_the_maximum_within_the_window_and_unlocks_when_it_passes():
    ora = Orologio()
    limite = LimiteTentativi(orologio=ora)
    for _ in range(MAX_TENTATIVI - 1):
        limite.fallito("mrossi")
        ora.t += 10
    assert limite.attesa_s("mrossi") == 0
    limite.fallito("mrossi")  # the fifth, 40 s after the first
    assert limite.attesa_s("mrossi") == FINESTRA_S - 40
    assert limite.attesa_s("bverdi") == 0, "other accounts are not affected"
    ora.t += FINESTRA_S - 40 - 1
    assert limite.attesa_s("mrossi") == 1
    ora.t += 1
    assert limite.attesa_s("mrossi") == 0  # the first failure left the window


def test_failures_spread_over_more_than_the_window_never_lock():
    ora = Orologio()
    limite = LimiteTentativi(orologio=ora)
    for _ in range(3 * MAX_TENTATIVI):
        limite.fallito("mrossi")
        assert limite.attesa_s("mrossi") == 0
        ora.t += FINESTRA_S / (MAX_TENTATIVI - 1) + 1


def test_a_successful_login_clears_the_count():
    ora = Orologio()
    limite = LimiteTentativi(orologio=ora)
    for _ in range(MAX_TENTATIVI - 1):
        limite.fallito("mrossi")
    limite.riuscito("mrossi")
    limite.fallito("mrossi")
    assert limite.attesa_s("mrossi") == 0


def test_concurrent_failures_are_all_counted():
    limite = LimiteTentativi(massimo=400, finestra_s=3600)
    fili = [threading.Thread(target=lambda: [limite.fallito("mrossi") for _ in range(100)]) for _ in range(4)]
    for f in fili:
        f.start()
    for f in fili:
        f.join()
    assert limite.attesa_s("mrossi") > 0
