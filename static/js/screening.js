// Screening forms answer 400 with the form and its Danish messages when the input is wrong. htmx 2 does not
// swap error responses by default, so forms marked data-screening-swap-errors have theirs swapped in.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && source && source.closest("[data-screening-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
