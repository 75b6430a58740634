// Contributions pages.
(function () {
  "use strict";

  // Decision form: the message follows the chosen decision until the
  // organiser edits it; the slot field shows only for "accept".
  var form = document.querySelector("form.decision-form");
  if (!form) {
    return;
  }
  var message = form.querySelector("textarea[name='message']");
  var slot = form.querySelector(".slot-field");
  var edited = false;
  if (message) {
    message.addEventListener("input", function () {
      edited = true;
    });
  }
  function showSlot(choice) {
    if (slot) {
      slot.classList.toggle("is-hidden", choice !== "accepted");
    }
  }
  form.querySelectorAll("input[data-decision]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      showSlot(radio.value);
      var text = form.getAttribute("data-message-" + radio.value);
      if (message && !edited && text !== null) {
        message.value = text;
      }
    });
    if (radio.checked) {
      showSlot(radio.value);
    }
  });
})();
