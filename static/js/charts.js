// Draws every chart on the page from the figure JSON the server put there with json_script.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "ko";
  var config = {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    locale: lang === "ko" ? "ko" : "en",
    // One button, to save the chart for a report: fewer tab stops than plotly's whole toolbar.
    modeBarButtons: [["toImage"]],
    toImageButtonOptions: { format: "png", scale: 2 }
  };
  var charts = [];
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var data = document.getElementById(el.dataset.figure);
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    charts.push(el);
    window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      el.classList.add("drawn");
    });
  });
  // Charts are drawn at the screen's width; redraw them at the paper's width for printing.
  function resizeAll() {
    charts.forEach(function (el) { window.Plotly.Plots.resize(el); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
}());
