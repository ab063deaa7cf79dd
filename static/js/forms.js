// A form sent back with errors: its summary (templates/includes/form.html) takes the focus,
// so that it is read out and the next Tab reaches its first link; a link of the summary
// brings its field into view with the field's label, or the legend of its choices.
(function () {
  "use strict";
  if (window.vigilanceErrorSummary) return; // included once per form with errors
  window.vigilanceErrorSummary = true;
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var choices = (field.type === "radio" || field.type === "checkbox") && field.closest("fieldset");
    var label = (choices && choices.querySelector("legend")) || (field.labels && field.labels[0]) || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
