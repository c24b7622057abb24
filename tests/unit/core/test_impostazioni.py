"""core/impostazioni.py: every setting from one place (environment, then the secrets files), checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from cittadelnoi.core import impostazioni
from cittadelnoi.core.impostazioni import ConfigurazioneNonValida
from cittadelnoi.core.pubblicazione import LICENZE


def _imp() -> impostazioni.Impostazioni:
    impostazioni.ricarica()
    return impostazioni.impostazioni()


def _secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, testo: str, nome: str = "secrets.toml") -> Path:
    file_ = tmp_path / nome
    file_.write_text(testo, encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(file_))
    return file_


def test_default_licence_is_cc_by_4(imposta):
    imposta(licenza=None)
    lic = impostazioni.impostazioni().licenza
    assert (lic.id, lic.nome, lic.url) == ("CC-BY-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


def test_licence_is_configurable_and_checked(imposta):
    imposta(licenza="cc0-1.0")
    assert impostazioni.impostazioni().licenza.nome == "CC0 1.0"
    imposta(licenza="tutti i diritti riservati")
    with pytest.raises(ConfigurazioneNonValida, match="CC-BY-4.0"):
        impostazioni.impostazioni()


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [
        ("", "*"),
        ("'self'", "'self'"),
        ("'self'  https://www.comune.brescia.it", "'self' https://www.comune.brescia.it"),
    ],
)
def test_frame_ancestors(imposta, valore, atteso):
    imposta(frame_ancestors=valore)
    assert impostazioni.impostazioni().frame_ancestors == atteso


@pytest.mark.parametrize("valore", ["*; script-src *", "https://a.it,https://b.it", "'unsafe-inline'", "javascript:x"])
def test_frame_ancestors_cannot_add_directives(imposta, valore):
    imposta(frame_ancestors=valore)
    with pytest.raises(ConfigurazioneNonValida, match="CITTADELNOI_FRAME_ANCESTORS"):
        impostazioni.impostazioni()


def test_public_url(imposta):
    imposta(url_pubblico=None)
    assert impostazioni.impostazioni().url_pubblico is None
    imposta(url_pubblico=" https://cittadelnoi.comune.brescia.it/ ")
    assert impostazioni.impostazioni().url_pubblico == "https://cittadelnoi.comune.brescia.it"
    imposta(url_pubblico='https://x.it/"><script>')
    with pytest.raises(ConfigurazioneNonValida):
        impostazioni.impostazioni()


def test_every_wrong_setting_is_named_at_once(imposta):
    imposta(dati="esempi", archivio="db", rilancia_errori="forse", url_pubblico="ftp://x")
    with pytest.raises(ConfigurazioneNonValida) as errore:
        impostazioni.impostazioni()
    for nome in ("DATI='esempi'", "ARCHIVIO='db'", "RILANCIA_ERRORI='forse'", "URL_PUBBLICO='ftp://x'"):
        assert f"CITTADELNOI_{nome}" in str(errore.value)


def test_words_and_switches(imposta):
    imposta(dati=" Esempio ", archivio="FILE", rilancia_errori="sì", db_url="  ", data_dir="")
    imp = impostazioni.impostazioni()
    assert (imp.dati, imp.archivio, imp.rilancia_errori, imp.db_url, imp.data_dir) == (
        "esempio",
        "file",
        True,
        None,
        None,
    )
    imposta(dati=None, archivio=None, rilancia_errori="0")
    imp = impostazioni.impostazioni()
    assert (imp.dati, imp.archivio, imp.rilancia_errori) == ("data", "database", False)


def test_read_once_until_reloaded(imposta, monkeypatch):
    imposta(licenza="CC0-1.0")
    prima = impostazioni.impostazioni()
    monkeypatch.setenv("CITTADELNOI_LICENZA", "IODL-2.0")
    assert impostazioni.impostazioni() is prima  # a running server keeps what it read at start
    imposta()
    assert impostazioni.impostazioni().licenza == LICENZE["IODL-2.0"]


def test_the_section_of_the_secrets_and_the_environment_before_it(tmp_path, monkeypatch, imposta):
    imposta(url_pubblico=None, licenza=None)
    _secrets(
        tmp_path,
        monkeypatch,
        '[cittadelnoi]\nurl_pubblico = "https://cruscotto.example.org/brescia/"\nlicenza = "CC0-1.0"\n',
    )
    imp = _imp()
    assert imp.url_pubblico == "https://cruscotto.example.org/brescia"
    assert imp.licenza.id == "CC0-1.0"
    imposta(licenza="IODL-2.0")  # the environment wins
    assert impostazioni.impostazioni().licenza.id == "IODL-2.0"


def test_top_level_keys_of_the_secrets_count_as_the_environment(tmp_path, monkeypatch, imposta):
    """Streamlit copies top-level strings of the secrets into the environment when it reads them:
    read here too, whether Streamlit has read its secrets yet or not."""
    imposta(url_pubblico=None)
    _secrets(
        tmp_path,
        monkeypatch,
        'CITTADELNOI_URL_PUBBLICO = "https://a.example.org"\n[cittadelnoi]\nurl_pubblico = "https://b.example.org"\n',
    )
    assert _imp().url_pubblico == "https://a.example.org"


def test_a_wrong_value_in_the_secrets_is_named(tmp_path, monkeypatch, imposta):
    imposta(url_pubblico=None)
    _secrets(tmp_path, monkeypatch, '[cittadelnoi]\nurl_pubblico = "cruscotto.example.org"\n')
    with pytest.raises(ConfigurazioneNonValida, match="URL_PUBBLICO"):
        _imp()


def test_accounts_database_and_an_unreadable_file(tmp_path, monkeypatch):
    _secrets(
        tmp_path,
        monkeypatch,
        '[gestione.mrossi]\npassword_hash = "$2b$12$x"\n[connections.sql]\nurl = "postgresql://db/registro"\n',
    )
    imp = _imp()
    assert imp.gestione == {"mrossi": {"password_hash": "$2b$12$x"}}
    assert imp.connessione_sql and imp.sezioni_secrets == ("gestione", "connections")
    assert imp.url_connessione_sql == "postgresql://db/registro"  # for scripts/nuovo_utente.py
    assert imp.secrets_illeggibili is None
    # Streamlit merges the files by top-level key, the later file winning: so do the settings.
    secondo = tmp_path / "altro.toml"
    secondo.write_text('[gestione.bianchi]\npassword_hash = "$2b$12$y"\n', encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", f"{tmp_path / 'secrets.toml'} {secondo}")
    assert _imp().gestione == {"bianchi": {"password_hash": "$2b$12$y"}}
    rotto = tmp_path / "rotto.toml"
    rotto.write_text("[gestione\n", encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", f"{tmp_path / 'secrets.toml'} {rotto}")
    imp = _imp()
    assert imp.secrets_illeggibili is not None and "rotto.toml" in imp.secrets_illeggibili
    assert imp.gestione is None and not imp.connessione_sql  # nothing of an unreadable set is used


def test_kubernetes_style_secrets_folder(tmp_path, monkeypatch):
    cartella = tmp_path / "segreti"
    (cartella / "cittadelnoi").mkdir(parents=True)
    (cartella / "cittadelnoi" / "url_pubblico").write_text("https://k8s.example.org\n", encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(cartella))
    # A lone file is the section's value, as in Streamlit: not a [cittadelnoi] table.
    assert _imp().url_pubblico is None
    (cartella / "cittadelnoi" / "licenza").write_text("CC0-1.0", encoding="utf-8")
    imp = _imp()
    assert (imp.url_pubblico, imp.licenza.id) == ("https://k8s.example.org", "CC0-1.0")


@pytest.mark.parametrize("ambiente", [None, "/a/uno.toml /b/due.toml"])
def test_the_secrets_files_are_streamlits(monkeypatch, tmp_path, ambiente):
    """The same list as Streamlit's option `secrets.files` (checked at each Streamlit upgrade)."""
    from streamlit import config

    monkeypatch.chdir(tmp_path)
    if ambiente is None:
        monkeypatch.delenv("STREAMLIT_SECRETS_FILES", raising=False)
        atteso = config.get_config_files("secrets.toml")  # the option's default, computed now
    else:
        monkeypatch.setenv("STREAMLIT_SECRETS_FILES", ambiente)
        atteso = ambiente.split()  # what Streamlit's command line makes of the variable
    trovati = [str(p) for p in impostazioni.secrets_files()]
    assert trovati[: len(atteso)] == atteso
    # Streamlit adds the folder of the script it runs (app.py, dashboard.py): ours is the project's.
    assert trovati[len(atteso) :] in ([], [str(impostazioni.paths.ROOT / ".streamlit" / "secrets.toml")])


