// Registrant list: tick everyone on the page at once, and make "all matching
// registrants" visible on the page (every box ticked, the count said).
// Without this script both radio buttons still work: the server selects.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(
    document.querySelectorAll("input[name=ids][form=bulk-form]"));
  var pageBox = document.getElementById("pick-page");
  var all = document.getElementById("scope-all");
  var ticked = document.getElementById("scope-ticked");
  var status = document.getElementById("bulk-selection");

  function tickAll(on) {
    boxes.forEach(function (box) { box.checked = on; });
    if (pageBox) { pageBox.checked = on; }
  }
  function scopeChanged() {
    if (all.checked) {
      tickAll(true);
      status.textContent = form.getAttribute("data-all-selected");
    } else {
      status.textContent = "";
    }
  }
  if (pageBox) {
    pageBox.hidden = false;
    pageBox.addEventListener("change", function () {
      tickAll(pageBox.checked);
      if (!pageBox.checked && all.checked) { ticked.checked = true; scopeChanged(); }
    });
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      // Unticking someone means "not everyone": back to the ticked people.
      if (!box.checked && all.checked) { ticked.checked = true; scopeChanged(); }
      if (pageBox) { pageBox.checked = boxes.every(function (b) { return b.checked; }); }
    });
  });
  all.addEventListener("change", scopeChanged);
  ticked.addEventListener("change", scopeChanged);
})();
