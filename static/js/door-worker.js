// The attendance sheet's service worker: it keeps the last copy of each sheet and of the static
// files it uses, so that the sheet still opens with no connection. Everything else, and every
// POST, goes to the network untouched (the page's own queue, door.js, holds ticks made offline).
"use strict";

var CACHE = "assemblee-door-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.headers.get("HX-Request")) return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var sheet = /^\/meetings\/\d+\/attendance\/$/.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!sheet && !asset) return;
  // A sheet is kept under its address without the search, which is the list of people expected.
  var key = sheet ? url.origin + url.pathname : request;
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok && !(sheet && url.search)) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            cache.put(key, copy);
          });
        }
        return response;
      })
      .catch(function () {
        return caches.match(key).then(function (cached) {
          return cached || Response.error();
        });
      })
  );
});
