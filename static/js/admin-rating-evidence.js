// The framework page's rating rows show each rating's sources and figures, with a link that
// opens the rating's own page in Django admin's popup window. When that page is saved, Django
// calls dismissChangeRelatedObjectPopup here (admin/js/admin/RelatedObjectLookups.js): after
// it has closed the popup, read the rating's sources again from this page as the server now
// shows it, and put them in place. This page is not reloaded, so what the editor has typed in
// it stays.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const dismiss = window.dismissChangeRelatedObjectPopup;
  if (typeof dismiss !== "function") {
    return;
  }
  window.dismissChangeRelatedObjectPopup = function (win, ...rest) {
    const id = win.name.replace(/__\d+$/, "");
    dismiss(win, ...rest);
    const shown = document.getElementById(id);
    if (!shown || !shown.classList.contains("rating-evidence")) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin" })
      .then((response) => response.text())
      .then((text) => {
        const fresh = new DOMParser().parseFromString(text, "text/html").getElementById(id);
        if (fresh) {
          shown.replaceWith(fresh);
        }
      });
  };
});
