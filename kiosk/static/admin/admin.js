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
