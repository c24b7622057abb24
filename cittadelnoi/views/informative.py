"""The two information pages every page's footer links (AgID's guidelines): the accessibility
statement (`/accessibilita`) and privacy and cookies (`/privacy`).

Plain server-rendered HTML like /segnala (the same base template and style, no script, no
cookie), Italian, English with `?lang=en`; the route (web.informative) sets the language. The
statement follows the structure of AgID's model (Linee guida sull'accessibilità degli strumenti
informatici, allegato 1): conformity, contents not accessible and their alternatives, how it was
written, feedback and contacts, the enforcement procedure. The official statement is the one the
Comune files on AgID's form: its address is the setting `dichiarazione_agid`.
"""

from __future__ import annotations

import datetime as dt

from cittadelnoi.core import fmt, pubblicazione
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import ORE_SESSIONE_PREDEFINITE, impostazioni
from cittadelnoi.core.ruoli import CONSERVAZIONE_ACCESSI
from cittadelnoi.core.segnalazioni import CONSERVAZIONE_CHIUSE, LIMITE_AL_MINUTO
from cittadelnoi.views import piede as piede_sito
from cittadelnoi.views.modelli import pagina
from cittadelnoi.views.segnala import _contesto

# The day this statement was last reviewed against the app (README, «Accessibility»): change it
# with the list below.
DATA_DICHIARAZIONE = dt.date(2026, 12, 8)
DIFENSORE_CIVICO = "https://www.agid.gov.it/it/agenzia/difensore-civico-il-digitale"
GARANTE = "https://www.garanteprivacy.it"


def _non_conformita() -> list[tuple[str, str]]:
    """(what falls short, with the WCAG criterion; the alternative offered)."""
    return [
        (
            _(
                "Il caricamento dei file nella pagina Gestione mostra testi di Streamlit in inglese («Drag and drop "
                "a file here», «Upload», «5MB per file»), senza l'indicazione della lingua "
                "(WCAG 3.1.2, lingua delle parti)."
            ),
            _("Le etichette e gli aiuti del campo sono in italiano e dicono che cosa caricare e il limite di 5 MB."),
        ),
        (
            _(
                "La mappa della Panoramica è in un riquadro (iframe) il cui titolo, dato da Streamlit, non descrive "
                "il contenuto (WCAG 4.1.2, nome, ruolo, valore)."
            ),
            _(
                "Gli stessi dati sono nelle tabelle dei quartieri e dei punti sotto la mappa, nella mappa pubblica "
                "/mappa (pagina a sé con titolo) e nei dati aperti scaricabili."
            ),
        ),
        (
            _(
                "Streamlit risponde ad alcuni tasti singoli (per esempio «r» ricarica la pagina) senza che si possano "
                "disattivare (WCAG 2.1.4, scorciatoie da tastiera con un solo carattere)."
            ),
            _(
                "Ricaricare la pagina non cambia i dati né le scelte fatte, che restano nell'indirizzo; i campi di "
                "testo non risentono delle scorciatoie."
            ),
        ),
        (
            _(
                "Alcuni testi dei componenti di Streamlit restano in inglese: i suggerimenti della barra delle "
                "tabelle, «Running…», «Show password», «Page not found» (WCAG 3.1.2)."
            ),
            _(
                "Ogni messaggio dell'applicazione, le etichette e gli aiuti sono in italiano (e in inglese a richiesta)."
            ),
        ),
    ]


def pagina_accessibilita(cruscotto: str) -> str:
    """The accessibility statement in the run's language, with the site's footer."""
    agid = impostazioni().dichiarazione_agid
    titolare = pubblicazione.TITOLARE
    sezioni = [
        {
            "titolo": "",
            "paragrafi": [
                _(
                    "{titolare} si impegna a rendere accessibile il proprio sito web, conformemente alla legge "
                    "9 gennaio 2004, n. 4. La presente dichiarazione si applica al cruscotto pubblico «{progetto}» "
                    "(le sue pagine, la mappa /mappa e il modulo /segnala)."
                ).format(titolare=titolare, progetto=pubblicazione.TITOLO_PROGETTO),
            ],
        },
        {
            "titolo": _("Stato di conformità"),
            "paragrafi": [
                _(
                    "Questo sito è parzialmente conforme ai requisiti dell'allegato A della norma UNI CEI EN 301549 "
                    "(WCAG 2.1, livelli A e AA), per i casi di non conformità elencati sotto, tutti dovuti ai "
                    "componenti di Streamlit, il programma su cui il cruscotto è costruito."
                )
            ],
        },
    ]
    redazione = [
        _(
            "Dichiarazione redatta il {data} con un'autovalutazione: ogni pagina, in italiano e in inglese, è "
            "verificata a ogni modifica del programma con axe-core (regole WCAG 2.1 A e AA) in un browser vero, "
            "insieme all'uso da tastiera dei filtri e della mappa."
        ).format(data=fmt.data(DATA_DICHIARAZIONE)),
    ]
    if agid:
        redazione.append(_("La dichiarazione ufficiale è pubblicata sul sito di AgID:"))
    else:
        redazione.append(
            _(
                "La dichiarazione ufficiale, da compilare sul modulo di AgID, non è ancora indicata in questa "
                "installazione."
            )
        )
    html = pagina(
        "informative/accessibilita.html",
        **_contesto(_("Dichiarazione di accessibilità"), {}, cruscotto, rotta=piede_sito.ROTTA_ACCESSIBILITA),
        sezioni=sezioni,
        titolo_elenco=_("Contenuti non accessibili"),
        colonne=(_("Che cosa non è conforme"), _("Alternativa offerta")),
        non_conformita=_non_conformita(),
        titolo_redazione=_("Redazione della dichiarazione di accessibilità"),
        redazione=redazione,
        agid=agid,
        titolo_feedback=_("Meccanismo di feedback e informazioni di contatto"),
        feedback=_(
            "Per segnalare un contenuto non accessibile o chiedere le informazioni in un'altra forma, usa il modulo:"
        ),
        segnala=piede_sito.con_lingua(piede_sito.ROTTA_SEGNALA),
        testo_segnala=_("Segnala un problema"),
        titolo_attuazione=_("Procedura di attuazione"),
        attuazione=_(
            "In caso di risposta insoddisfacente o di mancata risposta entro 30 giorni, si può inviare una "
            "segnalazione al Difensore civico per il digitale di AgID:"
        ),
        difensore=DIFENSORE_CIVICO,
    )
    return html


