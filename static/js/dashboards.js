/* The KPI dashboards' charts (Chart.js, vendored): each <canvas data-chart="ID"> is drawn from
   the JSON of <script id="ID" type="application/json"> (Django's json_script): no inline script,
   so the strict Content-Security-Policy holds. The same figures are in a table beside each chart. */
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart !== "function") return;
    var spec = JSON.parse(source.textContent);
    var stacked = Boolean(spec.stacked);
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set) {
          return { label: set.label, data: set.data, backgroundColor: set.colour, borderColor: set.colour };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }
  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
