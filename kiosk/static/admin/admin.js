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
})();
