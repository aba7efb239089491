"""The legal pages' pieces: a page of sections, the RGAA criteria, the processings of personal data."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.legal import AUTOMATED, AccessibilityStatement, LegalPage, PrivacyNotice, Processing, Section, Theme
from services.typography import french_spacing


def _section(section: Section, after: Callable[[], None] | None = None) -> None:
    st.header(french_spacing(section.heading))
    st.markdown(french_spacing(section.text))
    if section.show_criteria and after is not None:
        after()


def render_legal_page(page: LegalPage, after_criteria_text: Callable[[], None] | None = None) -> None:
    st.title(french_spacing(page.title))
    if page.intro:
        st.markdown(french_spacing(page.intro))
    for section in page.sections:
        _section(section, after_criteria_text)


def _criteria_list(criteria, with_checks: bool = False) -> str:
    """One list item per criterion (a list, not a table: it wraps on a phone's narrow screen)."""
    items = []
    for c in criteria:
        item = f"- **{c.id}** {c.title}  \n  Résultat : **{c.result}**."
        if with_checks and c.checks:
            item += f" Vérifié par {c.checks}."
        items.append(french_spacing(item))
    return "\n".join(items)


def _theme_label(theme: Theme) -> str:
    automated = sum(c.result == AUTOMATED for c in theme.criteria)
    words = f"{automated} vérifié{'s' if automated > 1 else ''} automatiquement" if automated else "non évalués"
    return french_spacing(f"{theme.number}. {theme.title} : {len(theme.criteria)} critères, {words}")


def render_criteria(statement: AccessibilityStatement) -> None:
    """The criteria an automated check verifies, then every criterion by theme (closed)."""
    checked = [c for c in statement.criteria if c.result == AUTOMATED]
    if checked:
        st.subheader("Critères vérifiés automatiquement")
        st.markdown(_criteria_list(checked, with_checks=True))
    st.subheader(french_spacing(f"Les {len(statement.criteria)} critères du RGAA 4.1"))
    for theme in statement.themes:
        with st.expander(_theme_label(theme)):
            st.markdown(_criteria_list(theme.criteria))


def render_accessibility_statement(statement: AccessibilityStatement) -> None:
    render_legal_page(statement.page, lambda: render_criteria(statement))


def _processing(item: Processing) -> None:
    st.subheader(french_spacing(item.title))
    st.markdown(french_spacing(
        f"**Pourquoi :** {item.purpose}\n\n"
        f"**Ce qui est gardé :** {item.data}\n\n"
        f"**Qui le reçoit :** {item.recipients}\n\n"
        f"**Combien de temps :** {item.retention}"
    ))


def render_privacy_notice(notice: PrivacyNotice) -> None:
    render_legal_page(notice.page)
    st.header("Ce que le kiosque garde, service par service")
    for item in notice.processings:
        _processing(item)
    for section in notice.closing:
        _section(section)
