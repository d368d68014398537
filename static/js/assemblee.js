// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // Confirm destructive actions marked with data-confirm (forms still work without JavaScript).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // A 503 page in the layout (a read-only season, a database restarting) replaces the page, as it
  // would after a plain form's submit, instead of being ignored as htmx ignores errors by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = document.body;
      event.detail.swapOverride = "innerHTML";
    }
  });
  // The header's menu is open on wide screens by CSS (::details-content); older browsers without
  // that selector get it opened here instead.
  var supportsDetailsContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!supportsDetailsContent && window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll(".site-menu").forEach(function (menu) {
      menu.open = true;
    });
  }
})();
