// The portal's own script. Kept tiny: no inline handlers (strict CSP), behaviour by data-attributes.
document.addEventListener("click", function (event) {
  // <button data-confirm="Are you sure?"> asks before submitting its form.
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopPropagation();
  }
});
