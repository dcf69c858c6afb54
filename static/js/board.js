/* The application board: drag cards between and within columns (SortableJS); each drop is
   POSTed with htmx to the card's move URL (stage + position). Without JavaScript every card
   has a stage menu and a Move button that do the same with a plain form POST. */
(function () {
  "use strict";

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.hasAttribute("data-card");
    });
  }

  function updateCounts(board) {
    board.querySelectorAll("[data-column]").forEach(function (column) {
      var list = column.querySelector("[data-board-column]");
      var count = column.querySelector("[data-count]");
      if (list && count) {
        var n = cardsOf(list).length;
        count.textContent = n;
        count.setAttribute("aria-label", n + (n === 1 ? " application" : " applications"));
      }
    });
  }

  function syncMenu(card, stageId) {
    var select = card.querySelector("select[name=stage]");
    if (select) select.value = stageId;
  }

  function init() {
    var board = document.querySelector("[data-board]");
    if (!board || typeof Sortable === "undefined" || typeof htmx === "undefined") return;
    var status = document.getElementById("board-status");
    board.classList.add("is-draggable");

    board.querySelectorAll("[data-board-column]").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        draggable: "[data-card]",
        filter: "select, button, option, label, input",
        preventOnFilter: false,
        delay: 200,
        delayOnTouchOnly: true,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        dragClass: "board-card-drag",
        onEnd: function (evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          var card = evt.item;
          var stageId = evt.to.getAttribute("data-stage-id");
          var position = cardsOf(evt.to).indexOf(card);
          syncMenu(card, stageId);
          updateCounts(board);
          if (status) status.textContent = "Saving…";
          htmx.ajax("POST", card.getAttribute("data-move-url"), {
            source: card,
            target: "#board-status",
            swap: "innerHTML",
            values: { stage: stageId, position: position },
          });
        },
      });
    });

    document.body.addEventListener("htmx:responseError", function (evt) {
      if (!board.contains(evt.detail.elt) && evt.detail.elt !== document.body) return;
      if (status) status.textContent = "That move did not save: " + (evt.detail.xhr.responseText || "error") + " Reloading…";
      window.setTimeout(function () { window.location.reload(); }, 1500);
    });
    document.body.addEventListener("htmx:sendError", function () {
      if (status) status.textContent = "You seem to be offline; the move did not save. Reloading…";
      window.setTimeout(function () { window.location.reload(); }, 2000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
