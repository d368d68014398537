// A gathering's map: its sites, and each walk drawn as a route through its stops in order.
// Without JavaScript the page keeps its list of sites and the stops of each walk.
(function () {
  "use strict";
  var element = document.getElementById("gathering-map");
  var configElement = document.getElementById("gathering-map-config");
  if (!element || !configElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  if (!(config.sites || []).length) {
    return;
  }
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView([50.63, 3.06], 13);
  L.tileLayer(config.tilesUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  var group = L.featureGroup().addTo(map);
  config.sites.forEach(function (site) {
    var marker = L.marker([site.latitude, site.longitude], { title: site.name });
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = site.name;
    box.appendChild(name);
    if (site.address) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(site.address));
    }
    marker.bindPopup(box);
    group.addLayer(marker);
  });
  (config.walks || []).forEach(function (walk) {
    if (walk.points.length > 1) {
      var line = L.polyline(walk.points, { color: "#c77700", weight: 4, dashArray: "6 6" });
      line.bindTooltip(walk.title);
      group.addLayer(line);
    }
  });
  element.setAttribute("data-markers", String(config.sites.length));
  map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16, animate: false });
})();
