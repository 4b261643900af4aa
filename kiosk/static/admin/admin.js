// Admin area behaviour. No inline scripts: the CSP allows only files from /static.
(function () {
  "use strict";

  // Forms with data-confirm ask before a destructive or sensitive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // An export streams its file (no size known in advance): while it downloads,
  // the sign-up list polls the export's progress and says how many rows are written.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    var base = form.getAttribute("data-export");
    var status = document.querySelector("[data-export-status]");
    if (!base || !status) return;
    var id = Array.from(window.crypto.getRandomValues(new Uint8Array(12)), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    form.elements.namedItem("export_id").value = id;
    status.hidden = false;
    status.textContent = "正在准备导出……";
    var misses = 0; // the export is not known until the server starts writing it
    var poll = function () {
      fetch(base + "/" + id + ".json", { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data === null) {
            misses += 1;
            if (misses < 30) window.setTimeout(poll, 1000);
            else status.textContent = "没有找到这次导出，请到“导出进度”页面查看。";
            return;
          }
          status.textContent = data.state === "running"
            ? "正在导出：已写入 " + data.written + " / " + data.total + " 行（" + data.percent + "%）"
            : data.state_label + "：已写入 " + data.written + " / " + data.total + " 行。";
          if (data.state === "running") window.setTimeout(poll, 1000);
        })
        .catch(function () { status.textContent = "无法读取导出进度，请到“导出进度”页面查看。"; });
    };
    window.setTimeout(poll, 500);
  });

  // Buttons with data-print print the page (the monthly report has print CSS for A4).
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) {
      window.print();
    }
  });

  // On a wide screen every filter fits under the search box, so show them; on a
  // phone they stay folded (unless some are set) and the list starts on screen one.
  var more = document.querySelector("details.more-filters");
  if (more && window.matchMedia("(min-width: 641px)").matches) {
    more.open = true;
  }
})();
