// Organisation profile form: the city picker and the type-dependent fields.
// No inline handlers (strict CSP): behaviour is bound here through data-attributes.
(function () {
  "use strict";

  function form() {
    return document.getElementById("profile-form");
  }

  function cityId() {
    return document.querySelector("[data-city-id]");
  }

  function cityInput() {
    return document.querySelector("[data-city-input]");
  }

  function clearSuggestions() {
    const box = document.getElementById("city-suggestions");
    if (box) box.innerHTML = "";
  }

  // Show the sub-type only for scaling-up support organisations, the level only for
  // public authorities. The server checks them anyway.
  function syncTypeFields() {
    const select = document.querySelector("#profile-form [name=org_type]");
    if (!select) return;
    document.querySelectorAll("[data-show-for-type]").forEach(function (el) {
      el.hidden = el.dataset.showForType !== select.value;
    });
  }

  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-city-pick]");
    if (!pick) return;
    event.preventDefault();
    const id = cityId();
    const input = cityInput();
    if (id) id.value = pick.dataset.cityId;
    if (input) {
      input.value = pick.dataset.cityName;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    clearSuggestions();
  });

  document.addEventListener("input", function (event) {
    // A changed name no longer designates the picked city: the server will look it up again.
    if (event.target.matches("[data-city-input]")) {
      const id = cityId();
      if (id) id.value = "";
    }
  });

  document.addEventListener("change", function (event) {
    if (!form() || !form().contains(event.target)) return;
    if (event.target.name === "country") {
      const id = cityId();
      if (id) id.value = "";
      clearSuggestions();
    }
    if (event.target.name === "org_type") syncTypeFields();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.matches("[data-city-input]")) clearSuggestions();
  });

  document.addEventListener("DOMContentLoaded", syncTypeFields);
})();
