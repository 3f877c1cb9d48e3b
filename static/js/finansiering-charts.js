// The financing chart: one stacked bar per year, one colour per party. The numbers come from a
// <script type="application/json"> made by Django's json_script, and the same numbers are in the table.
(function () {
  "use strict";

  var COLOURS = ["#004993", "#b35900", "#2e7d32", "#6a1b9a", "#00838f", "#6a6a6a"];

  function kroner(value) {
    return new Intl.NumberFormat("da-DK", { maximumFractionDigits: 0 }).format(value) + " kr.";
  }

  function draw() {
    var canvas = document.getElementById("finansiering-chart");
    var source = document.getElementById("finansiering-chart-data");
    if (!canvas || !source || !window.Chart || window.Chart.getChart(canvas)) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var datasets = data.datasets.map(function (dataset, index) {
      var colour = COLOURS[index % COLOURS.length];
      return { label: dataset.label, data: dataset.data, backgroundColor: colour, borderColor: colour };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "da-DK",
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + kroner(context.parsed.y);
              }
            }
          }
        },
        scales: {
          x: { stacked: true },
          y: { stacked: true, ticks: { callback: kroner } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
