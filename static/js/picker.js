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
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple][data-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
})();
