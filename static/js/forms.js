// Forms that guide: the error summary takes the focus after a failed submit, and its links
// move the focus to the field they name. No inline handlers (strict CSP).
(function () {
  "use strict";

  // The control a summary link names: the element itself, or the first control inside the
  // field's wrapper (a list of checkboxes has no single element to point at).
  function controlFor(target) {
    if (!target) return null;
    if (target.matches("input, select, textarea")) return target;
    return target.querySelector("input:not([type=hidden]), select, textarea");
  }

  function focusSummary() {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-error-link]");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    // A field in a closed <details> (coordinates by hand) is opened first.
    const details = target.closest("details");
    if (details) details.open = true;
    const wrapper = target.closest("[id^=div_]") || target;
    wrapper.scrollIntoView({ block: "start" });
    const control = controlFor(target);
    // A picker (Tom Select) hides the <select>: focus what the person types into instead.
    const shown = control && control.tomselect ? control.tomselect.control_input : control;
    if (shown) shown.focus({ preventScroll: true });
  });

  document.addEventListener("DOMContentLoaded", focusSummary);
})();
