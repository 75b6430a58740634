// Decision form: the message follows the chosen decision until the organiser
// edits it; the slot field shows only for "accept".
(function () {
  "use strict";
  var form = document.querySelector("form.decision-form");
  if (!form) {
    return;
  }
  var message = form.querySelector("textarea[name='message']");
  var slot = form.querySelector(".slot-field");
  var radios = form.querySelectorAll("input[data-decision]");
  var edited = false;
  if (message) {
    message.addEventListener("input", function () {
      edited = true;
    });
  }
  function update(choice) {
    if (slot) {
      slot.classList.toggle("is-hidden", choice !== "accepted");
    }
    if (message && !edited) {
      var text = form.getAttribute("data-message-" + choice);
      if (text !== null) {
        message.value = text;
      }
    }
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", function () {
      update(radio.value);
    });
    if (radio.checked) {
      if (slot) {
        slot.classList.toggle("is-hidden", radio.value !== "accepted");
      }
    }
  });
})();
