// The small map on a commons' page; without JavaScript the page shows coordinates and a link.
(function () {
  "use strict";
  var element = document.getElementById("commons-location-map");
  if (!element || !window.L) {
    return;
  }
  var latitude = parseFloat(element.getAttribute("data-latitude"));
  var longitude = parseFloat(element.getAttribute("data-longitude"));
  if (isNaN(latitude) || isNaN(longitude)) {
    return;
  }
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, dragging: !L.Browser.mobile }).setView([latitude, longitude], 16);
  L.tileLayer(element.getAttribute("data-tiles-url"), {
    attribution: element.getAttribute("data-attribution"),
    maxZoom: 19,
  }).addTo(map);
  L.circleMarker([latitude, longitude], {
    radius: 10, color: "#ffffff", weight: 2, fillColor: "#1d6b4f", fillOpacity: 0.9,
  }).bindTooltip(element.getAttribute("data-name")).addTo(map);
})();
