/* Progressive enhancement: draws the places of the page on a Leaflet map when Leaflet is loaded.
   The list stays the accessible equivalent; without JavaScript nothing changes. */
(function () {
  "use strict";
  var container = document.getElementById("carte-lieux");
  var island = document.getElementById("carte-donnees");
  if (!container || !island || typeof window.L === "undefined") {
    return;
  }
  var data = JSON.parse(island.textContent);
  if (!data.markers.length) {
    return;
  }
  container.hidden = false;
  var map = window.L.map(container, { scrollWheelZoom: false });
  window.L.tileLayer(data.tiles, {
    maxZoom: 19,
    attribution: "© contributeurs OpenStreetMap"
  }).addTo(map);
  var layer = typeof window.L.markerClusterGroup === "function" ? window.L.markerClusterGroup() : window.L.featureGroup();
  data.markers.forEach(function (marker) {
    var item = window.L.marker([marker.lat, marker.lon], { title: marker.name, alt: marker.name });
    if (marker.url) {
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.name;
      item.bindPopup(link);
    }
    layer.addLayer(item);
  });
  layer.addTo(map);
  var bounds = layer.getBounds();
  if (data.markers.length === 1) {
    map.setView(bounds.getCenter(), 15);
  } else {
    map.fitBounds(bounds, { padding: [20, 20] });
  }
})();
