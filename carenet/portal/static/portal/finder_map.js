// Service finder: the map (progressive enhancement; the list holds the same results).
(function () {
  "use strict";
  var OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
  function init() {
    var el = document.getElementById("finder-map");
    var data = document.getElementById("finder-points");
    if (el && data && window.L) {
      var points = JSON.parse(data.textContent);
      var full = el.hasAttribute("data-full-page");
      var map = L.map(el, { scrollWheelZoom: full });
      var tiles = el.getAttribute("data-tile-url");
      if (tiles) {
        var layer = L.tileLayer(tiles, {
          maxZoom: 19,
          attribution: el.getAttribute("data-tile-attribution") || OSM_ATTRIBUTION,
        }).addTo(map);
        // Offline or the tile server down: the markers stay on a plain background; say so once.
        layer.on("tileerror", function () {
          el.classList.add("map--no-tiles");
        });
      }
      var bounds = [];
      points.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: 8, weight: 2, color: "#174a7c", fillColor: p.approx ? "#f2c14e" : "#2f80ed", fillOpacity: 0.9,
        }).addTo(map);
        var label = document.createElement("span");
        if (p.url) {
          var a = document.createElement("a");
          a.href = p.url;
          a.textContent = p.name;
          label.appendChild(a);
        } else {
          label.textContent = p.name;
        }
        marker.bindPopup(label);
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length === 1) {
        map.setView(bounds[0], 15);
      } else if (bounds.length) {
        map.fitBounds(bounds, { padding: [24, 24] });
      }
      // The full-page map's list panel opens and closes beside the map: let Leaflet re-measure it.
      var panel = document.getElementById("map-results");
      if (panel) {
        panel.addEventListener("toggle", function () {
          map.invalidateSize();
        });
      }
    }
    var button = document.getElementById("use-location");
    if (button && navigator.geolocation) {
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          document.getElementById("id_lat").value = pos.coords.latitude.toFixed(5);
          document.getElementById("id_lon").value = pos.coords.longitude.toFixed(5);
          var radius = document.getElementById("id_radius");
          if (!radius.value) radius.value = "5";
          button.form.submit();
        });
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
