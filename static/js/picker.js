// Searchable pickers: a <select multiple data-picker> becomes a Tom Select box where the person
// types a few letters and picks (vendor/tom-select). Without JavaScript the plain multi-select
// still works. No inline handlers (strict CSP).
(function () {
  "use strict";

  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") return;
    new window.TomSelect(select, {
      plugins: ["remove_button", "clear_button"],
      maxOptions: null,
      hidePlaceholder: true,
      closeAfterSelect: false,
      placeholder: select.dataset.pickerPlaceholder || "",
      // After a pick, the typed letters go: the next search starts afresh.
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
    });
    // Tom Select points the field's <label for> at its own search box and keeps the original
    // select only to submit the form (visually hidden, out of the tab order): screen readers
    // use the picker, so the original leaves the accessibility tree.
    select.setAttribute("aria-hidden", "true");
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple][data-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
})();
