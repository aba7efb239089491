"""A value with a visible "Copier" button: works with a tap on a phone (no hover needed)."""

from __future__ import annotations

import html
import re

import streamlit as st

# Installed once per page; event delegation so every button rendered later works too.
# Clipboard API where allowed (https or localhost), else a hidden textarea + execCommand.
_SCRIPT = """
<script>
(function () {
  if (window.__kioskCopyInstalled) return;
  window.__kioskCopyInstalled = true;
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', '');
    area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } finally { document.body.removeChild(area); }
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.kiosk-copy');
    if (!button) return;
    var text = button.getAttribute('data-copy');
    var done = function () {
      button.textContent = 'Copié ✓';
      button.setAttribute('aria-label', 'Copié');
      setTimeout(function () { button.textContent = 'Copier'; button.setAttribute('aria-label', button.getAttribute('data-label')); }, 2500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  });
})();
</script>
"""

_STYLE = """
<style>
.kiosk-copy-row { display:flex; align-items:center; gap:.6rem; flex-wrap:wrap; margin:.2rem 0 .6rem; }
.kiosk-copy-value { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:1.25rem;
  font-weight:700; letter-spacing:.04em; background:#f6f6f6; border:1px solid #929292;
  padding:.35rem .6rem; border-radius:4px; user-select:all; word-break:break-all; }
button.kiosk-copy { background:#000091; color:#fff; border:0; border-radius:4px; padding:.5rem 1rem;
  font-size:1rem; font-weight:600; min-height:2.6rem; cursor:pointer; }
button.kiosk-copy:hover { background:#1212ff; }
button.kiosk-copy:focus-visible { outline:3px solid #0a76f6; outline-offset:2px; }
.kiosk-copy-label { font-weight:600; width:100%; }
</style>
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "valeur"


def copy_html(label: str, value: str, *, key: str | None = None, show_label: bool = True) -> str:
    """HTML of a copy row; render it with `render_with_copy` (which adds the script once)."""
    safe_label, safe_value = html.escape(label), html.escape(value)
    aria = html.escape(f"Copier {label} : {value}")
    label_html = f'<span class="kiosk-copy-label">{safe_label}</span>' if show_label else ""
    return (
        f'<div class="kiosk-copy-row" data-testid="kiosk-copy-{_slug(key or label)}">{label_html}'
        f'<span class="kiosk-copy-value">{safe_value}</span>'
        f'<button type="button" class="kiosk-copy" data-copy="{safe_value}" data-label="{aria}" '
        f'aria-label="{aria}">Copier</button></div>'
    )


def render_with_copy(markup: str) -> None:
    """Render trusted markup that contains copy rows (values come from office.toml/content)."""
    st.html(_STYLE + _SCRIPT + markup, unsafe_allow_javascript=True)


def copy_value(label: str, value: str, *, key: str | None = None) -> None:
    """Show `label`, the value in large type and a "Copier" button (one click copies)."""
    render_with_copy(copy_html(label, value, key=key))
