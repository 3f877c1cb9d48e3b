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

// On a screen narrower than 992 px a list's filters would fill the screen before its results: they are folded
// under «Filtre (n aktive)», which says how many are set. Wide screens, and pages without JavaScript, keep
// them open.
var NARROW = "(max-width: 991.98px)";
var NOT_FILTERS = ["sort", "side", "ordering"];

function activeFilters(form) {
  var count = 0;
  form.querySelectorAll("input, select, textarea").forEach(function (field) {
    if (!field.name || field.type === "hidden" || field.type === "submit" || NOT_FILTERS.indexOf(field.name) >= 0) {
      return;
    }
    if (field.type === "checkbox" || field.type === "radio" ? field.checked : field.value.trim() !== "") {
      count += 1;
    }
  });
  return count;
}

function filterSummary(form) {
  var count = activeFilters(form);
  if (!count) {
    return "Filtre";
  }
  return "Filtre (" + count + (count === 1 ? " aktivt)" : " aktive)");
}

function foldFilters() {
  if (!window.matchMedia(NARROW).matches) {
    return;
  }
  document.querySelectorAll("form.app-filters").forEach(function (form) {
    if (form.querySelector(":scope > details.app-filter-panel")) {
      return;
    }
    var panel = document.createElement("details");
    panel.className = "app-filter-panel";
    var summary = document.createElement("summary");
    summary.textContent = filterSummary(form);
    panel.appendChild(summary);
    var body = document.createElement("div");
    body.className = "app-filter-fields";
    while (form.firstChild) {
      body.appendChild(form.firstChild);
    }
    panel.appendChild(body);
    form.appendChild(panel);
    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function () {
        summary.textContent = filterSummary(form);
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", foldFilters);
