// Job summary: "Show" buttons highlight the sentence of the posting an item was drawn from.
// Each item carries data-quote (its text) or data-span; the posting's text is searched for the
// quote (the spans are offsets into the server's plain text, kept for other consumers).
(function () {
  "use strict";
  if (window.jobSummaryLoaded) return; // the partial may be swapped in more than once
  window.jobSummaryLoaded = true;
  var norm = function (s) { return (s || "").replace(/\s+/g, " ").trim().toLowerCase(); };
  var words = function (s) { return norm(s).split(/[^\p{L}\p{N}+#]+/u).filter(function (w) { return w.length > 2; }); };

  function source() {
    return document.querySelector("[data-summary-source]") || document.querySelector(".posting-description") || document.querySelector("main");
  }

  function candidates(root) {
    return Array.prototype.filter.call(root.querySelectorAll("p, li, h2, h3, h4, dd, td, pre, blockquote"), function (el) {
      return !el.closest("[data-summary]") && !el.querySelector("p, li");
    });
  }

  function best(quote, root) {
    var q = norm(quote), qw = words(quote), top = null, topScore = 0;
    candidates(root).forEach(function (el) {
      var t = norm(el.textContent);
      if (!t) return;
      var score = t.indexOf(q) >= 0 ? 2 : 0;
      if (!score && qw.length) {
        var hits = qw.filter(function (w) { return t.indexOf(w) >= 0; }).length;
        score = hits / qw.length;
      }
      if (score > topScore) { top = el; topScore = score; }
    });
    return topScore >= 0.6 ? top : null;
  }

  function clear() {
    document.querySelectorAll("mark.summary-highlight").forEach(function (m) {
      m.replaceWith(document.createTextNode(m.textContent));
    });
    document.querySelectorAll(".summary-highlight").forEach(function (el) { el.classList.remove("summary-highlight"); });
  }

  function markIn(el, quote) {
    // Wrap the quote in <mark> when it lies in one text node; otherwise highlight the element.
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node, q = quote.trim();
    while ((node = walker.nextNode())) {
      var at = node.data.indexOf(q);
      if (at >= 0 && q.length < node.data.length) {
        var range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + q.length);
        var mark = document.createElement("mark");
        mark.className = "summary-highlight";
        range.surroundContents(mark);
        return mark;
      }
    }
    el.classList.add("summary-highlight");
    return el;
  }

  function show(button) {
    var holder = button.closest("[data-quote]");
    var quote = holder && holder.getAttribute("data-quote");
    var root = source();
    if (!quote || !root) return;
    clear();
    var el = best(quote, root);
    if (!el) return;
    var folded = el.closest("details");
    if (folded) folded.open = true; // the full description is folded under the summary
    var target = markIn(el, quote);
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.focus({ preventScroll: true });
  }

  function enable(scope) {
    (scope || document).querySelectorAll("[data-summary] .summary-cite").forEach(function (b) {
      var holder = b.closest("[data-span]");
      if (holder && holder.hasAttribute("data-quote")) b.hidden = false;
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".summary-cite");
    if (b) { e.preventDefault(); show(b); }
  });
  document.addEventListener("DOMContentLoaded", function () { enable(); });
  document.addEventListener("htmx:afterSwap", function (e) { enable(e.target); });
  if (document.readyState !== "loading") enable();
})();
