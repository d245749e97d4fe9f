// Before leaving a change form with unsaved changes, the browser asks "Leave site?".
// The form is marked changed by any input or change in it; submitting it (to save) is not
// leaving it. A form the browser refuses to submit (a rank of 0) stays marked.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#content-main form[id$='_form']");
  if (!form) {
    return;
  }
  let changed = false;
  let submitting = false;
  const markChanged = () => {
    changed = true;
  };
  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (changed && !submitting) {
      event.preventDefault();
      event.returnValue = ""; // what older browsers need to ask
    }
  });
});
