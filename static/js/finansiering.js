// Budget and regnskab tables: each amount saves itself with htmx when it changes (see the templates).
// This file adds what htmx does not do: show the server's Danish error (status 400) in place,
// and spreadsheet-like keys: Enter and the arrow keys move up and down a column, Escape undoes.
(function () {
  "use strict";

  // htmx leaves 4xx answers unswapped; in the editable tables a 400 is a cell or row with its error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr && detail.xhr.status === 400 && detail.elt.closest(".finansiering-editable")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  function columnInputs(input) {
    var table = input.closest("table");
    var year = input.getAttribute("data-aar");
    return Array.prototype.filter.call(table.querySelectorAll("input.finansiering-amount"), function (other) {
      return other.getAttribute("data-aar") === year;
    });
  }

  function move(input, step) {
    var inputs = columnInputs(input);
    var next = inputs[inputs.indexOf(input) + step];
    if (next) {
      next.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) {
      return;
    }
    if (input.matches(".finansiering-grid input.finansiering-amount")) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); // Enter would submit the whole table; moving on saves this cell (change)
        move(input, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(input, -1);
      } else if (event.key === "Escape") {
        input.value = input.getAttribute("data-saved") || "";
      }
    } else if (event.key === "Escape" && input.closest(".finansiering-lineform")) {
      var cancel = input.closest("form").querySelector(".finansiering-cancel");
      if (cancel) {
        cancel.click();
      }
    }
  });

  // Selecting the amount on focus lets the user type a new one straight away.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input.finansiering-amount")) {
      event.target.select();
    }
  });
})();
