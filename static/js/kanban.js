// Drag and drop on a chantier's board. Without this file every card still moves with its buttons
// (which stay usable from the keyboard); with it, a card can also be dragged to another place.
(function () {
  "use strict";
  var dragged = null;

  function board() {
    return document.querySelector("[data-board]");
  }

  function positionIn(list, y) {
    // The index among the list's other cards before which the pointer is.
    var cards = Array.prototype.filter.call(list.querySelectorAll("[data-card]"), function (card) {
      return card !== dragged;
    });
    for (var i = 0; i < cards.length; i += 1) {
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        return i;
      }
    }
    return cards.length;
  }

  function csrfToken() {
    var input = document.querySelector("#board input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-board] [data-card]");
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-card"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest("[data-board] [data-column]")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });

  document.addEventListener("drop", function (event) {
    var list = event.target.closest && event.target.closest("[data-board] [data-column]");
    if (!dragged || !list) {
      return;
    }
    event.preventDefault();
    var body = new FormData();
    body.append("to", list.getAttribute("data-column"));
    body.append("position", String(positionIn(list, event.clientY)));
    var url = dragged.getAttribute("data-move-url");
    var current = board();
    current.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Board": "1" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        current.outerHTML = html;
      })
      .catch(function () {
        // The server refused or could not be reached: reload to show the board as it is.
        window.location.reload();
      });
  });
})();
