// newsdedup web UI: optional niceties only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("only-changes");
  if (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("only-changes", box.checked);
    });
  }
  // The name typed into one form's "by" goes into every other form of the
  // page; the server remembers it once a decision is recorded.
  var names = document.querySelectorAll('form input[name="by"]');
  names.forEach(function (input) {
    input.addEventListener("input", function () {
      names.forEach(function (other) {
        if (other !== input) {
          other.value = input.value;
        }
      });
    });
  });
});
