// Behaviours of the indsats pages. No inline scripts: the content security policy forbids them.
(function () {
  "use strict";

  // An invalid form answers 400 with the form and its messages: show it instead of ignoring the answer
  // (htmx leaves 4xx responses unswapped by default). Only for the indsats pages' own fragments.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && elt && elt.closest("[data-indsatser], #indsats-handling")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Move the keyboard focus into what was just loaded: a dialog's heading or an inline form's first field.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root || !root.querySelector) {
      return;
    }
    var heading = root.querySelector("#overgang-heading");
    if (heading) {
      heading.focus();
      return;
    }
    if (root.classList && root.classList.contains("indsatser-edit-row") || root.querySelector(".indsatser-goal form")) {
      var field = root.querySelector("form input:not([type=hidden]), form select, form textarea");
      if (field) {
        field.focus();
      }
    }
    var error = root.querySelector(".form-error input, .form-error select, .form-error textarea");
    if (error) {
      error.focus();
    }
  });

  // On the indsats form, offer only the indsatsområder of the chosen funding period.
  function showPeriodGroups(select, uncheckHidden) {
    var groups = document.querySelectorAll("[data-periode]");
    groups.forEach(function (group) {
      var matches = group.getAttribute("data-periode") === select.value;
      var hasChecked = group.querySelector("input:checked") !== null;
      if (!matches && uncheckHidden) {
        group.querySelectorAll("input:checked").forEach(function (input) {
          input.checked = false;
        });
        hasChecked = false;
      }
      group.hidden = !matches && !hasChecked;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("[data-indsatser-periode] select");
    if (!select) {
      return;
    }
    showPeriodGroups(select, false);
    select.addEventListener("change", function () {
      showPeriodGroups(select, true);
    });
  });
})();
