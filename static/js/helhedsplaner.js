// Helhedsplan dialogs: an action button loads its form into the <dialog> (htmx), the form posts back into it.
// A 204 with an HX-Trigger "helhedsplanChanged" closes the dialog, shows the message and lets the page's
// fragments refresh themselves; a 400 or 409 answer (the form with its errors) is shown in place.
(function () {
  "use strict";

  function dialog() {
    return document.getElementById("helhedsplan-dialog");
  }

  function closeDialog() {
    var element = dialog();
    if (element && element.open) {
      element.close();
    }
  }

  function announce(message) {
    var region = document.getElementById("helhedsplan-message");
    if (!region || !message) {
      return;
    }
    region.textContent = message;
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () {
      region.textContent = "";
    }, 8000);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var source = event.detail.elt;
    var inPlace =
      source && source.closest && source.closest(".helhedsplan-dialog, .helhedsplan-comments, .pakke-section");
    if ((status === 400 || status === 409 || status === 403) && inPlace) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var element = dialog();
    if (!element || event.detail.target.id !== "helhedsplan-dialog-body") {
      return;
    }
    if (!element.open) {
      element.showModal();
    }
    var first = element.querySelector(".alert-error, input:not([type=hidden]), select, textarea");
    if (first) {
      if (first.classList.contains("alert-error")) {
        first.setAttribute("tabindex", "-1");
      }
      first.focus();
    }
  });

  document.addEventListener("helhedsplanChanged", function (event) {
    closeDialog();
    announce(event.detail && event.detail.message);
  });

  document.addEventListener("click", function (event) {
    var closer = event.target.closest && event.target.closest("[data-dialog-close]");
    if (closer && dialog() && dialog().contains(closer)) {
      event.preventDefault();
      closeDialog();
    }
  });

  document.addEventListener("close", function (event) {
    if (event.target === dialog()) {
      document.getElementById("helhedsplan-dialog-body").innerHTML = "";
    }
  }, true);
})();
