// The searchable picker (assembly/pickers.py) as a WAI-ARIA 1.2 combobox: as one types, a list of
// suggestions from the widget's JSON URL; arrows move, Enter or a click ticks the row (or, for one
// choice, checks its radio button), Escape closes. Without this file the picker is a search sent
// with the form, and works the same.
(function () {
  "use strict";
  if (window.assembleePicker) {
    return;
  }
  window.assembleePicker = true;

  function enhance(picker) {
    var input = picker.querySelector('input[type="search"]');
    var options = picker.querySelector(".picker-options");
    var button = picker.querySelector('button[type="submit"][name]');
    var searched = picker.querySelector('input[type="hidden"]');
    var multiple = picker.getAttribute("data-multiple") !== "false";
    var status = picker.querySelector("[aria-live]");
    var field = picker.getAttribute("data-field");
    var listbox = document.createElement("ul");
    var timer = null;
    var active = -1;
    var rows = [];

    listbox.id = input.id + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.labels.length ? input.labels[0].textContent : field);
    listbox.className = "picker-listbox";
    listbox.hidden = true;
    input.parentNode.appendChild(listbox);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    // The field and its twin together: the words left in the field never turn sending into a search.
    function clear() {
      input.value = "";
      searched.value = "";
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = listbox.children;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var row = rows[index];
      var box = options.querySelector('input[value="' + String(row.id) + '"]');
      if (!box) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        box = document.createElement("input");
        box.type = multiple ? "checkbox" : "radio";
        box.name = field;
        box.value = String(row.id);
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + row.label));
        item.appendChild(label);
        options.appendChild(item);
      }
      box.checked = true;
      status.textContent = row.label + " ✓";
      clear();
      close();
      input.focus();
    }

    function show(results) {
      rows = results;
      listbox.textContent = "";
      results.forEach(function (row, index) {
        var item = document.createElement("li");
        item.id = listbox.id + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = row.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(index);
        });
        listbox.appendChild(item);
      });
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function suggest() {
      var query = input.value.trim();
      if (query.length < 2) {
        show([]);
        return;
      }
      var base = picker.getAttribute("data-suggestions");
      var url = base + (base.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) { show(data.results || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      // Here the combobox searches: the words left in the field never turn sending into a search.
      searched.value = input.value;
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    input.addEventListener("keydown", function (event) {
      var count = listbox.children.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        if (listbox.hidden) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight((active + 1) % count);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        highlight(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        event.preventDefault(); // never the form's other buttons
        if (!listbox.hidden && active >= 0) {
          choose(active);
        } else {
          button.click(); // the search sent with the form, as without JavaScript
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else {
          clear();
        }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(enhance);
  });
})();
