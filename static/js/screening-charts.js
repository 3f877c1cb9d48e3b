// Small line charts of an afdeling's screening figures over the years. The data comes from a
// <script type="application/json"> made by Django's json_script; the same numbers are in a table on the page.
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.chartSource);
    if (!source || typeof window.Chart !== "function") {
      return;
    }
    var data = JSON.parse(source.textContent);
    data.series.forEach(function (series) {
      var figure = document.createElement("figure");
      figure.className = "screening-chart";
      var caption = document.createElement("figcaption");
      caption.textContent = series.navn + (series.enhed ? " (" + series.enhed + ")" : "");
      var frame = document.createElement("div");
      frame.className = "screening-chart-frame";
      var canvas = document.createElement("canvas");
      frame.appendChild(canvas);
      figure.appendChild(caption);
      figure.appendChild(frame);
      container.appendChild(figure);
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.years,
          datasets: [{
            label: series.navn,
            data: series.values,
            borderColor: "#004993",
            backgroundColor: "#004993",
            spanGaps: false,
            tension: 0.2,
          }],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: false } },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(draw);
  });
})();
