// The export page: "select all" in the plan table (dkfds's selectable table) and the count of chosen plans.
// The table shows one page of the plans, so both are about that page. htmx replaces the table when a filter
// or the page changes, so both are set up again after every swap.
(function () {
  "use strict";

  function updateCount(form) {
    var all = form.querySelectorAll("input[name=planer]").length;
    var chosen = form.querySelectorAll("input[name=planer]:checked").length;
    var count = form.querySelector("[data-selected-count]");
    if (count) {
      count.textContent = chosen + " af " + all + (all === 1 ? " plan" : " planer") + " på siden valgt";
    }
  }

  function setUp() {
    var form = document.querySelector("[data-pakkeeksport]");
    if (!form) {
      return;
    }
    var selectAll = form.querySelector("[data-select-all]");
    var table = form.querySelector("table.table--selectable");
    if (selectAll && table && window.DKFDS && window.DKFDS.TableSelectableRows) {
      new window.DKFDS.TableSelectableRows(table).init();
      selectAll.hidden = false;
    }
    updateCount(form);
  }

  // Only årsrapporter have a year to choose, and the filters are outside the table htmx replaces: a new pack
  // type loads the whole page (the form's plain GET), so the year's field comes and goes with it.
  function reloadOnNewPackType() {
    var type = document.querySelector("form.app-filters select[name=pakketype]");
    if (type) {
      type.addEventListener("change", function (event) {
        event.stopPropagation();
        type.form.submit();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("DOMContentLoaded", reloadOnNewPackType);
  document.addEventListener("htmx:afterSettle", setUp);
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-pakkeeksport]");
    if (form) {
      updateCount(form);
    }
  });
})();
