// Shows event times in the viewer's own time zone next to the event's zone.
// Elements: <span class="viewer-time" data-start="ISO-UTC" data-end="ISO-UTC">
// (or a <time>); data-skip-zone names a zone already shown (the event's), so
// a viewer in that zone is not told the same time twice.
// Time-zone inputs marked data-browser-zone start as the viewer's zone, which
// also goes to the top of their list (the server reads old aliases too).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    if (input.form && input.form.querySelector(".has-error")) { return; }
    var list = input.list;
    var option = null;
    if (list) {
      Array.prototype.forEach.call(list.options, function (o) {
        if (o.value === zone) { option = o; }
      });
    }
    if (option) { list.insertBefore(option, list.firstChild); }
    if (option || /^[A-Za-z_]+\/[A-Za-z0-9_+\/-]+$/.test(zone)) { input.value = zone; }
  });
  var dateFmt = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: zone
  });
  var timeFmt = new Intl.DateTimeFormat(undefined, {
    hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short"
  });
  var plainTime = new Intl.DateTimeFormat(undefined, {
    hour: "2-digit", minute: "2-digit", timeZone: zone
  });
  document.querySelectorAll(".viewer-time[data-start]").forEach(function (el) {
    if (el.getAttribute("data-skip-zone") === zone) { return; }
    var start = new Date(el.getAttribute("data-start"));
    if (isNaN(start)) { return; }
    var endAttr = el.getAttribute("data-end");
    var end = endAttr ? new Date(endAttr) : null;
    var text = dateFmt.format(start) + ", ";
    if (end && !isNaN(end)) {
      var sameDay = dateFmt.format(start) === dateFmt.format(end);
      text += plainTime.format(start) + "–" + (sameDay ? timeFmt.format(end) : dateFmt.format(end) + ", " + timeFmt.format(end));
    } else {
      text += timeFmt.format(start);
    }
    var label = el.getAttribute("data-label") || "Your time";
    el.textContent = label + " (" + zone.replace(/_/g, " ") + "): " + text;
    el.hidden = false;
  });
})();
