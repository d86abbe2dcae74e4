/* The search page's layout, apart from the search itself (search.js): the filters stand
   open beside the results from 768 px and fold under 「絞り込み」 below, so a phone shows
   results first; the folded heading names the filters chosen, so a reader sees that the
   results are narrowed without opening it. */
(function () {
  "use strict";
  var details = document.getElementById("search-filters");
  var chosen = document.getElementById("search-filters-chosen");
  if (!details || !chosen) return;
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : { matches: true };
  function fit() { details.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  // search.js draws the filters again after each search: read them when they change.
  function name() {
    var picked = Array.prototype.slice.call(details.querySelectorAll('input[type="radio"]:checked'))
      .filter(function (r) { return r.value; })
      .map(function (r) { var l = details.querySelector('label[for="' + r.id + '"]'); return l ? l.textContent.replace(/（\d+）$/, "") : r.value; });
    chosen.textContent = picked.length ? "（" + picked.join("・") + "）" : "";
  }
  new MutationObserver(name).observe(document.getElementById("search-facets"), { childList: true, subtree: true });
})();
