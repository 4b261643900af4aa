// The page editor: live preview, and a copy of what is typed kept in this browser, so
// nothing is lost when a save fails or the login has expired (the copy comes back after
// logging in again). No inline scripts: the CSP allows only files from /static.
(function () {
  "use strict";

  var form = document.getElementById("editor");
  if (!form) return;
  var key = form.getAttribute("data-key");
  var body = document.getElementById("body");
  var preview = document.getElementById("preview");
  var state = document.getElementById("preview-state");
  var note = document.getElementById("restored-note");

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrf_token" && el.type !== "submit") values[el.name] = el.value;
    });
    return values;
  }

  function sameAsForm(saved) {
    var now = fields();
    return Object.keys(saved).every(function (name) {
      return name === "base_sha" || now[name] === undefined || now[name] === saved[name];
    });
  }

  function store() {
    try { window.localStorage.setItem(key, JSON.stringify(fields())); } catch (e) { /* full or off */ }
  }

  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* off */ }
  }

  // After a successful save the browser's copy is no longer needed.
  if (form.getAttribute("data-saved") === "1") forget();

  var saved = null;
  try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && !sameAsForm(saved)) {
    var original = fields();
    Object.keys(saved).forEach(function (name) {
      var el = form.elements.namedItem(name);
      // base_sha too: if the page changed meanwhile, saving shows both versions.
      if (el && "value" in el) el.value = saved[name];
    });
    note.hidden = false;
    document.getElementById("discard-local").addEventListener("click", function () {
      Object.keys(original).forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el && "value" in el) el.value = original[name];
      });
      forget();
      note.hidden = true;
      refresh();
    });
  } else if (saved) {
    forget();
  }

  var timer = null;
  var sequence = 0;
  function refresh() {
    var mine = ++sequence;
    state.textContent = "更新中……";
    var data = new FormData(form);
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrf_token") }
    }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 403 || response.status === 400) {
        throw new Error("login");
      }
      if (!response.ok) throw new Error("status");
      return response.json();
    }).then(function (result) {
      if (mine !== sequence) return;
      preview.innerHTML = result.html;
      state.textContent = "";
    }).catch(function (error) {
      if (mine !== sequence) return;
      state.textContent = error.message === "login"
        ? "（登录已过期：你的文字保存在这台电脑上，重新登录后会自动恢复）"
        : "（预览暂时无法更新）";
    });
  }

  form.addEventListener("input", function () {
    store();
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 500);
  });
  form.addEventListener("submit", store);

  // "正文第 N 行" in the problem list selects that line in the text area.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.classList.contains("goto-line")) return;
    var line = parseInt(target.getAttribute("data-line"), 10);
    var lines = body.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[line - 1] || "").length;
    body.focus();
    body.setSelectionRange(start, end);
    var lineHeight = parseFloat(window.getComputedStyle(body).lineHeight) || 22;
    body.scrollTop = Math.max(0, (line - 3) * lineHeight);
  });

  refresh();
})();
