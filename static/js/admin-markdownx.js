// django-markdownx starts its editors once, when the page loads. An inline row added later
// with "Add another" is a copy of a template row whose editor was already started (the copy
// carries the data-markdownx-init mark but none of the listeners). Clear the mark in the new
// row and run the library's script again: it starts every editor that is not marked.
"use strict";
document.addEventListener("formset:added", (event) => {
  const editors = event.target.querySelectorAll(".markdownx-editor[data-markdownx-init]");
  if (editors.length === 0) {
    return;
  }
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  const loaded = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (loaded) {
    const again = document.createElement("script");
    again.src = loaded.src;
    document.head.appendChild(again);
  }
});
