// Draws a Chart.js chart from the accessible table inside each <figure data-chart> (the table stays as the
// text alternative). Data never sits in a script: CSP allows scripts from 'self' only.
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#c2571a", "#2e7d32", "#6a3d9a", "#8c6d1f", "#b03060", "#00796b", "#555555"];

  function readTable(figure) {
    var labels = [];
    var values = [];
    figure.querySelectorAll(".chart__table tbody tr").forEach(function (tr) {
      var th = tr.querySelector("th");
      var td = tr.querySelector("td[data-value]");
      if (!th || !td) return;
      labels.push(th.textContent.trim());
      values.push(td.dataset.value === "" ? null : Number(td.dataset.value));
    });
    return { labels: labels, values: values };
  }

  function draw(figure) {
    var canvas = figure.querySelector("canvas");
    if (!canvas || typeof Chart === "undefined") return;
    var data = readTable(figure);
    if (!data.labels.length) {
      figure.querySelector(".chart__canvas").classList.remove("js-only");
      figure.querySelector(".chart__canvas").hidden = true;
      return;
    }
    var kind = figure.dataset.chart === "line" ? "line" : "bar";
    var title = figure.querySelector("figcaption").textContent.trim();
    new Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: [{
          label: title,
          data: data.values,
          backgroundColor: kind === "bar" ? data.labels.map(function (_, i) { return COLOURS[i % COLOURS.length]; }) : COLOURS[0],
          borderColor: COLOURS[0],
          spanGaps: false
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-chart]").forEach(draw);
  });
})();
