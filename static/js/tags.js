/* Tag inputs: progressive enhancement of a comma-separated text input marked data-tags.
 *
 * Without JavaScript the input stays a plain text field ("Python, SQL") that the server cleans.
 * With it, each entry becomes a tag with a remove button; Enter or comma adds the typed text,
 * Backspace in the empty box removes the last tag. The comma-separated value is kept in a hidden
 * input with the original name, so the server sees exactly what it would without JavaScript.
 */
(function () {
  "use strict";

  function split(value) {
    return value.split(/[,\n]/).map(function (s) { return s.trim().replace(/\s+/g, " "); })
      .filter(Boolean);
  }

  function enhance(input) {
    if (input.dataset.tagsReady) return;
    input.dataset.tagsReady = "1";
    var noun = input.dataset.tags || "tag";
    var maxLength = parseInt(input.dataset.maxLength || "100", 10);
    var maxCount = parseInt(input.dataset.maxCount || "50", 10);
    var tags = [];

    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    input.removeAttribute("name");
    input.setAttribute("maxlength", String(maxLength));

    var box = document.createElement("div");
    box.className = "tag-input";
    var list = document.createElement("ul");
    list.className = "tags";
    list.setAttribute("aria-label", "Your " + noun + "s");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    input.parentNode.insertBefore(box, input);
    box.appendChild(list);
    box.appendChild(input);
    box.appendChild(hidden);
    box.appendChild(status);
    box.addEventListener("click", function (e) { if (e.target === box || e.target === list) input.focus(); });

    var hint = document.createElement("span");
    hint.className = "helptext";
    hint.id = input.id + "_tagshint";
    hint.textContent = "Separate " + noun + "s with commas or Enter; Backspace removes the last one.";
    box.insertAdjacentElement("afterend", hint);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(hint.id);
    input.setAttribute("aria-describedby", described.join(" "));

    function sync() {
      hidden.value = tags.join(", ");
      input.placeholder = tags.length ? "" : "Add a " + noun;
    }

    function render() {
      list.textContent = "";
      tags.forEach(function (tag, i) {
        var li = document.createElement("li");
        li.className = "tag";
        var text = document.createElement("span");
        text.textContent = tag;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tag-remove";
        remove.setAttribute("aria-label", "Remove " + tag);
        remove.textContent = "×";
        remove.addEventListener("click", function () { removeAt(i, true); });
        remove.addEventListener("keydown", function (e) {
          if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
            e.preventDefault();
            var buttons = list.querySelectorAll(".tag-remove");
            var next = buttons[i + (e.key === "ArrowLeft" ? -1 : 1)];
            (next || input).focus();
          }
        });
        li.appendChild(text);
        li.appendChild(remove);
        list.appendChild(li);
      });
      list.hidden = tags.length === 0;
      sync();
    }

    function add(value) {
      var added = [];
      split(value).forEach(function (tag) {
        tag = tag.slice(0, maxLength);
        var exists = tags.some(function (t) { return t.toLowerCase() === tag.toLowerCase(); });
        if (!exists && tags.length < maxCount) { tags.push(tag); added.push(tag); }
      });
      if (added.length) { render(); status.textContent = "Added " + added.join(", "); }
    }

    function removeAt(i, refocus) {
      var removed = tags.splice(i, 1)[0];
      render();
      status.textContent = "Removed " + removed;
      if (refocus) {
        var buttons = list.querySelectorAll(".tag-remove");
        (buttons[Math.min(i, buttons.length - 1)] || input).focus();
      }
    }

    add(input.value);
    input.value = "";
    render();

    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === ",") {
        // Enter adds a tag and never submits the form from the tag box (that button is below).
        e.preventDefault();
        add(input.value);
        input.value = "";
      } else if (e.key === "Backspace" && !input.value && tags.length) {
        removeAt(tags.length - 1, false);
      }
    });
    input.addEventListener("input", function () {
      if (input.value.indexOf(",") !== -1) { add(input.value); input.value = ""; }
    });
    input.addEventListener("blur", function () {
      if (input.value.trim()) { add(input.value); input.value = ""; }
    });
    if (input.form) {
      input.form.addEventListener("submit", function () {
        if (input.value.trim()) { add(input.value); input.value = ""; }
      });
    }
  }

  function init(root) {
    (root || document).querySelectorAll("input[data-tags]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
