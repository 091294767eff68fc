// Public lump-sum estimator: two city pickers (visitor's and host's) on one page.
// No inline handlers (strict CSP): behaviour is bound here through data-attributes.
(function () {
  "use strict";

  function picker(el) {
    return el.closest("[data-city-picker]");
  }

  function clear(box) {
    const list = box && box.querySelector("[id$='-city-suggestions']");
    if (list) list.innerHTML = "";
  }

  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-city-pick]");
    const box = pick && picker(pick);
    if (!box) return;
    event.preventDefault();
    const id = box.querySelector("[data-city-id]");
    const input = box.querySelector("[data-city-input]");
    if (id) id.value = pick.dataset.cityId;
    if (input) input.value = pick.dataset.cityName;
    clear(box);
  });

  document.addEventListener("input", function (event) {
    // A changed name no longer designates the picked city: the server looks it up again.
    if (!event.target.matches("[data-city-input]")) return;
    const id = picker(event.target) && picker(event.target).querySelector("[data-city-id]");
    if (id) id.value = "";
  });

  document.addEventListener("change", function (event) {
    // Another country: the picked city (and the suggestions) belong to the old one.
    const side = { visitor_country: "visitor", host_country: "host" }[event.target.name];
    if (!side) return;
    const box = document.querySelector("[data-city-picker='" + side + "']");
    if (!box) return;
    const id = box.querySelector("[data-city-id]");
    if (id) id.value = "";
    clear(box);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.matches("[data-city-input]")) {
      clear(picker(event.target));
    }
  });
})();
