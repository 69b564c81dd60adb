/* « Relayer l'agenda »: the preview and the code to copy follow the form as it is filled in,
   without a reload (the form still works without JavaScript: its button reloads the page). */
(function () {
  "use strict";
  var form = document.querySelector("[data-relay-configurator]");
  var preview = document.querySelector("[data-configurator-preview]");
  var snippet = document.querySelector("[data-configurator-snippet]");
  var iframeSnippet = document.querySelector("[data-configurator-iframe]");
  if (!form || !preview || !snippet) return;
  // Form field → element attribute (the element takes lists in the plural).
  var ATTRIBUTES = {
    type: "types", thematique: "thematiques", departement: "departement", epci: "epci",
    commune: "commune", rayon: "rayon", nombre: "nombre", couleur: "couleur", fond: "fond",
    logo: "logo", presentation: "presentation"
  };
  var DEFAULTS = { nombre: "5", presentation: "liste", apparence: "clair" };

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function values() {
    var found = {};
    new FormData(form).forEach(function (value, name) {
      value = String(value).trim();
      var field = form.elements[name];
      if (value && (!field || !field.checkValidity || field.checkValidity())) found[name] = value;
    });
    if (!found.commune) delete found.rayon;
    return found;
  }

  function update() {
    var chosen = values();
    var written = "";
    Object.keys(ATTRIBUTES).forEach(function (name) {
      var attribute = ATTRIBUTES[name];
      if (chosen[name]) {
        preview.setAttribute(attribute, chosen[name]);
        written += " " + attribute + '="' + escape(chosen[name]) + '"';
      } else {
        preview.removeAttribute(attribute);
      }
    });
    var query = new URLSearchParams();
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name] !== DEFAULTS[name]) query.set(name, chosen[name]);
    });
    var url = form.dataset.widgetBase + (query.toString() ? "?" + query.toString() : "");
    var size = parseInt(chosen.nombre || "5", 10) || 5;
    var height = size * (chosen.presentation === "compact" ? 48 : 96) + 96;
    var frame = '<iframe src="' + escape(url) + '" title="Agenda de la médiation numérique" ' +
      'width="100%" height="' + height + '" style="border:0" loading="lazy"></iframe>';
    snippet.value = "<maillage-agenda" + written + ">\n  " + frame + "\n</maillage-agenda>\n" +
      '<script src="' + escape(form.dataset.scriptUrl) + '" async></script>';
    if (iframeSnippet) iframeSnippet.value = frame;
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
