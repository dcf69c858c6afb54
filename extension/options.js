"use strict";

var form = document.getElementById("options-form");

loadSettings().then(function (s) {
  form.elements.base.value = s.base;
  form.elements.token.value = s.token;
});

// Firefox grants an MV3 extension's host permissions only when the user agrees (Chromium at
// install): ask for the Jobtrail address here, in the click, or the popup's requests to it are
// cross-origin requests that Jobtrail does not answer. Chromium resolves at once.
function askForHost(base) {
  if (!ext.permissions || !/^https?:\/\//.test(base)) return Promise.resolve(true);
  var origin = new URL(base).origin + "/*";
  return ext.permissions.request({ origins: [origin] }).catch(function () {
    return false;
  });
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var base = form.elements.base.value.trim().replace(/\/+$/, "");
  var token = form.elements.token.value.trim();
  var asked = askForHost(base); // first, while this is still the user's click
  ext.storage.local
    .set({ base: base, token: token })
    .then(function () {
      return asked;
    })
    .then(function (granted) {
      document.getElementById("saved").textContent = granted
        ? "Saved."
        : "Saved, but the browser did not allow reaching " + base + ": allow it in the add-on's permissions.";
    });
});
