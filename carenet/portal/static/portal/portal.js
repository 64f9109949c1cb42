// Progressive enhancement of portal pages; every page works without it.
(function () {
  "use strict";
  // Conditional survey questions: hide a question until its condition holds (the server checks too).
  function updateConditions(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var qid = box.getAttribute("data-show-if");
      if (!qid) return;
      var wanted = box.getAttribute("data-show-value");
      var inputs = form.querySelectorAll("[name='q" + qid + "']");
      var met = false;
      inputs.forEach(function (input) {
        if ((input.type === "radio" || input.type === "checkbox") && input.checked && input.value === wanted) met = true;
      });
      box.hidden = !met;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-survey]").forEach(function (form) {
      updateConditions(form);
      form.addEventListener("change", function () { updateConditions(form); });
    });
    // Survey result charts: data in a JSON script element, drawn with the vendored Chart.js.
    var data = document.getElementById("chart-data");
    if (data && window.Chart) {
      JSON.parse(data.textContent).forEach(function (item) {
        var canvas = document.getElementById("chart-" + item.id);
        if (!canvas) return;
        new window.Chart(canvas, {
          type: "bar",
          data: { labels: item.labels, datasets: [{ label: canvas.getAttribute("data-label"), data: item.values, backgroundColor: "#0b5394" }] },
          options: { indexAxis: "y", animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
        });
      });
    }
  });
})();
