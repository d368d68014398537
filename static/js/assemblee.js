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
})();
