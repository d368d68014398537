// The network page's map: our commons and the neighbours' in two colours, and each followed
// assembly at its centre. Without JavaScript the page keeps its list of assemblies.
(function () {
  "use strict";
  var element = document.getElementById("network-map");
  var configElement = document.getElementById("network-map-config");
  if (!element || !configElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView([50.63, 3.06], 8);
  L.tileLayer(config.tilesUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  var group = L.featureGroup().addTo(map);

  function popup(name, url, source) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    var link = document.createElement("a");
    link.href = url;
    link.rel = "nofollow noopener";
    link.textContent = name;
    title.appendChild(link);
    box.appendChild(title);
    if (source) {
      var from = document.createElement("p");
      from.textContent = source;
      box.appendChild(from);
    }
    return box;
  }

  (config.assemblies || []).forEach(function (assembly) {
    var marker = L.circleMarker([assembly.latitude, assembly.longitude], {
      radius: 14, color: "#7b3fa0", weight: 3, fillOpacity: 0.15, className: "network-assembly",
    });
    marker.bindPopup(popup(assembly.name, assembly.url, ""));
    marker.bindTooltip(assembly.name);
    group.addLayer(marker);
  });

  fetch(config.dataUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var count = 0;
      (data.features || []).forEach(function (feature) {
        if (!feature.geometry || feature.geometry.type !== "Point") {
          return;
        }
        var properties = feature.properties || {};
        var local = properties.source && properties.source.local;
        var marker = L.circleMarker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
          radius: 6, color: "#ffffff", weight: 1, fillColor: local ? "#1d6b4f" : "#7b3fa0", fillOpacity: 0.9,
          className: local ? "network-marker-local" : "network-marker",
        });
        marker.bindPopup(popup(properties.name || "", properties.url || "#", (properties.source || {}).name || ""));
        group.addLayer(marker);
        count += 1;
      });
      element.setAttribute("data-markers", String(count));
      if (group.getLayers().length) {
        map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 13, animate: false });
      }
    })
    .catch(function () {
      element.classList.add("commons-map-failed");
    });
})();
