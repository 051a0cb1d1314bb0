// Small behaviours every page shares; the pages read fine without them.
(function () {
  "use strict";

  // A table wider than its box says so above it ("scroll sideways for more columns").
  function markOverflow() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      box.classList.toggle("overflowing", box.scrollWidth > box.clientWidth + 1);
    });
  }
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    var hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.textContent = document.body.dataset.scrollHint || "";
    box.prepend(hint);
  });
  markOverflow();
  window.addEventListener("resize", markOverflow);
  document.addEventListener("toggle", markOverflow, true);

  // A figure's source link lands on its row: bring the row's table header into view with it.
  function showTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (!row || row.tagName !== "TR") { return; }
    var table = row.closest("table");
    var top = table.getBoundingClientRect().top;
    var bottom = row.getBoundingClientRect().bottom;
    if (bottom - top < window.innerHeight * 0.9) {
      window.scrollBy(0, top - 8);
    }
  }
  window.addEventListener("hashchange", showTarget);
  window.addEventListener("load", showTarget);

  // The printed page says when it was printed, not when it was loaded.
  window.addEventListener("beforeprint", function () {
    var stamp = document.querySelector(".print-date");
    if (stamp) {
      stamp.textContent = new Date().toLocaleDateString(document.documentElement.lang, {
        year: "numeric", month: "long", day: "numeric"
      });
    }
  });
}());
