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

  // Errors follow the current input: the live verdict's response carries each field's errors
  // as typed now (#profile-live-errors). A field the person has changed since the page loaded
  // shows those — none once it is fixed — instead of the message of the failed submit.
  const touched = new Set();

  function noteTouched(event) {
    const f = form();
    const name = event.target.name;
    if (f && f.contains(event.target) && name) touched.add(name);
  }
  document.addEventListener("input", noteTouched);
  document.addEventListener("change", noteTouched);

  function fieldWrapper(control) {
    return document.getElementById("div_" + control.id) || control.closest("[id^=div_]");
  }

  function showErrors(name, messages) {
    const controls = form().querySelectorAll("[name='" + CSS.escape(name) + "']");
    if (!controls.length || controls[0].type === "hidden") return;
    const wrapper = fieldWrapper(controls[0]);
    if (!wrapper) return;
    wrapper.querySelectorAll("[id^=error_]").forEach(function (el) {
      el.remove();
    });
    const ids = [];
    messages.forEach(function (message, index) {
      const p = document.createElement("p");
      p.id = "error_" + (index + 1) + "_id_" + name;
      p.className = "invalid-feedback d-block";
      const strong = document.createElement("strong");
      strong.textContent = message;
      p.appendChild(strong);
      wrapper.appendChild(p);
      ids.push(p.id);
    });
    controls.forEach(function (control) {
      control.classList.toggle("is-invalid", messages.length > 0);
      if (messages.length) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
      if (control.tomselect) control.tomselect.wrapper.classList.toggle("is-invalid", messages.length > 0);
    });
    // The error summary at the top lists only what is still wrong.
    const summary = document.querySelector("[data-error-summary]");
    if (summary && !messages.length) {
      summary.querySelectorAll("[data-error-for='" + CSS.escape(name) + "']").forEach(function (li) {
        li.remove();
      });
      if (!summary.querySelector("li")) summary.remove();
    }
  }

  document.addEventListener("htmx:afterSettle", function () {
    const holder = document.getElementById("profile-live-errors");
    if (!holder || !form()) return;
    let errors;
    try {
      errors = JSON.parse(holder.dataset.errors || "{}");
    } catch (e) {
      return;
    }
    touched.forEach(function (name) {
      showErrors(name, errors[name] || []);
    });
  });

  document.addEventListener("DOMContentLoaded", syncTypeFields);
})();
