"""Ore di volontariato: weekly desk hours of the community points against the minimum that
finanziamenti.csv states (row ore_minime_sportello: 6 hours a week today)."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt, paths, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics.aperture import aperto_ora, prossime_aperture_testo
from cittadelnoi.metrics.ore import (
    ORARIO_DIMOSTRATIVO,
    ORARIO_NON_DOCUMENTATO,
    filtra,
    fonti_documentate,
    matrice_oraria,
    ore_settimanali,
    tabella_punti,
    totali_per_zona,
)
from cittadelnoi.metrics.panoramica import documentato_per_punto
from cittadelnoi.metrics.registro import testi_aggiornato_referente
from cittadelnoi.ui.segnala import tabella_con_segnala
from cittadelnoi.ui.testo import md
from cittadelnoi.views.charts_sportelli import grafico_matrice, grafico_ore_punti, grafico_zone, nome_breve

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
punti, sportelli = filtra(snap.punti, snap.sportelli, codici)
quartieri = snap.quartieri[snap.quartieri["codice_istat"].isin(codici)]
adesso = tempo.adesso()
ore_minime = fin.ore_minime(snap.finanziamenti)

ore = ui.ore_settimanali(snap, ore_minime, codici)
aperti = aperto_ora(sportelli, adesso)
con_orario = ore[ore["orario"] != ORARIO_NON_DOCUMENTATO]
senza_orario = ore[ore["orario"] == ORARIO_NON_DOCUMENTATO]
sotto = con_orario[con_orario["sotto_minimo"].fillna(False).astype(bool)]
minimo = fmt.ore(ore_minime)
# The file the slots were read from, as cited under every figure (esempio/ in the sample mode).
file_orari = paths.file_dati("sportelli.csv")

st.title(_("Ore di volontariato agli sportelli"))
if not filtro.attivo:
    ambito = _("Vista su tutta la città.")
elif filtro.quartiere:
    ambito = _("Vista nel quartiere {quartiere}.").format(
        quartiere=ui.md(snap.quartieri.set_index("codice_istat").at[filtro.quartiere, "nome"])
    )
else:
    ambito = _("Vista nella zona {zona}.").format(zona=ui.md(filtro.zona))
st.caption(
    _(
        "Ogni punto di comunità dovrebbe tenere aperto lo sportello gestito da volontari almeno {ore} ore a "
        "settimana (Fondazione Cariplo)."
    ).format(ore=minimo)
    + " "
    + ambito
)

# What is documented comes first: the schedules with their sources, and the desk hours a source
# describes only in words (e.g. Borgo Trento's "4 giorni a settimana nel 2016").
orari = ui.orari_sportelli(snap)
documentati = documentato_per_punto(punti, sportelli, orari)
presenta = ui.in_presentazione()
if presenta:
    # One screen on the projector: one line instead of the list (the list is on the page outside the slide).
    st.caption(
        _("Orario o giorni di sportello documentati per {n} dei {totale} punti della vista.").format(
            n=fmt.numero(len(documentati)), totale=fmt.numero(len(punti))
        )
    )
else:
    st.subheader(_("Cosa è documentato"))
    if documentati:
        st.markdown(
            "\n".join(
                f"- **{md(nome)}**: {md(testo)} — {md(_('fonte: {fonte}').format(fonte=fonte))}"
                for nome, testo, fonte in documentati
            )
        )
    else:
        st.caption(_("Nessun orario di sportello documentato nella selezione."))
    vol = ore[ore["ore_volontario"].notna()] if "ore_volontario" in ore else ore.iloc[0:0]
    if not vol.empty:
        st.markdown(
            _("**Ore-volontario** (volontari × ore, dove il numero di volontari è noto): {testo}.").format(
                testo=fmt.elenco(
                    list(zip(vol["nome"].tolist(), vol["ore_volontario"].tolist(), strict=True)),
                    separatore="; ",
                    come=lambda nv: f"{md(nome_breve(nv[0]))} {fmt.ore(float(nv[1]))} h",
                )
            )
        )
    elif not ore.empty:
        st.caption(
            _("Il numero di volontari non è documentato per nessuno sportello: le ore-volontario non sono note.")
        )

# With no known schedule in the selection the figures are unknown, not zero.
ignoto = _("nessun punto") if ore.empty else _("non documentate")
ora = f"{adesso:%H:%M}"
# Change since the sidebar's reference date, when the history reaches it.
dal = ui.data_confronto()
rif = ui.snapshot_confronto(dal) if dal is not None else None
ore_prima = sotto_prima = None
# Desk hours entered the history later than the statuses: with no slot at all on that day the
# history does not reach it for hours, and no change is shown (not "+116").
if rif is not None and not rif.sportelli.empty:
    punti_prima, sportelli_prima = filtra(rif.punti, rif.sportelli, codici)
    ore_p = ore_settimanali(sportelli_prima, punti_prima, ore_minime)
    noti_p = ore_p[ore_p["orario"] != ORARIO_NON_DOCUMENTATO]
    ore_prima = float(noti_p["ore"].sum())
    sotto_prima = int(noti_p["sotto_minimo"].fillna(False).astype(bool).sum())
with st.container(key="kpi"):
    c1, c2, c3 = st.columns(3)
c1.metric(
    _("Ore a settimana"),
    fmt.ore(con_orario["ore"].sum()) if not con_orario.empty else ignoto,
    **(ui.variazione(float(con_orario["ore"].sum()), ore_prima, dal) if not con_orario.empty else {}),
    help=_(
        "Ore di apertura degli sportelli: somma delle fasce orarie dei punti con orario noto (documentato o "
        "dimostrativo). I punti con orari non documentati non sono contati."
    ),
)
c2.metric(
    _("Punti sotto il minimo"),
    _("{n} su {totale}").format(n=fmt.numero(len(sotto)), totale=fmt.numero(len(con_orario)))
    if not con_orario.empty
    else "—",
    help=_("Punti con orario noto aperti meno di {ore} ore a settimana.").format(ore=minimo),
    **(ui.variazione(len(sotto), sotto_prima, dal, meglio_se_scende=True) if not con_orario.empty else {}),
)
c3.metric(
    _("Punti aperti adesso"),
    fmt.numero(len(aperti)) if not con_orario.empty else "—",
    help=_("Alle {ora} di {giorno} (ora di Roma).").format(
        ora=ora, giorno=fmt.data(adesso.date(), formato="EEEE d MMMM")
    ),
)

demo = con_orario[con_orario["orario"] == ORARIO_DIMOSTRATIVO]
if presenta:
    # One screen on the projector: the figures, one line on demo data, the hours per zona.
    if not demo.empty:
        st.caption(
            "⚠ "
            + _("Dati dimostrativi")
            + ": "
            + _("gli orari di {n} dei {totale} punti con orario sono inventati a scopo dimostrativo.").format(
                n=fmt.numero(len(demo)), totale=fmt.numero(len(con_orario))
            )
        )
    if not con_orario.empty:
        ui.grafico(
            grafico_zone(totali_per_zona(sportelli, punti, quartieri, ore_minime, ore=ore)),
            theme=None,
            key="ore_zone",
            alt=_("Barre delle ore settimanali per zona, divise tra orari documentati e dimostrativi."),
        )
        ui.fonte(_("{file}; zone: Comune di Brescia, confini dei quartieri (2022).").format(file=file_orari))
    st.stop()
if not demo.empty:
    documentati = con_orario.loc[con_orario["orario"] != ORARIO_DIMOSTRATIVO, "nome"].tolist()
    ui.avviso_dimostrativo(
        _(
            "gli orari di {n} dei {totale} punti con orario sono inventati a scopo dimostrativo (fonte «dimostrativo: "
            "orario non noto»; colonna «Dati» della tabella)."
        ).format(n=fmt.numero(len(demo)), totale=fmt.numero(len(con_orario)))
        + " "
        + (
            _("Orari documentati: {nomi}.").format(nomi=fmt.elenco(documentati, come=nome_breve))
            if documentati
            else _("Nessun orario documentato nella selezione.")
        )
        + " "
        + _("Vanno sostituiti con gli orari reali in {file}.").format(file=file_orari)
    )
if not senza_orario.empty:
    nomi = ui.md(fmt.elenco(senza_orario["nome"].tolist(), come=nome_breve))
    st.info(
        _(
            "**Orari non documentati:** {nomi}. Questi punti sono attivi ma le fonti pubbliche non riportano l'orario "
            "dello sportello: non sono contati né come 0 ore né come sotto il minimo."
        ).format(nomi=nomi),
        icon=":material/help:",
    )
if ore.empty:
    st.info(_("Nessun punto di comunità attivo nella selezione."), icon=":material/info:")
    st.stop()

if aperti:
    nomi_aperti = ui.md(fmt.elenco(punti.set_index("id").loc[aperti, "nome"].tolist(), come=nome_breve))
    st.success(_("**Aperti adesso** ({ora}): {nomi}").format(ora=ora, nomi=nomi_aperti), icon=":material/door_open:")
elif not con_orario.empty:
    st.caption(_("Nessuno sportello aperto adesso ({ora}, ora di Roma).").format(ora=ora))

# Sources are cited as written; only our own words around them are translated.
fonti_reali = "; ".join(fonti_documentate(sportelli))
fonte_orari = (_("orari documentati: {fonti}").format(fonti=fonti_reali) + "; " if fonti_reali else "") + (
    _("altri orari dimostrativi ({file})").format(file=file_orari) if not demo.empty else file_orari
)
fonte_minimo = _("minimo di {ore} ore/settimana: {fonte}").format(
    ore=minimo, fonte=fin.fonte(snap.finanziamenti, fin.ORE_MINIME)
)

ui.grafico(
    grafico_ore_punti(ore, ore_minime),
    theme=None,
    key="ore_punti",
    alt=_("Barre delle ore settimanali per punto; {n} punti sotto il minimo di {ore} ore.").format(
        n=fmt.numero(len(sotto)), ore=minimo
    ),
)
ui.fonte(f"{fonte_orari}; {fonte_minimo}.")

if con_orario.empty:
    st.caption(
        _("Nessun orario noto nella selezione: il calendario settimanale e i totali per zona non sono disponibili.")
    )
elif len(con_orario) == 1:
    # One schedule: a weekly calendar and zone totals would only repeat it.
    st.caption(
        _(
            "Un solo orario noto nella selezione ({nome}): il calendario settimanale e i totali per zona si mostrano "
            "quando gli orari noti sono almeno due."
        ).format(nome=md(nome_breve(con_orario["nome"].iloc[0])))
    )
else:
    ui.grafico(
        grafico_matrice(matrice_oraria(sportelli)),
        theme=None,
        key="matrice_oraria",
        alt=_("Mappa di calore giorno per ora: quanti sportelli sono aperti in ogni ora della settimana."),
    )
    st.caption(
        _(
            "Ogni casella somma, sui punti, la parte dell'ora in cui lo sportello è aperto: {mezza} = un punto "
            "aperto per mezz'ora."
        ).format(mezza=fmt.numero(0.5, 1))
    )
    ui.fonte(f"{fonte_orari}.")

    ui.grafico(
        grafico_zone(totali_per_zona(sportelli, punti, quartieri, ore_minime, ore=ore)),
        theme=None,
        key="ore_zone",
        alt=_("Barre delle ore settimanali per zona, divise tra orari documentati e dimostrativi."),
    )
    ui.fonte("{}; {}.".format(fonte_orari, _("zone: Comune di Brescia, confini dei quartieri (2022)")))

st.subheader(_("Tabella dei punti"))
per_punto = ui.sportelli_per_punto(snap)
prossime = prossime_aperture_testo(sportelli, adesso, per_punto.minuti)
tabella_ore = tabella_punti(
    ore,
    sportelli,
    snap.quartieri,
    aperti,
    ore_minime,
    prossime=prossime,
    gia_pronti=per_punto,
    conferme=ui.conferme(snap),
    aggiornati=testi_aggiornato_referente(punti),
)
# The rows are `ore` in tabella_punti's order (most hours first, then by name): each links to the report form.
ordine = ore.sort_values(["ore", "nome"], ascending=[False, True], na_position="last")["id"]
tabella_con_segnala(tabella_ore, "punto", ordine, hide_index=True, key="tabella_ore")
ui.scarica_tabella(tabella_ore, _("ore-di-sportello"), "ore")
ui.fonte(f"{fonte_orari}; {fonte_minimo}.")
