// Sign-up: the browser's timezone into the hidden "timezone" field, so dates and emails are in
// the person's zone from the start (the server checks the name against its zone list; UTC
// without JavaScript). An external file: the CSP forbids inline scripts.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
