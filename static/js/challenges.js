// Challenges pages: live character counters, kind-specific fields, points left.
(function () {
  "use strict";

  // A counter under every text field with a maxlength inside form.counted.
  function addCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max) { return; }
    var counter = document.createElement("small");
    counter.className = "char-counter";
    counter.id = field.id + "-count";
    counter.setAttribute("aria-live", "polite");
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var left = max - field.value.length;
      counter.textContent = field.value.length + " / " + max;
      counter.classList.toggle("near-limit", left < max / 10);
    }
    field.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("form.counted input[maxlength], form.counted textarea[maxlength]")
    .forEach(addCounter);

  // Show only the fieldsets that belong to the chosen kind of input.
  var kind = document.querySelector(".input-form select[name=kind]");
  if (kind) {
    var sets = document.querySelectorAll(".input-form .kind-fields");
    var showKind = function () {
      sets.forEach(function (set) {
        var kinds = (set.getAttribute("data-kinds") || "").split(" ");
        set.hidden = kinds.indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
  }

  // Points still to distribute (the server checks the total again).
  var form = document.querySelector(".priority-form[data-method=points]");
  if (form) {
    var total = parseInt(form.getAttribute("data-total"), 10);
    var out = form.querySelector(".points-left");
    var inputs = form.querySelectorAll("input[type=number]");
    var showLeft = function () {
      var used = 0;
      inputs.forEach(function (input) { used += parseInt(input.value, 10) || 0; });
      var left = total - used;
      out.hidden = false;
      out.textContent = left === 0 ? out.dataset.done || "All points distributed."
        : (left > 0 ? left + " " + (out.dataset.left || "points left to distribute.")
          : (-left) + " " + (out.dataset.over || "points too many."));
      out.classList.toggle("over", left < 0);
    };
    inputs.forEach(function (input) { input.addEventListener("input", showLeft); });
    showLeft();
  }
})();
