// Registers the gatherings' service worker, so that the programme and one's own programme open
// offline once loaded. Without JavaScript (or without service workers) the pages work online.
(function () {
  "use strict";
  var element = document.querySelector("[data-programme-worker]");
  if (!element || !navigator.serviceWorker) return;
  navigator.serviceWorker
    .register(element.dataset.programmeWorker, { scope: element.dataset.scope })
    .catch(function () {});
})();
