// Leaflet maps of the dashboards. The GeoJSON layers come from the data-layers attribute (no inline script);
// tiles are drawn only when MAP_TILE_URL is set (production: OpenStreetMap's), so the maps work with no tile
// server at all, and keep their outlines when the tiles fail to load.
(function () {
  "use strict";
  var OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
  var STYLES = {
    areas: { color: "#1f5f8b", weight: 2, fillOpacity: 0.25 },
    cells: { color: "#c2571a", weight: 1, fillOpacity: 0.35 },
    islands: { color: "#b00020", weight: 2, dashArray: "6 4", fillOpacity: 0.15 }
  };

  function popup(props) {
    var parts = [];
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || key === "suppressed") return;
      var row = document.createElement("div");
      row.textContent = key + ": " + value;
      parts.push(row.outerHTML);
    });
    return parts.join("");
  }

  function init(el) {
    if (typeof L === "undefined") return;
    var layers = JSON.parse(el.dataset.layers || "{}");
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tileUrl) {
      var tiles = L.tileLayer(el.dataset.tileUrl, {
        maxZoom: 18,
        attribution: el.dataset.tileAttribution || OSM_ATTRIBUTION
      }).addTo(map);
      // Offline or the tile server down: the outlines stay on a plain background (nothing throws).
      tiles.on("tileerror", function () { el.classList.add("map--no-tiles"); });
    }
    var bounds = null;
    Object.keys(layers).forEach(function (name) {
      var style = STYLES[name] || {};
      var layer = L.geoJSON(layers[name], {
        style: function (feature) {
          var s = Object.assign({}, style);
          if (feature.properties && feature.properties.beyond) { s.color = "#b00020"; }
          if (feature.properties && feature.properties.suppressed) { s.fillOpacity = 0.05; }
          return s;
        },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#2e7d32", weight: 2, fillOpacity: 0.8 });
        },
        onEachFeature: function (feature, lyr) { lyr.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      var b = layer.getBounds();
      if (b.isValid()) { bounds = bounds ? bounds.extend(b) : b; }
    });
    if (bounds) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); } else { map.setView([47.66, 23.58], 12); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map[data-layers]").forEach(init);
  });
})();
