// The bookmarklet's window: ask the page that opened it for its content, then post it to the
// paste page with this window's CSRF token. The opener answers only to this origin (it passes
// it as postMessage's targetOrigin), and only messages from the opener are read here.
(function () {
  "use strict";
  var form = document.querySelector("form[data-clip-bookmarklet]");
  if (!form || !window.opener) return;
  var status = document.getElementById("clip-status");
  window.addEventListener("message", function (event) {
    if (event.source !== window.opener || !event.data || event.data.kind !== "jobtrail:page") return;
    var data = event.data;
    form.elements.url.value = String(data.url || "").slice(0, 2000);
    form.elements.content.value = String(data.html || data.text || "");
    if (!form.elements.content.value) return;
    if (status) status.textContent = "Reading the job…";
    form.submit();
  });
  // Nothing secret in this message: it only says the window is ready to receive the page.
  window.opener.postMessage("jobtrail:ready", "*");
})();
