/* The search page (/jobs/): the split view and the filter sheet. Everything works without this
   file: cards link to the posting pages, the filters are a <details> that opens by itself. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 1024px)");
  var phone = window.matchMedia("(max-width: 640px)");
  var sheetOpen = false; // the sheet's state on phones, kept across the results' swaps

  function syncSheet() {
    var sheet = document.getElementById("filters");
    if (!sheet) return;
    // Beside the results the filters stay open; on phones the sheet is closed until asked for.
    sheet.open = phone.matches ? sheetOpen : true;
  }

  document.addEventListener("toggle", function (e) {
    if (e.target.id === "filters" && phone.matches) sheetOpen = e.target.open;
  }, true);

  // Narrower than the split view, a card's link opens the posting's page.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var link = e.detail.elt;
    if (link.hasAttribute && link.hasAttribute("data-pane-link") && !wide.matches) {
      e.preventDefault();
      window.location.href = link.href;
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target.id === "detail-pane") {
      var current = e.detail.requestConfig && e.detail.requestConfig.elt;
      document.querySelectorAll(".result-card").forEach(function (card) {
        var link = card.querySelector("[data-pane-link]");
        var on = link === current;
        card.classList.toggle("is-selected", on);
        if (link) { if (on) link.setAttribute("aria-current", "true"); else link.removeAttribute("aria-current"); }
      });
    } else {
      syncSheet();
    }
  });

  // Fast toggling: the form's hx-sync is "queue last", because "replace" aborts the request in
  // flight and htmx logs every abort (htmx:sendAbort) as a console error. A response to a
  // search the reader has since changed is not swapped in (it would untick what was just
  // ticked); the queued request brings the current one.
  var changes = 0;
  function changed(e) {
    var el = e.target;
    if (!el.form || el.form.id !== "search-form") return;
    if (e.type === "input" && el.id !== "search-q" && el.id !== "search-location") return;
    changes++;
  }
  document.addEventListener("input", changed, true);
  document.addEventListener("change", changed, true);
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.target && e.detail.target.id === "results") e.detail.xhr._searchChanges = changes;
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    var seen = e.detail.xhr && e.detail.xhr._searchChanges;
    if (seen !== undefined && seen < changes) e.detail.shouldSwap = false;
  });

  phone.addEventListener("change", syncSheet);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", syncSheet);
  else syncSheet();
})();
