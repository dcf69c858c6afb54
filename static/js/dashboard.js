/* Dashboard charts: drawn with the vendored Chart.js (+ chartjs-chart-sankey) from
   /dashboard/data.json with the page's filters (the URL is on #pipeline as data-chart-url).
   Without JavaScript the tables under each chart are the content; once a chart is drawn its
   table folds into a <details>. Redrawn whenever htmx swaps in a new #pipeline. */
(function () {
  "use strict";

  var charts = [];
  var palette = {
    brand: "#1f5eff",
    brandLight: "#9db4f0",
    ok: "#137a42",
    danger: "#b3261e",
    warn: "#8a5a00",
    muted: "#5b6476",
  };
  var endingColours = { rejected: palette.danger, withdrawn: palette.muted, no_response: palette.warn };

  function destroy() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
  }

  function show(root, name) {
    var box = root.querySelector('[data-chart="' + name + '"]');
    if (!box) return null;
    box.hidden = false;
    var table = box.closest(".dash-figure").querySelector("details.dash-table");
    if (table) table.open = false;
    return box.querySelector("canvas");
  }

  function weekLabel(iso) {
    var d = new Date(iso + "T00:00:00");
    return d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  }

  function draw(root, data) {
    destroy();
    var common = { responsive: true, maintainAspectRatio: false, animation: false };

    var funnelCanvas = data.numbers.applied ? show(root, "funnel") : null;
    if (funnelCanvas) {
      charts.push(new Chart(funnelCanvas, {
        type: "bar",
        data: {
          labels: data.funnel.map(function (s) { return s.label; }),
          datasets: [{
            label: "Reached",
            data: data.funnel.map(function (s) { return s.count; }),
            backgroundColor: data.funnel.map(function (s, i) { return i === data.funnel.length - 1 ? palette.ok : palette.brand; }),
          }],
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { afterLabel: function (ctx) {
              var s = data.funnel[ctx.dataIndex];
              return s.rate === null ? "" : Math.round(s.rate * 100) + "% of the step before";
            } } },
          },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        }),
      }));
    }

    var weeksCanvas = data.weeks.labels.length ? show(root, "weeks") : null;
    if (weeksCanvas) {
      charts.push(new Chart(weeksCanvas, {
        type: "bar",
        data: {
          labels: data.weeks.labels.map(weekLabel),
          datasets: [{ label: "Applied", data: data.weeks.counts, backgroundColor: palette.brand }],
        },
        options: Object.assign({}, common, {
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxRotation: 0, autoSkip: true } } },
        }),
      }));
    }

    var flowsCanvas = data.flows.length && Chart.registry.controllers.get("sankey") ? show(root, "flows") : null;
    if (flowsCanvas) {
      var colourOf = function (key) {
        if (key === "accepted" || key === "offer") return palette.ok;
        if (key === "in_progress") return palette.brandLight;
        return endingColours[key] || palette.brand;
      };
      charts.push(new Chart(flowsCanvas, {
        type: "sankey",
        data: {
          datasets: [{
            label: "Journeys",
            data: data.flows,
            colorFrom: function (c) { return colourOf(c.dataset.data[c.dataIndex].from_key); },
            colorTo: function (c) { return colourOf(c.dataset.data[c.dataIndex].to_key); },
            colorMode: "gradient",
            size: "max",
            nodeWidth: 12,
            font: { size: 12 },
          }],
        },
        options: common,
      }));
    }
  }

  function load(root) {
    root.dataset.drawn = "1";
    var url = root.getAttribute("data-chart-url");
    if (!url || typeof Chart === "undefined") return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { draw(root, data); })
      .catch(function () { /* the tables stay open: they are the content */ });
  }

  function refresh() {
    var root = document.getElementById("pipeline");
    if (root && !root.dataset.drawn) load(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
  document.addEventListener("htmx:afterSettle", refresh);
})();
