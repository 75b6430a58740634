// The SMS text's length and parts as one types (the server counts the same
// way: consult/notifications/sms/segments.py). GSM-7: 160 characters in one
// SMS, 153 per part; anything outside the GSM alphabet: UCS-2, 70 and 67.
(function () {
  "use strict";
  var BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";

  function count(text) {
    var gsm = true;
    var units = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (EXTENDED.indexOf(ch) >= 0) {
        units += 2;
      } else if (BASIC.indexOf(ch) >= 0) {
        units += 1;
      } else {
        gsm = false;
        break;
      }
    }
    if (!gsm) {
      units = text.length; // UTF-16 code units, as UCS-2 counts them
    }
    var single = gsm ? 160 : 70;
    var multi = gsm ? 153 : 67;
    var parts = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
    return { units: units, parts: parts, encoding: gsm ? "GSM-7" : "UCS-2" };
  }

  document.querySelectorAll("[data-sms-counter]").forEach(function (field) {
    var output = document.getElementById(field.getAttribute("data-sms-counter"));
    if (!output) return;
    var template = output.getAttribute("data-template");
    function update() {
      var result = count(field.value.replace(/\r\n/g, "\n"));
      output.textContent = template
        .replace("{chars}", result.units)
        .replace("{encoding}", result.encoding)
        .replace("{parts}", result.parts);
    }
    field.addEventListener("input", update);
    update();
  });
})();
