// Draws every chart on the page from the figure JSON the server put there with json_script.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "ko";
  var config = {
    responsive: true,
    displaylogo: false,
    locale: lang === "ko" ? "ko" : "en",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 }
  };
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var data = document.getElementById(el.dataset.figure);
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      el.classList.add("drawn");
    });
  });
}());
