// Highlight layers on the article page: each checkbox switches one layer; the choice is kept per browser.
(function () {
  var boxes = document.querySelectorAll("input[data-layer]");
  boxes.forEach(function (box) {
    var layer = box.getAttribute("data-layer");
    var saved = window.localStorage ? localStorage.getItem("propscope-layer-" + layer) : null;
    if (saved !== null) { box.checked = saved === "1"; }
    var apply = function () {
      document.body.classList.toggle("show-" + layer, box.checked);
      if (window.localStorage) { localStorage.setItem("propscope-layer-" + layer, box.checked ? "1" : "0"); }
    };
    box.addEventListener("change", apply);
    apply();
  });
})();