def _cookie() -> list[tuple[str, str, str]]:
    """(name, what it is for, how long it lasts)."""
    ore = impostazioni().oidc_ore_sessione
    return [
        (
            "_streamlit_xsrf",
            _("Protezione dei moduli contro le richieste falsificate da altri siti (Streamlit)."),
            _("Fino alla chiusura del browser."),
        ),
        (
            "cittadelnoi_sessione",
            _("Solo per il personale che accede a Gestione o «Il mio punto» con nome utente e password: la sessione."),
            _("{ore} ore dall'accesso, o fino a «Esci».").format(ore=ORE_SESSIONE_PREDEFINITE),
        ),
        (
            "_streamlit_user, _streamlit_user_tokens",
            _(
                "Solo per il personale che accede con l'identità digitale del Comune (OpenID Connect): l'accesso "
                "firmato."
            ),
            _("{ore} ore dall'accesso, o fino a «Esci».").format(ore=ore),
        ),
        (
            "_streamlit_session",
            _(
                "Solo durante l'accesso con l'identità digitale del Comune: lo stato del passaggio dal fornitore di "
                "identità (Streamlit)."
            ),
            _("Al massimo 14 giorni."),
        ),
        (
            "cdn_replica",
            _("Solo dove il cruscotto gira su più server (deploy/): tiene il browser sullo stesso server."),
            _("Fino alla chiusura del browser."),
        ),
    ]


def pagina_privacy(cruscotto: str) -> str:
    """Privacy and cookies in the run's language, with the site's footer."""
    titolare = impostazioni().titolare_trattamento
    mesi = CONSERVAZIONE_CHIUSE.days // 30
    conservazione = [
        _(
            "Segnalazioni inviate con /segnala: la scelta, il testo, l'ora e il punto o quartiere finché la "
            "segnalazione è aperta e poi per {mesi} mesi dalla chiusura; l'e-mail, se lasciata con il consenso, "
            "solo finché la segnalazione non è chiusa."
        ).format(mesi=mesi),
        _(
            "Indirizzo di rete di chi invia una segnalazione: mai conservato; ne teniamo un'impronta per un minuto, "
            "per limitare gli invii (al massimo {n} al minuto)."
        ).format(n=LIMITE_AL_MINUTO),
        _(
            "Personale del Comune e referenti dei punti: nome utente, ruolo, modifiche fatte al registro (storico), "
            "sessioni e accessi (il registro degli accessi per {mesi} mesi), per la sicurezza del registro. Mai le "
            "password in chiaro."
        ).format(mesi=CONSERVAZIONE_ACCESSI.days // 30),
        _(
            "Il server del cruscotto non tiene registri delle visite e non usa strumenti di statistica o di "
            "profilazione; non invia nulla ad altri siti."
        ),
    ]
    html = pagina(
        "informative/privacy.html",
        **_contesto(_("Privacy e cookie"), {}, cruscotto, rotta=piede_sito.ROTTA_PRIVACY),
        titolo_titolare=_("Titolare del trattamento"),
        titolare=titolare or _("Non indicato in questa installazione (impostazione «titolare_trattamento»)."),
        titolo_cookie=_("Cookie"),
        cookie_intro=_(
            "Il cruscotto usa solo cookie tecnici, necessari al funzionamento: nessun cookie di profilazione o di "
            "statistica, nessun cookie di altri siti. Per questo non chiede un consenso."
        ),
        colonne_cookie=(_("Nome"), _("A che cosa serve"), _("Durata")),
        cookie=_cookie(),
        titolo_conservazione=_("Che cosa conserviamo e per quanto"),
        conservazione=conservazione,
        titolo_diritti=_("I tuoi diritti"),
        diritti=_(
            "Puoi chiedere al titolare l'accesso ai tuoi dati, la rettifica o la cancellazione (articoli 15-22 del "
            "Regolamento UE 2016/679) e presentare reclamo al Garante per la protezione dei dati personali:"
        ),
        garante=GARANTE,
    )
    return html
