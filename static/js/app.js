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
