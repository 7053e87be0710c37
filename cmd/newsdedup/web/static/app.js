// newsdedup web UI: optional niceties only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("only-changes");
  if (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("only-changes", box.checked);
    });
  }
});
