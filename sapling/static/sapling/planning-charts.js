// Draws the planning page's charts with Plotly, from the page's JSON data block
// (#planning-chart-data). No inline script or style: the CSP allows neither. The charts
// are pictures of the tables beside them, so they are hidden from screen readers, take no
// keyboard focus (no mode bar) and never trap it.
(function () {
  "use strict";

  // NHS identity colours, with a dash pattern each so that colour is not the only cue.
  var LINES = [
    { color: "#005eb8", dash: "solid", fill: "rgba(0, 94, 184, 0.15)" },
    { color: "#d5281b", dash: "dash", fill: "rgba(213, 40, 27, 0.15)" },
    { color: "#007f3b", dash: "dot", fill: "rgba(0, 127, 59, 0.15)" },
    { color: "#330072", dash: "dashdot", fill: "rgba(51, 0, 114, 0.15)" },
  ];

  function traces(data, measure) {
    var out = [];
    data.scenarios.forEach(function (scenario, index) {
      var line = LINES[index % LINES.length];
      var series = scenario[measure];
      out.push({
        x: data.weeks, y: series.low, mode: "lines", line: { width: 0 },
        hoverinfo: "skip", showlegend: false, legendgroup: String(index),
      });
      out.push({
        x: data.weeks, y: series.high, mode: "lines", line: { width: 0 }, fill: "tonexty",
        fillcolor: line.fill, hoverinfo: "skip", showlegend: false, legendgroup: String(index),
      });
      out.push({
        x: data.weeks, y: series.median, mode: "lines", name: scenario.name,
        line: { color: line.color, dash: line.dash, width: 3 }, legendgroup: String(index),
      });
    });
    return out;
  }

  function draw() {
    var source = document.getElementById("planning-chart-data");
    if (!source || !window.Plotly) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = {};
    data.measures.forEach(function (m) { labels[m.key] = m.label; });
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var measure = element.getAttribute("data-chart");
      var layout = {
        height: 360,
        margin: { l: 60, r: 20, t: 40, b: 50 },
        font: { family: "Arial, sans-serif", size: 14, color: "#212b32" },
        xaxis: { title: { text: document.documentElement.lang === "cy" ? "Wythnos" : "Week" } },
        yaxis: { title: { text: labels[measure] }, rangemode: "tozero" },
        legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
        hovermode: "x unified",
      };
      window.Plotly.newPlot(element, traces(data, measure), layout, {
        displayModeBar: false, responsive: true, displaylogo: false,
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
