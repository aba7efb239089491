"""Staff: « Chiffres ». Checks per week, verdicts, the most frequent issues (what to explain in
the next email to suppliers), callbacks per week and the time to handle them. Charts drawn
with Altair (installed with Streamlit); the figures come from services.stats."""

from __future__ import annotations

import logging

import altair as alt
import streamlit as st

from services.office import Office
from services.staff_auth import StaffSession
from services.stats import VERDICT_LABELS, OfficeNumbers, office_numbers
from ui.db import Database, database_or_error

log = logging.getLogger(__name__)

WEEKS_KEY = "staff_stats_weeks"
BLUE = "#000091"
VERDICT_COLORS = {"Prête": "#18753c", "À corriger": "#b34000", "Bloquée": "#ce0500"}


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} h".replace(".", ",")


def _week_rows(items, value_name: str) -> list[dict]:
    return [{"Semaine du": w.week.strftime("%d/%m"), "date": w.week.isoformat(), value_name: getattr(w, "count", None)}
            for w in items]


def _bar(rows: list[dict], *, x: str, y: str, title: str, color: str = BLUE, sort=None, horizontal=False,
         color_field: str | None = None, colors: dict[str, str] | None = None) -> alt.Chart:
    chart = alt.Chart(alt.Data(values=rows), title=title).mark_bar(color=color)
    if horizontal:
        encoding = dict(y=alt.Y(f"{x}:N", sort=sort or "-x", title=None, axis=alt.Axis(labelLimit=260)),
                        x=alt.X(f"{y}:Q", title=y, axis=alt.Axis(tickMinStep=1)))
    else:
        encoding = dict(x=alt.X(f"{x}:N", sort=sort, title=x, axis=alt.Axis(labelAngle=0)),
                        y=alt.Y(f"{y}:Q", title=y, axis=alt.Axis(tickMinStep=1)))
    if color_field and colors:
        encoding["color"] = alt.Color(f"{color_field}:N", legend=None,
                                      scale=alt.Scale(domain=list(colors), range=list(colors.values())))
    return chart.encode(**encoding, tooltip=[f"{x}:N", f"{y}:Q"])


def render_numbers_charts(numbers: OfficeNumbers) -> None:
    weeks_order = [w.week.strftime("%d/%m") for w in numbers.checks_per_week]
    top = st.columns(3)
    top[0].metric("Factures vérifiées", numbers.checks_total)
    top[1].metric("Rappels demandés", numbers.callbacks_total)
    top[2].metric("Délai médian de rappel", _hours(numbers.median_hours),
                  help="De la demande au premier appel (ou à la clôture), moitié des demandes plus vite.")

    st.subheader("Vérifications de factures")
    st.altair_chart(_bar(_week_rows(numbers.checks_per_week, "Vérifications"), x="Semaine du", y="Vérifications",
                         title="Vérifications par semaine", sort=weeks_order), width="stretch")
    verdict_rows = [{"Résultat": VERDICT_LABELS.get(v, v), "Factures": n} for v, n in numbers.verdicts.items()]
    st.altair_chart(_bar(verdict_rows, x="Résultat", y="Factures", title="Résultats des vérifications",
                         sort=list(VERDICT_COLORS), color_field="Résultat", colors=VERDICT_COLORS), width="stretch")

    st.subheader("Problèmes les plus fréquents")
    if numbers.top_issues:
        st.caption("Ce que l'office peut expliquer dans son prochain message aux fournisseurs.")
        issue_rows = [{"Problème": i.label, "Factures": i.count, "code": i.code} for i in numbers.top_issues]
        chart = _bar(issue_rows, x="Problème", y="Factures", title="Problèmes trouvés (nombre de factures)",
                     horizontal=True)
        # one readable bar per problem (Streamlit would squeeze them into its default height)
        st.altair_chart(chart, width="stretch", height=36 * len(issue_rows) + 90)
    else:
        st.info("Aucun problème relevé sur la période.")

    st.subheader("Rappels")
    st.altair_chart(_bar(_week_rows(numbers.callbacks_per_week, "Demandes"), x="Semaine du", y="Demandes",
                         title="Demandes de rappel par semaine", sort=weeks_order), width="stretch")
    # every week on the axis (like the charts above); a week with nothing handled has no bar
    handling_rows = [{"Semaine du": h.week.strftime("%d/%m"), "Heures (médiane)": h.median_hours,
                      "Demandes traitées": h.handled} for h in numbers.handling_per_week]
    if any(h.median_hours is not None for h in numbers.handling_per_week):
        st.altair_chart(_bar(handling_rows, x="Semaine du", y="Heures (médiane)",
                             title="Délai médian avant le rappel, par semaine de la demande", sort=weeks_order),
                        width="stretch")
    else:
        st.info("Aucune demande traitée sur la période : pas encore de délai à montrer.")
    st.caption("Semaines du lundi au dimanche. Les vérifications sont comptées sans rien garder du fichier ; "
               "les demandes de rappel ne remontent pas au-delà du délai de conservation.")


def render_numbers(db: Database, office: Office) -> None:
    weeks = st.segmented_control("Période", options=[4, 12, 26], format_func=lambda n: f"{n} semaines",
                                 key=WEEKS_KEY, default=12) or 12
    try:
        with db.sessions() as session:
            numbers = office_numbers(session=session, weeks=weeks)
    except Exception:  # noqa: BLE001
        log.exception("office numbers failed")
        st.error("La base de données ne répond pas : les chiffres ne peuvent pas être affichés.")
        return
    render_numbers_charts(numbers)


def staff_stats_section(office: Office, staff: StaffSession) -> None:
    """The tab in the staff space (ui/staff_space.py SECTIONS)."""
    db = database_or_error("les chiffres")
    if db is None:
        return
    render_numbers(db, office)
