// The map of the commons: Leaflet markers from the GeoJSON export, coloured by category.
// Without JavaScript (or without Leaflet) the page keeps its server-rendered list of entries.
(function () {
  "use strict";
  var element = document.getElementById("commons-map");
  var configElement = document.getElementById("commons-map-config");
  if (!element || !configElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  // The static archive (portal/archive.py) gives the data in a script file: fetch() does not work
  // from file://. The network layer, which needs the live site, is then left out.
  var archived = window.assembleeCommonsMap;
  var status = document.getElementById("commons-map-status");
  // The town's position from the settings (/settings/who-we-are/), else Lille.
  var DEFAULT_CENTRE = config.centre || [50.63, 3.06];

  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView(DEFAULT_CENTRE, 12);
  // Markers are vectors: they still show when the tile server cannot be reached.
  var tiles = L.tileLayer(config.tilesUrl, { attribution: config.attribution, maxZoom: 19 });
  tiles.on("tileerror", function () {
    element.classList.add("commons-map-no-tiles");
  });
  tiles.addTo(map);
  var group = L.markerClusterGroup
    ? L.markerClusterGroup({ disableClusteringAtZoom: 16, showCoverageOnHover: false, maxClusterRadius: 50 })
    : L.featureGroup();

  function popupFor(properties) {
    var box = document.createElement("div");
    box.className = "commons-popup";
    var title = document.createElement("p");
    title.className = "commons-popup-title";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    if (config.embed) {
      link.target = "_top";
    }
    title.appendChild(link);
    var category = document.createElement("p");
    category.className = "commons-popup-category";
    category.textContent = properties.category;
    var summary = document.createElement("p");
    summary.textContent = properties.summary;
    var more = document.createElement("a");
    more.href = properties.url;
    more.textContent = config.linkLabel;
    if (config.embed) {
      more.target = "_top";
    }
    box.appendChild(title);
    box.appendChild(category);
    box.appendChild(summary);
    box.appendChild(more);
    return box;
  }

  function show(data) {
    var located = 0;
    (data.features || []).forEach(function (feature) {
      if (!feature.geometry || feature.geometry.type !== "Point") {
        return;
      }
      var coordinates = feature.geometry.coordinates; // GeoJSON: [longitude, latitude]
      var properties = feature.properties;
      var marker = L.circleMarker([coordinates[1], coordinates[0]], {
        radius: 10,
        color: "#ffffff",
        weight: 2,
        fillColor: properties.colour || "#1d6b4f",
        fillOpacity: 0.9,
        className: "commons-marker commons-marker-" + properties.category_slug,
      });
      marker.feature = feature;
      marker.bindPopup(popupFor(properties));
      marker.bindTooltip(properties.name);
      group.addLayer(marker);
      located += 1;
    });
    // Frame the markers before showing them, without animation, so they stay where they appear.
    if (located === 1) {
      map.setView(group.getLayers()[0].getLatLng(), 15, { animate: false });
    } else if (located > 1) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
    }
    group.addTo(map);
    element.setAttribute("data-markers", String(located));
    if (status) {
      status.textContent = element.getAttribute("data-loaded-" + (located ? "some" : "none")) || "";
      status.textContent = status.textContent.replace("{count}", String(located));
    }
  }

  // The network layer: neighbours' commons, off by default, loaded the first time it is turned on.
  var toggle = document.getElementById("network-layer-toggle");
  if (toggle && !archived) {
    var networkLayer = null;
    var legend = document.getElementById("network-legend");
    document.getElementById("network-toggle-row").hidden = false;
    var showNetwork = function (data) {
      networkLayer = L.featureGroup();
      (data.features || []).forEach(function (feature) {
        if (!feature.geometry || feature.geometry.type !== "Point") {
          return;
        }
        var coordinates = feature.geometry.coordinates;
        var properties = feature.properties || {};
        var marker = L.circleMarker([coordinates[1], coordinates[0]], {
          radius: 8,
          color: "#ffffff",
          weight: 2,
          fillColor: "#7b3fa0",
          fillOpacity: 0.9,
          className: "network-marker",
        });
        var box = popupFor({
          url: properties.url,
          name: properties.name,
          category: (toggle.getAttribute("data-source") || "") + " " + ((properties.source || {}).name || ""),
          summary: properties.summary || "",
        });
        box.querySelectorAll("a").forEach(function (link) {
          link.rel = "nofollow noopener";
        });
        marker.bindPopup(box);
        marker.bindTooltip(properties.name || "");
        networkLayer.addLayer(marker);
      });
      element.setAttribute("data-network-markers", String(networkLayer.getLayers().length));
    };
    toggle.addEventListener("change", function () {
      if (legend) {
        legend.hidden = !toggle.checked;
      }
      if (!toggle.checked) {
        if (networkLayer) {
          map.removeLayer(networkLayer);
        }
        return;
      }
      if (networkLayer) {
        networkLayer.addTo(map);
        return;
      }
      fetch(toggle.getAttribute("data-url"), { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          showNetwork(data);
          if (toggle.checked) {
            networkLayer.addTo(map);
            // Frame ours and theirs together, so that the neighbours come into view.
            if (networkLayer.getLayers().length) {
              var bounds = networkLayer.getBounds();
              if (group.getLayers().length) {
                bounds.extend(group.getBounds());
              }
              map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
            }
          }
        })
        .catch(function () {
          if (status) {
            status.textContent = toggle.getAttribute("data-failed") || "";
          }
        });
    });
  }

  if (archived) {
    show(archived);
    return;
  }
  fetch(config.dataUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(show)
    .catch(function () {
      element.classList.add("commons-map-failed");
      if (status) {
        status.textContent = element.getAttribute("data-failed") || "";
      }
    });
})();
