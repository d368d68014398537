// The attendance sheet on bad Wi-Fi. A tick or walk-in made offline waits on this phone
// (localStorage), shown as "waiting to be sent", and is sent when the connection returns. Each
// carries an id made here (client_id): sent twice, by a retry or a replay, it counts once, and
// what the server refuses stays listed with its reason. Without JavaScript the forms post as usual.
(function () {
  "use strict";
  var sheet = document.getElementById("door");
  if (!sheet || !window.localStorage || !window.fetch) return;
  var KEY = "assemblee.door." + sheet.dataset.meeting;
  var box = document.getElementById("door-queue");
  var offlineNote = document.getElementById("door-offline");
  var sending = false;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) { return (b + 256).toString(16).slice(1); })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch (error) {
      return [];
    }
  }

  function save(items) {
    localStorage.setItem(KEY, JSON.stringify(items.slice(-200)));
    show(items);
  }

  function show(items) {
    offlineNote.textContent = sheet.dataset.offline;
    offlineNote.hidden = navigator.onLine;
    box.hidden = items.length === 0 && navigator.onLine;
    var list = box.querySelector("ul");
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "door-item door-" + item.status;
      li.dataset.clientId = item.id;
      var text = item.label + " — ";
      if (item.status === "refused") text += sheet.dataset.refused + " " + item.message;
      else text += sheet.dataset[item.status] || item.status;
      li.textContent = text;
      list.appendChild(li);
    });
  }

  function clientIdOf(form) {
    var input = form.querySelector("input[name=client_id]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "client_id";
      form.appendChild(input);
    }
    return input;
  }

  function labelOf(form) {
    var name = form.dataset.name || (form.querySelector("[name=display_name]") || {}).value || "";
    var where = form.querySelector("select[name=workshop]");
    if (where && where.value) name += " · " + where.options[where.selectedIndex].text;
    return name;
  }

  function enqueue(form, id) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "client_id") fields.push([name, value]);
    });
    fields.push(["client_id", id]);
    var items = load();
    if (items.some(function (item) { return item.id === id; })) return;
    items.push({ id: id, url: form.action, label: labelOf(form), fields: fields, status: "waiting" });
    save(items);
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function refreshPresent() {
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("attendance-present");
        var current = document.getElementById("attendance-present");
        if (fresh && current) current.replaceWith(fresh);
      })
      .catch(function () {});
  }

  function flush() {
    if (sending || !navigator.onLine) return;
    var waiting = load().filter(function (item) { return item.status === "waiting"; });
    if (!waiting.length) return;
    sending = true;
    var sent = 0;
    var next = function (index) {
      if (index >= waiting.length) {
        sending = false;
        if (sent) refreshPresent();
        return;
      }
      var item = waiting[index];
      var body = new URLSearchParams(item.fields);
      body.append("csrfmiddlewaretoken", csrfToken());
      fetch(item.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        body: body,
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === 0) return response.json();
          return { status: "refused", message: response.status + " " + response.statusText };
        })
        .then(function (answer) {
          var items = load();
          items.forEach(function (stored) {
            if (stored.id === item.id) {
              stored.status = answer.status;
              stored.message = answer.message;
            }
          });
          save(items);
          sent += 1;
          next(index + 1);
        })
        .catch(function () {
          // The connection dropped again: what is left waits for the next "online".
          sending = false;
          show(load());
        });
    };
    next(0);
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.classList.contains("tick-form") && !form.classList.contains("walk-in-form")) return;
      var input = clientIdOf(form);
      input.value = newId();
      if (navigator.onLine) return; // htmx or the plain form sends it, with its id
      event.preventDefault();
      event.stopImmediatePropagation();
      enqueue(form, input.value);
      if (form.classList.contains("walk-in-form")) form.reset();
    },
    true
  );

  // Online, but the request never reached the server: keep the tick, with the same id.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("tick-form")) {
      enqueue(form, clientIdOf(form).value);
    }
  });

  window.addEventListener("online", function () {
    show(load());
    flush();
  });
  window.addEventListener("offline", function () {
    show(load());
  });

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(sheet.dataset.worker, { scope: sheet.dataset.scope }).catch(function () {});
  }
  show(load());
  flush();
})();
