// Hợp Lực — the little JavaScript the pages use. No inline scripts anywhere (the Content
// Security Policy forbids them): behaviour is attached here by data attributes.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// The top bar's menu (templates/base.html) is a <details>: folded on narrow screens, open on
// wide ones, where the CSS hides its button. Browsers without ::details-content need it opened.
(function () {
  var menu = document.querySelector("[data-navmenu]");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 1100px)");
  function follow() { if (wide.matches) menu.open = true; }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();

// A wide table scrolls inside its own box on a phone (app.css); such a box must be reachable
// by keyboard to scroll it, so it joins the tab order while it overflows.
(function () {
  function focusable() {
    var tables = document.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.scrollWidth > table.clientWidth + 1) {
        if (!table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    }
  }
  focusable();
  window.addEventListener("resize", focusable);
  document.addEventListener("htmx:afterSwap", focusable);
})();

// Searchable pickers: a multi-select marked data-picker becomes a search box over a list of
// checkboxes kept in step with the (hidden) select, which the form still submits. The search
// ignores tone marks, đ/d, case and an apostrophe or hyphen inside a word (as core.text does).
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/(\p{L})['’ʼ‘`´\-‐](?=\p{L})/gu, "$1");
  }
  function enhance(root) {
    var selects = root.querySelectorAll("select[multiple][data-picker]:not([data-picker-ready])");
    Array.prototype.forEach.call(selects, picker);
  }
  function picker(select) {
    select.setAttribute("data-picker-ready", "");
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = select.getAttribute("data-picker");
    var label = select.labels && select.labels[0];
    search.setAttribute("aria-label", (label ? label.textContent.trim() + ": " : "") + search.placeholder);
    if (select.id) { search.id = select.id + "_search"; if (label) { label.htmlFor = search.id; } }
    var list = document.createElement("ul");
    list.className = "picker-list";
    Array.prototype.forEach.call(select.options, function (option) {
      var item = document.createElement("li");
      var choice = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = option.value;
      box.checked = option.selected;
      box.addEventListener("change", function () { option.selected = box.checked; });
      choice.appendChild(box);
      choice.appendChild(document.createTextNode(" " + option.text));
      item.appendChild(choice);
      item.setAttribute("data-key", fold(option.text));
      list.appendChild(item);
    });
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(list.children, function (item) {
        var key = item.getAttribute("data-key");
        item.hidden = !words.every(function (word) { return key.indexOf(word) >= 0; });
      });
    });
    wrapper.appendChild(search);
    wrapper.appendChild(list);
    select.hidden = true;
    select.parentNode.insertBefore(wrapper, select.nextSibling);
  }
  enhance(document);
  // Forms opened in place by htmx (the activity form on the plan page).
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();

// Search-as-you-type combobox (cooperatives.picker.CooperativePickerWidget): a text box marked
// data-search-url asks that URL (?q=…) for at most 20 matches while one types, shows them in a
// listbox under the box (ARIA combobox: arrow keys, Enter, Escape, or a click) and writes the
// chosen one's id into the hidden input data-search-target names. Typing again clears the id,
// so the server then reads the text (a code or an exact name) as it does without JavaScript.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, "");
  }
  function enhance(root) {
    var boxes = root.querySelectorAll("input[data-search-url]:not([data-search-ready])");
    Array.prototype.forEach.call(boxes, combobox);
  }
  function combobox(input) {
    input.setAttribute("data-search-ready", "");
    var hidden = document.getElementById(input.getAttribute("data-search-target"));
    var list = document.createElement("ul");
    list.id = input.id + "_results";
    list.className = "combo-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = input.labels && input.labels[0];
    if (label) list.setAttribute("aria-label", label.textContent.trim());
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var results = [], active = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var items = list.children;
      if (!items.length) return;
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(index) {
      var chosen = results[index];
      if (!chosen) return;
      input.value = chosen.label;
      if (hidden) hidden.value = chosen.id;
      close();
    }
    function show(found, more) {
      results = found;
      list.textContent = "";
      found.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = list.id + "_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        if (result.place) {
          var place = document.createElement("small");
          place.textContent = " · " + result.place;
          item.appendChild(place);
        }
        // mousedown, not click: the box must not lose its focus (and close the list) first.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      var message = found.length
        ? input.getAttribute("data-search-found").replace("%(n)s", found.length)
        : input.getAttribute("data-search-none");
      if (more) message += " " + input.getAttribute("data-search-more");
      status.textContent = message;
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
    }
    function search() {
      var words = input.value.trim();
      if (fold(words).length < 2) { close(); results = []; return; }
      var url = new URL(input.getAttribute("data-search-url"), window.location.href);
      url.searchParams.set("q", words);
      var ticket = ++asked;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && ticket === asked) show(data.results, data.more);
        })
        .catch(function () { /* the plain text box still works */ });
    }
    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) { if (results.length) show(results, false); else search(); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // choose, do not submit the form yet
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    input.parentNode.insertBefore(list, input.nextSibling);
    input.parentNode.insertBefore(status, list.nextSibling);
  }
  enhance(document);
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
