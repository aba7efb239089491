"""A SIRET field for any page: the checksum verdict at once, then the directory's answer.

Public API (reused by the callback form and the PDF checker):
- `siret_field(key=..., label=..., recipient_siret=...)`: a text input plus both verdicts;
  returns a `SiretFieldResult(check, lookup)`.
- `show_siret(text, key=...)`: both verdicts for a number you already have (e.g. read from a PDF),
  without an input.
- `show_check(check)`, `show_lookup(result, key=...)`: each verdict alone.
- `company_directory()`: the process-wide client (st.cache_resource).
Services used: `services.siret.classify_identifier`, `services.company_directory.CompanyDirectory.lookup`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.company_directory import CompanyDirectory, LookupResult, make_user_agent
from services.siret import SiretCheck, classify_identifier
from ui.frame import load_office_or_stop


@dataclass(frozen=True)
class SiretFieldResult:
    check: SiretCheck
    lookup: LookupResult | None  # None when nothing was looked up (empty or mistyped number)

    @property
    def value(self) -> str:
        """The compact number when it is a valid SIRET, else an empty string."""
        return self.check.compact if self.check.is_valid_siret else ""


@st.cache_resource(show_spinner=False)
def _directory(base_url: str, user_agent: str) -> CompanyDirectory:
    return CompanyDirectory(base_url, user_agent=user_agent)


def company_directory() -> CompanyDirectory:
    """One HTTP client per server process, shared by every session (its cache and rate limit too)."""
    office = load_office_or_stop()
    return _directory(office.company_directory_url, make_user_agent(office.display_name))


def _is_recipient(check: SiretCheck, recipient_siret: str | None) -> bool:
    """True when the supplier typed the office's own SIRET or SIREN (a frequent mix-up)."""
    if not recipient_siret:
        return False
    return (check.kind == "siret" and check.compact == recipient_siret) or (
        check.kind == "siren" and check.compact == recipient_siret[:9])


def show_check(check: SiretCheck, *, recipient_siret: str | None = None) -> None:
    """The offline verdict: valid SIRET, SIREN, or what is mistyped."""
    if check.kind == "empty":
        return
    if _is_recipient(check, recipient_siret):
        st.warning(
            f"C'est le {check.kind.upper()} de l'office, le destinataire de vos factures. "
            "Ici, tapez le SIRET **de votre entreprise**.",
            icon=":material/swap_horiz:",
        )
        return
    if check.kind == "siret":
        st.success(check.message, icon=":material/check_circle:")
    elif check.kind == "siren":
        st.warning(f"{check.message}\n\n{check.fix}", icon=":material/warning:")
    else:
        st.error(f"{check.message}\n\n{check.fix}", icon=":material/error:")


def _retry(flag_key: str) -> None:
    st.session_state[flag_key] = True


def show_lookup(result: LookupResult, *, key: str) -> None:
    """The directory's answer: name, address, active or closed, what to use instead."""
    if result.status == "invalid":
        return
    if result.status == "unavailable":
        st.info(result.message, icon=":material/cloud_off:")
        st.button("Réessayer la vérification en ligne", key=f"{key}_retry", on_click=_retry,
                  args=(f"{key}_refresh",), icon=":material/refresh:")
        return
    if result.status == "not_found":
        st.warning(result.message, icon=":material/search_off:")
    elif result.warning:
        st.error(f"**{result.warning}**\n\n{result.message}", icon=":material/block:")
    else:
        st.success(f"**Annuaire des entreprises** : {result.message}", icon=":material/verified:")

    company = result.company
    if result.alternatives and (result.warning or result.status == "not_found"):
        lines = []
        for est in result.alternatives:
            siege = " (siège)" if est.is_siege else ""
            lines.append(f"- **{est.siret_display}**{siege} : {est.address or est.name}")
        st.markdown("Établissement(s) actif(s) de la même entreprise :\n" + "\n".join(lines))
    if company and company.open_establishments and company.open_establishments > 1 and (
            result.warning or result.status == "not_found" or result.establishment is None):
        st.markdown(
            f"L'entreprise a {company.open_establishments} établissements ouverts. "
            f"Retrouvez le vôtre et son SIRET sur [l'annuaire des entreprises]({company.page_url})."
        )


def show_siret(text: str, *, key: str, recipient_siret: str | None = None, lookup: bool = True) -> SiretFieldResult:
    """Both verdicts for a number you already have. `key` prefixes this widget's session keys."""
    check = classify_identifier(text)
    show_check(check, recipient_siret=recipient_siret)
    if not lookup or check.kind not in ("siret", "siren") or _is_recipient(check, recipient_siret):
        return SiretFieldResult(check, None)
    refresh = bool(st.session_state.pop(f"{key}_refresh", False))
    with st.spinner("Recherche dans l'annuaire des entreprises…"):
        result = company_directory().lookup(check.compact, refresh=refresh)
    show_lookup(result, key=key)
    return SiretFieldResult(check, result)


def _remember(widget_key: str, store_key: str) -> None:
    st.session_state[store_key] = st.session_state.get(widget_key, "")


def siret_field(
    *,
    key: str,
    label: str = "Numéro de SIRET de votre entreprise",
    help: str | None = None,
    recipient_siret: str | None = None,
    lookup: bool = True,
) -> SiretFieldResult:
    """A SIRET input with both verdicts under it.

    `key` must be page-prefixed (e.g. "callback_siret"). What was typed survives leaving the
    page or the step and coming back (kept under f"{key}_value").
    """
    widget_key, store_key = f"{key}_input", f"{key}_value"
    if widget_key not in st.session_state and store_key in st.session_state:
        st.session_state[widget_key] = st.session_state[store_key]
    text = st.text_input(label, key=widget_key, help=help,
                         placeholder="14 chiffres (espaces acceptés)",
                         on_change=_remember, args=(widget_key, store_key))
    st.session_state[store_key] = text
    return show_siret(text, key=key, recipient_siret=recipient_siret, lookup=lookup)
