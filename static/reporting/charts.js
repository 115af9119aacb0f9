/* Draws each dashboard chart from the JSON beside its table (reporting/dashboards/partials/_table.html).
   The tables carry the same numbers, so the page is complete without JavaScript. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var lang = document.documentElement.lang || "vi";
  Chart.defaults.locale = lang.indexOf("en") === 0 ? "en-GB" : "vi-VN";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  var number = new Intl.NumberFormat(Chart.defaults.locale, { maximumFractionDigits: 1 });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    // The height comes as data, not a style attribute, which the Content Security Policy refuses.
    var figure = canvas.closest("figure[data-height]");
    if (figure) { figure.style.height = figure.getAttribute("data-height") + "px"; }
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { position: "bottom", display: spec.data.datasets.length > 1 || spec.type === "doughnut" },
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = context.parsed && typeof context.parsed === "object"
                ? (spec.horizontal ? context.parsed.x : context.parsed.y)
                : context.parsed;
              return context.dataset.label + ": " + number.format(value) + (spec.percent ? "%" : "");
            }
          }
        }
      }
    };
    if (spec.type === "bar") {
      var valueAxis = { stacked: !!spec.stacked, beginAtZero: true,
        ticks: { callback: function (value) { return number.format(value) + (spec.percent ? "%" : ""); } } };
      if (spec.percent) { valueAxis.max = 100; }
      if (spec.whole) { valueAxis.ticks.precision = 0; }
      var labelAxis = { stacked: !!spec.stacked, ticks: { autoSkip: false } };
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    new Chart(canvas, { type: spec.type, data: spec.data, options: options });
  });
})();
