"use strict";

var form = document.getElementById("options-form");

loadSettings().then(function (s) {
  form.elements.base.value = s.base;
  form.elements.token.value = s.token;
});

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var base = form.elements.base.value.trim().replace(/\/+$/, "");
  var token = form.elements.token.value.trim();
  ext.storage.local.set({ base: base, token: token }).then(function () {
    document.getElementById("saved").textContent = "Saved.";
  });
});
