// Small behaviours on top of htmx. No inline scripts anywhere: the content security policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
