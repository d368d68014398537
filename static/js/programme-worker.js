// A gathering's service worker: it keeps the last copy of each programme and of each person's own
// programme (now and next, the addresses and map links), and of the static files they use, so
// that they still open on the day with no connection. Network first; the copy only when offline.
"use strict";

var CACHE = "assemblee-gatherings-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = /^\/gatherings\/[^/]+\/(me|programme)\/$/.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!page && !asset) return;
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            cache.put(request, copy);
          });
        }
        return response;
      })
      .catch(function () {
        return caches.match(request).then(function (cached) {
          return cached || Response.error();
        });
      })
  );
});