def test_agid_statement_controller_and_oidc_hours_are_settings_and_are_checked(imposta):
    imposta(dichiarazione_agid=None, titolare_trattamento=None, oidc_ore_sessione=None)
    imp = impostazioni.impostazioni()
    assert (imp.dichiarazione_agid, imp.titolare_trattamento, imp.oidc_ore_sessione) == (None, None, 8)
    imposta(
        dichiarazione_agid=" https://form.agid.gov.it/view/abc ",
        titolare_trattamento="Comune di Brescia",
        oidc_ore_sessione="12",
    )
    imp = impostazioni.impostazioni()
    assert (imp.dichiarazione_agid, imp.titolare_trattamento, imp.oidc_ore_sessione) == (
        "https://form.agid.gov.it/view/abc",
        "Comune di Brescia",
        12,
    )
    for nome, valore, parola in (
        ("dichiarazione_agid", "http://form.agid.gov.it/view/abc", "https://"),
        ("titolare_trattamento", "x" * 301, "300"),
        ("oidc_ore_sessione", "0", "tra 1 e 720"),
        ("oidc_ore_sessione", "otto", "tra 1 e 720"),
    ):
        imposta(**{nome: valore})
        with pytest.raises(ConfigurazioneNonValida, match=f"CITTADELNOI_{nome.upper()}.*{parola}"):
            impostazioni.impostazioni()
        imposta(**{nome: None})
