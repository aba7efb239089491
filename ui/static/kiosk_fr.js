/* Streamlit's own words, in French, and one announcer for screen readers.
 *
 * Inlined in the <head> of every page by ui/french_index.py. Streamlit draws its chrome (skip
 * link, sidebar buttons, uploader, date fields…) in English and has no locale setting: we
 * translate those strings as React writes them. Only whole strings listed here change, so the
 * kiosk's own French words are never touched. tests/e2e/test_french_browser.py fails when a
 * Streamlit upgrade renames one of them.
 */
(function () {
  "use strict";
  var WORDS = {
    "Skip to main content": "Aller au contenu principal",
    "Sidebar": "Menu",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "App pages": "Pages du kiosque",
    "Link to heading": "Lien vers ce titre",
    "Close": "Fermer",
    "Dismiss": "Fermer",
    "Upload": "Choisir un fichier",
    "file upload": "Choisir un fichier",
    "Add files": "Ajouter un fichier",
    "add icon": "Ajouter",
    "Choose an option": "Choisissez une option",
    "Open": "Ouvrir la liste",
    "Clear value": "Effacer",
    "Clear all": "Tout effacer",
    "No results": "Aucun résultat",
    "progress": "progression",
    "Choose date": "Choisir une date",
    "dd": "jj",
    "yyyy": "aaaa",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
    "Running...": "Chargement…",
    "Stop": "Arrêter",
    "Copy to clipboard": "Copier",
    "Fullscreen": "Plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Page not found": "Page introuvable",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants",
    "Navigate to home page": "Aller à l'accueil",
    "Main menu": "Menu principal",
    "Connecting": "Connexion…",
    "Please wait...": "Veuillez patienter…",
    "Reconnected to server.": "Connexion rétablie.",
    "Connection error": "Erreur de connexion",
    "Network error": "Erreur de réseau",
    "Error uploading file": "Le fichier n'a pas pu être envoyé",
    "Try again": "Réessayer"
  };
  var UNITS = {B: "o", KB: "Ko", MB: "Mo", GB: "Go"};
  function size(number, unit) { return number.replace(".", ",") + "\u00a0" + UNITS[unit]; }
  var PATTERNS = [
    [/^Help for (.+)$/, function (m, what) { return "Aide : " + what; }],
    [/^Remove (.+)$/, function (m, what) { return "Retirer " + what; }],
    [/^(day|month|year), (.+)$/, function (m, part, what) {
      return {day: "jour", month: "mois", year: "année"}[part] + ", " + what; }],
    [/^([\d.]+) ?(B|KB|MB|GB) per file(.*)$/, function (m, n, u, rest) { return size(n, u) + " par fichier" + rest; }],
    [/^(.+, |)(\d+(?:\.\d+)?)(KB|MB|GB)$/, function (m, before, n, u) { return before + size(n, u); }]
  ];
  var ATTRIBUTES = ["aria-label", "title", "placeholder"];

  function french(text) {
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, trimmed)) return text.replace(trimmed, WORDS[trimmed]);
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(trimmed)) return text.replace(trimmed, trimmed.replace(PATTERNS[i][0], PATTERNS[i][1]));
    }
    return null;
  }

  function skip(element) {
    return !element || element.closest("script, style, [lang]:not(html)") !== null;
  }

  function fixElement(element) {
    if (skip(element)) return;
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = element.getAttribute(ATTRIBUTES[i]);
      if (value === null) continue;
      var changed = french(value);
      if (changed !== null && changed !== value) element.setAttribute(ATTRIBUTES[i], changed);
    }
    // The uploader's drop zone is role="presentation" yet labelled and focusable (axe:
    // presentation-role-conflict): a labelled group is what it is.
    if (element.getAttribute("data-testid") === "stFileUploaderDropzone" && element.getAttribute("role") === "presentation") {
      element.setAttribute("role", "group");
    }
  }

  function fixText(node) {
    if (skip(node.parentElement)) return;
    var changed = french(node.nodeValue);
    if (changed !== null && changed !== node.nodeValue) node.nodeValue = changed;
  }

  function fixTree(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1) return;
    fixElement(root);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      if (node.nodeType === 3) fixText(node); else fixElement(node);
    }
  }

  /* One polite live region for the whole visit, present before anything is announced (a
   * region inserted together with its text is often not read). An element marked
   * data-kiosk-annonce (the checker's verdict) is read once when it appears or its words
   * change. Streamlit's st.error and st.warning need none: they are role="alert". */
  var announcer = null;
  var lastAnnounced = "";
  function announce(root) {
    if (root.nodeType !== 1) return;
    var marked = root.matches("[data-kiosk-annonce]") ? [root] : [];
    marked = marked.concat(Array.prototype.slice.call(root.querySelectorAll("[data-kiosk-annonce]")));
    marked.forEach(function (element) {
      var text = (element.getAttribute("data-kiosk-annonce") || element.innerText || "").trim();
      if (!text || text === lastAnnounced || !announcer) return;
      lastAnnounced = text;
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 150);
    });
  }

  /* A page asks for the focus to move by drawing a marker <span data-kiosk-focus="ID" hidden>
   * (a guide's new step: its heading). No inline script per step, so the proxy's
   * Content-Security-Policy can allow scripts by hash. The heading may come after the marker. */
  function moveFocus(root) {
    if (!root.querySelectorAll) return;
    var marked = root.matches("[data-kiosk-focus]") ? [root] : [];
    marked = marked.concat(Array.prototype.slice.call(root.querySelectorAll("[data-kiosk-focus]")));
    marked.forEach(function (marker) {
      var id = marker.getAttribute("data-kiosk-focus");
      (function focusTarget(tries) {
        var target = document.getElementById(id);
        if (!target) { if (tries > 0) window.setTimeout(focusTarget, 50, tries - 1); return; }
        target.setAttribute("tabindex", "-1");
        target.focus();
      })(40);
    });
  }

  var observer = new MutationObserver(function (mutations) {
    for (var i = 0; i < mutations.length; i++) {
      var m = mutations[i];
      if (m.type === "childList") {
        for (var j = 0; j < m.addedNodes.length; j++) {
          fixTree(m.addedNodes[j]); announce(m.addedNodes[j]); moveFocus(m.addedNodes[j]);
        }
      } else if (m.type === "characterData") {
        fixText(m.target);
      } else {
        fixElement(m.target);
      }
    }
  });

  /* After the file chooser closes, the focus sits on the uploader's hidden <input type=file>,
   * where nobody can see it: give it to the drop zone's own button instead. */
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!target.matches || !target.matches("[data-testid='stFileUploaderDropzoneInput']")) return;
    var buttons = target.closest("[data-testid='stFileUploaderDropzone']").querySelectorAll("button");
    if (buttons.length) buttons[buttons.length - 1].focus();
  });

  function start() {
    announcer = document.createElement("div");
    announcer.id = "kiosk-annonce";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    announcer.setAttribute("aria-atomic", "true");
    announcer.className = "kiosk-sr-only";
    document.body.appendChild(announcer);
    fixTree(document.body);
    observer.observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ATTRIBUTES.concat(["role"])
    });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
