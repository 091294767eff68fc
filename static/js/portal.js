// The portal's own script. Kept tiny: no inline handlers (strict CSP), behaviour by data-attributes.
document.addEventListener("click", function (event) {
  // <button data-confirm="Are you sure?"> asks before submitting its form.
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopPropagation();
  }
});

// A table wider than its box scrolls inside it (.table-responsive). Keyboard users must be able
// to scroll it too (WCAG 2.1.1): while it overflows, the box is a named, focusable region
// (tabindex="0", role="region", aria-label from the table's caption or the heading before it);
// when it fits again, it leaves the tab order. Run on load, after each htmx swap and on resize.
(function () {
  function regionName(box) {
    if (box.dataset.regionLabel) return box.dataset.regionLabel;
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    const table = box.querySelector("table[aria-label]");
    if (table) return table.getAttribute("aria-label");
    let el = box;
    while (el && el !== document.body) {
      let prev = el.previousElementSibling;
      while (prev) {
        const heading = prev.matches("h1, h2, h3, h4, h5, h6") ? prev : prev.querySelector("h1, h2, h3, h4, h5, h6");
        // "— table": the heading often names a section (a region) already; the portal is in
        // English only (settings.LANGUAGES), else this word would come from the template.
        if (heading && heading.textContent.trim()) return heading.textContent.trim() + " — table";
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return document.title;
  }

  function markScrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (box.dataset.scrollRegion) return;
        // "named": this script gave the name (and takes it back); "kept": the template did.
        box.dataset.scrollRegion = box.hasAttribute("aria-label") ? "kept" : "named";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (box.dataset.scrollRegion === "named") box.setAttribute("aria-label", regionName(box));
      } else if (box.dataset.scrollRegion) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.dataset.scrollRegion === "named") box.removeAttribute("aria-label");
        delete box.dataset.scrollRegion;
      }
    });
  }

  let pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(function () { pending = null; markScrollRegions(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollRegions);
  } else {
    markScrollRegions();
  }
  document.addEventListener("htmx:afterSettle", later);
  window.addEventListener("resize", later);
})();
