/* Maillage agenda widget, a web component:

   <maillage-agenda departement="35" epci="" commune="35238" rayon="20"
     thematiques="inclusion-numerique" types="training,webinar" nombre="5"
     couleur="#1d4ed8" fond="#ffffff" logo="https://votre-site.fr/logo.png"
     presentation="liste">
     <iframe src="https://…/widget/agenda/?…" title="Agenda" …></iframe>   (fallback)
   </maillage-agenda>
   <script src="https://…/static/api/widget.js" async></script>

   Renders the next sessions from the portal's open JSON API, in a shadow root whose styles
   neither leak into the host page nor take its rules. No cookie is sent or set (credentials
   omitted), no request goes anywhere but to the portal (and to the logo the partner gives).
   Without JavaScript, the iframe inside the element shows the same agenda. The former
   <div data-maillage-agenda data-…> snippet keeps working. No dependency. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var dateFormat = new Intl.DateTimeFormat("fr-FR", {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris"
  });
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var STYLES = [
    ":host { display: block; --maillage-accent: #1d4ed8; --maillage-fond: #ffffff;",
    "  --maillage-texte: #1f2937; font: inherit; }",
    ".agenda { background: var(--maillage-fond); color: var(--maillage-texte);",
    "  border: 1px solid #c8c8d0; border-radius: 6px; padding: 0.75rem 1rem; }",
    ".entete { display: flex; align-items: center; gap: 0.5rem; }",
    ".entete img { max-height: 2.5rem; max-width: 8rem; }",
    "h2 { font-size: 1.15em; margin: 0.25rem 0 0.5rem; }",
    "ul { list-style: none; margin: 0; padding: 0; }",
    "li { padding: 0.4rem 0; border-top: 1px solid #e5e7eb; }",
    "a { color: var(--maillage-accent); font-weight: 600; text-decoration: underline; }",
    "a:focus-visible { outline: 3px solid var(--maillage-accent); outline-offset: 2px; }",
    ".meta { display: block; font-size: 0.9em; }",
    ".compact .meta { display: inline; margin-left: 0.3rem; }",
    ".annulee { font-weight: 700; }",
    ".cache { position: absolute; width: 1px; height: 1px; overflow: hidden;",
    "  clip: rect(0 0 0 0); white-space: nowrap; }",
    "@media (prefers-reduced-motion: reduce) { * { transition: none !important;",
    "  animation: none !important; } }"
  ].join("\n");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function newWindowLink(href, text) {
    var link = element("a", null, text);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener";
    link.appendChild(element("span", "cache", " (nouvelle fenêtre)"));
    return link;
  }

  function webUrl(value) {
    try {
      var url = new URL(value, document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function item(session, detailed) {
    var li = element("li");
    li.appendChild(newWindowLink(session.url, session.titre));
    var meta = element("span", "meta");
    var time = element("time", null, dateFormat.format(new Date(session.debut)));
    time.dateTime = session.debut;
    meta.appendChild(time);
    var parts = [];
    if (detailed) {
      parts.push(session.en_ligne ? "En ligne" : session.lieu ?
        session.lieu.nom + ", " + session.lieu.commune : session.type_libelle);
      if (!session.en_ligne && session.lieu) parts.push(session.type_libelle);
    }
    if (parts.length) meta.appendChild(document.createTextNode(" · " + parts.join(" · ")));
    if (session.statut === "cancelled") {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(element("span", "annulee", "Annulée"));
    } else if (session.complet) {
      meta.appendChild(document.createTextNode(" · Complet"));
    }
    li.appendChild(meta);
    return li;
  }

  /* The query the API understands, from the element's attributes. */
  function query(options) {
    var params = new URLSearchParams();
    var size = Math.min(Math.max(parseInt(options.nombre, 10) || 5, 1), 20);
    params.set("page_size", String(size));
    var names = {
      departement: "departement", epci: "epci", types: "types", type: "type",
      thematiques: "thematiques", thematique: "thematique"
    };
    Object.keys(names).forEach(function (name) {
      var value = (options[name] || "").trim().replace(/\s+/g, "");
      if (value) params.set(names[name], value);
    });
    if (options.commune) {
      params.set("pres_de", options.commune.trim());
      params.set("rayon_km", String(Math.min(Math.max(parseFloat(options.rayon) || 10, 1), 100)));
    }
    return params;
  }

  function render(root, options, host) {
    var id = "maillage-agenda-" + Math.random().toString(36).slice(2);
    var section = element("section", "agenda" +
      (options.presentation === "compact" ? " compact" : ""));
    section.setAttribute("aria-labelledby", id);
    var header = element("div", "entete");
    var logo = webUrl(options.logo || "");
    if (logo) {
      var image = element("img");
      image.src = logo;
      image.alt = "";
      image.referrerPolicy = "no-referrer";
      header.appendChild(image);
    }
    var title = element("h2", null, options.titre || "Agenda de la médiation numérique");
    title.id = id;
    header.appendChild(title);
    section.appendChild(header);
    var status = element("p", null, "Chargement de l'agenda…");
    status.setAttribute("role", "status");
    section.appendChild(status);
    var more = element("p");
    more.appendChild(newWindowLink(origin + "/agenda/", "Tout l'agenda"));
    section.appendChild(more);
    ["couleur", "fond"].forEach(function (name) {
      if (COLOUR.test(options[name] || "")) {
        host.style.setProperty(name === "couleur" ? "--maillage-accent" : "--maillage-fond",
          options[name]);
      }
    });
    root.replaceChildren(section);

    fetch(origin + "/api/v1/sessions?" + query(options).toString(), {
      credentials: "omit", referrerPolicy: "no-referrer"
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (!data.results.length) {
          status.textContent = "Aucune date à venir pour ces critères.";
          return;
        }
        var list = element("ul");
        data.results.forEach(function (session) {
          list.appendChild(item(session, options.presentation !== "compact"));
        });
        section.replaceChild(list, status);
      })
      .catch(function () {
        status.textContent = "L'agenda n'a pas pu être chargé : consultez-le sur le site.";
      });
  }

  function styleRoot(root) {
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);  // not an inline <style>: the host page's CSP is untouched
      root.adoptedStyleSheets = [sheet];
    } else {
      var link = element("link");
      link.rel = "stylesheet";
      link.href = script.src.replace(/widget\.js(\?.*)?$/, "widget-element.css");
      root.appendChild(link);
    }
  }

  var ATTRIBUTES = ["departement", "epci", "commune", "rayon", "thematiques", "types",
    "thematique", "type", "nombre", "couleur", "fond", "logo", "presentation", "titre"];

  function optionsOf(host) {
    var options = {};
    ATTRIBUTES.forEach(function (name) { options[name] = host.getAttribute(name) || ""; });
    return options;
  }

  if (window.customElements && !window.customElements.get("maillage-agenda")) {
    window.customElements.define("maillage-agenda", class extends HTMLElement {
      static get observedAttributes() { return ATTRIBUTES; }

      connectedCallback() {
        if (!this.shadowRoot) {
          // The iframe fallback is for browsers without JavaScript: not loaded twice.
          this.querySelectorAll("iframe").forEach(function (frame) { frame.remove(); });
          styleRoot(this.attachShadow({ mode: "open" }));
        }
        this.refresh();
      }

      attributeChangedCallback() {
        if (this.shadowRoot) this.refresh();
      }

      refresh() {
        var self = this;
        clearTimeout(this.pending);
        // Attributes set one after the other (the configurator) make one request.
        this.pending = setTimeout(function () {
          render(self.shadowRoot, optionsOf(self), self);
        }, 0);
      }
    });
  }

  /* The earlier snippet: <div data-maillage-agenda data-type="…" …> becomes the element. */
  function upgradeLegacy() {
    document.querySelectorAll("div[data-maillage-agenda]").forEach(function (container) {
      var agenda = document.createElement("maillage-agenda");
      var data = container.dataset;
      ["type", "thematique", "departement", "nombre", "presentation"].forEach(function (name) {
        if (data[name]) agenda.setAttribute(name, data[name]);
      });
      if (data.apparence === "sombre") {
        agenda.setAttribute("fond", "#1f2937");
        agenda.setAttribute("couleur", "#93c5fd");
        agenda.style.setProperty("--maillage-texte", "#f9fafb");
      }
      container.removeAttribute("data-maillage-agenda");
      container.replaceChildren(agenda);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", upgradeLegacy);
  else upgradeLegacy();
})();
