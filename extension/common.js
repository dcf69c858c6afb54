// Settings and the API call, shared by the popup and the options page.
"use strict";

var ext = globalThis.browser || globalThis.chrome;

function loadSettings() {
  return ext.storage.local.get(["base", "token"]).then(function (s) {
    return { base: (s.base || "").replace(/\/+$/, ""), token: s.token || "" };
  });
}

function clipRequest(settings, body) {
  return fetch(settings.base + "/api/clip/", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: "Bearer " + settings.token,
    },
    body: JSON.stringify(body),
    credentials: "omit",
  }).then(function (response) {
    return response
      .json()
      .catch(function () {
        return { error: "Jobtrail answered " + response.status + "." };
      })
      .then(function (data) {
        data.status = response.status;
        return data;
      });
  });
}
