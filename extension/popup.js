// The toolbar popup: read the page (its HTML with JSON-LD, or the selection), ask Jobtrail
// what it finds (action "preview"), then save or track it and link to where it went.
// Everything from the page or the server is put in the popup as text, never as HTML.
"use strict";

function $(id) {
  return document.getElementById(id);
}

function say(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

// Runs in the page (chrome.scripting): the selection when there is one, else the whole page.
function grabPage() {
  var selection = String(window.getSelection() || "").trim();
  var html = document.documentElement.outerHTML;
  return {
    url: location.href,
    text: selection,
    html: selection ? "" : html.slice(0, 1900000),
  };
}

function targetTab() {
  // ?tab=<id> lets the options page and the tests open the popup for a given tab.
  var wanted = new URLSearchParams(location.search).get("tab");
  if (wanted) return Promise.resolve(Number(wanted));
  return ext.tabs.query({ active: true, currentWindow: true }).then(function (tabs) {
    return tabs[0].id;
  });
}

function show(found) {
  $("f-title").textContent = found.title || "—";
  $("f-company").textContent = found.company || "—";
  $("f-location").textContent = (found.locations || []).join("; ") || found.workplace || "—";
  $("f-salary").textContent = found.salary || "—";
  $("f-closes").textContent = found.valid_through ? found.valid_through.slice(0, 10) : "—";
  $("found").hidden = false;
}

function showResult(data, settings) {
  $("result").hidden = false;
  var text = data.messages && data.messages.length ? data.messages.join(" ") : "";
  if (data.created) {
    text = (data.kind === "saved_job" ? "Saved. " : "On your board. ") + text;
  }
  $("result-text").textContent = text.trim();
  var link = data.url || data.posting_url;
  if (link && link.indexOf(settings.base + "/") === 0) {
    $("result-link").href = link;
    $("result-link").hidden = false;
  } else {
    $("result-link").hidden = true;
  }
}

function errorText(data) {
  var fields = data.fields || {};
  var parts = Object.keys(fields).map(function (k) {
    return k + ": " + fields[k];
  });
  return (data.error || "Something went wrong.") + (parts.length ? " " + parts.join(" ") : "");
}

function main() {
  var page, settings;
  loadSettings()
    .then(function (s) {
      settings = s;
      if (!s.base || !s.token) {
        say("Jobtrail is not set up yet.");
        $("setup").hidden = false;
        throw null;
      }
      return targetTab();
    })
    .then(function (tabId) {
      return ext.scripting.executeScript({ target: { tabId: tabId }, func: grabPage });
    })
    .then(function (results) {
      page = results[0].result;
      return clipRequest(settings, { url: page.url, html: page.html, text: page.text, action: "preview" });
    })
    .then(function (data) {
      if (data.status >= 400) {
        say(errorText(data), true);
        return;
      }
      show(data.extracted || {});
      if (data.duplicate) {
        say("You already keep this job.");
        showResult(data, settings);
        return;
      }
      say(data.extracted && data.extracted.title ? "Found this job:" : "No job details found; Jobtrail keeps the page's text.");
      $("clip-form").hidden = false;
    })
    .catch(function (err) {
      if (err) say("Could not read this page: " + (err.message || err), true);
    });

  $("clip-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    $("clip-button").disabled = true;
    say("Sending…");
    clipRequest(settings, {
      url: page.url,
      html: page.html,
      text: page.text,
      action: form.elements.action.value,
      stage: form.elements.stage.value,
      collection: form.elements.collection.value,
      note: form.elements.note.value,
    })
      .then(function (data) {
        $("clip-button").disabled = false;
        if (data.status >= 400) {
          say(errorText(data), true);
          return;
        }
        say(data.created ? "Done." : "Already in Jobtrail.");
        form.hidden = true;
        showResult(data, settings);
      })
      .catch(function (err) {
        $("clip-button").disabled = false;
        say("Jobtrail could not be reached: " + err.message, true);
      });
  });

  $("open-options").addEventListener("click", function () {
    ext.runtime.openOptionsPage();
  });
}

main();
