/* The application board.
   - Drag cards between and within columns (SortableJS); each drop is POSTed with htmx to the
     card's move URL (stage + position).
   - One shared card menu (#card-menu) for the whole board: a card's ⋯ link opens it inside that
     card, pointed at the card's move URL. Without JavaScript ⋯ is a link to the move page.
   - A card's title opens the application in the side panel (htmx fetches the page's `panel`
     partial); without JavaScript (or with a modifier key) it is the page.
   - On phones the column switcher shows one column at a time; without JavaScript its links
     (?stage=<key>) do the same with a page load. */
(function () {
  "use strict";

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.hasAttribute("data-card");
    });
  }

  function countLabel(n) {
    return n === 1 ? "1 application" : n + " applications";
  }

  function updateCounts(board) {
    board.querySelectorAll("[data-column]").forEach(function (column) {
      var list = column.querySelector("[data-board-column]");
      var count = column.querySelector("[data-count]");
      if (!list || !count) return;
      var n = cardsOf(list).length;
      count.textContent = n;
      count.setAttribute("aria-label", countLabel(n));
      var tab = document.querySelector('[data-switch="' + column.getAttribute("data-param") + '"] [data-switch-count]');
      if (tab) tab.textContent = n;
    });
  }

  // --- the column switcher (phones) -----------------------------------------------------
  function initSwitcher(board) {
    var links = document.querySelectorAll("[data-switch]");
    links.forEach(function (link) {
      link.addEventListener("click", function (evt) {
        if (evt.ctrlKey || evt.metaKey || evt.shiftKey) return;
        evt.preventDefault();
        var param = link.getAttribute("data-switch");
        links.forEach(function (l) {
          if (l === link) l.setAttribute("aria-current", "true");
          else l.removeAttribute("aria-current");
        });
        board.querySelectorAll("[data-column]").forEach(function (column) {
          column.classList.toggle("is-current", column.getAttribute("data-param") === param);
        });
        var url = new URL(window.location.href);
        url.searchParams.set("stage", param);
        url.hash = "";
        window.history.replaceState(null, "", url);
        var column = board.querySelector('[data-column][data-param="' + param + '"]');
        if (column) column.scrollIntoView({ block: "nearest", inline: "start" });
      });
    });
  }

  // --- the side panel ---------------------------------------------------------------------
  function initPanel() {
    var panel = document.querySelector("[data-side-panel]");
    if (!panel || typeof htmx === "undefined") return null;
    var body = panel.querySelector("#side-panel-body");
    var title = panel.querySelector("#side-panel-title");
    var pageLink = panel.querySelector("[data-side-panel-page]");
    var opener = null;

    function close() {
      panel.hidden = true;
      document.body.classList.remove("has-side-panel");
      body.innerHTML = "";
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    }

    function open(url, from) {
      opener = from || null;
      pageLink.setAttribute("href", url);
      title.textContent = "Loading…";
      panel.hidden = false;
      document.body.classList.add("has-side-panel");
      htmx.ajax("GET", url, { target: "#side-panel-body", swap: "innerHTML" }).then(function () {
        var content = body.querySelector("[data-panel-title]");
        title.textContent = content ? content.getAttribute("data-panel-title") : "Application";
        body.focus();
      });
    }

    panel.querySelector("[data-side-panel-close]").addEventListener("click", close);
    document.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && !panel.hidden && !document.querySelector("[data-card-menu-popup]:not([hidden])")) close();
    });
    document.addEventListener("click", function (evt) {
      var link = evt.target.closest("[data-panel-link]");
      if (!link || evt.ctrlKey || evt.metaKey || evt.shiftKey || evt.button !== 0) return;
      evt.preventDefault();
      open(link.getAttribute("href"), link);
    });
    return { open: open };
  }

  // --- the one card menu ------------------------------------------------------------------
  function initMenu(panel) {
    var menu = document.querySelector("[data-card-menu-popup]");
    if (!menu) return;
    var form = menu.querySelector("[data-card-menu-form]");
    var details = menu.querySelector("[data-card-menu-details]");
    var button = null;

    function items() {
      return Array.prototype.filter.call(menu.querySelectorAll("[role=menuitem]"), function (el) {
        return !el.disabled;
      });
    }

    function close(refocus) {
      if (menu.hidden) return;
      menu.hidden = true;
      if (button) {
        button.setAttribute("aria-expanded", "false");
        if (refocus) button.focus();
      }
      document.body.appendChild(menu);
      button = null;
    }

    function open(btn) {
      var card = btn.closest("[data-card]");
      button = btn;
      var moveUrl = card.getAttribute("data-move-url");
      form.setAttribute("action", moveUrl + "#card-" + card.id.replace("card-", ""));
      var stageId = card.getAttribute("data-stage-id") || card.parentElement.getAttribute("data-stage-id");
      form.querySelectorAll("[data-stage-id]").forEach(function (item) {
        var here = item.getAttribute("data-stage-id") === stageId;
        item.disabled = here;
        if (here) item.setAttribute("aria-current", "true");
        else item.removeAttribute("aria-current");
      });
      var title = card.querySelector("[data-panel-link]");
      details.setAttribute("href", title.getAttribute("href"));
      details.hidden = !panel;
      card.appendChild(menu);
      menu.hidden = false;
      btn.setAttribute("aria-expanded", "true");
      var first = items()[0];
      if (first) first.focus();
    }

    document.addEventListener("click", function (evt) {
      var btn = evt.target.closest("[data-card-menu]");
      if (btn) {
        evt.preventDefault();
        var same = btn === button;
        close(false);
        if (!same) open(btn);
        return;
      }
      if (!menu.hidden && !menu.contains(evt.target)) close(false);
    });
    details.addEventListener("click", function (evt) {
      if (!panel) return;
      evt.preventDefault();
      var from = button;
      close(false);
      panel.open(details.getAttribute("href"), from);
    });
    menu.addEventListener("keydown", function (evt) {
      var list = items();
      var i = list.indexOf(document.activeElement);
      if (evt.key === "ArrowDown") {
        evt.preventDefault();
        list[(i + 1) % list.length].focus();
      } else if (evt.key === "ArrowUp") {
        evt.preventDefault();
        list[(i - 1 + list.length) % list.length].focus();
      } else if (evt.key === "Home") {
        evt.preventDefault();
        list[0].focus();
      } else if (evt.key === "End") {
        evt.preventDefault();
        list[list.length - 1].focus();
      } else if (evt.key === "Escape") {
        evt.preventDefault();
        close(true);
      } else if (evt.key === "Tab") {
        close(false);
      }
    });
    // Space on the ⋯ link opens the menu too (Enter already clicks a link).
    document.addEventListener("keydown", function (evt) {
      var btn = evt.target.closest && evt.target.closest("[data-card-menu]");
      if (btn && (evt.key === " " || evt.key === "ArrowDown")) {
        evt.preventDefault();
        if (btn !== button) {
          close(false);
          open(btn);
        }
      }
    });
  }

  // --- drag and drop ----------------------------------------------------------------------
  function initDrag(board) {
    if (typeof Sortable === "undefined" || typeof htmx === "undefined") return;
    var status = document.getElementById("board-status");
    board.classList.add("is-draggable");

    board.querySelectorAll("[data-board-column]").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        draggable: "[data-card]",
        filter: "select, button, option, label, input, [data-card-menu], .card-menu",
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
          card.setAttribute("data-stage-id", stageId);
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

  function init() {
    var board = document.querySelector("[data-board]");
    if (!board) return;
    initSwitcher(board);
    var panel = initPanel();
    initMenu(panel);
    initDrag(board);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
