// Session page: refresh the live sign-up counts every few seconds.
(function () {
  "use strict";

  var box = document.getElementById("live-counts");
  if (!box) return;
  var url = box.getAttribute("data-stats-url");
  var INTERVAL_MS = 10000;
  // Every poll renews the login cookie, so polling must stop when the person does:
  // otherwise a laptop left open on this page would never reach the idle timeout.
  var idleMs = Number(box.getAttribute("data-idle-minutes") || 30) * 60000;
  var lastActivity = Date.now();
  ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });

  function show(selector, value) {
    var el = document.querySelector(selector);
    if (el && typeof value === "number" && el.textContent !== String(value)) {
      el.textContent = String(value);
      el.classList.add("bumped");
      window.setTimeout(function () { el.classList.remove("bumped"); }, 1200);
    }
  }

  function refresh() {
    if (document.hidden) return; // no polling from a background tab
    if (Date.now() - lastActivity > idleMs - INTERVAL_MS) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (stats) {
        if (!stats) return;
        show('[data-count="signups"]', stats.signups);
        show('[data-count="people"]', stats.people);
        Object.keys(stats.statuses || {}).forEach(function (key) {
          show('[data-status="' + key + '"]', stats.statuses[key]);
        });
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  window.setInterval(refresh, INTERVAL_MS);
  document.addEventListener("visibilitychange", refresh);
})();
