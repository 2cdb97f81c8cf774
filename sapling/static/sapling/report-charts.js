// Draws the service dashboard's charts with Plotly, from the page's JSON data block
// (#report-chart-data), into each [data-report-chart] element. No inline script or style:
// the CSP allows neither. A chart is a picture of the table beside it, so it is hidden
// from screen readers, takes no keyboard focus (no mode bar) and never traps it.
(function () {
  "use strict";

  // NHS identity colours. Colour is never the only cue: each line has its own dash and
  // marker, each bar its own fill pattern, and the legend shows them.
  var COLOURS = ["#005eb8", "#d5281b", "#007f3b", "#330072", "#ed8b00", "#00a499", "#7c2855", "#425563"];
  var DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];
  var MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down"];
  var PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"];

  function fade(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", 0.15)";
  }

  function lineTraces(chart) {
    var out = [];
    chart.series.forEach(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      if (series.low && series.high) {
        out.push({
          x: chart.x, y: series.low, mode: "lines", line: { width: 0 },
          hoverinfo: "skip", showlegend: false, legendgroup: String(index),
        });
        out.push({
          x: chart.x, y: series.high, mode: "lines", line: { width: 0 }, fill: "tonexty",
          fillcolor: fade(colour), hoverinfo: "skip", showlegend: false,
          legendgroup: String(index),
        });
      }
      out.push({
        x: chart.x, y: series.y, name: series.name, mode: "lines+markers",
        line: { color: colour, dash: DASHES[index % DASHES.length], width: 3 },
        marker: { symbol: MARKERS[index % MARKERS.length], size: 8, color: colour },
        legendgroup: String(index),
      });
    });
    return out;
  }

  // Many categories or long names (ethnicities, programmes) read better as horizontal
  // bars, with the names down the side instead of slanted along the bottom.
  function horizontal(chart) {
    var categories = chart.x.length > 0 && typeof chart.x[0] === "string" &&
      !/^\d{4}-\d{2}(-\d{2})?$/.test(chart.x[0]);
    return chart.kind === "bar" && categories &&
      chart.x.some(function (x) { return String(x).length > 16; });
  }

  function barTraces(chart) {
    var across = horizontal(chart);
    return chart.series.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        type: "bar", name: series.name,
        x: across ? series.y : chart.x, y: across ? chart.x : series.y,
        orientation: across ? "h" : "v",
        marker: {
          color: colour,
          line: { color: "#212b32", width: 1 },
          pattern: {
            shape: PATTERNS[index % PATTERNS.length], fillmode: "replace",
            bgcolor: colour, fgcolor: "#ffffff", size: 8, solidity: 0.35,
          },
        },
      };
    });
  }

  function layout(chart) {
    var across = horizontal(chart);
    var slanted = !across && (chart.x.length > 8 || chart.x.some(function (x) { return String(x).length > 12; }));
    var categoryAxis = { title: { text: chart.x_title }, automargin: true, tickangle: slanted ? -35 : 0 };
    var valueAxis = { title: { text: chart.y_title }, rangemode: "tozero", automargin: true };
    var bars = across ? chart.x.length * Math.max(chart.series.length, 1) : 0;
    return {
      height: across ? Math.max(380, 120 + bars * 18) : 380,
      margin: { l: 64, r: 20, t: 40, b: 60 },
      font: { family: "Arial, sans-serif", size: 14, color: "#212b32" },
      xaxis: across ? valueAxis : categoryAxis,
      yaxis: across ? Object.assign(categoryAxis, { autorange: "reversed", tickangle: 0 }) : valueAxis,
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      showlegend: chart.series.length > 1,
      // Counts of many kinds (referrals by source) stack to their total; measures side by side.
      barmode: chart.stacked ? "stack" : "group",
      hovermode: across ? "y unified" : "x unified",
    };
  }

  function draw() {
    var source = document.getElementById("report-chart-data");
    if (!source || !window.Plotly) {
      return;
    }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("[data-report-chart]").forEach(function (element) {
      var chart = charts[element.getAttribute("data-report-chart")];
      if (!chart) {
        return;
      }
      var traces = chart.kind === "bar" ? barTraces(chart) : lineTraces(chart);
      window.Plotly.newPlot(element, traces, layout(chart), {
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
