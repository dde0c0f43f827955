// The evidence step shows "being read" for a document whose reading is not stored yet. This asks
// the server for that document's panel every few seconds and swaps it in once it is read; without
// script the panel's own reload link does the same by hand.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  var MAX_TRIES = 30;

  function watch(panel, tries) {
    if (tries >= MAX_TRIES) {
      return;
    }
    window.setTimeout(function () {
      fetch(panel.getAttribute("data-reading-poll"), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("reading panel: HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.firstElementChild;
          if (!fresh) {
            return;
          }
          if (fresh.hasAttribute("data-reading-poll")) {
            watch(panel, tries + 1);
            return;
          }
          panel.replaceWith(fresh);
        })
        .catch(function () {
          watch(panel, tries + 1);
        });
    }, INTERVAL_MS);
  }

  document.querySelectorAll("[data-reading-poll]").forEach(function (panel) {
    watch(panel, 0);
  });
})();
