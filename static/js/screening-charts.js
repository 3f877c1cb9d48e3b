// Small line charts of an afdeling's or an area's screening figures over the years. The data comes from a
// <script type="application/json"> made by Django's json_script; the same numbers are in a table on the page.
// A series may carry the official criteria's threshold lines (a constant dataset each, dashed, named in the
// legend, e.g. "Grænse 40 %") and a projected value for the last year (the area's early warning).
(function () {
  "use strict";

  function padded(values, length) {
    var result = values.slice();
    while (result.length < length) {
      result.push(null);
    }
    return result;
  }

  function datasets(series, length) {
    var sets = [{
      label: series.navn,
      data: padded(series.values, length),
      borderColor: "#004993",
      backgroundColor: "#004993",
      spanGaps: false,
      tension: 0,
    }];
    if (series.projection !== null && series.projection !== undefined) {
      // A dashed line from the last round to the projected value at the next list.
      var projected = padded([], length);
      projected[series.values.length - 1] = series.values[series.values.length - 1];
      projected[length - 1] = series.projection;
      sets.push({
        label: "Prognose",
        data: projected,
        borderColor: "#b35c00",
        backgroundColor: "#b35c00",
        borderDash: [6, 4],
        spanGaps: true,
        tension: 0,
      });
    }
    (series.thresholds || []).forEach(function (threshold, index) {
      sets.push({
        label: threshold.label,
        threshold: true,
        data: padded([], length).map(function () { return threshold.value; }),
        borderColor: index === 0 ? "#a6192e" : "#6f6f6f",
        borderDash: [2, 3],
        borderWidth: 1,
        pointRadius: 0,
        tension: 0,
      });
    });
    return sets;
  }

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
        data: { labels: data.years, datasets: datasets(series, data.years.length) },
        options: {
          animation: false,
          // Danish numbers on the axes and in the tooltips: 1.200 and 44,5, as on the page.
          locale: "da-DK",
          maintainAspectRatio: false,
          plugins: {
            // Only the threshold lines are named under the chart: the figure's own line is the caption's.
            legend: {
              display: (series.thresholds || []).length > 0,
              position: "bottom",
              labels: {
                boxHeight: 0,
                filter: function (item, chart) { return chart.datasets[item.datasetIndex].threshold; },
              },
            },
          },
          scales: {
            y: { beginAtZero: Boolean(series.zero), ticks: series.whole ? { precision: 0 } : {} },
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(draw);
  });
})();
