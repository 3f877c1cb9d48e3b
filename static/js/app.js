// Small behaviours on top of htmx. No inline scripts anywhere: the content security policy forbids them.

// Parts that work only with JavaScript (the small screen's menu button) are shown under html.js; without it
// the menu bar stays.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});

// Enter in an afdeling search box searches (htmx does, as one types) rather than sending the whole form.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-afdeling-search]")) {
    event.preventDefault();
  }
});

// A wide table scrolls sideways in its own box on a small screen. A box that does scroll can be reached with
// the keyboard (then the arrow keys scroll it) and is named by its table's caption for screen readers.
function markScrollingTables() {
  document.querySelectorAll(".table--responsive-scroll").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) {
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabel");
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("load", markScrollingTables);
document.addEventListener("htmx:afterSettle", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
