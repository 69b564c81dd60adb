/* Maillage agenda widget: <div data-maillage-agenda data-type="" data-thematique=""
   data-departement="" data-nombre="5" data-apparence="clair" data-presentation="liste"></div>
   <script src="https://…/static/api/widget.js" async></script>
   Renders the next sessions from the open JSON API as an accessible list. No dependency. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var dateFormat = new Intl.DateTimeFormat("fr-FR", {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris"
  });

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function newWindowLink(href, text, className) {
    var link = element("a", className, text);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener";
    link.appendChild(element("span", "maillage-agenda__hidden", " (nouvelle fenêtre)"));
    return link;
  }

  function addStyles() {
    if (document.querySelector("link[data-maillage-agenda-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.src.replace(/widget\.js(\?.*)?$/, "widget.css");
    link.setAttribute("data-maillage-agenda-css", "");
    document.head.appendChild(link);
  }

  function item(session, detailed) {
    var li = element("li", "maillage-agenda__item");
    li.appendChild(newWindowLink(session.url, session.titre, "maillage-agenda__link"));
    var meta = element("span", "maillage-agenda__meta");
    var time = element("time", null, dateFormat.format(new Date(session.debut)));
    time.dateTime = session.debut;
    meta.appendChild(time);
    var parts = [];
    if (detailed) {
      parts.push(session.en_ligne ? "En ligne" : session.lieu.nom + ", " + session.lieu.commune);
      parts.push(session.type_libelle);
    }
    if (session.statut === "cancelled") parts.push("Annulée");
    else if (session.complet) parts.push("Complet");
    if (parts.length) meta.appendChild(document.createTextNode(" · " + parts.join(" · ")));
    li.appendChild(meta);
    return li;
  }

  function render(container) {
    var options = container.dataset;
    var id = "maillage-agenda-" + Math.random().toString(36).slice(2);
    var section = element("section", "maillage-agenda maillage-agenda--" +
      (options.apparence === "sombre" ? "sombre" : "clair") + " maillage-agenda--" +
      (options.presentation === "compact" ? "compact" : "liste"));
    section.setAttribute("aria-labelledby", id);
    var title = element("h2", "maillage-agenda__title", "Agenda de la médiation numérique");
    title.id = id;
    section.appendChild(title);
    var status = element("p", "maillage-agenda__empty", "Chargement de l'agenda…");
    status.setAttribute("role", "status");
    section.appendChild(status);
    var more = element("p", "maillage-agenda__more");
    more.appendChild(newWindowLink(origin + "/agenda/", "Tout l'agenda"));
    section.appendChild(more);
    container.replaceChildren(section);

    var params = new URLSearchParams();
    var size = Math.min(Math.max(parseInt(options.nombre, 10) || 5, 1), 20);
    params.set("page_size", String(size));
    ["type", "thematique", "departement"].forEach(function (name) {
      if (options[name]) params.set(name, options[name]);
    });
    fetch(origin + "/api/v1/sessions?" + params.toString())
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (!data.results.length) {
          status.textContent = "Aucune date à venir pour ces critères.";
          return;
        }
        var list = element("ul", "maillage-agenda__list");
        data.results.forEach(function (session) {
          list.appendChild(item(session, options.presentation !== "compact"));
        });
        section.replaceChild(list, status);
      })
      .catch(function () {
        status.textContent = "L'agenda n'a pas pu être chargé : consultez-le sur le site.";
      });
  }

  function start() {
    addStyles();
    document.querySelectorAll("[data-maillage-agenda]").forEach(render);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
