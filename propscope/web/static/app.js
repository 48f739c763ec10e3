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

// The search's facets, folded behind their button on a phone: once opened they stay open for the session, so
// that choosing a facet (a new page) does not fold them again; folded again, they stay folded.
(function () {
  var facets = document.getElementById("facets");
  if (!facets) { return; }
  var key = "propscope-facets-open";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  if (store && store.getItem(key) === "1") { facets.open = true; }
  facets.addEventListener("toggle", function () {
    if (store) { store.setItem(key, facets.open ? "1" : "0"); }
  });
})();
