// Small behaviours on top of htmx. No inline scripts anywhere: the content security policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  document.querySelectorAll("[data-choice-filter]").forEach(addChoiceFilter);
});

// A list of thousands of choices (a <select multiple> or a fieldset of checkboxes marked data-choice-filter,
// whose value is the search box's label) gets a search box above it: only the choices whose text holds every
// word typed stay in view, and the chosen ones always do. Without JavaScript the whole list shows.
function addChoiceFilter(list) {
  var isSelect = list.tagName === "SELECT";
  var choices = Array.prototype.map.call(
    isSelect ? list.options : list.querySelectorAll(".form-group-checkbox"),
    function (element) {
      // A checkbox is found by its group's heading (the boligområde) too.
      var group = isSelect ? null : element.closest(".indsatser-choice-group");
      var heading = group ? group.querySelector(".indsatser-choice-heading").textContent : "";
      return {
        element: element,
        input: isSelect ? element : element.querySelector("input"),
        group: group,
        text: (heading + " " + element.textContent).toLowerCase(),
      };
    }
  );
  var groups = Array.prototype.slice.call(list.querySelectorAll(".indsatser-choice-group"));
  var id = (isSelect ? list.name : list.querySelector("input").name) + "-filter";

  var box = document.createElement("div");
  box.className = "form-group app-choice-filter";
  var label = document.createElement("label");
  label.className = "form-label";
  label.htmlFor = id;
  label.textContent = list.getAttribute("data-choice-filter");
  var input = document.createElement("input");
  input.type = "search";
  input.id = id;
  input.className = "form-input";
  input.autocomplete = "off";
  var status = document.createElement("span");
  status.className = "form-hint";
  status.id = id + "-status";
  status.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", status.id);
  box.append(label, input, status);
  if (isSelect) {
    list.before(box);
  } else {
    list.insertBefore(box, groups[0] || null);
  }

  function isChosen(choice) {
    return isSelect ? choice.input.selected : choice.input.checked;
  }

  function show() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var chosen = 0;
    var visibleGroups = new Set();
    choices.forEach(function (choice) {
      var visible =
        isChosen(choice) ||
        words.every(function (word) {
          return choice.text.indexOf(word) !== -1;
        });
      if (choice.element.hidden === visible) {
        choice.element.hidden = !visible;
      }
      if (visible) {
        shown += 1;
        visibleGroups.add(choice.group);
      }
      if (isChosen(choice)) {
        chosen += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = !visibleGroups.has(group);
    });
    status.textContent =
      chosen.toLocaleString("da-DK") + " valgt. Viser " + shown.toLocaleString("da-DK") + " af " +
      choices.length.toLocaleString("da-DK") + ".";
  }

  var pending = null;
  input.addEventListener("input", function () {
    // Typing a word should not redraw thousands of rows per key press.
    window.clearTimeout(pending);
    pending = window.setTimeout(show, 150);
  });
  list.addEventListener("change", show);
  show();
}
