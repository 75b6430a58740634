// Survey pages: show only the builder fields that fit the chosen question type
// and audience, and keep ranking selects distinct (choosing a rank another
// item holds swaps the two). The pages work without this script.
(function () {
  "use strict";

  function syncKinds(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) { return; }
    var value = kind.value;
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(value) === -1;
    });
  }

  document.querySelectorAll("[data-question-form]").forEach(function (form) {
    var kind = form.querySelector("select[name=kind]");
    if (kind) {
      kind.addEventListener("change", function () { syncKinds(form); });
    }
    syncKinds(form);
  });

  document.querySelectorAll(".survey-settings").forEach(function (form) {
    var types = form.querySelector("[data-show-for-audience]");
    if (!types) { return; }
    function sync() {
      var chosen = form.querySelector("input[name=audience]:checked");
      types.hidden = !chosen || chosen.value !== types.getAttribute("data-show-for-audience");
    }
    form.querySelectorAll("input[name=audience]").forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  });

  document.querySelectorAll("[data-ranking]").forEach(function (box) {
    var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
    selects.forEach(function (select) {
      select.dataset.previous = select.value;
      select.addEventListener("change", function () {
        var value = select.value;
        selects.forEach(function (other) {
          if (other !== select && value && other.value === value) {
            other.value = select.dataset.previous || "";
            other.dataset.previous = other.value;
          }
        });
        select.dataset.previous = value;
      });
    });
  });
})();
