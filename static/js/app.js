// Small behaviours on top of htmx. No inline scripts anywhere: the content security policy forbids them.
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
