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
