// The wizard's trademark step: as the seller types, asks the portal what looks wrong in the
// trademark (a number unknown to the registry data, another registered owner, an expired
// certificate) and shows it above the form. Warnings only; saving works the same without script.
(function () {
  "use strict";
  var DELAY_MS = 500;
  var FIELDS = ["office", "number", "owner_name", "expires_on"];
  var box = document.getElementById("trademark-warnings");
  if (!box) {
    return;
  }
  var form = box.parentElement.querySelector("form");
  var list = box.querySelector("ul");
  var timer = null;
  var asked = 0;

  function show(warnings) {
    list.replaceChildren();
    warnings.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.hidden = warnings.length === 0;
  }

  function ask() {
    var query = new URLSearchParams();
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      query.set(name, field ? field.value : "");
    });
    var mine = ++asked;
    fetch(box.getAttribute("data-trademark-check") + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("trademark check: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        // An older answer arriving late must not replace a newer one.
        if (mine === asked) {
          show(answer.warnings);
        }
      })
      .catch(function () {});
  }

  function later(event) {
    if (FIELDS.indexOf(event.target.name) === -1) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
