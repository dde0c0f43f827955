// The case's page pictures open in a viewer inside the page: a modal dialog with the page,
// the previous and next page of the same document, zoom in and out, and Close (or Escape)
// back to the same place with focus on the picture that opened it. Without this script each
// picture is a plain link to the page's image.
(function () {
  "use strict";
  var LEVELS = [1, 1.5, 2, 3, 4];
  var dialog = document.getElementById("case-viewer");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var image = dialog.querySelector(".viewer-image");
  var stage = dialog.querySelector(".viewer-stage");
  var title = dialog.querySelector(".viewer-title");
  var pageLabel = dialog.querySelector(".viewer-page");
  var zoomLabel = dialog.querySelector(".viewer-zoom");
  var buttons = {};
  dialog.querySelectorAll("[data-viewer-action]").forEach(function (button) {
    buttons[button.getAttribute("data-viewer-action")] = button;
  });
  var pages = [];
  var index = 0;
  var level = 0;
  var opener = null;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function pagesOf(trigger) {
    var group = trigger.getAttribute("data-viewer-group");
    return Array.prototype.filter.call(
      document.querySelectorAll("[data-viewer-group]"),
      function (element) {
        return element.getAttribute("data-viewer-group") === group;
      }
    );
  }

  function showPage() {
    var page = pages[index];
    var thumbnail = page.querySelector("img");
    image.src = page.getAttribute("href");
    image.alt = thumbnail ? thumbnail.alt : "";
    title.textContent = page.getAttribute("data-viewer-title") || "";
    pageLabel.textContent = format(dialog.getAttribute("data-page-format"), {
      page: index + 1,
      pages: pages.length,
    });
    buttons.previous.disabled = index === 0;
    buttons.next.disabled = index === pages.length - 1;
    stage.scrollTop = 0;
    stage.scrollLeft = 0;
  }

  function zoomTo(next) {
    level = Math.max(0, Math.min(LEVELS.length - 1, next));
    LEVELS.forEach(function (value, at) {
      image.classList.toggle("zoom-" + at, at === level);
    });
    zoomLabel.textContent = format(dialog.getAttribute("data-zoom-format"), {
      percent: Math.round(LEVELS[level] * 100) + "%",
    });
    buttons["zoom-out"].disabled = level === 0;
    buttons["zoom-in"].disabled = level === LEVELS.length - 1;
  }

  function open(trigger) {
    opener = trigger;
    pages = pagesOf(trigger);
    index = Math.max(0, pages.indexOf(trigger));
    zoomTo(0);
    showPage();
    dialog.showModal();
    buttons.close.focus();
  }

  function move(step) {
    var next = index + step;
    if (next >= 0 && next < pages.length) {
      index = next;
      showPage();
    }
  }

  // A file's name in the evidence table opens its first page here rather than the file.
  function pagesForFile(link) {
    var href = link.getAttribute("href");
    var strips = document.querySelectorAll("[data-viewer-file]");
    for (var at = 0; at < strips.length; at += 1) {
      if (strips[at].getAttribute("data-viewer-file") === href) {
        return strips[at].querySelector("[data-viewer-group]");
      }
    }
    return null;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var trigger = event.target.closest("[data-viewer-group]");
    var link = trigger ? null : event.target.closest("a[href]");
    var first = link ? pagesForFile(link) : null;
    if (!trigger && !first) {
      return;
    }
    event.preventDefault();
    open(trigger || first);
    // The table's link, not the picture, is where focus returns.
    opener = trigger || link;
  });

  buttons.previous.addEventListener("click", function () { move(-1); });
  buttons.next.addEventListener("click", function () { move(1); });
  buttons["zoom-in"].addEventListener("click", function () { zoomTo(level + 1); });
  buttons["zoom-out"].addEventListener("click", function () { zoomTo(level - 1); });
  buttons.close.addEventListener("click", function () { dialog.close(); });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "+" || event.key === "=") {
      zoomTo(level + 1);
    } else if (event.key === "-") {
      zoomTo(level - 1);
    } else {
      return;
    }
    event.preventDefault();
  });

  // A click on the dimmed page around the dialog closes it, as Escape does.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close();
    }
  });

  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) {
      opener.focus();
      opener = null;
    }
  });
})();
