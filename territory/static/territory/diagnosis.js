/* Progressive enhancement of the diagnosis map: with Leaflet loaded, the same communes and
   places become a map one can zoom and pan, over tiles when they load (the outlines are shipped,
   so it still reads offline). Without JavaScript the server's SVG stays; it is always printed. */
(function () {
  "use strict";
  var container = document.getElementById("carte-territoire");
  var island = document.getElementById("territoire-donnees");
  if (!container || !island || typeof window.L === "undefined") {
    return;
  }
  var data = JSON.parse(island.textContent);
  var L = window.L;
  container.hidden = false;
  container.closest(".territory-figure").classList.add("has-leaflet");
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(data.tiles, { maxZoom: 16, attribution: "© contributeurs OpenStreetMap" }).addTo(map);
  var layer = L.featureGroup();
  data.communes.forEach(function (commune) {
    var style = { color: "#ffffff", weight: 0.6, fillColor: commune.colour, fillOpacity: 0.8 };
    var shape;
    if (commune.rings.length) {
      shape = L.polygon(commune.rings.map(function (ring) {
        var points = [];
        for (var i = 0; i < ring.length; i += 2) {
          points.push([ring[i + 1] / 1000, ring[i] / 1000]);
        }
        return points;
      }), style);
    } else if (commune.lat !== null) {
      shape = L.circleMarker([commune.lat, commune.lon], Object.assign({ radius: 6 }, style));
    }
    if (shape) {
      shape.bindTooltip(commune.name);
      layer.addLayer(shape);
    }
  });
  data.places.forEach(function (place) {
    var marker = L.circleMarker([place.lat, place.lon], {
      radius: place.hypothetical ? 7 : 4,
      color: place.hypothetical ? "#0b3d91" : "#ffffff",
      weight: place.hypothetical ? 3 : 1.5,
      fillColor: place.hypothetical ? "#ffffff" : "#0b3d91",
      fillOpacity: 1
    });
    marker.bindTooltip(place.name);
    layer.addLayer(marker);
  });
  layer.addTo(map);
  if (layer.getLayers().length) {
    map.fitBounds(layer.getBounds());
  }
})();
