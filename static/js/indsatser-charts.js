// Charts of goals and benchmarks, drawn with Chart.js from the JSON in each canvas's data-indsatser-chart
// attribute (htmx drops <script> elements from the fragments it swaps in, so the data travels on the
// canvas itself). The same numbers are always in a table beside the chart.
(function () {
  "use strict";

  var STYLES = {
    measured: { borderColor: "#004993", backgroundColor: "#004993", borderDash: [], pointRadius: 4 },
    target: { borderColor: "#b35900", backgroundColor: "#e8a56b", borderDash: [6, 4], pointRadius: 3 },
    baseline: { borderColor: "#6a6a6a", backgroundColor: "#6a6a6a", borderDash: [2, 3], pointRadius: 0 }
  };

  function draw(canvas) {
    if (!window.Chart || window.Chart.getChart(canvas)) {
      return;
    }
    var data = JSON.parse(canvas.getAttribute("data-indsatser-chart"));
    var type = data.type || "line";
    var datasets = data.series.map(function (series) {
      var style = STYLES[series.kind] || STYLES.measured;
      return {
        label: series.label,
        data: series.data,
        borderColor: style.borderColor,
        backgroundColor: style.backgroundColor,
        borderDash: type === "line" ? style.borderDash : [],
        pointRadius: style.pointRadius,
        borderWidth: 2,
        spanGaps: true
      };
    });
    new window.Chart(canvas, {
      type: type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "da-DK",
        plugins: { legend: { position: "bottom" } },
        scales: { y: { title: { display: Boolean(data.unit), text: data.unit } } }
      }
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-indsatser-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  // Sections edited in place with htmx bring new charts along.
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.detail.elt && event.detail.elt.querySelectorAll ? event.detail.elt : document);
  });
})();
