// Draws every chart on the page from the figure JSON the server put there with json_script.
//
// Beside each interactive chart it draws a fixed-size copy for print (a redraw on `beforeprint`
// lands too late: the browser lays the page out first), and the PNG and SVG downloads are made
// from the same copy at a larger size, with the title, the axis titles and the source line drawn
// in, so a chart pasted into a report still says what it shows and where it comes from.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var Plotly = window.Plotly;
  var lang = document.documentElement.lang || "ko";
  var locale = lang === "ko" ? "ko" : "en";
  // A4 portrait less the print margins (see site.css), and a size for slides and reports.
  var PRINT = { width: 680, height: 330 };
  var DOWNLOAD = { width: 1000, height: 560 };
  var screenConfig = { responsive: true, displayModeBar: false, locale: locale };
  var staticConfig = { staticPlot: true, displayModeBar: false, locale: locale };

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  // The source line, broken between sources so that no line runs off the image.
  function wrap(text, width) {
    var budget = Math.max(30, Math.floor(width / 11));
    var lines = [];
    var line = "";
    text.split(", ").forEach(function (part, i) {
      var next = line ? line + ", " + part : part;
      if (line && next.length > budget) { lines.push(line + ","); line = part; } else { line = next; }
      if (i === 0 && line.length > budget) { lines.push(line); line = ""; }
    });
    if (line) { lines.push(line); }
    return lines.join("<br>");
  }

  // The chart as the reader now sees it (the cities added from the legend included), at a
  // fixed size, with the legend under the title and, for a download, the source line at the
  // bottom (on paper the figure's caption below it says so).
  function standalone(chart, size, withSource) {
    var figure = copy(chart.figure);
    var data = figure.data.map(function (trace, i) {
      var now = chart.el.data && chart.el.data[i];
      if (now && now.visible !== undefined) { trace.visible = now.visible; }
      return trace;
    }).filter(function (trace) { return trace.visible !== "legendonly"; });
    var layout = figure.layout;
    var source = withSource ? chart.el.dataset.sourceLine || "" : "";
    var lines = source ? wrap(source, size.width).split("<br>").length : 0;
    layout.width = size.width;
    layout.height = size.height;
    layout.autosize = false;
    layout.margin = { l: 72, r: 24, t: 84, b: 48 + 16 * lines };
    layout.legend = { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" };
    layout.showlegend = data.length > 1 || Boolean(data.length && data[0].showlegend !== false);
    layout.annotations = (layout.annotations || []).concat(source ? [{
      text: wrap(source, size.width), showarrow: false, align: "left",
      xref: "paper", yref: "paper", x: 0, xanchor: "left", y: 0, yanchor: "top", yshift: -34,
      font: { size: 11, color: "#5b6673" }
    }] : []);
    return { data: data, layout: layout };
  }

  function drawPrintCopy(chart) {
    var figure = standalone(chart, PRINT, false);
    return Plotly.react(chart.print, figure.data, figure.layout, staticConfig).then(function () {
      chart.print.classList.add("drawn");
    });
  }

  function download(chart, format) {
    var figure = standalone(chart, DOWNLOAD, true);
    var options = { format: format, width: DOWNLOAD.width, height: DOWNLOAD.height, scale: format === "png" ? 2 : 1 };
    return Plotly.toImage({ data: figure.data, layout: figure.layout, config: staticConfig }, options).then(function (url) {
      var link = document.createElement("a");
      link.href = url;
      link.download = (chart.el.dataset.filename || "chart") + "." + format;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  var charts = [];
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var data = document.getElementById(el.dataset.figure);
    if (!data) { return; }
    var print = document.createElement("div");
    print.className = "chart-print";
    print.setAttribute("aria-hidden", "true");
    el.after(print);
    charts.push({ el: el, print: print, figure: JSON.parse(data.textContent) });
  });

  charts.forEach(function (chart) {
    var figure = copy(chart.figure);
    Plotly.newPlot(chart.el, figure.data, figure.layout, screenConfig).then(function () {
      chart.el.classList.add("drawn");
      // The print copy follows the cities the reader adds or removes from the legend.
      chart.el.on("plotly_restyle", function () { drawPrintCopy(chart); });
      var actions = chart.el.parentNode.querySelector(".chart-actions");
      if (actions) { actions.hidden = false; }
      // After the screen's charts: the print copies are not needed before the page is read.
      window.setTimeout(function () { drawPrintCopy(chart); }, 0);
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-download]");
    if (!button) { return; }
    var chart = charts.find(function (c) { return c.el.id === button.dataset.chart; });
    if (chart) { download(chart, button.dataset.download); }
  });
}());
