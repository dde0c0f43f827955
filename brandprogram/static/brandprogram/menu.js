// The header's menu folds away behind a button on narrow screens. Without this script the
// button stays hidden and the menu stays open, so every link is still there.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) {
    return;
  }
  toggle.hidden = false;
  menu.classList.add("collapsible");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
});
